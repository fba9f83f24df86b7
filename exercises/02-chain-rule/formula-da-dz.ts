// An answer typed as a formula: the slope of the sigmoid, the middle link of the chain.
import { exercise, formula } from "../../grader/engine/spec";

export default exercise({
  id: "formula-da-dz",
  title: "Formula: ∂a/∂z",
  points: 1,
  defines: ["dAdZ"],
  hints: ['Write σ′(z) as a string in z; you may use sigma(z) (or σ(z)) and exp(...).', "σ′(z) = σ(z)·(1 − σ(z)): a minus sign inside the brackets."],
  checks: [formula("dAdZ", { expected: "sigma(z) * (1 - sigma(z))", vars: { z: [-4, 4] } })],
  mutants: {
    "σ(z)·(1 + σ(z)): a plus where the formula has a minus": 'const dAdZ: string = "sigma(z) * (1 + sigma(z))";',
    "e^(−z)/(1 + e^(−z)) without the square in the denominator": 'const dAdZ: string = "exp(-z) / (1 + exp(-z))";',
  },
});
