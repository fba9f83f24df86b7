// Shared by the chapter 4 specs: seeded rng arguments and small data sets.
import { FnArg, type Arg, randomInt, type Rng } from "../../grader/engine/authoring";
import { oneHotVector, randomVector } from "../03-many-neurons/nets";

export interface Example {
  x: number[];
  y: number[];
}

/** makeRng (mulberry32, grader/engine/course/rng.ts) as source: a seed in, an rng out. */
const RNG_FACTORY = "(s) => () => { s = (s + 0x6d2b79f5) >>> 0; let t = s; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }";

/** A seeded rng created inside the sandbox, the same generator as the engine's makeRng. */
export function rngArg(seed: number): FnArg {
  return new FnArg(RNG_FACTORY, `rng(seed ${seed})`, [seed >>> 0]);
}

export function randomExamples(rng: Rng, n: number, inputs: number, outputs: number): Example[] {
  return Array.from({ length: n }, () => ({ x: randomVector(rng, inputs), y: oneHotVector(outputs, randomInt(rng, 0, outputs - 1)) }));
}

/** Examples whose targets are random vectors in [0, 1): every example has its own label, so a label paired with another input shows. */
export function examplesWithOwnLabels(rng: Rng, n: number, inputs: number, outputs: number): Example[] {
  return Array.from({ length: n }, () => ({ x: randomVector(rng, inputs), y: randomVector(rng, outputs) }));
}

/** Two clouds of 2-D points, one per class: a problem a 2-4-2 network learns in a few epochs. */
export function separable(rng: Rng, n: number): Example[] {
  return Array.from({ length: n }, (_, i) => {
    const cls = i % 2;
    const cx = cls === 0 ? 0.25 : 0.75;
    return { x: [cx + (rng() - 0.5) * 0.3, cx + (rng() - 0.5) * 0.3], y: oneHotVector(2, cls) };
  });
}

export const asArg = (v: unknown): Arg => v as Arg;
