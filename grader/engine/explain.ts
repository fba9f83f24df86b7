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

/** One case as judged: the learner's outcomes for its probes and, if it failed on a value, the failure. */
export interface JudgedCase {
  outcomes: Outcome[];
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

/** The learner's answers equal the mistake's on every case both answered, including at least one failing case. */
function behavesLike(judged: JudgedCase[], m: MistakeRun): boolean {
  let comparedFailing = false;
  for (const [i, j] of judged.entries()) {
    const theirs = m.outcomes[i];
    if (!theirs) return false;
    const learnerOk = j.outcomes.every((o) => o.status === "ok");
    const mistakeOk = theirs.every((o) => o.status === "ok");
    // One threw where the other answered: not the same mistake.
    if (learnerOk !== mistakeOk) return false;
    if (!learnerOk) {
      if (j.verdict !== "passed") comparedFailing = true;
      continue;
    }
    for (const [p, o] of j.outcomes.entries()) {
      const t = theirs[p];
      if (o.status !== "ok" || t.status !== "ok" || compare(o.value, t.value) !== null) return false;
    }
    if (j.verdict !== "passed") comparedFailing = true;
  }
  return comparedFailing;
}
