// One exercise's work for the sandbox: set-up pieces, the learner's cell, and
// the probes to answer. Plain data, so it can be sent to a worker process.
import { isMap } from "node:util/types";
import type { Outcome } from "../judge/outcome";
import { FunctionValue, Unreadable, type Plain } from "../judge/values";
import type { BoundaryKind } from "./realm";
import { importsMathjs, Sandbox, type Piece, type WireProbe } from "./sandbox";
import type { WindowNote } from "./window";

export interface Job {
  key: string;
  /** The time limit of this run of the job (the cell and all its probes). */
  budgetMs: number;
  /**
   * Class grading's short limit (in proportion to the reference's time, see budget.ts): the
   * learner's cell must run and the first probe be answered within it, or the run stops there
   * as stuck. The rest of the run has the whole budget.
   */
  firstAnswerMs?: number;
  /** Which realm runs the cell: the grader decides, never the sandbox. */
  boundary: BoundaryKind;
  /**
   * Whose code this is (one learner's submission, in one grading): jobs of the same owner
   * may share an isolate, each in a context of its own (realm.ts). Not part of the key:
   * identical cells of different learners are one job.
   */
  owner?: string;
  prelude: Piece[];
  /**
   * How many prelude pieces, from the first, are course code; the default is all of them.
   * The rest (the learner edition's own earlier cells) are learner code: they run under
   * the time limit, and what stops them is the exercise's failure, not a course error.
   */
  trustedPrelude?: number;
  learner: Piece;
  probes: WireProbe[];
  /**
   * Values the learner's kernel holds, by name, judged in place of what the cell defines
   * (check() where no cell source is known). Live objects: the vm realm of this process only.
   */
  live?: ReadonlyMap<string, unknown>;
}

export interface JobResult {
  key: string;
  /** A set-up piece failed: a bug in the course, not the learner's fault. */
  preludeError?: string;
  /** What running the learner's cell itself threw (null: it ran). */
  cellError: Outcome | null;
  outcomes: Outcome[];
  console: string[];
  /** Peak memory of the worker process so far (for benchmarks). */
  maxRssKb?: number;
  /** A deadline passed while the learner's code had used under half its time in CPU: a busy machine, not a loop. */
  starved?: boolean;
  /**
   * Stopped at class grading's short limit: how much the worker process grew (KB) while the
   * cell had its window. Past STUCK_GROWTH_MB the job runs again at its whole limit (pool.ts).
   */
  windowGrowthKb?: number;
  /** How many probes were answered before the deadline or a crash stopped the job (all of them when it finished). */
  answered?: number;
  /** Wall-clock time the learner's code ran in the sandbox (ms). */
  usedMs?: number;
  /** CPU time the worker spent running it (ms). */
  cpuUsedMs?: number;
  /** The job ran in an isolate that had served the owner's earlier jobs (a timeout there is run again in a fresh one, pool.ts). */
  reusedIsolate?: true;
  /** Some answer holds a function or an unreadable value, sent as a Map (toWire): fromWire rebuilds it. */
  revive?: true;
  /**
   * Class grading: the learner's budget ran out before this job ran, or stopped it at a shorter
   * limit than its own: it was not graded (see budget.ts).
   */
  budgetStopped?: boolean;
}

/** Run a job in a sandbox of its own, in this thread. */
export function runJob(job: Job): JobResult {
  const sandbox = new Sandbox(job.budgetMs, job.boundary, job.owner);
  try {
    const early = setUp(job, sandbox);
    if (early) return early;
    return finish(job, sandbox, sandbox.runCell(job.learner, job.probes, job.live));
  } finally {
    sandbox.dispose();
  }
}

/**
 * A job with class grading's short limit (job.firstAnswerMs), in a worker process: the sandbox
 * holds the job to it itself (Sandbox.runWindowed); `onWindow` tells the worker's parent when the
 * window opens, closes or is used up. Without a short limit, the same as runJob.
 */
export async function runJobWindowed(job: Job, onWindow: (note: WindowNote) => void): Promise<JobResult> {
  if (job.firstAnswerMs === undefined || job.live) return runJob(job);
  const sandbox = new Sandbox(job.budgetMs, job.boundary, job.owner);
  try {
    const early = setUp(job, sandbox);
    if (early) return early;
    return finish(job, sandbox, await sandbox.runWindowed(job.learner, job.probes, job.firstAnswerMs, onWindow));
  } finally {
    sandbox.dispose();
  }
}

