// Explain a failure from how the learner's function behaves, for mistakes any
// exercise can have, whether or not a spec declared them. Each detector looks
// at evidence the grader already holds (answers, reference answers, the
// diagnostic probes that cases.ts adds) and speaks only when the evidence fits
// every failing case; otherwise it says nothing. A detector's `key` is the
// behaviour itself (which argument, which factor): a declared mistake whose
// own answers give the same key is the same mistake, and is named by its label.
import { compare, shapeMismatch } from "./compare";
import type { Outcome } from "./outcome";
import { show } from "./show";
import type { Answer, Case, Failure } from "../course/spec";
import { closeEnough, DEFAULT_TOLERANCE } from "./tolerance";
import { argForDisplay, FunctionValue, Unreadable, type Plain } from "./values";

/** One case as the learner (or a declared mistake) answered it. */
export interface Seen {
  case: Case;
  outcomes: Outcome[];
  /** The reference's answers when the case uses them (empty for a diagnostic the reference could not answer). */
  reference: Answer[];
  verdict: "passed" | "broken" | Failure;
}

export interface Diagnosis {
  /** The behaviour, as a key two runs can share ("ignores:2", "factor:-1"). */
  key: string;
  cause: string;
  /** What to do about it, naming only the mistake found. */
  hint: string;
}

export type ParamNames = Record<string, string[]>;

/** `code`: the learner's compiled cell, where known (a declared mistake's runs have none). */
type Detector = (seen: Seen[], params: ParamNames, code?: string) => Diagnosis | undefined;

/** Detectors in order of how sure their evidence is. */
export const DETECTORS: Record<string, Detector> = {
  frozen: frozenBuiltin,
  mutation: changedArgument,
  precision: singlePrecision,
  state: keepsState,
  stale: staleAnswer,
  shared: sharedRows,
  keys: misnamedFields,
  holes,
  constant: constantAnswer,
  unchanged: returnsArgument,
  overflow,
  shape: offByOne,
  roundoff,
  rounded,
  xor: xorForPower,
  abs: absoluteValue,
  ignored: ignoredArgument,
  factor: constantFactor,
  growing: factorPerLayer,
  related: relatedValue,
  order: wrongPlaces,
  parts: wrongParts,
  where: whereItFails,
};

/**
 * Detectors whose key pins a behaviour down precisely enough that a declared mistake with
 * the same key is the same mistake (its label and hint apply). The others describe only a
 * symptom ("ignores b" fits "forgets the bias" and "uses the given bL" alike): their own words stay.
 */
export const TWIN_DETECTORS = ["mutation", "shared", "holes", "constant", "overflow", "shape"];

/** Which checks failed, as part of a key: two behaviours that break exactly the same checks. */
const failingSet = (seen: Seen[]) => checks(seen).map((s, i) => (s.verdict !== "passed" ? i : -1)).filter((i) => i >= 0).join(",");

/** The detectors that run before a declared mistake is matched by its exact answers (their evidence is stronger). */
export const FIRST = ["frozen", "mutation", "precision"];

const checks = (seen: Seen[]) => seen.filter((s) => !s.case.diagnostic);
const failing = (seen: Seen[]) => checks(seen).filter((s) => s.verdict !== "passed");

function ok(o: Outcome | undefined): o is Extract<Outcome, { status: "ok" }> {
  return o !== undefined && o.status === "ok";
}

function callOf(c: Case): Extract<Case["probes"][number], { kind: "call" }> | undefined {
  const p = c.probes[0];
  return c.probes.length === 1 && p.kind === "call" ? p : undefined;
}

function paramName(params: ParamNames, fn: string, i: number): string {
  return params[fn]?.[i] ?? `argument ${i + 1}`;
}

/** The expected answer of a one-probe case: the reference's, or the value written in the spec. */
function expectedOf(s: Seen): Plain | undefined {
  if (s.reference.length === 1) return s.reference[0].value;
  if (s.case.probes.length === 1 && "expected" in s.case) return s.case.expected;
  return undefined;
}

const short = (v: Plain) => {
  const text = show(v);
  return text.length <= 60 ? text : undefined;
};

// ── any argument changed by the call ──────────────────────────────────────────
function changedArgument(seen: Seen[], params: ParamNames): Diagnosis | undefined {
  for (const s of failing(seen)) {
    for (const [p, o] of s.outcomes.entries()) {
      const probe = s.case.probes[p];
      if (!ok(o) || !o.mutated || probe.kind !== "call" || !o.argsAfter) continue;
      const i = probe.args.findIndex((a, k) => compare(o.argsAfter![k], argForDisplay(a), { rel: 0, abs: 0 }) !== null);
      if (i < 0) continue;
      const name = paramName(params, probe.fn, i);
      const before = argForDisplay(probe.args[i]);
      const after = o.argsAfter[i];
      // Taking items out of the caller's list (shift, splice) is another mistake than writing into
      // its numbers: the key tells them apart, so a declared mistake is named only for its own kind.
      if (Array.isArray(before) && Array.isArray(after) && before.length !== after.length) {
        return {
          key: `mutation:${i}:length`,
          cause: `changes how many items its argument \`${name}\` holds: the caller's ${name} had ${before.length} and has ${after.length} after the call (shift, pop, push or splice on the caller's array)`,
          hint: `Leave \`${name}\` as it came: read its items by index or with a loop, or take them from a copy (${name}.slice()), not out of the caller's array, which the caller still needs.`,
        };
      }
      return {
        key: `mutation:${i}:values`,
        cause: `changes its argument \`${name}\` in place: after the call the caller's ${name} is no longer what was passed in`,
        hint: `Leave \`${name}\` as it came and build the answer in new arrays (map, slice(), structuredClone): the caller still needs the original (the next example, the next step). Copying the outer array with [...x] or {...x} is not enough when the inner arrays are changed.`,
      };
    }
  }
  return undefined;
}

// ── right to about 7 significant digits everywhere: single precision ─────────
/**
 * Float32Array (or Math.fround) keeps 24 bits, about 7 significant digits: each
 * operation is off by up to 6e-8 of its value, and a few hundred operations stay
 * within ~1e-5. The course's tolerance is 1e-9, and no formula mistake comes that
 * close. Finite differences can (one-sided with a tiny h), so they are told apart by
 * the numbers themselves: single-precision answers are float32 values, or their
 * errors are spread over every number rather than growing with the curvature.
 */
const FLOAT32_REL = 2e-5;
const FLOAT32_NOISE = 2e-8;

export function numbers(v: Plain, out: number[] = []): number[] {
  if (typeof v === "number") out.push(v);
  else if (Array.isArray(v)) for (const x of v) numbers(x, out);
  else if (v !== null && typeof v === "object" && !(v instanceof FunctionValue) && !(v instanceof Unreadable)) for (const x of Object.values(v)) numbers(x, out);
  return out;
}

/**
 * Backprop's own arithmetic leaves a trace rounding cannot erase: a weight's gradient
 * is its neuron's bias gradient times one input, so for layer l and input k the
 * ratio weights[l][j][k] / biases[l][j] is the same number for every neuron j (and,
 * in the first layer, the input x[k] itself, rounded or not). Finite differences
 * estimate each gradient on its own: their ratios scatter by their error.
 * true: backprop-shaped and every ratio agrees; false: they scatter; undefined: nothing to compare.
 */
export function backpropStructure(value: Plain, args: Plain[]): boolean | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = value as { [k: string]: Plain };
  const W = v.weights;
  const B = v.biases;
  if (!Array.isArray(W) || !Array.isArray(B) || W.length !== B.length) return undefined;
  let compared = 0;
  const agree = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  for (let l = 0; l < W.length; l++) {
    const M = W[l];
    const b = B[l];
    if (!Array.isArray(M) || !Array.isArray(b)) return undefined;
    const inputs = l === 0 ? args.find((a): a is number[] => Array.isArray(a) && a.every((x) => typeof x === "number") && Array.isArray(M[0]) && a.length === (M[0] as Plain[]).length) : undefined;
    const first: (number | undefined)[] = [];
    for (let j = 0; j < M.length; j++) {
      const row = M[j];
      const d = b[j];
      if (!Array.isArray(row) || typeof d !== "number") return undefined;
      if (!Number.isFinite(d) || Math.abs(d) < 1e-200) continue;
      for (let k = 0; k < row.length; k++) {
        const w = row[k];
        if (typeof w !== "number" || !Number.isFinite(w)) return undefined;
        const r = w / d;
        if (inputs) {
          compared++;
          if (!agree(r, inputs[k]) && !agree(r, Math.fround(inputs[k]))) return false;
        }
        if (first[k] === undefined) first[k] = r;
        else {
          compared++;
          if (!agree(r, first[k]!)) return false;
        }
      }
    }
  }
  return compared > 0 ? true : undefined;
}

/**
 * `cancelling`: the code itself rounds to single precision, so a difference of nearly equal
 * numbers (1 − t² for t near 1) may lose more than 7 digits of its own: an error within
 * FLOAT32_ABS of the largest of 1 and the answer's size counts as rounding too.
 */
const FLOAT32_ABS = 1e-6;

function precisionEvidence(seen: Seen[], cancelling = false): { float32Values: number; structured: number; spread: number; cases: number } | undefined {
  const bad = failing(seen);
  if (bad.length === 0) return undefined;
  let float32Values = 0;
  let structured = 0;
  let spread = 0;
  let cases = 0;
  for (const s of bad) {
    const o = s.outcomes[0];
    const want = expectedOf(s);
    // A property (the outputs add up to 1) or a relation between calls (softmax(z + c) =
    // softmax(z)) has no expected answer to measure against: no evidence either way; the
    // cases that have one decide.
    if (want === undefined && s.outcomes.every(ok)) continue;
    if (!ok(o) || want === undefined || shapeMismatch(o.value, want) !== null) return undefined;
    cases++;
    const got = numbers(o.value);
    const exp = numbers(want);
    if (got.length !== exp.length || got.length === 0) return undefined;
    const scale = Math.max(...exp.map(Math.abs));
    if (!Number.isFinite(scale) || scale === 0) return undefined;
    let worst = 0;
    let noisy = 0;
    for (let i = 0; i < got.length; i++) {
      if (!Number.isFinite(got[i]) || !Number.isFinite(exp[i])) return undefined;
      const off = Math.abs(got[i] - exp[i]) / Math.max(Math.abs(exp[i]), 1e-3 * scale);
      worst = Math.max(worst, cancelling && Math.abs(got[i] - exp[i]) <= FLOAT32_ABS * Math.max(1, scale) ? Math.min(off, FLOAT32_REL) : off);
      if (off > FLOAT32_NOISE) noisy++;
    }
    if (worst > FLOAT32_REL || worst === 0) return undefined;
    const float32 = got.every((x) => Math.fround(x) === x) && !exp.every((x) => Math.fround(x) === x);
    if (float32) float32Values++;
    const call = callOf(s.case);
    // Only where the right answer has backprop's structure is the answer's own evidence (an
    // average of unrelated gradients, say, has none to keep); float32 values are evidence
    // enough, and their rounding blurs the structure past what it can be read to.
    const args = call?.args.map(argForDisplay);
    const structure = !float32 && args && backpropStructure(want, args) === true ? backpropStructure(o.value, args) : undefined;
    if (structure === false) return undefined;
    if (structure === true) structured++;
    // Rounding touches most numbers.
    if (noisy >= Math.max(1, Math.ceil(got.length / 2))) spread++;
  }
  return cases === 0 ? undefined : { float32Values, structured, spread, cases };
}

const PRECISION: Omit<Diagnosis, "key"> = {
  cause: "right to about 7 significant digits, not more: the numbers are computed in single precision (Float32Array or Math.fround), which keeps ~7 digits where JavaScript numbers keep ~16",
  hint: "The formula is right. Keep every number in double precision: plain number arrays (or Float64Array) instead of Float32Array, and no Math.fround. The course checks to 9 significant digits, which single precision cannot reach, and its rounding errors grow over thousands of training steps.",
};

/** The cell computes in single precision somewhere: Float32Array or Math.fround in its code. */
export function usesSinglePrecision(code: string | undefined): boolean {
  return code !== undefined && /\bFloat32Array\b|\bfround\b/.test(codeOnly(code));
}

