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

export function compare(actual: Plain, expected: Plain, tol: Tolerance = DEFAULT_TOLERANCE, path = ""): Mismatch | null {
  if (typeof expected === "number") {
    if (typeof actual !== "number") return typeMismatch(actual, expected, path);
    if (closeEnough(actual, expected, tol)) return null;
    return { path, expected: show(expected), actual: show(actual), why: numberWhy(actual, expected) };
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return typeMismatch(actual, expected, path);
    if (actual.length !== expected.length) {
      return {
        path,
        expected: `${expected.length} items`,
        actual: `${actual.length} items`,
        why: "the shape is wrong (check the sizes and which index is rows and which is columns)",
      };
    }
    for (let i = 0; i < expected.length; i++) {
      const m = compare(actual[i], expected[i], tol, `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object" && !(expected instanceof FunctionValue) && !(expected instanceof Unreadable)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual) || actual instanceof FunctionValue || actual instanceof Unreadable) {
      return typeMismatch(actual, expected, path);
    }
    for (const key of Object.keys(expected)) {
      if (!(key in actual)) {
        return { path: `${path}.${key}`, expected: show(expected[key]), actual: "missing", why: `the result has no \`${key}\` field` };
      }
      const m = compare(actual[key], expected[key], tol, `${path}.${key}`);
      if (m) return m;
    }
    return null;
  }
  if (Object.is(actual, expected)) return null;
  if (typeof actual === typeof expected && actual === expected) return null;
  return typeMismatch(actual, expected, path);
}

function typeMismatch(actual: Plain, expected: Plain, path: string): Mismatch {
  const m: Mismatch = { path, expected: show(expected), actual: show(actual) };
  if (actual === undefined) m.why = "got undefined: is a `return` missing?";
  else if (typeof actual === "string" && typeof expected === "number")
    m.why = "got a string, not a number (a number is never written in quotes; toFixed() returns a string)";
  else if (actual instanceof Unreadable) m.why = `the answer could not be read: ${actual.why}`;
  else if (kindOf(actual) !== kindOf(expected)) m.why = `expected ${kindOf(expected)}, got ${kindOf(actual)}`;
  return m;
}

function numberWhy(actual: number, expected: number): string | undefined {
  if (Number.isNaN(actual)) return "got NaN: somewhere a 0/0, Infinity - Infinity or Infinity/Infinity happened";
  if (!Number.isFinite(actual)) return "got an infinite number: something overflowed";
  if (expected !== 0 && closeEnough(actual, -expected)) return "the sign is flipped";
  if (expected !== 0 && closeEnough(actual, 2 * expected)) return "twice the expected value";
  if (expected !== 0 && closeEnough(actual, expected / 2)) return "half the expected value: a factor 2 is missing";
  if (expected > 0 && closeEnough(actual * actual, expected)) return "the square root of the expected value: is a square missing?";
  return undefined;
}

export function describeMismatch(m: Mismatch, what: string): string {
  const where = m.path ? `${what}${m.path}` : what;
  return `${where}: expected ${m.expected}, got ${m.actual}${m.why ? ` (${m.why})` : ""}`;
}
