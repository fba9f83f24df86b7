// Feedback that is right and says why, on cells written the way learners write
// them: every mistake fails and is named on its `likely cause:` line (with the
// hint for that mistake), finite differences fail as such, honest variants pass,
// and the scorecard prints the cause, the paste-able input and how close it was.
import * as path from "node:path";
import { course } from "../exercises";
import { FINITE_DIFFERENCES } from "../grader/engine/gradcheck";
import { grade } from "../grader/engine/grade";
import type { ExerciseResult } from "../grader/engine/result";
import { variants } from "./fixtures/variants";
import { master, runCli, tempDir, withExerciseCell } from "./helpers";

let results: ExerciseResult[] = [];

beforeAll(async () => {
  const dir = tempDir();
  const targets = variants.map((v, i) => {
    const chapter = course.chapterOf(v.id)!;
    const file = withExerciseCell(master(chapter.slug), v.id, v.body, path.join(dir, String(i), `${chapter.slug}.ipynb`));
    return { file, chapter, only: [v.id] };
  });
  results = (await grade(course, targets)).results;
}, 120_000);

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

test("at least 80% of the mistakes are named (here: all of them)", () => {
  const named = mistakes.filter((v) => results[variants.indexOf(v)].likelyCause === v.cause).length;
  expect(named / mistakes.length).toBe(1);
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
