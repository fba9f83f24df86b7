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
import type { Rng } from "./rng";
import { call, relation, type Answer, type Case, type Failure, type RandomCheck } from "./spec";
import { show } from "./show";
import type { Arg, Plain } from "./values";

export const H = 1e-5;
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
  /** Spec-specific explanations of a wrong gradient: return a sentence when it recognises the mistake. */
  diagnose?: (field: string, analytic: number, numeric: number, args: Arg[], index: number[]) => string | undefined;
  hidden?: number;
  /** A short description of the arguments for messages ("a 5-3-3-2 network"); the default prints them. */
  describeArgs?: (args: Arg[]) => string;
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

function genericCause(analytic: number, numeric: number): string | undefined {
  if (Math.abs(numeric) < 1e-9) return undefined;
  const ratio = analytic / numeric;
  const near = (x: number) => Math.abs(ratio - x) < 1e-3 * Math.abs(x);
  if (near(-1)) return "the sign is flipped";
  if (near(0.5)) return "half the true gradient: is the factor 2 of ∂C/∂a = 2(a − y) missing?";
  if (near(2)) return "twice the true gradient: an extra factor 2?";
  return undefined;
}

function fieldLabel(f: GradientField, index: number[]): string {
  return `${f.field || "result"}${index.map((i) => `[${i}]`).join("")}`;
}

export function gradientCase(spec: GradientSpec, args: Arg[], hidden: boolean): Case {
  const probe = call(spec.fn, ...args);
  // Numeric gradients depend only on the arguments: computed once, reused for every submission.
  const numericCache = new Map<string, number | null>();
  return {
    label: `gradient check of ${spec.fn}(${spec.describeArgs ? spec.describeArgs(args) : args.map((a) => show(a as Plain)).join(", ")})`,
    probes: [probe],
    usesReference: false,
    hidden,
    judge: ([answer]: Answer[]): Failure | null => {
      for (const f of spec.fields) {
        const got = getPath(answer.value, f.field);
        const holder = args[f.arg];
        const params = f.argKey ? (holder as { [k: string]: Arg })[f.argKey] : holder;
        const withParam = (index: number[], x: number): Arg =>
          f.argKey ? { ...(holder as { [k: string]: Arg }), [f.argKey]: withLeaf(params, index, x) } : withLeaf(params, index, x);
        for (const index of leaves(params)) {
          const analytic = leafOf(got, index);
          const where = fieldLabel(f, index);
          const what = f.describe ? f.describe(index) : `${f.param}${index.map((i) => `[${i}]`).join("")}`;
          const key = `${f.field}:${index.join(",")}`;
          if (!numericCache.has(key)) numericCache.set(key, centredDifference((x) => spec.cost(args.map((a, i) => (i === f.arg ? withParam(index, x) : a))), leafOf(params, index) as number));
          const numeric = numericCache.get(key)!;
          if (numeric === null) continue; // on a kink: not checked
          if (typeof analytic !== "number") {
            const missing = got === undefined ? `the result has no \`${f.field}\`` : `${where} should be a number: the gradient with respect to ${what}`;
            return { expected: `${where} = ${show(numeric)} (numeric)`, actual: `${where} = ${show(analytic as Plain)}`, why: missing };
          }
          if (!gradientAgrees(analytic, numeric)) {
            const cause = spec.diagnose?.(f.field, analytic, numeric, args, index) ?? genericCause(analytic, numeric);
            return {
              expected: `${where} ≈ ${show(numeric)} (numeric, centred difference)`,
              actual: `${where} = ${show(analytic)} (analytic), relative error ${relativeError(analytic, numeric).toExponential(1)}`,
              why: `the gradient with respect to ${what} is wrong${cause ? `; likely cause: ${cause}` : ""}`,
            };
          }
        }
      }
      return null;
    },
  };
}

export function gradientCheck(spec: GradientSpec): RandomCheck {
  return {
    expand(rng) {
      const all = Array.from({ length: spec.count }, () => spec.args(rng));
      const firstHidden = all.length - (spec.hidden ?? 0);
      return all.map((args, i) => gradientCase(spec, args, i >= firstHidden));
    },
  };
}

/**
 * The learner's derivative `fn` must match the measured slope of a trusted `f` at `count`
 * random points (drawn as `point(rng)`): the numeric-gradient check for one-variable functions.
 */
export function slopeCheck(fn: string, f: (z: number) => number, fName: string, count: number, point: (rng: Rng) => number): RandomCheck {
  return {
    expand: (rng) =>
      Array.from({ length: count }, () => point(rng)).map((z) =>
        relation(`${fn}(${show(z)}) ≈ (${fName}(z+h) − ${fName}(z−h)) / 2h`, [call(fn, z)], ([got]) => {
          const numeric = centredDifference(f, z)!;
          if (typeof got === "number" && gradientAgrees(got, numeric)) return null;
          return {
            expected: `≈ ${show(numeric)} (numeric slope of ${fName})`,
            actual: typeof got === "number" ? `${show(got)}, relative error ${relativeError(got, numeric).toExponential(1)}` : show(got),
          };
        }),
      ),
  };
}
