// check() in the notebook and `npm run grade` give one verdict: check() grades
// the exercise cell's source as last run in the kernel, through the grader's
// stages, with the reference versions of every earlier exercise.
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { grade } from "../grader/engine/grade";
import { referencesOf } from "../grader/engine/course/reference";
import type { ExerciseResult } from "../grader/engine/judge/result";
import { caseInput, checkResult } from "../grader/lab/check";
import { forgetCells, rememberCell } from "../grader/lab/kernel";
import { master, tempDir, withExerciseCell } from "./helpers";

/** What must be the same in the notebook and in the scorecard. */
function verdict(r: ExerciseResult) {
  return { status: r.status, score: r.score, passed: r.checks.passed, total: r.checks.total, likelyCause: r.likelyCause, hint: r.hint, firstFailure: r.failures[0] };
}

/** `check(id)` after the kernel ran `body` as the exercise cell. */
function checkCell(id: string, body: string): ExerciseResult {
  rememberCell(`// exercise: ${id}\n${body}`);
  return checkResult(id);
}

describe.each(course.chapters.map((c) => c.slug))("%s: check() equals the grader", (slug) => {
  const chapter = course.chapters.find((c) => c.slug === slug)!;
  const variants = chapter.exercises.flatMap((spec) => [
    { id: spec.id, what: "the reference", body: referencesOf(course).source(spec.id).replace(/^.*\n/, "") },
    ...Object.entries(spec.mutants).map(([what, body]) => ({ id: spec.id, what, body })),
  ]);

  test(`on the reference and all ${variants.length - chapter.exercises.length} declared mistakes`, async () => {
    const dir = tempDir();
    const files = variants.map((v, i) => withExerciseCell(master(slug), v.id, v.body, path.join(dir, String(i), `${slug}.ipynb`)));
    const graded = await grade(course, files.map((file, i) => ({ file, chapter, only: [variants[i].id] })));
    variants.forEach((v, i) => {
      const local = checkCell(v.id, v.body);
      expect([v.id, v.what, verdict(local)]).toEqual([v.id, v.what, verdict(graded.results[i])]);
      expect([v.what, local.status]).toEqual([v.what, v.what === "the reference" ? "passed" : "failed"]);
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test("a wrong sigmoidPrime cannot rescue a neuronGradients that calls it with a (the cancel-out pair)", async () => {
  // σ′ written for an activation, and a neuronGradients that passes it one: right together, both wrong.
  const sigmoidPrimeOfA = "function sigmoidPrime(a: number): number {\n  return a * (1 - a);\n}";
  const gradientsWithA =
    "function neuronGradients(w: number, aPrev: number, b: number, y: number) {\n  const a = sigmoid(w * aPrev + b);\n  const delta = sigmoidPrime(a) * 2 * (a - y);\n  return { dW: aPrev * delta, dB: delta, dAPrev: w * delta };\n}";
  expect(checkCell("sigmoid-prime", sigmoidPrimeOfA).status).toBe("failed");
  const local = checkCell("neuron-gradients", gradientsWithA);
  const dir = tempDir();
  const file = withExerciseCell(withExerciseCell(master("02-chain-rule"), "sigmoid-prime", sigmoidPrimeOfA, path.join(dir, "a.ipynb")), "neuron-gradients", gradientsWithA, path.join(dir, "02-chain-rule.ipynb"));
  const graded = await grade(course, [{ file, chapter: course.chapters[1], only: ["sigmoid-prime", "neuron-gradients"] }]);
  expect(verdict(local)).toEqual(verdict(graded.results[1]));
  expect(local.status).toBe("failed");
  expect(local.likelyCause).toBe("σ′ is applied to a instead of z: σ′(a) where σ′(z) belongs");
});

test("a cell may call any earlier exercise's function, in check() as in the grader", () => {
  const body = "function backprop(net: Network, x: number[], y: number[]): Gradients {\n  const as = networkForward(net, x);\n  const L = net.weights.length;\n  const weights: number[][][] = [], biases: number[][] = [];\n  let dCdA = desiredNudges(as[L], y).map((n) => -n);\n  for (let l = L - 1; l >= 0; l--) {\n    const W = net.weights[l];\n    const z = W.map((row, j) => weightedSumOf(row, as[l], net.biases[l][j]));\n    const delta = dCdA.map((d, j) => d * sigmoidPrime(z[j]));\n    weights[l] = W.map((row, j) => row.map((_, k) => delta[j] * as[l][k]));\n    biases[l] = delta;\n    dCdA = as[l].map((_, k) => W.reduce((s, row, j) => s + row[k] * delta[j], 0));\n  }\n  return { weights, biases };\n}\nfunction weightedSumOf(w: number[], a: number[], b: number): number {\n  return w.reduce((s, wk, k) => s + wk * a[k], b);\n}";
  expect(checkCell("backprop", body).status).toBe("passed");
});

test("check() with an unknown id says so and lists the ids", () => {
  const r = checkResult("sigmod", () => 0);
  expect(r.status).toBe("error");
  expect(r.problem).toBe('there is no exercise "sigmod"');
  expect(r.hint).toContain("sigmoid");
});

test("without a remembered cell (outside a kernel) check() judges the values, every case included", () => {
  forgetCells();
  const missing = checkResult("cost", (a: number, y: number) => (a - y) ** 2);
  expect(missing.status).toBe("failed");
  expect(missing.problem).toContain('check("cost", cost, costL)');
  const spec = course.spec("d-cost-d-a")!;
  const r = checkResult(spec.id, (a: number, y: number) => a - y);
  expect(r.status).toBe("failed");
  expect(r.checks.total).toBeGreaterThan(r.checks.hidden);
  expect(r.likelyCause).toBe(Object.keys(spec.mutants).find((m) => /factor 2/.test(m)));
  // The same stages pass the right values: what is judged is the function handed in.
  expect(checkResult(spec.id, (a: number, y: number) => 2 * (a - y)).status).toBe("passed");
});

test("caseInput rebuilds a failing random case's arguments from its number", () => {
  const args = caseInput("backprop", 3) as [{ weights: number[][][] }, number[], number[]];
  expect(Array.isArray(args[0].weights)).toBe(true);
  expect(args[1].length).toBe(args[0].weights[0][0].length);
  expect(() => caseInput("backprop", 999)).toThrow(/has no case 999/);
  const fnArg = caseInput("numerical-derivative", 1)[0];
  expect(typeof fnArg).toBe("function");
});
