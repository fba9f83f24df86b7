import { slopeCheck } from "../../grader/engine/gradcheck";
import { call, exercise, expectValue, randomCases } from "../../grader/engine/spec";
import { normal } from "../../grader/engine/rng";

export default exercise({
  id: "tanh",
  title: "tanh and its slope tanh′(z) = 1 − tanh²(z)",
  points: 2,
  defines: ["tanh", "tanhPrime"],
  hints: [
    "tanh squashes z into (−1, 1); TypeScript has it as Math.tanh. Its slope is written with itself: 1 − tanh(z)².",
    "Building tanh from Math.exp as (e^z − e^−z)/(e^z + e^−z) gives Infinity/Infinity = NaN for large |z|: use Math.tanh, or 2σ(2z) − 1. The slope is 1 − tanh², not 1 − tanh.",
  ],
  checks: [
    expectValue(call("tanh", 0), 0),
    expectValue(call("tanh", 1000), 1, { label: "tanh(1000) is 1, not NaN" }),
    expectValue(call("tanh", -1000), -1, { label: "tanh(-1000) is -1, not NaN" }),
    expectValue(call("tanhPrime", 0), 1),
    expectValue(call("tanhPrime", 1000), 0, { label: "tanhPrime(1000) is 0, not NaN" }),
    // The slope must match a measured nudge of tanh itself (Math.tanh, trusted).
    slopeCheck("tanhPrime", Math.tanh, "tanh", 10, (rng) => normal(rng) * 2),
    randomCases("tanh", { count: 50, args: (rng) => [normal(rng) * 3], edge: [[-0], [1e-9], [20], [-20], [400], [-400]], hidden: 5 }),
    randomCases("tanhPrime", { count: 50, args: (rng) => [normal(rng) * 3], edge: [[1e-9], [20], [-20]], hidden: 5 }),
  ],
  mutants: {
    "tanh from exp: NaN for large z": "function tanh(z: number): number {\n  return (Math.exp(z) - Math.exp(-z)) / (Math.exp(z) + Math.exp(-z));\n}\nfunction tanhPrime(z: number): number {\n  return 1 - Math.tanh(z) ** 2;\n}",
    "slope 1 − tanh(z), without the square": "function tanh(z: number): number {\n  return Math.tanh(z);\n}\nfunction tanhPrime(z: number): number {\n  return 1 - Math.tanh(z);\n}",
    "the sigmoid's slope formula": "function tanh(z: number): number {\n  return Math.tanh(z);\n}\nfunction tanhPrime(z: number): number {\n  return Math.tanh(z) * (1 - Math.tanh(z));\n}",
    "the slope 1 + tanh²(z): a plus where the formula has a minus": "function tanh(z: number): number {\n  return Math.tanh(z);\n}\nfunction tanhPrime(z: number): number {\n  const t = Math.tanh(z);\n  return 1 + t * t;\n}",
  },
});
