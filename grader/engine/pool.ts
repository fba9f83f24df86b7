// Run jobs in child processes, one per core. Each job already has a deadline
// inside V8 (vm timeout); the pool adds the hard ones: a job that has not
// answered by its budget plus a grace period, or whose process dies (out of
// memory: even a single allocation too large for the heap aborts V8, which in a
// worker thread would take the whole grader down), gets an outcome saying so,
// the process is replaced, and the remaining jobs go on.
import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Job, JobResult } from "./job";
import { repoRoot } from "./paths";

const GRACE_MS = 1500;
// Exercises need a few MB; a runaway allocation should hit the ceiling (and free its process) quickly.
export const MEMORY_LIMIT_MB = 256;

function workerFile(): string {
  const sibling = path.join(__dirname, "worker.js");
  if (fs.existsSync(sibling)) return sibling;
  // Under Jest this file is TypeScript; the sandbox process runs the compiled copy.
  const built = path.join(repoRoot, "dist", "grader", "engine", "worker.js");
  if (!fs.existsSync(built)) throw new Error("backprop-lab: dist/ is missing; run `npm run build` first");
  return built;
}

function failedResult(job: Job, outcome: JobResult["outcomes"][number]): JobResult {
  return { key: job.key, cellError: outcome, outcomes: job.probes.map(() => outcome), console: [] };
}

function startSandbox(file: string): { child: ChildProcess; stderr: () => string } {
  const child = fork(file, [], {
    execArgv: [`--max-old-space-size=${MEMORY_LIMIT_MB}`],
    serialization: "advanced",
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let err = "";
  child.stderr?.on("data", (d: Buffer) => {
    if (err.length < 20_000) err += d.toString();
  });
  return { child, stderr: () => err };
}

/** The largest peak memory of each sandbox lane seen in this process, for `npm run bench`. */
export const sandboxPeakKb: number[] = [];

export async function runJobs(jobs: Job[], opts: { threads?: number } = {}): Promise<Map<string, JobResult>> {
  const results = new Map<string, JobResult>();
  const queue = jobs.slice();
  const lanes = Math.max(1, Math.min(opts.threads ?? os.availableParallelism(), queue.length));
  const file = workerFile();

  async function lane(index: number): Promise<void> {
    let sandbox: ReturnType<typeof startSandbox> | null = null;
    try {
      for (let job = queue.shift(); job; job = queue.shift()) {
        sandbox ??= startSandbox(file);
        const { child, stderr } = sandbox;
        const current = job;
        const result = await new Promise<JobResult>((resolve) => {
          const timer = setTimeout(() => {
            cleanup();
            child.kill("SIGKILL");
            sandbox = null;
            resolve(failedResult(current, { status: "timeout", ms: current.budgetMs }));
          }, current.budgetMs + GRACE_MS);
          const onMessage = (r: JobResult) => {
            cleanup();
            resolve(r);
          };
          const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
            cleanup();
            sandbox = null;
            const oom = /heap out of memory|Reached heap limit|Allocation failed/.test(stderr());
            const why = oom ? `it used more than ${MEMORY_LIMIT_MB} MB of memory` : `the sandbox stopped unexpectedly (${signal ?? `exit code ${code}`})`;
            resolve(failedResult(current, { status: "crashed", why }));
          };
          function cleanup(): void {
            clearTimeout(timer);
            child.off("message", onMessage);
            child.off("exit", onExit);
          }
          child.on("message", onMessage);
          child.on("exit", onExit);
          child.send(current);
        });
        results.set(result.key, result);
        sandboxPeakKb[index] = Math.max(sandboxPeakKb[index] ?? 0, result.maxRssKb ?? 0);
      }
    } finally {
      const s = sandbox as ReturnType<typeof startSandbox> | null;
      if (s) {
        s.child.disconnect();
        s.child.kill();
      }
    }
  }

  await Promise.all(Array.from({ length: lanes }, (_, i) => lane(i)));
  return results;
}
