// A timeout in an isolate that served the learner's earlier jobs is run once more in a fresh
// isolate before it counts (pool.ts runOne): what an earlier cell left in the isolate (an
// array's constructor redefined switches off a V8 fast path for the whole isolate) can make
// honest code slow. The slowdown itself is a matter of timing, so the lane is tested here
// with a stand-in for the worker process that answers as a worker would.
import type { Job, JobResult } from "../grader/engine/run/job";
import { runOne } from "../grader/engine/run/pool";
import type { ChildAnswer } from "../grader/engine/run/child";

const job: Job = { key: "k", budgetMs: 1000, boundary: "isolate", owner: "learner A", prelude: [], learner: { compiled: { js: "", lineMap: [], names: [] }, filename: "cell" }, probes: [{ name: "f", argsJson: "[]" }] };

const timedOut = (reused: boolean): JobResult => ({ key: "k", cellError: null, outcomes: [{ status: "timeout", ms: 1000 }], console: [], ...(reused ? { reusedIsolate: true as const } : {}) });
const answered: JobResult = { key: "k", cellError: null, outcomes: [{ status: "ok", value: 1, mutated: false }], console: [] };

/** A worker that gives `answers` in turn, and keeps the jobs it was asked. */
function worker(answers: JobResult[]) {
  const asked: Job[] = [];
  return {
    asked,
    kill: () => {},
    request: <T>(message: unknown): Promise<ChildAnswer<T>> => {
      asked.push(message as Job);
      const value = answers[asked.length - 1];
      if (!value) throw new Error(`asked ${asked.length} times, ${answers.length} answers prepared`);
      return Promise.resolve({ ok: true, value: value as unknown as T });
    },
  };
}

test("a timeout in a reused isolate runs once more, without an owner (a fresh isolate); its answer counts", async () => {
  const w = worker([timedOut(true), answered]);
  const r = await runOne(w, job, undefined);
  expect(r.outcomes[0]).toEqual({ status: "ok", value: 1, mutated: false });
  expect(w.asked).toHaveLength(2);
  expect(w.asked[0].owner).toBe("learner A");
  expect(w.asked[1].owner).toBeUndefined();
});

test("a timeout in a fresh isolate counts at once; one that times out again after the rerun counts too", async () => {
  const fresh = worker([timedOut(false)]);
  expect((await runOne(fresh, job, undefined)).outcomes[0]).toEqual({ status: "timeout", ms: 1000 });
  expect(fresh.asked).toHaveLength(1);
  const twice = worker([timedOut(true), timedOut(false)]);
  expect((await runOne(twice, job, undefined)).outcomes[0]).toEqual({ status: "timeout", ms: 1000 });
  expect(twice.asked).toHaveLength(2);
});

test("a job with no owner never had an earlier job's isolate: no rerun", async () => {
  const w = worker([timedOut(true)]);
  const { owner: _owner, ...ownerless } = job;
  expect((await runOne(w, ownerless, undefined)).outcomes[0].status).toBe("timeout");
  expect(w.asked).toHaveLength(1);
});
