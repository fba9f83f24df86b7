// Random chains of one-neuron sigmoid layers, shared by chain-forward and chain-gradients.
import { type Rng, normal, randomInt, sigma } from "../../grader/engine/authoring";

export interface Chain {
  x: number;
  ws: number[];
  bs: number[];
}

export function randomChain(rng: Rng, minLength = 1, maxLength = 6): Chain {
  const n = randomInt(rng, minLength, maxLength);
  return { x: rng(), ws: Array.from({ length: n }, () => normal(rng) * 1.5), bs: Array.from({ length: n }, () => normal(rng)) };
}


/** Trusted forward pass for the numeric-gradient check (never shown to learners). */
export function chainOutput(x: number, ws: number[], bs: number[]): number {
  return ws.reduce((a, w, l) => sigma(w * a + bs[l]), x);
}
