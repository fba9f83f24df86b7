// The stages of grading one exercise cell, shared by `npm run grade` (many
// cells, worker processes: grade.ts) and check() in a notebook (one cell, in
// the learner's own kernel: gradeCellHere below). In order:
//   cases   the spec's checks expanded for a seed            (course/cases.ts)
//   compile the cell's TypeScript                            (compile/compile.ts)
//   run     the cell and its probes on the exercise's set-up (run/job.ts; run/pool.ts for many)
//   judge   the answers against the reference, explained     (judge/judge.ts, judge/explain.ts)
// Reading notebooks and finding their cells come first (notebook/notebook.ts, notebook/cells.ts);
// only grade.ts needs them. Nothing here imports the worker processes.
import { createHash } from "node:crypto";
import type { AnswerKey, OwnCells } from "./course/answer-key";
import { DEFAULT_SEED, expandChecks } from "./course/cases";
import { compileCell, type Compiled, type SyntaxProblem } from "./compile/compile";
import type { Course } from "./course/course";
import { runJob, type Job, type JobResult } from "./run/job";
import { judge, resultBase, withStatus } from "./judge/judge";
import type { BoundaryKind } from "./run/realm";
import { referencesOf } from "./course/reference";
import type { ExerciseResult } from "./judge/result";
import { toWire, type WireProbe } from "./run/sandbox";
import type { Case, ExerciseSpec } from "./course/spec";

// The slowest reference exercise runs in ~50 ms on a cold sandbox; 2 s leaves a naive solution 40x that.
export const DEFAULT_TIMEOUT_MS = 2000;

export interface ExerciseCases {
  cases: Case[];
  /** The cases' probes, encoded once for the sandbox. */
  wires: WireProbe[];
}

/** Cases and their wire probes depend only on (spec, seed): expanded once per process. */
const expanded = new WeakMap<ExerciseSpec, Map<number, ExerciseCases>>();
export function casesFor(spec: ExerciseSpec, seed: number): ExerciseCases {
  let bySeed = expanded.get(spec);
  if (!bySeed) expanded.set(spec, (bySeed = new Map()));
  let e = bySeed.get(seed);
  if (!e) {
    const cases = expandChecks(spec, seed);
    // A hidden check's console output is not shown: it could print the hidden input.
    e = { cases, wires: cases.flatMap((c) => c.probes.map((p) => (c.hidden ? { ...toWire(p), quiet: true } : toWire(p)))) };
    bySeed.set(seed, e);
  }
  return e;
}

/** Compile stage failed: the first problem, with its line in the cell. */
export function compileFailure(result: ExerciseResult, problems: SyntaxProblem[]): ExerciseResult {
  const first = problems[0];
  withStatus(result, "failed", first.whole ? first.message : `syntax error at line ${first.line}, column ${first.column} of the cell: ${first.message}`);
  if (!first.whole) result.line = first.line;
  return result;
}

/** The course's answer key: its published data in the learner edition, else the solved masters. */
export function keyOf(course: Course): AnswerKey {
  return course.key ?? referencesOf(course);
}

/**
 * Run stage input: the exercise's set-up (givens and every earlier exercise: reference
 * versions, or in the learner edition the learner's `own` cells), the cell, the probes.
 */
export function jobFor(course: Course, spec: ExerciseSpec, compiled: Compiled, seed: number, budgetMs: number, boundary: BoundaryKind, own?: OwnCells): Job {
  const setUp = keyOf(course).setUp(spec, own);
  // Grading is a pure function of (exercise, seed, time limit, realm, set-up, cell code): the key says which.
  // Set-up is the same for everyone unless it holds the learner's own earlier cells.
  const ownPart = setUp.trusted < setUp.pieces.length ? sha256(setUp.pieces.slice(setUp.trusted).map((p) => p.compiled.js).join("\0")) : "";
  return {
    key: `${spec.id}\0${seed}\0${budgetMs}\0${boundary}\0${ownPart}\0${sha256(compiled.js)}`,
    budgetMs,
    boundary,
    prelude: setUp.pieces,
    trustedPrelude: setUp.trusted,
    learner: { compiled, filename: "cell" },
    probes: casesFor(spec, seed).wires,
  };
}

const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");

/** Judge stage: what ran, against the reference, explained by the declared mistakes when it fails. */
export function verdict(course: Course, spec: ExerciseSpec, r: Pick<JobResult, "preludeError" | "cellError" | "outcomes" | "console">, base: ExerciseResult, code?: string): ExerciseResult {
  if (r.preludeError) return withStatus(base, "error", `course error while setting up: ${r.preludeError}`);
  const { cases } = casesFor(spec, base.seed);
  const where = { chapter: base.chapter, notebook: base.notebook, cell: base.cell, seed: base.seed };
  const refs = keyOf(course);
  const reference = cases.some((c) => c.usesReference) ? refs.answers(spec, cases) : null;
  const judged = judge(spec, cases, { ...r, code }, reference, where, () => refs.mistakeRuns(spec, cases, base.seed), refs.params(spec.id));
  if (base.heading) judged.heading = base.heading;
  return judged;
}

/** An empty result for `spec`, its number of checks filled in. */
export function startResult(spec: ExerciseSpec, where: { chapter: string; notebook: string; cell?: number }, seed: number): ExerciseResult {
  const result = resultBase(spec, { ...where, seed });
  result.checks.total = casesFor(spec, seed).cases.filter((c) => !c.diagnostic).length;
  return result;
}

/** The cell of a job that judges live values: nothing to run, the values are set in its place. */
const NO_CELL: Compiled = { js: "", lineMap: [], names: [] };

/**
 * The learner's values themselves through the same stages, in this process: check()
 * where the kernel's cell source is unknown (outside a tslab kernel, or a cell run
 * before the lab was imported). `values` are what the exercise defines, in order.
 */
export function gradeValuesHere(course: Course, spec: ExerciseSpec, values: readonly unknown[], where: { chapter: string; notebook: string }, seed = DEFAULT_SEED): ExerciseResult {
  const result = startResult(spec, where, seed);
  const job = jobFor(course, spec, NO_CELL, seed, spec.timeoutMs ?? DEFAULT_TIMEOUT_MS, "vm");
  return verdict(course, spec, runJob({ ...job, live: new Map(spec.defines.map((name, i) => [name, values[i]] as const)) }), result);
}

/**
 * One exercise cell through the same stages, in this process: check() in a
 * notebook uses it, so its verdict is the grader's. The code is the learner's
 * own, run in their own kernel, so the vm realm serves. `own`: the learner's
 * earlier cells, which the learner edition's set-up is made of.
 */
export function gradeCellHere(course: Course, spec: ExerciseSpec, source: string, where: { chapter: string; notebook: string }, seed = DEFAULT_SEED, own?: OwnCells): ExerciseResult {
  const result = startResult(spec, where, seed);
  const compiled = compileCell(source);
  if (!compiled.ok) return compileFailure(result, compiled.problems);
  return verdict(course, spec, runJob(jobFor(course, spec, compiled.compiled, seed, spec.timeoutMs ?? DEFAULT_TIMEOUT_MS, "vm", own)), result, compiled.compiled.js);
}
