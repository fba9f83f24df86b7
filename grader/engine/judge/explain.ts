// Say *why* an exercise failed, when the evidence allows it, and only then. In
// order of trust:
//   1. behaviour that proves itself: an argument changed by the call, answers
//      right to exactly single precision (diagnose.ts);
//   2. a cause one case proves on its own (finite differences, a biased shuffle);
//   3. a declared mistake (a spec's labelled mutant) whose answers are the
//      learner's answers on every case both could answer;
//   4. the other behaviours any exercise can show (state kept between calls, a
//      shared row, overflow for large inputs, one item too many or too few, an
//      ignored argument, a constant factor, values in the wrong places).
// A behaviour that a declared mistake also shows is named by that mistake's
// label (the spec's words for it, and its hint). Nothing is said when nothing
// fits: a wrong "likely cause" costs a learner more time than none.
import { compare } from "./compare";
import { DEFAULT_TOLERANCE } from "./tolerance";
import { DETECTORS, diagnose, FIRST, TWIN_DETECTORS, type Diagnosis, type ParamNames, type Seen } from "./diagnose";
import type { Outcome } from "./outcome";
import { show } from "./show";
import type { Answer, Case, Failure } from "../course/spec";
import { argForDisplay, FnArg, FunctionValue, Unreadable, type Plain } from "./values";

/** A declared mistake's outcomes on the same cases, probe by probe in case order. */
export interface MistakeRun {
  label: string;
  outcomes: Outcome[][];
  /**
   * The mistake's own lines (compiled, without spaces) that the reference does not have: code
   * that holds them all makes the mistake as written; code that only answers alike may not.
   */
  lines?: string[];
}

/** Code without spaces or line comments, to look for a mistake's lines in. */
export function codeLines(js: string): string[] {
  return js
    .split("\n")
    .map((l) => l.replace(/\/\/.*$/, "").replace(/\s+/g, ""))
    .filter((l) => l.length > 2);
}

export interface Explanation {
  cause: string;
  /** The mutant label when a declared mistake matched (its hint applies). */
  mistake?: string;
  /** The hint for a behaviour found without a declared mistake. */
  hint?: string;
  /**
   * The answers are exactly a declared mistake's, but the code does not hold that mistake's lines:
   * another route to the same numbers may be what it does, so the label is given as what the
   * answers equal, and the mistake's hint as advice for code that does that.
   */
  alike?: boolean;
}

/** "The answers are exactly this mistake's" where the code does not show the mistake itself. */
export const ALIKE = "the answers are exactly those of this known mistake, which your code may reach another way: ";

/** A call that changed its arguments fails, in every exercise: the caller may still need them. */
export function mutationFailure(c: Case, answers: Answer[], params: ParamNames): Failure | null {
  for (const [p, a] of answers.entries()) {
    const probe = c.probes[p];
    if (!a.mutated || probe.kind !== "call" || !a.argsAfter) continue;
    const i = Math.max(0, probe.args.findIndex((x, k) => compare(a.argsAfter![k], argForDisplay(x), { rel: 0, abs: 0 }) !== null));
    const name = params[probe.fn]?.[i] ?? `argument ${i + 1}`;
    const before = show(argForDisplay(probe.args[i]));
    const after = show(a.argsAfter[i]);
    // A large argument shows cut ("[{ weights: [[…]], … }]"), the same before and after: then
    // the first place that changed says what the call did.
    const m = compare(a.argsAfter[i], argForDisplay(probe.args[i]), { rel: 0, abs: 0 });
    const place = m && m.path !== "" && (before === after || before.includes("…")) ? `; the first change: ${name}${m.path} was ${m.expected}, now ${m.actual}` : "";
    return {
      expected: `${name} left as it was: ${before}`,
      actual: `after the call ${name} was ${after}${place}`,
      why: `the function changed its argument \`${name}\`; build and return new values instead`,
    };
  }
  return null;
}

/** One case judged: broken (a probe threw, timed out, was missing), passed, or a failure. */
export function judgeCase(c: Case, outcomes: Outcome[], reference: Answer[], params: ParamNames): Seen["verdict"] {
  if (outcomes.some((o) => o.status !== "ok")) return "broken";
  if (c.diagnostic) return "passed";
  const answers = outcomes as Extract<Outcome, { status: "ok" }>[];
  let judged: Failure | null;
  try {
    judged = c.judge(answers, reference);
  } catch (e) {
    // A check that cannot read an answer (a BigInt where numbers belong) fails that answer; it
    // never stops the grading of the rest, or of a class.
    return {
      expected: "an answer the check can read",
      actual: answers.map((a) => show(a.value)).join(", then "),
      why: `the check could not read this answer (${e instanceof Error ? e.message : String(e)}): return the kind of value the exercise asks for`,
    };
  }
  return judged ?? mutationFailure(c, answers, params) ?? "passed";
}

