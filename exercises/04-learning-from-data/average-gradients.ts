import { call, exercise, randomCases, matchesReference, randomInt } from "../../grader/engine/authoring";
import { randomNet, randomSizes } from "../03-many-neurons/nets";
import { asArg } from "./data";

export default exercise({
  id: "average-gradients",
  title: "Average the nudges over examples",
  points: 2,
  defines: ["averageGradients"],
  hints: [
    "Every entry of the result is the mean of that entry over all the gradients: add them up, then divide by how many there are.",
    "Entry by entry: weights[l][j][k] of the result is (Σ_i gs[i].weights[l][j][k]) / gs.length, and biases[l][j] the same with the biases. Worked value: the average of { weights: [[[1, 2]]], biases: [[3]] } and { weights: [[[3, 0]]], biases: [[-1]] } is { weights: [[[2, 1]]], biases: [[1]] }.",
  ],
  checks: [
    matchesReference(call("averageGradients", asArg([{ weights: [[[1, 2]]], biases: [[3]] }, { weights: [[[3, 0]]], biases: [[-1]] }])), { label: "averageGradients of two 2-1 gradients" }),
    randomCases("averageGradients", {
      count: 50,
      args: (rng) => {
        const sizes = randomSizes(rng, randomInt(rng, 2, 4), 5);
        return [asArg(Array.from({ length: randomInt(rng, 1, 6) }, () => randomNet(rng, sizes)))];
      },
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
    "averages the weights but copies the first gradient's biases": "function averageGradients(gs: Gradients[]): Gradients {\n  const n = gs.length;\n  return {\n    weights: gs[0].weights.map((W, l) => W.map((row, j) => row.map((_, k) => gs.reduce((s, g) => s + g.weights[l][j][k], 0) / n))),\n    biases: gs[0].biases.map((b) => b.slice()),\n  };\n}",
    "the sum starts from a copy of gs[0] and then adds every gradient, gs[0] included: gs[0] is counted twice": `function averageGradients(gs: Gradients[]): Gradients {
  const sum: Gradients = { weights: gs[0].weights.map((W) => W.map((row) => row.slice())), biases: gs[0].biases.map((b) => b.slice()) };
  for (const g of gs) {
    g.weights.forEach((W, l) => W.forEach((row, j) => row.forEach((w, k) => (sum.weights[l][j][k] += w))));
    g.biases.forEach((b, l) => b.forEach((v, j) => (sum.biases[l][j] += v)));
  }
  return {
    weights: sum.weights.map((W) => W.map((row) => row.map((w) => w / gs.length))),
    biases: sum.biases.map((b) => b.map((v) => v / gs.length)),
  };
}`,
    "Array(m).fill(Array(n).fill(0)) makes every row of a layer the same array: all the rows' sums pile up in one": `function averageGradients(gs: Gradients[]): Gradients {
  const sum: Gradients = {
    weights: gs[0].weights.map((W) => Array(W.length).fill(Array(W[0].length).fill(0))),
    biases: gs[0].biases.map((b) => Array(b.length).fill(0)),
  };
  for (const g of gs) {
    g.weights.forEach((W, l) => W.forEach((row, j) => row.forEach((w, k) => (sum.weights[l][j][k] += w))));
    g.biases.forEach((b, l) => b.forEach((v, j) => (sum.biases[l][j] += v)));
  }
  return {
    weights: sum.weights.map((W) => W.map((row) => row.map((w) => w / gs.length))),
    biases: sum.biases.map((b) => b.map((v) => v / gs.length)),
  };
}`,
  },
  mistakeHints: {
    "sums the gradients instead of averaging them": "After adding up the gradients, divide every entry by gs.length, the number of examples: an average, not a sum.",
    "averages the weights but sums the biases": "The biases are averaged like the weights: divide each bias sum by gs.length too.",
    "adds into the first gradient, changing its input": "Adding into gs[0] (or into a spread copy such as { ...gs[0] } or [...gs[0].weights], which shares its inner arrays) changes the caller's gradient. Build new arrays for the result, e.g. with map.",
    "returns the first gradient only": "Every gradient in gs takes part: add the entry over all of them, then divide by gs.length.",
    "divides by the number of layers instead of the number of examples": "The average is over examples, one gradient per example: divide by gs.length, not by the number of layers gs[0].weights.length.",
    "averages the weights but copies the first gradient's biases": "The biases are averaged over the examples too: biases[l][j] = (Σ_i gs[i].biases[l][j]) / gs.length.",
    "the sum starts from a copy of gs[0] and then adds every gradient, gs[0] included: gs[0] is counted twice": "Either start the sum at zeros and add every gradient, or start from a copy of gs[0] and add only gs.slice(1): each example counts once.",
    "Array(m).fill(Array(n).fill(0)) makes every row of a layer the same array: all the rows' sums pile up in one": "fill(row) puts the same row object in every slot, so adding into one row adds into all. Make a new row per slot: Array.from({ length: m }, () => Array(n).fill(0)), or map over the rows.",
  },
});
