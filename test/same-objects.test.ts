// Answers kept by the object that holds the arguments (a WeakMap keyed by the network) are right
// on every check that passes new objects, and stale for a caller that updates its network in
// place and asks again. Every random check and gradient check therefore asks one visible call
// again on the objects of another, made just before it and refilled in place (harness.ts refill):
// such a memo fails with a cause that says so; a function that computes afresh passes.
// Also here: hidden checks come after every visible one, so nothing a hidden call was given can
// come back as a visible answer.
import * as path from "node:path";
import { course } from "../exercises";
import { expandChecks } from "../grader/engine/course/cases";
import { SAME_OBJECTS_LABEL, SAME_OBJECTS_STALE } from "../grader/engine/course/spec";
import { installHarness } from "../grader/engine/run/harness";
import { encodeArg, type Arg } from "../grader/engine/judge/values";
import { gradePaths, master, tempDir, withExerciseCell } from "./helpers";

async function gradeCell(slug: string, id: string, body: string) {
  const file = withExerciseCell(master(slug), id, body, path.join(tempDir(), `${slug}.ipynb`));
  const report = await gradePaths([file], { only: [id] });
  return report.results.find((r) => r.id === id)!;
}

const LAYER = "W.map((row, j) => sigmoid(row.reduce((s, w, k) => s + w * aPrev[k], b[j])))";

test.each([
  ["a WeakMap keyed by aPrev", `const memo = new WeakMap<number[], number[]>();\nfunction layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  if (!memo.has(aPrev)) memo.set(aPrev, ${LAYER});\n  return memo.get(aPrev)!;\n}`],
  ["a Map keyed by W", `const memo = new Map<unknown, number[]>();\nfunction layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  if (!memo.has(W)) memo.set(W, ${LAYER});\n  return memo.get(W)!;\n}`],
])("layerForward with %s fails, saying the answer is kept by the object", async (_what, body) => {
  const r = await gradeCell("03-many-neurons", "layer-forward", body);
  expect(r.status).toBe("failed");
  expect(r.failures.map((f) => f.label.startsWith(SAME_OBJECTS_LABEL))).toContain(true);
  expect(r.likelyCause).toBe(SAME_OBJECTS_STALE.cause);
  expect(r.hint).toBe(SAME_OBJECTS_STALE.causeHint);
});

test("backprop memoised by the network object fails its gradient check on the refilled network", async () => {
  const r = await gradeCell(
    "03-many-neurons",
    "backprop",
    "const memo = new WeakMap<Network, Gradients>();\nconst plain = (net: Network, x: number[], y: number[]): Gradients => {\n  const acts = networkForward(net, x);\n  const L = net.weights.length;\n  const weights: number[][][] = [];\n  const biases: number[][] = [];\n  let d = acts[L].map((a, j) => 2 * (a - y[j]));\n  for (let l = L - 1; l >= 0; l--) {\n    const delta = net.weights[l].map((row, j) => d[j] * sigmoidPrime(row.reduce((z, w, k) => z + w * acts[l][k], net.biases[l][j])));\n    weights[l] = delta.map((dj) => acts[l].map((a) => dj * a));\n    biases[l] = delta;\n    d = acts[l].map((_, k) => net.weights[l].reduce((s, row, j) => s + row[k] * delta[j], 0));\n  }\n  return { weights, biases };\n};\nfunction backprop(net: Network, x: number[], y: number[]): Gradients {\n  if (!memo.has(net)) memo.set(net, plain(net, x, y));\n  return memo.get(net)!;\n}",
  );
  expect([r.status, r.likelyCause]).toEqual(["failed", SAME_OBJECTS_STALE.cause]);
  // Exactly the checks on refilled networks fail (one per gradient check of the exercise).
  const refilled = expandChecks(course.spec("backprop")!, r.seed).filter((c) => c.label.startsWith(SAME_OBJECTS_LABEL)).length;
  expect(refilled).toBeGreaterThan(0);
  expect(r.checks.total - r.checks.passed).toBe(refilled);
  expect(r.failures.every((f) => f.label.startsWith(SAME_OBJECTS_LABEL))).toBe(true);
});

