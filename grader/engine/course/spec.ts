// An exercise spec is data plus small functions: what the learner's cell must
// define, the checks (worked values, random cases compared with the reference,
// relations, gradient checks), points, hints and the mutants it must catch.
// Specs never see learner code: they describe probes, and judge the plain
// values those probes returned.
import { createHash } from "node:crypto";
import { compare, leafRatios, type Mismatch } from "../judge/compare";
import { compareFormula, formulaSamples, formulasAgree, type FormulaSpec } from "../judge/formula";
import type { Probe } from "../judge/outcome";
import type { FormulaSamples, PublicCheck, PublicParam } from "./public-check";
import type { Rng } from "./rng";
import { show } from "../judge/show";
import { DEFAULT_TOLERANCE, type Tolerance } from "../judge/tolerance";
import { argForDisplay, FnArg, type Arg, type Plain } from "../judge/values";

/** A successful probe's result, as judges see it. */
export interface Answer {
  value: Plain;
  mutated: boolean;
  argsAfter?: Plain[];
  /** See Outcome: the answer on refilled objects is the one given before they were refilled. */
  sameAsBefore?: true;
}

export interface Failure {
  expected: string;
  actual: string;
  why?: string;
  /** actual/expected for each differing number, when only numbers differ (see leafRatios). */
  ratios?: number[];
  /** A mistake this one case proves on its own (e.g. gradients by finite differences). */
  cause?: string;
  /** What to do about `cause`, where no declared mistake's hint says it. */
  causeHint?: string;
  /** `cause` says what is not known rather than a mistake: a declared mistake that behaves alike is named instead. */
  causeYields?: true;
  /**
   * A mistake this case's answer fits but cannot prove (a graph of one value, where two mistakes
   * give the same []): it neither names that cause nor stands in the way of the cases that prove it.
   */
  fits?: string;
  /** More lines to show under the failure (e.g. a per-layer table of gradients). */
  detail?: string[];
  /** Formulas to typeset (TeX) next to expected and actual, in HTML reports. */
  math?: { expected: string; actual?: string };
}

export interface Case {
  /** The input, as the learner would write it: `sigmoid(1000)`. */
  label: string;
  probes: Probe[];
  /** Reference answers are computed only when a judge needs them. */
  usesReference: boolean;
  hidden?: boolean;
  judge(learner: Answer[], reference: Answer[]): Failure | null;
  /** Something worth showing even when the case passes (e.g. the learner's formula, typeset). */
  shown?(learner: Answer[]): Shown | null;
  /** Do two answers say the same (default: equal values)? Formulas: the same function, however written. */
  same?(a: Plain, b: Plain): boolean;
  /** The value written in the spec, for a case that compares with one (evidence for explaining a failure). */
  expected?: Plain;
  /**
   * Not a check: a probe added to every exercise whose answer is evidence for explaining
   * a failure (diagnose.ts). Never counted, never failed, never hidden. `of` is the case it
   * repeats; a perturbed probe changes one argument (or one field of it) of that case.
   */
  diagnostic?: { kind: "repeat"; of: number } | { kind: "perturb"; of: number; arg: number; part: string; variant: 0 | 1 };
  /**
   * false: the declared mistakes are not run on this case, which names what it finds itself (its
   * failure carries a cause). For a case of hundreds of calls (train-epoch's order check: 600
   * epochs) that is most of what running the mistakes costs; matching a learner's answers with a
   * mistake's then takes the other cases as evidence, and this one as neither for nor against.
   */
  replayedByMistakes?: false;
  /**
   * The case as data, for the learner edition (public-check.ts), when it can be judged
   * without trusted course code; absent: the case runs in official grading only.
   * A function: some descriptions cost work (centred differences), done only when publishing.
   */
  publish?: () => PublicCheck;
}

/** A judge that holds no answer, published by name: its parameters give the judge of one relation case. */
export type PublicJudge = (...params: PublicParam[]) => (values: Plain[]) => Failure | null;

export interface Shown {
  caption: string;
  tex: string;
}

/** A family of cases drawn from a seeded random stream. */
export interface RandomCheck {
  expand(rng: Rng): Case[];
}

export type Check = Case | RandomCheck;

