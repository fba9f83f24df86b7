// Worker thread entry: answers jobs one by one. A learner's runaway loop or
// memory blow-up kills this thread, never the grader (see pool.ts).
import { parentPort } from "node:worker_threads";
import { runJob, type Job } from "./job";

parentPort?.on("message", (job: Job) => {
  parentPort?.postMessage(runJob(job));
});
