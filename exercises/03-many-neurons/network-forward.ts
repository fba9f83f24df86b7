import { call, exercise, matchesReference, randomCases } from "../../grader/engine/authoring";
import { netArg, randomNet, randomSizes, randomVector } from "./nets";

export default exercise({
  id: "network-forward",
  title: "Forward through the whole network",
  points: 2,
  defines: ["networkForward"],
  hints: [
    "Start with [x] and apply layerForward once per layer, each time to the last activation you computed.",
    "activations[0] is x itself and activations[l + 1] = layerForward(net.weights[l], activations[l], net.biases[l]) for every layer l: each layer takes what the layer before it gave, and the result has one more entry than there are weight layers.",
  ],
  checks: [
    matchesReference(call("networkForward", { weights: [[[0.5]], [[0.5]]], biases: [[1], [1]] }, [0.25]), { label: "networkForward on the 1-1-1 network" }),
    // The same x with other weights, then the same weights with another x: an answer kept by
    // one argument alone (a cache keyed by x) is the call before's.
    matchesReference(call("networkForward", { weights: [[[-1.5]], [[2]]], biases: [[0.5], [-1]] }, [0.25]), { label: "networkForward on another 1-1-1 network, with the same x" }),
    matchesReference(call("networkForward", { weights: [[[-1.5]], [[2]]], biases: [[0.5], [-1]] }, [0.75]), { label: "networkForward on that network, with another x" }),
    randomCases("networkForward", {
      count: 50,
      args: (rng) => {
        const sizes = randomSizes(rng, undefined, 7);
        return [netArg(randomNet(rng, sizes)), randomVector(rng, sizes[0])];
      },
      hidden: 5,
    }),
  ],
  mutants: {
    "leaves x out": "function networkForward(net: Network, x: number[]): number[][] {\n  const out: number[][] = [];\n  let a = x;\n  for (let l = 0; l < net.weights.length; l++) { a = layerForward(net.weights[l], a, net.biases[l]); out.push(a); }\n  return out;\n}",
    "feeds x to every layer": "function networkForward(net: Network, x: number[]): number[][] {\n  const out = [x];\n  for (let l = 0; l < net.weights.length; l++) out.push(layerForward(net.weights[l], l === 0 ? x : out[l - 1], net.biases[l]));\n  return out;\n}",
    "returns only the output layer, not every layer's activations": "function networkForward(net: Network, x: number[]): number[][] {\n  let a = x;\n  for (let l = 0; l < net.weights.length; l++) a = layerForward(net.weights[l], a, net.biases[l]);\n  return [a];\n}",
    "every layer uses the first layer's biases": "function networkForward(net: Network, x: number[]): number[][] {\n  const activations = [x];\n  for (let l = 0; l < net.weights.length; l++) activations.push(layerForward(net.weights[l], activations[l], net.weights[l].map((_, j) => net.biases[0][j] ?? 0)));\n  return activations;\n}",
    "the loop stops one layer early: the last layer (the output) is never computed": "function networkForward(net: Network, x: number[]): number[][] {\n  const activations = [x];\n  for (let l = 0; l < net.weights.length - 1; l++) activations.push(layerForward(net.weights[l], activations[l], net.biases[l]));\n  return activations;\n}",
    "Array(n).fill([]) puts one shared array in every slot: every layer's activations are pushed into the same array": "function networkForward(net: Network, x: number[]): number[][] {\n  const L = net.weights.length;\n  const activations: number[][] = Array(L + 1).fill([]);\n  activations[0] = x;\n  for (let l = 0; l < L; l++) activations[l + 1].push(...layerForward(net.weights[l], activations[l], net.biases[l]));\n  return activations;\n}",
  },
  mistakeHints: {
    "leaves x out": "activations[0] is x itself: start the list with [x], so activations[l] is the input of layer l and the result has one more entry than there are layers.",
    "feeds x to every layer": "Each layer's input is the previous layer's output: layer l gets activations[l], which is x only for l = 0.",
    "returns only the output layer, not every layer's activations": "Backprop needs every layer's activations: push each layer's output onto the list and return the whole list, [x, a¹, …, a^L].",
    "every layer uses the first layer's biases": "Layer l has its own biases: pass net.biases[l] together with net.weights[l].",
    "the loop stops one layer early: the last layer (the output) is never computed": "There is one layerForward per weight matrix: loop while l < net.weights.length, so the output layer is computed too.",
    "Array(n).fill([]) puts one shared array in every slot: every layer's activations are pushed into the same array": "fill([]) puts the same array object in every slot, so pushing into one pushes into all. Push each layer's new array onto the list instead: activations.push(layerForward(…)).",
  },
});
