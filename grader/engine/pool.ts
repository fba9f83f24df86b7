// Run jobs in sandbox processes, one lane per core (see child.ts for what a
// sandbox process may do). Each job already has a deadline inside V8; the pool
// adds the hard one: a job that has not answered by its budget plus a grace
// period, or whose process dies, gets an outcome saying so, the process is
// replaced, and the remaining jobs go on. Lanes are kept between gradings (a
// class is graded in chunks) and never keep the grader alive.
import * as os from "node:os";
import * as path from "node:path";
import { Child } from "./child";
import type { Job, JobResult } from "./job";
import { MEMORY_LIMIT_MB } from "./realm";

const GRACE_MS = 1500;

function failedResult(job: Job, outcome: JobResult["outcomes"][number]): JobResult {
  return { key: job.key, cellError: outcome, outcomes: job.probes.map(() => outcome), console: [] };
}

/** What a sandbox process may read: its own code, isolated-vm, the mathjs bundle. Never solutions/. */
function sandboxReads(): string[] {
  const reads = [require.resolve("mathjs/lib/browser/math.js"), path.join(path.dirname(require.resolve("mathjs/package.json")), "package.json")];
  try {
    reads.push(path.dirname(require.resolve("isolated-vm/package.json")));
  } catch {
    // Not installed: jobs run in the vm fallback (the grader decides and says so).
  }
  return reads;
}

const lanes: Child[] = [];

/** The largest peak memory of each sandbox lane seen in this process, for `npm run bench`. */
export function sandboxPeakKb(): number[] {
  return lanes.map((l) => l.peakRssKb);
}

export async function runJobs(jobs: Job[], opts: { lanes?: number } = {}): Promise<Map<string, JobResult>> {
  const results = new Map<string, JobResult>();
  const queue = jobs.slice();
  const count = Math.max(1, Math.min(opts.lanes ?? os.availableParallelism(), queue.length));
  while (lanes.length < count) lanes.push(new Child({ entry: "worker.js", reads: sandboxReads(), addons: true, heapMb: MEMORY_LIMIT_MB }));

  async function lane(child: Child): Promise<void> {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const a = await child.request<JobResult>(job, job.budgetMs + GRACE_MS);
      if (a.ok && a.value && a.value.key === job.key && Array.isArray(a.value.outcomes) && a.value.outcomes.length === job.probes.length) {
        results.set(job.key, a.value);
      } else if (a.ok) {
        results.set(job.key, failedResult(job, { status: "crashed", why: "the sandbox gave an answer that does not fit the job" }));
      } else if (a.why === "timeout") {
        results.set(job.key, failedResult(job, { status: "timeout", ms: job.budgetMs }));
      } else {
        const why = a.oom ? `it used more than ${MEMORY_LIMIT_MB} MB of memory` : `the sandbox stopped unexpectedly (${a.detail})`;
        results.set(job.key, failedResult(job, { status: "crashed", why }));
      }
    }
  }

  await Promise.all(lanes.slice(0, count).map(lane));
  return results;
}
