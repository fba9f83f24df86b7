import { gradientCheck } from "../../grader/engine/gradcheck";
import { call, exercise, matchesReference } from "../../grader/engine/spec";
import { chainOutput, randomChain } from "./chain";

export default exercise({
  id: "chain-gradients",
  title: "Backpropagation along a chain",
  points: 3,
  defines: ["chainGradients"],
  needs: ["chain-forward", "sigmoid-prime", "d-cost-d-a"],
  hints: [
    "Run chainForward first, then walk from the last layer back to the first, carrying ∂C/∂a of the current layer: start with 2(aL − y).",
    "In layer l: δ = ∂C/∂a · σ′(z_l); dWs[l] = δ · a_(l−1), dBs[l] = δ; then the layer before gets ∂C/∂a = δ · ws[l]. Every layer needs its own σ′.",
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
    "drops σ′ in the layers before the last": `function chainGradients(x: number, y: number, ws: number[], bs: number[]) {
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
    "forgets the factor 2": `function chainGradients(x: number, y: number, ws: number[], bs: number[]) {
  const as = chainForward(x, ws, bs);
  const L = ws.length;
  const dWs: number[] = [], dBs: number[] = [];
  let dCdA = as[L] - y;
  for (let l = L - 1; l >= 0; l--) {
    const delta = dCdA * sigmoidPrime(ws[l] * as[l] + bs[l]);
    dWs[l] = delta * as[l];
    dBs[l] = delta;
    dCdA = delta * ws[l];
  }
  return { dWs, dBs };
}`,
    "off by one: a_l instead of a_(l−1)": `function chainGradients(x: number, y: number, ws: number[], bs: number[]) {
  const as = chainForward(x, ws, bs);
  const L = ws.length;
  const dWs: number[] = [], dBs: number[] = [];
  let dCdA = dCostDA(as[L], y);
  for (let l = L - 1; l >= 0; l--) {
    const delta = dCdA * sigmoidPrime(ws[l] * as[l] + bs[l]);
    dWs[l] = delta * as[l + 1];
    dBs[l] = delta;
    dCdA = delta * ws[l];
  }
  return { dWs, dBs };
}`,
  },
});
