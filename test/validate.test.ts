// `npm run validate` passes on the course, and catches each kind of problem
// it promises to, naming the file and the exercise.
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { referencesOf } from "../grader/engine/course/reference";
import type { ExerciseSpec } from "../grader/engine/course/spec";
import { checkGrading, checkNbformat, checkOrphans, checkRegistry, checkSchema, validate } from "../grader/validate";
import { learner, tempDir } from "./helpers";
import { readNotebook } from "../grader/engine/notebook/notebook";

test("the course as committed is valid", async () => {
  // The untouched learner notebooks as shipped, not notebooks/, where a learner may have worked.
  expect(await validate(course.chapters, { learnerPath: learner })).toEqual([]);
}, 400_000);

function withSpec(id: string, change: (s: ExerciseSpec) => ExerciseSpec) {
  return course.chapters.map((c) => ({ ...c, exercises: c.exercises.map((s) => (s.id === id ? change({ ...s }) : s)) }));
}

describe("registry problems are reported with file and exercise", () => {
  test("an empty or TODO hint", () => {
    const problems = checkRegistry(withSpec("sigmoid", (s) => ({ ...s, hints: ["TODO: write a hint"] })));
    expect(problems).toEqual([{ file: "exercises/01-forward-pass/sigmoid.ts", exercise: "sigmoid", message: "hint 1 is empty or still a TODO" }]);
  });

  test("a duplicated id", () => {
    const ch = course.chapters.map((c, i) => (i === 1 ? { ...c, exercises: [...c.exercises, { ...course.chapters[0].exercises[0] }] } : c));
    expect(checkRegistry(ch).map((p) => p.message)).toContain('id "weighted-sum" is used twice (also in 01-forward-pass)');
  });

  test("the scaffold's TODOs in the title and the mutant labels", () => {
    const messages = checkRegistry(withSpec("sigmoid", (s) => ({ ...s, title: "TODO: a short title", mutants: { ...s.mutants, "TODO: describe mistake 1": "x" } }))).map((p) => p.message);
    expect(messages).toEqual([
      "the title is empty or still a TODO",
      'mutant "TODO: describe mistake 1" still has the scaffold\'s label: say the mistake in plain words, learners read it',
      'mutant "TODO: describe mistake 1" has no mistakeHints entry: write the hint a learner who makes this mistake should read',
    ]);
  });

  test("fewer than two mutants, bad points, a hint for a mistake that is not declared", () => {
    const messages = checkRegistry(withSpec("sigmoid", (s) => ({ ...s, points: 0, mutants: { one: "x" }, mistakeHints: { two: "a hint" } }))).map((p) => p.message);
    expect(messages).toEqual([
      "points must be a whole number ≥ 1, got 0",
      "declares 1 mutant(s); at least 2 wrong versions must prove the checks can fail",
      'mistakeHints has "two", which is not a mutant\'s label',
      'mutant "one" has no mistakeHints entry: write the hint a learner who makes this mistake should read',
    ]);
  });
});

test("a mutant the checks cannot catch is reported", async () => {
  const same = referencesOf(course).source("relu").replace(/^.*\n/, "");
  const problems = await checkGrading(withSpec("relu", (s) => ({ ...s, mutants: { ...s.mutants, "the solution itself": same } })).filter((c) => c.slug === "02-chain-rule"), learner);
  expect(problems).toEqual([{ file: "exercises/02-chain-rule/relu.ts", exercise: "relu", message: 'mutant "the solution itself" passes: the checks cannot tell it from the solution' }]);
}, 60_000);

test("a mutant that fails only through a missing name, or is not recognised, is reported", async () => {
  const relu = referencesOf(course).source("relu").replace(/^.*\n/, "");
  const problems = await checkGrading(
    withSpec("relu", (s) => ({
      ...s,
      mutants: {
        ...s.mutants,
        "calls a helper nobody defined": "function relu(z: number): number {\n  return helperNobodyDefined(z);\n}",
        // The same mistake as the declared leaky ReLU, written another way: the first label claims it.
        "the same mistake twice": relu.replace("Math.max(0, z)", "z < 0 ? z / 100 : z"),
      },
    })).filter((c) => c.slug === "02-chain-rule"),
    learner,
  );
  expect(problems.map((p) => p.message)).toEqual([
    expect.stringMatching(/^mutant "calls a helper nobody defined" fails only because .*helperNobodyDefined is not defined.*, never on a wrong value/),
    'mutant "the same mistake twice" is not recognised: its feedback says "likely cause: the answers are exactly those of this known mistake, which your code may reach another way: leaky ReLU: a small slope (0.01·z) for negative z instead of 0"',
  ]);
}, 60_000);

