// `npm run grade` over notebooks: the ordered stages, written once, in grade()
// below (nbgrader's preprocessors, in our words):
//   read     each notebook                         notebook/notebook.ts
//   find     its exercise cells                    notebook/cells.ts
//   compile  every learner cell at once            compile/compile.ts (misses in a compiler process)
//   run      every distinct cell, isolated          run/pool.ts (worker processes)
//   judge    each exercise, explained              stages.ts (judge/judge.ts, judge/explain.ts)
//   result   the report, with totals               judge/result.ts
// The per-exercise parts (cases, job, verdict) are stages.ts's, which check()
// in a notebook uses too. What a broken input costs is decided here: that
// exercise, or that notebook, never the whole run.
import { createHash, randomInt } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as v8 from "node:v8";
import type { OwnCell, OwnCells } from "./course/answer-key";
import { DEFAULT_SEED } from "./course/cases";
import { findExerciseCells, headingAbove, markerLine, type FoundCells } from "./notebook/cells";
import { REFERENCE_TIME_FACTOR, SHORT_LIMIT_FLOOR_MS, type Budget } from "./budget";
import { compileCell, compileLearnerCells } from "./compile/compile";
import type { Chapter, Course } from "./course/course";
import { fromWire, toWire, type Job, type JobResult } from "./run/job";
import { withStatus } from "./judge/judge";
import { NotebookError, readNotebook, type Notebook } from "./notebook/notebook";
import { earlierCause } from "./course/published";
import { referencesOf } from "./course/reference";
import { runJobs } from "./run/pool";
import { isolateAvailable, type BoundaryKind } from "./run/realm";
import { totals, type ExerciseResult, type NotebookProblem, type Report } from "./judge/result";
import type { ExerciseSpec } from "./course/spec";
import { compileFailure, DEFAULT_TIMEOUT_MS, jobFor, startResult, verdict } from "./stages";

export { DEFAULT_SEED, DEFAULT_TIMEOUT_MS };

export interface GradeOptions {
  /** Grade only these exercise ids. */
  only?: string[];
  seed?: number;
  timeoutMs?: number;
  /** How many worker processes (default: one per core). */
  lanes?: number;
  /** Reuse timeouts and crashes of identical cells seen earlier in this process (class grading). */
  reuseFailures?: boolean;
  /** Which realm runs learner code (default: the isolate where available). */
  boundary?: BoundaryKind;
  /**
   * Official grading (class, Gradescope, --official): the seed is one the learner cannot
   * know, so a failure's input is shown as numbers or not at all, never as a caseInput()
   * call, which in the learner's edition would rebuild a public case instead.
   */
  official?: boolean;
  /**
   * Class grading: this learner's budget (see budget.ts). Every stage charges its work to it;
   * once it is spent, what is left is not graded and the report says so.
   */
  budget?: Budget;
  /**
   * Class grading: a first, shorter time limit per exercise id, in proportion to the reference's
   * own time (referenceLimits below); a run stopped there may run again with the full limit (pool.ts).
   */
  shortLimits?: ReadonlyMap<string, number>;
}

/**
 * A seed for official grading: drawn from the operating system's randomness, never
 * the public one (DEFAULT_SEED, whose cases the learner edition holds), so nobody can
 * know the random cases before the run. Reports record it for a regrade.
 */
export function secretSeed(): number {
  for (;;) {
    const seed = randomInt(1, 2 ** 32);
    if (seed !== DEFAULT_SEED) return seed;
  }
}

/** A notebook to grade and the chapter it belongs to. */
export interface Target {
  file: string;
  chapter: Chapter;
  /** Grade only these exercises of this notebook (on top of GradeOptions.only). */
  only?: string[];
}

/** Turn command-line paths (notebooks or folders) into targets; what cannot be resolved becomes a problem. */
export function resolveTargets(course: Course, paths: string[]): { targets: Target[]; problems: NotebookProblem[] } {
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
      let names: string[];
      try {
        names = fs.readdirSync(p);
      } catch (e) {
        problems.push({ notebook: p, message: `the folder cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}): nothing in it was graded` });
        continue;
      }
      const others = names
        .filter((f) => f.endsWith(".ipynb") && !course.chapters.some((c) => f === `${c.slug}.ipynb`))
        .sort();
      for (const chapter of course.chapters) {
        let file = path.join(p, `${chapter.slug}.ipynb`);
        if (!fs.existsSync(file)) {
          // A renamed copy is known by its name ("01-forward-pass-Copy1.ipynb", "01-forward-pass (1).ipynb"),
          // never by reading every file of the folder: decoy files would cost a class run their reading.
          const renamed = others.find((f) => f.startsWith(chapter.slug));
          file = renamed ? path.join(p, renamed) : file;
        }
        targets.push({ file, chapter });
      }
      continue;
    }
    const chapter = chapterForFile(course, p);
    if (chapter) targets.push({ file: p, chapter });
    else problems.push({ notebook: p, message: `not a notebook of this course (expected one of: ${course.chapters.map((c) => `${c.slug}.ipynb`).join(", ")}), and no exercise cells tell which chapter it is` });
  }
  return { targets, problems };
}