export interface ExerciseSpec {
  id: string;
  title: string;
  points: number;
  /** Names the cell must define, in the order `check(id, ...values)` receives them. */
  defines: string[];
  /**
   * The first is shown when the exercise is not started; the second (optional) after a
   * failure in which no particular mistake was found: general, naming no mistake.
   */
  hints: string[];
  checks: Check[];
  /**
   * Realistic mistakes, as wrong versions of the cell: label -> cell source. The
   * label says the mistake in plain words ("σ′ is applied to a instead of z"):
   * when a learner's answers behave like a mutant's, feedback names it on a
   * `likely cause:` line. `validate` proves each one fails and is recognised.
   */
  mutants: Record<string, string>;
  /** The hint for a recognised mistake (mutant label -> hint), shown only when that mistake is recognised. */
  mistakeHints?: Record<string, string>;
  /** Per-exercise time budget for running the cell and all its checks. */
  timeoutMs?: number;
  /**
   * Earlier exercises' functions a cell of this one may not call while graded, each with why
   * (name -> what the exercise asks instead): the exercise computes what they compute another
   * way (autograd-backprop is backprop by graph), so calling them would answer it unwritten.
   */
  withholds?: Record<string, string>;
}

export function exercise(spec: ExerciseSpec): ExerciseSpec {
  return spec;
}

export function call(fn: string, ...args: Arg[]): Probe {
  return { kind: "call", fn, args };
}

/** The same call with records of one id given as one object, as a notebook's graph holds them (Probe's linkIds). */
export function linked(p: Probe): Probe {
  return p.kind === "call" ? { ...p, linkIds: true } : p;
}

/** The same call, also reporting whether it changed its arguments. */
export function watched(p: Probe): Probe {
  return p.kind === "call" ? { ...p, watch: true } : p;
}

export function read(name: string): Probe {
  return { kind: "read", name };
}

export function label(p: Probe): string {
  if (p.kind === "read") return p.name;
  return `${p.fn}(${p.args.map((a) => show(argForDisplay(a))).join(", ")})`;
}

interface CaseOptions {
  /** Explain a wrong answer in the exercise's own terms (e.g. "W is read transposed"). */
  explain?: (args: Arg[], actual: Plain, expected: Plain) => string | undefined;
  tol?: Tolerance;
  hidden?: boolean;
  label?: string;
}

function fromMismatch(m: Mismatch | null): Failure | null {
  if (!m) return null;
  const at = m.path.replace(/^\./, "");
  return { expected: at ? `${at} = ${m.expected}` : m.expected, actual: at ? `${at} = ${m.actual}` : m.actual, why: m.why };
}

/** One answer compared with an expected value: written in the spec, or the reference's answer. */
function comparison(probe: Probe, expected: { value: Plain } | "reference", opts: CaseOptions): Case {
  const caseLabel = opts.label ?? label(probe);
  const published = { label: caseLabel, probe, ...(opts.tol ? { tol: opts.tol } : {}) };
  return {
    label: caseLabel,
    probes: [probe],
    usesReference: expected === "reference",
    hidden: opts.hidden,
    // The `explain` closure stays behind: it is course code, and a wrong answer is still shown as expected and actual.
    publish: () => (expected === "reference" ? { kind: "reference", ...published } : { kind: "value", ...published, expected: expected.value }),
    ...(expected === "reference" ? {} : { expected: expected.value }),
    judge: ([a], [r]) => {
      const want = expected === "reference" ? r.value : expected.value;
      const f = fromMismatch(compare(a.value, want, opts.tol ?? DEFAULT_TOLERANCE));
      if (!f) return null;
      if (a.sameAsBefore) Object.assign(f, SAME_OBJECTS_STALE);
      const ratios = leafRatios(a.value, want, opts.tol ?? DEFAULT_TOLERANCE);
      if (ratios) f.ratios = ratios;
      const why = opts.explain && probe.kind === "call" ? opts.explain(probe.args, a.value, want) : undefined;
      return why ? { ...f, why } : f;
    },
  };
}

/** The answer must equal a value written in the spec (e.g. a worked example from the notes). */
export function expectValue(probe: Probe, expected: Plain, opts: CaseOptions = {}): Case {
  return comparison(probe, { value: expected }, opts);
}

