// Sandbox process entry: answers jobs one by one. A learner's runaway loop,
// memory blow-up or anything that brings V8 down ends this process, never the
// grader (see pool.ts).
import { runJob, type Job } from "./job";

process.on("message", (job: Job) => {
  process.send?.({ ...runJob(job), maxRssKb: process.resourceUsage().maxRSS });
});
