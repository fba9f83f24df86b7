// Run jobs in worker processes, one lane per core (see child.ts for what a
// worker process may do). Each job already has a deadline inside V8; the pool
// adds the hard one: a job that has not answered by its budget plus a grace
// period, or whose process dies, gets an outcome saying so, the process is
// replaced, and the remaining jobs go on. Lanes are kept between gradings (a
// class is graded in chunks) and never keep the grader alive.
import * as os from "node:os";
import * as path from "node:path";
import { Child, WORKER_ADDRESS_SPACE_MB } from "./child";
import { fromWire, type Job, type JobResult } from "./job";
import type { Budget } from "../budget";
import { MEMORY_LIMIT_MB, STARVED_RETRIES, STARVED_SHARE } from "./realm";
import { STUCK_GROWTH_MB } from "./window";

// V8 stops a running cell at its budget by itself; the hard deadline is for what it
// cannot interrupt: a long builtin (a fill of a huge sparse array) or an isolate near its
// memory limit, where V8 collects garbage again and again before it gives up. Measured: a
// learner's `while (true) hoard.push(new Array(2e7).fill(1.5))` ran 4-6 s past a 1.7 s limit.
// Such a run is stopped at the deadline, and a process holding more than the isolate may is
// judged out of memory all the same (runAttempt): the grace needs only to let V8's own stop
// arrive first in the ordinary case, not to wait the whole collection out.
const GRACE_MS = 2000;

/**
 * A job whose worker process grows by more than this is stopped there and judged out of memory
 * (runAttempt). A graded job needs a few MB (a new isolate, compiled code, answers: the course's
 * solutions grew their worker by 12 MB at most); only work at the isolate's own limit grows the
 * process that much: measured on a 256 MB isolate, a cell allocating up to the limit grew it by
 * ~270 MB before the isolate refused, and a learner's `hoard.push(new Array(2e7).fill(1.5))`
 * reached +650 MB before V8 gave up at 3.5 s, past its 2 s limit, which V8 cannot enforce inside
 * that builtin. Not the isolate's limit itself: near it, V8 collects garbage again and again
 * and the process hovers at +250-260 MB for a while, so whether a reading was over or under
 * 256 MB was a coin toss; 224 MB is passed on the way up, every time.
 */
const GROWTH_LIMIT_MB = MEMORY_LIMIT_MB - 32;

/**
 * The worker stops a job at its short limit's window itself and lives on (Sandbox.runWindowed);
 * the parent stops the process only this much CPU time later, for code V8 cannot interrupt, so
 * the worker's own stop comes first (it reads its CPU every 5 ms, the parent every 20 ms in 10 ms
 * ticks). Either way the verdict is the same: stuck at the short limit.
 */
const WINDOW_BACKSTOP_MS = 150;

/**
 * V8 optimises a function once it has run a certain amount of bytecode (its interrupt budget,
 * 67,584 bytes by default), on a thread of its own. A job's context is new, so is every
 * closure in it, and optimised code is not shared between contexts: a learner's 41 jobs had
 * the course's own functions (backprop, sgdStep, the harness) optimised again in each, and
 * most jobs end soon after. At 15 times that budget, code that runs long is optimised all the
 * same (a few ms later), short jobs are not: replaying a solved learner's jobs measured
 * 1,570-1,590 ms of the process's CPU against 1,125-1,165 ms (three runs each), and 5% less
 * time on the clock.
 */
const WORKER_V8_FLAGS = ["--interrupt-budget=1000000"];

const OUT_OF_MEMORY = { status: "crashed", why: `it used more than ${MEMORY_LIMIT_MB} MB of memory` } as const;

function failedResult(job: Job, outcome: JobResult["outcomes"][number]): JobResult {
  return { key: job.key, cellError: outcome, outcomes: job.probes.map(() => outcome), console: [] };
}

/** What a worker process may read: its own code, isolated-vm, the mathjs bundle. Never solutions/. */
export function workerReads(): string[] {
  const reads = [require.resolve("mathjs/lib/browser/math.js"), path.join(path.dirname(require.resolve("mathjs/package.json")), "package.json")];
  try {
    reads.push(path.dirname(require.resolve("isolated-vm/package.json")));
  } catch {
    // Not installed: jobs run in the vm fallback (the grader decides and says so).
  }
  return reads;
}

const lanes: Child[] = [];
/** Jobs waiting for a lane, from every grading in flight (class grading grades several learners at once). */
const queue: { job: Job; budget?: Budget; done: (r: JobResult) => void }[] = [];
const busy = new Set<Child>();

/** What the lanes did in this process, for `npm run bench`: where a class run's time goes. */
export const laneStats = { memoryReruns: 0, attempts: 0, laneMs: 0, starvedRetries: 0, timeouts: 0, timeoutMs: 0, grownStops: 0, grownMs: 0, okMs: 0 };

/** The largest peak memory of each worker lane seen in this process, for `npm run bench`. */
export function workerPeakKb(): number[] {
  return lanes.map((l) => l.peakRssKb);
}

