// Where a course's expected answers and set-up come from. Two kinds:
//   - the instructor's course: the solved masters (reference.ts), every case, any seed;
//   - the learner edition: data published from the masters (published.ts), with no
//     reference code in it: the public cases' answers, stored, and the learner's
//     own earlier cells as the set-up later exercises build on.
// stages.ts asks the course's key and never needs to know which one it has.
import type { Compiled } from "../compile/compile";
import type { MistakeRun } from "../judge/explain";
import type { Piece } from "../run/sandbox";
import type { Answer, Case, ExerciseSpec } from "./spec";

/** A learner's own cell for an earlier exercise (learner edition), or why there is none to run. */
export type OwnCell = { compiled: Compiled } | { missing: string };

/** The learner's own earlier exercise cells, by exercise id. */
export type OwnCells = ReadonlyMap<string, OwnCell>;

export interface SetUp {
  pieces: Piece[];
  /**
   * How many of the pieces, from the first, are course code (run without a deadline).
   * Pieces after them hold the learner's own earlier cells and run under the exercise's time limit.
   */
  trusted: number;
}

export interface AnswerKey {
  /** True when set-up is the learner's own earlier cells: then grading needs them (see setUp). */
  readonly ownCells: boolean;
  /** Given values and the earlier exercises' functions for `spec` (reference versions, or the learner's own). */
  setUp(spec: ExerciseSpec, own?: OwnCells): SetUp;
  /** The reference answer of every case that uses one ([] for the others). */
  answers(spec: ExerciseSpec, cases: Case[]): Answer[][];
  /** What each declared mistake answers on the same cases, to recognise one by its behaviour. */
  mistakeRuns(spec: ExerciseSpec, cases: Case[], seed: number): MistakeRun[];
  /** Parameter names of the functions the exercise defines, for messages ("ignores `b`"). */
  params(id: string): Record<string, string[]>;
}
