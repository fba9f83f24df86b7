import { gradientCheck } from "../../grader/engine/gradcheck";
import { exercise } from "../../grader/engine/spec";
import { layerSizes, type Network } from "../../grader/lab/network";
import { randomInt } from "../../grader/engine/rng";
import { describeBias, describeWeight, netArg, oneHotVector, quadraticCost, randomNet, randomSizes, randomVector, trustedOutput } from "./nets";

const SHAPES = [[3, 4, 2], [5, 3, 3, 2], [2, 8, 8, 8, 1]];

const backpropMutant = (deltaLine: string, dWLine: string, propagate: string) => `function backprop(net: Network, x: number[], y: number[]): Gradients {
  const as = networkForward(net, x);
  const L = net.weights.length;
  const weights: number[][][] = [];
  const biases: number[][] = [];
  let dCdA = as[L].map((a, j) => 2 * (a - y[j]));
  for (let l = L - 1; l >= 0; l--) {
    const W = net.weights[l];
    const z = W.map((row, j) => row.reduce((s, w, k) => s + w * as[l][k], net.biases[l][j]));
    const delta = ${deltaLine};
    weights[l] = W.map((row, j) => row.map((_, k) => ${dWLine}));
    biases[l] = delta;
    dCdA = ${propagate};
  }
  return { weights, biases };
}`;

export default exercise({
  id: "backprop",
  title: "Backpropagation for a whole network",
  points: 4,
  defines: ["backprop"],
  needs: ["network-forward"],
  hints: [
    "Forward first (networkForward). Then from the last layer back: δ_j = ∂C/∂a_j · σ′(z_j); the weight gradient is δ_j · a_k of the layer before, the bias gradient δ_j; and the layer before gets ∂C/∂a_k = Σ_j W[j][k] · δ_j.",
    "Check the indices: weights[l] connects activations[l] (its inputs) to activations[l+1] (its outputs); every layer needs its own σ′(z); passing δ back sums over j for each k (W transposed).",
  ],
  checks: [
    gradientCheck({
      fn: "backprop",
      count: 24,
      hidden: 3,
      args: (rng) => {
        const pick = randomInt(rng, 0, SHAPES.length + 2);
        const sizes = pick < SHAPES.length ? SHAPES[pick] : randomSizes(rng, randomInt(rng, 2, 5), 6);
        const out = sizes[sizes.length - 1];
        return [netArg(randomNet(rng, sizes, 1.5)), randomVector(rng, sizes[0]), oneHotVector(out, randomInt(rng, 0, out - 1))];
      },
      fields: [
        { field: "weights", arg: 0, argKey: "weights", param: "weights", describe: describeWeight },
        { field: "biases", arg: 0, argKey: "biases", param: "biases", describe: describeBias },
      ],
      describeArgs: ([net]) => `a ${layerSizes(net as unknown as Network).join("-")} network`,
      cost: ([net, x, y]) => quadraticCost(trustedOutput(net as unknown as Network, x as number[]), y as number[]),
    }),
  ],
  mutants: {
    "a missing σ′ in the hidden layers": backpropMutant(
      "l === L - 1 ? dCdA.map((d, j) => d * sigmoidPrime(z[j])) : dCdA",
      "delta[j] * as[l][k]",
      "as[l].map((_, k) => W.reduce((s, row, j) => s + row[k] * delta[j], 0))",
    ),
    "off by one: the layer's own activations instead of its inputs": backpropMutant(
      "dCdA.map((d, j) => d * sigmoidPrime(z[j]))",
      "delta[j] * (as[l + 1][k] ?? 0)",
      "as[l].map((_, k) => W.reduce((s, row, j) => s + row[k] * delta[j], 0))",
    ),
    "passes δ back through W instead of Wᵀ": backpropMutant(
      "dCdA.map((d, j) => d * sigmoidPrime(z[j]))",
      "delta[j] * as[l][k]",
      "as[l].map((_, k) => (W[k] ?? []).reduce((s, w, j) => s + w * (delta[j] ?? 0), 0))",
    ),
  },
});
