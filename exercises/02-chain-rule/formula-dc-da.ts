// An answer typed as a formula: the first local derivative of the chain w → z → a → C.
import { exercise, formula } from "../../grader/engine/spec";

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
  },
});
