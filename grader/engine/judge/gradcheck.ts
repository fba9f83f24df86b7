// The numeric-gradient check, as a grader feature any spec can use: "this
// function returns the gradient of that cost". The learner's analytic
// gradient is compared, parameter by parameter, with centred differences of a
// trusted cost function written in the spec.
//
// Thresholds (CS231n's guidance for float64: a relative error above 1e-2 is
// wrong, below 1e-7 is good). With h = 1e-5 the centred difference is exact to
// about h²·|f'''| ≈ 1e-10 for the smooth costs of this course, and rounding adds
// about ε·|f|/h ≈ 1e-11; so we accept
//   relative error |a − n| / max(|a|, |n|, TINY) ≤ 1e-6   (4 orders above the noise)
// or an absolute difference ≤ 1e-8 (for gradients that are themselves ~0, where a
// relative error only measures noise). Every mistake we know (a missing σ', a
// missing factor 2, a flipped sign, a wrong index) gives ≥ 1e-2.
// Kinks (ReLU at 0): when the one-sided slopes on either side disagree, the
// parameter sits on a kink and is not checked.
import type { Rng } from "../course/rng";
import type { PublicCheck } from "../course/public-check";
import { againLabel, call, partlyRepeated, relation, SAME_OBJECTS_LABEL, SAME_OBJECTS_STALE, sameObjects, sameObjectsCall, type Answer, type Case, type Failure, type RandomCheck } from "../course/spec";
import { shapeMismatch } from "./compare";
import { show } from "./show";
import { argForDisplay, type Arg, type Plain } from "./values";
import { backpropStructure, numbers, roundedTo } from "./diagnose";

/**
 * Every number of the answer a single-precision value (Float32Array and Math.fround keep nothing
 * else), where at least one of the reference's is not: rounding, not estimates. A finite
 * difference in doubles lands on a float32 value about once in 2^29 (float32's spacing is 2^-23
 * of a number, a double's 2^-52), so one number is evidence enough.
 */
function singlePrecisionValues(answer: Plain, reference: Plain): boolean {
  const got = numbers(answer);
  const want = numbers(reference);
  if (got.length !== want.length || !got.every((x) => Math.fround(x) === x)) return false;
  // Evidence only where the exact gradient is no single-precision value (2 and 4 are both).
  return want.some((x) => Number.isFinite(x) && Math.fround(x) !== x);
}

/** Every number of the answer is the exact gradient rounded to a few places (toFixed(6)): no estimate. */
function roundedValues(answer: Plain, reference: Plain): boolean {
  const got = numbers(answer);
  const want = numbers(reference);
  // Two different numbers cut short at least (one 0.001 where 0 belongs is an estimate's miss too).
  return new Set(got.filter((g, i) => g !== want[i])).size >= 2 && [1, 2, 3, 4, 5, 6, 7, 8].some((d) => roundedTo(got, want, d));
}

const H = 1e-5;
export const REL_TOLERANCE = 1e-6;
export const ABS_TOLERANCE = 1e-8;
const TINY = 1e-12;

export function relativeError(a: number, n: number): number {
  return Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), TINY);
}

export function gradientAgrees(a: number, n: number): boolean {
  return Math.abs(a - n) <= ABS_TOLERANCE || relativeError(a, n) <= REL_TOLERANCE;
}

/** Centred difference of `f` at x; null when x sits on a kink (the two one-sided slopes disagree). */
export function centredDifference(f: (x: number) => number, x: number, h = H): number | null {
  const fPlus = f(x + h);
  const fMinus = f(x - h);
  const f0 = f(x);
  const right = (fPlus - f0) / h;
  const left = (f0 - fMinus) / h;
  if (Math.abs(right - left) > 1e-3 * Math.max(1, Math.abs(right), Math.abs(left))) return null;
  return (fPlus - fMinus) / (2 * h);
}

/**
 * Finite differences pass the numeric check above by construction, so gradients
 * are also compared with the reference's exact (backpropagated) ones. Measured
 * on backprop's 24 seeded cases, as the largest |learner − reference| divided
 * by the largest |gradient| of the case: honest backprop written four ways
 * (sums in another order, σ as e^z/(1+e^z) or via tanh, σ′ as e^−z/(1+e^−z)²)
 * stays ≤ 2.2e-15; centred differences (h from 1e-3 to 1e-6) ≥ 1.7e-11 on every
 * case; one-sided ≥ 4e-9; even a 5-point stencil reaches 2.5e-12 on its worst
 * case. 1e-12 sits 450x above honest rounding and below every one of them.
 */
