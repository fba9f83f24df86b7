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
