import { gradientCheck } from "../../grader/engine/gradcheck";
import { exercise } from "../../grader/engine/spec";
import { randomInt } from "../../grader/engine/rng";
import { oneHotVector, quadraticCost, randomNet, randomVector, trustedLayer } from "./nets";

export default exercise({
  id: "previous-layer-sensitivity",
  title: "∂C/∂a of the layer before: a sum over every path",
  points: 2,
  defines: ["previousLayerSensitivity"],
  hints: [
    "Neuron k of layer L−1 feeds every neuron j of layer L, so its influence on C is a sum over j of w_jk · σ′(z_j) · 2(a_j − y_j).",
    "Return one number per neuron of the previous layer (aPrev.length of them), summing over all neurons j of the last layer, each with its own σ′(z_j).",
  ],
  checks: [
    gradientCheck({
      fn: "previousLayerSensitivity",
      count: 40,
      hidden: 4,
      args: (rng) => {
        const n = randomInt(rng, 1, 6);
        const m = randomInt(rng, 2, 6);
        const net = randomNet(rng, [n, m]);
        return [net.weights[0], randomVector(rng, n), net.biases[0], oneHotVector(m, randomInt(rng, 0, m - 1))];
      },
      fields: [{ field: "", arg: 1, param: "aPrev" }],
      describeArgs: ([W]) => `a last layer of ${(W as number[][]).length} neurons with ${(W as number[][])[0].length} inputs`,
      cost: ([W, aPrev, b, y]) => quadraticCost(trustedLayer(W as number[][], aPrev as number[], b as number[]), y as number[]),
    }),
  ],
  mutants: {
    "follows one path only (neuron 0)": "function previousLayerSensitivity(W: number[][], aPrev: number[], b: number[], y: number[]): number[] {\n  const a = layerForward(W, aPrev, b);\n  const z0 = W[0].reduce((s, w, k) => s + w * aPrev[k], b[0]);\n  return aPrev.map((_, k) => W[0][k] * sigmoidPrime(z0) * 2 * (a[0] - y[0]));\n}",
    "forgets σ′": "function previousLayerSensitivity(W: number[][], aPrev: number[], b: number[], y: number[]): number[] {\n  const a = layerForward(W, aPrev, b);\n  return aPrev.map((_, k) => W.reduce((s, row, j) => s + row[k] * 2 * (a[j] - y[j]), 0));\n}",
  },
});
