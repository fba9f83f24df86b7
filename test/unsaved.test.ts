// A ✔ from check() counts in npm run grade only once the notebook is saved:
// check() says so when the cell it judged (as last run) is not the saved one,
// and the scorecard says "unsaved work?" of a not-started exercise whose cell
// a kernel ran after the file was last written.
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { markedId } from "../grader/engine/notebook/cells";
import { readNotebook } from "../grader/engine/notebook/notebook";
import { noteRun, unsavedCells, unsavedKey } from "../grader/engine/notebook/unsaved";
import { checkResult, unsavedNote } from "../grader/lab/check";
import { forgetCells, rememberCell } from "../grader/lab/kernel";
import { learner, runCli, tempDir } from "./helpers";

const SIGMOID = "// exercise: sigmoid\nfunction sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}";

test("noteRun and unsavedCells: a difference counts until the file is written again, and is forgotten once they agree", () => {
  const dir = tempDir();
  const record = path.join(dir, "record.json");
  const nb = path.join(dir, "01-forward-pass.ipynb");
  fs.copyFileSync(learner("01-forward-pass"), nb);
  fs.utimesSync(nb, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  const asked = [{ notebook: nb, id: "sigmoid" }, { notebook: nb, id: "cost" }];
  expect(unsavedCells(asked, record).size).toBe(0);
  noteRun(nb, "sigmoid", SIGMOID, "the stub", record);
  expect([...unsavedCells(asked, record)]).toEqual([unsavedKey(nb, "sigmoid")]);
  // Saved since (Jupyter wrote the file): the file is what is graded, nothing to say.
  fs.utimesSync(nb, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
  expect(unsavedCells(asked, record).size).toBe(0);
  fs.utimesSync(nb, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  noteRun(nb, "sigmoid", SIGMOID, SIGMOID, record);
  expect(unsavedCells(asked, record).size).toBe(0);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("check() on a cell the saved notebook does not hold: ✔, and save it", () => {
  const dir = tempDir();
  fs.copyFileSync(learner("01-forward-pass"), path.join(dir, "01-forward-pass.ipynb"));
  const cwd = process.cwd();
  process.chdir(dir); // a kernel runs in its notebook's folder
  try {
    forgetCells();
    rememberCell(SIGMOID);
    const passed = checkResult("sigmoid");
    expect(passed.status).toBe("passed");
    expect(unsavedNote("sigmoid", passed)).toBe("✔ in the notebook — save it (Ctrl-S) so npm run grade sees it: 01-forward-pass.ipynb as saved holds another version of this cell");
    // The stub, as saved: check() and npm run grade agree, nothing to add.
    rememberCell(stubOf("sigmoid"));
    expect(unsavedNote("sigmoid", checkResult("sigmoid"))).toBeUndefined();
  } finally {
    process.chdir(cwd);
    forgetCells();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the scorecard: not started, and unsaved work? where a kernel ran an answer after the last save", () => {
  const dir = tempDir();
  const nb = path.join(dir, "01-forward-pass.ipynb");
  fs.copyFileSync(learner("01-forward-pass"), nb);
  fs.utimesSync(nb, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  noteRun(nb, "sigmoid", SIGMOID, stubOf("sigmoid"));
  const lines = runCli([nb]).stdout.split("\n");
  expect(lines.find((l) => /\bsigmoid\b/.test(l) && l.includes("0/"))).toMatch(/not started \(the saved file has no answer yet; unsaved work\?\)$/);
  expect(lines.find((l) => /\bcost\b/.test(l) && l.includes("0/"))).toMatch(/not started$/);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The untouched stub cell of exercise `id`, as notebooks/ holds it. */
function stubOf(id: string): string {
  return readNotebook(learner(course.chapterOf(id)!.slug)).cells.find((c) => markedId(c.source) === id)!.source;
}
