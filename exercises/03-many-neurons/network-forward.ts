import { call, exercise, matchesReference, randomCases } from "../../grader/engine/spec";
import { netArg, randomNet, randomSizes, randomVector } from "./nets";

export default exercise({
  id: "network-forward",
  title: "Forward through the whole network",
  points: 2,
  defines: ["networkForward"],
  hints: [
    "Start with [x] and apply layerForward once per layer, each time to the last activation you computed.",
    "The result has one more entry than there are weight layers: activations[0] is x itself, activations[L] the output.",
  ],
  checks: [
    matchesReference(call("networkForward", { weights: [[[0.5]], [[0.5]]], biases: [[1], [1]] }, [0.25]), { label: "networkForward on the 1-1-1 network" }),
    randomCases("networkForward", {
      count: 50,
      args: (rng) => {
        const sizes = randomSizes(rng, undefined, 7);
        return [netArg(randomNet(rng, sizes)), randomVector(rng, sizes[0])];
      },
      pure: true,
      hidden: 5,
    }),
  ],
  mutants: {
    "leaves x out": "function networkForward(net: Network, x: number[]): number[][] {\n  const out: number[][] = [];\n  let a = x;\n  for (let l = 0; l < net.weights.length; l++) { a = layerForward(net.weights[l], a, net.biases[l]); out.push(a); }\n  return out;\n}",
    "feeds x to every layer": "function networkForward(net: Network, x: number[]): number[][] {\n  const out = [x];\n  for (let l = 0; l < net.weights.length; l++) out.push(layerForward(net.weights[l], l === 0 ? x : out[l - 1], net.biases[l]));\n  return out;\n}",
    "returns only the output layer, not every layer's activations": "function networkForward(net: Network, x: number[]): number[][] {\n  let a = x;\n  for (let l = 0; l < net.weights.length; l++) a = layerForward(net.weights[l], a, net.biases[l]);\n  return [a];\n}",
    "every layer uses the first layer's biases": "function networkForward(net: Network, x: number[]): number[][] {\n  const activations = [x];\n  for (let l = 0; l < net.weights.length; l++) activations.push(layerForward(net.weights[l], activations[l], net.weights[l].map((_, j) => net.biases[0][j] ?? 0)));\n  return activations;\n}",
  },
});
