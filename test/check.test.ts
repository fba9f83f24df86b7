// check() in the notebook and `npm run grade` agree: same specs, same cases,
// same verdicts, on the reference and on each mutant.
import * as vm from "node:vm";
import { chapters, needsClosure, specById } from "../grader/engine/course";
import { compileCell } from "../grader/engine/compile";
import { referenceSource } from "../grader/engine/reference";
import { checkResult } from "../grader/lab/check";
import { gradePaths, master, tempDir, withExerciseCell } from "./helpers";
import * as path from "node:path";

/** Evaluate a cell with reference versions of what it needs, the way a kernel session would hold them. */
function kernelValues(id: string, body: string, names: string[]): unknown[] {
  const context = vm.createContext({ todo: () => { throw new Error("todo"); } });
  const given = "const wL = 0.5, bL = 1, aPrevL = 0.25, y = 1;";
  const deps = needsClosure(specById(id)!).map((d) => referenceSource(d.id));
  for (const src of [given, ...deps, `// exercise: ${id}\n${body}`]) {
    const c = compileCell(src);
    if (!c.ok) throw new Error(c.problems[0].message);
    vm.runInContext(c.compiled.js.replace(/^"use strict";\s*/, "").replace(/Object\.defineProperty\(exports.*\n/, ""), context);
  }
  return names.map((n) => vm.runInContext(`typeof ${n} === "undefined" ? undefined : ${n}`, context));
}

const ch1 = chapters[0];

test.each(ch1.exercises.map((s) => s.id))("check(%s) passes the reference, hiding hidden cases", (id) => {
  const spec = ch1.exercises.find((s) => s.id === id)!;
  const body = referenceSource(id).replace(/^.*\n/, "");
  const r = checkResult(id, ...kernelValues(id, body, spec.defines));
  expect(r.status).toBe("passed");
  expect(r.checks.passed).toBe(r.checks.total - r.checks.hidden);
});

const mutants = ch1.exercises.flatMap((s) => Object.entries(s.mutants).map(([what, body]) => ({ id: s.id, what, body, defines: s.defines })));

test.each(mutants)("check($id) and the grader agree on mutant: $what", async ({ id, body, defines }) => {
  const local = checkResult(id, ...kernelValues(id, body, defines));
  const dir = tempDir();
  const file = withExerciseCell(master(ch1.slug), id, body, path.join(dir, `${ch1.slug}.ipynb`));
  const graded = (await gradePaths([file], { only: [id] })).results[0];
  expect(local.status).toBe("failed");
  expect(graded.status).toBe("failed");
  // The first visible failure is the same case with the same values.
  const firstVisible = graded.failures.find((f) => !f.hidden);
  if (firstVisible && local.failures[0]) expect(local.failures[0]).toEqual(firstVisible);
});

test("check() with an unknown id says so and lists the ids", () => {
  const r = checkResult("sigmod", () => 0);
  expect(r.status).toBe("error");
  expect(r.problem).toBe('there is no exercise "sigmod"');
  expect(r.hint).toContain("sigmoid");
});

test("check() with a missing value says how to call it", () => {
  const r = checkResult("cost", (a: number, y: number) => (a - y) ** 2);
  expect(r.status).toBe("failed");
  expect(r.problem).toContain('check("cost", cost, costL)');
});
