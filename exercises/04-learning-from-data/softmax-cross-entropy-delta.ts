import { gradientCheck, call, exercise, expectValue, randomCases, randomInt, type Rng } from "../../grader/engine/authoring";
import { oneHotVector } from "../03-many-neurons/nets";
import { randomZ } from "./softmax";

/** C = −Σ_j y_j ln softmax(z)_j, computed as −Σ_j y_j (z_j − log Σ_k e^(z_k)) so it never takes ln 0 (trusted spec code). */
export function crossEntropyOfZ(z: number[], y: number[]): number {
  const top = Math.max(...z);
  const logSum = top + Math.log(z.reduce((s, v) => s + Math.exp(v - top), 0));
  return -y.reduce((s, yj, j) => s + yj * (z[j] - logSum), 0);
}

/** Moderate z for the gradient check: with huge z the cost is flat to machine precision and a centred difference only sees rounding. */
function zAndTarget(rng: Rng): [number[], number[]] {
  const n = randomInt(rng, 2, 10);
  const z = Array.from({ length: n }, () => (rng() - 0.5) * 8);
  return [z, oneHotVector(n, randomInt(rng, 0, n - 1))];
}

const deltaMutant = (body: string) => `function softmaxCrossEntropyDelta(z: number[], y: number[]): number[] {\n  const a = softmax(z);\n${body}\n}`;

export default exercise({
  id: "softmax-cross-entropy-delta",
  title: "δ = a − y: the output error of softmax with cross-entropy",
  points: 2,
  defines: ["softmaxCrossEntropyDelta"],
  hints: [
    "With softmax outputs a = softmax(z) and the cross-entropy cost C = −Σ_j y_j ln a_j, the error signal of the output layer is simply δ_j = ∂C/∂z_j = a_j − y_j: compute a with your softmax, then subtract y entry by entry.",
    "δ_j = a_j − y_j with a = softmax(z). Worked value: z = [0, 0] and y = [1, 0] give a = [0.5, 0.5] and δ = [0.5 − 1, 0.5 − 0] = [−0.5, 0.5].",
  ],
  checks: [
    expectValue(call("softmaxCrossEntropyDelta", [0, 0], [1, 0]), [-0.5, 0.5]),
    expectValue(call("softmaxCrossEntropyDelta", [1000, 0], [1, 0]), [0, 0], { label: "softmaxCrossEntropyDelta([1000, 0], [1, 0]) = [0, 0], not NaN" }),
    // δ = a − y needs only that the y_j add up to 1 (the notebook's derivation): a soft target too.
    // Code that rebuilds a one-hot y from its largest entry is right only on one-hot targets.
    expectValue(call("softmaxCrossEntropyDelta", [0, 0, 0], [0.2, 0.3, 0.5]), [1 / 3 - 0.2, 1 / 3 - 0.3, 1 / 3 - 0.5], { label: "softmaxCrossEntropyDelta([0, 0, 0], [0.2, 0.3, 0.5]) = [1/3 − 0.2, 1/3 − 0.3, 1/3 − 0.5]: a soft target, whose entries add up to 1, gives a − y too" }),
    // The numeric-gradient check: δ must be the measured slope of the cross-entropy cost in every z_j.
    gradientCheck({
      fn: "softmaxCrossEntropyDelta",
      count: 30,
      hidden: 3,
      args: (rng) => zAndTarget(rng),
      fields: [{ field: "", arg: 0, param: "z", describe: ([j]) => `z[${j}] (the weighted input of output neuron ${j})` }],
      cost: ([z, y]) => crossEntropyOfZ(z as number[], y as number[]),
    }),
    randomCases("softmaxCrossEntropyDelta", {
      count: 40,
      args: (rng) => {
        const z = randomZ(rng);
        return [z, oneHotVector(z.length, randomInt(rng, 0, z.length - 1))];
      },
      hidden: 5,
    }),
  ],
  mutants: {
    "δ = (a − y)·a(1 − a): keeps the output's own slope, which cross-entropy cancels": deltaMutant("  return a.map((aj, j) => (aj - y[j]) * aj * (1 - aj));"),
    "δ = 2(a − y): the factor 2 of the quadratic cost": deltaMutant("  return a.map((aj, j) => 2 * (aj - y[j]));"),
    "δ = y − a: the sign is flipped": deltaMutant("  return a.map((aj, j) => y[j] - aj);"),
    "a = σ(z) entry by entry instead of the softmax": deltaMutant("  return z.map((zj, j) => 1 / (1 + Math.exp(-zj)) - y[j]);"),
    "δ = (a − y)·σ′(z): keeps the sigmoid's slope, which a softmax output with cross-entropy does not have": deltaMutant("  return a.map((aj, j) => (aj - y[j]) * sigmoidPrime(z[j]));"),
    "δ = z − y: the weighted input z where the softmax output a belongs": deltaMutant("  return z.map((zj, j) => zj - y[j]);"),
    "δ = −y/a: the slope of the cost in a, not in z": deltaMutant("  return a.map((aj, j) => -y[j] / aj);"),
  },
  mistakeHints: {
    "δ = (a − y)·a(1 − a): keeps the output's own slope, which cross-entropy cancels": "With softmax and cross-entropy the slope of the softmax cancels against the 1/a of the logarithm: δ = a − y, with no a(1 − a) factor.",
    "δ = 2(a − y): the factor 2 of the quadratic cost": "The 2 comes from the quadratic cost (a − y)²; the cross-entropy cost gives δ = a − y without it.",
    "δ = y − a: the sign is flipped": "δ = ∂C/∂z points uphill: it is a − y (output minus target), not y − a.",
    "a = σ(z) entry by entry instead of the softmax": "The outputs here are softmax(z), computed over the whole vector: call your softmax(z), not σ on each entry.",
    "δ = (a − y)·σ′(z): keeps the sigmoid's slope, which a softmax output with cross-entropy does not have": "σ′ belongs to sigmoid outputs: with softmax and cross-entropy the slopes cancel and δ = a − y, with nothing multiplied on.",
    "δ = z − y: the weighted input z where the softmax output a belongs": "Compare the outputs with the target: first a = softmax(z), then δ_j = a_j − y_j.",
    "δ = −y/a: the slope of the cost in a, not in z": "−y/a is ∂C/∂a. δ is the slope in z: chaining it through the softmax leaves ∂C/∂z_j = a_j − y_j.",
  },
});