/** mathjs if the code imports it, the prelude, then the intrinsics frozen; a result if it ends there. */
function setUp(job: Job, sandbox: Sandbox): JobResult | null {
  if ([...job.prelude, job.learner].some((p) => importsMathjs(p.compiled.js))) sandbox.loadMathjs();
  const trusted = job.trustedPrelude ?? job.prelude.length;
  for (const [i, piece] of job.prelude.entries()) {
    const failed = sandbox.run(piece, i < trusted);
    if (failed && i >= trusted) return finish(job, sandbox, { cellError: failed, outcomes: job.probes.map(() => failed) });
    if (failed) {
      const what = failed.status === "threw" ? `${failed.error.name}: ${failed.error.message}` : failed.status;
      return { key: job.key, preludeError: `${piece.filename}: ${what}`, cellError: null, outcomes: [], console: [] };
    }
  }
  sandbox.harden();
  return null;
}

function finish(job: Job, sandbox: Sandbox, ran: { cellError: Outcome | null; outcomes: Outcome[] }): JobResult {
  const result: JobResult = { key: job.key, ...ran, console: sandbox.consoleOutput(), answered: sandbox.answered, usedMs: Math.round(sandbox.usedMs), cpuUsedMs: Math.round(sandbox.cpuUsedMs) };
  if (sandbox.reusedIsolate) result.reusedIsolate = true;
  return sandbox.starved ? { ...result, starved: true } : result;
}

/**
 * A worker's answers cross to the grading process as a structured clone, which keeps numbers
 * (NaN, -0), undefined and Maps but not classes: a FunctionValue or an Unreadable would arrive
 * as a plain { name } or { why }, and read as the learner's object. They travel as one-entry
 * Maps, which decoding never makes, and become themselves again on arrival (fromWire).
 */
export function toWire(r: JobResult): JobResult {
  const out = mapValues(r, (v) => (v instanceof FunctionValue ? new Map([["function", v.name]]) : v instanceof Unreadable ? new Map([["unreadable", v.why]]) : undefined));
  // Most answers hold neither: then the grading process has nothing to revive.
  return out === r ? r : { ...out, revive: true };
}

export function fromWire(r: JobResult): JobResult {
  if (r.revive !== true) return r;
  const { revive: _revive, ...rest } = r;
  return mapValues(rest, (v) => {
    // isMap, not instanceof: the clone is made in Node's own realm, which a test runner's is not.
    if (!isMap(v) || v.size !== 1) return undefined;
    const [[k, x]] = [...(v as Map<string, string>)];
    return k === "function" ? new FunctionValue(x) : k === "unreadable" ? new Unreadable(x) : undefined;
  });
}

/**
 * `r` with every answer and changed argument rebuilt where `swap` gives a replacement; copied
 * only along the way to a replacement, and `r` itself when there is none (the usual case).
 */
function mapValues(r: JobResult, swap: (v: unknown) => unknown): JobResult {
  const walk = (v: unknown): unknown => {
    const s = swap(v);
    if (s !== undefined) return s;
    if (v === null || typeof v !== "object" || isMap(v)) return v;
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (x === null || typeof x !== "object") continue;
        const w = walk(x);
        if (w !== x) (copy ??= v.slice())[i] = w;
      }
      return copy ?? v;
    }
    let copy: Record<string, unknown> | undefined;
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      const w = walk(x);
      if (w !== x) (copy ??= { ...(v as Record<string, unknown>) })[k] = w;
    }
    return copy ?? v;
  };
  let changed = false;
  const outcome = (o: Outcome): Outcome => {
    if (o.status !== "ok" && o.status !== "not-a-function") return o;
    const value = walk(o.value) as Plain;
    const argsAfter = o.status === "ok" && o.argsAfter ? (walk(o.argsAfter) as Plain[]) : undefined;
    if (value === o.value && (o.status !== "ok" || argsAfter === o.argsAfter)) return o;
    changed = true;
    return o.status === "ok" ? { ...o, value, ...(argsAfter ? { argsAfter } : {}) } : { ...o, value };
  };
  const outcomes = r.outcomes.map(outcome);
  const cellError = r.cellError ? outcome(r.cellError) : null;
  return changed ? { ...r, outcomes, cellError } : r;
}