test("an unregistered spec file and a notebook of no chapter are orphans", () => {
  const root = tempDir("bp-orphans-");
  for (const d of ["exercises/01-forward-pass", "solutions", "notebooks"]) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.writeFileSync(path.join(root, "exercises/01-forward-pass/tanh.ts"), 'export default exercise({ id: "tanh" });');
  fs.writeFileSync(path.join(root, "exercises/01-forward-pass/helpers.ts"), "export const x = 1;");
  fs.writeFileSync(path.join(root, "notebooks/99-extra.ipynb"), "{}");
  expect(checkOrphans(course.chapters, root)).toEqual([
    { file: "exercises/01-forward-pass/tanh.ts", message: "defines an exercise that is not in exercises/index.ts (or its file name is not its id)" },
    { file: "notebooks/99-extra.ipynb", message: "a notebook of no chapter in exercises/index.ts" },
  ]);
});

test("nbformat problems: outputs left in, a missing id, a wrong kernel", () => {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "python3" } },
    cells: [
      { cell_type: "code", id: "a", metadata: {}, source: "1", outputs: [{ output_type: "stream" }], execution_count: 3 },
      { cell_type: "markdown", metadata: {}, source: "x" },
    ],
  };
  expect(checkNbformat("n.ipynb", JSON.stringify(nb), { noOutputs: true }).map((p) => p.message)).toEqual([
    'metadata.kernelspec.name should be "tslab" (the TypeScript kernel)',
    "cell 1: has outputs; course notebooks are stored without them (for course authors: npm run build:notebooks -- --force regenerates them; a learner's own work is never checked here)",
    "cell 2: nbformat 4.5 needs an id of 1-64 letters, digits, - or _",
  ]);
  expect(checkNbformat("n.ipynb", "{", { noOutputs: true })[0].message).toMatch(/^is not valid JSON/);
});

test("Jupyter's own nbformat 4.5 schema, checked in-process: each problem at its place, only for the kind a cell claims", () => {
  // Broken on purpose below (an unknown kind, a bad id): plain records, not the model's cell type.
  const nb = readNotebook(course.masterPath("01-forward-pass")).json as unknown as { extra?: number; cells: Record<string, unknown>[] };
  const kinds = nb.cells.map((c) => c.cell_type);
  const md = kinds.indexOf("markdown");
  const code = kinds.indexOf("code");
  const other = kinds.findIndex((_kind, i) => i !== md && i !== code);
  expect(checkSchema("n.ipynb", JSON.stringify(nb))).toEqual([]);
  nb.extra = 1;
  nb.cells[md].id = "bad id!";
  nb.cells[code].outputs = [{ output_type: "stream", name: "stdout" }];
  nb.cells[other].cell_type = "weird";
  // The structural check sees the id and the kind; the unknown key and the stream output
  // without its text only the schema catches.
  expect(checkNbformat("n.ipynb", JSON.stringify(nb), { noOutputs: false }).map((p) => p.message).join("\n")).not.toMatch(/extra|text|outputs/);
  expect(checkSchema("n.ipynb", JSON.stringify(nb)).map((p) => p.message).sort()).toEqual(
    [
      `nbformat 4.5 schema: cell ${md + 1}, id: String does not match pattern. (got "bad id!")`,
      `nbformat 4.5 schema: cell ${code + 1}, outputs[0]: Instance does not have required property "text".`,
      `nbformat 4.5 schema: cell ${other + 1}: cell_type "weird" is not a kind nbformat 4.5 knows`,
      "nbformat 4.5 schema: the notebook's extra: is not allowed here",
    ].sort(),
  );
  expect(checkSchema("n.ipynb", JSON.stringify({ ...nb, nbformat_minor: 4 })).map((p) => p.message)).toEqual(["nbformat_minor is 4: course notebooks are nbformat 4.5, the schema they are checked against"]);
});
