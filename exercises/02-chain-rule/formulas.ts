// Three answers typed as formulas: the local derivatives of the chain w → z → a → C.
import { exercise, formula } from "../../grader/engine/spec";

export const formulaDcDa = exercise({
  id: "formula-dc-da",
  title: "Formula: ∂C/∂a",
  points: 1,
  defines: ["dCdA"],
  hints: ['Write ∂C/∂a for C = (a − y)² as a string in a and y, e.g. "3*(a + y)" (not that one).', "The power rule brings the exponent down: 2 times (a − y)."],
  checks: [formula("dCdA", { expected: "2*(a - y)", vars: { a: [0, 1], y: [0, 1] } })],
  mutants: { "forgets the 2": 'const dCdA: string = "a - y";', "flips the sign": 'const dCdA: string = "2*(y - a)";', "does not parse": 'const dCdA: string = "2*(a - y";' },
});

export const formulaDaDz = exercise({
  id: "formula-da-dz",
  title: "Formula: ∂a/∂z",
  points: 1,
  defines: ["dAdZ"],
  hints: ['Write σ′(z) as a string in z; you may use sigma(z) (or σ(z)) and exp(...).', "σ′(z) = σ(z)·(1 − σ(z)): a minus sign inside the brackets."],
  checks: [formula("dAdZ", { expected: "sigma(z) * (1 - sigma(z))", vars: { z: [-4, 4] } })],
  mutants: { "σ(z)·(1 + σ(z))": 'const dAdZ: string = "sigma(z) * (1 + sigma(z))";', "e^(−z)/(1 + e^(−z)) without the square": 'const dAdZ: string = "exp(-z) / (1 + exp(-z))";' },
});

export const formulaDcDw = exercise({
  id: "formula-dc-dw",
  title: "Formula: ∂C/∂w by the chain rule",
  points: 1,
  defines: ["dCdW"],
  hints: ["Multiply the three links of the chain: ∂z/∂w · ∂a/∂z · ∂C/∂a, using aPrev, z, a and y.", "∂z/∂w is aPrev, ∂a/∂z is σ′(z), ∂C/∂a is 2(a − y): the product of all three."],
  checks: [
    formula("dCdW", { expected: "aPrev * sigma(z) * (1 - sigma(z)) * 2 * (a - y)", vars: { aPrev: [0, 1], z: [-3, 3], y: [0, 1] }, derived: { a: "sigma(z)" } }),
  ],
  mutants: { "forgets σ′(z)": 'const dCdW: string = "2*(a - y) * aPrev";', "forgets aPrev": 'const dCdW: string = "2*(a - y) * a * (1 - a)";' },
});
