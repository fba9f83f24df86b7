import { exercise, matchesReference, call, randomCases, normal } from "../../grader/engine/authoring";

const FWD = (body: string) => `function forward(x: number, w1: number, b1: number, w2: number, b2: number): number {\n${body}\n}`;

export default exercise({
  id: "forward",
  title: "Forward pass of the whole 1-1-1 network",
  points: 2,
  defines: ["forward"],
  hints: [
    "Two neurons in a row: a1 = σ(w1·x + b1), then the output is σ(w2·a1 + b2). Reuse weightedSum and sigmoid.",
    "a1 = σ(w1·x + b1), then the output is σ(w2·a1 + b2). For forward(0.25, 0.5, 1, 0.5, 1): a1 = σ(1.125) ≈ 0.7549, and the output is σ(0.5 · 0.7549 + 1) = σ(1.3775) ≈ 0.7986.",
  ],
  checks: [
    matchesReference(call("forward", 0.25, 0.5, 1, 0.5, 1), { label: "forward(0.25, 0.5, 1, 0.5, 1)" }),
    randomCases("forward", {
      count: 60,
      // The input x of any sign and size in a third of the cases (see weighted-sum).
      args: (rng) => [rng() < 2 / 3 ? rng() : normal(rng) * 2, normal(rng) * 2, normal(rng), normal(rng) * 2, normal(rng)],
      // Saturated neurons, the second at z2 from −22.5 to 20 and the first far below 0: a shortcut
      // that returns 0 or 1 beyond some |z| is off there (see sigmoid).
      edge: [
        [0, 0, 0, 0, 0], [1, 1, 1, 1, 1], [1, -40, 0, 40, 0], [0.5, 0, 5, 1, -5],
        [0.5, 1, 0, 1, -8.5], [0.5, 1, 0, 1, -13.5], [0.5, 1, 0, 1, -18.5], [0.5, 1, 0, 1, -23], [0.5, 1, 0, 1, 9], [0.5, 1, 0, 1, 15], [0.5, 1, 0, 1, 19.4],
        [1, 1, -9, 1, 0], [1, 1, -16, 1, 0], [1, 1, -22, 100, 0],
      ],
      hidden: 5,
    }),
  ],
  mutants: {
    "feeds z1 instead of a1": FWD("  const z1 = weightedSum(w1, x, b1);\n  return sigmoid(weightedSum(w2, z1, b2));"),
    "feeds x to the second neuron": FWD("  return sigmoid(weightedSum(w2, x, b2));"),
    "forgets the last sigmoid": FWD("  const a1 = sigmoid(weightedSum(w1, x, b1));\n  return weightedSum(w2, a1, b2);"),
    "the weights of the two neurons are swapped": FWD("  const a1 = sigmoid(weightedSum(w2, x, b1));\n  return sigmoid(weightedSum(w1, a1, b2));"),
    "returns the first neuron's a1: the second (last) neuron is missing": FWD("  const a1 = sigmoid(weightedSum(w1, x, b1));\n  return a1;"),
    "the biases of the two neurons are swapped": FWD("  const a1 = sigmoid(weightedSum(w1, x, b2));\n  return sigmoid(weightedSum(w2, a1, b1));"),
    "the second neuron reuses the first one's weight and bias (w1, b1 instead of w2, b2)": FWD("  const a1 = sigmoid(weightedSum(w1, x, b1));\n  return sigmoid(weightedSum(w1, a1, b1));"),
  },
  mistakeHints: {
    "feeds z1 instead of a1": "The second neuron sees the first neuron's activation a1 = σ(z1), not its weighted sum z1: pass sigmoid(weightedSum(w1, x, b1)) on.",
    "feeds x to the second neuron": "The neurons are in a row: the second one's input is the first one's output a1 = σ(w1·x + b1), not x.",
    "forgets the last sigmoid": "Every neuron applies the sigmoid, the last one too: return sigmoid(weightedSum(w2, a1, b2)).",
    "the weights of the two neurons are swapped": "w1 is the weight into the first neuron (it multiplies x), w2 the weight into the second (it multiplies a1).",
    "returns the first neuron's a1: the second (last) neuron is missing": "a1 is only halfway: the network's output is the second neuron's activation, σ(w2·a1 + b2).",
    "the biases of the two neurons are swapped": "Each neuron has its own bias: b1 goes with w1 in the first neuron, b2 with w2 in the second.",
    "the second neuron reuses the first one's weight and bias (w1, b1 instead of w2, b2)": "The second neuron has its own parameters: σ(w2·a1 + b2). A line copied from the first neuron keeps w1 and b1 unless you change them.",
  },
});
