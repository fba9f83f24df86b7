import { exercise } from "../../grader/engine/authoring";
import { nearTargetArgs, networkArgs, networkGradientCheck } from "./nets";

// Square layers too ([3, 3, 3]): there, mistakes that break other shapes (W for Wᵀ,
// layers in the wrong order) give numbers, so each can be told apart by its values.
const SHAPES = [[3, 4, 2], [5, 3, 3, 2], [2, 8, 8, 8, 1], [3, 3, 3]];

interface MutantParts {
  delta?: string;
  dW?: string;
  dB?: string;
  propagate?: string;
  loop?: string;
  start?: string;
}

/** The reference algorithm with one part changed: each mutant is one realistic mistake. */
const backpropMutant = (m: MutantParts) => `function backprop(net: Network, x: number[], y: number[]): Gradients {
  const as = networkForward(net, x);
  const L = net.weights.length;
  const weights: number[][][] = [];
  const biases: number[][] = [];
  let dCdA = ${m.start ?? "as[L].map((a, j) => 2 * (a - y[j]))"};
  for (${m.loop ?? "let l = L - 1; l >= 0; l--"}) {
    const W = net.weights[l];
    const z = W.map((row, j) => row.reduce((s, w, k) => s + w * as[l][k], net.biases[l][j]));
    const delta = ${m.delta ?? "dCdA.map((d, j) => d * sigmoidPrime(z[j]))"};
    weights[l] = W.map((row, j) => row.map((_, k) => ${m.dW ?? "delta[j] * as[l][k]"}));
    biases[l] = ${m.dB ?? "delta"};
    dCdA = ${m.propagate ?? "as[l].map((_, k) => W.reduce((s, row, j) => s + row[k] * delta[j], 0))"};
  }
  return { weights, biases };
}`;

