// What grading says, as plain data: reporters (terminal, HTML, Gradescope
// JSON, JUnit) only format it.

export type Status = "passed" | "failed" | "not-started" | "error";

export interface CaseFailure {
  label: string;
  expected: string;
  actual: string;
  why?: string;
  hidden?: boolean;
  math?: { expected: string; actual?: string };
}

export interface ExerciseResult {
  id: string;
  title: string;
  chapter: string;
  notebook: string;
  /** 1-based cell number of the exercise cell, when there is one. */
  cell?: number;
  points: number;
  score: number;
  status: Status;
  /** One sentence for what went wrong as a whole (syntax error, timeout, missing cell...). */
  problem?: string;
  /** Line in the cell the problem points at. */
  line?: number;
  checks: { total: number; passed: number; hidden: number; hiddenFailed: number };
  /** The first few failing cases, visible ones first. */
  failures: CaseFailure[];
  hint: string;
  seed: number;
  /** Typeset answers to show with the verdict (formulas), even when passing. */
  shown?: { caption: string; tex: string }[];
  console: string[];
}

export interface NotebookProblem {
  notebook: string;
  cell?: number;
  message: string;
}

export interface Report {
  results: ExerciseResult[];
  /** Things that could not be graded at all: these make the exit code 2. */
  problems: NotebookProblem[];
  score: number;
  maxScore: number;
  seed: number;
}

export function exitCode(report: Report): 0 | 1 | 2 {
  if (report.problems.length > 0 || report.results.some((r) => r.status === "error")) return 2;
  return report.score === report.maxScore ? 0 : 1;
}

export function totals(results: ExerciseResult[]): { score: number; maxScore: number } {
  return {
    score: results.reduce((s, r) => s + r.score, 0),
    maxScore: results.reduce((s, r) => s + r.points, 0),
  };
}
