import { call, exercise, matchesReference, randomCases, randomInt, type Arg, type Plain } from "../../grader/engine/authoring";
import { randomNet, randomVector } from "./nets";

/** Name the shape mistake: W is m×n, one row per neuron of this layer, one column per input. */
function explainShapes([W, aPrev]: Arg[], actual: Plain): string | undefined {
  const rows = (W as number[][]).length;
  const cols = (W as number[][])[0]?.length ?? 0;
  const n = (aPrev as number[]).length;
  const bad = !Array.isArray(actual) || actual.length !== rows || actual.some((v) => typeof v !== "number" || Number.isNaN(v));
  if (!bad) return undefined;
  return `check the shapes: W is ${rows}×${cols} (${rows} neurons, each with ${cols} incoming weights) and aPrev has ${n} entries, so the result has ${rows}; W[j][k] is row j (neuron j), column k (input k)`;
}

export default exercise({
  id: "layer-forward",
  title: "A whole layer at once: a = σ(W·aPrev + b)",
  points: 2,
  defines: ["layerForward"],
  hints: [
    "Neuron j of the layer computes z_j = Σ_k W[j][k]·aPrev[k] + b[j], then σ(z_j). The result has one entry per row of W.",
    "Row j of W holds neuron j's incoming weights: W[j][k] connects neuron k of the previous layer to neuron j. Worked value: W = [[0.5]], aPrev = [0.25], b = [1] gives z = 0.5·0.25 + 1 = 1.125 and [σ(1.125)] ≈ [0.755].",
  ],
  checks: [
    matchesReference(call("layerForward", [[0.5]], [0.25], [1]), { label: "layerForward([[0.5]], [0.25], [1]): the 1-1-1 example's last neuron" }),
    // The same aPrev with other weights, then other biases: an answer kept by some arguments alone is the call before's.
    matchesReference(call("layerForward", [[-2]], [0.25], [1]), { label: "layerForward([[-2]], [0.25], [1]): the same aPrev, another weight" }),
    matchesReference(call("layerForward", [[-2]], [0.25], [-0.5]), { label: "layerForward([[-2]], [0.25], [-0.5]): the same aPrev and weight, another bias" }),
    matchesReference(call("layerForward", [[1, 2, 3], [-1, 0, 1]], [0.1, 0.2, 0.3], [0, 0.5]), { label: "layerForward with a 2×3 W: 3 inputs, 2 neurons", explain: explainShapes }),
    // Saturated neurons, z from −22.5 to 20: a shortcut that returns 0 or 1 beyond some |z| is off there (see sigmoid).
    matchesReference(call("layerForward", [[1], [1], [1], [1], [1], [1], [1]], [0.5], [-9, -14, -19, -22.5, 9, 15, 19.5]), { label: "layerForward with saturated neurons: z from −22.5 to 20" }),
    randomCases("layerForward", {
      count: 50,
      args: (rng) => {
        const n = randomInt(rng, 1, 7);
        const m = randomInt(rng, 1, 7);
        const net = randomNet(rng, [n, m]);
        return [net.weights[0], randomVector(rng, n), net.biases[0]];
      },
      explain: explainShapes,
      hidden: 5,
    }),
    // Far out, where e^z overflows: σ is 1 and 0 there (chapter 1), e^z / (1 + e^z) is NaN.
    matchesReference(call("layerForward", [[1]], [1], [999]), { label: "layerForward far out: z = 1000, where σ is 1" }),
    matchesReference(call("layerForward", [[0.5]], [2], [-1001]), { label: "layerForward far out: z = −1000, where σ is 0" }),
  ],
  mutants: {
    "reads W transposed (W[k][j])": "function layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  return b.map((bj, j) => sigmoid(aPrev.reduce((s, a, k) => s + (W[k] ?? [])[j] * a, bj)));\n}",
    "forgets the bias": "function layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  return W.map((row) => sigmoid(row.reduce((s, w, k) => s + w * aPrev[k], 0)));\n}",
    "forgets the sigmoid": "function layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  return W.map((row, j) => row.reduce((s, w, k) => s + w * aPrev[k], b[j]));\n}",
    "the bias is added after the sigmoid": "function layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  return W.map((row, j) => sigmoid(row.reduce((z, w, k) => z + w * aPrev[k], 0)) + b[j]);\n}",
    "reduce without an initial value: the first weight is added as it is, not multiplied by aPrev[0]": "function layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  return W.map((row, j) => sigmoid(row.reduce((z, w, k) => z + w * aPrev[k]) + b[j]));\n}",
    "z is declared outside the loop over neurons and never reset: each neuron's sum starts from the previous neuron's z": "function layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  const out: number[] = [];\n  let z = 0;\n  for (let j = 0; j < W.length; j++) {\n    for (let k = 0; k < aPrev.length; k++) z += W[j][k] * aPrev[k];\n    z += b[j];\n    out.push(sigmoid(z));\n  }\n  return out;\n}",
    "σ is applied to each product w·a instead of to the whole sum z": "function layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  return W.map((row, j) => row.reduce((s, w, k) => s + sigmoid(w * aPrev[k]), sigmoid(b[j])));\n}",
  },
  mistakeHints: {
    "reads W transposed (W[k][j])": "Row j of W is neuron j's incoming weights, so use W[j][k] (row j, column k): W[k][j] reads the matrix transposed and has the wrong shape unless W is square.",
    "forgets the bias": "Each neuron adds its own bias before the sigmoid: z_j = Σ_k W[j][k]·aPrev[k] + b[j]. Start the sum at b[j] instead of 0.",
    "forgets the sigmoid": "The activation is σ(z), not z: pass each neuron's weighted sum through sigmoid before returning it.",
    "the bias is added after the sigmoid": "The bias is part of z: σ(Σ_k W[j][k]·aPrev[k] + b[j]), with b[j] inside the sigmoid, not σ(…) + b[j].",
    "reduce without an initial value: the first weight is added as it is, not multiplied by aPrev[0]": "Without an initial value, reduce starts from the first element (W[j][0]) and never multiplies it by aPrev[0]: pass a start value, e.g. row.reduce((z, w, k) => z + w * aPrev[k], b[j]).",
    "z is declared outside the loop over neurons and never reset: each neuron's sum starts from the previous neuron's z": "Each neuron has its own weighted sum: declare z = 0 (or z = b[j]) inside the loop over j, so it starts fresh for every neuron.",
    "σ is applied to each product w·a instead of to the whole sum z": "Add up first, squash once: z_j = Σ_k W[j][k]·aPrev[k] + b[j], then a_j = σ(z_j). σ of each term, summed, is a different number.",
  },
});