/**
 * Proven: the answers are float32 values, or gradients with backprop's exact structure, or the
 * cell's own code rounds to single precision (a softmax whose exponentials go through a
 * Float32Array and whose division does not returns no float32 value, and rounds only some of
 * its numbers enough to show).
 */
function singlePrecision(seen: Seen[], _params: ParamNames, code?: string): Diagnosis | undefined {
  const e = precisionEvidence(seen, usesSinglePrecision(code));
  if (!e || (e.float32Values === 0 && e.structured < e.cases && !usesSinglePrecision(code))) return undefined;
  return { key: "precision", ...PRECISION };
}

/** Likely: every failing answer is off by rounding-sized amounts spread over most of its numbers. */
function roundoff(seen: Seen[]): Diagnosis | undefined {
  const e = precisionEvidence(seen);
  // Short decimals (1.44622 for 1.446218252…) are numbers rounded in decimal, not binary single
  // precision, whose values are long in decimal (rounded names them).
  if (!e || e.spread < e.cases || shortDecimals(seen)) return undefined;
  return { key: "precision", ...PRECISION };
}

// ── a method added to a language object, which grading freezes ──────────────────
const BUILTIN = "Array|Number|String|Object|Math|Function|Map|Set|Float64Array|Float32Array";
const ADDED_METHOD = [
  // Array.prototype.dot = …, (Array.prototype as any).dot = … (compiled: (Array.prototype).dot = …), Math.clamp = …
  new RegExp(`\\b(${BUILTIN})(?:\\s*\\.\\s*prototype)?\\s*\\)?\\s*\\.\\s*([A-Za-z_$][\\w$]*)\\s*=(?!=)`, "g"),
  // Object.defineProperty(Array.prototype, "dot", …)
  new RegExp(`defineProperty\\s*\\(\\s*\\(?\\s*(${BUILTIN})(?:\\s*\\.\\s*prototype)?\\s*\\)?\\s*,\\s*["'\`]([A-Za-z_$][\\w$]*)["'\`]`, "g"),
];

/**
 * The cell gives a language object a method of its own (Array.prototype.dot = …), which works in
 * the notebook's kernel; grading freezes those objects before any cell runs (so no cell can change
 * them under the course's code), so the method is not there, and the call of it throws. Named when
 * a check threw naming that method, or saying an object is not extensible.
 */
function frozenBuiltin(seen: Seen[], _params: ParamNames, code?: string): Diagnosis | undefined {
  return code === undefined ? undefined : frozenBuiltinIn(code, checks(seen).flatMap((s) => s.outcomes.flatMap((o) => (o.status === "threw" ? [o.error.message] : []))));
}

/** frozenBuiltin on the messages of what threw (a check's call, or the cell's own top-level code). */
export function frozenBuiltinIn(code: string, thrown: string[]): Diagnosis | undefined {
  const added: { on: string; name: string }[] = [];
  for (const re of ADDED_METHOD) for (const m of code.matchAll(re)) added.push({ on: /prototype/.test(m[0]) ? `${m[1]}.prototype` : m[1], name: m[2] });
  if (added.length === 0) return undefined;
  const hit = added.find(({ name }) => thrown.some((m) => new RegExp(`\\b${name.replace(/\$/g, "\\$")}\\b`).test(m) || /not extensible|read[- ]only|Cannot assign/i.test(m)));
  if (!hit) return undefined;
  return {
    key: `frozen:${hit.on}.${hit.name}`,
    cause: `the cell adds \`${hit.name}\` to ${hit.on}: the notebook's kernel lets it, but grading freezes the language's own objects before any cell runs (so that no cell can change them under the course's code), so \`${hit.name}\` is not there when your code calls it`,
    hint: `Write \`${hit.name}\` as a function of your own and call it with what it works on (function ${hit.name}(a: number[], b: number[]) { … }, then ${hit.name}(row, v)): the same code, without changing ${hit.on}.`,
  };
}

// ── the same input, another answer: state kept between calls ──────────────────
function keepsState(seen: Seen[]): Diagnosis | undefined {
  if (failing(seen).length === 0) return undefined;
  for (const s of seen) {
    if (s.case.diagnostic?.kind !== "repeat") continue;
    const first = seen[s.case.diagnostic.of]?.outcomes[0];
    const again = s.outcomes[0];
    if (!ok(first) || !ok(again)) continue;
    if (compare(again.value, first.value) === null) continue;
    const a = short(first.value);
    const b = short(again.value);
    return {
      key: "state",
      cause: `gives another answer for the same input when called again${a && b ? ` (${a}, later ${b})` : ""}: it depends on something besides its arguments (a variable kept outside the function, a cache, or Math.random())`,
      hint: "Declare every accumulator and helper array inside the function, so each call starts afresh, and take randomness only from an rng argument.",
    };
  }
  return undefined;
}

