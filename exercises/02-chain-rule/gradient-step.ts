import { call, exercise, expectValue, randomCases, normal, randomInt } from "../../grader/engine/authoring";

const GS = (body: string) => `function gradientStep(params: number[], grads: number[], learningRate: number): number[] {\n${body}\n}`;

export default exercise({
  id: "gradient-step",
  title: "One step downhill",
  points: 1,
  defines: ["gradientStep"],
  hints: [
    "Move every parameter against its gradient: new = old − learningRate · gradient, returned as a new array.",
    "new[i] = params[i] − learningRate · grads[i] for every i. For params [1, 2], grads [0.5, −1] and learning rate 0.1: [1 − 0.05, 2 + 0.1] = [0.95, 2.1].",
  ],
  checks: [
    expectValue(call("gradientStep", [1, 2], [0.5, -1], 0.1), [0.95, 2.1], {}),
    // Two parameters with one value: each still takes its own gradient (grads[i], not the gradient of the first equal one).
    expectValue(call("gradientStep", [0.5, 0.5, -1], [1, 2, 0.5], 1), [-0.5, -1.5, -1.5], { label: "gradientStep([0.5, 0.5, −1], [1, 2, 0.5], 1): two parameters equal, their gradients not" }),
    randomCases("gradientStep", {
      count: 50,
      args: (rng) => {
        const n = randomInt(rng, 1, 10);
        return [Array.from({ length: n }, () => normal(rng)), Array.from({ length: n }, () => normal(rng)), rng() * 3];
      },
      hidden: 5,
    }),
  ],
  mutants: {
    "changes the params array passed in instead of returning a new one": GS("  for (let i = 0; i < params.length; i++) params[i] -= learningRate * grads[i];\n  return params;"),
    "+η: steps uphill, along the gradient instead of against it": GS("  return params.map((p, i) => p + learningRate * grads[i]);"),
    "the learning rate is left out: params − grads": GS("  return params.map((p, i) => p - grads[i]);"),
    "divides by the learning rate instead of multiplying": GS("  return params.map((p, i) => p - grads[i] / learningRate);"),
    "returns the step −η·grads instead of the new parameters": GS("  return grads.map((g) => -learningRate * g);"),
    "the loop starts at i = 1 and skips the first parameter": GS("  const next: number[] = [];\n  for (let i = 1; i < params.length; i++) next.push(params[i] - learningRate * grads[i]);\n  return next;"),
  },
  mistakeHints: {
    "changes the params array passed in instead of returning a new one": "Build a new array (params.map, or a loop that pushes into a fresh one) and leave params as it was: the caller may still need the old values. const next = params does not copy; it is a second name for the same array.",
    "+η: steps uphill, along the gradient instead of against it": "The gradient points uphill, where the cost grows; to make the cost smaller, subtract it: p − learningRate · grad.",
    "the learning rate is left out: params − grads": "The learning rate sets the size of the step: multiply each gradient by it, p − learningRate · grad.",
    "divides by the learning rate instead of multiplying": "A small learning rate should mean a small step: multiply, p − learningRate · grad. Dividing makes a small rate take a huge step.",
    "returns the step −η·grads instead of the new parameters": "−learningRate · grad is only how far each parameter moves; add it to the parameter and return the new values: p − learningRate · grad.",
    "the loop starts at i = 1 and skips the first parameter": "Array indices start at 0: loop for (let i = 0; i < params.length; i++), so every parameter gets its step and the result has params.length entries.",
  },
});
