// An answer typed as a formula: the first local derivative of the chain w → z → a → C.
import { exercise, formula } from "../../grader/engine/authoring";

export default exercise({
  id: "formula-dc-da",
  title: "Formula: ∂C/∂a",
  points: 1,
  defines: ["dCdA"],
  hints: ['Write ∂C/∂a for C = (a − y)² as a string in a and y, e.g. "3*(a + y)" (not that one).', "The power rule brings the exponent down: 2 times (a − y)."],
  checks: [formula("dCdA", { expected: "2*(a - y)", vars: { a: [0, 1], y: [0, 1] } })],
  mutants: {
    "the factor 2 from the power rule is missing": 'const dCdA: string = "a - y";',
    "the sign is flipped: 2(y − a)": 'const dCdA: string = "2*(y - a)";',
    "a bracket is left open: the formula does not parse": 'const dCdA: string = "2*(a - y";',
    "the cost (a − y)² itself, not its derivative": 'const dCdA: string = "(a - y)^2";',
    "the power rule keeps the square: 2(a − y)² instead of 2(a − y)": 'const dCdA: string = "2*(a - y)^2";',
    "precedence: 2*a - y is 2a − y; the 2 multiplies the whole difference": 'const dCdA: string = "2*a - y";',
  },
  mistakeHints: {
    "the factor 2 from the power rule is missing": "The power rule brings the exponent down: d/da (a − y)² = 2(a − y). Our cost has no ½ in front, so the 2 stays.",
    "the sign is flipped: 2(y − a)": "Differentiate with respect to a: 2(a − y), positive when a is too big. 2(y − a) is the derivative with respect to y.",
    "a bracket is left open: the formula does not parse": "Every ( needs its ): count the brackets, and close the one you opened.",
    "the cost (a − y)² itself, not its derivative": "That is the cost; the answer is its slope with respect to a. The power rule turns (a − y)² into 2(a − y).",
    "the power rule keeps the square: 2(a − y)² instead of 2(a − y)": "The power rule brings the exponent down and lowers it by one: (a − y)² becomes 2(a − y)¹ = 2(a − y).",
    "precedence: 2*a - y is 2a − y; the 2 multiplies the whole difference": "* binds tighter than -, so 2*a - y doubles only a. Bracket the difference, so the 2 multiplies all of it.",
  },
});
