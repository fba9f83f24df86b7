import { call, exercise, matchesReference, randomCases, randomInt } from "../../grader/engine/authoring";
import { netArg, randomNet, randomSizes } from "../03-many-neurons/nets";
import { asArg, randomExamples } from "./data";

export default exercise({
  id: "accuracy",
  title: "Accuracy: how often the biggest output is the right digit",
  points: 1,
  defines: ["accuracy"],
  hints: [
    "For each example, the prediction is the index of the largest output activation (arg-max); it is right when it equals the index of the 1 in y.",
    "accuracy = (number of examples whose arg-max output equals the arg-max of y) / (number of examples). Worked value: the 2-2 network with W = [[1, −1], [−1, 1]] gets 2 of its 3 examples right, so 2/3 ≈ 0.667.",
  ],
  checks: [
    matchesReference(call("accuracy", { weights: [[[1, -1], [-1, 1]]], biases: [[0, 0]] }, asArg([{ x: [1, 0], y: [1, 0] }, { x: [0, 1], y: [0, 1] }, { x: [1, 0], y: [0, 1] }])), { label: "accuracy of a 2-2 network on 3 examples (2 right)" }),
    matchesReference(call("accuracy", { weights: [[[0], [0]]], biases: [[-20, -1]] }, asArg([{ x: [0.5], y: [0, 1] }])), {
      label: "accuracy with outputs [σ(−20), σ(−1)] ≈ [2.1e-9, 0.27]: output 1 is the largest",
    }),
    randomCases("accuracy", {
      count: 50,
      args: (rng) => {
        const sizes = randomSizes(rng, randomInt(rng, 2, 3), 6);
        sizes[sizes.length - 1] = Math.max(2, sizes[sizes.length - 1]);
        return [netArg(randomNet(rng, sizes, 2)), asArg(randomExamples(rng, randomInt(rng, 1, 20), sizes[0], sizes[sizes.length - 1]))];
      },
      hidden: 5,
    }),
  ],
  mutants: {
    "counts instead of a fraction": "function accuracy(net: Network, data: Example[]): number {\n  const argMax = (v: number[]) => v.indexOf(Math.max(...v));\n  return data.filter((e) => argMax(networkForward(net, e.x)[net.weights.length]) === argMax(e.y)).length;\n}",
    "arg-min instead of arg-max": "function accuracy(net: Network, data: Example[]): number {\n  const argMin = (v: number[]) => v.indexOf(Math.min(...v));\n  const argMax = (v: number[]) => v.indexOf(Math.max(...v));\n  return data.filter((e) => argMin(networkForward(net, e.x)[net.weights.length]) === argMax(e.y)).length / data.length;\n}",
    "compares the output's largest value with y's index: a_max === argmax(y)": "function accuracy(net: Network, data: Example[]): number {\n  const argMax = (v: number[]) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);\n  const right = data.filter((e) => Math.max(...networkForward(net, e.x)[net.weights.length]) === argMax(e.y)).length;\n  return right / data.length;\n}",
    "a percentage (0 to 100) instead of a fraction": "function accuracy(net: Network, data: Example[]): number {\n  const argMax = (v: number[]) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);\n  const right = data.filter((e) => argMax(networkForward(net, e.x)[net.weights.length]) === argMax(e.y)).length;\n  return (100 * right) / data.length;\n}",
    "finds the largest output with sort() and no comparator: it sorts as strings, so 2.1e-9 comes after 0.27": "function accuracy(net: Network, data: Example[]): number {\n  const argMax = (v: number[]) => v.indexOf(v.slice().sort()[v.length - 1]);\n  const right = data.filter((e) => argMax(networkForward(net, e.x)[net.weights.length]) === argMax(e.y)).length;\n  return right / data.length;\n}",
    "rounds the fraction with toFixed(2): 2/3 becomes 0.67": "function accuracy(net: Network, data: Example[]): number {\n  const argMax = (v: number[]) => v.indexOf(Math.max(...v));\n  const right = data.filter((e) => argMax(networkForward(net, e.x)[net.weights.length]) === argMax(e.y)).length;\n  return Number((right / data.length).toFixed(2));\n}",
  },
  mistakeHints: {
    "counts instead of a fraction": "Divide the number of right answers by the number of examples, data.length: accuracy is a fraction between 0 and 1.",
    "arg-min instead of arg-max": "The prediction is the output neuron with the largest activation, so look for the index of the maximum, not the minimum.",
    "compares the output's largest value with y's index: a_max === argmax(y)": "Compare two indices: the index of the largest output (out.indexOf(Math.max(...out))) with the index of the 1 in y, not the largest value itself.",
    "a percentage (0 to 100) instead of a fraction": "Return the fraction itself, between 0 and 1, without multiplying by 100.",
    "finds the largest output with sort() and no comparator: it sorts as strings, so 2.1e-9 comes after 0.27": "sort() without a comparator compares numbers as text, and \"2.1e-9\" comes after \"0.27\". Use Math.max(...out) with indexOf, or a loop that keeps the index of the largest value.",
    "rounds the fraction with toFixed(2): 2/3 becomes 0.67": "toFixed rounds (and makes a string): return right / data.length as it is, and round only when you print it.",
  },
});
