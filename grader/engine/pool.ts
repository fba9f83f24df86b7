// Run jobs in worker processes, one lane per core (see child.ts for what a
// worker process may do). Each job already has a deadline inside V8; the pool
// adds the hard one: a job that has not answered by its budget plus a grace
// period, or whose process dies, gets an outcome saying so, the process is
// replaced, and the remaining jobs go on. Lanes are kept between gradings (a
// class is graded in chunks) and never keep the grader alive.
import * as os from "node:os";
import * as path from "node:path";
import { Child } from "./child";
import type { Job, JobResult } from "./job";
import { MEMORY_LIMIT_MB, STARVED_SHARE } from "./realm";

// V8 stops a running cell at its budget by itself; the hard deadline is for what it
// cannot interrupt. The slowest such case is an isolate at its memory limit: V8 collects
// garbage again and again before it gives up (about 1 s on an idle machine, several on a
// loaded one), so the grace is wide enough for that to end as what it is, out of memory.
const GRACE_MS = 6000;

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
/** Jobs waiting for a lane, from every grading in flight (class grading runs two chunks at once). */
const queue: { job: Job; done: (r: JobResult) => void }[] = [];
const busy = new Set<Child>();

/** The largest peak memory of each worker lane seen in this process, for `npm run bench`. */
export function workerPeakKb(): number[] {
  return lanes.map((l) => l.peakRssKb);
}

/**
 * Run jobs in the lanes. With `onResult`, each result is handed over as it arrives and not
 * kept (the map returned is empty): the caller judges it and lets it go.
 */
export async function runJobs(jobs: Job[], opts: { lanes?: number; onResult?: (key: string, r: JobResult) => void } = {}): Promise<Map<string, JobResult>> {
  const count = Math.max(1, opts.lanes ?? os.availableParallelism());
  while (lanes.length < count) lanes.push(new Child({ entry: "worker.js", reads: workerReads(), addons: true, heapMb: MEMORY_LIMIT_MB }));
  const kept = new Map<string, JobResult>();
  let failed: { error: unknown } | undefined;
  const answers = jobs.map(
    (job) =>
      new Promise<void>((done) =>
        queue.push({
          job,
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
    for (let next = queue.shift(); next; next = queue.shift()) next.done(await runOne(child, next.job));
  } finally {
    busy.delete(child);
  }
}

/**
 * A job whose deadline passed on a busy machine (its code had not had its time in CPU:
 * starved, see sandbox.ts) runs again with twice the time, up to this many times: no
 * verdict depends on how loaded the machine is.
 */
const STARVED_RETRIES = 3;

async function runOne(child: Child, job: Job): Promise<JobResult> {
  for (let attempt = 0; ; attempt++) {
    const r = await runAttempt(child, attempt === 0 ? job : { ...job, budgetMs: job.budgetMs * 2 ** attempt });
    if (!r.starved || attempt === STARVED_RETRIES) return attempt === 0 ? r : sameLimit(r, job.budgetMs);
  }
}

/** A retried job's timeouts are reported against the exercise's own time limit: the same words on every machine. */
function sameLimit(r: JobResult, budgetMs: number): JobResult {
  const fix = (o: JobResult["outcomes"][number]) => (o.status === "timeout" ? { ...o, ms: budgetMs } : o);
  return { ...r, cellError: r.cellError ? fix(r.cellError) : null, outcomes: r.outcomes.map(fix) };
}

async function runAttempt(child: Child, job: Job): Promise<JobResult> {
  const a = await child.request<JobResult>(job, job.budgetMs + GRACE_MS);
  if (a.ok) {
    const r = a.value;
    const fits = r && r.key === job.key && Array.isArray(r.outcomes) && (r.outcomes.length === job.probes.length || (r.preludeError !== undefined && r.outcomes.length === 0));
    return fits ? r : failedResult(job, { status: "crashed", why: "the worker process gave an answer that does not fit the job" });
  }
  // Stopped at the deadline while holding more than the isolate may: out of memory, on every
  // machine, however loaded (a plain endless loop is stopped by V8 long before, with little memory).
  if (a.why === "timeout" && (a.rssKb ?? 0) >= MEMORY_LIMIT_MB * 1024) return failedResult(job, { status: "crashed", why: `it used more than ${MEMORY_LIMIT_MB} MB of memory` });
  if (a.why === "timeout") {
    const timedOut = failedResult(job, { status: "timeout", ms: job.budgetMs });
    // The process's hard deadline passed before it had had the CPU that deadline stands for:
    // set-up and the cell were starved by a busy machine, as in the sandbox's own timeouts.
    const deadline = job.budgetMs + GRACE_MS;
    const starved = a.cpuMs !== undefined && a.cpuMs < deadline * STARVED_SHARE;
    return starved ? { ...timedOut, starved: true } : timedOut;
  }
  return failedResult(job, { status: "crashed", why: a.oom ? `it used more than ${MEMORY_LIMIT_MB} MB of memory` : `the worker process stopped unexpectedly (${a.detail})` });
}