// ── Array(n).fill([]): one array in several places ────────────────────────────
function sharedRows(seen: Seen[]): Diagnosis | undefined {
  for (const s of failing(seen)) {
    for (const o of s.outcomes) {
      if (!ok(o) || !o.shared) continue;
      const where = o.shared.replace(/^\./, "").replace(/ and \./, " and ").replace(/^\[/, "result[").replace(/ and \[/, " and result[");
      return {
        key: `shared:${o.shared.split(" and ")[0].replace(/\[\d+\]/g, "[…]")}`,
        cause: `${where} of the answer are one and the same array, so writing one writes both: one array put in two places (Array(n).fill(row), one row pushed twice, or one vector kept for two layers)`,
        hint: "Give every place its own array (Array.from({ length: n }, () => []) or a copy, not Array(n).fill([])), and check that each gets the value meant for it: the same vector written for two layers is wrong even as two copies.",
      };
    }
  }
  return undefined;
}

// ── NaN or ±Infinity only beyond some input size: overflow ─────────────────────
function hasNonFinite(v: Plain): boolean {
  return numbers(v).some((x) => !Number.isFinite(x));
}

function argSize(c: Case): number {
  let m = 0;
  for (const p of c.probes) if (p.kind === "call") for (const x of numbers(p.args.map(argForDisplay))) if (Number.isFinite(x)) m = Math.max(m, Math.abs(x));
  return m;
}

/** "+" or "-": the sign of the input of largest magnitude. */
function argSign(c: Case): string {
  let m = 0;
  let sign = "+";
  for (const p of c.probes) if (p.kind === "call") for (const x of numbers(p.args.map(argForDisplay))) if (Number.isFinite(x) && Math.abs(x) > m) [m, sign] = [Math.abs(x), x < 0 ? "-" : "+"];
  return sign;
}

/** How far apart the case's inputs lie: the largest minus the smallest (0 for one number). */
function argSpread(c: Case): number {
  const xs: number[] = [];
  for (const p of c.probes) if (p.kind === "call") for (const x of numbers(p.args.map(argForDisplay))) if (Number.isFinite(x)) xs.push(x);
  return xs.length < 2 ? 0 : Math.max(...xs) - Math.min(...xs);
}

/** A size as a person says it: three significant digits (726, not 726.0589866…). */
const roughly = (x: number): string => String(Number(x.toPrecision(3)));

function overflow(seen: Seen[]): Diagnosis | undefined {
  const bad = failing(seen);
  if (bad.length === 0) return undefined;
  const blownUp = (s: Seen) =>
    s.outcomes.some((o, p) => ok(o) && hasNonFinite(o.value) && !(s.reference[p] && hasNonFinite(s.reference[p].value)) && !(s.case.probes.length === 1 && "expected" in s.case && hasNonFinite(s.case.expected)));
  if (!bad.every(blownUp)) return undefined;
  const from = Math.min(...bad.map((s) => argSize(s.case)));
  // Which side blows up: the sign of the largest input of each broken case.
  const sides = new Set(bad.map((s) => argSign(s.case)));
  const side = sides.size === 1 ? [...sides][0] : "±";
  const fine = checks(seen).filter((s) => s.verdict === "passed" && !blownUp(s)).map((s) => argSize(s.case)).filter((x) => x < from);
  // Overflow needs large inputs: exp overflows past 709.78 (e^2z past 354.9); a NaN at small inputs is something else.
  if (from < 20 || fine.length === 0) return undefined;
  const upTo = Math.max(...fine);
  // Large positive inputs: exp of them overflows. Large negative ones may also make exp underflow
  // to 0 (e^z/Σe^z with every exponent below −745 is 0/0): the answer cannot tell the two apart.
  const under = side !== "+" && from > 745;
  // Below 709.78 only an exponent built from the inputs goes that far; inputs more than 745 apart
  // make a difference of two of them (z_j − max z in a softmax) underflow too: e^(z_j − max) is 0,
  // and a division by it 0/0.
  const builtUnder = from <= 709.78 && bad.some((s) => argSpread(s.case) > 745);
  const limit =
    from > 709.78
      ? under
        ? "Math.exp(x) is Infinity for x above 709.78 and 0 below −745"
        : "Math.exp(x) is Infinity for x above 709.78"
      : builtUnder
        ? "Math.exp overflows to Infinity past 709.78 and is 0 below −745, which an exponent built from the inputs (doubled, summed, or a difference of two of them) reaches before the inputs themselves do"
        : "Math.exp overflows to Infinity past 709.78, which an exponent built from the inputs (doubled, summed, or a difference of two of them) passes before the inputs themselves do";
  const which = side === "+" ? "large positive inputs" : side === "-" ? "large negative inputs" : "large inputs";
  // The same side and the same broken cases: then a declared overflow mistake is this one.
  const where = checks(seen).map((s, i) => (bad.includes(s) ? i : -1)).filter((i) => i >= 0);
  return {
    key: `overflow:${side}:${where.join(",")}`,
    cause: `NaN or Infinity only for ${which} (from about ${roughly(side === "-" ? -from : from)}; right up to ${roughly(upTo)} in size): ${limit}, and ${under || builtUnder ? "Infinity/Infinity, Infinity − Infinity, Infinity · 0 or 0/0" : "Infinity/Infinity, Infinity − Infinity or Infinity · 0"} is NaN`,
    hint: "Rewrite the formula so that no exp gets a large positive number and no sum of exps can be 0 (a derivative written with e^(−z) can often use the function's own value instead: σ′(z) = σ(z)(1 − σ(z))): for a sigmoid, branch on the sign (for z < 0 use e^z/(1 + e^z)); for a softmax, subtract the largest input itself (not the largest size, not a maximum that starts at 0), so the largest exponent is exactly 0 and the sum is at least 1; for tanh, use Math.tanh; and where the formula divides by a value that can be 0 that way (a softmax output a_j), simplify it first so the division cancels (a_j · (y_j / a_j) is y_j). The mathematics is the same; only the order of operations changes.",
  };
}

// ── one item too many or too few ───────────────────────────────────────────────
function at(v: Plain, path: string): Plain {
  let cur: Plain = v;
  for (const m of path.matchAll(/\[(\d+)\]|\.([^.[]+)/g)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = m[1] !== undefined ? (cur as Plain[])[Number(m[1])] : (cur as { [k: string]: Plain })[m[2]];
  }
  return cur;
}

const same = (a: Plain, b: Plain) => compare(a, b, DEFAULT_TOLERANCE) === null;

function offByOne(seen: Seen[]): Diagnosis | undefined {
  const bad = failing(seen);
  let delta = 0;
  let end: string | undefined;
  let field: string | undefined;
  for (const s of bad) {
    const o = s.outcomes[0];
    const want = expectedOf(s);
    if (!ok(o) || want === undefined) return undefined;
    const m = shapeMismatch(o.value, want);
    if (!m) return undefined;
    const got = at(o.value, m.path);
    const exp = at(want, m.path);
    if (!Array.isArray(got) || !Array.isArray(exp)) return undefined;
    const d = got.length - exp.length;
    if (Math.abs(d) !== 1 || (delta !== 0 && d !== delta)) return undefined;
    delta = d;
    const pattern = m.path.replace(/\[\d+\]/g, "[…]");
    if (field !== undefined && field !== pattern) return undefined;
    field = pattern;
    const which =
      d < 0 ? (same(got, exp.slice(1)) ? "first" : same(got, exp.slice(0, -1)) ? "last" : "some") : same(got.slice(1), exp) ? "first" : same(got.slice(0, -1), exp) ? "last" : "some";
    if (end !== undefined && end !== which) end = "some";
    else end ??= which;
  }
  if (delta === 0 || bad.length === 0) return undefined;
  const where = field ? `\`${field.replace(/^\./, "")}\`` : "the answer";
  const item = end === "some" ? "an item" : `the ${end} item`;
  const cause = delta < 0 ? `one item too few in ${where}: ${item} is missing` : `one item too many in ${where}: ${end === "some" ? "an extra item" : `an extra item at the ${end === "first" ? "start" : "end"}`}`;
  return {
    key: `shape:${delta}:${end}:${field}`,
    cause: `${cause} (a loop bound off by one, the first or last layer ${delta < 0 ? "skipped, or an item filtered out" : "counted twice"}${delta > 0 ? ", or items written one place too far on" : ""})`,
    // An extra item can also be a hole: layers counted from 1 (the notes' l = 1…L) written to [l] where [l − 1] belongs.
    hint: `Count the items the answer should have and check what builds it: the bounds of its loop (where it starts, and < versus <=)${delta < 0 ? ", and any filter or condition that leaves an item out" : ", and the index each item is written to (counting layers from 1, as the notes do, item l belongs at [l − 1])"}.`,
  };
}

// ── an argument whose change changes nothing ──────────────────────────────────
function ignoredArgument(seen: Seen[], params: ParamNames): Diagnosis | undefined {
  if (failing(seen).length === 0) return undefined;
  const repeat = seen.find((x) => x.case.diagnostic?.kind === "repeat");
  if (!repeat || !ok(repeat.outcomes[0]) || repeat.reference.length === 0) return undefined;
  const mine = repeat.outcomes[0].value;
  const right = repeat.reference[0].value;
  // An argument given back as it came is the finding there, not which argument is unused.
  const call0 = callOf(repeat.case);
  if (call0 && call0.args.some((a) => compare(mine, argForDisplay(a), { rel: 0, abs: 0 }) === null)) return undefined;
  const byPart = new Map<string, Seen[]>();
  for (const s of seen) {
    const d = s.case.diagnostic;
    if (d?.kind !== "perturb") continue;
    const key = `${d.arg}${d.part}`;
    byPart.set(key, [...(byPart.get(key) ?? []), s]);
  }
  // A NaN stays NaN, and zeros stay zeros, whatever changes: that is their finding, not an unused argument.
  if (hasNaN(mine) || numbers(mine).every((x) => x === 0)) return undefined;
  // An answer of the wrong shape already (3 items where 7 belong) may stay put because it is cut
  // short, not because an argument is unused (top 7 of a list that holds 3).
  if (shapeMismatch(mine, right) !== null) return undefined;
  for (const [key, changes] of byPart) {
    // Every change of this argument moves the right answer and leaves the learner's where it was.
    const ignored = changes.length >= 2 && changes.every((s) => s.reference.length > 0 && ok(s.outcomes[0]) && !same(s.reference[0].value, right) && same(s.outcomes[0].value, mine));
    if (!ignored) continue;
    // Where every change asks for an answer of another shape (more items), an answer that stays
    // put may be cut short by what the input holds (the top 5 of a list of 3): no proof it is unused.
    if (changes.every((s) => shapeMismatch(s.outcomes[0].status === "ok" ? s.outcomes[0].value : null, s.reference[0].value) !== null)) continue;
    const d = changes[0].case.diagnostic as Extract<Case["diagnostic"], { kind: "perturb" }>;
    const call = callOf(changes[0].case)!;
    const part = partOf(argForDisplay(call.args[d.arg]), d.part);
    // A list of whole numbers (labels, a one-hot target) is changed by shifting its entries, which
    // keeps much of what code may read from it (which entry is largest): no proof it is unused.
    if (movedWith(seen, call.fn, d.arg) || oneItemSomewhere(part) || (Array.isArray(part) && numbers(part).every(Number.isInteger))) continue;
    const name = `${paramName(params, call.fn, d.arg)}${d.part.replace("[…]", "[i]")}`;
    return {
      key: `ignored:${key}`,
      cause: `the answer does not depend on \`${name}\`: changing ${name} leaves it exactly as it was, where the right answer changes`,
      hint: `Find where \`${name}\` should enter the formula, and check that it does on every call: a notebook variable used in its place, or a value computed once and kept outside the function, stays the same when ${name} changes.`,
    };
  }
  return undefined;
}

/** The part of an argument a diagnostic changed: the whole, a field (".weights"), or a field of every row ("[…].x"). */
function partOf(v: Plain, part: string): Plain {
  if (part === "") return v;
  if (part.startsWith("[…].")) return Array.isArray(v) ? v.map((r) => (r !== null && typeof r === "object" && !Array.isArray(r) ? (r as { [k: string]: Plain })[part.slice(4)] : undefined)) : undefined;
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as { [k: string]: Plain })[part.slice(1)] : undefined;
}

/**
 * Does a list of one item sit anywhere in v? Then "ignores it" and "leaves out its last item"
 * (a loop one short) look the same: a change of W = [[0.5]] reaches nothing such a loop reads.
 */
function oneItemSomewhere(v: Plain): boolean {
  if (Array.isArray(v)) return v.length === 1 || v.some(oneItemSomewhere);
  if (v !== null && typeof v === "object" && !(v instanceof FunctionValue) && !(v instanceof Unreadable)) return Object.values(v).some(oneItemSomewhere);
  return false;
}

/**
 * Did the learner's answer change between two checks whose calls differ only in argument `arg`?
 * Then the answer does depend on it, whatever the diagnostic change showed: that change may
 * reach only what the mistake leaves out (all of W is its last column when W has one).
 */
function movedWith(seen: Seen[], fn: string, arg: number): boolean {
  const calls = checks(seen).flatMap((s) => {
    const c = callOf(s.case);
    return c && c.fn === fn && ok(s.outcomes[0]) ? [{ args: c.args.map(argForDisplay), value: s.outcomes[0].value }] : [];
  });
  const exactly = (a: Plain, b: Plain) => compare(a, b, { rel: 0, abs: 0 }) === null;
  for (let i = 0; i < calls.length; i++) {
    for (let j = i + 1; j < calls.length; j++) {
      const [p, q] = [calls[i], calls[j]];
      if (p.args.length !== q.args.length || !p.args.every((a, k) => k === arg || exactly(a, q.args[k]))) continue;
      if (!exactly(p.value, q.value)) return true;
    }
  }
  return false;
}

// ── undefined where numbers belong: a missing return ──────────────────────────
/**
 * The first place where the answer has undefined and the right one a number. `absent`: an
 * object's field that is not there at all (left out), which says nothing of a missing return.
 */
function firstHole(got: Plain, want: Plain, path = ""): { path: string; absent: boolean } | undefined {
  if (typeof want === "number") return got === undefined ? { path: path || "the answer", absent: false } : undefined;
  if (Array.isArray(want) && Array.isArray(got)) {
    for (let i = 0; i < want.length; i++) {
      const h = firstHole(got[i], want[i], `${path}[${i}]`);
      if (h) return h;
    }
  } else if (want !== null && typeof want === "object" && got !== null && typeof got === "object" && !Array.isArray(got)) {
    for (const k of Object.keys(want)) {
      const h = firstHole((got as { [k: string]: Plain })[k], (want as { [k: string]: Plain })[k], path ? `${path}.${k}` : k);
      if (h) return Object.hasOwn(got, k) ? h : { ...h, absent: true };
    }
  }
  return undefined;
}

/** Is `path` ("[2]", "weights[0][1]") the last place of its array in `want`? */
function lastPlace(want: Plain, path: string): boolean {
  const m = /^(.*)\[(\d+)\]$/.exec(path);
  if (!m) return false;
  const parent = m[1] === "" ? want : at(want, /^[.[]/.test(m[1]) ? m[1] : `.${m[1]}`);
  return Array.isArray(parent) && Number(m[2]) === parent.length - 1;
}

function holes(seen: Seen[]): Diagnosis | undefined {
  const bad = failing(seen);
  let where: string | undefined;
  // Whether every first undefined was an empty slot (nothing written there), and always the last place.
  let empty = true;
  let last = true;
  for (const s of bad) {
    const o = s.outcomes[0];
    const want = expectedOf(s);
    if (!ok(o) || want === undefined || shapeMismatch(o.value, want) !== null) return undefined;
    const first = firstHole(o.value, want);
    // A field the answer leaves out is a different mistake (the result's fields are not all
    // there): the shape detail says which, and no return is claimed missing.
    if (!first || first.absent) return undefined;
    const h = first.path;
    where ??= h;
    empty &&= o.hole !== undefined && o.hole.replace(/^\./, "") === h;
    last &&= lastPlace(want, h);
  }
  if (!where) return undefined;
  const place = where === "the answer" ? "the whole answer" : where;
  if (empty) {
    // The harness saw no value there at all: a place never written, not an undefined returned.
    return {
      key: `holes:empty:${last ? "last" : "inner"}:${where.replace(/\[\d+\]/g, "[…]")}:${failingSet(seen)}`,
      cause: last
        ? `nothing was ever written at ${place}, the last place of its array: the loop that fills it stops one item short`
        : `nothing was ever written at ${place}: an empty slot of an array made with new Array(n) (or filled by index) that the loop skipped`,
      hint: last
        ? "Check the bound of the loop that fills the array: to reach every index it runs while i < n (not i < n - 1 or i <= n - 2)."
        : "Check which indices the loop that fills the array visits: every place from 0 to n - 1 needs a value (an array built with push or map has no gaps).",
    };
  }
  // Written as undefined: a callback that returns nothing, or a read of a key or index that is not
  // there (g["W2"] for g["w2"]). The answer cannot tell which.
  return {
    key: `holes:${where.replace(/\[\d+\]/g, "[…]")}:${failingSet(seen)}`,
    cause: `undefined where a number belongs (${where === "the answer" ? "the whole answer" : where}): a value that was never computed, from a function or callback with a { } body that does not return it, or from reading a key or index that is not there (a misspelled name, an index one too far)`,
    hint: "Find where that place gets its value. An arrow function with braces, (x) => { x * 2 }, returns nothing: write return inside the braces, or drop them: (x) => x * 2. A lookup such as g[id] gives undefined when no entry has exactly that key: print the keys there are (Object.keys(g)) and compare.",
  };
}

// ── the same answer whatever the input ─────────────────────────────────────────
function constantAnswer(seen: Seen[]): Diagnosis | undefined {
  if (failing(seen).length === 0) return undefined;
  const probes = seen.filter((s) => s.case.diagnostic);
  if (probes.length < 3 || !probes.every((s) => ok(s.outcomes[0]))) return undefined;
  const answers = probes.map((s) => (s.outcomes[0] as Extract<Outcome, { status: "ok" }>).value);
  const alike = (a: Plain) => compare(a, answers[0], { rel: 0, abs: 0 }) === null || (hasNaN(a) && hasNaN(answers[0]) && show(a) === show(answers[0]));
  if (!answers.every(alike)) return undefined;
  // "Whatever the input" must hold of the checks' calls too: the diagnostic changes may be ones
  // the function rightly ignores (softmax of z + c is softmax of z), and an answer that moved on
  // any check is no constant. Each claim below is checked against them in its own terms.
  const fn = callOf(probes[0].case)?.fn;
  const checked = checks(seen).flatMap((s) => s.outcomes.filter((o, p) => ok(o) && s.case.probes[p]?.kind === "call" && (s.case.probes[p] as { fn: string }).fn === fn).map((o) => (o as Extract<Outcome, { status: "ok" }>).value));
  const allAlike = checked.every(alike);
  const allZero = checked.every((a) => numbers(a).every((x) => x === 0));
  const rights = probes.filter((s) => s.reference.length > 0).map((s) => s.reference[0].value);
  if (rights.every((r) => same(r, rights[0]))) return undefined;
  const value = short(answers[0]);
  const base = probes[0].case.diagnostic!.of;
  const first = seen[base];
  if (hasNaN(answers[0])) {
    if (!checked.every(hasNaN)) {
      // NaN on some calls, numbers on others: only the calls that fail get a value that is not a number.
      if (!failing(seen).every((s) => s.outcomes.some((o) => ok(o) && hasNaN(o.value)))) return undefined;
      return {
        key: `constant:NaN-some:${failingSet(seen)}`,
        cause: "NaN on the checks that fail, numbers on the others: on those calls a value that is not a number enters the arithmetic (an argument left out, a default that is undefined, an index past the end)",
        hint: "Call the function as the failing check does and print the intermediate values (console.log) to find the first one that is not a number.",
      };
    }
    return {
      key: `constant:NaN:${failingSet(seen)}`,
      cause: `NaN whatever the input: a value that is not a number (undefined, a string, an object) enters the arithmetic`,
      hint: "Print the intermediate values of the smallest failing input (console.log) to find the first one that is not a number; check that every sum or reduce starts from 0.",
    };
  }
  if (!allZero && !allAlike) return undefined;
  if (first && first.verdict === "passed" && ok(first.outcomes[0]) && compare(first.outcomes[0].value, answers[0], { rel: 0, abs: 0 }) === null) {
    return {
      key: `constant:stuck:${failingSet(seen)}`,
      cause: `keeps giving the answer of an earlier call${value ? ` (${value})` : ""}, whatever the input: a result kept outside the function (a variable or list declared outside it) is returned again`,
      hint: "Declare the arrays and variables the function fills inside the function, so each call starts afresh.",
    };
  }
  const values = numbers(answers[0]);
  if (values.length > 0 && values.every((x) => x === 0) && allZero) {
    return {
      key: `constant:zero:${failingSet(seen)}`,
      cause: `every number of the answer is 0, whatever the input: nothing computed from the arguments reaches it`,
      hint: "Find where the numbers should be written into the answer, and check that they are computed from the arguments (for gradients: that the cost really depends on each parameter, through the values it is made of).",
    };
  }
  if (!allAlike) return undefined;
  return {
    key: `constant:${failingSet(seen)}`,
    cause: `gives the same answer${value ? `, ${value},` : ""} for every input tried: changing the arguments does not change the result`,
    hint: "Follow one argument through your code to the return: where is it lost (a loop that never runs, a result computed but not returned)?",
  };
}

function hasNaN(v: Plain): boolean {
  return numbers(v).some(Number.isNaN);
}

// ── an argument given back unchanged ─────────────────────────────────────────────
/** An empty list or record: an empty answer equal to it says nothing of where the answer came from. */
function emptyValue(v: Plain): boolean {
  return (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof FunctionValue) && !(v instanceof Unreadable) && Object.keys(v).length === 0);
}

function returnsArgument(seen: Seen[], params: ParamNames): Diagnosis | undefined {
  const bad = failing(seen);
  let which: number | undefined;
  for (const s of bad) {
    const o = s.outcomes[0];
    const call = callOf(s.case);
    const want = expectedOf(s);
    if (!ok(o) || !call || want === undefined) return undefined;
    const i = call.args.findIndex((a, k) => (which === undefined || k === which) && typeof a === "object" && a !== null && !emptyValue(argForDisplay(a)) && compare(o.value, argForDisplay(a), { rel: 0, abs: 0 }) === null && !same(want, argForDisplay(a)));
    if (i < 0) return returnsArgumentOnce(seen, params);
    which = i;
  }
  if (which === undefined) return undefined;
  const name = paramName(params, callOf(bad[0].case)!.fn, which);
  return {
    key: `unchanged:${which}`,
    cause: `gives back \`${name}\` exactly as it came in: no change reached it (a loop that never runs, or the new values built but not returned)`,
    hint: `Check that the loop that changes \`${name}\` runs at all for these inputs, and that you return the new values.`,
  };
}

/** Not on every failing case, but on the case the diagnostics repeat: say so for that input only. */
function returnsArgumentOnce(seen: Seen[], params: ParamNames): Diagnosis | undefined {
  const repeat = seen.find((x) => x.case.diagnostic?.kind === "repeat");
  const o = repeat?.outcomes[0];
  const call = repeat ? callOf(repeat.case) : undefined;
  if (!repeat || !ok(o) || !call || repeat.reference.length === 0) return undefined;
  // A number equal to a number argument is too often a coincidence: lists and records only.
  const i = call.args.findIndex((a) => typeof a === "object" && a !== null && !emptyValue(argForDisplay(a)) && compare(o.value, argForDisplay(a), { rel: 0, abs: 0 }) === null && !same(repeat.reference[0].value, argForDisplay(a)));
  if (i < 0) return undefined;
  const name = paramName(params, call.fn, i);
  const base = seen[repeat.case.diagnostic!.of]?.case.label ?? "one input";
  return {
    key: `unchanged-once:${i}`,
    cause: `for ${base}, it gives back \`${name}\` exactly as it came in: whatever should change it left it as it was there`,
    hint: `Run that input in a cell and print the change your code computes for each item of \`${name}\`: find where it comes out as nothing (a loop that does not run for this size, a change rounded to 0, a result not written back).`,
  };
}

// ── an earlier call's answer, kept by some of the arguments ───────────────────
/**
 * Every failing answer is exactly the (right) answer an earlier check got from a call that shared some
 * of its arguments (by value) and differed in others, where the right answers differ: the answer
 * was kept by those arguments alone (a cache or a table keyed by x, not by the network). Names
 * the arguments every such pair shared.
 */
/** A value's shape as text: its lists' lengths, its fields and strings (ids), every number alike. */
const numbersBlanked = (v: Plain): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === "number" ? 0 : x));