function chapterForFile(course: Course, file: string): Chapter | undefined {
  const base = path.basename(file, ".ipynb");
  const exact = course.chapter(base);
  if (exact) return exact;
  // A renamed copy ("01-forward-pass (1).ipynb"): recognise it by its exercise markers.
  try {
    const ids = [...findExerciseCells(readNotebook(file), course.specs.map((s) => s.id)).byId.keys()];
    return course.chapters.find((c) => c.exercises.some((e) => ids.includes(e.id)));
  } catch {
    return course.chapters.find((c) => base.startsWith(c.slug));
  }
}

/**
 * The isolate where isolated-vm loads; the weaker vm realm otherwise, or when
 * BACKPROP_LAB_BOUNDARY=vm asks for it (tests of the fallback).
 */
export function defaultBoundary(): BoundaryKind {
  if (process.env.BACKPROP_LAB_BOUNDARY === "vm") return "vm";
  return isolateAvailable() ? "isolate" : "vm";
}

/** One exercise on its way through the stages. */
interface Item {
  spec: ExerciseSpec;
  result: ExerciseResult;
  /** The learner's cell, when there is one to compile. */
  source?: string;
  job?: Job;
  /** Learner edition: the learner's own earlier cells, which this exercise's set-up is made of. */
  own?: OwnCells;
  /** Learner edition: the cell's compiled code, kept past the run to find the earlier exercises it calls. */
  js?: string;
  /** Class grading: the learner's budget ran out before this exercise was graded. */
  notGraded?: boolean;
}

const NOT_GRADED = "not graded: the learner's grading budget ran out (see the message above)";

/** An exercise left ungraded because the learner's budget ran out: no verdict, and it says so. */
function notGradedItem(run: Run, target: Target, spec: ExerciseSpec): Item {
  const result = startResult(spec, { chapter: target.chapter.slug, notebook: target.file }, run.seed);
  return { spec, result: withStatus(result, "error", NOT_GRADED), notGraded: true };
}

function markNotGraded(item: Item): void {
  item.result = withStatus(item.result, "error", NOT_GRADED);
  item.notGraded = true;
  item.job = undefined;
}

interface Run {
  /** This grading, among the gradings of this process (jobs' owners, see Job.owner). */
  id: number;
  course: Course;
  options: GradeOptions;
  seed: number;
  boundary: BoundaryKind;
  problems: NotebookProblem[];
}

let gradings = 0;

export async function grade(course: Course, targets: Target[], options: GradeOptions = {}, upfront: NotebookProblem[] = []): Promise<Report> {
  const run: Run = { id: ++gradings, course, options, seed: options.seed ?? DEFAULT_SEED, boundary: options.boundary ?? defaultBoundary(), problems: [...upfront] };
  const budget = options.budget;
  const byTarget = targets.map((target) => {
    const specs = wanted(run, target);
    if (specs.length === 0) return { target, items: [] };
    // Reading and parsing a notebook is this learner's work: charged, and not started once the budget is spent.
    if (budget?.exhausted) {
      budget.markStopped();
      return { target, items: specs.map((spec) => notGradedItem(run, target, spec)) };
    }
    const work = () => findCells(run, target, specs, read(run, target));
    return { target, items: budget ? budget.time(work) : work() };
  });
  const items = byTarget.flatMap((t) => t.items);
  if (course.key?.ownCells) await attachOwnCells(run, targets, byTarget);
  await compile(run, items);
  await runAndJudge(run, items);
  const judged = items.map((i) => i.result);
  if (course.key?.ownCells) blameEarlier(course, items, judged);
  const results = options.official ? judged.map(withoutReplayCalls) : judged;
  if (budget?.stopped) {
    const skipped = items.filter((i) => i.notGraded).map((i) => i.spec.id);
    run.problems.push({ notebook: targets.length ? path.dirname(targets[0].file) : ".", message: budget.message(skipped) });
  }
  return { results, problems: run.problems, ...totals(results), seed: run.seed, boundary: run.boundary };
}

