// Test accuracy of the recipes on full MNIST: per seed after the last epoch (not the best
// epoch, which would be picking on the test set), then mean and spread over the seeds.
// Run: node dist/bench/accuracy.js [notes-eta3] [notes] [beyond]   (default: all three;
// about 5 minutes on the 2-core dev machine, roughly 0.7 s per epoch).

import {
  BEYOND_NOTES_RECIPE, NOTES_RECIPE, NOTES_RECIPE_ETA3, Recipe, evaluate, trainRecipe,
} from "../grader/lab/fastnet";
import { loadMnist } from "../grader/lab/mnist";

const RECIPES: Record<string, Recipe> = {
  "notes-eta3": NOTES_RECIPE_ETA3,
  notes: NOTES_RECIPE,
  beyond: BEYOND_NOTES_RECIPE,
};
const SEEDS = [1, 2, 3];

function percent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

function main(): void {
  const names = process.argv.slice(2);
  for (const name of names) {
    if (!(name in RECIPES)) throw new Error(`unknown recipe "${name}"; known: ${Object.keys(RECIPES).join(", ")}`);
  }
  const { train, test } = loadMnist();
  for (const name of names.length > 0 ? names : Object.keys(RECIPES)) {
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
