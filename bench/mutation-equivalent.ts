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

const HEADING = "headingText (the ATX heading scan)";

export const EQUIVALENT: readonly Equivalent[] = [
  {
    file: "cells.ts",
    mutator: "ConditionalExpression",
    original: "c === \"\\r\"",
    replacement: "false",
    why: `${HEADING}: isSpace is only ever asked about characters of \`line\`, which is cut at the first \\r, so it never sees one`,
  },
  {
    file: "cells.ts",
    mutator: "StringLiteral",
    original: "\"\\r\"",
    replacement: "\"\"",
    why: `${HEADING}: isSpace is only ever asked about characters of \`line\`, which is cut at the first \\r, so it never sees one (and no character equals "")`,
  },
  {
    file: "cells.ts",
    mutator: "EqualityOperator",
    original: "cr < 0",
    replacement: "cr <= 0",
    why: `${HEADING}: with a \\r first, the mutant keeps the whole text instead of an empty line, but a line starting with \\r has no # where one is looked for (the leading-space loop skips only " "), so both give undefined`,
  },
  {
    file: "cells.ts",
    mutator: "ConditionalExpression",
    original: "i < line.length",
    replacement: "true",
    why: `${HEADING}: at i = line.length, isSpace(undefined) is false, so the mutant returns undefined at once; the original goes on with nothing after the #s and returns undefined at \`i >= end\``,
  },
  {
    file: "cells.ts",
    mutator: "EqualityOperator",
    original: "i < line.length",
    replacement: "i <= line.length",
    why: `${HEADING}: i never exceeds line.length, so this is the same as forcing the test true (see that entry): at i = line.length both return undefined`,
  },
  {
    file: "cells.ts",
    mutator: "ConditionalExpression",
    original: "end > i",
    replacement: "true",
    why: `${HEADING}: the two loops trimming spaces from the end never reach i anyway, because line[i - 1] is the last of the opening #s, which is no space (and end is never below i: closing stops at i)`,
  },
  {
    file: "cells.ts",
    mutator: "EqualityOperator",
    original: "end > i",
    replacement: "end >= i",
    why: `${HEADING}: at end = i the trimming loops look at line[i - 1], the last opening #, which is no space, so they stop there as the original does`,
  },
  {
    file: "cells.ts",
    mutator: "ConditionalExpression",
    original: "closing > i",
    replacement: "true",
    why: `${HEADING}: the closing run of #s can only reach i when nothing but white space follows the opening #s (line[i] is a space, which stops the run otherwise), and then the heading is empty: the mutant runs on into the opening #s and both return undefined`,
  },
  {
    file: "cells.ts",
    mutator: "EqualityOperator",
    original: "closing > i",
    replacement: "closing >= i",
    why: `${HEADING}: closing = i happens only when nothing but white space follows the opening #s, and then the heading is empty whatever the closing run does: both return undefined`,
  },
  {
    file: "cells.ts",
    mutator: "ConditionalExpression",
    original: "closing === i",
    replacement: "false",
    why: `${HEADING}: closing = i happens only when end is already i (nothing but white space after the opening #s), so \`end = closing\` changes nothing`,
  },
  {
    file: "cells.ts",
    mutator: "ConditionalExpression",
    original: "i < end",
    replacement: "true",
    why: `${HEADING}: skipping spaces past end only happens when nothing but spaces lies between i and end, an empty heading: both return undefined at \`i >= end\``,
  },
  {
    file: "cells.ts",
    mutator: "EqualityOperator",
    original: "i < end",
    replacement: "i <= end",
    why: `${HEADING}: i reaches end only when nothing but spaces lies between them, an empty heading; going one further changes nothing, as \`i >= end\` returns undefined either way`,
  },
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