/**
 * Learner edition: a failing cell that calls an earlier exercise failing in the same
 * folder (graded in this run) is told so; that is the first thing to fix.
 */
function blameEarlier(course: Course, items: Item[], results: ExerciseResult[]): void {
  const failing = new Set(results.filter((r) => r.status === "failed").map((r) => `${path.dirname(r.notebook)}\0${r.id}`));
  items.forEach((item, i) => {
    const r = results[i];
    if ((r.status !== "failed" && r.status !== "error") || item.js === undefined) return;
    const cause = earlierCause(course, item.spec, item.js, (id) => failing.has(`${path.dirname(r.notebook)}\0${id}`));
    if (cause) r.likelyCause = cause;
  });
}

/** A failure's paste line that calls caseInput() names a case of the public seed: not this run's. */
function withoutReplayCalls(r: ExerciseResult): ExerciseResult {
  if (!r.failures.some((f) => f.input?.includes("caseInput("))) return r;
  return {
    ...r,
    failures: r.failures.map((f) => {
      if (!f.input?.includes("caseInput(")) return f;
      const { input: _replay, ...shown } = f;
      return shown;
    }),
  };
}

/**
 * Learner edition: the learner's own cells of every exercise, for each target, from the
 * notebooks of its folder (the target itself for its chapter, the other chapters' notebooks
 * next to it), compiled like every learner cell. What cannot be found says why.
 */
async function attachOwnCells(run: Run, targets: Target[], byTarget: { target: Target; items: Item[] }[]): Promise<void> {
  const sourcesOf = new Map<string, Map<string, string> | string>();
  const cellsIn = (file: string): Map<string, string> | string => {
    let known = sourcesOf.get(file);
    if (!known) {
      try {
        known = new Map([...findExerciseCells(readNotebook(file), run.course.specs.map((s) => s.id)).byId].map(([id, c]) => [id, c.source] as const));
      } catch (e) {
        known = e instanceof NotebookError && e.message === "file not found" ? "was not found next to this notebook" : "is in a notebook that could not be read";
      }
      sourcesOf.set(file, known);
    }
    return known;
  };
  const wantedCells = byTarget.filter((t) => t.items.length > 0).map(({ target, items }) => {
    const folder = path.dirname(target.file);
    const cells = new Map<string, string | { missing: string }>();
    for (const chapter of run.course.chapters.slice(0, run.course.chapters.indexOf(target.chapter) + 1)) {
      const file = chapter === target.chapter ? target.file : (targets.find((t) => t.chapter === chapter && path.dirname(t.file) === folder)?.file ?? path.join(folder, `${chapter.slug}.ipynb`));
      const found = cellsIn(file);
      for (const spec of chapter.exercises) {
        const source = typeof found === "string" ? undefined : found.get(spec.id);
        cells.set(spec.id, source ?? { missing: typeof found === "string" ? `${found} (${path.basename(file)})` : `has no cell in ${path.basename(file)}` });
      }
    }
    return { items, cells };
  });
  const sources = [...new Set(wantedCells.flatMap((w) => [...w.cells.values()].filter((c): c is string => typeof c === "string")))];
  const compiled = new Map((await compileLearnerCells(sources, run.options.budget)).map((r, i) => [sources[i], r] as const));
  for (const { items, cells } of wantedCells) {
    const own = new Map<string, OwnCell>();
    for (const [id, c] of cells) {
      if (typeof c !== "string") own.set(id, c);
      else {
        const r = compiled.get(c)!;
        own.set(id, r.ok ? { compiled: r.compiled } : { missing: `has a syntax error (line ${r.problems[0].line})` });
      }
    }
    for (const item of items) item.own = own;
  }
}

/** Read stage: the notebook, or a problem saying why it cannot be read. */
function read(run: Run, target: Target): Notebook | null {
  try {
    return readNotebook(target.file);
  } catch (e) {
    run.problems.push({ notebook: target.file, message: e instanceof NotebookError ? e.message : String(e) });
    return null;
  }
}

/** The exercises of a target to grade (a notebook none of whose exercises is asked for is not even read). */
function wanted(run: Run, target: Target): ExerciseSpec[] {
  const { only } = run.options;
  return target.chapter.exercises.filter((s) => (!only || only.includes(s.id)) && (!target.only || target.only.includes(s.id)));
}

