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
  /** The case as a call a learner can paste into a cell to reproduce it. */
  input?: string;
  /** More lines (a per-layer table of gradients...). */
  detail?: string[];
}

export interface ExerciseResult {
  id: string;
  title: string;
  chapter: string;
  notebook: string;
  /** 1-based cell number of the exercise cell, when there is one (markdown cells count: for tools, not for people). */
  cell?: number;
  /** The markdown heading above the exercise cell: how a learner finds it in Jupyter, which shows no cell numbers. */
  heading?: string;
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
  /** The mistake the failing answers point to, in plain words (reports print it as `likely cause: ...`). */
  likelyCause?: string;
  hint: string;
  seed: number;
  /** Typeset answers to show with the verdict (formulas), even when passing. */
  shown?: { caption: string; tex: string }[];
  console: string[];
}

export interface NotebookProblem {
  notebook: string;
  cell?: number;
  /** The markdown heading above that cell, to find it in Jupyter. */
  heading?: string;
  message: string;
}

export interface Report {
  results: ExerciseResult[];
  /** Things that could not be graded at all: these make the exit code 2. */
  problems: NotebookProblem[];
  score: number;
  maxScore: number;
  seed: number;
  /** Which realm ran learner code: "vm" is the weaker fallback, said so on the scorecard. */
  boundary?: "isolate" | "vm";
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

// Learner code decides how long its messages, console lines and returned
// strings are. Every report is built from ExerciseResult, so bounding it once,
// where it is built (judge), bounds them all: a message is cut at 2 KB, an
// exercise at 64 KB in total, and each cut says how much was left out.
export const MAX_MESSAGE_CHARS = 2048;
export const MAX_EXERCISE_CHARS = 64 * 1024;

/** Room kept for the note, so a cut string is never longer than its limit. */
const NOTE_ROOM = 48;
const cutNote = (n: number, what = "characters"): string => `… (cut: ${n} more ${what})`;

/** `s` cut to at most `max` characters, a note saying how many were left out included. */
export function capText(s: string, max = MAX_MESSAGE_CHARS): string {
  if (typeof s !== "string") s = String(s);
  if (s.length <= max) return s;
  let keep = Math.max(0, max - NOTE_ROOM);
  // Never leave half of a surrogate pair behind.
  if (keep > 0 && /[\uD800-\uDBFF]/.test(s[keep - 1])) keep--;
  return s.slice(0, keep) + cutNote(s.length - keep);
}

/** The same result with every learner-made string bounded (2 KB each, 64 KB per exercise). */
export function boundResult(r: ExerciseResult): ExerciseResult {
  let left = MAX_EXERCISE_CHARS;
  const take = (s: string): string => {
    const capped = capText(s, Math.min(MAX_MESSAGE_CHARS, Math.max(0, left)));
    left -= capped.length;
    return capped;
  };
  if (r.problem !== undefined) r.problem = take(r.problem);
  r.hint = capText(r.hint);
  if (r.likelyCause !== undefined) r.likelyCause = capText(r.likelyCause);
  r.failures = r.failures.map((f) => {
    const g: CaseFailure = { ...f, label: take(f.label), expected: take(f.expected), actual: take(f.actual) };
    if (f.why !== undefined) g.why = take(f.why);
    if (f.input !== undefined) g.input = take(f.input);
    if (f.detail !== undefined) g.detail = f.detail.slice(0, 20).map(take);
    if (f.math) g.math = { expected: take(f.math.expected), ...(f.math.actual !== undefined ? { actual: take(f.math.actual) } : {}) };
    return g;
  });
  if (r.shown) {
    const kept: { caption: string; tex: string }[] = [];
    for (const [i, s] of r.shown.entries()) {
      if (left <= 0) {
        kept.push({ caption: cutNote(r.shown.length - i, "formulas"), tex: "" });
        break;
      }
      kept.push({ caption: take(s.caption), tex: take(s.tex) });
    }
    r.shown = kept;
  }
  const lines: string[] = [];
  for (const [i, line] of r.console.entries()) {
    if (left <= 0) {
      lines.push(cutNote(r.console.length - i, "console lines"));
      break;
    }
    lines.push(take(line));
  }
  r.console = lines;
  return r;
}
