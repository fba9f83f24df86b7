// Run jobs on worker threads. Each job already has a deadline inside V8 (vm
// timeout); the pool adds a hard one: a job that has not answered by its budget
// plus a grace period, or whose thread dies (out of memory), gets an outcome
// saying so, the thread is replaced, and the remaining jobs go on.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { Job, JobResult } from "./job";
import { repoRoot } from "./paths";

const GRACE_MS = 1500;
// Exercises need a few MB; a runaway allocation should hit the ceiling (and free its thread) quickly.
const MEMORY_LIMIT_MB = 256;

function workerFile(): string {
  const sibling = path.join(__dirname, "worker.js");
  if (fs.existsSync(sibling)) return sibling;
  // Under Jest this file is TypeScript; the worker runs the compiled copy.
  const built = path.join(repoRoot, "dist", "grader", "engine", "worker.js");
  if (!fs.existsSync(built)) throw new Error("backprop-lab: dist/ is missing; run `npm run build` first");
  return built;
}

function failedResult(job: Job, outcome: JobResult["outcomes"][number]): JobResult {
  return { key: job.key, cellError: outcome, outcomes: job.probes.map(() => outcome), console: [] };
}

export async function runJobs(jobs: Job[], opts: { threads?: number } = {}): Promise<Map<string, JobResult>> {
  const results = new Map<string, JobResult>();
  const queue = jobs.slice();
  const threads = Math.max(1, Math.min(opts.threads ?? os.availableParallelism(), queue.length));
  const file = workerFile();

  async function lane(): Promise<void> {
    let worker: Worker | null = null;
    try {
      for (let job = queue.shift(); job; job = queue.shift()) {
        worker ??= new Worker(file, { resourceLimits: { maxOldGenerationSizeMb: MEMORY_LIMIT_MB } });
        const w: Worker = worker;
        const result = await new Promise<JobResult>((resolve) => {
          const current = job!;
          const timer = setTimeout(() => {
            cleanup();
            void w.terminate();
            worker = null;
            resolve(failedResult(current, { status: "timeout", ms: current.budgetMs }));
          }, current.budgetMs + GRACE_MS);
          const onMessage = (r: JobResult) => {
            cleanup();
            resolve(r);
          };
          const onError = (e: Error) => {
            cleanup();
            worker = null;
            const oom = (e as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY";
            resolve(failedResult(current, { status: "crashed", why: oom ? `it used more than ${MEMORY_LIMIT_MB} MB of memory` : `the sandbox crashed (${e.message})` }));
          };
          const onExit = (code: number) => {
            cleanup();
            worker = null;
            resolve(failedResult(current, { status: "crashed", why: `the sandbox stopped unexpectedly (exit code ${code})` }));
          };
          function cleanup(): void {
            clearTimeout(timer);
            w.off("message", onMessage);
            w.off("error", onError);
            w.off("exit", onExit);
          }
          w.on("message", onMessage);
          w.on("error", onError);
          w.on("exit", onExit);
          w.postMessage(current);
        });
        results.set(result.key, result);
      }
    } finally {
      if (worker) await (worker as Worker).terminate();
    }
  }

  await Promise.all(Array.from({ length: threads }, lane));
  return results;
}
