// The grader's end of a helper process's channel (grader/engine/run/child.ts) when the process
// says several things at once and the grader stops it on the first of them. Node reads every
// message of one chunk before it delivers any: if the grader stops listening and closes the
// channel while handling the first, Node's own code then failed on the next one with
// "Cannot read properties of null (reading 'Symbol(kPendingMessages)')", an uncaught
// exception that ended the whole class run (seen once in CI, on a hostile learner's cell).
// Each case runs in a process of its own, so such a crash fails the case instead of Jest's worker.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { WINDOW_OPEN, WINDOW_SPENT } from "../grader/engine/run/window";
import { root, tempDir } from "./helpers";

/** Grade one request against a helper process whose every reply is `burst` (sent in one go), and return what the grader made of it. */
function requestAgainst(burst: string): { code: number | null; stderr: string; answer: unknown } {
  const dir = tempDir("bp-channel-");
  const worker = path.join(dir, "worker.js");
  fs.writeFileSync(worker, `process.on("message", (m) => { ${burst} });\n`);
  const engine = path.join(root, "dist", "grader", "engine");
  const script = `
    const { Child } = require(${JSON.stringify(path.join(engine, "run", "child.js"))});
    const child = new Child({ entry: ${JSON.stringify(path.relative(engine, worker))}, reads: [${JSON.stringify(worker)}], addons: false, heapMb: 64 });
    child.request({ job: 1 }, 10000, 1000).then((a) => process.stdout.write(JSON.stringify(a)));`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 });
  return { code: r.status, stderr: r.stderr, answer: r.stdout ? JSON.parse(r.stdout) : undefined };
}

test("a worker that says its window is spent and answers in the same breath is stopped, and the grader goes on", () => {
  const r = requestAgainst(`
    process.send({ seq: m.seq, note: ${JSON.stringify(WINDOW_OPEN)} });
    process.send({ seq: m.seq, note: ${JSON.stringify(WINDOW_SPENT)} });
    process.send({ seq: m.seq, value: "an answer after the stop" });`);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.answer).toMatchObject({ ok: false, why: "timeout", windowed: true });
});

test("a worker that answers out of turn and then in turn, in one go, is stopped as out of turn, and the grader goes on", () => {
  const r = requestAgainst(`
    process.send({ seq: m.seq + 1, value: "forged" });
    process.send({ seq: m.seq, value: "real" });`);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  expect(r.answer).toEqual({ ok: false, why: "died", oom: false, detail: "an answer out of turn" });
});
