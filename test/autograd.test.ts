// Chapter 5's promise, proved on the course's own answers: the autograd of the
// master (its given cell and its exercise cells, run as a learner's kernel runs
// them) gives every gradient of a network bit for bit equal to backprop's
// (the lab's, which test/given.test.ts proves equal to chapter 3's reference).
// Random networks from seeded streams: a failure names its seed and shape, and
// AUTOGRAD_SEED=<n> runs that seed alone.
import * as fs from "node:fs";
import * as ts from "typescript";
import { givenCells as givenCellsOf, markedCells } from "../grader/engine/notebook/cells";
import type { Gradients, Network } from "../grader/engine/course/network";
import { makeRng, normal, randomInt, type Rng } from "../grader/engine/course/rng";
import * as given from "../grader/lab/given";
import { readNotebook } from "../grader/engine/notebook/notebook";
import { master } from "./helpers";

const CELLS = ["add-mul", "power", "exp-sigma", "topo-order", "backward", "cost-111", "autograd-backprop"];

type AutogradBackprop = (net: Network, x: number[], y: number[]) => Gradients;
type CostGradients111 = (x: number, y: number, w1: number, b1: number, w2: number, b2: number) => { dw1: number; db1: number; dw2: number; db2: number };

/** The master's given cells and the autograd's exercise cells, compiled together, with the lab's earlier functions. */
function masterAutograd(edit: (source: string) => string = (s) => s): { autogradBackprop: AutogradBackprop; costGradients111: CostGradients111 } {
  const nb = readNotebook(master("05-autograd"));
  const givenCells = givenCellsOf(nb).map((c) => c.source);
  const marked = markedCells(nb);
  const exercise = (id: string) => {
    const cell = marked.get(id)?.source;
    if (cell === undefined) throw new Error(`the master has no cell for ${id}`);
    return cell;
  };
  // Imports from the lab become parameters: the test hands in the lab's versions.
  const source = edit([...givenCells, ...CELLS.map(exercise)].join("\n").replace(/^import .*$/gm, ""));
  const js = ts.transpileModule(`${source}\nreturn { autogradBackprop, costGradients111 };`, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const make = new Function("sigmoid", "sigmoidPrime", "networkForward", "backprop", js) as (...fs: unknown[]) => ReturnType<typeof masterAutograd>;
  return make(given.sigmoid, given.sigmoidPrime, given.networkForward, given.backprop);
}

function randomNetwork(rng: Rng, sizes: number[]): Network {
  return {
    weights: sizes.slice(1).map((n, l) => Array.from({ length: n }, () => Array.from({ length: sizes[l] }, () => (normal(rng) * 1.5) / Math.sqrt(sizes[l])))),
    biases: sizes.slice(1).map((n) => Array.from({ length: n }, () => normal(rng))),
  };
}

/** The first parameter whose two gradients are not the same double, or null. */
function firstDifference(a: Gradients, b: Gradients): string | null {
  for (let l = 0; l < b.weights.length; l++) {
    for (let j = 0; j < b.weights[l].length; j++) {
      for (let k = 0; k < b.weights[l][j].length; k++) if (!Object.is(a.weights[l][j][k], b.weights[l][j][k])) return `weights[${l}][${j}][${k}]: autograd ${a.weights[l][j][k]}, backprop ${b.weights[l][j][k]}`;
      if (!Object.is(a.biases[l][j], b.biases[l][j])) return `biases[${l}][${j}]: autograd ${a.biases[l][j]}, backprop ${b.biases[l][j]}`;
    }
  }
  return null;
}

const autograd = masterAutograd();
const seeds = process.env.AUTOGRAD_SEED ? [Number(process.env.AUTOGRAD_SEED)] : Array.from({ length: 60 }, (_, i) => 1000 + i);

test("the master's autograd gives backprop's gradients bit for bit on random networks", () => {
  const failures: string[] = [];
  let compared = 0;
  for (const seed of seeds) {
    const rng = makeRng(seed);
    const sizes = Array.from({ length: randomInt(rng, 2, 5) }, () => randomInt(rng, 1, 7));
    const net = randomNetwork(rng, sizes);
    const x = Array.from({ length: sizes[0] }, () => rng());
    const out = sizes[sizes.length - 1];
    const hot = randomInt(rng, 0, out - 1);
    const y = Array.from({ length: out }, (_, j) => (j === hot ? 1 : 0));
    const mine = autograd.autogradBackprop(net, x, y);
    const theirs = given.backprop(net, x, y);
    compared += theirs.weights.flat(2).length + theirs.biases.flat().length;
    const diff = firstDifference(mine, theirs);
    if (diff) failures.push(`seed ${seed} (a ${sizes.join("-")} network; rerun with AUTOGRAD_SEED=${seed}): ${diff}`);
  }
  expect(failures).toEqual([]);
  expect(compared).toBeGreaterThan(seeds.length);
});

test("chapter 1's network as a graph gives backprop's four gradients bit for bit", () => {
  const failures: string[] = [];
  for (const seed of seeds) {
    const rng = makeRng(seed);
    const [x, y, w1, b1, w2, b2] = [rng(), randomInt(rng, 0, 1), normal(rng) * 1.5, normal(rng), normal(rng) * 1.5, normal(rng)];
    const g = autograd.costGradients111(x, y, w1, b1, w2, b2);
    const bp = given.backprop({ weights: [[[w1]], [[w2]]], biases: [[b1], [b2]] }, [x], [y]);
    const pairs: [string, number, number][] = [["w1", g.dw1, bp.weights[0][0][0]], ["b1", g.db1, bp.biases[0][0]], ["w2", g.dw2, bp.weights[1][0][0]], ["b2", g.db2, bp.biases[1][0]]];
    for (const [name, a, b] of pairs) if (!Object.is(a, b)) failures.push(`seed ${seed} (rerun with AUTOGRAD_SEED=${seed}): ∂C/∂${name} autograd ${a}, backprop ${b}`);
  }
  expect(failures).toEqual([]);
});

const VISIT_LAST_INPUT_FIRST = "for (let i = v.inputs.length - 1; i >= 0; i--) visit(v.inputs[i]);";

test("the test can fail: the same autograd visiting inputs first to last adds at forks in another order, and is close but not bit for bit", () => {
  // Floating-point addition is not associative: summing a hidden neuron's paths from the
  // last output neuron down moves some gradients in their last bits.
  expect(fs.readFileSync(master("05-autograd"), "utf8")).toContain(VISIT_LAST_INPUT_FIRST);
  const other = masterAutograd((s) => s.replace(VISIT_LAST_INPUT_FIRST, "for (const u of v.inputs) visit(u);"));
  let differing = 0;
  for (const seed of seeds) {
    const rng = makeRng(seed);
    const net = randomNetwork(rng, [3, 6, 6, 4]);
    const x = [rng(), rng(), rng()];
    const y = [0, 1, 0, 0];
    const a = other.autogradBackprop(net, x, y);
    const b = given.backprop(net, x, y);
    if (firstDifference(a, b)) differing++;
    const flatA = [...a.weights.flat(2), ...a.biases.flat()];
    const flatB = [...b.weights.flat(2), ...b.biases.flat()];
    expect(Math.max(...flatA.map((g, i) => Math.abs(g - flatB[i])))).toBeLessThan(1e-12);
  }
  expect(differing).toBeGreaterThan(0);
});