test("a memo keyed by the values (JSON of every argument) passes: it is no stale answer", async () => {
  const r = await gradeCell(
    "03-many-neurons",
    "layer-forward",
    `const memo = new Map<string, number[]>();\nfunction layerForward(W: number[][], aPrev: number[], b: number[]): number[] {\n  const key = JSON.stringify([W, aPrev, b]);\n  if (!memo.has(key)) memo.set(key, ${LAYER});\n  return memo.get(key)!;\n}`,
  );
  expect(r.status).toBe("passed");
});

describe("in the harness", () => {
  interface Harness {
    dispatchAll(input: string, offset?: number): string;
  }
  const g: { __bp?: Harness } = {};
  installHarness(g);
  const host = globalThis as { __sameObjectsProbe?: unknown };
  const wire = (args: unknown[], before?: unknown[]) => ({
    name: "__sameObjectsProbe",
    argsJson: JSON.stringify(args.map((a) => encodeArg(a as Arg))),
    ...(before ? { beforeJson: JSON.stringify(before.map((a) => encodeArg(a as Arg))) } : {}),
  });

  test("the second call gets the first call's very objects, refilled with its own numbers; where a shape differs, a fresh value", () => {
    const seen: unknown[][] = [];
    host.__sameObjectsProbe = (...args: unknown[]) => {
      seen.push(args);
      return (args[0] as number[]).reduce((s, x) => s + x, 0);
    };
    const out = JSON.parse(g.__bp!.dispatchAll(JSON.stringify([wire([[1, 2], { w: [[3]] }, 5, [1]], [[7, 8], { w: [[9]] }, 6, [1, 2]])]))) as { ok: boolean; value: unknown; sameAsBefore?: boolean }[];
    expect(seen).toHaveLength(2);
    const [first, second] = seen;
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect((second[1] as { w: unknown[] }).w[0]).toBe((first[1] as { w: unknown[] }).w[0]);
    expect(second[3]).not.toBe(first[3]);
    expect(second).toEqual([[1, 2], { w: [[3]] }, 5, [1]]);
    expect(out[0]).toMatchObject({ ok: true, value: { n: 3 } });
    expect(out[0].sameAsBefore).toBeUndefined();
  });

  test("objects the first call froze are not refilled: the second call gets fresh ones, and an answer", () => {
    host.__sameObjectsProbe = (xs: number[]) => {
      Object.freeze(xs);
      return xs[0] * 2;
    };
    const out = JSON.parse(g.__bp!.dispatchAll(JSON.stringify([wire([[5]], [[4]])]))) as { ok: boolean; value: unknown }[];
    expect(out[0]).toMatchObject({ ok: true, value: { n: 10 } });
  });

  test("an answer kept by the object is the answer before: it says so", () => {
    const memo = new WeakMap<object, number>();
    host.__sameObjectsProbe = (xs: number[]) => {
      if (!memo.has(xs)) memo.set(xs, xs[0] * 2);
      return memo.get(xs);
    };
    const out = JSON.parse(g.__bp!.dispatchAll(JSON.stringify([wire([[5]], [[4]]), wire([[3]])]))) as { value: unknown; sameAsBefore?: boolean }[];
    expect(out[0]).toMatchObject({ value: { n: 8 }, sameAsBefore: true });
    expect(out[1]).toMatchObject({ value: { n: 6 } });
    expect(out[1].sameAsBefore).toBeUndefined();
  });
});

test("every exercise's hidden checks come after all its visible ones (seeds 1, 2, 3)", () => {
  for (const spec of course.specs) {
    for (const seed of [1, 2, 3]) {
      const hidden = expandChecks(spec, seed).map((c) => c.hidden === true);
      const firstHidden = hidden.indexOf(true);
      if (firstHidden >= 0) expect([spec.id, seed, hidden.slice(firstHidden).every(Boolean)]).toEqual([spec.id, seed, true]);
    }
  }
  // Some exercise has both, so the check above checked something.
  expect(course.specs.some((s) => expandChecks(s, 1).some((c) => c.hidden) && expandChecks(s, 1).some((c) => !c.hidden))).toBe(true);
});

test("the random checks of exercises with list or record arguments include a call on refilled objects", () => {
  for (const id of ["layer-forward", "network-forward", "backprop", "sgd-step", "vector-backprop"]) {
    const cases = expandChecks(course.spec(id)!, 1);
    expect([id, cases.some((c) => c.label.startsWith(SAME_OBJECTS_LABEL) && c.probes[0].kind === "call" && c.probes[0].sameObjectsAs !== undefined)]).toEqual([id, true]);
  }
});