/** Find stage: each exercise of the target with its cell, or its result already decided (no cell, unreadable). */
function findCells(run: Run, target: Target, specs: ExerciseSpec[], nb: Notebook | null): Item[] {
  const found: FoundCells | null = nb ? findExerciseCells(nb, target.chapter.exercises.map((s) => s.id)) : null;
  for (const p of found?.problems ?? []) {
    if (!p.id || specs.some((s) => s.id === p.id)) run.problems.push({ notebook: target.file, cell: p.cell, message: p.message, ...headingOf(nb, p.cell) });
  }
  return specs.map((spec) => {
    const cell = found?.byId.get(spec.id);
    const result = startResult(spec, { chapter: target.chapter.slug, notebook: target.file, cell: cell?.cell.number }, run.seed);
    // Jupyter shows no cell numbers: reports name the cell by the heading above it.
    Object.assign(result, headingOf(nb, cell?.cell.number));
    if (!nb) return { spec, result: withStatus(result, "error", "the notebook could not be read (see above)") };
    if (!cell) {
      const dup = found?.problems.find((p) => p.id === spec.id);
      if (!dup) run.problems.push({ notebook: target.file, message: `exercise ${spec.id}: no cell starts with \`${markerLine(spec.id)}\`` });
      return { spec, result: withStatus(result, "error", dup ? dup.message : `no cell starts with \`${markerLine(spec.id)}\`: was that first line deleted or changed? Put it back as the cell's first line`) };
    }
    return { spec, result, source: cell.source };
  });
}

/** Compile stage: every learner cell at once, cache misses in the compiler process. */
async function compile(run: Run, items: Item[]): Promise<void> {
  const toCompile = items.filter((i) => i.source !== undefined);
  const compiled = await compileLearnerCells(toCompile.map((i) => i.source!), run.options.budget);
  toCompile.forEach((item, k) => {
    const c = compiled[k];
    if (!c.ok && c.problems.some((p) => p.budget)) markNotGraded(item);
    else if (!c.ok) compileFailure(item.result, c.problems);
    else {
      const full = item.spec.timeoutMs ?? run.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      // One learner's cells (a grading's notebooks in one folder) may share an isolate.
      const job = { ...jobFor(run.course, item.spec, c.compiled, run.seed, full, run.boundary, item.own), owner: `${run.id}\0${path.dirname(item.result.notebook)}` };
      const short = run.options.shortLimits?.get(item.spec.id);
      // The key stays the full limit's: the short one varies with the machine's load, the verdict does not (pool.ts).
      item.job = short !== undefined && short < full ? { ...job, firstAnswerMs: short } : job;
      if (run.course.key?.ownCells) item.js = c.compiled.js;
    }
  });
}

/**
 * Grading is a pure function of a job's key (exercise, seed, time limit, realm, cell code):
 * identical cells (untouched stubs, the same answer in many submissions) run once per
 * process. Timeouts and crashes may depend on the machine's load: they are remembered only
 * for one class run (the same hostile or runaway cell pasted by many learners costs its
 * time limit once, not once each). Only small results are remembered, up to a fixed total:
 * a learner's answers are judged as soon as they arrive and then let go, so a class run's
 * memory does not grow with what learners return.
 */
const outcomes = new Map<string, JobResult>();
const failures = new Map<string, JobResult>();
/** Jobs that failed once in a reused isolate (see remember): the second such failure is shared. */
const failedInReused = new Set<string>();
/**
 * A result is remembered only below this many numbers and characters. An untouched stub's is a
 * few hundred per check: train-epoch's, 641 checks of "not done yet", is about 90,000, and at
 * 20,000 it was run again for every learner who had not started it (~0.2 s of a lane each).
 */
const MAX_REMEMBERED_SIZE = 150_000;
/** ...and while all remembered results together stay below this. */
const MAX_REMEMBERED_TOTAL = 20_000_000;
let remembered = 0;

function cacheable(r: JobResult): boolean {
  return !r.preludeError && r.cellError?.status !== "timeout" && r.cellError?.status !== "crashed" && !r.outcomes.some((o) => o.status === "timeout" || o.status === "crashed");
}

/**
 * Shared by the processes of one test run only: BACKPROP_LAB_SHARED_JOBS names a folder the
 * test suite makes fresh for the run (and removes after it), so a fixture graded by several
 * test files and CLI runs (the solutions, every mutant) runs once per `npm test`. A result is
 * filed under a hash of everything the job is (set-up, cell, probes, limits, realm), and only
 * when cacheable. Never set by the grader's commands.
 */
