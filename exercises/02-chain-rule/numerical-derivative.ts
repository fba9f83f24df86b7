import { call, exercise, expectValue, matchesReference, randomCases, FnArg, normal, uniform } from "../../grader/engine/authoring";

const cube = new FnArg("(x) => x ** 3", "x => x ** 3");
const sin = new FnArg("Math.sin", "Math.sin");
const sigma = new FnArg("(z) => 1 / (1 + Math.exp(-z))", "σ");
/** Not odd around 0, as x³, sin and σ − ½ are: there a one-sided difference is off (by h/2). */
const exp = new FnArg("Math.exp", "Math.exp");
const ND = (expr: string, h = "1e-5") => `function numericalDerivative(f: (x: number) => number, x: number, h = ${h}): number {\n  return ${expr};\n}`;
const loose = { rel: 1e-6, abs: 1e-9 }; // against the true derivative: a centred difference is exact to ~1e-10

export default exercise({
  id: "numerical-derivative",
  title: "A numeric derivative by centred differences",
  points: 2,
  defines: ["numericalDerivative"],
  hints: [
    "Nudge x both ways: (f(x + h) − f(x − h)) / (2h), with h = 1e-5 when the caller gives none.",
    "The centred difference is (f(x + h) − f(x − h)) / (2h). For f = x => x ** 3 at x = 2 with h = 1e-3: (8.012006001 − 7.988005999) / 0.002 = 12.000001, close to the true slope 3x² = 12.",
  ],
  checks: [
    expectValue(call("numericalDerivative", cube, 2), 12, { tol: loose, label: "numericalDerivative(x => x ** 3, 2) ≈ 12" }),
    expectValue(call("numericalDerivative", sin, 1), Math.cos(1), { tol: loose, label: "numericalDerivative(Math.sin, 1) ≈ cos(1)" }),
    expectValue(call("numericalDerivative", sigma, 0), 0.25, { tol: loose, label: "numericalDerivative(σ, 0) ≈ 0.25" }),
    matchesReference(call("numericalDerivative", cube, 2, 1e-3), { label: "numericalDerivative(x => x ** 3, 2, 1e-3): the centred difference for h = 1e-3" }),
    matchesReference(call("numericalDerivative", exp, 0, 1e-3), { label: "numericalDerivative(Math.exp, 0, 1e-3): the centred difference at x = 0 too" }),
    randomCases("numericalDerivative", {
      count: 50,
      args: (rng) => {
        const f = [cube, sin, sigma][Math.floor(rng() * 3)];
        return rng() < 0.5 ? [f, normal(rng) * 2] : [f, normal(rng) * 2, uniform(rng, 1e-4, 1e-2)];
      },
      hidden: 5,
    }),
    // Another f at a point an earlier check nudged around (Math.sin at 1): a value of f kept by x
    // alone, from one call to the next, gives sin's slope again.
    expectValue(call("numericalDerivative", exp, 1), Math.E, { tol: loose, label: "numericalDerivative(Math.exp, 1) ≈ e, after Math.sin at 1: another function at the same x" }),
  ],
  mutants: {
    "one-sided difference": ND("(f(x + h) - f(x)) / h"),
    "divides by h instead of 2h": ND("(f(x + h) - f(x - h)) / h"),
    "the one-sided difference divided by 2h": ND("(f(x + h) - f(x)) / (2 * h)"),
    "the sign is flipped: (f(x − h) − f(x + h)) / 2h": ND("(f(x - h) - f(x + h)) / (2 * h)"),
    "the default h is 1e-1 instead of 1e-5: too big a nudge": ND("(f(x + h) - f(x - h)) / (2 * h)", "1e-1"),
    "precedence: … / 2 * h divides by 2 and then multiplies by h; bracket the denominator: / (2 * h)": ND("(f(x + h) - f(x - h)) / 2 * h"),
    "nudges by 1e-5 whatever h is passed: on every h tried, the answer is the one h = 1e-5 gives": "function numericalDerivative(f: (x: number) => number, x: number, h = 1e-5): number {\n  const step = 1e-5;\n  return (f(x + step) - f(x - step)) / (2 * step);\n}",
    "nudges around 0 instead of x: (f(h) − f(−h)) / 2h is the slope at 0": ND("(f(h) - f(-h)) / (2 * h)"),
    "h has no default: called with two arguments, h is undefined and the result NaN": "function numericalDerivative(f: (x: number) => number, x: number, h: number): number {\n  return (f(x + h) - f(x - h)) / (2 * h);\n}",
  },
  mistakeHints: {
    "one-sided difference": "Nudge both ways: (f(x + h) − f(x − h)) / (2h). The one-sided (f(x + h) − f(x)) / h measures the slope half a step to the right of x, so its error shrinks only like h; the centred one's shrinks like h².",
    "divides by h instead of 2h": "From x − h to x + h is a distance of 2h: divide by (2 * h), or the slope comes out twice too big.",
    "the one-sided difference divided by 2h": "Two changes are needed together: nudge both ways, f(x + h) − f(x − h), and divide by the distance between those points, 2h.",
    "the sign is flipped: (f(x − h) − f(x + h)) / 2h": "A slope is rise over run from left to right: (f(x + h) − f(x − h)) / (2h). Swapping the two values flips the sign.",
    "the default h is 1e-1 instead of 1e-5: too big a nudge": "Use h = 1e-5 as the default. With 0.1 the nudge is so wide that the curve bends in between: for x³ at 2 the answer is 12.01 instead of 12.",
    "precedence: … / 2 * h divides by 2 and then multiplies by h; bracket the denominator: / (2 * h)": "a / 2 * h is (a / 2) · h, because / and * go left to right. Bracket the denominator: (f(x + h) - f(x - h)) / (2 * h).",
    "nudges by 1e-5 whatever h is passed: on every h tried, the answer is the one h = 1e-5 gives": "When the caller passes an h, use it: the parameter h = 1e-5 is only the default. Write the formula with h itself.",
    "h has no default: called with two arguments, h is undefined and the result NaN": "Give h a default in the parameter list, h = 1e-5: a caller may leave it out, and then x + undefined is NaN.",
    "nudges around 0 instead of x: (f(h) − f(−h)) / 2h is the slope at 0": "The slope is wanted at x, so nudge x: f(x + h) and f(x − h). f(h) and f(−h) measure the slope at 0.",
  },
});
