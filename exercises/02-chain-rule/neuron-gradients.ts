import { gradientCheck } from "../../grader/engine/gradcheck";
import { call, exercise, matchesReference } from "../../grader/engine/spec";
import { normal } from "../../grader/engine/rng";

const sigma = (z: number) => 1 / (1 + Math.exp(-z));

export default exercise({
  id: "neuron-gradients",
  title: "All three partial derivatives of one sigmoid neuron",
  points: 3,
  defines: ["neuronGradients"],
  needs: ["sigmoid-prime", "d-cost-d-a"],
  hints: [
    "Follow the chain w → z → a → C: ∂C/∂w = ∂z/∂w · ∂a/∂z · ∂C/∂a = aPrev · σ′(z) · 2(a − y). The bias and aPrev share the last two factors.",
    "Compute δ = σ′(z) · 2(a − y) once; then dW = aPrev·δ, dB = δ (∂z/∂b = 1) and dAPrev = w·δ. Return them as { dW, dB, dAPrev }.",
  ],
  checks: [
    matchesReference(call("neuronGradients", 0.5, 0.25, 1, 1), { label: "neuronGradients(0.5, 0.25, 1, 1), the notes' example" }),
    gradientCheck({
      fn: "neuronGradients",
      count: 40,
      hidden: 4,
      args: (rng) => [normal(rng) * 2, rng(), normal(rng), rng() < 0.5 ? 0 : 1],
      fields: [
        { field: "dW", arg: 0, param: "w" },
        { field: "dB", arg: 2, param: "b" },
        { field: "dAPrev", arg: 1, param: "aPrev" },
      ],
      cost: ([w, aPrev, b, y]) => (sigma((w as number) * (aPrev as number) + (b as number)) - (y as number)) ** 2,
      diagnose: (_field, analytic, numeric, [w, aPrev, b]) => {
        const z = (w as number) * (aPrev as number) + (b as number);
        const slope = sigma(z) * (1 - sigma(z));
        return Math.abs(analytic * slope - numeric) <= 1e-6 * Math.abs(numeric) ? "the factor σ′(z) is missing" : undefined;
      },
    }),
  ],
  mutants: {
    "forgets σ′(z)": "function neuronGradients(w: number, aPrev: number, b: number, y: number) {\n  const a = sigmoid(w * aPrev + b);\n  const delta = 2 * (a - y);\n  return { dW: aPrev * delta, dB: delta, dAPrev: w * delta };\n}",
    "forgets the factor 2": "function neuronGradients(w: number, aPrev: number, b: number, y: number) {\n  const z = w * aPrev + b;\n  const delta = sigmoidPrime(z) * (sigmoid(z) - y);\n  return { dW: aPrev * delta, dB: delta, dAPrev: w * delta };\n}",
    "swaps dW and dAPrev": "function neuronGradients(w: number, aPrev: number, b: number, y: number) {\n  const z = w * aPrev + b;\n  const delta = sigmoidPrime(z) * 2 * (sigmoid(z) - y);\n  return { dW: w * delta, dB: delta, dAPrev: aPrev * delta };\n}",
  },
});
