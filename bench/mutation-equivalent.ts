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

export const EQUIVALENT: readonly Equivalent[] = [];
