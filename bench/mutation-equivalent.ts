// Surviving mutants of the judging core that no test can kill, each with why
// (docs/mutation.md lists them; bench/mutation-report.ts matches them by
// module, mutator, the code mutated and what it became, so they stay matched
// when the code moves). An entry claims the mutated program behaves exactly as
// the original on every input the grader can give it; anything less is a
// missing test, not an equivalent mutant.
export interface Equivalent {
  /** The module's file name: "compare.ts". */
  file: string;
  /** Stryker's mutator name: "ConditionalExpression", "EqualityOperator"... */
  mutator: string;
  /** The code mutated, as in the source (white space is not compared). */
  original: string;
  /** What Stryker replaced it with. */
  replacement: string;
  why: string;
}

const READ_LOOP = "readNotebook's read loop `for (let got = -1; got !== 0 && n < buf.length; n += got)`";

export const EQUIVALENT: readonly Equivalent[] = [
  {
    file: "values.ts",
    mutator: "ConditionalExpression",
    original: "typeof x === \"number\"",
    replacement: "true",
    why: "encodeArg's test for a plain number list `typeof x === \"number\" && Number.isFinite(x) && ...`: Number.isFinite is false for every value that is not a number, so the typeof test decides nothing",
  },
  {
    file: "compare.ts",
    mutator: "EqualityOperator",
    original: "i < expected.length",
    replacement: "i <= expected.length",
    why: "shapeMismatch's and compareValues' loops over two arrays: both run only on arrays of equal length (shapeMismatch checks the lengths first; compare() runs compareValues only when shapeMismatch found no difference anywhere), so the one extra step compares undefined with undefined, which is no mismatch",
  },
  {
    file: "compare.ts",
    mutator: "ConditionalExpression",
    original: "!(key in actual)",
    replacement: "false",
    why: "shapeMismatch on a field the answer lacks: without the skip it recurses on `actual[key]`, which is undefined for a key not in the object, and shapeMismatch of undefined is always null (only two arrays or two records can differ in shape)",
  },
  {
    file: "compare.ts",
    mutator: "ConditionalExpression",
    original: "!Array.isArray(v)",
    replacement: "false",
    why: "describeShape is called only on arrays (the two arrays of different lengths, then recursively on an inner value already checked to be an array), so its non-array branch is unreachable",
  },
  {
    file: "compare.ts",
    mutator: "ConditionalExpression",
    original: "typeof a !== \"number\"",
    replacement: "false",
    why: "leafRatios with a non-number where a number is expected: closeEnough then says no (Number.isNaN and Number.isFinite are false for every non-number, and a non-number never === an infinity), and the next test `!Number.isFinite(a)` returns false, as the removed line did",
  },
  {
    file: "compare.ts",
    mutator: "ConditionalExpression",
    original: "Object.is(actual, expected)",
    replacement: "false",
    why: "compareValues' last step is reached only when the expected value is no number, array or record; there Object.is and === agree (they part only on NaN and ±0, numbers), so the next line returns null for exactly the same pairs",
  },
  {
    file: "compare.ts",
    mutator: "ConditionalExpression",
    original: "typeof actual === typeof expected && actual === expected",
    replacement: "false",
    why: "the line above (Object.is) already returned null for every pair this line accepts: for the non-numbers that reach it Object.is and === agree",
  },
  {
    file: "compare.ts",
    mutator: "ConditionalExpression",
    original: "typeof actual === typeof expected",
    replacement: "true",
    why: "`actual === expected` is never true for values of different types, so the typeof test adds nothing",
  },
  {
    file: "compare.ts",
    mutator: "EqualityOperator",
    original: "typeof actual === typeof expected",
    replacement: "typeof actual !== typeof expected",
    why: "the condition becomes `different types && actual === expected`, never true; so the line never returns, and the line above (Object.is) has already returned null for every equal pair that reaches it",
  },
  {
    file: "notebook.ts",
    mutator: "UnaryOperator",
    original: "-1",
    replacement: "+1",
    why: `${READ_LOOP}: got's first value is only tested against 0 before the first read sets it; -1 and +1 both enter the loop`,
  },
  {
    file: "notebook.ts",
    mutator: "ConditionalExpression",
    original: "n < buf.length",
    replacement: "true",
    why: `${READ_LOOP}: once the buffer is full the next readSync asks for 0 bytes and returns 0, which ends the loop by \`got !== 0\``,
  },
  {
    file: "notebook.ts",
    mutator: "EqualityOperator",
    original: "n < buf.length",
    replacement: "n <= buf.length",
    why: `${READ_LOOP}: at n = buf.length the extra readSync asks for 0 bytes and returns 0, which ends the loop`,
  },
  {
    file: "notebook.ts",
    mutator: "Regex",
    original: "/ in JSON at position \\d+.*$/",
    replacement: "/ in JSON at position \\d+.*/",
    why: "V8's JSON.parse messages are one line, so `.*` reaches the end of the message with or without `$`",
  },
  {
    file: "notebook.ts",
    mutator: "Regex",
    original: "/ in JSON at position \\d+.*$/",
    replacement: "/ in JSON at position \\d.*$/",
    why: "the `.*$` after the position takes any further digits, so one digit or several, the same text is removed",
  },
];
