import { call, exercise, expectValue, matchesReference, randomCases } from "../../grader/engine/spec";
import { FnArg } from "../../grader/engine/values";
import { normal, uniform } from "../../grader/engine/rng";

const cube = new FnArg("(x) => x ** 3", "x => x ** 3");
const sin = new FnArg("Math.sin", "Math.sin");
const sigma = new FnArg("(z) => 1 / (1 + Math.exp(-z))", "σ");
const loose = { rel: 1e-6, abs: 1e-9 }; // against the true derivative: a centred difference is exact to ~1e-10

export default exercise({
  id: "numerical-derivative",
  title: "A numeric derivative by centred differences",
  points: 2,
  defines: ["numericalDerivative"],
  hints: [
    "Nudge x both ways: (f(x + h) − f(x − h)) / (2h).",
    "A one-sided difference (f(x + h) − f(x)) / h is much less accurate: its error shrinks like h, the centred one's like h². Divide by 2h, and use the default h = 1e-5 when none is given.",
  ],
  checks: [
    expectValue(call("numericalDerivative", cube, 2), 12, { tol: loose, label: "numericalDerivative(x => x ** 3, 2) ≈ 12" }),
    expectValue(call("numericalDerivative", sin, 1), Math.cos(1), { tol: loose, label: "numericalDerivative(Math.sin, 1) ≈ cos(1)" }),
    expectValue(call("numericalDerivative", sigma, 0), 0.25, { tol: loose, label: "numericalDerivative(σ, 0) ≈ 0.25" }),
    matchesReference(call("numericalDerivative", cube, 2, 1e-3), { label: "numericalDerivative(x => x ** 3, 2, 1e-3): the centred difference for h = 1e-3" }),
    randomCases("numericalDerivative", {
      count: 50,
      args: (rng) => {
        const f = [cube, sin, sigma][Math.floor(rng() * 3)];
        return rng() < 0.5 ? [f, normal(rng) * 2] : [f, normal(rng) * 2, uniform(rng, 1e-4, 1e-2)];
      },
      hidden: 5,
    }),
  ],
  mutants: {
    "one-sided difference": "function numericalDerivative(f: (x: number) => number, x: number, h = 1e-5): number {\n  return (f(x + h) - f(x)) / h;\n}",
    "divides by h instead of 2h": "function numericalDerivative(f: (x: number) => number, x: number, h = 1e-5): number {\n  return (f(x + h) - f(x - h)) / h;\n}",
    "the one-sided difference divided by 2h": "function numericalDerivative(f: (x: number) => number, x: number, h = 1e-5): number {\n  return (f(x + h) - f(x)) / (2 * h);\n}",
    "the sign is flipped: (f(x − h) − f(x + h)) / 2h": "function numericalDerivative(f: (x: number) => number, x: number, h = 1e-5): number {\n  return (f(x - h) - f(x + h)) / (2 * h);\n}",
  },
});
