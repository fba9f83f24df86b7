import { call, exercise, matchesReference, randomCases } from "../../grader/engine/authoring";
import { randomChain } from "./chain";

const CF = (body: string) => `function chainForward(x: number, ws: number[], bs: number[]): number[] {\n${body}\n}`;

export default exercise({
  id: "chain-forward",
  title: "Forward through a chain of one-neuron layers",
  points: 2,
  defines: ["chainForward"],
  hints: [
    "Start the list with x; each layer l turns the last activation into sigmoid(ws[l]·a + bs[l]) and appends it.",
    "The result has ws.length + 1 entries, [x, a1, …, aL], with as[l + 1] = σ(ws[l]·as[l] + bs[l]). For example chainForward(0.25, [0.5, 0.5], [1, 1]) ≈ [0.25, 0.7549, 0.7986], and chainForward(0.7, [], []) = [0.7].",
  ],
  checks: [
    matchesReference(call("chainForward", 0.25, [0.5, 0.5], [1, 1]), { label: "chainForward(0.25, [0.5, 0.5], [1, 1])" }),
    matchesReference(call("chainForward", 0.7, [], []), { label: "chainForward(0.7, [], []): no layers, just [x]" }),
    randomCases("chainForward", {
      count: 50,
      args: (rng) => {
        const c = randomChain(rng);
        return [c.x, c.ws, c.bs];
      },
      hidden: 5,
    }),
  ],
  mutants: {
    "leaves x out of the list": CF("  const as: number[] = [];\n  let a = x;\n  for (let l = 0; l < ws.length; l++) { a = sigmoid(ws[l] * a + bs[l]); as.push(a); }\n  return as;"),
    "feeds z instead of a": CF("  const as = [x];\n  let z = x;\n  for (let l = 0; l < ws.length; l++) { z = ws[l] * z + bs[l]; as.push(sigmoid(z)); }\n  return as;"),
    "every layer uses the first weight and bias": CF("  const as = [x];\n  for (let l = 0; l < ws.length; l++) as.push(sigmoid(weightedSum(ws[0], as[l], bs[0])));\n  return as;"),
    "every layer is fed x instead of the layer before": CF("  const as = [x];\n  for (let l = 0; l < ws.length; l++) as.push(sigmoid(weightedSum(ws[l], x, bs[l])));\n  return as;"),
    "the loop stops one layer early (l < ws.length − 1): the last layer is missing": CF("  const as = [x];\n  for (let l = 0; l < ws.length - 1; l++) as.push(sigmoid(weightedSum(ws[l], as[l], bs[l])));\n  return as;"),
    "appends z = w·a + b without the sigmoid": CF("  const as = [x];\n  for (let l = 0; l < ws.length; l++) as.push(weightedSum(ws[l], as[l], bs[l]));\n  return as;"),
    "for…in gives string indices: l + 1 is \"01\", not 1, so as[l + 1] never fills the list": CF("  const as = [x];\n  for (const l in ws) as[l + 1] = sigmoid(weightedSum(ws[l], as[l], bs[l]));\n  return as;"),
  },
  mistakeHints: {
    "leaves x out of the list": "The list starts with the input itself: as = [x], so that as[l] is always what layer l receives and the result has ws.length + 1 entries.",
    "feeds z instead of a": "Each layer receives the previous layer's activation σ(z), not its weighted sum z: carry a = sigmoid(ws[l] * a + bs[l]) forward.",
    "every layer uses the first weight and bias": "Layer l has its own weight and bias: ws[l] and bs[l], not ws[0] and bs[0].",
    "every layer is fed x instead of the layer before": "Only the first layer sees x; layer l receives as[l], the activation of the layer before it.",
    "the loop stops one layer early (l < ws.length − 1): the last layer is missing": "There is one layer per weight: loop for (let l = 0; l < ws.length; l++), so the last layer's output aL is in the list too.",
    "appends z = w·a + b without the sigmoid": "Every layer squashes its weighted sum: append sigmoid(ws[l] * as[l] + bs[l]), not the weighted sum itself.",
    "for…in gives string indices: l + 1 is \"01\", not 1, so as[l + 1] never fills the list": "for (const l in ws) gives the indices as strings (\"0\", \"1\"), and \"0\" + 1 is the string \"01\". Use a counting loop, for (let l = 0; l < ws.length; l++), and push each new activation.",
  },
});
