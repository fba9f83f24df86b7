// Learner text is read in the grader's own process: nothing in it may cost more
// than linear time, and nothing read from it reaches a report uncut.
import { findExerciseCells, headingAbove, headingText, MAX_HEADING_CHARS } from "../grader/engine/notebook/cells";
import type { Notebook } from "../grader/engine/notebook/notebook";

const MB = 1024 * 1024;

function notebook(cells: { type: "code" | "markdown"; source: string }[]): Notebook {
  return { path: "learner.ipynb", metadata: {}, cells: cells.map((c, i) => ({ number: i + 1, ...c })), json: { nbformat: 4, metadata: {}, cells: cells.map((c) => ({ cell_type: c.type, source: c.source })) } };
}

test.each([
  ["# Step 2 · Sigmoid", "Step 2 · Sigmoid"],
  ["## Closed heading ##", "Closed heading"],
  ["   ### three spaces   ", "three spaces"],
  ["#no space", undefined],
  ["####### seven", undefined],
  ["#   #", undefined],
  ["# a\rignored", "a"],
])("headingText(%j) is %j", (line, want) => {
  expect(headingText(line)).toBe(want);
});

// The old pattern /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/ took 118 s on 8,000 spaces; these are 1 MB.
test.each([
  ["# a" + " ".repeat(MB) + "\rx"],
  ["# a" + " ".repeat(MB) + "x"],
  ["#" + " \t".repeat(MB / 2) + "#".repeat(MB / 4) + "x"],
  ["# " + "#".repeat(MB) + " ".repeat(MB) + "y"],
])("an adversarial 1 MB heading line is read in one pass and cut for reports (case %#)", (line) => {
  const nb = notebook([{ type: "markdown", source: line }, { type: "code", source: "// exercise: sigmoid\n" }]);
  const h = headingAbove(nb, 2);
  expect(h === undefined || h.length <= MAX_HEADING_CHARS + 1).toBe(true);
}, 20_000);

test("an unknown 1 MB marker id is named in a message of bounded size, and no nearest id is searched for", () => {
  const nb = notebook([{ type: "code", source: `// exercise: ${"a".repeat(MB)}\n` }, { type: "code", source: `//exercise:${"b".repeat(MB)}\n` }]);
  const found = findExerciseCells(nb, ["sigmoid"]);
  expect(found.problems).toHaveLength(2);
  for (const p of found.problems) expect(p.message.length).toBeLessThan(400);
});

describe("learner text in the scorecard and the console", () => {
  // Imported here so the pure tests above need no build.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const helpers = require("./helpers") as typeof import("./helpers");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { casesFor } = require("../grader/engine/stages") as typeof import("../grader/engine/stages");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { course } = require("../exercises") as typeof import("../exercises");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("node:path") as typeof import("node:path");

  test("a line of learner text never starts a CI command (::error::, ##[group])", () => {
    const file = helpers.withExerciseCell(helpers.master("01-forward-pass"), "sigmoid", `console.log("::error::forged by the learner\\n##[group]forged\\n  ::add-mask::x");
function sigmoid(z: number): number {
  throw new Error("::warning::forged\\n##vso[task.complete result=Succeeded]");
}`, path.join(helpers.tempDir(), "01-forward-pass.ipynb"));
    const out = helpers.runCli([file, "sigmoid"]).stdout;
    expect(out).toMatch(/forged/);
    expect(out.split("\n").filter((l) => /^\s*(::|##)/.test(l))).toEqual([]);
  });

  test("the console output of hidden checks is not shown: it could print their inputs", async () => {
    const spec = course.spec("sigmoid")!;
    const hidden = casesFor(spec, 1).cases.filter((c) => c.hidden).map((c) => (c.probes[0] as { args: number[] }).args[0]);
    expect(hidden.length).toBeGreaterThan(0);
    const file = helpers.withExerciseCell(helpers.master("01-forward-pass"), "sigmoid", `let calls = 0;
function sigmoid(z: number): number {
  if (++calls > 40) console.log("z = " + z);
  return 1 / (1 + Math.exp(-z));
}`, path.join(helpers.tempDir(), "01-forward-pass.ipynb"));
    const r = (await helpers.gradePaths([file])).results.find((x) => x.id === "sigmoid")!;
    const shown = r.console.join("\n");
    expect(shown).toMatch(/z = /);
    expect(shown).toMatch(/console output of the hidden checks is not shown/);
    for (const z of hidden) expect(shown).not.toContain(`z = ${z}`);
  });
});

test("a class folder's other files are never read: a renamed copy is known by its name", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("node:fs") as typeof import("node:fs");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("node:path") as typeof import("node:path");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { resolveTargets } = require("../grader/engine/grade") as typeof import("../grader/engine/grade");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { course } = require("../exercises") as typeof import("../exercises");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { tempDir, master } = require("./helpers") as typeof import("./helpers");
  const dir = tempDir();
  fs.copyFileSync(master("01-forward-pass"), path.join(dir, "01-forward-pass-Copy1.ipynb"));
  // Files that are not named for a chapter: reading them to look for markers is what a decoy exploits.
  fs.copyFileSync(master("02-chain-rule"), path.join(dir, "notes.ipynb"));
  fs.copyFileSync(master("03-many-neurons"), path.join(dir, "zz-decoy.ipynb"));
  const { targets } = resolveTargets(course, [dir]);
  const fileOf = (slug: string) => path.basename(targets.find((t) => t.chapter.slug === slug)!.file);
  expect([fileOf("01-forward-pass"), fileOf("02-chain-rule"), fileOf("03-many-neurons")]).toEqual(["01-forward-pass-Copy1.ipynb", "02-chain-rule.ipynb", "03-many-neurons.ipynb"]);
});

test("what a notebook's Node has and a graded function does not get is named as such, not taken for a typo", async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const helpers = require("./helpers") as typeof import("./helpers");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("node:path") as typeof import("node:path");
  const file = helpers.withExerciseCell(helpers.master("01-forward-pass"), "weighted-sum", `function weightedSum(w: number, aPrev: number, b: number): number {
  const bytes = Buffer.from([w]);
  return bytes.length * w * aPrev + b;
}`, path.join(helpers.tempDir(), "01-forward-pass.ipynb"));
  const r = (await helpers.gradePaths([file])).results.find((x) => x.id === "weighted-sum")!;
  expect(r.problem).toMatch(/Buffer is not defined .*without Node's `Buffer` \(the notebook has it\)/);
});