function addLanes(wanted?: number): number {
  const count = Math.max(1, wanted ?? os.availableParallelism());
  while (lanes.length < count) lanes.push(new Child({ entry: "run/worker.js", reads: workerReads(), addons: true, heapMb: MEMORY_LIMIT_MB, v8Flags: WORKER_V8_FLAGS, addressSpaceMb: WORKER_ADDRESS_SPACE_MB, noNetwork: true, growthLimitMb: GROWTH_LIMIT_MB }));
  return count;
}

/**
 * Start the worker processes now (a command that will grade calls this first): a worker
 * takes ~0.2 s to start (node, the permission model, isolated-vm), which then overlaps
 * with reading the notebooks and the references instead of following them.
 */
export function warmLanes(wanted?: number): void {
  for (const child of lanes.slice(0, addLanes(wanted))) child.warm();
}

/**
 * Run jobs in the lanes. With `onResult`, each result is handed over as it arrives and not
 * kept (the map returned is empty): the caller judges it and lets it go. With `budget`
 * (class grading), the jobs' time in the lanes is charged to it, no job runs past it, and
 * once it is spent the jobs not yet started come back unrun (`budgetStopped`).
 */
export async function runJobs(jobs: Job[], opts: { lanes?: number; onResult?: (key: string, r: JobResult) => void; budget?: Budget } = {}): Promise<Map<string, JobResult>> {
  const count = addLanes(opts.lanes);
  const kept = new Map<string, JobResult>();
  let failed: { error: unknown } | undefined;
  const answers = jobs.map(
    (job) =>
      new Promise<void>((done) =>
        queue.push({
          job,
          budget: opts.budget,
          done: (r) => {
            try {
              if (opts.onResult) opts.onResult(job.key, r);
              else kept.set(job.key, r);
            } catch (error) {
              // A course error while judging: every lane goes on, the caller hears of it at the end.
              failed ??= { error };
            } finally {
              done();
            }
          },
        }),
      ),
  );
  for (const child of lanes.slice(0, count)) if (!busy.has(child)) void lane(child);
  await Promise.all(answers);
  if (failed) throw failed.error;
  return kept;
}

/** One worker process answers queued jobs one at a time until the queue is empty. */
async function lane(child: Child): Promise<void> {
  busy.add(child);
  try {
    for (let next = queue.shift(); next; next = queue.shift()) next.done(await runOne(child, next.job, next.budget));
  } finally {
    busy.delete(child);
  }
}

const hasTimeout = (r: JobResult): boolean => r.cellError?.status === "timeout" || r.outcomes.some((o) => o.status === "timeout");
/** Stopped because not even the first probe was answered within the job's firstAnswerMs (class grading's short limit). */
const isStuck = (r: JobResult): boolean => r.outcomes.some((o) => o.status === "timeout" && o.stuck === true);
/**
 * Stuck while its process grew past STUCK_GROWTH_MB. A cell that fills memory inside its window
 * runs on to its whole limit, the worker lifting the window itself (window.ts): only a stop the
 * worker could not make (inside something V8 cannot interrupt) ends here, and is run again.
 */
const filledMemory = (r: JobResult): boolean => isStuck(r) && (r.windowGrowthKb ?? 0) > STUCK_GROWTH_MB * 1024;

/** One job in one lane, with its reruns (exported for tests, which hand it a stand-in for the worker process). */
export async function runOne(child: Pick<Child, "request" | "kill">, job: Job, budget: Budget | undefined): Promise<JobResult> {
  // Starved retries double the time given, not the limit the verdict names. The first answer's
  // window is CPU time (window.ts): a busy machine stretches it, never starves it.
  let given = job.budgetMs;
  let first = job.firstAnswerMs;
  let { firstAnswerMs: _short, ...whole } = job;
  let fresh = false;
  for (let starved = 0; ; ) {
    const slice = budget ? budget.start(given) : null;
    if (budget && !slice) return notRun(job);
    const granted = slice ? Math.floor(slice.grantedMs) : given;
    let r: JobResult;
    try {
      r = await runAttempt(child, { ...whole, budgetMs: granted, ...(first !== undefined ? { firstAnswerMs: Math.min(first, granted) } : {}) });
    } finally {
      if (slice) budget?.finish(slice);
    }
    if (!hasTimeout(r)) return r;
    laneStats.timeouts++;
    laneStats.timeoutMs += isStuck(r) ? Math.min(first ?? granted, granted) : granted;
    // Filling memory, not only looping: judged at the whole limit (STUCK_GROWTH_MB), unless it
    // has already grown as far as the whole limit's run would stop it (GROWTH_LIMIT_MB).
    if (filledMemory(r)) {
      if (r.windowGrowthKb! >= GROWTH_LIMIT_MB * 1024) return failedResult(job, OUT_OF_MEMORY);
      laneStats.memoryReruns++;
      first = undefined;
      continue;
    }
    // Past its deadline without its time in CPU (starved, see sandbox.ts): the machine was busy,
    // so it runs again with twice the time, and no verdict depends on the load.
    if (r.starved && starved < STARVED_RETRIES) {
      starved++;
      laneStats.starvedRetries++;
      given = job.budgetMs * 2 ** starved;
      continue;
    }
    // Out of time in an isolate the learner's earlier jobs had used: what they left there (an
    // array's constructor redefined switches off a V8 fast path for the whole isolate) can make
    // honest code slow. Once, in a fresh isolate, before the timeout counts.
    if (r.reusedIsolate && !isStuck(r) && !fresh && whole.owner !== undefined) {
      fresh = true;
      whole = { ...whole, owner: undefined };
      continue;
    }
    // Given less than it was due because the learner's budget was running out: no verdict (a
    // stuck run is one when its first answer's window was given whole).
    if (granted < given && (!isStuck(r) || (first ?? granted) > granted)) {
      budget?.markStopped();
      return { ...r, budgetStopped: true };
    }
    return isStuck(r) ? atLimit(r, first ?? granted, true) : atLimit(r, job.budgetMs, false);
  }
}

