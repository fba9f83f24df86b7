import { call, exercise, expectValue, randomCases } from "../../grader/engine/spec";
import { randomOutputAndTarget } from "./nets";

export default exercise({
  id: "cost-vector",
  title: "Cost of one example with many outputs",
  points: 1,
  defines: ["costVector"],
  hints: ["Add up the squared differences (a_j − y_j)² over every output neuron j.", "A sum, not an average: the cost of [0.2, 0.9] against [0, 1] is 0.04 + 0.01 = 0.05."],
  checks: [
    expectValue(call("costVector", [0.2, 0.9], [0, 1]), 0.05),
    expectValue(call("costVector", [0.5], [1]), 0.25),
    randomCases("costVector", {
      count: 50,
      args: randomOutputAndTarget,
      pure: true,
      hidden: 5,
    }),
  ],
  mutants: {
    "averages instead of sums": "function costVector(a: number[], y: number[]): number {\n  return a.reduce((s, aj, j) => s + (aj - y[j]) ** 2, 0) / a.length;\n}",
    "forgets the square": "function costVector(a: number[], y: number[]): number {\n  return a.reduce((s, aj, j) => s + (aj - y[j]), 0);\n}",
    "halves it (Nielsen's ½ convention)": "function costVector(a: number[], y: number[]): number {\n  return a.reduce((c, aj, j) => c + (aj - y[j]) ** 2, 0) / 2;\n}",
    "compares every output with y[0] only": "function costVector(a: number[], y: number[]): number {\n  return a.reduce((c, aj) => c + (aj - y[0]) ** 2, 0);\n}",
  },
});
