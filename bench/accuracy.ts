// Test accuracy of the recipes on full MNIST: per seed after the last epoch (not the best
// epoch, which would be picking on the test set), then mean and spread over the seeds.
// Run: node dist/bench/accuracy.js [notes-eta3] [notes] [beyond] [sensitivity]   (default: all;
// about 5 minutes on the 2-core dev machine, roughly 0.7 s per epoch).
// `sensitivity` is chapter 5's claim on real digits: a gradient's entries rank the parameters
// by how much the cost moves when each is nudged, so the most and the least sensitive
// parameter (nonzero gradient) move the cost in the ratio of their gradients.

import {
  BEYOND_NOTES_RECIPE, NOTES_RECIPE, NOTES_RECIPE_ETA3, Recipe, evaluate, trainRecipe,
} from "../grader/lab/fastnet";
import { backprop, networkForward } from "../grader/lab/given";
import { digitImage, loadMnist, oneHot, type Digits } from "../grader/lab/mnist";
import type { Network } from "../grader/engine/course/network";
import { makeRng, normal } from "../grader/engine/course/rng";

const RECIPES: Record<string, Recipe> = {
  "notes-eta3": NOTES_RECIPE_ETA3,
  notes: NOTES_RECIPE,
  beyond: BEYOND_NOTES_RECIPE,
};
const SEEDS = [1, 2, 3];
const SENSITIVITY = "sensitivity";
/** Digits of the training set whose top/bottom sensitivities are measured. */
const SENSITIVITY_DIGITS = 1000;

function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function quantile(xs: number[], q: number): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/**
 * For each of the first SENSITIVITY_DIGITS training digits, through an untrained 784-16-16-10
 * network (seed 1, N(0, 1)/√fan-in as in chapter 4): rank every parameter by |∂C/∂p|, nudge
 * the top one and the least sensitive one with a nonzero gradient by ±1e-3, and compare the
 * ratio of the cost's moves with the ratio of the gradients.
 */
function sensitivity(train: Digits): void {
  console.log(`\n${SENSITIVITY}: chapter 5, gradient ratio against the ratio of nudged cost changes, first ${SENSITIVITY_DIGITS} training digits`);
  const rng = makeRng(1);
  const sizes = [784, 16, 16, 10];
  const net: Network = {
    weights: sizes.slice(1).map((n, l) => Array.from({ length: n }, () => Array.from({ length: sizes[l] }, () => normal(rng) / Math.sqrt(sizes[l])))),
    biases: sizes.slice(1).map((n) => Array.from({ length: n }, () => normal(rng))),
  };
  const eps = 1e-3;
  const mismatch: number[] = [];
  const ratios: number[] = [];
  const zeros: number[] = [];
  for (let i = 0; i < SENSITIVITY_DIGITS; i++) {
    const x = Array.from(digitImage(train, i));
    const y = oneHot(train.labels[i]);
    const cost = () => networkForward(net, x)[3].reduce((c, a, j) => c + (a - y[j]) ** 2, 0);
    const g = backprop(net, x, y);
    const params: { holder: number[]; at: number; grad: number }[] = [];
    g.weights.forEach((W, l) => W.forEach((row, j) => row.forEach((d, k) => params.push({ holder: net.weights[l][j], at: k, grad: d }))));
    g.biases.forEach((b, l) => b.forEach((d, j) => params.push({ holder: net.biases[l], at: j, grad: d })));
    const reached = params.filter((p) => p.grad !== 0).sort((p, q) => Math.abs(q.grad) - Math.abs(p.grad));
    zeros.push(1 - reached.length / params.length);
    const move = (p: { holder: number[]; at: number }) => {
      const kept = p.holder[p.at];
      p.holder[p.at] = kept + eps;
      const up = cost();
      p.holder[p.at] = kept - eps;
      const down = cost();
      p.holder[p.at] = kept;
      return (up - down) / 2;
    };
    const [top, bottom] = [reached[0], reached[reached.length - 1]];
    const gradRatio = top.grad / bottom.grad;
    ratios.push(Math.abs(gradRatio));
    mismatch.push(Math.abs(move(top) / move(bottom) / gradRatio - 1));
  }
  const e = (x: number) => x.toExponential(2);
  console.log(`  |gradient| ratio top/bottom: median ${e(quantile(ratios, 0.5))}, min ${e(Math.min(...ratios))}, max ${e(Math.max(...ratios))}`);
  console.log(`  |cost-move ratio / gradient ratio − 1|: median ${e(quantile(mismatch, 0.5))}, 95th percentile ${e(quantile(mismatch, 0.95))}, worst ${e(Math.max(...mismatch))}`);
  console.log(`  parameters with a gradient of exactly 0 (weights from black pixels): median ${(100 * quantile(zeros, 0.5)).toFixed(1)}%`);
}

function main(): void {
  const names = process.argv.slice(2);
  for (const name of names) {
    if (!(name in RECIPES) && name !== SENSITIVITY) throw new Error(`unknown recipe "${name}"; known: ${[...Object.keys(RECIPES), SENSITIVITY].join(", ")}`);
  }
  const { train, test } = loadMnist();
  const chosen = names.length > 0 ? names : [...Object.keys(RECIPES), SENSITIVITY];
  if (chosen.includes(SENSITIVITY)) sensitivity(train);
  for (const name of chosen.filter((n) => n !== SENSITIVITY)) {
    const recipe = RECIPES[name];
    const { name: title, ...hyperparameters } = recipe;
    console.log(`\n${name}: ${title}`);
    console.log(`  ${JSON.stringify(hyperparameters)}`);
    const accuracies: number[] = [];
    for (const seed of SEEDS) {
      const start = Date.now();
      const net = trainRecipe(recipe, train, seed);
      const { accuracy, cost } = evaluate(net, test, recipe.cost);
      accuracies.push(accuracy);
      const seconds = ((Date.now() - start) / 1000).toFixed(0);
      console.log(`  seed ${seed}: test accuracy ${percent(accuracy)} (test cost ${cost.toFixed(4)}, ${seconds} s)`);
    }
    const mean = accuracies.reduce((s, a) => s + a, 0) / accuracies.length;
    console.log(
      `  mean ${percent(mean)}, min-max ${percent(Math.min(...accuracies))}-${percent(Math.max(...accuracies))}`,
    );
  }
}

main();
