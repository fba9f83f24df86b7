import { slopeCheck, call, exercise, expectValue, randomCases, normal, sigma } from "../../grader/engine/authoring";

const SP = (body: string) => `function sigmoidPrime(z: number): number {\n${body}\n}`;

export default exercise({
  id: "sigmoid-prime",
  title: "σ′(z), the slope of the sigmoid",
  points: 2,
  defines: ["sigmoidPrime"],
  hints: [
    "The sigmoid's derivative can be written with the sigmoid itself: σ′(z) = σ(z)·(1 − σ(z)).",
    "Compute s = sigmoid(z) once and return s·(1 − s). σ′(0) = 0.5 · 0.5 = 0.25 is the largest slope; it falls towards 0 on both sides, and σ′(±1000) = 0.",
  ],
  mistakeHints: {
    "σ(z)·(1 + σ(z)): a plus where the formula has a minus": "The slope is σ(z)·(1 − σ(z)): a minus, so it is 0.25 at z = 0 and falls to 0 on both sides.",
    "written with e^(−z), which overflows to Infinity for z = −1000: NaN there (Infinity/Infinity, or Infinity · 0)": "Use σ(z)·(1 − σ(z)), which needs no e^(−z): for z = −1000, e^(−z) is Infinity, and Infinity/Infinity or Infinity · 0 is NaN, while σ(−1000) = 0 is an ordinary number.",
    "σ(z)·(1 − z): 1 − z where 1 − σ(z) belongs": "Both factors use σ(z): σ(z)·(1 − σ(z)).",
    "σ′ computed from a = σ(z) instead of z: the sigmoid applied twice": "sigmoidPrime receives z, the weighted sum: compute s = sigmoid(z) once and return s·(1 − s); do not apply the sigmoid to it again.",
    "z(1 − z): the formula applied to z instead of to σ(z)": "σ′(z) = σ(z)·(1 − σ(z)): apply the sigmoid first, s = sigmoid(z), then return s·(1 − s).",
    "precedence: s * 1 - s is (s · 1) − s = 0, not s·(1 − s)": "* binds tighter than -, so s * 1 - s is s − s, always 0. Bracket the second factor: s * (1 - s).",
    "`^` is XOR in TypeScript, not a power: s - s ^ 2 is not s − s²": "In TypeScript `^` is bitwise XOR: it cuts the numbers to whole integers and mixes their bits. Write s - s ** 2, or simply s * (1 - s).",
    "1 − σ(z)²: the slope formula of tanh, not of the sigmoid": "1 − t² is the slope of tanh (with t = tanh(z)). The sigmoid's slope is σ(z)·(1 − σ(z)).",
  },
  checks: [
    expectValue(call("sigmoidPrime", 0), 0.25, { label: "sigmoidPrime(0) = 0.25" }),
    expectValue(call("sigmoidPrime", 1000), 0, { label: "sigmoidPrime(1000) is 0, not NaN" }),
    expectValue(call("sigmoidPrime", -1000), 0, { label: "sigmoidPrime(-1000) is 0, not NaN" }),
    // The numeric-gradient check: σ′ must match the slope of σ measured by a nudge.
    slopeCheck("sigmoidPrime", sigma, "σ", 10, (rng) => normal(rng) * 4),
    randomCases("sigmoidPrime", { count: 60, args: (rng) => [normal(rng) * 6], edge: [[1], [-1], [22], [-25], [30], [-30], [700], [-700]], hidden: 5 }),
  ],
  mutants: {
    "σ(z)·(1 + σ(z)): a plus where the formula has a minus": SP("  return sigmoid(z) * (1 + sigmoid(z));"),
    "written with e^(−z), which overflows to Infinity for z = −1000: NaN there (Infinity/Infinity, or Infinity · 0)": SP("  return Math.exp(-z) / (1 + Math.exp(-z)) ** 2;"),
    "σ(z)·(1 − z): 1 − z where 1 − σ(z) belongs": SP("  return sigmoid(z) * (1 - z);"),
    "σ′ computed from a = σ(z) instead of z: the sigmoid applied twice": SP("  const a = sigmoid(z);\n  return sigmoid(a) * (1 - sigmoid(a));"),
    "z(1 − z): the formula applied to z instead of to σ(z)": SP("  return z * (1 - z);"),
    "precedence: s * 1 - s is (s · 1) − s = 0, not s·(1 − s)": SP("  const s = sigmoid(z);\n  return s * 1 - s;"),
    "`^` is XOR in TypeScript, not a power: s - s ^ 2 is not s − s²": SP("  const s = sigmoid(z);\n  return s - s ^ 2;"),
    "1 − σ(z)²: the slope formula of tanh, not of the sigmoid": SP("  const s = sigmoid(z);\n  return 1 - s * s;"),
  },
});