function staleAnswer(seen: Seen[], params: ParamNames): Diagnosis | undefined {
  const all = checks(seen);
  const bad = failing(seen);
  if (bad.length === 0) return undefined;
  const exact = (a: Plain, b: Plain) => compare(a, b, { rel: 0, abs: 0 }) === null;
  let shared: boolean[] | undefined;
  let shapeOnly = false;
  let nearOnly = false;
  let fn = "";
  /** The parts (an argument, a field of one, its first or last item) every failing call shared with its earlier one. */
  let keptBy: string[] | undefined;
  const changedParts: string[] = [];
  for (const s of bad) {
    const o = s.outcomes[0];
    const call = callOf(s.case);
    const want = expectedOf(s);
    if (!ok(o) || !call || want === undefined || same(want, o.value)) return undefined;
    // One whole number (0, 1, a count), or zeros, come up again by themselves: no sign of an answer kept.
    const xs = numbers(o.value);
    if ((xs.length <= 1 && xs.every(Number.isInteger)) || xs.every((x) => x === 0)) return undefined;
    const earlier = all.slice(0, all.indexOf(s)).find((e) => {
      const c = callOf(e.case);
      const r = e.outcomes[0];
      // The earlier answer was right for its own input: computed then, kept since (an argument
      // the code ignores gives equal answers too, but wrong ones on both calls).
      return e.verdict === "passed" && c !== undefined && c.fn === call.fn && c.args.length === call.args.length && ok(r) && exact(r.value, o.value);
    });
    if (!earlier) return undefined;
    const before = callOf(earlier.case)!;
    const equal = call.args.map((a, k) => exact(argForDisplay(a), argForDisplay(before.args[k])));
    if (equal.every(Boolean)) return undefined;
    // No argument the same, but the same shape with other numbers (a graph with the same ids):
    // the answer was kept by what does not change, an id or a size.
    const alike =
      !equal.some(Boolean) &&
      call.args.every((a, k) => {
        const v = argForDisplay(a);
        return v !== null && typeof v === "object" && numbersBlanked(v) === numbersBlanked(argForDisplay(before.args[k]));
      });
    // Numbers close to the earlier call's (within 1% of each), the same answer to the last digit:
    // kept by a rounded input (a memo keyed by z.toFixed(2) maps z = 0.123 and 0.1249 to one key).
    const close = call.args.every((a, k) => {
      const b = before.args[k];
      return typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= 1e-2 * Math.max(1, Math.abs(b));
    });
    if (close && !equal.every(Boolean)) {
      nearOnly = true;
      fn = call.fn;
      continue;
    }
    const parts = call.args.map((a, k) => sameParts(argForDisplay(a), argForDisplay(before.args[k]), k, exact));
    const sameHere = parts.flatMap((p) => p.same);
    if (sameHere.length === 0 && !alike) return undefined;
    // A table keyed by those parts answers with the first call that had them, or the latest: an
    // equal answer from a call in between is no sign of one (topSensitive(g, 0) answering all of
    // g's parameters, as topSensitive(g, 10) did, after topSensitive(g, 3) answered three).
    const mine = call.args.map(argForDisplay);
    if (sameHere.length > 0) {
      const keyed = all.slice(0, all.indexOf(s)).filter((e) => {
        const c = callOf(e.case);
        if (!c || c.fn !== call.fn || c.args.length !== call.args.length) return false;
        const theirs = c.args.map(argForDisplay);
        return sameHere.every((p) => exact(sharedPart(theirs, p), sharedPart(mine, p)));
      });
      if (keyed.length > 0 && earlier !== keyed[0] && earlier !== keyed[keyed.length - 1]) return undefined;
    }
    shared = shared ? shared.map((x, k) => x && equal[k]) : equal;
    keptBy = keptBy ? meetParts(keptBy, sameHere) : sameHere;
    for (const p of parts.flatMap((x) => x.diff)) if (!changedParts.includes(p)) changedParts.push(p);
    // Kept by the shape where what was the same holds no number (a node's id and op are part of
    // its shape); gs[0] the same, numbers and all, is a key of its own.
    shapeOnly ||= alike && sameHere.every((p) => numbers(sharedPart(mine, p)).length === 0);
    fn = call.fn;
  }
  if (nearOnly && shared === undefined) {
    return {
      key: "stale:near",
      cause: "gives the answer of an earlier call whose input was almost the same (each number within 1% of this one's): the answer is kept by a rounded input, as a cache or a table keyed by z.toFixed(…) keeps it",
      hint: "Compute the answer from the exact input on each call: a key rounded to a few decimals gives two different inputs the same answer.",
    };
  }
  if (nearOnly) return undefined;
  if (shapeOnly) {
    return shared?.some(Boolean)
      ? undefined
      : {
          key: "stale:shape",
          cause: "gives the answer of an earlier call whose arguments had the same shape (the same ids and sizes) but other numbers: the answer is kept by what stays the same, such as an id (a cache keyed by it)",
          hint: "The answer depends on the numbers too: compute it afresh on each call, or key what you keep by every value the answer depends on.",
        };
  }
  const kept = keptBy ?? [];
  if (kept.length === 0) return undefined;
  const partName = (p: string) => {
    const m = /^(\d+)(.*)$/.exec(p)!;
    const param = paramName(params, fn, Number(m[1]));
    return `\`${param}${m[2] === "[last]" ? `[${param}.length − 1]` : m[2]}\``;
  };
  const names = kept.map(partName);
  // What differed: each argument not kept whole, as a whole, or by the parts of it not kept.
  const argCount = callOfFn(seen, fn);
  const others: string[] = [];
  for (let k = 0; k < argCount; k++) {
    if (kept.includes(`${k}`)) continue;
    const partly = kept.some((p) => p.startsWith(`${k}.`) || p.startsWith(`${k}[`));
    if (!partly) {
      if (changedParts.some((p) => p === `${k}` || p.startsWith(`${k}.`) || p.startsWith(`${k}[`))) others.push(partName(`${k}`));
      continue;
    }
    for (const p of changedParts) if ((p.startsWith(`${k}.`) || p.startsWith(`${k}[`)) && !kept.includes(p) && !others.includes(partName(p))) others.push(partName(p));
  }
  return {
    key: `stale:${kept.join(",")}`,
    cause: `gives the answer of an earlier call with the same ${names.join(" and ")} but another ${others.join(" or ")}: the answer is kept by ${names.join(" and ")} alone (a cache or a table keyed by part of the arguments)`,
    hint: `The answer depends on every argument: compute it afresh on each call, or key what you keep by every argument's values (${[...names, ...others].join(", ")}).`,
  };
}