/** The answer must equal what the reference solution answers for the same probe. */
export function matchesReference(probe: Probe, opts: CaseOptions = {}): Case {
  return comparison(probe, "reference", opts);
}

/** Seeded random calls compared with the reference; edge cases first, always included. */
export function randomCases(
  fn: string,
  opts: { count: number; args: (rng: Rng) => Arg[]; edge?: Arg[][]; tol?: Tolerance; hidden?: number; explain?: CaseOptions["explain"] },
): RandomCheck {
  return {
    expand(rng) {
      const all: Arg[][] = [...(opts.edge ?? [])];
      for (let i = 0; i < opts.count; i++) all.push(opts.args(rng));
      // The last `hidden` cases are hidden checks: graded, but not run by check() in the notebook.
      const firstHidden = all.length - (opts.hidden ?? 0);
      const cases = all.map((args, i) => matchesReference(call(fn, ...args), { tol: opts.tol, explain: opts.explain, hidden: i >= firstHidden }));
      const edges = opts.edge?.length ?? 0;
      const again = partlyRepeated(all.slice(edges), firstHidden - edges).map(({ args, arg, part }) =>
        matchesReference(call(fn, ...args), { tol: opts.tol, explain: opts.explain, label: `${againLabel(arg, part)}${label(call(fn, ...args))}` }),
      );
      const near = nearlyRepeated(all.slice(edges), firstHidden - edges).map((args) =>
        matchesReference(call(fn, ...args), { tol: opts.tol, explain: opts.explain, label: `${NEAR_LABEL}${label(call(fn, ...args))}` }),
      );
      const refilled = sameObjects(all.slice(edges), firstHidden - edges).map(({ before, args }) =>
        matchesReference(sameObjectsCall(fn, before, args), { tol: opts.tol, explain: opts.explain, label: `${SAME_OBJECTS_LABEL}${label(call(fn, ...args))}` }),
      );
      return [...cases.slice(0, firstHidden), ...again, ...near, ...refilled, ...cases.slice(firstHidden)];
    },
  };
}

/** The label's start for a call whose numbers are an earlier call's, a hair smaller (nearlyRepeated). */
export const NEAR_LABEL = "almost an earlier check's input: ";

/**
 * The first visible random call of numbers alone (some not whole) again, each number that is not
 * whole shrunk by 3.7e-5 and then by 3.7e-7 of itself (so a value in (0, 1) stays there): a
 * function that keeps its answers by a rounded input (a memo keyed by z.toFixed(3), a table)
 * gives the earlier call's answer again, off by more than the tolerance.
 */
export function nearlyRepeated(drawn: Arg[][], visible: number): Arg[][] {
  const base = drawn.slice(0, visible).find((args) => args.length > 0 && args.every((a) => typeof a === "number" && Number.isFinite(a)) && args.some((a) => !Number.isInteger(a)));
  if (!base) return [];
  return [3.7e-5, 3.7e-7].map((d) => base.map((a) => (Number.isInteger(a) ? a : (a as number) * (1 - d))));
}

/** The label's start for a call on an earlier call's objects, refilled (sameObjects). */
export const SAME_OBJECTS_LABEL = "on the arrays of a call just before it, changed in place: ";

/** What a stale answer on refilled objects proves (see Answer's sameAsBefore). */
export const SAME_OBJECTS_STALE = {
  cause:
    "gives the answer it gave before for the same arrays, after their numbers were changed in place: the answer is kept by the object itself (a Map or WeakMap keyed by the array or the network), so a caller that updates its network in place gets stale answers",
  causeHint: "Compute the answer afresh on each call, or key what you keep by the values the answer depends on, never by the object that holds them.",
};

/** A call of `fn` with `args`, made on the objects of a call with `before` just before it, refilled in place. */
export function sameObjectsCall(fn: string, before: Arg[], args: Arg[]): Probe {
  return { kind: "call", fn, args, sameObjectsAs: before };
}

