// `npm run new-exercise` scaffolds a spec, registers it and adds cells to the master.
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { markedId } from "../grader/engine/notebook/cells";
import type { Course } from "../grader/engine/course/course";
import { readNotebook } from "../grader/engine/notebook/notebook";
import { registerIn, scaffold, ScaffoldError } from "../grader/new-exercise";
import { root, tempDir } from "./helpers";

function fakeCourse(): Course {
  const dir = tempDir("bp-scaffold-");
  fs.mkdirSync(path.join(dir, "solutions"));
  for (const c of course.chapters) {
    fs.mkdirSync(path.join(dir, "exercises", c.slug), { recursive: true });
    fs.copyFileSync(course.masterPath(c.slug), path.join(dir, "solutions", `${c.slug}.ipynb`));
  }
  fs.copyFileSync(course.registryFile, path.join(dir, "exercises", "index.ts"));
  return course.at(dir);
}

test("scaffolds the spec, the registry entry and the master's cells", () => {
  const copy = fakeCourse();
  const before = readNotebook(copy.masterPath("02-chain-rule")).cells;
  const written = scaffold(copy, "leaky-relu", 2);
  expect(written).toEqual(["exercises/02-chain-rule/leaky-relu.ts", "exercises/index.ts", "solutions/02-chain-rule.ipynb"]);
  const spec = fs.readFileSync(path.join(copy.root, written[0]), "utf8");
  expect(spec).toContain('id: "leaky-relu"');
  expect(spec).toContain('defines: ["leakyRelu"]');
  const index = fs.readFileSync(path.join(copy.root, written[1]), "utf8");
  expect(index).toMatch(/slug: "02-chain-rule",[\s\S]*?ids: \[[^\]]*, "leaky-relu"\]/);
  const after = readNotebook(path.join(copy.root, written[2])).cells;
  expect(after.length).toBe(before.length + 3);
  const [, exerciseCell, checkCell] = after.slice(-3).map((c) => c.source);
  expect(exerciseCell.split("\n")[0]).toBe("// exercise: leaky-relu");
  expect(exerciseCell).toContain("// BEGIN SOLUTION");
  expect(checkCell).toBe('check("leaky-relu", leakyRelu);');
});

test("--after puts the id and the cells right after that exercise's, so notebook and registry agree on the order", () => {
  const copy = fakeCourse();
  scaffold(copy, "leaky-relu", 2, "relu-prime");
  const index = fs.readFileSync(copy.registryFile, "utf8");
  expect(index).toMatch(/"relu", "relu-prime", "leaky-relu", "tanh"/);
  const cells = readNotebook(copy.masterPath("02-chain-rule")).cells;
  const order = cells.map((c) => (c.type === "code" ? markedId(c.source) : undefined)).filter((id): id is string => id !== undefined);
  expect(order.slice(order.indexOf("relu-prime"), order.indexOf("relu-prime") + 3)).toEqual(["relu-prime", "leaky-relu", "tanh"]);
  // The new cells come after relu-prime's check cell, not between the exercise and its check.
  const checkAt = cells.findIndex((c) => c.source.includes('check("relu-prime"'));
  expect(cells[checkAt + 2].source.split("\n")[0]).toBe("// exercise: leaky-relu");
  expect(() => scaffold(copy, "swish", 2, "sigmoid")).toThrow(/chapter 2 has no exercise "sigmoid"/);
});

test("refuses an existing id, a bad id and an unknown chapter", () => {
  const copy = fakeCourse();
  expect(() => scaffold(copy, "sigmoid", 1)).toThrow(new ScaffoldError('exercise "sigmoid" already exists'));
  expect(() => scaffold(copy, "Leaky_ReLU", 2)).toThrow(/not a kebab-case id/);
  expect(() => scaffold(copy, "swish", 9)).toThrow(/there is no chapter 9/);
});

test("registerIn keeps the other course.chapters' lists untouched", () => {
  const text = fs.readFileSync(path.join(root, "exercises", "index.ts"), "utf8");
  const out = registerIn(text, "01-forward-pass", "tanh-one");
  expect(out.match(/tanh-one/g)?.length).toBe(1);
  expect(out).toMatch(/ids: \["weighted-sum", "sigmoid", "activation", "cost", "forward", "tanh-one"\]/);
  expect(out.replace(', "tanh-one"', "")).toBe(text);
  expect(registerIn(text, "01-forward-pass", "tanh-one", "sigmoid")).toMatch(/ids: \["weighted-sum", "sigmoid", "tanh-one", "activation", "cost", "forward"\]/);
});
