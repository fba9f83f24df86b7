import { slopeCheck } from "../../grader/engine/gradcheck";
import { call, exercise, expectValue, randomCases } from "../../grader/engine/spec";
import { normal } from "../../grader/engine/rng";
import { sigma } from "../../grader/engine/network";


export default exercise({
  id: "sigmoid-prime",
  title: "σ′(z), the slope of the sigmoid",
  points: 2,
  defines: ["sigmoidPrime"],
  hints: [
    "The sigmoid's derivative can be written with the sigmoid itself: σ′(z) = σ(z)·(1 − σ(z)).",
    "Compute s = σ(z) once and return s·(1 − s): both factors use σ(z), not z.",
  ],
  mistakeHints: {
    "e^(−z)/(1 + e^(−z))² computed directly: Infinity/Infinity = NaN for z = −1000": "Use σ(z)·(1 − σ(z)) rather than e^(−z)/(1 + e^(−z))²: for z = −1000 the latter is Infinity/Infinity = NaN.",
    "σ′ computed from a = σ(z) instead of z: the sigmoid applied twice": "sigmoidPrime receives z, the weighted sum: compute s = sigmoid(z) once and return s·(1 − s); do not apply the sigmoid to it again.",
    "z(1 − z): the formula applied to z instead of to σ(z)": "σ′(z) = σ(z)·(1 − σ(z)): apply the sigmoid first, s = sigmoid(z), then return s·(1 − s).",
    "σ(z)·(1 − z): 1 − z where 1 − σ(z) belongs": "Both factors use σ(z): σ(z)·(1 − σ(z)).",
    "σ(z)·(1 + σ(z)): a plus where the formula has a minus": "The slope is σ(z)·(1 − σ(z)): a minus, so it is 0.25 at z = 0 and falls to 0 on both sides.",
  },
  checks: [
    expectValue(call("sigmoidPrime", 0), 0.25, { label: "sigmoidPrime(0) = 0.25" }),
    expectValue(call("sigmoidPrime", 1000), 0, { label: "sigmoidPrime(1000) is 0, not NaN" }),
    expectValue(call("sigmoidPrime", -1000), 0, { label: "sigmoidPrime(-1000) is 0, not NaN" }),
    // The numeric-gradient check: σ′ must match the slope of σ measured by a nudge.
    slopeCheck("sigmoidPrime", sigma, "σ", 10, (rng) => normal(rng) * 4),
    randomCases("sigmoidPrime", { count: 60, args: (rng) => [normal(rng) * 6], edge: [[1], [-1], [30], [-30], [700], [-700]], hidden: 5 }),
  ],
  mutants: {
    "σ(z)·(1 + σ(z)): a plus where the formula has a minus": "function sigmoidPrime(z: number): number {\n  return sigmoid(z) * (1 + sigmoid(z));\n}",
    "e^(−z)/(1 + e^(−z))² computed directly: Infinity/Infinity = NaN for z = −1000": "function sigmoidPrime(z: number): number {\n  return Math.exp(-z) / (1 + Math.exp(-z)) ** 2;\n}",
    "σ(z)·(1 − z): 1 − z where 1 − σ(z) belongs": "function sigmoidPrime(z: number): number {\n  return sigmoid(z) * (1 - z);\n}",
    "σ′ computed from a = σ(z) instead of z: the sigmoid applied twice": "function sigmoidPrime(z: number): number {\n  const a = sigmoid(z);\n  return sigmoid(a) * (1 - sigmoid(a));\n}",
    "z(1 − z): the formula applied to z instead of to σ(z)": "function sigmoidPrime(z: number): number {\n  return z * (1 - z);\n}",
  },
});
