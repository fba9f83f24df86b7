import { call, exercise, expectValue, randomCases } from "../../grader/engine/spec";
import { normal } from "../../grader/engine/rng";

export default exercise({
  id: "relu-prime",
  title: "ReLU′(z): 1 for positive z, 0 otherwise",
  points: 1,
  defines: ["reluPrime"],
  hints: [
    "ReLU's slope is 1 where z > 0 and 0 where z < 0. At exactly 0 it has no slope; we choose 0.",
    "Return a number (1 or 0), not a boolean, and give 0 at z = 0 (z > 0, not z >= 0).",
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
  },
});
