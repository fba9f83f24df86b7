// A function that keeps one array outside itself and refills it on every call answers each call
// rightly, one at a time, and still breaks its callers: the next call overwrites the answer a
// caller kept (network-forward keeps every layer's activations). The harness remembers which
// objects a batch's calls answered with; a right answer that is an earlier call's object, changed
// since, fails with that cause (harness.ts reusedAnswer, judge.ts reusedFailure).
import * as path from "node:path";
import { installHarness } from "../grader/engine/run/harness";
import { REUSED_ANSWER } from "../grader/engine/judge/judge";
import { encodeArg, type Arg } from "../grader/engine/judge/values";
import { gradePaths, master, tempDir, withExerciseCell } from "./helpers";

async function gradeCell(slug: string, id: string, body: string) {
  const file = withExerciseCell(master(slug), id, body, path.join(tempDir(), `${slug}.ipynb`));
  const report = await gradePaths([file], { only: [id] });
  return report.results.find((r) => r.id === id)!;
}

test("layerForward filling one array kept outside it fails, naming the earlier call whose answer it overwrote", async () => {
  const r = await gradeCell(
    "03-many-neurons",
    "layer-forward",
    "const out: number[] = [];\nfunction layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  out.length = 0;\n  for (let j = 0; j < W.length; j++) out.push(sigmoid(W[j].reduce((s, w, k) => s + w * aPrev[k], b[j])));\n  return out;\n}",
  );
  expect(r.status).toBe("failed");
  expect(r.likelyCause).toBe(REUSED_ANSWER);
  expect(r.failures[0].actual).toMatch(/^this answer is the same object as the call layerForward\(.*\).* gave as its answer; that earlier answer changed when this call ran$/);
  expect(r.hint).toMatch(/^Create the answer inside the function/);
});

test("chainForward refilling one list of activations fails the same way", async () => {
  const r = await gradeCell(
    "02-chain-rule",
    "chain-forward",
    "const acts: number[] = [];\nfunction chainForward(x: number, ws: number[], bs: number[]): number[] {\n  acts.length = 0;\n  acts.push(x);\n  for (let i = 0; i < ws.length; i++) acts.push(sigmoid(ws[i] * acts[i] + bs[i]));\n  return acts;\n}",
  );
  expect([r.status, r.likelyCause]).toEqual(["failed", REUSED_ANSWER]);
});

test("the same object for the same arguments (a memo keyed by all of them) is no reuse", async () => {
  const memo = await gradeCell(
    "03-many-neurons",
    "layer-forward",
    "const memo = new Map<string, number[]>();\nfunction layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  const key = JSON.stringify([W, aPrev, b]);\n  if (!memo.has(key)) memo.set(key, W.map((row, j) => sigmoid(row.reduce((s, w, k) => s + w * aPrev[k], b[j]))));\n  return memo.get(key)!;\n}",
  );
  expect(memo.status).toBe("passed");
});

describe("in the harness", () => {
  interface Harness {
    dispatchAll(input: string, offset?: number): string;
  }
  const g: { __bp?: Harness } = {};
  installHarness(g);
  // The harness reads a probe's function by name from the global scope (as a cell defines it).
  const host = globalThis as { __reusedProbe?: unknown };
  const batch = (calls: unknown[][]) => JSON.parse(g.__bp!.dispatchAll(JSON.stringify(calls.map((args) => ({ name: "__reusedProbe", argsJson: JSON.stringify(args.map((a) => encodeArg(a as Arg))) }))))) as { reused?: unknown }[];

  test("an object answered again, unchanged (a shared constant), or for the same arguments, is not flagged; one refilled for other arguments is, with where", () => {
    const EMPTY = Object.freeze([] as number[]);
    host.__reusedProbe = (n: number) => (n === 0 ? EMPTY : [n]);
    expect(batch([[0], [1], [0]]).map((a) => a.reused)).toEqual([undefined, undefined, undefined]);
    const buffer: number[] = [];
    host.__reusedProbe = (n: number) => {
      buffer[0] = n;
      return buffer;
    };
    expect(batch([[1], [1], [2]]).map((a) => a.reused)).toEqual([undefined, undefined, { probe: 1, path: "", earlierPath: "" }]);
    const rows = [[0], [0]];
    host.__reusedProbe = (n: number) => {
      rows[1][0] = n;
      return { weights: rows[1] };
    };
    expect(batch([[1], [2]]).map((a) => a.reused)).toEqual([undefined, { probe: 0, path: ".weights", earlierPath: ".weights" }]);
  });
});
