import { layerSizes, type Network, call, exercise, expectValue, type RandomCheck, type Plain } from "../../grader/engine/authoring";
import { networkArgs, networkGradientCheck, trustedBackprop } from "../03-many-neurons/nets";

const SHAPES = [[3, 4, 2], [5, 3, 3, 2], [2, 8, 8, 8, 1], [3, 3, 3], [4, 4, 4, 4]];

const args = networkArgs(SHAPES, 1, 5, 6);

/** The answer must be chapter 3's index form (trusted spec code, not the master) on the same input. */
const againstIndexForm: RandomCheck = {
  expand: (rng) =>
    Array.from({ length: 8 }, () => {
      const a = args(rng);
      const want = trustedBackprop(a[0] as unknown as Network, a[1] as number[], a[2] as number[]);
      return expectValue(call("backpropVector", ...a), want as unknown as Plain, { label: `backpropVector(a ${layerSizes(a[0] as unknown as Network).join("-")} network) equals chapter 3's index form` });
    }),
};

interface Parts {
  bp1?: string;
  bp2?: string;
  bp3?: string;
  bp4?: string;
}

/** The master with one of the four equations changed. */
const cell = (p: Parts) => `function backpropVector(net: Network, x: number[], y: number[]): Gradients {
  const L = net.weights.length;
  const as: number[][] = [x];
  const zs: number[][] = [];
  for (let l = 0; l < L; l++) {
    zs.push(plus(matVec(net.weights[l], as[l]), net.biases[l]));
    as.push(zs[l].map(sigmoid));
  }
  const weights: number[][][] = new Array(L);
  const biases: number[][] = new Array(L);
  let delta = ${p.bp1 ?? "hadamard(as[L].map((a, j) => 2 * (a - y[j])), zs[L - 1].map(sigmoidPrime))"};
  for (let l = L - 1; l >= 0; l--) {
    biases[l] = ${p.bp3 ?? "delta"};
    weights[l] = ${p.bp4 ?? "outer(delta, as[l])"};
    if (l > 0) delta = ${p.bp2 ?? "hadamard(matVec(transpose(net.weights[l]), delta), zs[l - 1].map(sigmoidPrime))"};
  }
  return { weights, biases };
}`;

export default exercise({
  id: "vector-backprop",
  title: "Backprop with whole vectors and matrices",
  points: 3,
  defines: ["backpropVector"],
  withholds: {
    backprop: "write the four equations with whole vectors and matrices (matVec, transpose, hadamard, outer, plus); the answers are checked against chapter 3's index form",
    autogradBackprop: "write the four equations with whole vectors and matrices (matVec, transpose, hadamard, outer, plus); the answers are checked against chapter 3's index form",
  },
  hints: [
    "Forward: z = W·a + b and a = σ(z) for each layer, keeping every z. Then BP1: δ = ∇ₐC ⊙ σ′(z) at the output, with ∇ₐC = 2(a − y); walking back, BP3: the bias gradient is δ, BP4: the weight gradient is outer(δ, a of the layer before), and BP2: δ of the layer before is (Wᵀδ) ⊙ σ′(z) of that layer. Use matVec, transpose, hadamard, outer and plus.",
    "Shapes tell you what goes where: with 3 inputs and 2 outputs, W is 2 × 3, δ has 2 entries, a of the layer before has 3, so ∂C/∂W = δ aᵀ is 2 × 3 like W, and Wᵀδ has 3 entries, one per input.",
  ],
  checks: [
    againstIndexForm,
    networkGradientCheck("backpropVector", 12, 2, args),
  ],
  mutants: {
    "BP2 passes δ back through W instead of Wᵀ": cell({ bp2: "hadamard(matVec(net.weights[l], delta), zs[l - 1].map(sigmoidPrime))" }),
    "BP4 is transposed: a δᵀ instead of δ aᵀ": cell({ bp4: "outer(as[l], delta)" }),
    "BP2 without ⊙ σ′(z): the hidden layers' δ is Wᵀδ alone": cell({ bp2: "matVec(transpose(net.weights[l]), delta)" }),
    "BP2 uses σ′ of the layer's own z instead of the layer before": cell({ bp2: "hadamard(matVec(transpose(net.weights[l]), delta), zs[l].map(sigmoidPrime))" }),
    "BP1 forgets the factor 2 of ∇ₐC = 2(a − y)": cell({ bp1: "hadamard(as[L].map((a, j) => a - y[j]), zs[L - 1].map(sigmoidPrime))" }),
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": cell({
      bp1: "hadamard(as[L].map((a, j) => 2 * (a - y[j])), as[L].map(sigmoidPrime))",
      bp2: "hadamard(matVec(transpose(net.weights[l]), delta), as[l].map(sigmoidPrime))",
    }),
  },
  mistakeHints: {
    "BP2 passes δ back through W instead of Wᵀ": "δ goes back against the arrows: each input k collects Σ_j W[j][k] δ_j, which is matVec(transpose(W), δ).",
    "BP4 is transposed: a δᵀ instead of δ aᵀ": "∂C/∂W must be shaped like W (rows: neurons j of the layer, columns: inputs k): outer(δ, aPrev).",
    "BP2 without ⊙ σ′(z): the hidden layers' δ is Wᵀδ alone": "Wᵀδ is ∂C/∂a of the layer before; multiply entry by entry by σ′(z) of that layer to get its δ.",
    "BP2 uses σ′ of the layer's own z instead of the layer before": "The new δ belongs to the layer before (weights[l] takes it as input): use its z, zs[l - 1].",
    "BP1 forgets the factor 2 of ∇ₐC = 2(a − y)": "C = Σ (a − y)², so ∇ₐC = 2(a − y): keep the 2.",
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": "sigmoidPrime takes the weighted sum z, not the activation a = σ(z): use the zs kept from the forward pass, zs[L − 1] in BP1 and zs[l − 1] in BP2.",
  },
});
