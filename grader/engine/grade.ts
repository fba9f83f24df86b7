// The grading pipeline: read notebook -> find exercise cells -> compile ->
// run isolated (sandbox processes) -> judge against the spec -> report. Each
// stage is its own module; this file only wires them and decides what a
// broken input costs (that exercise, or that notebook, never the whole run).
import * as fs from "node:fs";
import * as path from "node:path";
import { findExerciseCells, headingAbove } from "./cells";
import { DEFAULT_SEED, expandChecks } from "./cases";
import { compileCell, compileLearnerCells, type Compiled, type SyntaxProblem } from "./compile";
import { isolateAvailable, type BoundaryKind } from "./realm";
import { allSpecs, chapters, type Chapter } from "./course";
import type { Job } from "./job";
import { judge, resultBase, withStatus } from "./judge";
import { NotebookError, readNotebook, type Notebook } from "./notebook";
import { runJobs } from "./pool";
import { mistakeRuns, preludeFor, referenceAnswers } from "./reference";
import { totals, type ExerciseResult, type NotebookProblem, type Report } from "./result";
import { toWire, type WireProbe } from "./sandbox";
import { runJob, type JobResult } from "./job";
import { createHash } from "node:crypto";
import type { Answer, Case, ExerciseSpec } from "./spec";

export { DEFAULT_SEED };
// The slowest reference exercise runs in ~50 ms on a cold sandbox; 2 s leaves a naive solution 40x that.
export const DEFAULT_TIMEOUT_MS = 2000;

export interface GradeOptions {
  /** Grade only these exercise ids. */
  only?: string[];
  seed?: number;
  timeoutMs?: number;
  /** How many sandbox processes (default: one per core). */
  lanes?: number;
  /** Reuse timeouts and crashes of identical cells seen earlier in this process (class grading). */
  reuseFailures?: boolean;
  /** Which realm runs learner code (default: the isolate where available). */
  boundary?: BoundaryKind;
}

/** A notebook to grade and the chapter it belongs to. */
export interface Target {
  file: string;
  chapter: Chapter;
  /** Grade only these exercises of this notebook (on top of GradeOptions.only). */
  only?: string[];
}

/** Turn command-line paths (notebooks or folders) into targets; what cannot be resolved becomes a problem. */
export function resolveTargets(paths: string[]): { targets: Target[]; problems: NotebookProblem[] } {
  const targets: Target[] = [];
  const problems: NotebookProblem[] = [];
  for (const p of paths) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(p);
    } catch {
      problems.push({ notebook: p, message: "file not found" });
      continue;
    }
    if (stat.isDirectory()) {
      // Every chapter gets a target, found or not, so a missing notebook scores 0 of its
      // points instead of shrinking the maximum. A renamed copy is recognised by its markers.
      const others = fs
        .readdirSync(p)
        .filter((f) => f.endsWith(".ipynb") && !chapters.some((c) => f === `${c.slug}.ipynb`))
        .sort();
      for (const chapter of chapters) {
        let file = path.join(p, `${chapter.slug}.ipynb`);
        if (!fs.existsSync(file)) {
          const renamed = others.find((f) => chapterForFile(path.join(p, f)) === chapter);
          file = renamed ? path.join(p, renamed) : file;
        }
        targets.push({ file, chapter });
      }
      continue;
    }
    const chapter = chapterForFile(p);
    if (chapter) targets.push({ file: p, chapter });
    else problems.push({ notebook: p, message: `not a notebook of this course (expected one of: ${chapters.map((c) => `${c.slug}.ipynb`).join(", ")}), and no exercise cells tell which chapter it is` });
  }
  return { targets, problems };
}

function chapterForFile(file: string): Chapter | undefined {
  const base = path.basename(file, ".ipynb");
  const exact = chapters.find((c) => c.slug === base);
  if (exact) return exact;
  // A renamed copy ("01-forward-pass (1).ipynb"): recognise it by its exercise markers.
  try {
    const nb = readNotebook(file);
    const found = findExerciseCells(nb, allSpecs.map((s) => s.id));
    const ids = [...found.byId.keys()];
    return chapters.find((c) => c.exercises.some((e) => ids.includes(e.id)));
  } catch {
    return chapters.find((c) => base.startsWith(c.slug));
  }
}