export function explain(seen: Seen[], mistakes: () => MistakeRun[], params: ParamNames, code?: string): Explanation | undefined {
  const failing = seen.filter((s) => !s.case.diagnostic && s.verdict !== "passed");
  if (failing.length === 0) return undefined;

  // A declared mistake named by its answers: as written where the code holds its lines.
  const namedAs = (label: string): Explanation => {
    const lines = mistakes().find((m) => m.label === label)?.lines;
    const written = code === undefined ? undefined : codeLines(code).join("\n");
    const shows = written === undefined || lines === undefined || lines.every((l) => written.includes(l));
    return shows ? { cause: label, mistake: label } : { cause: ALIKE + label, mistake: label, alike: true };
  };
  // What each declared mistake's own answers look like to the detectors, computed once.
  let signatures: { label: string; seen: Seen[] }[] | undefined;
  const mistakeSeen = () =>
    (signatures ??= mistakes().map((m) => ({
      label: m.label,
      seen: seen.map((s, i) => {
        // A case the mistakes are not run on looks to the detectors as the learner's own does: no evidence either way.
        if (s.case.replayedByMistakes === false) return s;
        const outcomes = m.outcomes[i] ?? [];
        return { ...s, outcomes, verdict: outcomes.length === s.outcomes.length ? judgeCase(s.case, outcomes, s.reference, params) : "broken" };
      }),
    })));
  const named = (d: Diagnosis, detector: string): Explanation => {
    const twin = !TWIN_DETECTORS.includes(detector) ? undefined : mistakeSeen().find((m) => DETECTORS[detector](m.seen, params)?.key === d.key && (detector !== "mutation" || sameChanges(seen, m.seen)));
    return twin ? namedAs(twin.label) : { cause: d.cause, hint: d.hint };
  };
  const first = (names: string[]): Explanation | undefined => {
    for (const name of names) {
      const d = diagnose(seen, params, [name], code);
      if (d) return named(d, name);
    }
    return undefined;
  };

  const sure = first(FIRST);
  if (sure) return sure;

  const valueFailures = failing.map((s) => s.verdict).filter((v): v is Failure => typeof v === "object");
  const proven = valueFailures.find((f) => f.cause);
  if (proven && valueFailures.every((f) => f.cause === proven.cause || (f.cause === undefined && f.fits === proven.cause))) {
    if (proven.causeYields) for (const m of mistakes()) if (behavesLike(seen, m)) return namedAs(m.label);
    const twin = mistakes().find((m) => m.label === proven.cause);
    return twin ? { cause: twin.label, mistake: twin.label } : { cause: proven.cause!, ...(proven.causeHint ? { hint: proven.causeHint } : {}) };
  }

  for (const m of mistakes()) if (behavesLike(seen, m)) return namedAs(m.label);

  return first(Object.keys(DETECTORS).filter((n) => !FIRST.includes(n)));
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
function behavesLike(seen: Seen[], m: MistakeRun): boolean {
  let failingAgreed = 0;
  let failingValueAgreed = 0;
  let valueAgreed = 0;
  let skipped = 0;
  for (const [i, j] of seen.entries()) {
    // A changed argument may leave the exercise's domain (labels that are not one-hot),
    // where two ways of writing the same mistake may part: no evidence for or against.
    if (j.case.diagnostic?.kind === "perturb" || j.case.replayedByMistakes === false) continue;
    const theirs = m.outcomes[i];
    if (!theirs || theirs.length !== j.outcomes.length) return false;
    let gap = false;
    let values = 0;
    for (const [p, o] of j.outcomes.entries()) {
      const t = theirs[p];
      const mine = broken(o);
      if (mine !== broken(t)) {
        gap = true;
        continue;
      }
      if (mine) continue;
      // Infinity agrees with Infinity whatever overflowed: only finite answers are evidence.
      if (o.status === "ok" && finite(o.value)) values++;
      if (o.status !== "ok" || t.status !== "ok" || o.mutated !== t.mutated) return false;
      // Both changed an argument: the same mistake leaves it the same way.
      if (o.mutated && o.argsAfter && t.argsAfter && compare(o.argsAfter, t.argsAfter) !== null) return false;
      const sameAnswer = j.case.same ?? ((a: Plain, b: Plain) => compare(a, b) === null);
      if (!sameAnswer(o.value, t.value)) return false;
      valueAgreed++;
    }
    if (gap) skipped++;
    else if (!j.case.diagnostic && j.verdict !== "passed") {
      failingAgreed++;
      if (values > 0) failingValueAgreed++;
    }
  }
  // Broken alike everywhere it fails is too little: some failing case must agree on real values
  // (a mistake known only by where it breaks is named by the behaviour detectors instead).
  return failingValueAgreed > 0 && valueAgreed > 0 && skipped <= failingAgreed;
}

function finite(v: Plain): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(finite);
  if (v !== null && typeof v === "object" && !(v instanceof FunctionValue) && !(v instanceof Unreadable)) return Object.values(v).every(finite);
  return true;
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

/**
 * A changed argument is a declared mistake only if it is changed the same way: sorting gs is
 * not adding into gs[0], though both change gs in place. Every call the learner's code changed
 * an argument in must leave it as the mistake's does.
 */
function sameChanges(learner: Seen[], mistake: Seen[]): boolean {
  let compared = 0;
  for (const [i, s] of learner.entries()) {
    for (const [p, o] of s.outcomes.entries()) {
      const probe = s.case.probes[p];
      if (o.status !== "ok" || !o.mutated || !o.argsAfter || probe?.kind !== "call") continue;
      const m = mistake[i]?.outcomes[p];
      if (!m || m.status !== "ok" || !m.mutated || !m.argsAfter) return false;
      // The arguments the learner's call changed (a function argument reads the same either way).
      for (const [k, arg] of probe.args.entries()) {
        if (arg instanceof FnArg || compare(o.argsAfter[k], argForDisplay(arg), { rel: 0, abs: 0 }) === null) continue;
        if (compare(o.argsAfter[k], m.argsAfter[k], DEFAULT_TOLERANCE) !== null) return false;
        compared++;
      }
    }
  }
  return compared > 0;
}
