import { gradientCheck, call, exercise, matchesReference, normal, sigma } from "../../grader/engine/authoring";

const NG = (body: string) => `function neuronGradients(w: number, aPrev: number, b: number, y: number) {\n${body}\n}`;

export default exercise({
  id: "neuron-gradients",
  title: "All three partial derivatives of one sigmoid neuron",
  points: 3,
  defines: ["neuronGradients"],
  hints: [
    "Follow the chain w → z → a → C: ∂C/∂w = ∂z/∂w · ∂a/∂z · ∂C/∂a = aPrev · σ′(z) · 2(a − y). The bias and aPrev share the last two factors.",
    "Compute δ = σ′(z) · 2(a − y) once; then dW = aPrev·δ, dB = δ (∂z/∂b = 1) and dAPrev = w·δ. Return them as { dW, dB, dAPrev }. For the notes' example (w = 0.5, aPrev = 0.25, b = 1, y = 1): δ ≈ −0.09069, so dW ≈ −0.02267, dB ≈ −0.09069 and dAPrev ≈ −0.04535.",
  ],
  checks: [
    matchesReference(call("neuronGradients", 0.5, 0.25, 1, 1), { label: "neuronGradients(0.5, 0.25, 1, 1), the notes' example" }),
    gradientCheck({
      fn: "neuronGradients",
      count: 40,
      hidden: 4,
      // y is 0 or 1 in most cases, any target in (0, 1) in a third of them: C = (a − y)² holds for any y,
      // and a cell that treats y as a class label (y === 1 ? … : …) must fail. aPrev stays an
      // activation in (0, 1): with any aPrev, |z| reaches 20, where an honest σ written with tanh
      // (½(1 + tanh(z/2)), cancelling) is off by more than the exactness check allows.
      args: (rng) => [normal(rng) * 2, rng(), normal(rng), rng() < 2 / 3 ? (rng() < 0.5 ? 0 : 1) : rng()],
      fields: [
        { field: "dW", arg: 0, param: "w" },
        { field: "dB", arg: 2, param: "b" },
        { field: "dAPrev", arg: 1, param: "aPrev" },
      ],
      cost: ([w, aPrev, b, y]) => (sigma((w as number) * (aPrev as number) + (b as number)) - (y as number)) ** 2,
    }),
  ],
  mutants: {
    "σ′(z) is missing: δ = 2(a − y), without the slope of the sigmoid": NG("  const a = sigmoid(w * aPrev + b);\n  const delta = 2 * (a - y);\n  return { dW: aPrev * delta, dB: delta, dAPrev: w * delta };"),
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": NG("  const a = sigmoid(w * aPrev + b);\n  const delta = sigmoidPrime(a) * 2 * (a - y);\n  return { dW: aPrev * delta, dB: delta, dAPrev: w * delta };"),
    "σ′(z) written as z(1 − z) instead of σ(z)(1 − σ(z))": NG("  const z = w * aPrev + b;\n  const delta = z * (1 - z) * 2 * (sigmoid(z) - y);\n  return { dW: aPrev * delta, dB: delta, dAPrev: w * delta };"),
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": NG("  const z = w * aPrev + b;\n  const delta = sigmoidPrime(z) * (sigmoid(z) - y);\n  return { dW: aPrev * delta, dB: delta, dAPrev: w * delta };"),
    "dW and dAPrev are swapped: dW = w·δ and dAPrev = aPrev·δ": NG("  const z = w * aPrev + b;\n  const delta = sigmoidPrime(z) * 2 * (sigmoid(z) - y);\n  return { dW: w * delta, dB: delta, dAPrev: aPrev * delta };"),
    "dAPrev forgets the weight: δ instead of w·δ": NG("  const z = w * aPrev + b;\n  const delta = sigmoidPrime(z) * 2 * (sigmoid(z) - y);\n  return { dW: aPrev * delta, dB: delta, dAPrev: delta };"),
    "the bias gradient is missing (dB = 0)": NG("  const z = w * aPrev + b;\n  const delta = sigmoidPrime(z) * 2 * (sigmoid(z) - y);\n  return { dW: aPrev * delta, dB: 0, dAPrev: w * delta };"),
    "∂C/∂a uses z instead of a: 2(z − y) where 2(a − y) belongs": NG("  const z = w * aPrev + b;\n  const delta = sigmoidPrime(z) * 2 * (z - y);\n  return { dW: aPrev * delta, dB: delta, dAPrev: w * delta };"),
    "σ′(z) is multiplied in twice: δ already contains it": NG("  const z = w * aPrev + b;\n  const delta = sigmoidPrime(z) * 2 * (sigmoid(z) - y);\n  return { dW: aPrev * sigmoidPrime(z) * delta, dB: sigmoidPrime(z) * delta, dAPrev: w * sigmoidPrime(z) * delta };"),
    "∂C/∂a written as 2(y − a): every gradient has the wrong sign": NG("  const z = w * aPrev + b;\n  const delta = sigmoidPrime(z) * 2 * (y - sigmoid(z));\n  return { dW: aPrev * delta, dB: delta, dAPrev: w * delta };"),
    "dB multiplied by the bias: b·δ, but ∂z/∂b = 1": NG("  const z = w * aPrev + b;\n  const delta = sigmoidPrime(z) * 2 * (sigmoid(z) - y);\n  return { dW: aPrev * delta, dB: b * delta, dAPrev: w * delta };"),
  },
  mistakeHints: {
    "σ′(z) is missing: δ = 2(a − y), without the slope of the sigmoid": "The chain has three links: ∂z/∂w · ∂a/∂z · ∂C/∂a. The middle one, ∂a/∂z = σ′(z), is missing.",
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": "sigmoidPrime takes the weighted sum z, not the activation a = σ(z): compute z = w·aPrev + b and pass z.",
    "σ′(z) written as z(1 − z) instead of σ(z)(1 − σ(z))": "σ′(z) = σ(z)·(1 − σ(z)): the formula uses σ(z), not z itself. Call sigmoidPrime(z).",
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": "C = (a − y)², so ∂C/∂a = 2(a − y): keep the 2.",
    "dW and dAPrev are swapped: dW = w·δ and dAPrev = aPrev·δ": "∂z/∂w = aPrev (the input the weight multiplies) and ∂z/∂aPrev = w: dW = aPrev·δ, dAPrev = w·δ.",
    "dAPrev forgets the weight: δ instead of w·δ": "z = w·aPrev + b, so ∂z/∂aPrev = w: dAPrev = w·δ.",
    "the bias gradient is missing (dB = 0)": "∂z/∂b = 1, so ∂C/∂b = δ itself: dB = δ.",
    "∂C/∂a uses z instead of a: 2(z − y) where 2(a − y) belongs": "The cost compares the activation a = σ(z) with y, so ∂C/∂a = 2(a − y) with a = sigmoid(z), not the weighted sum z.",
    "σ′(z) is multiplied in twice: δ already contains it": "δ = σ′(z) · 2(a − y) already holds the middle link of the chain. Each gradient multiplies δ by one more link only: dW = aPrev·δ, dB = δ, dAPrev = w·δ.",
    "∂C/∂a written as 2(y − a): every gradient has the wrong sign": "C = (a − y)², so ∂C/∂a = 2(a − y), positive when a is too big. With 2(y − a) every gradient points the wrong way and gradient descent would climb.",
    "dB multiplied by the bias: b·δ, but ∂z/∂b = 1": "z = w·aPrev + b, and the bias is added on its own, so ∂z/∂b = 1 (not b): dB = δ.",
  },
});
