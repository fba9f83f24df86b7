// Compilers are shared between gradings (one learner's cells, then the next's), but a grading
// whose compiler is kept busy (a cell the parser chews on for seconds, here a compiler stopped
// with SIGSTOP, the extreme of it) never holds another: after a short wait, the other grading
// starts a compiler of its own and is done while the first is still held.
import { childPids } from "./children";
import { compileLearnerCells } from "../grader/engine/compile/compile";
import { compilersStarted } from "../grader/engine/compile/compile-pool";

/** This process's compiler processes (children running compile-worker.js), from /proc. */
const compilerPids = (): number[] => childPids("compile-worker.js");
/** Compilers of other test files in this worker process: not this file's to stop. */
const atStart = new Set(compilerPids());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const linux = process.platform === "linux" ? test : test.skip;
/** A cell no earlier run compiled, so no cache can answer it. */
const freshCell = () => `// exercise: x\n// ${process.pid}-${Date.now()}-${Math.random()}\nfunction sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}`;
const verdict = (rs: { ok: boolean }[]) => rs.map((r) => (r.ok ? "compiled" : "refused"));

linux("gradings one after another share one compiler", async () => {
  const atStart = compilersStarted;
  for (let i = 0; i < 3; i++) expect(verdict(await compileLearnerCells([freshCell(), freshCell()]))).toEqual(["compiled", "compiled"]);
  expect(compilersStarted - atStart).toBeLessThanOrEqual(1);
}, 60_000);

linux("a compiler that only waits for the CPU is waited for: no second compiler is started for it", async () => {
  // Stopped for 1 s and then resumed: past COMPILER_WAIT_MS, but it spent no CPU on the grading
  // it holds, as a compiler below the workers' priority on a busy machine. Loading TypeScript
  // again in another process would cost more than the wait.
  // Right after the test above: one compiler, idle. The first grading takes it, the second waits.
  await compileLearnerCells([freshCell()]);
  const pids = compilerPids().filter((p) => !atStart.has(p));
  expect(pids).toHaveLength(1);
  const startedBefore = compilersStarted;
  for (const pid of pids) process.kill(pid, "SIGSTOP");
  const first = compileLearnerCells([freshCell()]);
  const second = compileLearnerCells([freshCell()]);
  await sleep(1000);
  for (const pid of pids) process.kill(pid, "SIGCONT");
  expect([verdict(await first), verdict(await second)]).toEqual([["compiled"], ["compiled"]]);
  expect(compilersStarted).toBe(startedBefore);
}, 60_000);

linux("a grading whose compiler is held does not hold the next one: it gets a compiler of its own", async () => {
  const before = new Set(compilerPids());
  // The shared compiler, idle now, is stopped: the next grading to take it is held until it is resumed.
  await compileLearnerCells([freshCell()]);
  const held = compilerPids();
  expect(held.length).toBeGreaterThan(0);
  for (const pid of held) process.kill(pid, "SIGSTOP");
  let firstDone = false;
  const first = compileLearnerCells([freshCell()]).then((r) => {
    firstDone = true;
    return r;
  });
  const startedBefore = compilersStarted;
  const second = await Promise.race([compileLearnerCells([freshCell(), freshCell()]), sleep(60_000).then(() => "still waiting" as const)]);
  // Resumed whatever happened, so the first grading (and this file) can end.
  const stillHeld = firstDone;
  for (const pid of held) {
    try {
      process.kill(pid, "SIGCONT");
    } catch {
      // stopped at its deadline meanwhile
    }
  }
  expect(second === "still waiting" ? second : verdict(second)).toEqual(["compiled", "compiled"]);
  expect(stillHeld).toBe(false);
  expect(compilersStarted).toBe(startedBefore + 1);
  expect(compilerPids().some((p) => !before.has(p) && !held.includes(p))).toBe(true);
  expect(verdict(await first)).toEqual(["compiled"]);
}, 120_000);

test("a grading's cells, compiled once, are read back together by a later run: no compiler started", async () => {
  const cells = [freshCell(), freshCell(), "// exercise: x\nfunction (((", freshCell()];
  const first = await compileLearnerCells(cells);
  expect(verdict(first)).toEqual(["compiled", "compiled", "refused", "compiled"]);
  // A later run: a process of its own, with nothing in memory.
  await jest.isolateModulesAsync(async () => {
    const later = await import("../grader/engine/compile/compile");
    const pool = await import("../grader/engine/compile/compile-pool");
    expect(await later.compileLearnerCells(cells)).toEqual(first);
    expect(pool.compilersStarted).toBe(0);
  });
}, 60_000);
