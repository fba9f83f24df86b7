// Feedback that is right and says why, on cells written the way learners write
// them: every mistake fails and is named on its `likely cause:` line (with the
// hint for that mistake), finite differences fail as such, honest variants pass,
// and the scorecard prints the cause, the paste-able input and how close it was.
import * as path from "node:path";
import { course } from "../exercises";
import { FINITE_DIFFERENCES } from "../grader/engine/judge/gradcheck";
import { grade } from "../grader/engine/grade";
import type { ExerciseResult } from "../grader/engine/judge/result";
import { variants } from "./fixtures/variants";
import { BATCH_HOOK_MS, master, runCli, tempDir, withExerciseCell } from "./helpers";

let results: ExerciseResult[] = [];

beforeAll(async () => {
  const dir = tempDir();
  const targets = variants.map((v, i) => {
    const chapter = course.chapterOf(v.id)!;
    const file = withExerciseCell(master(chapter.slug), v.id, v.body, path.join(dir, String(i), `${chapter.slug}.ipynb`));
    return { file, chapter, only: [v.id] };
  });
  results = (await grade(course, targets)).results;
}, BATCH_HOOK_MS);

const mistakes = variants.filter((v) => !v.passes);

test.each(variants.filter((v) => v.passes).map((v) => [v.name, v] as const))("honest: %s gets full marks", (_name, v) => {
  const r = results[variants.indexOf(v)];
  expect([r.status, r.problem, r.failures[0]]).toEqual(["passed", undefined, undefined]);
});

test.each(mistakes.map((v) => [v.name, v] as const))("mistake: %s fails and is named", (_name, v) => {
  const r = results[variants.indexOf(v)];
  expect(r.status).toBe("failed");
  expect(r.score).toBe(0);
  expect(r.likelyCause).toBe(v.cause);
  // The hint shown is the one written for that mistake, when the spec has one.
  const fitting = course.spec(v.id)!.mistakeHints?.[v.cause!];
  if (fitting) expect(r.hint).toBe(fitting);
});

// Every mistake above must be named (stronger than the 80% the course promises); naming is
// only worth something if it is earned: a cell wrong in a way no known mistake describes gets
// no likely cause and the exercise's own hint, never the nearest label.
test("a wrong cell that makes none of the known mistakes gets no likely cause", async () => {
  const unknown = [
    { id: "sigmoid", body: "function sigmoid(z: number): number {\n  return 0.3 + 0.1 * Math.sin(3 * z) + 0.01 * z * z;\n}" },
    { id: "param-count", body: "function paramCount(sizes: number[]): number {\n  return sizes.reduce((s, n, i) => s + n * (i + 3) + 7 * i * i, 11);\n}" },
    { id: "d-cost-d-a", body: "function dCostDA(a: number, y: number): number {\n  return Math.cos(a) * y + a * a * a;\n}" },
  ];
  const dir = tempDir();
  const targets = unknown.map((u, i) => {
    const chapter = course.chapterOf(u.id)!;
    return { file: withExerciseCell(master(chapter.slug), u.id, u.body, path.join(dir, String(i), `${chapter.slug}.ipynb`)), chapter, only: [u.id] };
  });
  const graded = (await grade(course, targets)).results;
  expect(graded.map((r) => [r.id, r.status, r.likelyCause])).toEqual(unknown.map((u) => [u.id, "failed", undefined]));
  for (const r of graded) expect(course.spec(r.id)!.hints).toContain(r.hint);
});

test("finite differences fail every gradient exercise, with why backprop exists", () => {
  const fd = mistakes.filter((v) => v.cause === FINITE_DIFFERENCES);
  expect(new Set(fd.map((v) => v.id))).toEqual(new Set(["backprop", "previous-layer-sensitivity", "neuron-gradients", "chain-gradients"]));
  for (const v of fd) {
    const f = results[variants.indexOf(v)].failures[0];
    expect(f.why).toMatch(/finite differences give.*one forward and one backward pass.*two forward passes per parameter/);
  }
});

test("the scorecard prints the likely cause, a paste-able input, how many checks passed, and the layer table", () => {
  const v = variants.find((x) => x.name === "bp no bias grad (own)")!;
  const dir = tempDir();
  const file = withExerciseCell(master("03-many-neurons"), "backprop", v.body, path.join(dir, "03-many-neurons.ipynb"));
  const out = runCli([file, "backprop"]).stdout;
  expect(out).toMatch(/^ {2}likely cause: the bias gradients are missing \(left at zero\)$/m);
  expect(out).toMatch(/^ {2}paste: {4}(backprop\(\{ weights: \[\[\[|import \{ caseInput \} from "backprop-lab"; backprop\(\.\.\.caseInput\("backprop", \d+\)\))/m);
  expect(out).toMatch(/^ {2}passed 0 of 24 checks$/m);
  expect(out).toMatch(/layer \d \(output\): weights ✓ {2}biases ✗/);
  expect(out).toMatch(/first wrong layer counting from the output: layer \d/);
});