function sharedFile(job: Job): string | null {
  const dir = process.env.BACKPROP_LAB_SHARED_JOBS;
  if (!dir) return null;
  const what = JSON.stringify([job.key, job.budgetMs, job.boundary, job.prelude.map((p) => [p.filename, p.compiled.js]), job.learner.compiled.js, job.probes]);
  return path.join(dir, `${createHash("sha256").update(what).digest("hex")}.bin`);
}

function readShared(job: Job): JobResult | undefined {
  const file = sharedFile(job);
  if (!file || !fs.existsSync(file)) return undefined;
  try {
    return { ...fromWire(v8.deserialize(fs.readFileSync(file)) as JobResult), key: job.key };
  } catch {
    return undefined;
  }
}

function writeShared(job: Job, r: JobResult): void {
  const file = sharedFile(job);
  if (!file) return;
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    // Structured clone, not JSON: answers hold NaN, ±Infinity, -0 and undefined.
    fs.writeFileSync(tmp, v8.serialize(toWire(r)));
    fs.renameSync(tmp, file);
  } catch {
    // A memo only: grading goes on without it.
  }
}

/** Numbers and characters in a value, counted up to `limit` (then it stops: the answer is too big to keep). */
function sizeOf(v: unknown, limit: number): number {
  let n = 0;
  const walk = (x: unknown): void => {
    if (n > limit) return;
    if (typeof x === "string") n += x.length;
    else if (Array.isArray(x)) for (const y of x) walk(y);
    else if (x !== null && typeof x === "object") for (const y of Object.values(x)) walk(y);
    else n += 1;
  };
  walk(v);
  return n;
}

function remember(key: string, r: JobResult): void {
  if (!cacheable(r)) {
    // A failure in an isolate the learner's earlier jobs had used may come from what they left
    // there (a V8 fast path switched off): it is handed to other learners with the same cell only
    // once a second learner's run of it failed too, so a cell pasted by many costs two runs at most.
    // (A job that ran out of time drops its isolate: the next starts fresh.)
    if (!r.reusedIsolate || failedInReused.has(key)) failures.set(key, { key: r.key, cellError: r.cellError, outcomes: r.outcomes, console: [] });
    else failedInReused.add(key);
    return;
  }
  const size = sizeOf(r, MAX_REMEMBERED_SIZE);
  if (size > MAX_REMEMBERED_SIZE || remembered + size > MAX_REMEMBERED_TOTAL) return;
  remembered += size;
  outcomes.set(key, r);
}

/** Run and judge stages: every distinct job once, in the worker processes, each judged as its answer arrives. */
async function runAndJudge(run: Run, items: Item[]): Promise<void> {
  const known = (key: string): JobResult | undefined => outcomes.get(key) ?? (run.options.reuseFailures ? failures.get(key) : undefined);
  const byKey = new Map<string, Item[]>();
  for (const i of items) if (i.job) byKey.set(i.job.key, [...(byKey.get(i.job.key) ?? []), i]);
  const budget = run.options.budget;
  const judgeAll = (key: string, r: JobResult): void => {
    for (const i of byKey.get(key) ?? []) {
      // A job the budget stopped gives no verdict. One that ran is judged even if the budget ran out
      // meanwhile (on another lane): judging is charged too, and bounded by the answers' size caps.
      if (r.budgetStopped) {
        budget?.markStopped();
        markNotGraded(i);
        continue;
      }
      const earlier = judgedByKey.get(key);
      const code = i.job?.learner.compiled.js;
      const judge = () => (earlier ? restamped(earlier, i.result) : verdict(run.course, i.spec, r, i.result, code));
      i.result = budget ? budget.time(judge) : judge();
      // The same job's result judged again would be judged alike (the key holds the seed): kept for the next learner.
      if (!earlier && judgedByKey.size < MAX_JUDGED && (outcomes.get(key) === r || failures.has(key))) judgedByKey.set(key, i.result);
      i.job = undefined;
    }
    byKey.delete(key);
  };
  const toRun = new Map<string, Job>();
  const waiting: { key: string; job: Job; run: Promise<void> }[] = [];
  for (const [key, its] of byKey) {
    const job = its[0].job!;
    const k = known(key) ?? readShared(job);
    const underWay = running.get(key);
    if (k) judgeAll(key, k);
    else if (underWay) waiting.push({ key, job, run: underWay });
    else toRun.set(key, job);
  }
  const mine = new Map<string, () => void>();
  for (const key of toRun.keys()) running.set(key, new Promise<void>((done) => mine.set(key, done)));
  const finished = (key: string): void => {
    mine.get(key)?.();
    mine.delete(key);
    running.delete(key);
  };
  const lanes = { lanes: run.options.lanes, budget };
  const onResult = (key: string, r: JobResult): void => {
    // A job the budget stopped says nothing about the cell: not remembered, not shared.
    if (!r.budgetStopped) remember(key, r);
    const job = toRun.get(key) ?? waiting.find((w) => w.key === key)?.job;
    if (job && cacheable(r) && !r.budgetStopped) writeShared(job, r);
    finished(key);
    judgeAll(key, r);
  };
  try {
    await Promise.all([
      runJobs([...toRun.values()], { ...lanes, onResult }),
      // The same cell of another learner graded at the same time: its result, once remembered,
      // is this one's too; one that was not remembered (too big, or stopped by that learner's
      // budget) is run again here.
      ...waiting.map(async (w) => {
        await w.run;
        const k = known(w.key);
        if (k) judgeAll(w.key, k);
        else await runJobs([w.job], { ...lanes, onResult });
      }),
    ]);
  } finally {
    for (const key of [...mine.keys()]) finished(key);
  }
}