export const EXACT_GRADIENT_TOLERANCE = 1e-12;

/** Every gradient within this fraction of the largest one, yet not exact: an estimate, not a mistake in the algorithm. */
const NEARLY_RIGHT = 1e-3;

export const FINITE_DIFFERENCES =
  "close to the right gradients but not exact: estimated by nudging each parameter and re-running the forward pass (finite differences), or changed by a small amount on the way, where backpropagation computes them exactly";

/** Which argument (and which element of it) a gradient field differentiates. */
export interface GradientField {
  /** Path in the learner's result: "dW", "dWs", ".weights" ... (a key of the result object, or "" for the result itself). */
  field: string;
  /** Index of the argument this field is the gradient with respect to. */
  arg: number;
  /** Name of the parameter in messages: "w", "ws"... */
  param: string;
  /** When the argument is an object (a Network), the key holding the parameters ("weights"). */
  argKey?: string;
  /** Say where an index is in words: [1, 0, 3] -> "layer 2, weight from neuron 3 to neuron 0". */
  describe?: (index: number[]) => string;
}

export interface GradientSpec {
  fn: string;
  /** Arguments for each case; some of them are parameters the gradient is taken for. */
  args: (rng: Rng) => Arg[];
  count: number;
  fields: GradientField[];
  /** The cost as a function of the same arguments (trusted spec code, never learner code). */
  cost: (args: Arg[]) => number;
  hidden?: number;
  /** A short description of the arguments for messages ("a 5-3-3-2 network"); the default prints them. */
  describeArgs?: (args: Arg[]) => string;
  /** Parameters are indexed [layer, ...]: failures show a per-layer table and name the first wrong layer from the output. */
  layered?: boolean;
  /**
   * The size of the terms each exact gradient is a sum of, where the sums can cancel (Σ_j w_jk·δ_j
   * of a one-input layer: 4e-6 from terms near 0.5). Honest rounding is ~1e-16 of the terms, so
   * of a cancelled sum it can be 1e-11: exactness is then measured against the terms, not the
   * (small) gradients. Without it, against the largest gradient of the case.
   */
  termScale?: (args: Arg[]) => number;
}

function getPath(v: Plain, field: string): Plain {
  if (field === "") return v;
  if (v === null || typeof v !== "object" || Array.isArray(v) || !(field in v)) return undefined;
  return (v as { [k: string]: Plain })[field];
}

/** Every numeric leaf of an argument with its index path: ws → [[0], [1], ...], weights → [[l, j, k] ...]. */
function leaves(a: Arg, prefix: number[] = []): number[][] {
  if (typeof a === "number") return [prefix];
  if (Array.isArray(a)) return a.flatMap((x, i) => leaves(x, [...prefix, i]));
  return [];
}

function withLeaf(a: Arg, path: number[], value: number): Arg {
  if (path.length === 0) return value;
  const copy = (a as Arg[]).slice();
  copy[path[0]] = withLeaf(copy[path[0]], path.slice(1), value);
  return copy;
}

function leafOf(v: Plain | Arg, path: number[]): unknown {
  let cur: unknown = v;
  for (const i of path) cur = Array.isArray(cur) ? cur[i] : undefined;
  return cur;
}

function fieldLabel(f: GradientField, index: number[]): string {
  return `${f.field || "result"}${index.map((i) => `[${i}]`).join("")}`;
}

interface Leaf {
  f: GradientField;
  index: number[];
  /** The centred difference; null on a kink (not checked). */
  numeric: number | null;
}

/** What judging one gradient case needs: the fields, the arguments and the centred differences. */
type GradientParts = Pick<GradientSpec, "fn" | "fields" | "layered">;