/** The value of a part ("0", "0.weights", "0[0]", "0[last]") of a call's arguments. */
function sharedPart(args: Plain[], part: string): Plain {
  const m = /^(\d+)(?:\.(.+)|\[(0|last)\])?$/.exec(part);
  if (!m) return null;
  const a = args[Number(m[1])];
  if (m[2] !== undefined) return isRecord(a) ? (a[m[2]] ?? null) : null;
  if (m[3] !== undefined) return Array.isArray(a) && a.length > 0 ? a[m[3] === "0" ? 0 : a.length - 1] : null;
  return a ?? null;
}

/**
 * The parts two lists of shared parts have in common, a whole argument ("0") holding its fields
 * and items ("0.weights", "0[0]"): shared whole once and by its weights once, what every call
 * shared is its weights.
 */
function meetParts(a: string[], b: string[]): string[] {
  const whole = (p: string) => /^\d+$/.exec(p)?.[0];
  const argOf = (p: string) => /^\d+/.exec(p)![0];
  const out: string[] = [];
  const add = (p: string) => {
    if (!out.includes(p)) out.push(p);
  };
  for (const p of a) {
    if (b.includes(p)) {
      add(p);
    } else if (whole(p) !== undefined) {
      for (const q of b) if (argOf(q) === p && q !== p) add(q);
    } else if (b.includes(argOf(p))) {
      add(p);
    }
  }
  return out;
}

/** How many arguments the calls of `fn` take, read off the first such check. */
function callOfFn(seen: Seen[], fn: string): number {
  for (const s of seen) {
    const c = callOf(s.case);
    if (c?.fn === fn) return c.args.length;
  }
  return 0;
}

/**
 * What of argument `k` two calls shared: the whole argument ("0"); else the fields of a record
 * ("0.weights") or the first or last item of a list ("0[0]", "0[last]") that are the same, where
 * some are and some are not (a cache keyed by net.weights, or by gs[0], shares them); what differs
 * in `diff`, named as a whole where nothing of it is shared.
 */
function sameParts(a: Plain, b: Plain, k: number, exact: (a: Plain, b: Plain) => boolean): { same: string[]; diff: string[] } {
  if (exact(a, b)) return { same: [`${k}`], diff: [] };
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    if (keys.length >= 2 && keys.join() === Object.keys(b).join()) {
      const same = keys.filter((f) => exact(a[f], b[f]));
      if (same.length > 0) return { same: same.map((f) => `${k}.${f}`), diff: keys.filter((f) => !same.includes(f)).map((f) => `${k}.${f}`) };
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.length >= 2 && a.every((x) => x !== null && typeof x === "object")) {
    const first = exact(a[0], b[0]);
    const last = exact(a[a.length - 1], b[b.length - 1]);
    if (first !== last) return first ? { same: [`${k}[0]`], diff: [`${k}[last]`] } : { same: [`${k}[last]`], diff: [`${k}[0]`] };
  }
  return { same: [], diff: [`${k}`] };
}

// ── field names that differ only in spelling ─────────────────────────────────────
function misnamedFields(seen: Seen[]): Diagnosis | undefined {
  const bad = failing(seen);
  const pairs: string[] = [];
  for (const s of bad) {
    const o = s.outcomes[0];
    const want = expectedOf(s);
    if (!ok(o) || want === null || typeof want !== "object" || Array.isArray(want) || o.value === null || typeof o.value !== "object" || Array.isArray(o.value)) return undefined;
    const got = Object.keys(o.value);
    const missing = Object.keys(want).filter((k) => !got.includes(k));
    if (missing.length === 0) return undefined;
    const norm = (k: string) => k.toLowerCase().replace(/[_-]/g, "");
    for (const k of missing) {
      const theirs = got.find((g) => norm(g) === norm(k));
      if (!theirs) return undefined;
      if (!pairs.includes(`\`${theirs}\` where \`${k}\``)) pairs.push(`\`${theirs}\` where \`${k}\``);
    }
  }
  if (pairs.length === 0) return undefined;
  return {
    key: `keys:${pairs.join(",")}`,
    cause: `the answer's field names are spelled differently: ${pairs.join(", ")} is expected (names are case-sensitive)`,
    hint: "Return the object with exactly the field names the exercise asks for.",
  };
}

// ── |right answer|: the sign dropped ────────────────────────────────────────────
function absoluteValue(seen: Seen[]): Diagnosis | undefined {
  const bad = failing(seen);
  if (bad.length === 0) return undefined;
  for (const s of bad) if (typeof s.verdict !== "object" || !s.verdict.ratios || s.verdict.ratios.length === 0 || !s.verdict.ratios.every((r) => near(r, -1))) return undefined;
  const all = checks(seen).flatMap((s) => s.outcomes.filter(ok).flatMap((o) => numbers(o.value)));
  // Answers that are not numbers (a formula's text) say nothing of signs.
  if (all.length === 0) return undefined;
  // Some answers right, the wrong ones −1 × right: the sign is lost, one way or the other, not flipped everywhere.
  if (!all.some((x) => x < 0)) {
    return {
      key: "abs",
      cause: "never negative: where the right answer is negative this one is its absolute value (Math.abs, or the square root of a square, drops the sign)",
      hint: "Keep the sign: the formula has no absolute value in it.",
    };
  }
  // Right where the right answer is negative: some negative number answered exactly as it should be.
  const rightWhereNegative = checks(seen).some((s) => {
    const o = s.outcomes[0];
    const want = expectedOf(s);
    if (!ok(o) || want === undefined) return false;
    const got = numbers(o.value);
    const exp = numbers(want);
    return got.length === exp.length && exp.some((x, i) => x < 0 && got[i] === x);
  });
  if (!all.some((x) => x > 0) && rightWhereNegative) {
    return {
      key: "-abs",
      cause: "never positive: where the right answer is positive this one is its negative, and where it is negative it is right: a −|…| (Math.abs under a minus) drops the sign",
      hint: "Keep the sign of the difference itself: the formula has no absolute value in it, so there is nothing to take |…| of.",
    };
  }
  return undefined;
}

// ── a constant factor or sign, on the answer or on the step it takes ───────────
const NAMED_FACTORS: [number, string][] = [
  [-1, "the sign is flipped: every wrong number is −1 × the right one"],
  [2, "twice the right value: every wrong number is 2 × the right one (an extra factor 2)"],
  [0.5, "half the right value: every wrong number is ½ × the right one (a factor 2 is missing)"],
];

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));

/** One factor for the whole case, or undefined. */
function oneFactor(rs: number[]): number | undefined {
  if (rs.length === 0 || !rs.every((r) => Number.isFinite(r) && near(r, rs[0]))) return undefined;
  return rs[0];
}

/** (answer − start) / (right answer − start), leaf by leaf, when the answer has the shape of an argument it updates. */
function stepRatios(s: Seen): number[] | undefined {
  const o = s.outcomes[0];
  const want = expectedOf(s);
  const call = callOf(s.case);
  if (!ok(o) || want === undefined || !call || shapeMismatch(o.value, want) !== null) return undefined;
  for (const arg of call.args) {
    const start = argForDisplay(arg);
    // A step updates a list or a network it is given; a number in and a number out (relu(z)) is no step.
    if (start === null || typeof start !== "object") continue;
    const got = numbers(o.value);
    const from = numbers(start);
    const exp = numbers(want);
    if (from.length !== exp.length || got.length !== exp.length || shapeMismatch(start, want) !== null) continue;
    const rs: number[] = [];
    for (let i = 0; i < exp.length; i++) {
      const right = exp[i] - from[i];
      if (Math.abs(right) <= 1e-9 * Math.max(1, Math.abs(exp[i]))) continue;
      rs.push((got[i] - from[i]) / right);
    }
    if (rs.length > 0) return rs;
  }
  return undefined;
}

/** Lengths of the case's list arguments, by argument index: a factor 1/n often comes from one of them. */
function lengths(s: Seen): number[] {
  const call = callOf(s.case);
  return call ? call.args.map((a) => (Array.isArray(a) ? a.length : NaN)) : [];
}

function describeFactors(ks: number[], bad: Seen[], params: ParamNames, what: "value" | "step", evidence: number): Diagnosis | undefined {
  // One number divided by another always gives some factor: a claim needs two that agree.
  if (evidence < 2) return undefined;
  const k = oneFactor(ks);
  const call = callOf(bad[0].case);
  if (k !== undefined) {
    if (k === 0 || near(k, 1)) return undefined;
    const named = what === "value" ? NAMED_FACTORS.find(([f]) => near(f, k)) : undefined;
    const rounded = Number(k.toPrecision(6));
    if (what === "step") {
      return {
        key: `step:${rounded}`,
        cause: near(k, -1) ? "every parameter moves the wrong way: the step has the wrong sign (uphill instead of downhill)" : `every parameter moves ${show(rounded)} × as far as it should from where it started: the step is scaled wrongly`,
        hint: near(k, -1) ? "Gradient descent subtracts: new = old − η · gradient." : "The step is η times the (averaged) gradient, no more and no less: compare every factor and division on the way with that.",
      };
    }
    const cause = named ? named[1] : `every wrong number is ${show(rounded)} × the right one: a constant factor is wrong`;
    // Only part of the answer off by the factor (dBs alone, the layers before the output): the
    // mistake is on the way to that part, and what the whole answer shares (a − y) is right.
    const part = wrongPart(bad);
    const sought = near(k, -1) ? "minus sign" : "constant and division";
    if (part === BEFORE_OUTPUT) {
      return {
        key: `factor:${rounded}:before-output`,
        cause: `${cause}, in layers before the output layer only; the output layer is right`,
        hint: `The output layer comes out right, so the error the cost starts with is right: compare every ${sought} in the step that carries the error back to the layer before (and in what that layer does with it) with the formula.`,
      };
    }
    if (part) {
      return {
        key: `factor:${rounded}:${part}`,
        cause: `${cause}, in ${part} only; the rest of the answer is right`,
        hint: `The mistake is on the way to ${part} alone: compare every ${sought} that reaches ${part} (and nothing else) with the formula.`,
      };
    }
    return {
      key: `factor:${rounded}`,
      cause,
      hint: near(k, -1) ? "Compare the order of the subtraction (a − y or y − a) and every minus sign with the formula." : "Find the factor: compare each constant and each division in your code with the formula.",
    };
  }
  // Not one factor, but 1/n or n for the length n of one argument in every case. Where two
  // arguments have the same length in every failing case, the evidence cannot say which it is.
  if (!call) return undefined;
  const minusOne = describeMinusOne(ks, bad, params, what);
  if (minusOne) return minusOne;
  for (const over of [true, false]) {
    const fit: number[] = [];
    for (let i = 0; i < call.args.length; i++) {
      const ns = bad.map((s) => lengths(s)[i]);
      if (!ns.every((n) => Number.isInteger(n) && n > 1)) continue;
      if (ks.every((x, c) => (over ? near(x * ns[c], 1) : near(x, ns[c])))) fit.push(i);
    }
    if (fit.length === 0) continue;
    const names = fit.map((i) => `\`${paramName(params, call.fn, i)}\``);
    const which = names.length === 1 ? names[0] : `${names.join(" and in ")} (the same number in every failing check)`;
    const lengthOf = fit.map((i) => `${paramName(params, call.fn, i)}.length`).join(" or ");
    const thing = what === "step" ? "every step is" : "every wrong number is";
    return {
      key: `${what}:${over ? "1/n" : "n"}:${fit.join("|")}`,
      cause: `${thing} ${over ? "1/n" : "n"} × the right one, where n is the number of items in ${which}: ${over ? "a division by n too many" : "a division by n is missing"}`,
      hint: over
        ? `Find where you divide by the number of items in ${names.join(" or ")} (${lengthOf}): the right answer divides by it one time fewer (an average divides once; a sum or a step does not divide).`
        : `The right answer divides by the number of items in ${names.join(" or ")} (${lengthOf}) where yours does not, as an average of them does.`,
    };
  }
  return undefined;
}