function notRun(job: Job): JobResult {
  return { key: job.key, cellError: null, outcomes: [], console: [], budgetStopped: true };
}

/**
 * Timeouts are reported against the limit the verdict rests on (not the longer time a starved
 * retry was given): the same words on every machine. One stopped at the short limit says so.
 */
function atLimit(r: JobResult, ms: number, short: boolean): JobResult {
  const fix = (o: JobResult["outcomes"][number]): JobResult["outcomes"][number] => (o.status === "timeout" ? { status: "timeout", ms, ...(short ? { stuck: true } : {}) } : o);
  return { ...r, cellError: r.cellError ? fix(r.cellError) : null, outcomes: r.outcomes.map(fix) };
}
async function runAttempt(child: Pick<Child, "request" | "kill">, job: Job): Promise<JobResult> {
  const started = performance.now();
  const a = await child.request<JobResult>(job, job.budgetMs + GRACE_MS, job.firstAnswerMs !== undefined ? job.firstAnswerMs + WINDOW_BACKSTOP_MS : undefined);
  const ms = performance.now() - started;
  laneStats.attempts++;
  laneStats.laneMs += ms;
  if (a.ok) laneStats.okMs += ms;
  if (!a.ok && a.why === "timeout" && a.grew) laneStats.grownMs += ms;
  if (a.ok) {
    let r = a.value;
    try {
      if (r && Array.isArray(r.outcomes)) r = fromWire(r);
    } catch {
      // Not what a worker writes (nested past the stack, say): it fails the fit below.
      r = undefined as unknown as JobResult;
    }
    const fits = r && r.key === job.key && Array.isArray(r.outcomes) && (r.outcomes.length === job.probes.length || (r.preludeError !== undefined && r.outcomes.length === 0));
    // An isolate stopped at its memory limit leaves its process holding that memory: the next job's
    // growth, by which a stuck cell that fills memory is told from a loop (STUCK_GROWTH_MB), would
    // be read against it, and a hoard could reuse it without growing. A fresh process instead.
    if (fits && [r.cellError, ...r.outcomes].some((o) => o?.status === "crashed" && o.why === OUT_OF_MEMORY.why)) child.kill();
    return fits ? r : failedResult(job, { status: "crashed", why: "the worker process gave an answer that does not fit the job" });
  }
  // Stopped at the deadline while holding more than the isolate may: out of memory, on every
  // machine, however loaded (a plain endless loop is stopped by V8 long before, with little memory).
  if (a.why === "timeout" && a.grew) laneStats.grownStops++;
  // The short limit's window used up in CPU time (window.ts): stuck, however busy the machine;
  // how much it grew meanwhile decides whether that is the verdict (runOne), not the size the
  // process happened to have when it was stopped.
  if (a.why === "timeout" && a.windowed && job.firstAnswerMs !== undefined) {
    const stuck = failedResult(job, { status: "timeout", ms: job.firstAnswerMs, stuck: true });
    return a.windowGrowthKb !== undefined ? { ...stuck, windowGrowthKb: a.windowGrowthKb } : stuck;
  }
  // Stopped for growing past GROWTH_LIMIT_MB, or past it when stopped: the reading at the stop
  // alone could come after V8 gave some back, so a stop for growth says so itself.
  if (a.why === "timeout" && (a.grew === true || (a.growthKb ?? 0) >= GROWTH_LIMIT_MB * 1024)) return failedResult(job, OUT_OF_MEMORY);
  if (a.why === "timeout") {
    const timedOut = failedResult(job, { status: "timeout", ms: job.budgetMs });
    // The process's hard deadline passed before it had had the CPU that deadline stands for:
    // set-up and the cell were starved by a busy machine, as in the sandbox's own timeouts.
    const deadline = job.budgetMs + GRACE_MS;
    const starved = a.cpuMs !== undefined && a.cpuMs < deadline * STARVED_SHARE;
    return starved ? { ...timedOut, starved: true } : timedOut;
  }
  return failedResult(job, { status: "crashed", why: a.oom ? OUT_OF_MEMORY.why : `the worker process stopped unexpectedly (${a.detail})` });
}
