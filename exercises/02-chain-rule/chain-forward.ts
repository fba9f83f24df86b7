import { call, exercise, matchesReference, randomCases } from "../../grader/engine/spec";
import { randomChain } from "./chain";

export default exercise({
  id: "chain-forward",
  title: "Forward through a chain of one-neuron layers",
  points: 2,
  defines: ["chainForward"],
  hints: [
    "Start the list with x; each layer l turns the last activation into sigmoid(ws[l]·a + bs[l]) and appends it.",
    "The result has ws.length + 1 entries: [x, a1, …, aL]. Feed each layer the previous activation, not z and not x.",
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
      pure: true,
      hidden: 5,
    }),
  ],
  mutants: {
    "leaves x out of the list": "function chainForward(x: number, ws: number[], bs: number[]): number[] {\n  const as: number[] = [];\n  let a = x;\n  for (let l = 0; l < ws.length; l++) { a = sigmoid(ws[l] * a + bs[l]); as.push(a); }\n  return as;\n}",
    "feeds z instead of a": "function chainForward(x: number, ws: number[], bs: number[]): number[] {\n  const as = [x];\n  let z = x;\n  for (let l = 0; l < ws.length; l++) { z = ws[l] * z + bs[l]; as.push(sigmoid(z)); }\n  return as;\n}",
    "every layer uses the first weight and bias": "function chainForward(x: number, ws: number[], bs: number[]): number[] {\n  const as = [x];\n  for (let l = 0; l < ws.length; l++) as.push(sigmoid(weightedSum(ws[0], as[l], bs[0])));\n  return as;\n}",
    "every layer is fed x instead of the layer before": "function chainForward(x: number, ws: number[], bs: number[]): number[] {\n  const as = [x];\n  for (let l = 0; l < ws.length; l++) as.push(sigmoid(weightedSum(ws[l], x, bs[l])));\n  return as;\n}",
  },
});
