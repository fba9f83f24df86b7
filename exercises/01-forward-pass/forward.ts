import { exercise, matchesReference, call, randomCases } from "../../grader/engine/spec";
import { normal } from "../../grader/engine/rng";

export default exercise({
  id: "forward",
  title: "Forward pass of the whole 1-1-1 network",
  points: 2,
  defines: ["forward"],
  hints: [
    "Two neurons in a row: a1 = σ(w1·x + b1), then the output is σ(w2·a1 + b2). Reuse weightedSum and sigmoid.",
    "The second neuron's input is the first neuron's activation a1, not x and not z1.",
  ],
  checks: [
    matchesReference(call("forward", 0.25, 0.5, 1, 0.5, 1), { label: "forward(0.25, 0.5, 1, 0.5, 1)" }),
    randomCases("forward", {
      count: 60,
      args: (rng) => [rng(), normal(rng) * 2, normal(rng), normal(rng) * 2, normal(rng)],
      edge: [[0, 0, 0, 0, 0], [1, 1, 1, 1, 1], [1, -40, 0, 40, 0], [0.5, 0, 5, 1, -5]],
      hidden: 5,
    }),
  ],
  mutants: {
    "feeds z1 instead of a1": "function forward(x: number, w1: number, b1: number, w2: number, b2: number): number {\n  const z1 = weightedSum(w1, x, b1);\n  return sigmoid(weightedSum(w2, z1, b2));\n}",
    "feeds x to the second neuron": "function forward(x: number, w1: number, b1: number, w2: number, b2: number): number {\n  return sigmoid(weightedSum(w2, x, b2));\n}",
    "forgets the last sigmoid": "function forward(x: number, w1: number, b1: number, w2: number, b2: number): number {\n  const a1 = sigmoid(weightedSum(w1, x, b1));\n  return weightedSum(w2, a1, b2);\n}",
    "the weights of the two neurons are swapped": "function forward(x: number, w1: number, b1: number, w2: number, b2: number): number {\n  const a1 = sigmoid(weightedSum(w2, x, b1));\n  return sigmoid(weightedSum(w1, a1, b2));\n}",
  },
});
