// `npm run new-exercise` scaffolds a spec, registers it and appends cells to the master.
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { registerIn, scaffold, ScaffoldError } from "../grader/new-exercise";
import { root, tempDir } from "./helpers";

function fakeCourse(): string {
  const dir = tempDir("bp-scaffold-");
  fs.mkdirSync(path.join(dir, "solutions"));
  for (const c of course.chapters) {
    fs.mkdirSync(path.join(dir, "exercises", c.slug), { recursive: true });
    fs.copyFileSync(path.join(root, "solutions", `${c.slug}.ipynb`), path.join(dir, "solutions", `${c.slug}.ipynb`));
  }
  fs.copyFileSync(path.join(root, "exercises", "index.ts"), path.join(dir, "exercises", "index.ts"));
  return dir;
}

test("scaffolds the spec, the registry entry and the master's cells", () => {
  const dir = fakeCourse();
  const before = JSON.parse(fs.readFileSync(path.join(dir, "solutions", "02-chain-rule.ipynb"), "utf8")) as { cells: unknown[] };
  const written = scaffold("leaky-relu", 2, dir);
  expect(written).toEqual(["exercises/02-chain-rule/leaky-relu.ts", "exercises/index.ts", "solutions/02-chain-rule.ipynb"]);
  const spec = fs.readFileSync(path.join(dir, written[0]), "utf8");
  expect(spec).toContain('id: "leaky-relu"');
  expect(spec).toContain('defines: ["leakyRelu"]');
  const index = fs.readFileSync(path.join(dir, written[1]), "utf8");
  expect(index).toMatch(/slug: "02-chain-rule",[\s\S]*?ids: \[[^\]]*, "leaky-relu"\]/);
  const after = JSON.parse(fs.readFileSync(path.join(dir, written[2]), "utf8")) as { cells: { source: string[] }[] };
  expect(after.cells.length).toBe(before.cells.length + 3);
  const [, exerciseCell, checkCell] = after.cells.slice(-3).map((c) => c.source.join(""));
  expect(exerciseCell.split("\n")[0]).toBe("// exercise: leaky-relu");
  expect(exerciseCell).toContain("// BEGIN SOLUTION");
  expect(checkCell).toBe('check("leaky-relu", leakyRelu);');
});

test("refuses an existing id, a bad id and an unknown chapter", () => {
  const dir = fakeCourse();
  expect(() => scaffold("sigmoid", 1, dir)).toThrow(new ScaffoldError('exercise "sigmoid" already exists'));
  expect(() => scaffold("Leaky_ReLU", 2, dir)).toThrow(/not a kebab-case id/);
  expect(() => scaffold("swish", 9, dir)).toThrow(/there is no chapter 9/);
});

test("registerIn keeps the other course.chapters' lists untouched", () => {
  const text = fs.readFileSync(path.join(root, "exercises", "index.ts"), "utf8");
  const out = registerIn(text, "01-forward-pass", "tanh-one");
  expect(out.match(/tanh-one/g)?.length).toBe(1);
  expect(out).toMatch(/ids: \["weighted-sum", "sigmoid", "activation", "cost", "forward", "tanh-one"\]/);
  expect(out.replace(', "tanh-one"', "")).toBe(text);
});
