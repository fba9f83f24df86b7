// The grader's promises on the real course: solutions get full marks, the
// untouched learner notebooks get zero without crashing, and every mutant a
// spec declares fails that exercise and only that one, with a readable message.
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { exitCode } from "../grader/engine/judge/result";
import { gradePaths, learner, master, pristineNotebooks, root, runCli, tempDir, withExerciseCell } from "./helpers";
import { parseArgs } from "../grader/cli";
import { markedId } from "../grader/engine/notebook/cells";
import { readNotebook } from "../grader/engine/notebook/notebook";

describe("solutions", () => {
  test("get full marks, every check passing", async () => {
    const report = await gradePaths([path.join(root, "solutions")]);
    expect(report.problems).toEqual([]);
    for (const r of report.results) expect({ id: r.id, status: r.status, score: r.score }).toEqual({ id: r.id, status: "passed", score: r.points });
    expect(report.score).toBe(report.maxScore);
    expect(report.maxScore).toBeGreaterThan(0);
    expect(exitCode(report)).toBe(0);
  });
});

describe("untouched learner notebooks", () => {
  test("get zero, every exercise 'not started' with its first hint", async () => {
    const report = await gradePaths([pristineNotebooks()]);
    expect(report.problems).toEqual([]);
    expect(report.score).toBe(0);
    for (const r of report.results) {
      expect(r.status).toBe("not-started");
      expect(r.hint.length).toBeGreaterThan(10);
    }
    expect(exitCode(report)).toBe(1);
  });

  test("`npm run grade` on them prints the scorecard, a first hint, and exits 1", () => {
    // No path: the notebooks of the folder it runs in, else the course's notebooks/ (where a
    // learner works, so the run below is in a folder of untouched ones).
    expect(parseArgs([], false, root).paths).toEqual([path.join(root, "notebooks")]);
    expect(parseArgs([], false, pristineNotebooks()).paths).toEqual([pristineNotebooks()]);
    const r = runCli([], { cwd: pristineNotebooks() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/weighted-sum\s+0\/1\s+not started/);
    expect(r.stdout).toMatch(/Total: 0\/\d+ points/);
    expect(r.stdout).toMatch(/Next: weighted-sum .* Hint: /);
  });
});

describe("mutants", () => {
  // Every mutant is graded (alone) by validate.test.ts; here a mutant of an exercise that later
  // exercises of its chapter build on is graded inside its whole notebook, to show a wrong cell
  // costs its own exercise and nothing else: the later ones are graded on the reference.
  const DEPENDED_ON = ["sigmoid", "sigmoid-prime", "chain-forward", "layer-forward", "network-forward", "average-gradients", "sgd-step"];
  const cases = DEPENDED_ON.map((id) => {
    const spec = course.spec(id)!;
    const [what, body] = Object.entries(spec.mutants)[0];
    return { slug: course.chapterOf(id)!.slug, id, what, body };
  });

  /** The exercise cells after `id`'s in its master notebook that use a name `id` defines. */
  function laterUsers(slug: string, id: string): string[] {
    const code = readNotebook(master(slug)).cells.filter((c) => c.type === "code").map((c) => c.source);
    const at = code.findIndex((s) => markedId(s) === id);
    const names = course.spec(id)!.defines;
    return code
      .slice(at + 1)
      .filter((s) => names.some((n) => new RegExp(`\\b${n}\\b`).test(s)))
      .map(markedId)
      .filter((x): x is string => x !== undefined);
  }

  test.each(cases)("$id is used by a later exercise of its chapter (else 'only' could not fail)", ({ slug, id }) => {
    expect(laterUsers(slug, id).length).toBeGreaterThan(0);
  });

  test("every exercise declares at least two mutants", () => {
    for (const c of course.chapters) for (const spec of c.exercises) expect([spec.id, Object.keys(spec.mutants).length >= 2]).toEqual([spec.id, true]);
  });

  test.each(cases)("$id: $what fails $id only, with a readable message", async ({ slug, id, body }) => {
    const dir = tempDir();
    const file = withExerciseCell(master(slug), id, body, path.join(dir, `${slug}.ipynb`));
    const report = await gradePaths([file]);
    expect(report.problems).toEqual([]);
    // Every exercise of the chapter graded; all but this one pass with full marks.
    expect(report.results.map((r) => r.id)).toEqual(course.chapter(slug)!.exercises.map((s) => s.id));
    for (const r of report.results.filter((x) => x.id !== id)) expect([r.id, r.status, r.score, r.problem]).toEqual([r.id, "passed", r.points, undefined]);
    const failed = report.results.filter((r) => r.status !== "passed").map((r) => r.id);
    expect(failed).toEqual([id]);
    const r = report.results.find((x) => x.id === id)!;
    expect(r.score).toBe(0);
    expect(r.status).toBe("failed");
    const message = r.problem ?? `${r.failures[0].label}: expected ${r.failures[0].expected}, got ${r.failures[0].actual}`;
    expect(message.length).toBeGreaterThan(10);
    expect(message).not.toMatch(/\[object Object\]|undefined: expected/);
  });
});

describe("the scorecard", () => {
  test("a failure shows exercise, input, expected, actual, hint and the seed to replay", () => {
    const dir = tempDir();
    const file = withExerciseCell(master("01-forward-pass"), "sigmoid", "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(z));\n}", path.join(dir, "01-forward-pass.ipynb"));
    const r = runCli([file, "--seed", "7"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✘ sigmoid\s+0\/2\s+failed/);
    expect(r.stdout).toMatch(/input:\s+sigmoid\(/);
    expect(r.stdout).toMatch(/expected:\s+\S+/);
    expect(r.stdout).toMatch(/actual:\s+\S+/);
    expect(r.stdout).toMatch(/hint:\s+\S+/);
    expect(r.stdout).toContain("npm run grade -- sigmoid --seed 7");
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour when not a TTY
  });

  test("`npm run grade -- <id>` grades only that exercise", () => {
    const r = runCli(["solutions", "sigmoid"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sigmoid\s+2\/2\s+passed/);
    expect(r.stdout).not.toMatch(/weighted-sum/);
  });

  test("an unknown exercise id is reported with a suggestion, exit 2, and nothing is graded", () => {
    const r = runCli(["solutions", "sigmod"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"sigmod" is neither an exercise id nor a notebook or folder: did you mean sigmoid\?/);
    expect(r.stdout).toBe("");
  });

  test("--json writes Gradescope results.json", () => {
    const dir = tempDir();
    const out = path.join(dir, "results.json");
    const r = runCli(["solutions", "--json", out]);
    expect(r.code).toBe(0);
    const json = JSON.parse(fs.readFileSync(out, "utf8")) as { score: number; max_score: number; tests: { name: string; score: number; max_score: number; status: string; output: string }[] };
    expect(json.score).toBe(json.max_score);
    expect(json.tests.length).toBe(course.chapters.flatMap((c) => c.exercises).length);
    for (const t of json.tests) {
      expect(typeof t.name).toBe("string");
      expect(t.score).toBe(t.max_score);
      expect(t.status).toBe("passed");
      expect(typeof t.output).toBe("string");
    }
  });
});

test("the learner notebook's first cell says what an exercise cell is", () => {
  for (const c of course.chapters) {
    expect(readNotebook(learner(c.slug)).cells[0].source).toContain("whose first line is exactly `// exercise: <id>`");
  }
});