export default exercise({
  id: "backprop",
  title: "Backpropagation for a whole network",
  points: 4,
  defines: ["backprop"],
  hints: [
    "Forward first (networkForward). Then from the last layer back: δ_j = ∂C/∂a_j · σ′(z_j); the weight gradient is δ_j · a_k of the layer before, the bias gradient δ_j; and the layer before gets ∂C/∂a_k = Σ_j W[j][k] · δ_j.",
    "The index convention: weights[l] connects activations[l] (its inputs) to activations[l+1] (its outputs), so in layer l: z = weights[l]·activations[l] + biases[l], δ_j = ∂C/∂a_j · σ′(z_j), gradient of weights[l][j][k] = δ_j · activations[l][k], gradient of biases[l][j] = δ_j, and the layer before gets ∂C/∂a_k = Σ_j weights[l][j][k] · δ_j.",
  ],
  checks: [
    networkGradientCheck("backprop", 24, 3, networkArgs(SHAPES, 2, 5, 6)),
    // Targets a hair from the outputs: small gradients are still gradients.
    networkGradientCheck("backprop", 2, 0, nearTargetArgs(SHAPES)),
  ],
  mutants: {
    "σ′ is missing in the hidden layers: only the output layer multiplies by σ′(z)": backpropMutant({ delta: "l === L - 1 ? dCdA.map((d, j) => d * sigmoidPrime(z[j])) : dCdA" }),
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": backpropMutant({ delta: "dCdA.map((d, j) => d * sigmoidPrime(as[l + 1][j]))" }),
    "off by one: the layer's own activations instead of its inputs": backpropMutant({ dW: "delta[j] * as[l + 1][k]" }),
    "passes δ back through W instead of Wᵀ": backpropMutant({ propagate: "W.map((row) => row.reduce((s, w, k) => s + w * delta[k], 0))" }),
    "the bias gradients are missing (left at zero)": backpropMutant({ dB: "delta.map(() => 0)" }),
    "the layers are walked from the input forward instead of from the output back": backpropMutant({ loop: "let l = 0; l < L; l++" }),
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": backpropMutant({ start: "as[L].map((a, j) => a - y[j])" }),
    "passes ∂C/∂a back instead of δ: the layer's σ′(z) is lost on the way back": backpropMutant({ propagate: "as[l].map((_, k) => W.reduce((s, row, j) => s + row[k] * dCdA[j], 0))" }),
    "z is declared outside the loop over neurons and never reset: each neuron's z adds to the one before": `function backprop(net: Network, x: number[], y: number[]): Gradients {
  const as = networkForward(net, x);
  const L = net.weights.length;
  const weights: number[][][] = [];
  const biases: number[][] = [];
  let dCdA = as[L].map((a, j) => 2 * (a - y[j]));
  for (let l = L - 1; l >= 0; l--) {
    const W = net.weights[l];
    const delta: number[] = [];
    let z = 0;
    for (let j = 0; j < W.length; j++) {
      for (let k = 0; k < W[j].length; k++) z += W[j][k] * as[l][k];
      z += net.biases[l][j];
      delta.push(dCdA[j] * sigmoidPrime(z));
    }
    weights[l] = W.map((row, j) => row.map((_, k) => delta[j] * as[l][k]));
    biases[l] = delta;
    dCdA = as[l].map((_, k) => W.reduce((s, row, j) => s + row[k] * delta[j], 0));
  }
  return { weights, biases };
}`,
    "every layer's bias gradients are one and the same array (Array(L).fill([]), or one array kept for every layer): writing one layer's writes them all": `function backprop(net: Network, x: number[], y: number[]): Gradients {
  const as = networkForward(net, x);
  const L = net.weights.length;
  const weights: number[][][] = [];
  const biases: number[][] = Array(L).fill([]);
  let dCdA = as[L].map((a, j) => 2 * (a - y[j]));
  for (let l = L - 1; l >= 0; l--) {
    const W = net.weights[l];
    const z = W.map((row, j) => row.reduce((s, w, k) => s + w * as[l][k], net.biases[l][j]));
    const delta = dCdA.map((d, j) => d * sigmoidPrime(z[j]));
    weights[l] = W.map((row, j) => row.map((_, k) => delta[j] * as[l][k]));
    biases[l].push(...delta);
    dCdA = as[l].map((_, k) => W.reduce((s, row, j) => s + row[k] * delta[j], 0));
  }
  return { weights, biases };
}`,
  },
  mistakeHints: {
    "σ′ is missing in the hidden layers: only the output layer multiplies by σ′(z)": "Every layer has its own σ′: in each layer, δ = ∂C/∂a · σ′(z) with that layer's z, not only in the last one.",
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": "sigmoidPrime takes the weighted sum z, not the activation a = σ(z): recompute z = W·a_prev + b for the layer (or keep the zs from the forward pass).",
    "off by one: the layer's own activations instead of its inputs": "weights[l] connects activations[l] (its inputs) to activations[l+1]: its gradient is δ_j · activations[l][k], the activation that feeds the weight.",
    "passes δ back through W instead of Wᵀ": "Passing back sums over the neurons j of the layer for each input k: ∂C/∂a_k = Σ_j W[j][k] · δ_j (W transposed), one number per input.",
    "the bias gradients are missing (left at zero)": "∂z/∂b = 1, so each bias gradient is that neuron's δ: biases[l] = δ.",
    "the layers are walked from the input forward instead of from the output back": "Backprop starts at the output, where ∂C/∂a = 2(a − y) is known, and walks back: for (let l = L - 1; l >= 0; l--).",
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": "C = (a − y)², so ∂C/∂a = 2(a − y): keep the 2.",
    "passes ∂C/∂a back instead of δ: the layer's σ′(z) is lost on the way back": "The layer before is reached through z, so what goes back is δ = ∂C/∂a · σ′(z): ∂C/∂a_k = Σ_j W[j][k] · δ_j, with δ, not ∂C/∂a_j.",
    "z is declared outside the loop over neurons and never reset: each neuron's z adds to the one before": "Each neuron has its own z: start the sum at 0 (or at its bias) inside the loop over j, so it does not carry the previous neuron's sum.",
    "every layer's bias gradients are one and the same array (Array(L).fill([]), or one array kept for every layer): writing one layer's writes them all": "One array stored in several places is written through all of them: Array(L).fill([]) puts the same array in every slot, and so does keeping one δ array for every layer. Give each layer an array of its own: biases[l] = delta, with a new delta computed for each layer.",
  },
});
