import { call, exercise, expectValue, randomCases } from "../../grader/engine/authoring";
import { randomOutputAndSoftTarget, randomOutputAndTarget } from "./nets";

export default exercise({
  id: "cost-vector",
  title: "Cost of one example with many outputs",
  points: 1,
  defines: ["costVector"],
  hints: ["Add up the squared differences (a_j − y_j)² over every output neuron j.", "Worked value: the cost of a = [0.2, 0.9] against y = [0, 1] is (0.2 − 0)² + (0.9 − 1)² = 0.04 + 0.01 = 0.05."],
  checks: [
    expectValue(call("costVector", [0.2, 0.9], [0, 1]), 0.05),
    expectValue(call("costVector", [0.5], [1]), 0.25),
    randomCases("costVector", {
      count: 50,
      args: randomOutputAndTarget,
      hidden: 5,
    }),
    randomCases("costVector", { count: 8, args: randomOutputAndSoftTarget, hidden: 2 }),
  ],
  mutants: {
    "averages instead of sums": "function costVector(a: number[], y: number[]): number {\n  return a.reduce((s, aj, j) => s + (aj - y[j]) ** 2, 0) / a.length;\n}",
    "forgets the square": "function costVector(a: number[], y: number[]): number {\n  return a.reduce((s, aj, j) => s + (aj - y[j]), 0);\n}",
    "halves it (Nielsen's ½ convention)": "function costVector(a: number[], y: number[]): number {\n  return a.reduce((c, aj, j) => c + (aj - y[j]) ** 2, 0) / 2;\n}",
    "compares every output with y[0] only": "function costVector(a: number[], y: number[]): number {\n  return a.reduce((c, aj) => c + (aj - y[0]) ** 2, 0);\n}",
    "^ is not a power in TypeScript: (a − y) ^ 2 is a bitwise XOR": "function costVector(a: number[], y: number[]): number {\n  return a.reduce((c, aj, j) => c + ((aj - y[j]) ^ 2), 0);\n}",
    "reduce without an initial value: the first output's a is added as it is instead of (a − y)²": "function costVector(a: number[], y: number[]): number {\n  return a.reduce((c, aj, j) => c + (aj - y[j]) ** 2);\n}",
    "absolute differences |a − y| instead of squares": "function costVector(a: number[], y: number[]): number {\n  return a.reduce((c, aj, j) => c + Math.abs(aj - y[j]), 0);\n}",
  },
  mistakeHints: {
    "averages instead of sums": "The cost of one example adds the squared differences of all outputs; it is not divided by the number of outputs.",
    "forgets the square": "Square each difference, (a_j − y_j)², before adding: without the square, too high and too low outputs cancel out.",
    "halves it (Nielsen's ½ convention)": "This course's cost is C = Σ_j (a_j − y_j)², without Nielsen's ½: drop the division by 2.",
    "compares every output with y[0] only": "Output j is compared with its own target: (a[j] − y[j])², using the index j of the output, not y[0].",
    "^ is not a power in TypeScript: (a − y) ^ 2 is a bitwise XOR": "In TypeScript ^ is bitwise XOR on whole numbers, not a power: write (a[j] − y[j]) ** 2 or Math.pow(a[j] − y[j], 2).",
    "reduce without an initial value: the first output's a is added as it is instead of (a − y)²": "Without an initial value, reduce starts from a[0] itself and begins at j = 1: pass 0 as the second argument, a.reduce((c, aj, j) => …, 0).",
    "absolute differences |a − y| instead of squares": "The cost squares each difference, (a_j − y_j)², rather than taking its absolute value.",
  },
});
