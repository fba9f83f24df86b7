// Compare a learner's answer with the expected one, number by number, and say
// where the first difference is (`dWs[2]`, `weights[1][0][3]`) in words.
import { closeEnough, DEFAULT_TOLERANCE, type Tolerance } from "./tolerance";
import { kindOf, show } from "./show";
import { FunctionValue, Unreadable, type Plain } from "./values";

export interface Mismatch {
  /** Where inside the value: "" for the value itself, "[2]", ".dW", "[1][0]". */
  path: string;
  expected: string;
  actual: string;
  /** A sentence about the kind of mistake, when the shape of the difference tells. */
  why?: string;
}

/** Shapes before values: a wrong length anywhere is reported before any wrong number. */
export function compare(actual: Plain, expected: Plain, tol: Tolerance = DEFAULT_TOLERANCE, path = ""): Mismatch | null {
  return shapeMismatch(actual, expected, path) ?? compareValues(actual, expected, tol, path);
}

/** The first place where `actual` has another length than `expected` (arrays and nested arrays only). */
export function shapeMismatch(actual: Plain, expected: Plain, path = ""): Mismatch | null {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (actual.length !== expected.length) {
      return { path, expected: `${expected.length} items`, actual: `${actual.length} items`, why: `the shape is wrong: expected ${describeShape(expected)}, got ${describeShape(actual)}` };
    }
    for (let i = 0; i < expected.length; i++) {
      const m = shapeMismatch(actual[i], expected[i], `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (isRecord(expected) && isRecord(actual)) {
    for (const key of Object.keys(expected)) {
      if (!(key in actual)) continue; // a missing field is reported by the value comparison
      const m = shapeMismatch(actual[key], expected[key], `${path}.${key}`);
      if (m) return m;
    }
  }
  return null;
}

/** "2 rows of 3", "4 numbers", "3 lists of 2 rows of 5". */
function describeShape(v: Plain): string {
  if (!Array.isArray(v)) return kindOf(v);
  if (v.length === 0) return "an empty list";
  const inner = v[0];
  if (Array.isArray(inner) && v.every((x) => Array.isArray(x) && x.length === inner.length)) {
    const innerShape = describeShape(inner);
    return Array.isArray(inner[0]) ? `${v.length} lists of ${innerShape}` : `${v.length} rows of ${inner.length}`;
  }
  if (v.every((x) => typeof x === "number")) return `${v.length} number${v.length === 1 ? "" : "s"}`;
  return `${v.length} items`;
}

function isRecord(v: Plain): v is { [k: string]: Plain } {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof FunctionValue) && !(v instanceof Unreadable);
}

/**
 * actual/expected for every number that differs, when the two have the same
 * shape and differ only in numbers (null otherwise): lets feedback say "the
 * sign is flipped" only when a factor explains every difference.
 */
export function leafRatios(actual: Plain, expected: Plain, tol: Tolerance = DEFAULT_TOLERANCE): number[] | null {
  const out: number[] = [];
  const walk = (a: Plain, e: Plain): boolean => {
    if (typeof e === "number") {
      if (typeof a !== "number") return false;
      if (!closeEnough(a, e, tol)) {
        if (e === 0 || !Number.isFinite(a)) return false;
        out.push(a / e);
      }
      return true;
    }
    if (Array.isArray(e)) return Array.isArray(a) && a.length === e.length && e.every((x, i) => walk(a[i], x));
    if (isRecord(e)) return isRecord(a) && Object.keys(e).every((k) => k in a && walk(a[k], e[k]));
    return Object.is(a, e);
  };
  return walk(actual, expected) ? out : null;
}

function compareValues(actual: Plain, expected: Plain, tol: Tolerance, path: string): Mismatch | null {
  if (typeof expected === "number") {
    if (typeof actual !== "number") return typeMismatch(actual, expected, path);
    if (closeEnough(actual, expected, tol)) return null;
    return { path, expected: show(expected), actual: show(actual), why: numberWhy(actual) };
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return typeMismatch(actual, expected, path);
    // Lengths are equal here: compare() ran shapeMismatch first.
    for (let i = 0; i < expected.length; i++) {
      const m = compareValues(actual[i], expected[i], tol, `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return typeMismatch(actual, expected, path);
    for (const key of Object.keys(expected)) {
      if (!(key in actual)) {
        return { path: `${path}.${key}`, expected: show(expected[key]), actual: "missing", why: `the result has no \`${key}\` field` };
      }
      const m = compareValues(actual[key], expected[key], tol, `${path}.${key}`);
      if (m) return m;
    }
    return null;
  }
  if (Object.is(actual, expected)) return null;
  if (typeof actual === typeof expected && actual === expected) return null;
  // Two functions (by name), or two answers unreadable for the same reason, read alike.
  if (expected instanceof FunctionValue && actual instanceof FunctionValue && actual.name === expected.name) return null;
  if (expected instanceof Unreadable && actual instanceof Unreadable && actual.why === expected.why) return null;
  return typeMismatch(actual, expected, path);
}

function typeMismatch(actual: Plain, expected: Plain, path: string): Mismatch {
  const m: Mismatch = { path, expected: show(expected), actual: show(actual) };
  // Inside an answer, undefined is as often a place never written (new Array(n), a loop one short) as a callback's missing return.
  if (actual === undefined) m.why = path === "" ? "got undefined: is a `return` missing?" : "got undefined: nothing was written here, or a callback returned nothing";
  else if (typeof actual === "string" && typeof expected === "number")
    m.why = "got a string, not a number (a number is never written in quotes; toFixed() returns a string)";
  else if (actual instanceof Unreadable) m.why = `the answer could not be read: ${actual.why}`;
  else if (kindOf(actual) !== kindOf(expected)) m.why = `expected ${kindOf(expected)}, got ${kindOf(actual)}`;
  return m;
}

// Only what one number proves on its own. Factors (×2, ×½, a flipped sign) are
// judged across every failing case of an exercise (explain.ts), never from one number.
function numberWhy(actual: number): string | undefined {
  if (Number.isNaN(actual)) return "got NaN: somewhere an operation had no number for its answer: 0/0, Infinity - Infinity, Infinity/Infinity, the log or square root of a negative number, or arithmetic on undefined (a missing item or field)";
  if (!Number.isFinite(actual)) return "got an infinite number: a division by zero, or a number that overflowed";
  return undefined;
}

