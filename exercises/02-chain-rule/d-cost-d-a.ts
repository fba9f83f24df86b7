import { call, exercise, expectValue, randomCases } from "../../grader/engine/authoring";

const D = (expr: string) => `function dCostDA(a: number, y: number): number {\n  return ${expr};\n}`;

export default exercise({
  id: "d-cost-d-a",
  title: "∂C/∂a: how the cost reacts to the activation",
  points: 1,
  defines: ["dCostDA"],
  hints: [
    "Differentiate C = (a − y)² with respect to a: the power rule brings the 2 down.",
    "∂C/∂a = 2(a − y). For a = 0.75 and y = 1 it is 2 · (−0.25) = −0.5, and it is 0 when a = y.",
  ],
  checks: [
    expectValue(call("dCostDA", 0.75, 1), -0.5),
    expectValue(call("dCostDA", 1, 1), 0),
    randomCases("dCostDA", { count: 60, args: (rng) => [rng(), rng() < 0.5 ? 0 : 1], edge: [[0, 0], [0, 1], [1, 0], [0.5, 0.5]], hidden: 5 }),
  ],
  mutants: {
    "forgets the factor 2": D("a - y"),
    "flips the sign": D("2 * (y - a)"),
    "the cost (a − y)² itself, not its derivative": D("(a - y) ** 2"),
    "y is left out: 2a": D("2 * a"),
    "precedence: 2 * a - y is 2a − y; the 2 multiplies the whole difference": D("2 * a - y"),
    "the power rule keeps the square: 2(a − y)² instead of 2(a − y)": D("2 * (a - y) ** 2"),
  },
  mistakeHints: {
    "forgets the factor 2": "The power rule brings the exponent down: d/da (a − y)² = 2(a − y). Our cost has no ½ in front, so the 2 stays.",
    "flips the sign": "Differentiate with respect to a: d/da (a − y)² = 2(a − y), positive when a is too big. 2(y − a) is the derivative with respect to y.",
    "the cost (a − y)² itself, not its derivative": "This is the slope of the cost, not the cost: the power rule turns (a − y)² into 2(a − y).",
    "y is left out: 2a": "The derivative of (a − y)² is 2(a − y): y stays in it, and the slope is 0 exactly when a = y.",
    "precedence: 2 * a - y is 2a − y; the 2 multiplies the whole difference": "* binds tighter than -, so 2 * a - y doubles only a. Bracket the difference, so the 2 multiplies all of it.",
    "the power rule keeps the square: 2(a − y)² instead of 2(a − y)": "The power rule brings the exponent down and lowers it by one: d/da (a − y)² = 2(a − y)¹ = 2(a − y).",
  },
});