/**
 * n/(n − 1) (a division by n − 1 where n belongs) or (n − 1)/n, with n an argument's length, or
 * 1/n with n a whole-number argument (a batch size): where the factor changes from check to check.
 */
function describeMinusOne(ks: number[], bad: Seen[], params: ParamNames, what: "value" | "step"): Diagnosis | undefined {
  const call = callOf(bad[0].case)!;
  const thing = what === "step" ? "every step is" : "every wrong number is";
  for (let i = 0; i < call.args.length; i++) {
    const ns = bad.map((s) => lengths(s)[i]);
    // n = 2 alone gives 2, a constant factor too: at least one n above 2 tells them apart.
    if (ns.every((n) => Number.isInteger(n) && n >= 2) && ns.some((n) => n > 2) && ks.every((x, c) => near(x, ns[c] / (ns[c] - 1)))) {
      const name = paramName(params, call.fn, i);
      return {
        key: `${what}:n/(n-1):${i}`,
        cause: `${thing} n/(n − 1) × the right one, where n is the number of items in \`${name}\`: a division by n − 1 where n belongs`,
        hint: `Divide by the number of items itself, ${name}.length, not by one less.`,
      };
    }
  }
  const scalars = bad.map((s) => (callOf(s.case)?.args ?? []).map((a) => (typeof a === "number" ? a : NaN)));
  for (let i = 0; i < call.args.length; i++) {
    const ns = scalars.map((a) => a[i]);
    if (!ns.every((n) => Number.isInteger(n) && n > 1) || new Set(ns).size < 2) continue;
    for (const over of [true, false]) {
      if (!ks.every((x, c) => (over ? near(x * ns[c], 1) : near(x, ns[c])))) continue;
      const name = paramName(params, call.fn, i);
      return {
        key: `${what}:${over ? "1/n" : "n"}:scalar:${i}`,
        cause: `${thing} ${over ? `1/${name}` : name} × the right one: ${over ? `a division by \`${name}\` too many` : `a division by \`${name}\` is missing`}`,
        hint: over ? `Find where you divide by \`${name}\`: the right answer does not divide by it there (an average divides once, and only once).` : `The right answer divides by \`${name}\` where yours does not.`,
      };
    }
  }
  return undefined;
}

function constantFactor(seen: Seen[], params: ParamNames): Diagnosis | undefined {
  const bad = failing(seen);
  if (bad.length === 0) return undefined;
  const values = bad.map((s) => (typeof s.verdict === "object" && s.verdict.ratios && s.verdict.ratios.length > 0 ? oneFactor(s.verdict.ratios) : undefined));
  const rs = bad.map((s) => (typeof s.verdict === "object" ? (s.verdict.ratios ?? []) : []));
  const all = rs.flat();
  const count = all.length;
  if (values.every((k): k is number => k !== undefined)) {
    const d = describeFactors(values, bad, params, "value", count);
    if (d) return d;
  }
  // An estimate (a finite difference) off by a named factor is that factor to its own accuracy
  // only (f(x ± 2h) over 2h is 2 × the right slope to about h², 0.1% at h = 0.01): within 0.2%,
  // −1, 2 or ½, on four numbers at least.
  const loose = count < 4 ? undefined : NAMED_FACTORS.map(([f]) => f).find((f) => rs.every((r) => r.length > 0 && r.every((x) => Math.abs(x - f) <= 2e-3 * Math.abs(f))));
  const estimate = loose === undefined ? undefined : describeFactors(rs.map(() => loose), bad, params, "value", count);
  if (estimate) return estimate;
  // Right at some points and −1 × right at the others, the same size everywhere: |x| where x belongs
  // (a formula's ratios, where the values themselves are text for absoluteValue to read).
  if (all.length >= 3 && all.every((r) => near(r, 1) || near(r, -1)) && all.some((r) => near(r, 1)) && all.some((r) => near(r, -1))) {
    return {
      key: "sign-lost",
      cause: "right where the right value is one sign and its negative where it is the other, the same size everywhere: the sign is lost, as an absolute value (abs(…), or the square root of a square) loses it",
      hint: "Keep the sign: the right value is negative at some points (a − y is negative when a < y); take out abs(…) or sqrt((…)^2).",
    };
  }
  const ratios = bad.map(stepRatios);
  const steps = ratios.map((rs) => (rs ? oneFactor(rs) : undefined));
  if (steps.every((k): k is number => k !== undefined)) return describeFactors(steps, bad, params, "step", ratios.reduce((n, rs) => n + (rs?.length ?? 0), 0));
  return undefined;
}

/** A one-call check's answer and right answer as lists of numbers, where both have the same shape. */
function answerNumbers(s: Seen): { got: number[]; exp: number[] } | undefined {
  const o = s.outcomes[0];
  const want = expectedOf(s);
  if (!ok(o) || want === undefined || shapeMismatch(o.value, want) !== null) return undefined;
  const got = numbers(o.value);
  const exp = numbers(want);
  return got.length === exp.length ? { got, exp } : undefined;
}

// ── every wrong number a simple function of the right one ─────────────────────
/** The (answer, right answer) pairs of every number a failing check got wrong; undefined where one cannot be read. */
function wrongPairs(bad: Seen[]): [number, number][] | undefined {
  const pairs: [number, number][] = [];
  for (const s of bad) {
    const both = answerNumbers(s);
    if (!both) return undefined;
    const { got, exp } = both;
    for (let i = 0; i < exp.length; i++) if (!closeEnough(got[i], exp[i], DEFAULT_TOLERANCE)) pairs.push([got[i], exp[i]]);
  }
  return pairs;
}

const RELATED: { key: string; fits: (got: number, want: number) => boolean; cause: string; hint: string }[] = [
  {
    key: "complement",
    // Strictly between 0 and 1, as a sigmoid's values are: 0 for 1 is no evidence of a complement.
    fits: (g, w) => w > 0 && w < 1 && w !== 0.5 && g > 0 && g < 1 && closeEnough(g, 1 - w, DEFAULT_TOLERANCE),
    cause: "every wrong number is 1 − the right one: the complement, as σ(−z) = 1 − σ(z) is of σ(z), so a sign is flipped somewhere (an exponent e^(+z) where e^(−z) belongs)",
    hint: "Check the signs on the way to the sigmoid: σ(z) = 1 / (1 + e^(−z)).",
  },
  {
    key: "sqrt",
    // Away from 0, where every tiny number is close to every other's square.
    fits: (g, w) => w > 1e-6 && w !== 1 && g > 1e-3 && closeEnough(g * g, w, DEFAULT_TOLERANCE),
    cause: "every wrong number is the square root of the right one: a square root (Math.sqrt, or ** 0.5) is taken that the formula does not have",
    hint: "The formula has no square root: return the sum or square as it is.",
  },
  {
    key: "square",
    fits: (g, w) => Math.abs(w) > 1e-3 && Math.abs(w) !== 1 && closeEnough(g, w * w, DEFAULT_TOLERANCE),
    cause: "every wrong number is the square of the right one: something is squared (or multiplied by itself) once too often",
    hint: "Find the extra square: compare each ** 2 and each product of a value with itself with the formula.",
  },
  {
    key: "whole",
    fits: (g, w) => Number.isInteger(g) && g !== w && (g === Math.trunc(w) || g === Math.floor(w) || g === Math.round(w) || g === (w | 0)),
    cause: "every wrong number is the right one cut to a whole number (| 0, Math.floor, Math.trunc or Math.round, or an Int32Array): the fraction is lost",
    hint: "Keep the fraction: the answer is a real number, so leave out | 0, Math.floor and integer arrays.",
  },
];

function relatedValue(seen: Seen[]): Diagnosis | undefined {
  const pairs = wrongPairs(failing(seen));
  // Two numbers at least: one pair fits some relation by chance.
  if (!pairs || pairs.length < 2) return undefined;
  // Only 0s and 1s fit "cut to a whole number" as well as they fit a clamp or a step: a whole number past 1 is the evidence.
  const r = RELATED.find((x) => pairs.every(([g, w]) => x.fits(g, w)) && (x.key !== "whole" || pairs.some(([g]) => Math.abs(g) >= 2)));
  return r ? { key: `related:${r.key}`, cause: r.cause, hint: r.hint } : undefined;
}

// ── the right numbers in the wrong places ──────────────────────────────────────
function transpose(m: Plain): Plain[][] | undefined {
  if (!Array.isArray(m) || m.length === 0 || !m.every((r) => Array.isArray(r) && r.length === (m[0] as Plain[]).length)) return undefined;
  const rows = m as Plain[][];
  return rows[0].map((_, j) => rows.map((r) => r[j]));
}

function placement(got: Plain, want: Plain): string | undefined {
  if (same(got, want)) return undefined;
  const t = transpose(want);
  if (t && same(got, t)) return "transposed";
  if (Array.isArray(want) && Array.isArray(got) && want.length > 1 && same(got, want.slice().reverse())) return "reversed";
  // A list of matrices (a network's layers), each transposed.
  if (Array.isArray(want) && Array.isArray(got) && want.length === got.length && want.length > 0 && want.every((m, i) => transpose(m) && same(got[i], transpose(m)!))) return "transposed";
  if (want !== null && typeof want === "object" && !Array.isArray(want) && got !== null && typeof got === "object" && !Array.isArray(got)) {
    const w = want as { [k: string]: Plain };
    const g = got as { [k: string]: Plain };
    const keys = Object.keys(w);
    const wrong = keys.filter((k) => !same(g[k], w[k]));
    if (wrong.length === 2 && same(g[wrong[0]], w[wrong[1]]) && same(g[wrong[1]], w[wrong[0]])) return `swapped:${wrong.join(",")}`;
    // One way of misplacing for every wrong field (each reversed, say): say it once, with the fields.
    const inner = wrong.map((k) => placement(g[k], w[k]));
    if (wrong.length > 0 && inner.every((x) => x !== undefined && x === inner[0] && !x.includes(":"))) return `${inner[0]}:${wrong.join(", ")}`;
    if (wrong.length > 0) return undefined;
  }
  // The same numbers elsewhere in an answer of the same shape: not an answer with more or fewer places (undefined is no number).
  if (shapeMismatch(got, want) !== null) return undefined;
  const a = numbers(got).sort((x, y) => x - y);
  const b = numbers(want).sort((x, y) => x - y);
  if (a.length > 1 && a.length === b.length && a.every((x, i) => closeEnough(x, b[i]))) return "permuted";
  return undefined;
}

function wrongPlaces(seen: Seen[]): Diagnosis | undefined {
  const bad = failing(seen);
  let kind: string | undefined;
  for (const s of bad) {
    const o = s.outcomes[0];
    const want = expectedOf(s);
    if (!ok(o) || want === undefined) return undefined;
    const k = placement(o.value, want);
    if (!k || (kind !== undefined && k !== kind)) return undefined;
    kind = k;
  }
  if (!kind) return undefined;
  // A list where an object with named fields belongs: the numbers are right, the container is not.
  const listForRecord = bad.every((s) => {
    const o = s.outcomes[0];
    return ok(o) && Array.isArray(o.value) && isRecord(expectedOf(s) ?? null);
  });
  if (listForRecord) {
    const fields = Object.keys(expectedOf(bad[0]) as { [k: string]: Plain });
    const named = fields.map((f) => `\`${f}\``).join(", ");
    return {
      key: "order:list-for-record",
      cause: `the right numbers, in a list where an object with the fields ${named} belongs`,
      hint: `Return an object, { ${fields.join(", ")} }, each field holding its own value: whoever calls the function reads the answer by those names, not by position.`,
    };
  }
  const [what, detail] = kind.split(":");
  const field = detail && what !== "swapped" ? ` in ${detail.split(", ").map((f) => `\`${f}\``).join(" and ")}` : "";
  const cause =
    what === "swapped"
      ? `\`${detail.split(",")[0]}\` and \`${detail.split(",")[1]}\` are swapped: each holds the value the other should`
      : what === "transposed"
        ? `the right numbers, transposed${field}: rows and columns are exchanged (an index pair read the other way round, [k][j] for [j][k])`
        : what === "reversed"
          ? `the right numbers in reverse order${field}`
          : `the right numbers in the wrong places${field}`;
  return {
    key: `order:${kind}`,
    cause,
    hint: "The values are right; only where they go is not. Check which index runs over what (rows are the neurons of the layer, columns the inputs) and the order in which the answer is built.",
  };
}

