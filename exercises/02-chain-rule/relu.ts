import { call, exercise, expectValue, randomCases, normal } from "../../grader/engine/authoring";

export default exercise({
  id: "relu",
  title: "ReLU(z) = max(0, z)",
  points: 1,
  defines: ["relu"],
  hints: [
    "ReLU lets positive numbers through unchanged and turns negative ones into 0.",
    "ReLU(z) = max(0, z), which Math.max(0, z) computes in one call: relu(2.5) = 2.5, relu(−3) = 0 and relu(0) = 0.",
  ],
  checks: [
    expectValue(call("relu", 2.5), 2.5),
    expectValue(call("relu", -3), 0),
    expectValue(call("relu", 0), 0),
    expectValue(call("relu", -0), 0, { label: "relu(-0) is 0" }),
    randomCases("relu", { count: 60, args: (rng) => [normal(rng) * 5], edge: [[1e-12], [-1e-12], [1e-6], [0.001], [1e300], [-1e300]], hidden: 5 }),
  ],
  mutants: {
    "the absolute value: negative z comes out positive instead of 0": "function relu(z: number): number {\n  return Math.abs(z);\n}",
    "leaky ReLU: a small slope (0.01·z) for negative z instead of 0": "function relu(z: number): number {\n  return z > 0 ? z : 0.01 * z;\n}",
    "Math.min instead of Math.max: keeps the negative part": "function relu(z: number): number {\n  return Math.min(0, z);\n}",
    "the slope (1 for positive z) instead of the value": "function relu(z: number): number {\n  return z > 0 ? 1 : 0;\n}",
    "no return for z ≤ 0: `if (z > 0) return z;` alone gives undefined, not 0": "function relu(z: number) {\n  if (z > 0) return z;\n}",
    "z > 0 && z gives false, not the number 0, for z ≤ 0": "function relu(z: number) {\n  return z > 0 && z;\n}",
    "capped at 1 like the sigmoid: ReLU has no upper limit": "function relu(z: number): number {\n  return Math.min(1, Math.max(0, z));\n}",
  },
  mistakeHints: {
    "the absolute value: negative z comes out positive instead of 0": "ReLU does not flip negative numbers, it cuts them off: every z below 0 gives 0. Math.max(0, z) does exactly that.",
    "leaky ReLU: a small slope (0.01·z) for negative z instead of 0": "That is the leaky ReLU, a variant. Plain ReLU gives exactly 0 for every negative z: Math.max(0, z).",
    "Math.min instead of Math.max: keeps the negative part": "Math.min(0, z) keeps the smaller of the two, the negative part. ReLU keeps the larger: Math.max(0, z).",
    "the slope (1 for positive z) instead of the value": "That is ReLU′, the next exercise. ReLU itself passes positive z through unchanged: relu(2.5) = 2.5.",
    "no return for z ≤ 0: `if (z > 0) return z;` alone gives undefined, not 0": "A function that reaches its end without a return gives undefined. Add return 0 for the other case, or write the whole thing as Math.max(0, z).",
    "z > 0 && z gives false, not the number 0, for z ≤ 0": "a && b gives a itself when a is false, so z > 0 && z is false (a boolean) for z ≤ 0. Return a number in both cases: z > 0 ? z : 0, or Math.max(0, z).",
    "capped at 1 like the sigmoid: ReLU has no upper limit": "Unlike the sigmoid, ReLU never squashes: every positive z comes out unchanged, however large (relu(1e300) = 1e300). Math.max(0, z) is all it takes.",
  },
});
