// One source of truth: learner notebooks are exactly what their masters produce.
import * as fs from "node:fs";
import { expectedLearner } from "../grader/build-notebooks";
import { chapters } from "../grader/engine/course";
import { cleanMaster, stripCell, StripError } from "../grader/strip";
import { learner, master } from "./helpers";

test.each(chapters.map((c) => c.slug))("notebooks/%s.ipynb is what its master produces (npm run build:notebooks)", (slug) => {
  expect(fs.readFileSync(learner(slug), "utf8")).toBe(expectedLearner(slug));
});

test.each(chapters.map((c) => c.slug))("solutions/%s.ipynb is stored without outputs", (slug) => {
  const text = fs.readFileSync(master(slug), "utf8");
  expect(text).toBe(cleanMaster(text));
});

test.each(chapters.map((c) => c.slug))("notebooks/%s.ipynb keeps no solution code", (slug) => {
  const text = fs.readFileSync(learner(slug), "utf8");
  expect(text).not.toContain("SOLUTION");
});

describe("stripCell", () => {
  test("a whole-line region becomes a todo() return at the same indent", () => {
    const src = "// exercise: x\nfunction f(a: number): number {\n    // BEGIN SOLUTION\n    return a * 2;\n    // END SOLUTION\n}";
    expect(stripCell(src, "x", "t")).toBe('// exercise: x\nfunction f(a: number): number {\n    return todo("x"); // replace this line with your code\n}');
  });

  test("an inline region becomes a todo() call", () => {
    expect(stripCell("const aL: number = /* BEGIN SOLUTION */ sigmoid(1) /* END SOLUTION */;", "activation", "t")).toBe('const aL: number = todo("activation");');
  });

  test("unclosed and stray markers are errors naming the cell", () => {
    expect(() => stripCell("// BEGIN SOLUTION\nreturn 1;", "x", "nb cell 3")).toThrow(new StripError("nb cell 3: BEGIN SOLUTION is never closed by END SOLUTION"));
    expect(() => stripCell("return 1;\n// END SOLUTION", "x", "nb cell 3")).toThrow(/END SOLUTION without BEGIN SOLUTION/);
  });
});