/** `before`: the call is made on the objects of a call with these arguments, refilled (sameObjects). */
function gradientCase(spec: GradientSpec, args: Arg[], hidden: boolean, prefix = "", before?: Arg[]): Case {
  const paramsOf = paramsGetter(args);
  // Numeric gradients depend only on the arguments: computed once, on first use, for every submission.
  let numericLeaves: Leaf[] | null = null;
  const numeric = (): Leaf[] =>
    (numericLeaves ??= spec.fields.flatMap((f) => {
      const holder = args[f.arg];
      const params = paramsOf(f);
      const withParam = (index: number[], x: number): Arg =>
        f.argKey ? { ...(holder as { [k: string]: Arg }), [f.argKey]: withLeaf(params, index, x) } : withLeaf(params, index, x);
      return leaves(params).map((index) => ({
        f,
        index,
        numeric: centredDifference((x) => spec.cost(args.map((a, i) => (i === f.arg ? withParam(index, x) : a))), leafOf(params, index) as number),
      }));
    }));
  const label = `${prefix}gradient check of ${spec.fn}(${spec.describeArgs ? spec.describeArgs(args) : args.map((a) => show(a as Plain)).join(", ")})`;
  const terms = spec.termScale?.(args);
  const c = judgedGradientCase(spec, args, hidden, label, numeric, terms);
  if (before) {
    c.probes = [sameObjectsCall(spec.fn, before, args)];
    const judge = c.judge;
    c.judge = (answers, reference) => {
      const f = judge(answers, reference);
      return f && answers[0]?.sameAsBefore ? { ...f, ...SAME_OBJECTS_STALE } : f;
    };
  }
  // Published with its centred differences: the learner edition has no trusted cost to take them from.
  c.publish = () => ({
    kind: "gradient",
    label,
    probe: c.probes[0],
    fields: spec.fields.map((f) => ({ field: f.field, arg: f.arg, param: f.param, ...(f.argKey ? { argKey: f.argKey } : {}) })),
    layered: spec.layered === true,
    numeric: numeric().map((l) => l.numeric),
    ...(terms !== undefined ? { termScale: terms } : {}),
  });
  return c;
}

/** The learner edition's gradient case: the same judge, on centred differences stored when the edition was built. */
export function publishedGradientCase(p: Extract<PublicCheck, { kind: "gradient" }>): Case {
  if (p.probe.kind !== "call") throw new Error(`gradient check ${p.label}: not a call`);
  const args = p.probe.args;
  const paramsOf = paramsGetter(args);
  const fields: GradientField[] = p.fields.map((f) => ({ ...f }));
  let numericLeaves: Leaf[] | null = null;
  const numeric = (): Leaf[] => {
    if (numericLeaves) return numericLeaves;
    const all = fields.flatMap((f) => leaves(paramsOf(f)).map((index) => ({ f, index })));
    if (all.length !== p.numeric.length) throw new Error(`gradient check ${p.label}: ${p.numeric.length} stored differences for ${all.length} parameters`);
    return (numericLeaves = all.map((l, i) => ({ ...l, numeric: p.numeric[i] })));
  };
  return judgedGradientCase({ fn: p.probe.fn, fields, layered: p.layered }, args, false, p.label, numeric, p.termScale);
}

function paramsGetter(args: Arg[]): (f: GradientField) => Arg {
  return (f) => (f.argKey ? (args[f.arg] as { [k: string]: Arg })[f.argKey] : args[f.arg]);
}

