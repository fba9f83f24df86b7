import { call, exercise, expectValue, randomCases, relation } from "../../grader/engine/spec";
import { closeEnough, DEFAULT_TOLERANCE } from "../../grader/engine/tolerance";
import { show } from "../../grader/engine/show";
import { normal, uniform } from "../../grader/engine/rng";

export default exercise({
  id: "sigmoid",
  title: "Sigmoid σ(z) = 1 / (1 + e^(−z))",
  points: 2,
  defines: ["sigmoid"],
  hints: [
    "σ(z) = 1 / (1 + e^(−z)); in TypeScript e^x is Math.exp(x).",
    "Check the sign inside the exponential: it is e^(−z), so σ grows with z. For z = −1000, Math.exp(1000) is Infinity and 1 / (1 + Infinity) is 0: that is fine. Dividing Infinity by Infinity is what gives NaN.",
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
      edge: [[-0], [1e-9], [-1e-9], [1], [-1], [30], [-30], [700], [-700], [745], [-745]],
      hidden: 5,
    }),
  ],
  mutants: {
    "exp(z) instead of exp(−z)": "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(z));\n}",
    "forgets the 1 + in the denominator": "function sigmoid(z: number): number {\n  return 1 / Math.exp(-z);\n}",
    "e^z / (1 + e^z) without care: NaN for large z": "function sigmoid(z: number): number {\n  return Math.exp(z) / (1 + Math.exp(z));\n}",
    "a minus in the denominator: 1/(1 − e^(−z))": "function sigmoid(z: number): number {\n  return 1 / (1 - Math.exp(-z));\n}",
    "tanh instead of the sigmoid": "function sigmoid(z: number): number {\n  return Math.tanh(z);\n}",
  },
});
