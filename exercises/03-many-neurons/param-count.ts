import { call, exercise, expectValue, randomCases } from "../../grader/engine/spec";
import { randomInt } from "../../grader/engine/rng";

export default exercise({
  id: "param-count",
  title: "How many weights and biases?",
  points: 1,
  defines: ["paramCount"],
  hints: [
    "Between two layers of n and m neurons there are n·m weights, and the second layer has m biases.",
    "Sum over every pair of neighbouring layers; the input layer has no biases. [784, 16, 16, 10] gives 13,002.",
  ],
  checks: [
    expectValue(call("paramCount", [784, 16, 16, 10]), 13002, { label: "paramCount([784, 16, 16, 10]), 3Blue1Brown's digit network" }),
    expectValue(call("paramCount", [1, 1, 1]), 4, { label: "paramCount([1, 1, 1]), the 1-1-1 network" }),
    expectValue(call("paramCount", [5]), 0, { label: "paramCount([5]): one layer, nothing to learn" }),
    randomCases("paramCount", { count: 50, args: (rng) => [Array.from({ length: randomInt(rng, 2, 6) }, () => randomInt(rng, 1, 800))], hidden: 5 }),
  ],
  mutants: {
    "forgets the biases": "function paramCount(sizes: number[]): number {\n  let n = 0;\n  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l] * sizes[l + 1];\n  return n;\n}",
    "gives the input layer biases too": "function paramCount(sizes: number[]): number {\n  let n = 0;\n  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l] * sizes[l + 1];\n  return n + sizes.reduce((s, x) => s + x, 0);\n}",
    "counts the neurons, not the parameters": "function paramCount(sizes: number[]): number {\n  return sizes.slice(1).reduce((s, n) => s + n, 0);\n}",
    "adds the layer sizes where the weights multiply them: (n_in + n_out) weights per layer": "function paramCount(sizes: number[]): number {\n  let n = 0;\n  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l] + sizes[l + 1] + sizes[l + 1];\n  return n;\n}",
  },
});
