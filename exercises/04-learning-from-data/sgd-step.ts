import { call, exercise, matchesReference, randomCases, randomInt, uniform } from "../../grader/engine/authoring";
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
    "Every weight and bias p becomes p − η · ḡ_p, where ḡ = averageGradients(batch.map((e) => backprop(net, e.x, e.y))) and η is learningRate: one average over the batch, one step, returned as a new network.",
  ],
  checks: [
    matchesReference(call("sgdStep", { weights: [[[0.5]], [[0.5]]], biases: [[1], [1]] }, asArg([{ x: [0.25], y: [1] }]), 3), { label: "sgdStep on the 1-1-1 network with the notes' example" }),
    randomCases("sgdStep", {
      count: 40,
      args: (rng) => {
        const sizes = randomSizes(rng, randomInt(rng, 2, 4), 5);
        return [netArg(randomNet(rng, sizes)), asArg(randomExamples(rng, randomInt(rng, 1, 10), sizes[0], sizes[sizes.length - 1])), uniform(rng, 0.1, 3)];
      },
      hidden: 4,
    }),
    // Networks and batches of one shape: calls alike in both, so each is also asked on the same
    // objects with only the network changed, or only the batch (a gradient kept by the example
    // object, while the network was trained in place, comes back stale).
    randomCases("sgdStep", {
      count: 6,
      args: (rng) => [netArg(randomNet(rng, [3, 4, 2])), asArg(randomExamples(rng, 3, 3, 2)), uniform(rng, 0.1, 3)],
      hidden: 1,
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
    "divides η by the batch size on top of averaging: the step is batch.length times too small": stepMutant("PARAM - (learningRate / batch.length) * GRAD"),
    "updates the weights but leaves the biases as they were": `function sgdStep(net: Network, batch: Example[], learningRate: number): Network {
  const g = averageGradients(batch.map((e) => backprop(net, e.x, e.y)));
  return {
    weights: net.weights.map((W, l) => W.map((row, j) => row.map((w, k) => w - learningRate * g.weights[l][j][k]))),
    biases: net.biases.map((b) => b.slice()),
  };
}`,
    "the loop over layers stops one early: the last layer is never updated": `function sgdStep(net: Network, batch: Example[], learningRate: number): Network {
  const g = averageGradients(batch.map((e) => backprop(net, e.x, e.y)));
  const next: Network = { weights: net.weights.map((W) => W.map((row) => row.slice())), biases: net.biases.map((b) => b.slice()) };
  for (let l = 0; l < net.weights.length - 1; l++) {
    for (let j = 0; j < net.weights[l].length; j++) {
      for (let k = 0; k < net.weights[l][j].length; k++) next.weights[l][j][k] -= learningRate * g.weights[l][j][k];
      next.biases[l][j] -= learningRate * g.biases[l][j];
    }
  }
  return next;
}`,
  },
  mistakeHints: {
    "sums the gradients of the batch instead of averaging them": "The step uses the average gradient of the batch: divide the sum by batch.length (averageGradients does it), so the step size does not grow with the batch.",
    "+η: steps uphill, along the gradient instead of against it": "The gradient points uphill, towards a bigger cost: subtract η times it, p − η·ḡ, to go down.",
    "changes the network passed in instead of returning a new one": "Writing into net's arrays (or into a spread copy such as { ...net } or [...net.weights], which shares the inner arrays) changes the caller's network. Build new arrays, e.g. with map, and return them.",
    "one update per example instead of one per batch": "All the batch's gradients are taken at the same net and averaged, then the network moves once: no update inside the loop over examples.",
    "steps with the first example's gradient only": "Every example of the batch contributes: backprop each one and average the gradients, not just batch[0]'s.",
    "the learning rate is left out": "Scale the step by the learning rate: p − learningRate · ḡ.",
    "divides η by the batch size on top of averaging: the step is batch.length times too small": "The average already divides by batch.length: the step is p − η · ḡ with η as given, not η / batch.length.",
    "updates the weights but leaves the biases as they were": "The biases learn too: each bias moves by −η times its average gradient, like the weights.",
    "the loop over layers stops one early: the last layer is never updated": "Every layer moves: loop while l < net.weights.length, so the output layer's weights and biases are updated too.",
  },
});
