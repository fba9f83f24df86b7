import { call, exercise, expectValue, randomCases, normal } from "../../grader/engine/authoring";

const WS = (body: string) => `function weightedSum(w: number, aPrev: number, b: number): number {\n${body}\n}`;

export default exercise({
  id: "weighted-sum",
  title: "Weighted sum z = w·aPrev + b",
  points: 1,
  defines: ["weightedSum"],
  hints: [
    "Multiply the weight by the previous activation, then add the bias.",
    "z = w·aPrev + b: one product, then one sum. For the notes' example, weightedSum(0.5, 0.25, 1) = 0.5 · 0.25 + 1 = 1.125.",
  ],
  checks: [
    expectValue(call("weightedSum", 0.5, 0.25, 1), 1.125, { label: "weightedSum(0.5, 0.25, 1), the notes' example" }),
    expectValue(call("weightedSum", 2, 0, -3), -3),
    randomCases("weightedSum", {
      count: 60,
      // aPrev is mostly an activation in (0, 1), as in the notes, but weightedSum is the formula for
      // any input (forward passes x through it, ReLU activations exceed 1): a third of the cases
      // give it any sign and size, so a cell that clips or takes |aPrev| fails.
      args: (rng) => [normal(rng) * 3, rng() < 2 / 3 ? rng() : normal(rng) * 3, normal(rng) * 3],
      edge: [[0, 0, 0], [1, 1, 0], [0, 1, 1], [-1, 0.5, 0.5], [1e6, 1e-6, 0]],
    }),
  ],
  mutants: {
    "adds instead of multiplies": WS("  return w + aPrev + b;"),
    "forgets the bias": WS("  return w * aPrev;"),
    "multiplies the bias in": WS("  return w * (aPrev + b);"),
    "subtracts the bias instead of adding it": WS("  return w * aPrev - b;"),
    "the weight multiplies the bias, not the activation: w·b + a": WS("  return w * b + aPrev;"),
    "uses the example's numbers wL, aPrevL, bL instead of the parameters w, aPrev, b: always 1.125": WS("  return wL * aPrevL + bL;"),
    "rounds the result with toFixed: Number(z.toFixed(4)) loses the digits the grader compares": WS("  return Number((w * aPrev + b).toFixed(4));"),
    "returns text: toFixed gives a string such as \"1.1250\", not a number": "function weightedSum(w: number, aPrev: number, b: number) {\n  return (w * aPrev + b).toFixed(4);\n}",
  },
  mistakeHints: {
    "adds instead of multiplies": "The weight scales the activation: multiply them (w * aPrev), then add the bias.",
    "forgets the bias": "The bias shifts the sum: add b after the product, z = w·aPrev + b.",
    "multiplies the bias in": "The weight multiplies only the activation: w * aPrev + b, not w * (aPrev + b). The bias is added on its own, after the product.",
    "subtracts the bias instead of adding it": "The bias is added: z = w·aPrev + b. A negative bias comes in as a negative b, so the formula itself always has a plus.",
    "the weight multiplies the bias, not the activation: w·b + a": "The weight belongs to the arrow from the previous neuron, so it multiplies aPrev: w * aPrev + b. Check the order of the parameters too: weightedSum(w, aPrev, b).",
    "uses the example's numbers wL, aPrevL, bL instead of the parameters w, aPrev, b: always 1.125": "The function must work for any inputs: use its parameters w, aPrev and b. The example's wL, aPrevL and bL are only one call of it: weightedSum(wL, aPrevL, bL).",
    "rounds the result with toFixed: Number(z.toFixed(4)) loses the digits the grader compares": "Return the full-precision number w * aPrev + b. Round only what you print (console.log(z.toFixed(4))): later steps need every digit.",
    "returns text: toFixed gives a string such as \"1.1250\", not a number": "toFixed turns a number into text for printing; arithmetic on text goes wrong (\"1.125\" + 1 is \"1.1251\"). Return w * aPrev + b itself.",
  },
});
