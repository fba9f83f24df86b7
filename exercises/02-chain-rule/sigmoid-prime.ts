import { centredDifference, gradientAgrees, relativeError } from "../../grader/engine/gradcheck";
import { call, exercise, expectValue, randomCases, relation } from "../../grader/engine/spec";
import { show } from "../../grader/engine/show";
import { normal } from "../../grader/lab/rng";

const sigma = (z: number) => 1 / (1 + Math.exp(-z));

export default exercise({
  id: "sigmoid-prime",
  title: "σ′(z), the slope of the sigmoid",
  points: 2,
  defines: ["sigmoidPrime"],
  hints: [
    "The sigmoid's derivative can be written with the sigmoid itself: σ′(z) = σ(z)·(1 − σ(z)).",
    "Use σ(z)·(1 − σ(z)) rather than e^(−z)/(1 + e^(−z))²: for z = −1000 the latter is Infinity/Infinity = NaN.",
  ],
  checks: [
    expectValue(call("sigmoidPrime", 0), 0.25, { label: "sigmoidPrime(0) = 0.25" }),
    expectValue(call("sigmoidPrime", 1000), 0, { label: "sigmoidPrime(1000) is 0, not NaN" }),
    expectValue(call("sigmoidPrime", -1000), 0, { label: "sigmoidPrime(-1000) is 0, not NaN" }),
    {
      // The numeric-gradient check: σ′ must match the slope of σ measured by a nudge.
      expand: (rng) =>
        Array.from({ length: 10 }, () => normal(rng) * 4).map((z) =>
          relation(`sigmoidPrime(${show(z)}) ≈ (σ(z+h) − σ(z−h)) / 2h`, [call("sigmoidPrime", z)], ([got]) => {
            const numeric = centredDifference(sigma, z)!;
            if (typeof got === "number" && gradientAgrees(got, numeric)) return null;
            return {
              expected: `≈ ${show(numeric)} (numeric slope of σ)`,
              actual: typeof got === "number" ? `${show(got)}, relative error ${relativeError(got, numeric).toExponential(1)}` : show(got),
            };
          }),
        ),
    },
    randomCases("sigmoidPrime", { count: 60, args: (rng) => [normal(rng) * 6], edge: [[1], [-1], [30], [-30], [700], [-700]], hidden: 5 }),
  ],
  mutants: {
    "σ(z)·(1 + σ(z))": "function sigmoidPrime(z: number): number {\n  return sigmoid(z) * (1 + sigmoid(z));\n}",
    "e^(−z)/(1 + e^(−z))²: NaN for z = −1000": "function sigmoidPrime(z: number): number {\n  return Math.exp(-z) / (1 + Math.exp(-z)) ** 2;\n}",
    "σ(z)·(1 − z)": "function sigmoidPrime(z: number): number {\n  return sigmoid(z) * (1 - z);\n}",
  },
});