interface Pending {
  spec: ExerciseSpec;
  cases: Case[];
  result: ExerciseResult;
  /** The learner's cell, when there is one to compile. */
  source?: string;
  wires?: WireProbe[];
  job?: Job;
}

/** Cases and their wire probes depend only on (exercise, seed): build them once per process. */
const expanded = new Map<string, { cases: Case[]; wires: WireProbe[] }>();
function casesFor(spec: ExerciseSpec, seed: number): { cases: Case[]; wires: WireProbe[] } {
  const key = `${spec.id}\0${seed}`;
  let e = expanded.get(key);
  if (!e) {
    const cases = expandChecks(spec, seed);
    e = { cases, wires: cases.flatMap((c) => c.probes).map(toWire) };
    expanded.set(key, e);
  }
  return e;
}

/**
 * Grading is a pure function of (exercise, seed, time limit, cell code): identical cells (untouched
 * stubs, the same answer in many submissions) run once per process. Timeouts and crashes
 * may depend on the machine's load: they are remembered only for one class run (the same
 * hostile or runaway cell pasted by many learners costs its time limit once, not once each).
 */
const outcomes = new Map<string, JobResult>();
const failures = new Map<string, JobResult>();
function outcomeKey(spec: ExerciseSpec, seed: number, budgetMs: number, boundary: BoundaryKind, js: string): string {
  return `${spec.id}\0${seed}\0${budgetMs}\0${boundary}\0${createHash("sha256").update(js).digest("hex")}`;
}

/**
 * The isolate where isolated-vm loads; the weaker vm realm otherwise, or when
 * BACKPROP_LAB_BOUNDARY=vm asks for it (tests of the fallback).
 */
export function defaultBoundary(): BoundaryKind {
  if (process.env.BACKPROP_LAB_BOUNDARY === "vm") return "vm";
  return isolateAvailable() ? "isolate" : "vm";
}
function cacheable(r: JobResult): boolean {
  return !r.preludeError && r.cellError?.status !== "timeout" && r.cellError?.status !== "crashed" && !r.outcomes.some((o) => o.status === "timeout" || o.status === "crashed");
}

export async function grade(targets: Target[], options: GradeOptions = {}, upfront: NotebookProblem[] = []): Promise<Report> {
  const seed = options.seed ?? DEFAULT_SEED;
  const boundary = options.boundary ?? defaultBoundary();
  const problems: NotebookProblem[] = [...upfront];
  const pending: Pending[] = [];

  for (const target of targets) {
    const specs = target.chapter.exercises.filter((s) => (!options.only || options.only.includes(s.id)) && (!target.only || target.only.includes(s.id)));
    if (specs.length === 0) continue;
    let nb: Notebook | null = null;
    try {
      nb = readNotebook(target.file);
    } catch (e) {
      const message = e instanceof NotebookError ? e.message : String(e);
      problems.push({ notebook: target.file, message });
    }
    const found = nb ? findExerciseCells(nb, target.chapter.exercises.map((s) => s.id)) : null;
    for (const p of found?.problems ?? []) {
      if (!p.id || specs.some((s) => s.id === p.id)) problems.push({ notebook: target.file, cell: p.cell, message: p.message, ...headingOf(nb, p.cell) });
    }
    for (const spec of specs) {
      const { cases, wires } = casesFor(spec, seed);
      const cell = found?.byId.get(spec.id);
      const where = { chapter: target.chapter.slug, notebook: target.file, cell: cell?.cell.number, seed };
      const result = resultBase(spec, where);
      // Jupyter shows no cell numbers: reports name the cell by the heading above it.
      if (nb && cell) Object.assign(result, headingOf(nb, cell.cell.number));
      result.checks.total = cases.length;
      const item: Pending = { spec, cases, result };
      pending.push(item);
      if (!nb) {
        withStatus(result, "error", "the notebook could not be read (see above)");
        continue;
      }
      if (!cell) {
        const dup = found?.problems.find((p) => p.id === spec.id);
        withStatus(result, "error", dup ? dup.message : `no cell starts with \`// exercise: ${spec.id}\`: was that first line deleted or changed? Put it back as the cell's first line`);
        if (!dup) problems.push({ notebook: target.file, message: `exercise ${spec.id}: no cell starts with \`// exercise: ${spec.id}\`` });
        continue;
      }
      item.source = cell.source;
      item.wires = wires;
    }
  }

  // Compile: every learner cell at once, misses in the compiler process.
  const toCompile = pending.filter((p) => p.source !== undefined);
  const compiledCells = await compileLearnerCells(toCompile.map((p) => p.source!));
  toCompile.forEach((item, i) => {
    const compiled = compiledCells[i];
    if (!compiled.ok) return void compileFailure(item.result, compiled.problems);
    item.job = jobFor(item.spec, compiled.compiled, item.wires!, seed, item.spec.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS, boundary);
  });

  const known = (key: string): JobResult | undefined => outcomes.get(key) ?? (options.reuseFailures ? failures.get(key) : undefined);
  const unique = new Map<string, Job>();
  for (const p of pending) if (p.job && !known(p.job.key)) unique.set(p.job.key, p.job);
  const ran = await runJobs([...unique.values()], { lanes: options.lanes });
  for (const [key, r] of ran) (cacheable(r) ? outcomes : failures).set(key, r);
  const results = pending.map((p) => (p.job ? verdict(p.spec, p.cases, ran.get(p.job.key) ?? known(p.job.key)!, p.result) : p.result));
  return { results, problems, ...totals(results), seed, boundary };
}

