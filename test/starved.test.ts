// A verdict never rests on how busy the machine is: a worker process that gets no CPU
// (here: stopped with SIGSTOP, the extreme of a loaded machine) past its job's deadlines
// must not turn a cell that needs a fraction of its time limit into a timeout. The job is
// run again with more time; an endless loop would still time out (sandbox.test.ts).
import { childPids } from "./children";
import { compileCell } from "../grader/engine/compile/compile";
import type { Job } from "../grader/engine/run/job";
import { runJobs } from "../grader/engine/run/pool";

/** This process's grading workers (children running worker.js), from /proc. */
const workerPids = (): number[] => childPids("worker.js");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const linux = process.platform === "linux" ? test : test.skip;

linux("a worker stopped past the job's hard deadline gets its job run again, and the cell that needed 0.3 s of its 1 s passes", async () => {
  // 0.3 s of wall time in the cell, well inside its 1 s limit once it runs.
  const cell = compileCell("// exercise: x\nconst t0 = performance.now();\nwhile (performance.now() - t0 < 300) {}");
  if (!cell.ok) throw new Error(cell.problems[0].message);
  const job: Job = { key: "starved", budgetMs: 1000, boundary: "isolate", prelude: [], learner: { compiled: cell.compiled, filename: "cell" }, probes: [] };
  const before = new Set(workerPids());
  const running = runJobs([job], { lanes: 1 });
  // Wait for the job's worker, let it start, then give it no CPU until its hard deadline
  // (1 s + the pool's grace) has passed.
  let pid: number | undefined;
  for (let i = 0; i < 600 && pid === undefined; i++) {
    pid = workerPids().find((p) => !before.has(p));
    if (pid === undefined) await sleep(50);
  }
  if (pid === undefined) throw new Error("no worker process appeared");
  await sleep(200);
  process.kill(pid, "SIGSTOP");
  await sleep(8_000);
  try {
    process.kill(pid, "SIGCONT");
  } catch {
    // killed at the hard deadline, as expected
  }
  const r = (await running).get("starved")!;
  expect(r.cellError).toBeNull();
}, 120_000);