// ── some parts of a record right, the others wrong ──────────────────────────────
const isRecord = (v: Plain): v is { [k: string]: Plain } => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof FunctionValue) && !(v instanceof Unreadable);

/**
 * Answers that are records (a gradient's { weights, biases }, { dW, dB, dAPrev }): in every failing
 * check the same fields are wrong and the others right, or, where every field is a list by layer,
 * only the first or only the last layer is wrong. Which part is wrong is evidence of where the
 * mistake is, whatever the mistake.
 */
/**
 * The part of a record answer that every failing check gets wrong, in words, when the rest is
 * right: its fields (`dBs`), the first or the output layer, or layers before the output (BEFORE_OUTPUT).
 */
function wrongPart(bad: Seen[]): string | undefined {
  const d = wrongParts(bad);
  if (d?.key === "parts:layer:first") return "the first layer (index 0)";
  if (d?.key === "parts:layer:last") return "the output layer";
  if (d?.key.startsWith("parts:")) return d.key.slice("parts:".length).split(",").map((k) => `\`${k}\``).join(" and ");
  // The output layer right and some layer before it wrong, in every failing check (a sign lost on the way back).
  for (const s of bad) {
    const both = byLayer(s);
    if (!both) return undefined;
    const { got, want, keys, layers } = both;
    const wrongAt = (l: number) => keys.some((k) => compare((got[k] as Plain[])[l], (want[k] as Plain[])[l], DEFAULT_TOLERANCE) !== null);
    if (wrongAt(layers - 1) || ![...Array(layers - 1).keys()].some(wrongAt)) return undefined;
  }
  return BEFORE_OUTPUT;
}

const BEFORE_OUTPUT = "layers before the output layer";

/** A check's answer and right answer as records of per-layer lists (gradients), two layers or more, the same fields and layer count. */
function byLayer(s: Seen): { got: { [k: string]: Plain }; want: { [k: string]: Plain }; keys: string[]; layers: number } | undefined {
  const o = s.outcomes[0];
  const want = expectedOf(s);
  if (!ok(o) || want === undefined || !isRecord(o.value) || !isRecord(want)) return undefined;
  const got = o.value;
  const keys = Object.keys(want);
  const layers = layerCount(want);
  if (layers < 2 || !keys.every((k) => Array.isArray(got[k]) && (got[k] as Plain[]).length === layers)) return undefined;
  return { got, want, keys, layers };
}

// ── a factor that grows by one each layer back ───────────────────────────────
/**
 * The output layer right, the layer before it off by a factor f, the one before that by f², and
 * so on, in every failing check, and some network with three layers or more among them (with two,
 * it is one factor before the output, which constantFactor names): the factor enters each time the
 * error is carried back a layer (the 2 of ∂C/∂a = 2(a − y) written into δ at every layer).
 * Within 0.1%: the right answer may be an estimate (centred differences) good to about that.
 */
function factorPerLayer(seen: Seen[]): Diagnosis | undefined {
  const bad = failing(seen);
  if (bad.length === 0) return undefined;
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-3 * Math.abs(b);
  let f: number | undefined;
  let deep = false;
  for (const s of bad) {
    const both = byLayer(s);
    if (!both) return undefined;
    const { got, want, keys, layers } = both;
    for (let l = layers - 1; l >= 0; l--) {
      const ratios: number[] = [];
      for (const k of keys) {
        const g = numbers((got[k] as Plain[])[l]);
        const w = numbers((want[k] as Plain[])[l]);
        if (g.length !== w.length) return undefined;
        for (let i = 0; i < w.length; i++) if (Math.abs(w[i]) > 1e-9) ratios.push(g[i] / w[i]);
      }
      if (ratios.length === 0) continue;
      const back = layers - 1 - l;
      if (back === 1 && f === undefined) f = ratios[0];
      const want1 = back === 0 ? 1 : f! ** back;
      if (!ratios.every((r) => close(r, want1))) return undefined;
    }
    deep ||= layers >= 3;
  }
  if (f === undefined || !deep || close(f, 1) || !Number.isFinite(f)) return undefined;
  const k = Number(f.toPrecision(4));
  return {
    key: `factor-per-layer:${k}`,
    cause: `the output layer is right, the layer before it is ${show(k)} × the right gradient, the one before that ${show(Number((k * k).toPrecision(4)))} ×, and so on: a factor of ${show(k)} enters each time the error is carried back a layer`,
    hint: `Something in the step that carries the error back (δ of one layer from the δ of the next) multiplies by ${show(k)}${k === 2 ? ": the 2 of ∂C/∂a = 2(a − y) belongs to the output layer's error only" : ""}; each layer before the output gets (Wᵀδ) · σ′(z), nothing more.`,
  };
}

/** How many layers a record of per-layer lists holds (every field a list of one length), else 0. */
function layerCount(want: { [k: string]: Plain }): number {
  const lists = Object.values(want);
  return lists.length > 0 && lists.every((l) => Array.isArray(l) && l.length === (lists[0] as Plain[]).length) ? (lists[0] as Plain[]).length : 0;
}

function wrongParts(seen: Seen[]): Diagnosis | undefined {
  const bad = failing(seen);
  if (bad.length === 0) return undefined;
  let fields: string | undefined;
  let layer: "first" | "last" | undefined | null;
  let keys: string[] = [];
  for (const s of bad) {
    const o = s.outcomes[0];
    const want = expectedOf(s);
    if (!ok(o) || want === undefined || !isRecord(o.value) || !isRecord(want)) return undefined;
    const got = o.value;
    keys = Object.keys(want);
    if (keys.length < 2 || Object.keys(got).length !== keys.length || !keys.every((k) => k in got)) return undefined;
    const wrong = keys.filter((k) => compare(got[k], want[k], DEFAULT_TOLERANCE) !== null);
    if (wrong.length === 0) return undefined;
    const these = wrong.join(",");
    fields = fields === undefined || fields === these ? these : "";
    // By layer: every field a list of the same length, one entry per layer.
    const layers = layerCount(want);
    if (layers >= 2 && layer !== null) {
      const wrongLayers = [...Array(layers).keys()].filter((l) => keys.some((k) => compare((got[k] as Plain[])[l], (want[k] as Plain[])[l], DEFAULT_TOLERANCE) !== null));
      const which = wrongLayers.length === 1 && wrongLayers[0] === 0 ? "first" : wrongLayers.length === 1 && wrongLayers[0] === layers - 1 ? "last" : null;
      layer = layer === undefined || layer === which ? which : null;
    } else if (layers < 2 && layer !== undefined && layer !== "first") {
      // One layer is the first and the last: evidence only for "first" if it stays so.
      layer = null;
    }
  }
  if (fields && fields.split(",").length < keys.length) {
    const wrong = fields.split(",");
    const right = keys.filter((k) => !wrong.includes(k));
    const list = (ks: string[]) => ks.map((k) => `\`${k}\``).join(" and ");
    return {
      key: `parts:${fields}`,
      cause: `only ${list(wrong)} ${wrong.length === 1 ? "is" : "are"} wrong, in every failing check, and ${list(right)} ${right.length === 1 ? "is" : "are"} right: look at what gives ${list(wrong)} ${wrong.length === 1 ? "its" : "their"} values`,
      hint: `Follow ${list(wrong)} from where ${wrong.length === 1 ? "it is" : "they are"} made to where ${wrong.length === 1 ? "it is" : "they are"} returned, and compare each step with the formula: ${list(right)} come${right.length === 1 ? "s" : ""} out right.`,
    };
  }
  if (layer === "first" || layer === "last") {
    return {
      key: `parts:layer:${layer}`,
      cause:
        layer === "first"
          ? "only the first layer (index 0) is wrong, in every failing check, and every later layer is right: a loop over the layers that stops before index 0 (l > 0 where l >= 0 belongs) does this, as does code that treats the first layer apart"
          : "only the last layer (the output layer) is wrong, in every failing check, and every layer before it is right: look at where the output layer is started or handled apart from the others",
      hint:
        layer === "first"
          ? "Follow your loop over the layers down to index 0: does it reach it, and does layer 0 get the same treatment as the others?"
          : "Compare what your code does for the output layer (where the error starts from the cost) with the formula: the layers after it are right.",
    };
  }
  return undefined;
}

// ── right for some inputs, wrong for the others: where the line runs ──────────
/** A yes-or-no property of one argument, read from the value the check gave it. */
interface Side {
  /** Which argument, and how the property reads for it when it holds and when it does not. */
  arg: number;
  holds: (name: string) => string;
  fails: (name: string) => string;
  test: (v: Plain) => boolean | undefined;
  /** What code usually does differently there, as examples for the hint. */
  look: string;
  /** The same where the checks that fail are those where the property does not hold (`fails`), when that differs. */
  lookElse?: string;
}

const nums = (v: Plain): number[] | undefined => {
  if (!Array.isArray(v) && (v === null || typeof v !== "object")) return undefined;
  const xs = numbers(v);
  return xs.length > 0 ? xs : undefined;
};
const network = (v: Plain): Plain[] | undefined => {
  const w = v !== null && typeof v === "object" && !Array.isArray(v) ? (v as { [k: string]: Plain }).weights : undefined;
  return Array.isArray(w) ? w : undefined;
};

const SIGN_CODE = "an absolute value, a clamp such as Math.max(0, …), or a test of the sign";
const ZERO_CODE = "a division by it, or a test such as `if (!x)` that 0 fails";
const ABOVE_ONE_CODE = "a clamp to 1, or code that assumes a value between 0 and 1";
const BETWEEN_CODE = "a threshold or a clamp at 1 where the formula has one at 0, or none";
const LABEL_CODE = "code that treats it as a label, such as y === 1 ? … : …, rounds it, or uses it where its square belongs (y² and y agree only at 0 and 1)";
const COUNT_CODE = "a loop bound, or an index fixed at the first or the last item";
const MANY_CODE = "a step that only shows with two or more: a term added once per item where it belongs once, a divisor or an index off by one, or one item standing for all";
const LAYERS_CODE = "the steps between layers: what one layer passes to the next or the one before, the loop over the layers, or one layer's index used for all";
const NONZERO_CODE = "the place where it enters the formula: a term in the wrong place vanishes where it is 0, such as one added after σ instead of before, or multiplied where it belongs added";

/** The properties worth a sentence: a sign, a size past 1, how many items or layers. */
function sides(arg: number): Side[] {
  const num = (f: (x: number) => boolean) => (v: Plain) => (typeof v === "number" && Number.isFinite(v) ? f(v) : undefined);
  const list = (f: (n: number) => boolean) => (v: Plain) => (Array.isArray(v) ? f(v.length) : undefined);
  const entries = (f: (xs: number[]) => boolean) => (v: Plain) => {
    const xs = nums(v);
    return xs ? f(xs) : undefined;
  };
  return [
    { arg, holds: (n) => `\`${n}\` is negative`, fails: (n) => `\`${n}\` ≥ 0`, test: num((x) => x < 0), look: SIGN_CODE },
    { arg, holds: (n) => `\`${n}\` is 0`, fails: (n) => `\`${n}\` is not 0`, test: num((x) => x === 0), look: ZERO_CODE, lookElse: NONZERO_CODE },
    { arg, holds: (n) => `\`${n}\` > 1`, fails: (n) => `\`${n}\` ≤ 1`, test: num((x) => x > 1), look: ABOVE_ONE_CODE },
    { arg, holds: (n) => `\`${n}\` > 0`, fails: (n) => `\`${n}\` ≤ 0`, test: num((x) => x > 0), look: SIGN_CODE },
    { arg, holds: (n) => `\`${n}\` is 0 or 1`, fails: (n) => `\`${n}\` is neither 0 nor 1`, test: num((x) => x === 0 || x === 1), look: LABEL_CODE },
    { arg, holds: (n) => `\`${n}\` is between 0 and 1`, fails: (n) => `\`${n}\` is outside (0, 1)`, test: num((x) => x > 0 && x < 1), look: BETWEEN_CODE },
    { arg, holds: (n) => `every number in \`${n}\` is 0 or 1`, fails: (n) => `\`${n}\` holds a number other than 0 and 1`, test: entries((xs) => xs.every((x) => x === 0 || x === 1)), look: LABEL_CODE },
    { arg, holds: (n) => `\`${n}\` has one item`, fails: (n) => `\`${n}\` has more than one item`, test: list((k) => k === 1), look: COUNT_CODE, lookElse: MANY_CODE },
    { arg, holds: (n) => `\`${n}\` is empty`, fails: (n) => `\`${n}\` is not empty`, test: list((k) => k === 0), look: COUNT_CODE },
    { arg, holds: (n) => `\`${n}\` holds a negative number`, fails: (n) => `every number in \`${n}\` is ≥ 0`, test: entries((xs) => xs.some((x) => x < 0)), look: SIGN_CODE },
    { arg, holds: (n) => `\`${n}\` holds a number > 1`, fails: (n) => `every number in \`${n}\` is ≤ 1`, test: entries((xs) => xs.some((x) => x > 1)), look: ABOVE_ONE_CODE },
    {
      arg,
      holds: (n) => `\`${n}\` has one layer of weights`,
      fails: (n) => `\`${n}\` has more than one layer of weights`,
      test: (v) => {
        const w = network(v);
        return w ? w.length === 1 : undefined;
      },
      look: COUNT_CODE,
      lookElse: LAYERS_CODE,
    },
  ];
}

