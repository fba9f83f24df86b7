import { call, exercise, randomCases, matchesReference } from "../../grader/engine/spec";
import { randomInt } from "../../grader/engine/rng";
import { randomNet, randomSizes } from "../03-many-neurons/nets";
import { asArg } from "./data";

export default exercise({
  id: "average-gradients",
  title: "Average the nudges over examples",
  points: 2,
  defines: ["averageGradients"],
  hints: [
    "Every entry of the result is the mean of that entry over all the gradients: add them up, then divide by how many there are.",
    "Average the biases as well as the weights, and build a new Gradients object rather than adding into gs[0].",
  ],
  checks: [
    matchesReference(call("averageGradients", asArg([{ weights: [[[1, 2]]], biases: [[3]] }, { weights: [[[3, 0]]], biases: [[-1]] }])), { label: "averageGradients of two 2-1 gradients", pure: true }),
    randomCases("averageGradients", {
      count: 50,
      args: (rng) => {
        const sizes = randomSizes(rng, randomInt(rng, 2, 4), 5);
        return [asArg(Array.from({ length: randomInt(rng, 1, 6) }, () => randomNet(rng, sizes)))];
      },
      pure: true,
      hidden: 5,
    }),
  ],
  mutants: {
    "sums the gradients instead of averaging them": `function averageGradients(gs: Gradients[]): Gradients {
  return {
    weights: gs[0].weights.map((W, l) => W.map((row, j) => row.map((_, k) => gs.reduce((s, g) => s + g.weights[l][j][k], 0)))),
    biases: gs[0].biases.map((b, l) => b.map((_, j) => gs.reduce((s, g) => s + g.biases[l][j], 0))),
  };
}`,
    "averages the weights but sums the biases": `function averageGradients(gs: Gradients[]): Gradients {
  return {
    weights: gs[0].weights.map((W, l) => W.map((row, j) => row.map((_, k) => gs.reduce((s, g) => s + g.weights[l][j][k], 0) / gs.length))),
    biases: gs[0].biases.map((b, l) => b.map((_, j) => gs.reduce((s, g) => s + g.biases[l][j], 0))),
  };
}`,
    "adds into the first gradient, changing its input": `function averageGradients(gs: Gradients[]): Gradients {
  const sum = gs[0];
  for (const g of gs.slice(1)) {
    g.weights.forEach((W, l) => W.forEach((row, j) => row.forEach((w, k) => (sum.weights[l][j][k] += w))));
    g.biases.forEach((b, l) => b.forEach((v, j) => (sum.biases[l][j] += v)));
  }
  sum.weights.forEach((W) => W.forEach((row) => row.forEach((_, k) => (row[k] /= gs.length))));
  sum.biases.forEach((b) => b.forEach((_, j) => (b[j] /= gs.length)));
  return sum;
}`,
    "returns the first gradient only": "function averageGradients(gs: Gradients[]): Gradients {\n  return { weights: gs[0].weights.map((W) => W.map((row) => row.slice())), biases: gs[0].biases.map((b) => b.slice()) };\n}",
    "divides by the number of layers instead of the number of examples": "function averageGradients(gs: Gradients[]): Gradients {\n  const n = gs[0].weights.length;\n  return {\n    weights: gs[0].weights.map((W, l) => W.map((row, j) => row.map((_, k) => gs.reduce((s, g) => s + g.weights[l][j][k], 0) / n))),\n    biases: gs[0].biases.map((b, l) => b.map((_, j) => gs.reduce((s, g) => s + g.biases[l][j], 0) / n)),\n  };\n}",
  },
});
