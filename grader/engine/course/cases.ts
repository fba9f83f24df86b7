// Expand a spec's checks into concrete cases for one seed. Each exercise draws
// from its own stream (seed mixed with the id), so grading one exercise alone
// gives the same cases as grading the whole course.
//
// Two things are added to every exercise, whatever its spec says:
//   - every call is watched: a function that changes its arguments fails, in
//     every exercise (a backprop that overwrites the caller's y is wrong even
//     when its gradients are right);
//   - diagnostic probes among the checks (never counted): the first plain call
//     again (does the same input give the same answer?) and that call with one
//     argument, or one field of it, changed (does the answer depend on it?).
//     diagnose.ts reads them to explain a failure from behaviour.
import { makeRng } from "./rng";
import { watched, type Case, type ExerciseSpec } from "./spec";
import type { Probe } from "../judge/outcome";
import { FnArg, type Arg } from "../judge/values";

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
  // Hidden checks last, after every visible one (each check's own order kept): a function that
  // keeps the arguments of a hidden call could otherwise answer a later visible one with them,
  // and a visible failure shows its answer.
  const checks = [...out.filter((c) => !c.hidden), ...out.filter((c) => c.hidden)].map((c) =>
    c.probes.every((p) => p.kind !== "call" || p.watch) ? c : { ...c, probes: c.probes.map(watched) },
  );
  // Soon after the case they vary, a dozen calls later (time for kept state to show), and
  // before the heaviest checks, which a function that hoards state may not survive; before
  // the hidden checks too, for the same reason as above.
  const extra = diagnostics(checks);
  if (extra.length === 0) return checks;
  const at = Math.min(checks.filter((c) => !c.hidden).length, extra[0].diagnostic!.of + 12);
  return [...checks.slice(0, at), ...extra, ...checks.slice(at)];
}

/** The first visible case that is one call with arguments: the one diagnostics vary. */
function baseCase(cases: Case[]): number {
  return cases.findIndex((c) => !c.hidden && c.probes.length === 1 && c.probes[0].kind === "call" && c.probes[0].args.some((a) => perturb(a) !== undefined));
}

function diagnostics(cases: Case[]): Case[] {
  const of = baseCase(cases);
  if (of < 0) return [];
  const probe = cases[of].probes[0] as Extract<Probe, { kind: "call" }>;
  const diag = (label: string, args: Arg[], diagnostic: NonNullable<Case["diagnostic"]>): Case => ({
    label,
    probes: [{ ...probe, args }],
    usesReference: true,
    diagnostic,
    judge: () => null,
  });
  // Called again twice in a row: state that a call between them in another shape resets (a
  // momentum kept outside the function, started afresh for each network's layer count) shows
  // in the second.
  const out = [diag(`${cases[of].label}, called again`, probe.args, { kind: "repeat", of }), diag(`${cases[of].label}, called a third time`, probe.args, { kind: "repeat", of })];
  // Two changes of each argument, one small and one that crosses zero: an answer that stays put
  // under both (XOR of integer parts would not) really ignores that argument.
  for (const variant of [0, 1] as const) {
    probe.args.forEach((arg, i) => {
      for (const [part, changed] of perturbations(arg, variant)) {
        const args = probe.args.slice();
        args[i] = changed;
        out.push(diag(`${cases[of].label}, argument ${i + 1}${part} changed`, args, { kind: "perturb", of, arg: i, part, variant }));
      }
    });
  }
  return out;
}

/**
 * The argument changed as a whole, and for a record (a network) or a list of records
 * (examples) each field on its own: "ignores the biases" is more use than "ignores net".
 */
function perturbations(arg: Arg, variant: 0 | 1): [string, Arg][] {
  const perturb = (v: Arg) => changed(v, variant);
  const whole = perturb(arg);
  if (whole === undefined) return [];
  const out: [string, Arg][] = [["", whole]];
  const record = (v: Arg): v is { [k: string]: Arg } => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof FnArg);
  if (record(arg)) {
    const keys = Object.keys(arg).filter((k) => perturb(arg[k]) !== undefined);
    if (keys.length > 1) for (const k of keys) out.push([`.${k}`, { ...arg, [k]: perturb(arg[k])! }]);
  } else if (Array.isArray(arg) && arg.length > 0 && arg.every(record)) {
    const rows = arg as { [k: string]: Arg }[];
    const keys = Object.keys(rows[0]).filter((k) => rows.every((r) => k in r && perturb(r[k]) !== undefined));
    if (keys.length > 1) for (const k of keys) out.push([`[…].${k}`, rows.map((r) => ({ ...r, [k]: perturb(r[k])! }))]);
  }
  return out;
}

/** Can this argument be changed at all (it holds numbers)? */
function perturb(v: Arg): Arg | undefined {
  return changed(v, 0);
}

/**
 * Another value of the same kind: integers stay integers (sizes, counts, labels),
 * other numbers move (variant 0 by a quarter and a bit, variant 1 across zero).
 * Functions (an rng) and strings stay. The items of a list move by different amounts
 * (`place`): a list of integers all shifted by one is the same list to softmax or to
 * anything that subtracts its mean, and the answer staying put would prove nothing.
 */
function changed(v: Arg, variant: 0 | 1, place = 0): Arg | undefined {
  const perturb = (x: Arg) => changed(x, variant);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return undefined;
    if (Number.isInteger(v)) return v + 1 + variant + place;
    return variant === 0 ? v * 1.25 + 0.375 + place / 8 : v * -0.5 - 1.7 - place / 8;
  }
  if (v instanceof FnArg || v === null || typeof v !== "object") return undefined;
  if (Array.isArray(v)) {
    const items = v.map((x, i) => changed(x, variant, i));
    if (items.every((x) => x === undefined)) return undefined;
    return items.map((x, i) => (x === undefined ? v[i] : x));
  }
  const o: { [k: string]: Arg } = {};
  let any = false;
  for (const [k, x] of Object.entries(v)) {
    const p = perturb(x);
    any ||= p !== undefined;
    o[k] = p === undefined ? x : p;
  }
  return any ? o : undefined;
}