function judgedGradientCase(spec: GradientParts, args: Arg[], hidden: boolean, label: string, numeric: () => Leaf[], termScale?: number): Case {
  const probe = call(spec.fn, ...args);
  const paramsOf = paramsGetter(args);
  const what = (f: GradientField, index: number[]) => (f.describe ? f.describe(index) : `${f.param}${index.map((i) => `[${i}]`).join("")}`);
  return {
    label,
    probes: [probe],
    usesReference: true,
    hidden,
    judge: ([answer]: Answer[], [ref]: Answer[]): Failure | null => {
      // Shapes first: one gradient per parameter, in the parameters' own shape.
      for (const f of spec.fields) {
        const got = getPath(answer.value, f.field);
        if (f.field && got === undefined) {
          return { expected: `a result with a \`${f.field}\` field`, actual: show(answer.value), why: `the result has no \`${f.field}\`: return { ${spec.fields.map((g) => g.field).join(", ")} }` };
        }
        const m = shapeMismatch(got, paramsOf(f) as Plain, f.field || "result");
        if (m) {
          return { expected: `${m.path}: ${m.expected}`, actual: `${m.path}: ${m.actual}`, why: `${m.why}; the gradient has one number per parameter, in the shape of ${f.param}` };
        }
      }
      const all = numeric();
      const mine = (l: Leaf): unknown => leafOf(getPath(answer.value, l.f.field), l.index);
      const wrong = all.filter((l) => {
        if (l.numeric === null) return false;
        const a = mine(l);
        return typeof a !== "number" || !gradientAgrees(a, l.numeric);
      });
      const refLeaf = (l: Leaf) => leafOf(getPath(ref.value, l.f.field), l.index) as number;
      // Finite differences come close to every gradient and hit none exactly: compared with
      // the reference's exact gradients, the worst miss is tiny but not rounding-small.
      const checked = all.filter((l) => l.numeric !== null);
      const scale = Math.max(0, ...checked.map((l) => Math.abs(refLeaf(l))).filter(Number.isFinite));
      let worst: { l: Leaf; off: number } | null = null;
      for (const l of checked) {
        const got = mine(l);
        const off = typeof got === "number" ? Math.abs(got - refLeaf(l)) : Infinity;
        if (!(off <= (worst?.off ?? -1))) worst = { l, off };
      }
      if (worst && worst.off > EXACT_GRADIENT_TOLERANCE * Math.max(scale, termScale ?? 0) && worst.off <= NEARLY_RIGHT * scale) {
        const where = fieldLabel(worst.l.f, worst.l.index);
        const a = mine(worst.l) as number;
        // Rounding (single precision) keeps backprop's structure, estimates do not: no lecture on finite differences then.
        const structured = backpropStructure(answer.value, args.map(argForDisplay)) === true;
        if (structured || singlePrecisionValues(answer.value, ref.value)) {
          return {
            expected: `${where} = ${show(refLeaf(worst.l))} (exact, by backpropagation)`,
            actual: `${where} = ${show(a)}: off by ${(worst.off / (scale || 1)).toExponential(1)} of the largest gradient`,
            why: structured
              ? "the gradients follow backprop's structure exactly but lose digits: the arithmetic is less precise than JavaScript's numbers"
              : "every number of the answer is a single-precision value (what a Float32Array or Math.fround holds): the arithmetic keeps ~7 digits where JavaScript's numbers keep ~16",
          };
        }
        const passes = 2 * all.length;
        // Rounded to a few places: the exact gradients, cut short (diagnose.ts rounded names it).
        if (roundedValues(answer.value, ref.value)) {
          return {
            expected: `${where} = ${show(refLeaf(worst.l))} (exact, by backpropagation)`,
            actual: `${where} = ${show(a)}: off by ${(worst.off / (scale || 1)).toExponential(1)} of the largest gradient`,
            why: "every number of the answer is the exact gradient rounded to a few decimal places",
          };
        }
        return {
          expected: `${where} = ${show(refLeaf(worst.l))} (exact, by backpropagation)`,
          actual: `${where} = ${show(a)}: off by ${(worst.off / (scale || 1)).toExponential(1)} of the largest gradient`,
          why:
            `close to every gradient, but not exact: that is what finite differences give (or a small amount added on the way, or digits lost by rounding on the way). Backpropagation gets all ${all.length} gradients exactly from one forward and one backward pass; ` +
            `nudging each parameter needs two forward passes per parameter (${passes} here, 26,004 per example for the 784-16-16-10 digit network), which is why training would take hours`,
          cause: FINITE_DIFFERENCES,
        };
      }
      if (wrong.length > 0) {
        // The output end first: backprop starts there, so the first wrong layer from the output is where to look.
        const first = spec.layered ? wrong.reduce((a, b) => (b.index[0] > a.index[0] ? b : a)) : wrong[0];
        const a = mine(first);
        const where = fieldLabel(first.f, first.index);
        const ratios = wrong.map((l) => {
          const got = mine(l);
          const r = refLeaf(l);
          return typeof got === "number" && r !== 0 && Number.isFinite(got) ? got / r : NaN;
        });
        const failure: Failure = {
          expected: `${where} ≈ ${show(first.numeric!)} (numeric, centred difference)`,
          actual:
            typeof a === "number"
              ? `${where} = ${show(a)} (analytic), relative error ${relativeError(a, first.numeric!).toExponential(1)}`
              : `${where} = ${show(a as Plain)}: should be a number`,
          why: `the gradient with respect to ${what(first.f, first.index)} is wrong`,
          detail: spec.layered ? layerTable(spec, all, wrong) : fieldSummary(spec, wrong),
        };
        if (ratios.every((r) => Number.isFinite(r))) failure.ratios = ratios;
        return failure;
      }
      return null;
    },
  };
}

