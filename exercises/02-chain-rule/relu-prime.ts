import { call, exercise, expectValue, randomCases, normal } from "../../grader/engine/authoring";

export default exercise({
  id: "relu-prime",
  title: "ReLU′(z): 1 for positive z, 0 otherwise",
  points: 1,
  defines: ["reluPrime"],
  hints: [
    "ReLU's slope is 1 where z > 0 and 0 where z < 0. At exactly 0 it has no slope; we choose 0.",
    "reluPrime(z) = 1 for z > 0 and 0 for z ≤ 0: reluPrime(3) = 1, reluPrime(−3) = 0 and reluPrime(0) = 0.",
  ],
  checks: [
    expectValue(call("reluPrime", 3), 1),
    expectValue(call("reluPrime", -3), 0),
    expectValue(call("reluPrime", 0), 0, { label: "reluPrime(0) = 0 (our choice at the kink)" }),
    expectValue(call("reluPrime", -0), 0, { label: "reluPrime(-0) = 0" }),
    randomCases("reluPrime", { count: 60, args: (rng) => [normal(rng) * 5], edge: [[1e-12], [-1e-12]], hidden: 5 }),
  ],
  mutants: {
    "slope 1 at z = 0": "function reluPrime(z: number): number {\n  return z >= 0 ? 1 : 0;\n}",
    "returns a boolean": "function reluPrime(z: number): number {\n  return (z > 0) as unknown as number;\n}",
    "ReLU itself (z for positive z) instead of its slope": "function reluPrime(z: number): number {\n  return Math.max(0, z);\n}",
    "the slope is 1 for negative z and 0 for positive z": "function reluPrime(z: number): number {\n  return z < 0 ? 1 : 0;\n}",
    "the sign of z (Math.sign(z), or z / |z|): −1 for negative z, where the slope is 0": "function reluPrime(z: number): number {\n  return Math.sign(z);\n}",
    "no return for z ≤ 0: `if (z > 0) return 1;` alone gives undefined, not 0": "function reluPrime(z: number) {\n  if (z > 0) return 1;\n}",
  },
  mistakeHints: {
    "slope 1 at z = 0": "At z = 0 ReLU has a kink and no slope of its own; this course chooses 0 there. Test z > 0, not z >= 0.",
    "returns a boolean": "z > 0 is true or false, a boolean; the slope is a number that later gets multiplied. Return 1 or 0: z > 0 ? 1 : 0.",
    "ReLU itself (z for positive z) instead of its slope": "ReLU rises by exactly 1 for every 1 that z goes up, so its slope is 1 for every positive z, not z itself.",
    "the slope is 1 for negative z and 0 for positive z": "ReLU is flat (0) on the negative side and rises with slope 1 on the positive side: 1 for z > 0, 0 otherwise.",
    "the sign of z (Math.sign(z), or z / |z|): −1 for negative z, where the slope is 0": "Math.sign is the slope of |z|, which falls on the negative side. ReLU is flat there: its slope is 0 for z ≤ 0, and 1 for z > 0.",
    "no return for z ≤ 0: `if (z > 0) return 1;` alone gives undefined, not 0": "A function that reaches its end without a return gives undefined. Add return 0 for the other case: z > 0 ? 1 : 0.",
  },
});
