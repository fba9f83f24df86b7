// An answer typed as a formula: the three links of the chain multiplied.
import { exercise, formula } from "../../grader/engine/spec";

export default exercise({
  id: "formula-dc-dw",
  title: "Formula: ∂C/∂w by the chain rule",
  points: 1,
  defines: ["dCdW"],
  hints: ["Multiply the three links of the chain: ∂z/∂w · ∂a/∂z · ∂C/∂a, using aPrev, z, a and y.", "∂z/∂w is aPrev, ∂a/∂z is σ′(z), ∂C/∂a is 2(a − y): the product of all three."],
  checks: [
    formula("dCdW", { expected: "aPrev * sigma(z) * (1 - sigma(z)) * 2 * (a - y)", vars: { aPrev: [0, 1], z: [-3, 3], y: [0, 1] }, derived: { a: "sigma(z)" } }),
  ],
  mutants: {
    "the middle link σ′(z) is missing": 'const dCdW: string = "2*(a - y) * aPrev";',
    "the first link ∂z/∂w = aPrev is missing": 'const dCdW: string = "2*(a - y) * a * (1 - a)";',
  },
});
