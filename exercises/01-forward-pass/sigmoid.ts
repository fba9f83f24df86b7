import { call, exercise, expectValue, randomCases, relation, closeEnough, DEFAULT_TOLERANCE, show, normal, uniform } from "../../grader/engine/authoring";

const SIG = (expr: string) => `function sigmoid(z: number): number {\n  return ${expr};\n}`;

export default exercise({
  id: "sigmoid",
  title: "Sigmoid σ(z) = 1 / (1 + e^(−z))",
  points: 2,
  defines: ["sigmoid"],
  hints: [
    "σ(z) = 1 / (1 + e^(−z)); in TypeScript e^x is Math.exp(x).",
    "σ(z) = 1 / (1 + e^(−z)) grows from 0 (very negative z) through σ(0) = 0.5 to 1 (very positive z): σ(2) ≈ 0.8808, σ(1000) = 1 and σ(−1000) = 0.",
  ],
  checks: [
    expectValue(call("sigmoid", 0), 0.5),
    expectValue(call("sigmoid", 1000), 1, { label: "sigmoid(1000) is 1, not NaN" }),
    expectValue(call("sigmoid", -1000), 0, { label: "sigmoid(-1000) is 0, not NaN" }),
    {
      expand: (rng) =>
        [0.5, 1, 2, 4.5, ...Array.from({ length: 4 }, () => uniform(rng, 0, 8))].map((z) =>
          relation(`sigmoid(${show(-z)}) = 1 − sigmoid(${show(z)})`, [call("sigmoid", -z), call("sigmoid", z)], ([neg, pos]) => {
            if (typeof neg !== "number" || typeof pos !== "number") return { expected: "two numbers", actual: `${show(neg)} and ${show(pos)}` };
            return closeEnough(neg, 1 - pos, DEFAULT_TOLERANCE)
              ? null
              : { expected: `${show(1 - pos)} (1 − ${show(pos)})`, actual: show(neg), why: "σ is symmetric about (0, ½): σ(−z) = 1 − σ(z)" };
          }),
        ),
    },
    randomCases("sigmoid", {
      count: 60,
      args: (rng) => [normal(rng) * 6],
      // Saturation at every depth (−27 to 20.5): a shortcut that returns 0 or 1 beyond some |z| is
      // off by more than the tolerance there (σ(−27) ≈ 1.9e-12; 1 − σ(20.5) ≈ 1.3e-9).
      edge: [[-0], [1e-9], [-1e-9], [1], [-1], [12], [16], [20.5], [-12], [-16], [-19.5], [-22], [-25], [-27], [30], [-30], [700], [-700], [745], [-745]],
      hidden: 5,
    }),
  ],
  mutants: {
    "gives σ(−z) = 1 − σ(z), the mirror image of σ(z): the sign of z is flipped somewhere (exp(z) where exp(−z) belongs, or e^(−z) on top of the fraction)": SIG("1 / (1 + Math.exp(z))"),
    "forgets the 1 + in the denominator": SIG("1 / Math.exp(-z)"),
    "e^z / (1 + e^z) without care: NaN for large z": SIG("Math.exp(z) / (1 + Math.exp(z))"),
    "a minus in the denominator: 1/(1 − e^(−z))": SIG("1 / (1 - Math.exp(-z))"),
    "tanh instead of the sigmoid": SIG("Math.tanh(z)"),
    "precedence: 1 / 1 + Math.exp(-z) is (1 / 1) + e^(−z), not 1 / (1 + e^(−z))": SIG("1 / 1 + Math.exp(-z)"),
    "`^` is XOR in TypeScript, not a power: e ^ -z is not e^(−z)": "function sigmoid(z: number): number {\n  const e = 2.718281828459045;\n  return 1 / (1 + e ^ -z);\n}",
    "Math.log where Math.exp belongs: ln(−z) instead of e^(−z)": SIG("1 / (1 + Math.log(-z))"),
    "rounds the result with toFixed: Number(σ.toFixed(4)) loses the digits the grader compares": SIG("Number((1 / (1 + Math.exp(-z))).toFixed(4))"),
  },
  mistakeHints: {
    "gives σ(−z) = 1 − σ(z), the mirror image of σ(z): the sign of z is flipped somewhere (exp(z) where exp(−z) belongs, or e^(−z) on top of the fraction)": "The exponent is −z: 1 / (1 + Math.exp(-z)). With +z the curve is mirrored, so σ would fall as z grows instead of rising.",
    "forgets the 1 + in the denominator": "The denominator is 1 + e^(−z), not e^(−z) alone: the 1 + is what keeps σ between 0 and 1 (1 / e^(−z) is just e^z, which grows without limit).",
    "e^z / (1 + e^z) without care: NaN for large z": "For z = 1000, Math.exp(1000) is Infinity and Infinity / Infinity is NaN. Write 1 / (1 + Math.exp(-z)) instead: there a huge e^(−z) only gives 1 / Infinity = 0, which is the right limit.",
    "a minus in the denominator: 1/(1 − e^(−z))": "The denominator is 1 + e^(−z), with a plus. With a minus it becomes 0 at z = 0 and the result blows up instead of giving σ(0) = 0.5.",
    "tanh instead of the sigmoid": "tanh squashes into (−1, 1), the sigmoid into (0, 1): σ(z) = 1 / (1 + Math.exp(-z)), so σ(0) = 0.5, not 0.",
    "precedence: 1 / 1 + Math.exp(-z) is (1 / 1) + e^(−z), not 1 / (1 + e^(−z))": "Division binds tighter than addition, so 1 / 1 + Math.exp(-z) divides first and then adds. Bracket the whole denominator: 1 / (1 + Math.exp(-z)).",
    "`^` is XOR in TypeScript, not a power: e ^ -z is not e^(−z)": "In TypeScript `^` is bitwise XOR: it cuts both numbers to whole integers and mixes their bits. Write the power as Math.exp(-z) (or e ** -z).",
    "Math.log where Math.exp belongs: ln(−z) instead of e^(−z)": "Math.log is the natural logarithm; e^x is Math.exp(x). The sigmoid is 1 / (1 + Math.exp(-z)).",
    "rounds the result with toFixed: Number(σ.toFixed(4)) loses the digits the grader compares": "Return the full-precision value 1 / (1 + Math.exp(-z)). Round only what you print (console.log(s.toFixed(4))): the later exercises need every digit.",
  },
});