/**
 * Verdicts by job key. A verdict is a function of the job's result and its key (exercise, seed,
 * cell): only where the cell is (notebook, cell number, heading) differs between learners. In a
 * class, most learners' cells are ones graded already, and judging them again (reference
 * answers compared, declared mistakes matched, gradients checked) was most of the grading
 * process's own time: 34 of 46 s for 60 learners.
 */
const judgedByKey = new Map<string, ExerciseResult>();
const MAX_JUDGED = 20_000;

function restamped(judged: ExerciseResult, base: ExerciseResult): ExerciseResult {
  const out: ExerciseResult = { ...structuredClone(judged), chapter: base.chapter, notebook: base.notebook, cell: base.cell };
  if (base.cell === undefined) delete out.cell;
  // Where verdict() puts the heading: last.
  delete out.heading;
  if (base.heading) out.heading = base.heading;
  return out;
}

/** Jobs under way in the lanes, by key: a grading in flight at the same time (class grading) with the same cell waits for that run. */
const running = new Map<string, Promise<void>>();

function headingOf(nb: Notebook | null, cell: number | undefined): { heading?: string } {
  const heading = nb && cell !== undefined ? headingAbove(nb, cell) : undefined;
  return heading ? { heading } : {};
}

/**
 * Class grading's short limits: each exercise's reference cell run now, in the same worker
 * processes, on the exercise's first check, and REFERENCE_TIME_FACTOR times the CPU time its
 * cell and that check took (never under SHORT_LIMIT_FLOOR_MS, never over the exercise's own
 * limit). A learner's cell and its first check must be done within that much CPU time (the
 * worker's parent holds it to it, window.ts); the rest of the checks have the whole limit.
 * Empty where the course has no reference code (the learner edition, which does not grade classes).
 */
export async function referenceLimits(course: Course, options: GradeOptions & { seed: number }): Promise<Map<string, number>> {
  const limits = new Map<string, number>();
  if (course.key) return limits;
  const refs = referencesOf(course);
  const boundary = options.boundary ?? defaultBoundary();
  const specs = course.specs.filter((s) => !options.only || options.only.includes(s.id));
  const jobs = new Map<string, { spec: ExerciseSpec; full: number }>();
  const toRun: Job[] = [];
  for (const spec of specs) {
    const compiled = compileCell(refs.source(spec.id));
    if (!compiled.ok) continue;
    const full = spec.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const job = jobFor(course, spec, compiled.compiled, options.seed, full, boundary);
    const key = `reference time\0${job.key}`;
    jobs.set(key, { spec, full });
    toRun.push({ ...job, key, probes: job.probes.slice(0, 1) });
  }
  await runJobs(toRun, {
    lanes: options.lanes,
    onResult: (key, r) => {
      const j = jobs.get(key);
      // CPU time where the worker could measure it, as the window is held in CPU time (window.ts):
      // a regrade on a busier machine gets the same windows.
      const used = r.cpuUsedMs ?? r.usedMs;
      if (!j || used === undefined || r.cellError || r.outcomes.some((o) => o.status === "timeout" || o.status === "crashed")) return;
      limits.set(j.spec.id, Math.min(j.full, Math.max(SHORT_LIMIT_FLOOR_MS, Math.ceil(REFERENCE_TIME_FACTOR * used))));
    },
  });
  return limits;
}
