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
    file: "gradcheck.ts",
    mutator: "ConditionalExpression",
    original: "numericLeaves",
    replacement: "false",
    why: "publishedGradientCase's memo of its stored differences: without it they are paired with the parameters again on every call, the same pairs each time",
  },
  {
    file: "gradcheck.ts",
    mutator: "ConditionalExpression",
    original: "typeof got === \"number\"",
    replacement: "true",
    why: "the ratio of a wrong gradient, `typeof got === \"number\" && r !== 0 && Number.isFinite(got) ? got / r : NaN`, kept only when every ratio is finite: Number.isFinite(got) is false for every non-number, so the typeof test decides nothing (the same mutation elsewhere in gradcheck.ts is killed)",
  },
  {
    file: "gradcheck.ts",
    mutator: "ConditionalExpression",
    original: "r !== 0",
    replacement: "true",
    why: "the ratio of a wrong gradient, `typeof got === \"number\" && r !== 0 && Number.isFinite(got) ? got / r : NaN`, kept only when every ratio is finite: with r = 0, got / r is ±Infinity or NaN, not finite, so the ratios are dropped just as with the NaN the test gives",
  },
  {
    file: "gradcheck.ts",
    mutator: "ConditionalExpression",
    original: "typeof got === \"number\" && r !== 0",
    replacement: "true",
    why: "the ratio of a wrong gradient, `typeof got === \"number\" && r !== 0 && Number.isFinite(got) ? got / r : NaN`, kept only when every ratio is finite: Number.isFinite(got) still rules out non-numbers, and r = 0 gives a ratio that is not finite, which drops the ratios as NaN does",
  },
  {
    file: "gradcheck.ts",
    mutator: "LogicalOperator",
    original: "typeof got === \"number\" && r !== 0",
    replacement: "typeof got === \"number\" || r !== 0",
    why: "the ratio of a wrong gradient, `typeof got === \"number\" && r !== 0 && Number.isFinite(got) ? got / r : NaN`, kept only when every ratio is finite: joined with `&& Number.isFinite(got)`, which holds only for numbers, the condition is just Number.isFinite(got); r = 0 then gives a ratio that is not finite, dropped as NaN is",
  },
  {
    file: "gradcheck.ts",
    mutator: "LogicalOperator",
    original: "typeof got === \"number\" && r !== 0 && Number.isFinite(got)",
    replacement: "typeof got === \"number\" && r !== 0 || Number.isFinite(got)",
    why: "the ratio of a wrong gradient, `typeof got === \"number\" && r !== 0 && Number.isFinite(got) ? got / r : NaN`, kept only when every ratio is finite: the mutant divides also when r = 0 or got is not finite, and both give a ratio that is not finite (±Infinity or NaN), dropped as the NaN is",
  },
  {
    file: "explain.ts",
    mutator: "ConditionalExpression",
    original: "s.verdict !== \"passed\"",
    replacement: "true",
    why: "explain's list of failing checks: with every non-diagnostic case counted, the list is never empty when a check passed, but it is used only for its emptiness and for its Failure verdicts (a passing check's verdict is the string \"passed\"); when nothing failed every later step finds nothing (each detector, the proven-cause step and behavesLike look only at failed checks), so explain returns undefined either way",
  },
  {
    file: "explain.ts",
    mutator: "StringLiteral",
    original: "\"passed\"",
    replacement: "\"\"",
    why: "explain's list of failing checks (`s.verdict !== \"passed\"`): the same as forcing that test true (see that entry); the other \"passed\" literals of explain.ts are killed",
  },
  {
    file: "explain.ts",
    mutator: "ConditionalExpression",
    original: "failing.length === 0",
    replacement: "false",
    why: "when no check failed, every later step finds nothing: each detector, the proven-cause step and behavesLike look only at failed checks (the explain test calls it directly with nothing failed), so explain returns undefined either way",
  },
  {
    file: "explain.ts",
    mutator: "ArrayDeclaration",
    original: "[]",
    replacement: "[\"Stryker was here\"]",
    why: "mistakeSeen's outcomes for a case a declared mistake has no run for: [] and a list holding one non-outcome both get the verdict \"broken\" (lengths differ, or judgeCase sees a status that is not \"ok\"), and every detector reads outcomes through ok(), which is false for a missing outcome and for the string alike",
  },
  {
    file: "explain.ts",
    mutator: "StringLiteral",
    original: "\"broken\"",
    replacement: "\"\"",
    why: "the verdict mistakeSeen gives a declared mistake's run that does not fit a case: nothing compares a verdict with \"broken\" (detectors and explain test only `!== \"passed\"` and `typeof === \"object\"`), so \"\" reads the same; judgeCase's own \"broken\" is killed by the tests",
  },
  {
    file: "explain.ts",
    mutator: "MethodExpression",
    original: "Object.keys(DETECTORS).filter((n) => !FIRST.includes(n))",
    replacement: "Object.keys(DETECTORS)",
    why: "the detectors in FIRST already ran on the same seen and params and found nothing; detectors are pure functions of those, so running them again first finds nothing again",
  },
  {
    file: "explain.ts",
    mutator: "ConditionalExpression",
    original: "o.status === \"ok\"",
    replacement: "true",
    why: "behavesLike's comparison of two outcomes that are both not broken: an outcome that is not \"ok\" is broken, so here o is \"ok\" and the test adds nothing",
  },
  {
    file: "explain.ts",
    mutator: "ConditionalExpression",
    original: "o.status !== \"ok\" || t.status !== \"ok\"",
    replacement: "false",
    why: "behavesLike's comparison of two outcomes that are both not broken: both are \"ok\" here (broken() is true for every other status), so this part is always false",
  },
  {
    file: "explain.ts",
    mutator: "LogicalOperator",
    original: "o.status !== \"ok\" || t.status !== \"ok\"",
    replacement: "o.status !== \"ok\" && t.status !== \"ok\"",
    why: "behavesLike's comparison of two outcomes that are both not broken: both are \"ok\" here, so either form is false",
  },
  {
    file: "explain.ts",
    mutator: "ConditionalExpression",
    original: "o.status !== \"ok\"",
    replacement: "false",
    why: "behavesLike's comparison of two outcomes that are both not broken: o is \"ok\" here, so the test is always false (in broken() the same mutation is killed: a not-a-function outcome)",
  },
  {
    file: "explain.ts",
    mutator: "ConditionalExpression",
    original: "t.status !== \"ok\"",
    replacement: "false",
    why: "behavesLike's comparison of two outcomes that are both not broken: t is \"ok\" here, so the test is always false",
  },
  {
    file: "explain.ts",
    mutator: "ConditionalExpression",
    original: "valueAgreed > 0",
    replacement: "true",
    why: "behavesLike's verdict: failingValueAgreed > 0 already implies valueAgreed > 0 (a case counts there only when it had a finite answer and no probe returned false, and that probe's agreement was counted in valueAgreed)",
  },
  {
    file: "explain.ts",
    mutator: "EqualityOperator",
    original: "valueAgreed > 0",
    replacement: "valueAgreed >= 0",
    why: "behavesLike's verdict: failingValueAgreed > 0 already implies valueAgreed > 0 (see the entry forcing it true)",
  },
  {
    file: "explain.ts",
    mutator: "ConditionalExpression",
    original: "Array.isArray(v)",
    replacement: "false",
    why: "finite() and hasHole(): without their array branch an array falls to the record branch, where Object.values(array) is its elements, so `.every(finite)` / `.some(hasHole)` give the same answer",
  },
  {
    file: "judge.ts",
    mutator: "StringLiteral",
    original: "\"passed\"",
    replacement: "\"\"",
    why: "the verdict judge records for a diagnostic probe (`seen.push(... verdict: \"passed\")`): a diagnostic case's verdict is never read (explain, behavesLike and every detector skip diagnostic cases or read only their outcomes and reference); judge's other \"passed\" literal (the status) is killed",
  },
  {
    file: "judge.ts",
    mutator: "StringLiteral",
    original: "\"broken\"",
    replacement: "\"\"",
    why: "the verdict judge records for a broken check: nothing compares a verdict with \"broken\" (explain and the detectors test only `!== \"passed\"` and `typeof === \"object\"`), so \"\" reads the same",
  },
  {
    file: "judge.ts",
    mutator: "BlockStatement",
    original: "{ return undefined; }",
    replacement: "{}",
    why: "explainSafely's catch: a function that ends without a return gives undefined too",
  },
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