/**
 * One pair of visible random calls where some list or record argument has the same shape in both
 * (lists of the same lengths, records with the same fields) and the calls differ: the second is
 * then also asked on the first's objects, those of the same shape refilled in place, the others
 * given afresh (harness.ts refill). A function that keeps its answers by the object (a WeakMap
 * keyed by the network) answers it with the first's answer. The pair with the most arguments
 * alike is taken, the earliest first; where two or more arguments are alike, each is also changed
 * alone, the rest refilled with the numbers they had.
 */
export function sameObjects(drawn: Arg[][], visible: number): { before: Arg[]; args: Arg[] }[] {
  // An rng or a function argument is given afresh (its seed is the other call's): only lists and records are refilled.
  const isObject = (a: Arg) => a !== null && typeof a === "object" && !(a instanceof FnArg);
  const shapes = drawn.slice(0, visible).map((args) => args.map((a) => (isObject(a) ? shapeOf(a) : null)));
  let best: { before: Arg[]; args: Arg[]; alike: number } | undefined;
  for (let i = 0; i < Math.min(visible, 10); i++) {
    const a = shapes[i];
    for (let j = i + 1; j < visible; j++) {
      const b = shapes[j];
      if (b.length !== a.length || JSON.stringify(drawn[j]) === JSON.stringify(drawn[i])) continue;
      const alike = a.filter((s, k) => s !== null && s === b[k]).length;
      if (alike > (best?.alike ?? 0)) best = { before: drawn[i], args: drawn[j], alike };
    }
  }
  if (!best) return [];
  const { before, args } = best;
  // Also each such argument changed alone, the others refilled with their own numbers: a cache
  // keyed by the network object and x's values misses when x changes too, and hits here.
  const alike = before.map((b, n) => isObject(b) && shapeOf(b) === shapeOf(args[n]));
  const alone = alike.filter(Boolean).length < 2 ? [] : before.flatMap((a, k) => (alike[k] && JSON.stringify(a) !== JSON.stringify(args[k]) ? [{ before, args: before.map((b, n) => (n === k ? args[k] : b)) }] : []));
  return [{ before, args }, ...alone];
}

const ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth"];

/** The label's start for a partly repeated call (partlyRepeated); `part` a field (".biases") or "[0]" / "[last]". */
export const againLabel = (arg: number, part?: string): string => {
  const nth = `${ORDINALS[arg] ?? `${arg + 1}th`} argument`;
  const what = part === undefined ? nth : part === "[0]" ? `first item of the ${nth}` : part === "[last]" ? `last item of the ${nth}` : `\`${part.slice(1)}\` in the ${nth}`;
  return `another ${what}, the rest as in an earlier check: `;
};

/**
 * Calls that repeat an earlier random call's arguments but one, taken from another random call
 * where that argument has the same shape: drawn by the same generator, so inside the exercise's
 * domain. A function that keeps its answers by some of its arguments only (a memo keyed by x
 * alone) gives the earlier call's answer again there. `visible`: how many of the drawn calls
 * are visible checks (both calls are among them, and these come after them). A number is taken from another call only
 * where every argument is a number: beside lists it may be bound to their size (n ≤ length).
 */
export function partlyRepeated(drawn: Arg[][], visible: number): { args: Arg[]; arg: number; part?: string }[] {
  const first = drawn[0];
  if (!first || drawn.some((args) => args.length !== first.length || args.some((a) => a instanceof FnArg))) return [];
  const out: { args: Arg[]; arg: number; part?: string }[] = partsRepeated(drawn, visible);
  if (first.length < 2) return out;
  const numbersOnly = first.every((a) => typeof a === "number");
  for (let k = 0; k < first.length; k++) {
    if (typeof first[k] === "number" ? !numbersOnly : first[k] === null || typeof first[k] !== "object") continue;
    // Only visible calls give arguments: a hidden check's input must not show in a visible one.
    const shapes = drawn.slice(0, visible).map((args) => shapeOf(args[k]));
    const texts = drawn.slice(0, visible).map((args) => JSON.stringify(args[k]));
    found: for (let i = 0; i < Math.min(visible, 10); i++) {
      for (let j = 0; j < visible; j++) {
        if (j === i || shapes[j] !== shapes[i] || texts[j] === texts[i]) continue;
        out.push({ args: drawn[i].map((a, n) => (n === k ? drawn[j][k] : a)), arg: k });
        break found;
      }
    }
  }
  return out;
}

