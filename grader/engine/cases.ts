// Expand a spec's checks into concrete cases for one seed. Each exercise draws
// from its own stream (seed mixed with the id), so grading one exercise alone
// gives the same cases as grading the whole course.
import { makeRng } from "./rng";
import type { Case, ExerciseSpec } from "./spec";

/** The seed of the random cases unless one is asked for (failures print theirs). */
export const DEFAULT_SEED = 1;

function exerciseSeed(seed: number, id: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function expandChecks(spec: ExerciseSpec, seed: number): Case[] {
  const rng = makeRng(exerciseSeed(seed, spec.id));
  const out: Case[] = [];
  for (const c of spec.checks) {
    if ("expand" in c) out.push(...c.expand(rng));
    else out.push(c);
  }
  return out;
}
