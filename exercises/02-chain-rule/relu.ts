import { call, exercise, expectValue, randomCases } from "../../grader/engine/spec";
import { normal } from "../../grader/engine/rng";

export default exercise({
  id: "relu",
  title: "ReLU(z) = max(0, z)",
  points: 1,
  defines: ["relu"],
  hints: ["ReLU lets positive numbers through unchanged and turns negative ones into 0.", "Math.max(0, z) does it in one call; check negative inputs give 0, not −z."],
  checks: [
    expectValue(call("relu", 2.5), 2.5),
    expectValue(call("relu", -3), 0),
    expectValue(call("relu", 0), 0),
    expectValue(call("relu", -0), 0, { label: "relu(-0) is 0" }),
    randomCases("relu", { count: 60, args: (rng) => [normal(rng) * 5], edge: [[1e-12], [-1e-12], [1e300], [-1e300]], hidden: 5 }),
  ],
  mutants: {
    "the absolute value: negative z comes out positive instead of 0": "function relu(z: number): number {\n  return Math.abs(z);\n}",
    "leaky ReLU: a small slope (0.01·z) for negative z instead of 0": "function relu(z: number): number {\n  return z > 0 ? z : 0.01 * z;\n}",
    "Math.min instead of Math.max: keeps the negative part": "function relu(z: number): number {\n  return Math.min(0, z);\n}",
    "the slope (1 for positive z) instead of the value": "function relu(z: number): number {\n  return z > 0 ? 1 : 0;\n}",
  },
});
