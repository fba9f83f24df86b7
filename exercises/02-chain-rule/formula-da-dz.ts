// An answer typed as a formula: the slope of the sigmoid, the middle link of the chain.
import { exercise, formula } from "../../grader/engine/authoring";

export default exercise({
  id: "formula-da-dz",
  title: "Formula: ∂a/∂z",
  points: 1,
  defines: ["dAdZ"],
  hints: ['Write σ′(z) as a string in z; you may use sigma(z) (or σ(z)) and exp(...).', "σ′(z) = σ(z)·(1 − σ(z)), written with sigma(z) for σ(z); at z = 0 it is 0.5 · 0.5 = 0.25."],
  checks: [formula("dAdZ", { expected: "sigma(z) * (1 - sigma(z))", vars: { z: [-4, 4] } })],
  mutants: {
    "σ(z)·(1 + σ(z)): a plus where the formula has a minus": 'const dAdZ: string = "sigma(z) * (1 + sigma(z))";',
    "e^(−z)/(1 + e^(−z)) without the square in the denominator": 'const dAdZ: string = "exp(-z) / (1 + exp(-z))";',
    "z(1 − z): the formula applied to z instead of to σ(z)": 'const dAdZ: string = "z * (1 - z)";',
    "σ(z)·(1 − z): 1 − z where 1 − σ(z) belongs": 'const dAdZ: string = "sigma(z) * (1 - z)";',
    "precedence: sigma(z) * 1 - sigma(z) is σ(z) − σ(z) = 0": 'const dAdZ: string = "sigma(z) * 1 - sigma(z)";',
  },
  mistakeHints: {
    "σ(z)·(1 + σ(z)): a plus where the formula has a minus": "The slope is σ(z)·(1 − σ(z)), with a minus: it is 0.25 at z = 0 and falls to 0 on both sides, as the sigmoid flattens out.",
    "e^(−z)/(1 + e^(−z)) without the square in the denominator": "Differentiating 1/(1 + e^(−z)) squares the denominator: e^(−z)/(1 + e^(−z))². Without the square it is 1 − σ(z), not the slope.",
    "z(1 − z): the formula applied to z instead of to σ(z)": "The formula is written with the sigmoid's value, not with z: where the notes have σ(z), write sigma(z).",
    "σ(z)·(1 − z): 1 − z where 1 − σ(z) belongs": "Both factors use σ(z): the second one is 1 − σ(z), not 1 − z.",
    "precedence: sigma(z) * 1 - sigma(z) is σ(z) − σ(z) = 0": "* binds tighter than -, so sigma(z) * 1 - sigma(z) is σ(z) − σ(z), always 0. Bracket the second factor, so the subtraction happens first.",
  },
});
