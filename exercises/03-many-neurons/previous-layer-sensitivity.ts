import { gradientCheck, exercise, randomInt, type Arg, type Rng } from "../../grader/engine/authoring";
import { oneHotVector, quadraticCost, randomNet, randomVector, trustedLayer } from "./nets";

/** A wrong cell that starts like the reference: the layer's z and a are computed right. */
const PLS = (body: string) => `function previousLayerSensitivity(W: number[][], aPrev: number[], b: number[], y: number[]): number[] {
  const z = W.map((row, j) => row.reduce((s, w, k) => s + w * aPrev[k], b[j]));
  const a = layerForward(W, aPrev, b);
${body}
}`;

/** A last layer's W, aPrev, b and a target for its m outputs (the draws in this order: the cases stay as they were). */
function lastLayer(rng: Rng, target: (m: number) => number[]): Arg[] {
  const n = randomInt(rng, 1, 6);
  const m = randomInt(rng, 2, 6);
  const net = randomNet(rng, [n, m]);
  return [net.weights[0], randomVector(rng, n), net.biases[0], target(m)];
}

/** What both gradient checks share: the target differs (one-hot, or anywhere in [0, 1]). */
const CHECK: Omit<Parameters<typeof gradientCheck>[0], "count" | "hidden" | "args"> = {
  fn: "previousLayerSensitivity",
  fields: [{ field: "", arg: 1, param: "aPrev" }],
  describeArgs: ([W]) => `a last layer of ${(W as number[][]).length} neurons with ${(W as number[][])[0].length} inputs`,
  cost: ([W, aPrev, b, y]) => quadraticCost(trustedLayer(W as number[][], aPrev as number[], b as number[]), y as number[]),
  // Each answer is Σ_j W[j][k]·δ_j, which can nearly cancel: exactness is judged against its terms.
  termScale: ([W, aPrev, b, y]) => {
    const rows = W as number[][];
    const a = trustedLayer(rows, aPrev as number[], b as number[]);
    const delta = a.map((aj, j) => aj * (1 - aj) * 2 * (aj - (y as number[])[j]));
    return Math.max(...(aPrev as number[]).map((_, k) => rows.reduce((s, row, j) => s + Math.abs(row[k] * delta[j]), 0)));
  },
};

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
      ...CHECK,
      count: 40,
      hidden: 4,
      args: (rng) => lastLayer(rng, (m) => oneHotVector(m, randomInt(rng, 0, m - 1))),
    }),
    // A target anywhere in [0, 1]: the formula holds for any y_j, not only a digit's one-hot vector.
    gradientCheck({
      ...CHECK,
      count: 6,
      hidden: 1,
      args: (rng) => lastLayer(rng, (m) => randomVector(rng, m)),
      describeArgs: ([W]) => `a last layer of ${(W as number[][]).length} neurons with ${(W as number[][])[0].length} inputs, a target in [0, 1]`,
    }),
    // A last layer of one neuron (a network with one output): the sum over j has one term, and
    // that term still reads every input of the neuron's weighted sum.
    gradientCheck({
      ...CHECK,
      count: 4,
      hidden: 1,
      args: (rng) => {
        const n = randomInt(rng, 2, 6);
        const net = randomNet(rng, [n, 1]);
        return [net.weights[0], randomVector(rng, n), net.biases[0], randomVector(rng, 1)];
      },
      describeArgs: ([W]) => `a last layer of one neuron with ${(W as number[][])[0].length} inputs`,
    }),
  ],
  mutants: {
    "follows one path only (through neuron 0) instead of summing over every neuron of the last layer": PLS(
      "  const z0 = W[0].reduce((s, w, k) => s + w * aPrev[k], b[0]);\n  return aPrev.map((_, k) => W[0][k] * sigmoidPrime(z0) * 2 * (a[0] - y[0]));",
    ),
    "σ′(z) is missing from each path": PLS("  return aPrev.map((_, k) => W.reduce((s, row, j) => s + row[k] * 2 * (a[j] - y[j]), 0));"),
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": PLS(
      "  const delta = a.map((aj, j) => sigmoidPrime(aj) * 2 * (aj - y[j]));\n  return aPrev.map((_, k) => W.reduce((s, row, j) => s + row[k] * delta[j], 0));",
    ),
    "passes back through W instead of Wᵀ: one number per neuron of the last layer, not per input": PLS(
      "  const delta = z.map((zj, j) => sigmoidPrime(zj) * 2 * (a[j] - y[j]));\n  return W.map((row) => row.reduce((s, w, k) => s + w * delta[k], 0));",
    ),
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": PLS(
      "  const delta = z.map((zj, j) => sigmoidPrime(zj) * (a[j] - y[j]));\n  return aPrev.map((_, k) => W.reduce((s, row, j) => s + row[k] * delta[j], 0));",
    ),
    "(z − y) instead of (a − y): the weighted sum z where the activation a belongs": PLS(
      "  const delta = z.map((zj, j) => sigmoidPrime(zj) * 2 * (zj - y[j]));\n  return aPrev.map((_, k) => W.reduce((s, row, j) => s + row[k] * delta[j], 0));",
    ),
    "the sum is declared outside the loop over k and never reset: each entry adds to the one before": PLS(
      "  const delta = z.map((zj, j) => sigmoidPrime(zj) * 2 * (a[j] - y[j]));\n  const out: number[] = [];\n  let s = 0;\n  for (let k = 0; k < aPrev.length; k++) {\n    for (let j = 0; j < W.length; j++) s += W[j][k] * delta[j];\n    out.push(s);\n  }\n  return out;",
    ),
  },
  mistakeHints: {
    "follows one path only (through neuron 0) instead of summing over every neuron of the last layer": "a_k of the layer before feeds every neuron j of the last layer: add up the paths, Σ_j w_jk · σ′(z_j) · 2(a_j − y_j).",
    "σ′(z) is missing from each path": "Each path goes through its neuron's σ: multiply by σ′(z_j) on the path through neuron j.",
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": "sigmoidPrime takes z_j = Σ_k W[j][k]·aPrev[k] + b[j], not the activation a_j = σ(z_j).",
    "passes back through W instead of Wᵀ: one number per neuron of the last layer, not per input": "The answer has one number per input k (aPrev.length of them): for each k, sum over the neurons j, W[j][k] · δ_j (W transposed).",
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": "C = Σ_j (a_j − y_j)², so ∂C/∂a_j = 2(a_j − y_j): keep the 2 on every path.",
    "(z − y) instead of (a − y): the weighted sum z where the activation a belongs": "The cost compares the activation with the target: ∂C/∂a_j = 2(a_j − y_j) with a_j = σ(z_j), not the weighted sum z_j.",
    "the sum is declared outside the loop over k and never reset: each entry adds to the one before": "Each input k has its own sum over j: start it at 0 inside the loop over k (or write aPrev.map((_, k) => W.reduce(…, 0))).",
  },
});