/**
 * Calls that repeat an earlier random call but one part of one argument: a field of a record (a
 * network's biases), or the first or the last item of a list of lists or records (one example's
 * gradients), taken from another visible call where that argument (a field: the whole record;
 * an item: that item) has the same shape. A
 * function that keeps its answers by the rest of that argument (a memo keyed by net.weights, or
 * by gs[0]) gives the earlier call's answer again there.
 */
function partsRepeated(drawn: Arg[][], visible: number): { args: Arg[]; arg: number; part: string }[] {
  const out: { args: Arg[]; arg: number; part: string }[] = [];
  const isRecord = (v: Arg): v is { [k: string]: Arg } => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof FnArg);
  const first = drawn[0];
  for (let k = 0; k < first.length; k++) {
    const shapes = drawn.slice(0, visible).map((args) => shapeOf(args[k]));
    const text = (v: Arg) => JSON.stringify(v);
    const pair = (differs: (a: Arg, b: Arg) => boolean): [number, number] | undefined => {
      for (let i = 0; i < Math.min(visible, 10); i++) for (let j = 0; j < visible; j++) if (j !== i && shapes[j] === shapes[i] && differs(drawn[i][k], drawn[j][k])) return [i, j];
      return undefined;
    };
    const a0 = first[k];
    if (isRecord(a0) && Object.keys(a0).length >= 2) {
      for (const f of Object.keys(a0)) {
        const p = pair((a, b) => isRecord(a) && isRecord(b) && text(a[f]) !== text(b[f]));
        if (p) out.push({ args: drawn[p[0]].map((a, n) => (n === k ? { ...(a as { [key: string]: Arg }), [f]: (drawn[p[1]][k] as { [key: string]: Arg })[f] } : a)), arg: k, part: `.${f}` });
      }
    } else if (Array.isArray(a0) && a0.length >= 2 && a0.every((x) => x !== null && typeof x === "object")) {
      for (const end of ["[0]", "[last]"] as const) {
        const at = (v: Arg[]) => (end === "[0]" ? 0 : v.length - 1);
        // The item from another call where that item has the same shape (the lists may differ in length).
        let p: [number, number] | undefined;
        search: for (let i = 0; i < Math.min(visible, 10); i++) {
          const a = drawn[i][k];
          if (!Array.isArray(a) || a.length < 2) continue;
          for (let j = 0; j < visible; j++) {
            const b = drawn[j][k];
            if (j !== i && Array.isArray(b) && b.length >= 1 && shapeOf(a[at(a)]) === shapeOf(b[at(b)]) && text(a[at(a)]) !== text(b[at(b)])) {
              p = [i, j];
              break search;
            }
          }
        }
        if (p) {
          const mine = (drawn[p[0]][k] as Arg[]).slice();
          const theirs = drawn[p[1]][k] as Arg[];
          mine[at(mine)] = theirs[at(theirs)];
          out.push({ args: drawn[p[0]].map((a, n) => (n === k ? mine : a)), arg: k, part: end });
          continue;
        }
        // No other call has such an item (each call its own network's shape): another item of the
        // same list takes its place, so the list holds one example twice, still in the domain.
        own: for (let i = 0; i < Math.min(visible, 10); i++) {
          const a = drawn[i][k];
          if (!Array.isArray(a) || a.length < 2) continue;
          const here = at(a);
          for (let m = 0; m < a.length; m++) {
            if (m === here || shapeOf(a[m]) !== shapeOf(a[here]) || text(a[m]) === text(a[here])) continue;
            const mine = a.slice();
            mine[here] = a[m];
            out.push({ args: drawn[i].map((x, n) => (n === k ? mine : x)), arg: k, part: end });
            break own;
          }
        }
      }
    }
  }
  return out;
}

/** An argument's shape: its lists' lengths and its records' fields, numbers all alike. */
function shapeOf(a: Arg): string {
  return JSON.stringify(a, (_k, v: unknown) => (typeof v === "number" ? 0 : v));
}

