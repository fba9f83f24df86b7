import { call, exercise, expectValue, randomCases, randomInt } from "../../grader/engine/authoring";

export default exercise({
  id: "param-count",
  title: "How many weights and biases?",
  points: 1,
  defines: ["paramCount"],
  hints: [
    "Between two layers of n and m neurons there are n·m weights, and the second layer has m biases.",
    "Sum over every pair of neighbouring layers l, l + 1: sizes[l]·sizes[l + 1] weights plus sizes[l + 1] biases. Worked value: [784, 16, 16, 10] gives 784·16 + 16 + 16·16 + 16 + 16·10 + 10 = 13,002.",
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
    "counts the biases of the layer before (sizes[l]) instead of the layer they belong to (sizes[l + 1])": "function paramCount(sizes: number[]): number {\n  let n = 0;\n  for (let l = 0; l + 1 < sizes.length; l++) n += sizes[l] * sizes[l + 1] + sizes[l];\n  return n;\n}",
    "the loop stops one pair early: the last layer's weights and biases are left out": "function paramCount(sizes: number[]): number {\n  let n = 0;\n  for (let l = 0; l + 2 < sizes.length; l++) n += sizes[l] * sizes[l + 1] + sizes[l + 1];\n  return n;\n}",
    "the loop starts at l = 1: the first layer's weights and biases are left out": "function paramCount(sizes: number[]): number {\n  let n = 0;\n  for (let l = 1; l + 1 < sizes.length; l++) n += sizes[l] * sizes[l + 1] + sizes[l + 1];\n  return n;\n}",
  },
  mistakeHints: {
    "forgets the biases": "Each neuron after the input layer also has a bias: add sizes[l + 1] biases for every pair of layers, on top of the sizes[l]·sizes[l + 1] weights.",
    "gives the input layer biases too": "The input layer only holds x: it has no weights coming in and no biases. Count biases for layers 1 to L only, sizes[l + 1] per pair.",
    "counts the neurons, not the parameters": "The parameters are the weights and biases, not the neurons: a layer of m neurons after a layer of n has n·m weights and m biases.",
    "adds the layer sizes where the weights multiply them: (n_in + n_out) weights per layer": "Every input neuron connects to every output neuron, so a pair of layers has n_in · n_out weights (a product, one per connection), plus n_out biases.",
    "counts the biases of the layer before (sizes[l]) instead of the layer they belong to (sizes[l + 1])": "A bias belongs to the neuron that receives the weights: for the pair l, l + 1 add sizes[l + 1] biases, not sizes[l].",
    "the loop stops one pair early: the last layer's weights and biases are left out": "There are sizes.length − 1 pairs of layers: loop while l + 1 < sizes.length so the last pair (into the output layer) is counted too.",
    "the loop starts at l = 1: the first layer's weights and biases are left out": "Start at l = 0: the weights and biases from the input layer into the first hidden layer count too.",
  },
});