/** Per layer, from the output down: are its weights and biases right? */
function layerTable(spec: GradientParts, all: Leaf[], wrong: Leaf[]): string[] {
  const layers = Math.max(...all.map((l) => l.index[0])) + 1;
  const bad = (f: GradientField, layer: number) => wrong.some((l) => l.f === f && l.index[0] === layer);
  const rows: string[] = [];
  for (let layer = layers - 1; layer >= 0; layer--) {
    const marks = spec.fields.map((f) => `${f.param} ${bad(f, layer) ? "✗" : "✓"}`).join("  ");
    rows.push(`layer ${layer + 1}${layer === layers - 1 ? " (output)" : ""}: ${marks}`);
  }
  const firstWrong = Math.max(...wrong.map((l) => l.index[0]));
  rows.push(`first wrong layer counting from the output: layer ${firstWrong + 1} (${spec.fields.map((f) => `${f.field}[${firstWrong}]`).join(", ")})`);
  return rows;
}

function fieldSummary(spec: GradientParts, wrong: Leaf[]): string[] | undefined {
  if (spec.fields.length < 2) return undefined;
  const right = spec.fields.filter((f) => !wrong.some((l) => l.f === f)).map((f) => f.field);
  const bad = spec.fields.filter((f) => wrong.some((l) => l.f === f)).map((f) => f.field);
  return [`right: ${right.length ? right.join(", ") : "none"} · wrong: ${bad.join(", ")}`];
}

export function gradientCheck(spec: GradientSpec): RandomCheck {
  return {
    expand(rng) {
      const all = Array.from({ length: spec.count }, () => spec.args(rng));
      const firstHidden = all.length - (spec.hidden ?? 0);
      const cases = all.map((args, i) => gradientCase(spec, args, i >= firstHidden));
      const again = partlyRepeated(all, firstHidden).map(({ args, arg, part }) => gradientCase(spec, args, false, againLabel(arg, part)));
      const refilled = sameObjects(all, firstHidden).map(({ before, args }) => gradientCase(spec, args, false, SAME_OBJECTS_LABEL, before));
      return [...cases.slice(0, firstHidden), ...again, ...refilled, ...cases.slice(firstHidden)];
    },
  };
}

/**
 * The learner's derivative `fn` must match the measured slope of a trusted `f` at `count`
 * random points (drawn as `point(rng)`): the numeric-gradient check for one-variable functions.
 */
/** actual ÷ measured slope, as the whole or half number it is within 1e-6, or undefined. */
function snappedRatio(r: number): number | undefined {
  const nice = Math.round(r * 2) / 2;
  return nice !== 0 && Math.abs(r - nice) <= 1e-6 * Math.max(1, Math.abs(nice)) ? nice : undefined;
}

export function slopeCheck(fn: string, f: (z: number) => number, fName: string, count: number, point: (rng: Rng) => number): RandomCheck {
  return {
    expand: (rng) =>
      Array.from({ length: count }, () => point(rng)).map((z) =>
        relation(`${fn}(${show(z)}) ≈ (${fName}(z+h) − ${fName}(z−h)) / 2h`, [call(fn, z)], ([got]) => {
          const numeric = centredDifference(f, z)!;
          if (typeof got === "number" && gradientAgrees(got, numeric)) return null;
          const ratio = typeof got === "number" && Number.isFinite(got) && numeric !== 0 ? snappedRatio(got / numeric) : undefined;
          return {
            expected: `≈ ${show(numeric)} (numeric slope of ${fName})`,
            actual: typeof got === "number" ? `${show(got)}, relative error ${relativeError(got, numeric).toExponential(1)}` : show(got),
            // A slope measured by differences is right to ~1e-9: a ratio that close to −1, 2 or ½ is that factor exactly (diagnose.ts constantFactor).
            ...(ratio !== undefined ? { ratios: [ratio] } : {}),
          };
        }),
      ),
  };
}
