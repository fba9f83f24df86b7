// One learner's jobs share an isolate (realm.ts: a fresh context per job in a warm isolate
// costs a tenth of a new isolate), and share nothing else: each job's globals, intrinsics
// and hardening are its own; jobs of another owner, or after a job that ran out of time,
// get a new isolate.
import { compileCell } from "../grader/engine/compile/compile";
import { runJob, type Job } from "../grader/engine/run/job";
import { isolateAvailable, isolatesCreated } from "../grader/engine/run/realm";

const testIsolate = isolateAvailable() ? test : test.skip;

let n = 0;
/** A job whose learner cell is `source`, asking `fn()` once. */
function job(source: string, owner: string | undefined, fn = "probe"): Job {
  const cell = compileCell(`// exercise: x\n${source}`);
  if (!cell.ok) throw new Error(cell.problems[0].message);
  return { key: `reuse-${n++}`, budgetMs: 1000, boundary: "isolate", owner, prelude: [], learner: { compiled: cell.compiled, filename: "cell" }, probes: [{ name: fn, argsJson: "[]" }] };
}

function answer(j: Job): unknown {
  const r = runJob(j);
  const o = r.outcomes[0];
  return o.status === "ok" ? o.value : o.status === "threw" ? o.error.message : o.status;
}

testIsolate("jobs of one owner run in one isolate, each in a context of its own: nothing one job leaves is seen by the next", () => {
  const before = isolatesCreated;
  const leaver = `(globalThis as any).leak = "left over";
var topLevel = 1;
try { (Array.prototype as any).extra = 1; } catch {}
try { (Math as any).max = () => 0; } catch {}
function probe(): string { return "ran"; }`;
  expect(answer(job(leaver, "learner A"))).toBe("ran");
  const looker = `function probe(): string {
  return [typeof (globalThis as any).leak, typeof (globalThis as any).topLevel, typeof ([] as any).extra, Math.max(1, 2), typeof FinalizationRegistry].join(",");
}`;
  expect(answer(job(looker, "learner A"))).toBe("undefined,undefined,undefined,2,undefined");
  // Both jobs in one new isolate (the first may have been the only one created).
  expect(isolatesCreated - before).toBe(1);
});

testIsolate("another owner, no owner, or a job that ran out of time: a new isolate", () => {
  const ok = "function probe(): number { return 1; }";
  answer(job(ok, "learner B"));
  let before = isolatesCreated;
  answer(job(ok, "learner B"));
  expect(isolatesCreated - before).toBe(0);
  answer(job(ok, "learner C"));
  expect(isolatesCreated - before).toBe(1);
  before = isolatesCreated;
  answer(job(ok, undefined));
  answer(job(ok, undefined));
  expect(isolatesCreated - before).toBe(2);
  // A loop of promise callbacks that never ends: stopped at the deadline, and its isolate is dropped.
  before = isolatesCreated;
  expect(answer(job("function probe(): number { const spin = (): Promise<void> => Promise.resolve().then(spin); spin(); while (true) {} }", "learner D"))).toBe("Script execution timed out.");
  expect(answer(job(ok, "learner D"))).toBe(1);
  expect(isolatesCreated - before).toBe(2);
});