/**
 * Every check of one function where some property of an argument holds fails, and every one
 * where it does not passes (three of each at least, ten checks in all): the code treats those
 * inputs differently from the formula. Said only when one argument alone draws the line; two
 * arguments that split the checks the same way leave it open which one the code mishandles.
 */
function whereItFails(seen: Seen[], params: ParamNames): Diagnosis | undefined {
  const bad = failing(seen);
  const call0 = bad.length > 0 ? callOf(bad[0].case) : undefined;
  if (!call0) return undefined;
  // A check passed within the tolerance, not exactly (relu(1e-12) answered 0), sits on neither side.
  const closeOnly = (s: Seen) => {
    const o = s.outcomes[0];
    const want = expectedOf(s);
    return s.verdict === "passed" && ok(o) && want !== undefined && compare(o.value, want, { rel: 0, abs: 0 }) !== null;
  };
  // A check whose right answer is empty ([] for topSensitive(g, 0)) is passed without any of the work: neither side either.
  const emptyAnswer = (s: Seen) => {
    const want = expectedOf(s);
    return s.verdict === "passed" && want !== null && typeof want === "object" && Object.keys(want).length === 0;
  };
  const calls = checks(seen).flatMap((s) => {
    const c = callOf(s.case);
    return c && c.fn === call0.fn && !closeOnly(s) && !emptyAnswer(s) ? [{ args: c.args.map(argForDisplay), wrong: s.verdict !== "passed" }] : [];
  });
  // Every failing check must be a call of this function: a line drawn through some of them says nothing of the rest.
  if (calls.filter((c) => c.wrong).length !== bad.length) return undefined;
  const wrong = calls.filter((c) => c.wrong).length;
  if (calls.length < 10 || wrong < 3 || calls.length - wrong < 3) return undefined;
  // `kind`: which of sides() it is, the same index for every argument.
  const found: { side: Side; kind: number; when: boolean }[] = [];
  for (let arg = 0; arg < call0.args.length; arg++) {
    for (const [kind, side] of sides(arg).entries()) {
      const values = calls.map((c) => side.test(c.args[arg]));
      if (values.some((v) => v === undefined)) continue;
      // "0 or 1" reads as a label only for an argument that mostly lives in [0, 1] (a target): for a
      // weight it is a few edge cases that happen to pass.
      if (side.look === LABEL_CODE && calls.filter((c) => numbers(c.args[arg]).every((x) => x >= 0 && x <= 1)).length < 0.75 * calls.length) continue;
      for (const when of [true, false]) if (calls.every((c, i) => c.wrong === (values[i] === when))) found.push({ side, kind, when });
    }
  }
  if (found.length === 0) return undefined;
  // Two arguments that split the checks alike leave it open which one the code mishandles,
  // unless the checks that fail are those where both hold one item, or none (a and y of one
  // length): then it is said of both. The other way round (wrong wherever there is more than
  // one) fits most mistakes that one item cannot show, and says nothing.
  const together = found.every((f) => f.side.look === COUNT_CODE && f.when && f.kind === found[0].kind);
  if (!together && found.some((f) => f.side.arg !== found[0].side.arg)) return undefined;
  const { side, kind, when } = found[0];
  const args = [...new Set(found.map((f) => f.side.arg))];
  const name = args.length === 1 ? paramName(params, call0.fn, side.arg) : args.map((a) => paramName(params, call0.fn, a)).join("` and `");
  const each = args.length === 1 ? (t: string) => t : (t: string) => `each of ${t}`;
  const [wrongWhere, rightWhere] = (when ? [side.holds(name), side.fails(name)] : [side.fails(name), side.holds(name)]).map(each);
  return {
    key: `where:${args.join(",")}:${kind}:${when}`,
    cause: `every check that fails is one where ${wrongWhere}, and every check where ${rightWhere} passes: the code goes wrong for those inputs`,
    hint: `Follow one failing input above through your code and through the formula side by side: where ${wrongWhere}, some step of yours does what the formula does not (${when ? side.look : (side.lookElse ?? side.look)}).`,
  };
}

// ── rounded answers (toFixed, Math.round(x * 100) / 100) ─────────────────────
/**
 * Every number of `got` that is not `exp`'s is `exp`'s rounded to `d` decimal places (an answer
 * may also hold numbers passed through as given, such as the input among the activations).
 */
export function roundedTo(got: number[], exp: number[], d: number): boolean {
  // Within one unit of the last place: a value computed from rounded values, then rounded, may
  // round the other way; but most are the right value rounded, exactly.
  const unit = 10 ** -d;
  if (got.length !== exp.length) return false;
  const differ = got.map((_g, i) => i).filter((i) => got[i] !== exp[i]);
  const exactly = differ.filter((i) => Math.abs(got[i] - Number(exp[i].toFixed(d))) <= 1e-12 * Math.max(1, Math.abs(got[i])));
  return (
    differ.length > 0 &&
    2 * exactly.length >= differ.length &&
    differ.every((i) => Number(got[i].toFixed(d)) === got[i] && Math.abs(got[i] - exp[i]) <= unit * (1 + 1e-9))
  );
}
/** How many significant digits x's shortest decimal form has (1.44622 has 6; Math.fround(0.1) has 17). */
export function significantDigits(x: number): number {
  if (!Number.isFinite(x) || x === 0) return 0;
  return Math.abs(x).toExponential().split("e")[0].replace(".", "").length;
}

/** Every number of `got` that is not `exp`'s is `exp`'s rounded to `p` significant digits (toPrecision). */
function roundedToDigits(got: number[], exp: number[], p: number): boolean {
  if (got.length !== exp.length) return false;
  const differ = got.map((_g, i) => i).filter((i) => got[i] !== exp[i]);
  return differ.length > 0 && differ.every((i) => Number.isFinite(exp[i]) && got[i] === Number(exp[i].toPrecision(p)));
}

/** Every failing answer's numbers that differ from the right ones are short decimals, where the right ones are not. */
function shortDecimals(seen: Seen[]): boolean {
  const bad = failing(seen);
  if (bad.length === 0) return false;
  return bad.every((s) => {
    const both = answerNumbers(s);
    if (!both || both.got.length !== both.exp.length) return false;
    const differ = both.got.map((_g, i) => i).filter((i) => both.got[i] !== both.exp[i]);
    return differ.length > 0 && differ.every((i) => significantDigits(both.got[i]) <= 7 && significantDigits(both.exp[i]) > 7);
  });
}

function rounded(seen: Seen[]): Diagnosis | undefined {
  const bad = failing(seen);
  const pairs: { got: number[]; exp: number[] }[] = [];
  for (const s of bad) {
    const both = answerNumbers(s);
    if (!both || both.got.length === 0) return undefined;
    pairs.push(both);
  }
  // Rounded to significant digits (toPrecision): the same digit count for every number.
  const digits = [3, 4, 5, 6, 7].find((p) => pairs.length > 0 && pairs.every(({ got, exp }) => roundedToDigits(got, exp, p)));
  if (digits !== undefined && new Set(pairs.flatMap(({ got, exp }) => got.filter((g, i) => g !== exp[i]))).size >= 2) {
    return {
      key: `rounded:digits:${digits}`,
      cause: `the answer is rounded to ${digits} significant digits (toPrecision(${digits})): the grader compares the exact value`,
      hint: "Return the number as computed; round only when you print it.",
    };
  }
  // The fewest places every failing answer fits (an answer of 0.5 fits 1 place and 6 alike).
  const places = [0, 1, 2, 3, 4, 5, 6, 7, 8].find((d) => pairs.length > 0 && pairs.every(({ got, exp }) => roundedTo(got, exp, d)));
  // Two different rounded numbers at least, or one that is the right one to 3 places or more
  // exactly: one short number near the right one (a constant 0.25) proves no rounding.
  const differing = new Set(pairs.flatMap(({ got, exp }) => got.filter((g, i) => g !== exp[i])));
  const exactlyRounded = places !== undefined && places >= 3 && pairs.every(({ got, exp }) => got.every((g, i) => g === exp[i] || g === Number(exp[i].toFixed(places))));
  if (differing.size < 2 && !exactlyRounded) return undefined;
  // Rounded to whole numbers is indistinguishable from a count or a wrong integer answer: no claim.
  if (places === undefined || places === 0 || bad.every((s) => ok(s.outcomes[0]) && numbers(s.outcomes[0].value).every(Number.isInteger))) return undefined;
  return {
    key: `rounded:${places}`,
    cause: `the answer is rounded to ${places} decimal place${places === 1 ? "" : "s"} (toFixed, or Math.round(x * 10^${places}) / 10^${places}): the grader compares the exact value`,
    hint: "Return the number as computed; round only when you print it.",
  };
}

// ── ^ written for a power ────────────────────────────────────────────────────────
/** The code with its comments, strings and template literals blanked out. */
function codeOnly(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`/g, " ");
}

/**
 * `x ^ 2` in TypeScript is bitwise XOR: both sides become 32-bit whole numbers first, so
 * (a − y) ^ 2 is 2 for any |a − y| < 1. Evidence both ways: the code has a `^` between two
 * operands (not in a regular expression, /^x/ or [^x]), and every failing answer has a whole
 * number where the right one is not. A `^` in a seeded random generator, with answers that
 * are not whole numbers, says nothing.
 */
function xorForPower(seen: Seen[], _params: ParamNames, code?: string): Diagnosis | undefined {
  if (!code || !/[\w)\]]\s*\^\s*[-+\w(.]/.test(codeOnly(code))) return undefined;
  const bad = failing(seen);
  if (bad.length === 0) return undefined;
  for (const s of bad) {
    const o = s.outcomes[0];
    const want = expectedOf(s);
    if (!ok(o) || want === undefined) return undefined;
    const got = numbers(o.value);
    const exp = numbers(want);
    if (got.length !== exp.length || !got.some((g, i) => Number.isInteger(g) && !Number.isInteger(exp[i]))) return undefined;
  }
  return {
    key: "xor",
    cause: "`^` is XOR in TypeScript, not a power: it turns both sides into whole numbers first (0.3 ^ 2 is 2), and every failing answer has a whole number where the right one is not",
    hint: "Write a power as x ** 2 (or Math.pow(x, 2), or x * x): ^ compares the bits of two whole numbers.",
  };
}

/** The first detector whose evidence fits, among `names` (in DETECTORS order). */
export function diagnose(seen: Seen[], params: ParamNames, names: string[] = Object.keys(DETECTORS), code?: string): Diagnosis | undefined {
  for (const name of Object.keys(DETECTORS)) {
    if (!names.includes(name)) continue;
    const d = DETECTORS[name](seen, params, code);
    if (d) return d;
  }
  return undefined;
}