function headingOf(nb: Notebook | null, cell: number | undefined): { heading?: string } {
  const heading = nb && cell !== undefined ? headingAbove(nb, cell) : undefined;
  return heading ? { heading } : {};
}

/** Compile stage failed: the first problem, with its line in the cell. */
function compileFailure(result: ExerciseResult, problems: SyntaxProblem[]): ExerciseResult {
  const first = problems[0];
  withStatus(result, "failed", first.whole ? first.message : `syntax error at line ${first.line}, column ${first.column} of the cell: ${first.message}`);
  if (!first.whole) result.line = first.line;
  return result;
}

/** Run stage input: the exercise's set-up (givens and every earlier exercise, as references), the cell, the probes. */
function jobFor(spec: ExerciseSpec, compiled: Compiled, probes: WireProbe[], seed: number, budgetMs: number, boundary: BoundaryKind): Job {
  return {
    key: outcomeKey(spec, seed, budgetMs, boundary, compiled.js),
    budgetMs,
    boundary,
    prelude: preludeFor(spec),
    learner: { compiled, filename: "cell" },
    probes,
  };
}

/** Reference answers depend only on (exercise, seed): computed once per process, when a case needs them. */
const referenceCache = new Map<string, Answer[][] | null>();
function referenceFor(spec: ExerciseSpec, cases: Case[], seed: number): Answer[][] | null {
  const key = `${spec.id}\0${seed}`;
  if (!referenceCache.has(key)) referenceCache.set(key, cases.some((c) => c.usesReference) ? referenceAnswers(spec, cases) : null);
  return referenceCache.get(key)!;
}

/** Judge stage: what ran, against the reference, explained by the declared mistakes when it fails. */
function verdict(spec: ExerciseSpec, cases: Case[], r: JobResult, base: ExerciseResult): ExerciseResult {
  if (r.preludeError) return withStatus(base, "error", `course error while setting up: ${r.preludeError}`);
  const where = { chapter: base.chapter, notebook: base.notebook, cell: base.cell, seed: base.seed };
  const judged = judge(spec, cases, r, referenceFor(spec, cases, base.seed), where, () => mistakeRuns(spec, cases, base.seed));
  if (base.heading) judged.heading = base.heading;
  return judged;
}

/**
 * One exercise cell graded in this process, with the same stages and set-up as
 * grade(): check() in a notebook uses it, so its verdict is the grader's. The
 * code is the learner's own, run in their own kernel, so the vm realm serves.
 */
export function gradeCellHere(spec: ExerciseSpec, source: string, where: { chapter: string; notebook: string }, seed = DEFAULT_SEED): ExerciseResult {
  const { cases, wires } = casesFor(spec, seed);
  const result = resultBase(spec, { ...where, seed });
  result.checks.total = cases.length;
  const compiled = compileCell(source);
  if (!compiled.ok) return compileFailure(result, compiled.problems);
  const job = jobFor(spec, compiled.compiled, wires, seed, spec.timeoutMs ?? DEFAULT_TIMEOUT_MS, "vm");
  return verdict(spec, cases, runJob(job), result);
}
