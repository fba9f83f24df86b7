// An answer typed as a formula: the three links of the chain multiplied.
import { exercise, formula } from "../../grader/engine/authoring";

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
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": 'const dCdW: string = "aPrev * a * (1 - a) * (a - y)";',
    "σ′(z) written as z(1 − z) instead of σ(z)(1 − σ(z))": 'const dCdW: string = "aPrev * z * (1 - z) * 2 * (a - y)";',
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": 'const dCdW: string = "aPrev * sigma(a) * (1 - sigma(a)) * 2 * (a - y)";',
  },
  mistakeHints: {
    "the middle link σ′(z) is missing": "The chain has three links: ∂z/∂w · ∂a/∂z · ∂C/∂a. The middle one, ∂a/∂z = σ′(z) = a(1 − a), is missing.",
    "the first link ∂z/∂w = aPrev is missing": "z = w·aPrev + b, so ∂z/∂w = aPrev: a weight's gradient is scaled by the activation it multiplies.",
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": "C = (a − y)², so ∂C/∂a = 2(a − y): keep the 2.",
    "σ′(z) written as z(1 − z) instead of σ(z)(1 − σ(z))": "σ′(z) = σ(z)·(1 − σ(z)): the formula uses σ(z) = a, not z itself: a * (1 - a).",
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": "σ′ is taken at z, the weighted sum: σ(z)·(1 − σ(z)) = a·(1 − a). sigma(a) applies the sigmoid a second time.",
  },
});
