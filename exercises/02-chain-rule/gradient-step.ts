import { call, exercise, expectValue, randomCases } from "../../grader/engine/spec";
import { normal, randomInt } from "../../grader/engine/rng";

export default exercise({
  id: "gradient-step",
  title: "One step downhill",
  points: 1,
  defines: ["gradientStep"],
  hints: [
    "Move every parameter against its gradient: new = old − learningRate · gradient.",
    "Build a new array (params.map(...)) instead of changing params: the caller may still need the old values.",
  ],
  checks: [
    expectValue(call("gradientStep", [1, 2], [0.5, -1], 0.1), [0.95, 2.1], { pure: true }),
    randomCases("gradientStep", {
      count: 50,
      args: (rng) => {
        const n = randomInt(rng, 1, 10);
        return [Array.from({ length: n }, () => normal(rng)), Array.from({ length: n }, () => normal(rng)), rng() * 3];
      },
      pure: true,
      hidden: 5,
    }),
  ],
  mutants: {
    "changes the params array passed in instead of returning a new one": "function gradientStep(params: number[], grads: number[], learningRate: number): number[] {\n  for (let i = 0; i < params.length; i++) params[i] -= learningRate * grads[i];\n  return params;\n}",
    "+η: steps uphill, along the gradient instead of against it": "function gradientStep(params: number[], grads: number[], learningRate: number): number[] {\n  return params.map((p, i) => p + learningRate * grads[i]);\n}",
    "the learning rate is left out: params − grads": "function gradientStep(params: number[], grads: number[], learningRate: number): number[] {\n  return params.map((p, i) => p - grads[i]);\n}",
    "divides by the learning rate instead of multiplying": "function gradientStep(params: number[], grads: number[], learningRate: number): number[] {\n  return params.map((p, i) => p - grads[i] / learningRate);\n}",
  },
});
