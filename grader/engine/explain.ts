// Say *why* an exercise failed, when the evidence allows it. Three sources, in
// order of trust:
//   1. a cause one case proves on its own (gradients by finite differences);
//   2. a declared mistake (a spec's labelled mutant) whose answers are the
//      learner's answers on every case both could answer;
//   3. a plain factor (a flipped sign, ×2, ×½) that explains every failing case.
// Nothing is said when none of them fits: a wrong "likely cause" costs a
// learner more time than none.
import { compare } from "./compare";
import type { Outcome } from "./outcome";
import type { Failure } from "./spec";
import { FunctionValue, Unreadable, type Plain } from "./values";

/** One case as judged: the learner's outcomes for its probes and, if it failed on a value, the failure. */
export interface JudgedCase {
  outcomes: Outcome[];
  /** The case's own sameness of answers, when plain equality is not it (formulas). */
  same?: (a: Plain, b: Plain) => boolean;
  /** "broken": a probe threw, timed out or was missing. */
  verdict: "passed" | "broken" | Failure;
}

/** A declared mistake's outcomes on the same cases, probe by probe in case order. */
export interface MistakeRun {
  label: string;
  outcomes: Outcome[][];
}

export interface Explanation {
  cause: string;
  /** The mutant label when a declared mistake matched (its hint applies). */
  mistake?: string;
}

const FACTORS: { k: number; cause: string }[] = [
  { k: -1, cause: "the sign is flipped" },
  { k: 0.5, cause: "half the true value: is the factor 2 of ∂C/∂a = 2(a − y) missing?" },
  { k: 2, cause: "twice the true value: an extra factor 2" },
];

export function explain(judged: JudgedCase[], mistakes: () => MistakeRun[]): Explanation | undefined {
  const failing = judged.filter((j) => j.verdict !== "passed");
  if (failing.length === 0) return undefined;

  const valueFailures = failing.map((j) => j.verdict).filter((v): v is Failure => typeof v === "object");
  const proven = valueFailures.find((f) => f.cause);
  if (proven && valueFailures.every((f) => f.cause === proven.cause)) return { cause: proven.cause! };

  for (const m of mistakes()) if (behavesLike(judged, m)) return { cause: m.label, mistake: m.label };

  if (valueFailures.length === failing.length) {
    const ratios = valueFailures.map((f) => f.ratios);
    if (ratios.every((r) => r && r.length > 0)) {
      const all = ratios.flat() as number[];
      const fit = FACTORS.find(({ k }) => all.every((r) => Math.abs(r - k) <= 1e-6 * Math.abs(k)));
      if (fit) return { cause: fit.cause };
    }
  }
  return undefined;
}

/**
 * The learner's answers equal the mistake's wherever both answered. A crash and
 * a NaN count as the same outcome, and a case where only one side broke is no
 * evidence either way: the same mistake written with or without a guard
 * (W[k].reduce that throws, `d[k] || 0` that goes on) breaks on different
 * cases. The evidence must outweigh the gaps: at least one failing case agrees,
 * at least one case agrees on a real value, and no more cases are skipped than
 * failing cases agree.
 */
function behavesLike(judged: JudgedCase[], m: MistakeRun): boolean {
  let failingAgreed = 0;
  let valueAgreed = 0;
  let skipped = 0;
  for (const [i, j] of judged.entries()) {
    const theirs = m.outcomes[i];
    if (!theirs || theirs.length !== j.outcomes.length) return false;
    let gap = false;
    for (const [p, o] of j.outcomes.entries()) {
      const t = theirs[p];
      const mine = broken(o);
      if (mine !== broken(t)) {
        gap = true;
        continue;
      }
      if (mine) continue;
      if (o.status !== "ok" || t.status !== "ok" || o.mutated !== t.mutated) return false;
      if (!(j.same ? j.same(o.value, t.value) : compare(o.value, t.value) === null)) return false;
      valueAgreed++;
    }
    if (gap) skipped++;
    else if (j.verdict !== "passed") failingAgreed++;
  }
  return failingAgreed > 0 && valueAgreed > 0 && skipped <= failingAgreed;
}

/** Threw, timed out, or answered with NaN or undefined somewhere inside. */
function broken(o: Outcome): boolean {
  return o.status !== "ok" || hasHole(o.value);
}

function hasHole(v: Plain): boolean {
  if (typeof v === "number") return Number.isNaN(v);
  if (v === undefined || v instanceof Unreadable) return true;
  if (Array.isArray(v)) return v.some(hasHole);
  if (v !== null && typeof v === "object" && !(v instanceof FunctionValue)) return Object.values(v).some(hasHole);
  return false;
}
