// A compile's verdict never rests on the machine either: a compiler process that gets no
// CPU past its deadline (SIGSTOP, the extreme of a loaded machine), or is killed from
// outside (an OOM killer, an operator), must not get a correct cell refused, nor such a
// refusal remembered in the compile cache for later runs.
import { childPids } from "./children";
import { compileLearnerCells } from "../grader/engine/compile/compile";

/** This process's compiler processes (children running compile-worker.js), from /proc. */
const compilerPids = (): number[] => childPids("compile-worker.js");

/** Compilers of other test files in this worker process: not this file's to stop. */
const atStart = new Set(compilerPids());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const linux = process.platform === "linux" ? test : test.skip;
/** A cell no earlier run compiled, so the compile cache cannot answer it. */
const freshCell = () => `// exercise: x\n// ${process.pid}-${Date.now()}-${Math.random()}\nfunction sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}`;

/** The compiler compiling now: this process keeps one and reuses it, so a new one or the one there was. */
async function theCompiler(before: Set<number>): Promise<number> {
  for (let i = 0; i < 600; i++) {
    const pids = compilerPids();
    const pid = pids.find((p) => !before.has(p)) ?? (pids.length === 1 ? pids[0] : undefined);
    if (pid !== undefined) return pid;
    await sleep(10);
  }
  throw new Error("no compiler process appeared");
}

linux("a compiler killed from outside while it works: the cell is compiled in a fresh one", async () => {
  const source = freshCell();
  const before = new Set(compilerPids());
  const compiling = compileLearnerCells([source]);
  process.kill(await theCompiler(before), "SIGKILL");
  const [r] = await compiling;
  expect(r.ok ? "compiled" : r.problems[0].message).toBe("compiled");
}, 60_000);

linux("a compiler stopped past the compile deadline (13 s): the cell is compiled once it gets the CPU, and passes", async () => {
  // This file's compiler, idle after a first compile, is stopped before the cell is sent to it:
  // the compile cannot finish before the stop, whatever the machine's speed.
  await compileLearnerCells([freshCell()]);
  const mine = compilerPids().filter((p) => !atStart.has(p));
  expect(mine.length).toBeGreaterThan(0);
  for (const pid of mine) process.kill(pid, "SIGSTOP");
  const compiling = compileLearnerCells([freshCell()]);
  await sleep(15_000);
  for (const pid of mine) {
    try {
      process.kill(pid, "SIGCONT");
    } catch {
      // killed at the deadline, as expected
    }
  }
  const [r] = await compiling;
  expect(r.ok ? "compiled" : r.problems[0].message).toBe("compiled");
}, 120_000);
