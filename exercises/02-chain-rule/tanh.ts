import { slopeCheck, call, exercise, expectValue, randomCases, normal } from "../../grader/engine/authoring";

const TANH = "function tanh(z: number): number {\n  return Math.tanh(z);\n}";
const PRIME = "function tanhPrime(z: number): number {\n  return 1 - Math.tanh(z) ** 2;\n}";
const withPrime = (expr: string) => `${TANH}\nfunction tanhPrime(z: number): number {\n  return ${expr};\n}`;

export default exercise({
  id: "tanh",
  title: "tanh and its slope tanh′(z) = 1 − tanh²(z)",
  points: 2,
  defines: ["tanh", "tanhPrime"],
  hints: [
    "tanh squashes z into (−1, 1); TypeScript has it as Math.tanh. Its slope is written with itself: 1 − tanh(z)².",
    "tanh(z) = Math.tanh(z) and tanhPrime(z) = 1 − t² with t = tanh(z). tanh(0) = 0 and tanhPrime(0) = 1; tanh(1) ≈ 0.7616 and tanhPrime(1) ≈ 0.4200; for large |z|, tanh is ±1 and its slope 0.",
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
    "tanh from exp: NaN for large z": `function tanh(z: number): number {\n  return (Math.exp(z) - Math.exp(-z)) / (Math.exp(z) + Math.exp(-z));\n}\n${PRIME}`,
    "slope 1 − tanh(z), without the square": withPrime("1 - Math.tanh(z)"),
    "the sigmoid's slope formula": withPrime("Math.tanh(z) * (1 - Math.tanh(z))"),
    "the slope 1 + tanh²(z): a plus where the formula has a minus": `${TANH}\nfunction tanhPrime(z: number): number {\n  const t = Math.tanh(z);\n  return 1 + t * t;\n}`,
    "`^` is XOR in TypeScript, not a power: 1 - t ^ 2 is not 1 − t²": `${TANH}\nfunction tanhPrime(z: number): number {\n  const t = Math.tanh(z);\n  return 1 - t ^ 2;\n}`,
    "tanh(z²) instead of tanh(z)²: tanh²(z) means (tanh z)²": withPrime("1 - Math.tanh(z ** 2)"),
    "1 − z² instead of 1 − tanh(z)²: the formula needs tanh(z), not z": withPrime("1 - z ** 2"),
    "2σ(z) − 1 instead of 2σ(2z) − 1: that is tanh(z/2)": `function tanh(z: number): number {\n  return 2 * sigmoid(z) - 1;\n}\n${PRIME}`,
  },
  mistakeHints: {
    "tanh from exp: NaN for large z": "For z = 1000, Math.exp(1000) is Infinity and (e^z − e^−z)/(e^z + e^−z) becomes Infinity/Infinity = NaN. Use Math.tanh(z), or 2σ(2z) − 1, which never divide two huge numbers.",
    "slope 1 − tanh(z), without the square": "The slope is 1 − tanh(z)², with the square: t = Math.tanh(z), then 1 - t * t. Without it the slope would be 2 at z = −1000, where tanh is flat.",
    "the sigmoid's slope formula": "t·(1 − t) is the sigmoid's slope formula. tanh's slope is 1 − t² with t = tanh(z): 1 at z = 0.",
    "the slope 1 + tanh²(z): a plus where the formula has a minus": "The slope is 1 − tanh(z)², with a minus: it is 1 at z = 0 and falls to 0 as tanh flattens out at ±1.",
    "`^` is XOR in TypeScript, not a power: 1 - t ^ 2 is not 1 − t²": "In TypeScript `^` is bitwise XOR: it cuts the numbers to whole integers and mixes their bits. Square with t ** 2 or t * t: 1 - t * t.",
    "tanh(z²) instead of tanh(z)²: tanh²(z) means (tanh z)²": "tanh²(z) is shorthand for (tanh(z))²: take tanh first, then square, Math.tanh(z) ** 2. Math.tanh(z ** 2) squares z before taking tanh.",
    "1 − z² instead of 1 − tanh(z)²: the formula needs tanh(z), not z": "The slope is written with tanh itself: t = Math.tanh(z), then 1 - t * t. 1 − z² goes negative as soon as |z| > 1, but a rising curve never has a negative slope.",
    "2σ(z) − 1 instead of 2σ(2z) − 1: that is tanh(z/2)": "tanh(z) = 2σ(2z) − 1: the sigmoid is taken at 2z. 2σ(z) − 1 is tanh(z/2), a flatter curve. Math.tanh(z) is simplest.",
  },
});