/**
 * A property of several answers together, e.g. σ(−z) = 1 − σ(z). `holds` returns a failure or null.
 * `publish` names the public judge that `holds` is (see PublicJudge), so the learner edition can run it.
 */
export function relation(
  caseLabel: string,
  probes: Probe[],
  holds: (values: Plain[]) => Failure | null,
  opts: { hidden?: boolean; publish?: { judge: string; params: PublicParam[] } } = {},
): Case {
  const { publish } = opts;
  return {
    label: caseLabel,
    probes,
    usesReference: false,
    hidden: opts.hidden,
    judge: (answers) => holds(answers.map((a) => a.value)),
    ...(publish ? { publish: () => ({ kind: "judge", label: caseLabel, probes, judge: publish.judge, params: publish.params }) } : {}),
  };
}



/** A formula typed as a string, equivalent to `f.expected` (see formula.ts). */
export function formula(name: string, f: FormulaSpec): Case {
  const c = formulaCase(name, f, f.expected, (learner) => compareFormula(learner, f));
  // Published as its values at the sample points: the expected formula is the answer.
  return { ...c, publish: () => ({ kind: "formula", label: c.label, name, vars: f.vars, ...(f.derived ? { derived: f.derived } : {}), samples: formulaSamples(f) }) };
}

/**
 * The learner edition's formula case: the formula must take the stored values at the
 * sample points. Failures say where it differs, never what the formula is.
 */
export function formulaAtSamples(name: string, f: Omit<FormulaSpec, "expected">, samples: FormulaSamples): Case {
  const c = formulaCase(name, { ...f, expected: "" }, "a formula with the expected values at the sample points", (learner) => compareFormula(learner, { ...f, expected: "", samples }));
  // A declared mistake is stored by its values at the sample points, or by a hash when it
  // has none (it does not parse): its formula would be most of the answer (published.ts, withoutFormulas).
  return {
    ...c,
    same: (a, b) => {
      if (typeof a !== "string" || b === null || typeof b !== "object" || Array.isArray(b)) return c.same!(a, b);
      const stored = b as { formulaSamples?: Plain; formulaHash?: Plain };
      if (typeof stored.formulaHash === "string") return createHash("sha256").update(a).digest("hex") === stored.formulaHash;
      const values = stored.formulaSamples;
      if (!Array.isArray(values) || !values.every((v): v is number => typeof v === "number")) return false;
      try {
        return compareFormula(a, { ...f, expected: "", samples: { points: samples.points, values } }).ok;
      } catch {
        return false;
      }
    },
  };
}

function formulaCase(name: string, f: FormulaSpec, expectedText: string, verdict: (learner: string) => ReturnType<typeof compareFormula>): Case {
  return {
    label: `${name}, a formula in ${[...Object.keys(f.vars), ...Object.keys(f.derived ?? {})].join(", ")}`,
    probes: [read(name)],
    usesReference: false,
    judge: ([a]) => {
      if (typeof a.value !== "string") {
        return { expected: 'a formula in quotes, e.g. "3*(a + y)"', actual: show(a.value), why: "write the formula as a string" };
      }
      const v = verdict(a.value);
      if (v.ok) return null;
      // Not evaluated: nothing is known of its maths, so the exercise's hint on the maths would guess.
      const notJudged = v.notJudged
        ? { cause: "the formula was not evaluated, so nothing is known yet of whether its maths is right (see why above)", causeHint: "Write it again so that it parses, with only the variables, operators and functions named above: it is judged by its values at many points, so any equivalent form passes.", causeYields: true as const }
        : {};
      return { expected: expectedText, actual: JSON.stringify(a.value), why: v.why, math: { expected: v.expectedTex, actual: v.learnerTex }, ...(v.ratios ? { ratios: v.ratios } : {}), ...notJudged };
    },
    // b is a declared mistake's formula, which may itself not parse ("a bracket is left open").
    same: (a, b) => typeof a === "string" && typeof b === "string" && (a === b || formulasAgree(a, b, f)),
    shown: ([a]) => {
      if (typeof a.value !== "string") return null;
      const v = verdict(a.value);
      return v.ok && v.learnerTex ? { caption: `${name} =`, tex: v.learnerTex } : null;
    },
  };
}
