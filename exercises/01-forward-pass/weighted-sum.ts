import { call, exercise, expectValue, randomCases } from "../../grader/engine/spec";
import { normal } from "../../grader/engine/rng";

export default exercise({
  id: "weighted-sum",
  title: "Weighted sum z = w·aPrev + b",
  points: 1,
  defines: ["weightedSum"],
  hints: [
    "Multiply the weight by the previous activation, then add the bias.",
    "Check the order of the parameters: weightedSum(w, aPrev, b). The notes' example gives 0.5 * 0.25 + 1 = 1.125.",
  ],
  checks: [
    expectValue(call("weightedSum", 0.5, 0.25, 1), 1.125, { label: "weightedSum(0.5, 0.25, 1), the notes' example" }),
    expectValue(call("weightedSum", 2, 0, -3), -3),
    randomCases("weightedSum", {
      count: 60,
      args: (rng) => [normal(rng) * 3, rng(), normal(rng) * 3],
      edge: [[0, 0, 0], [1, 1, 0], [0, 1, 1], [-1, 0.5, 0.5], [1e6, 1e-6, 0]],
    }),
  ],
  mutants: {
    "adds instead of multiplies": "function weightedSum(w: number, aPrev: number, b: number): number {\n  return w + aPrev + b;\n}",
    "forgets the bias": "function weightedSum(w: number, aPrev: number, b: number): number {\n  return w * aPrev;\n}",
    "multiplies the bias in": "function weightedSum(w: number, aPrev: number, b: number): number {\n  return w * (aPrev + b);\n}",
    "subtracts the bias instead of adding it": "function weightedSum(w: number, aPrev: number, b: number): number {\n  return w * aPrev - b;\n}",
    "the weight multiplies the bias, not the activation: w·b + a": "function weightedSum(w: number, aPrev: number, b: number): number {\n  return w * b + aPrev;\n}",
  },
});
