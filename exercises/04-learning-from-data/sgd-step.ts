import { call, exercise, matchesReference, randomCases } from "../../grader/engine/spec";
import { randomInt, uniform } from "../../grader/engine/rng";
import { netArg, randomNet, randomSizes } from "../03-many-neurons/nets";
import { asArg, randomExamples } from "./data";

const stepMutant = (update: string) => `function sgdStep(net: Network, batch: Example[], learningRate: number): Network {
  const g = averageGradients(batch.map((e) => backprop(net, e.x, e.y)));
  return {
    weights: net.weights.map((W, l) => W.map((row, j) => row.map((w, k) => ${update.replace(/PARAM/g, "w").replace(/GRAD/g, "g.weights[l][j][k]")}))),
    biases: net.biases.map((b, l) => b.map((v, j) => ${update.replace(/PARAM/g, "v").replace(/GRAD/g, "g.biases[l][j]")})),
  };
}`;

export default exercise({
  id: "sgd-step",
  title: "One step of stochastic gradient descent",
  points: 2,
  defines: ["sgdStep"],
  hints: [
    "Backprop every example of the batch, average the gradients, then move every weight and bias against its average gradient, scaled by the learning rate.",
    "Average (not sum) over the batch, subtract (not add) η times the gradient, and return a new network: leave net as it was.",
  ],
  checks: [
    matchesReference(call("sgdStep", { weights: [[[0.5]], [[0.5]]], biases: [[1], [1]] }, asArg([{ x: [0.25], y: [1] }]), 3), { label: "sgdStep on the 1-1-1 network with the notes' example", pure: true }),
    randomCases("sgdStep", {
      count: 40,
      args: (rng) => {
        const sizes = randomSizes(rng, randomInt(rng, 2, 4), 5);
        return [netArg(randomNet(rng, sizes)), asArg(randomExamples(rng, randomInt(rng, 1, 10), sizes[0], sizes[sizes.length - 1])), uniform(rng, 0.1, 3)];
      },
      pure: true,
      hidden: 4,
    }),
  ],
  mutants: {
    "sums the gradients of the batch instead of averaging them": `function sgdStep(net: Network, batch: Example[], learningRate: number): Network {
  const gs = batch.map((e) => backprop(net, e.x, e.y));
  const sumW = (l: number, j: number, k: number) => gs.reduce((s, g) => s + g.weights[l][j][k], 0);
  const sumB = (l: number, j: number) => gs.reduce((s, g) => s + g.biases[l][j], 0);
  return {
    weights: net.weights.map((W, l) => W.map((row, j) => row.map((w, k) => w - learningRate * sumW(l, j, k)))),
    biases: net.biases.map((b, l) => b.map((v, j) => v - learningRate * sumB(l, j))),
  };
}`,
    "+η: steps uphill, along the gradient instead of against it": stepMutant("PARAM + learningRate * GRAD"),
    "changes the network passed in instead of returning a new one": `function sgdStep(net: Network, batch: Example[], learningRate: number): Network {
  const g = averageGradients(batch.map((e) => backprop(net, e.x, e.y)));
  net.weights.forEach((W, l) => W.forEach((row, j) => row.forEach((w, k) => (row[k] = w - learningRate * g.weights[l][j][k]))));
  net.biases.forEach((b, l) => b.forEach((v, j) => (b[j] = v - learningRate * g.biases[l][j])));
  return net;
}`,
    "one update per example instead of one per batch": `function sgdStep(net: Network, batch: Example[], learningRate: number): Network {
  for (const e of batch) {
    const g = backprop(net, e.x, e.y);
    net = {
      weights: net.weights.map((W, l) => W.map((row, j) => row.map((w, k) => w - learningRate * g.weights[l][j][k]))),
      biases: net.biases.map((b, l) => b.map((v, j) => v - learningRate * g.biases[l][j])),
    };
  }
  return net;
}`,
    "steps with the first example's gradient only": "function sgdStep(net: Network, batch: Example[], learningRate: number): Network {\n  const g = backprop(net, batch[0].x, batch[0].y);\n  return {\n    weights: net.weights.map((W, l) => W.map((row, j) => row.map((w, k) => w - learningRate * g.weights[l][j][k]))),\n    biases: net.biases.map((b, l) => b.map((v, j) => v - learningRate * g.biases[l][j])),\n  };\n}",
    "the learning rate is left out": "function sgdStep(net: Network, batch: Example[], learningRate: number): Network {\n  const g = averageGradients(batch.map((e) => backprop(net, e.x, e.y)));\n  return {\n    weights: net.weights.map((W, l) => W.map((row, j) => row.map((w, k) => w - g.weights[l][j][k]))),\n    biases: net.biases.map((b, l) => b.map((v, j) => v - g.biases[l][j])),\n  };\n}",
  },
});
