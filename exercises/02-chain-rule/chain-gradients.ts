import { gradientCheck, call, exercise, matchesReference } from "../../grader/engine/authoring";
import { chainOutput, randomChain } from "./chain";

/** The reference algorithm with one part changed: each mutant is one realistic mistake. */
const chainMutant = (parts: { delta?: string; dW?: string; dB?: string; loop?: string; start?: string; back?: string }) => `function chainGradients(x: number, y: number, ws: number[], bs: number[]) {
  const as = chainForward(x, ws, bs);
  const L = ws.length;
  const dWs: number[] = [], dBs: number[] = [];
  let dCdA = ${parts.start ?? "dCostDA(as[L], y)"};
  for (${parts.loop ?? "let l = L - 1; l >= 0; l--"}) {
    const z = ws[l] * as[l] + bs[l];
    const delta = ${parts.delta ?? "dCdA * sigmoidPrime(z)"};
    dWs[l] = ${parts.dW ?? "delta * as[l]"};
    dBs[l] = ${parts.dB ?? "delta"};
    dCdA = ${parts.back ?? "delta * ws[l]"};
  }
  return { dWs, dBs };
}`;

export default exercise({
  id: "chain-gradients",
  title: "Backpropagation along a chain",
  points: 3,
  defines: ["chainGradients"],
  hints: [
    "Run chainForward first, then walk from the last layer back to the first, carrying ∂C/∂a of the current layer: start with 2(aL − y).",
    "In code indices, layer l takes as[l] in and gives as[l + 1] out: z = ws[l]·as[l] + bs[l], δ = ∂C/∂a · σ′(z); dWs[l] = δ · as[l], dBs[l] = δ; then the layer before gets ∂C/∂a = δ · ws[l]. For one layer this is exactly neuronGradients: δ, δ·aPrev, and δ·w passed back.",
  ],
  checks: [
    matchesReference(call("chainGradients", 0.25, 1, [0.5, 0.5], [1, 1]), { label: "chainGradients(0.25, 1, [0.5, 0.5], [1, 1]), the 1-1-1 network" }),
    gradientCheck({
      fn: "chainGradients",
      count: 36,
      hidden: 4,
      args: (rng) => {
        const c = randomChain(rng);
        return [c.x, rng() < 0.5 ? 0 : 1, c.ws, c.bs];
      },
      fields: [
        { field: "dWs", arg: 2, param: "ws" },
        { field: "dBs", arg: 3, param: "bs" },
      ],
      cost: ([x, y, ws, bs]) => (chainOutput(x as number, ws as number[], bs as number[]) - (y as number)) ** 2,
    }),
  ],
  mutants: {
    "σ′ is missing in the layers before the last": `function chainGradients(x: number, y: number, ws: number[], bs: number[]) {
  const as = chainForward(x, ws, bs);
  const L = ws.length;
  const dWs: number[] = [], dBs: number[] = [];
  let delta = dCostDA(as[L], y) * sigmoidPrime(ws[L - 1] * as[L - 1] + bs[L - 1]);
  for (let l = L - 1; l >= 0; l--) {
    dWs[l] = delta * as[l];
    dBs[l] = delta;
    delta = delta * ws[l];
  }
  return { dWs, dBs };
}`,
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": chainMutant({ start: "as[L] - y" }),
    "off by one: the layer's own activation as[l + 1] instead of its input as[l]": chainMutant({ dW: "delta * as[l + 1]" }),
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": chainMutant({ delta: "dCdA * sigmoidPrime(as[l + 1])" }),
    "the bias gradients are missing (left at zero)": chainMutant({ dB: "0" }),
    "the layers are walked from the input forward instead of from the output back": chainMutant({ loop: "let l = 0; l < L; l++" }),
    "∂C/∂a passed back forgets the weight: δ instead of δ · ws[l]": chainMutant({ back: "delta" }),
    "σ′ is multiplied in twice: once in δ and again when passing ∂C/∂a back": chainMutant({ back: "delta * ws[l] * sigmoidPrime(z)" }),
    "starts from 2(y − aL): every gradient has the wrong sign": chainMutant({ start: "2 * (y - as[L])" }),
    "off by one: passes δ back through ws[l − 1] instead of ws[l]": chainMutant({ back: "delta * ws[l - 1]" }),
  },
  mistakeHints: {
    "σ′ is missing in the layers before the last": "Every layer has its own σ′(z): δ = ∂C/∂a · σ′(z) in each layer, then pass δ · ws[l] back.",
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": "C = (a − y)², so ∂C/∂a = 2(a − y) at the output: start from dCostDA(as[L], y).",
    "off by one: the layer's own activation as[l + 1] instead of its input as[l]": "ws[l] multiplies the activation that comes *into* layer l, as[l]: dWs[l] = δ · as[l]. as[l + 1] is what the layer puts out.",
    "σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs": "sigmoidPrime takes z = ws[l]·as[l] + bs[l], not the activation as[l + 1] = σ(z).",
    "the bias gradients are missing (left at zero)": "∂z/∂b = 1, so each bias gradient is that layer's δ: dBs[l] = δ.",
    "the layers are walked from the input forward instead of from the output back": "Start at the output, where ∂C/∂a = 2(a − y) is known, and walk back: for (let l = L - 1; l >= 0; l--).",
    "∂C/∂a passed back forgets the weight: δ instead of δ · ws[l]": "z = ws[l]·as[l] + bs[l], so a change in the input as[l] reaches z multiplied by ws[l]: the layer before gets ∂C/∂a = δ · ws[l].",
    "σ′ is multiplied in twice: once in δ and again when passing ∂C/∂a back": "δ already contains this layer's σ′(z). Pass back ∂C/∂a = δ · ws[l] only; the layer before multiplies by its own σ′ when it computes its δ.",
    "starts from 2(y − aL): every gradient has the wrong sign": "C = (aL − y)², so at the output ∂C/∂a = 2(aL − y), positive when aL is too big: start from dCostDA(as[L], y).",
    "off by one: passes δ back through ws[l − 1] instead of ws[l]": "The weight that connects layer l to its input is ws[l], the same one used in its z: pass back ∂C/∂a = δ · ws[l].",
  },
});
