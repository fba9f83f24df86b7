// What a class run shares between learners: a cell many learners have is run once, even when
// those learners are graded at the same time, and judged once; every learner still gets the
// report of its own notebooks (its cell numbers, its headings), the same as graded alone.
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { runCli, tempDir, UNSHARED } from "./helpers";

const master = (slug: string): string => course.masterPath(slug);

/** A learner folder holding the solved masters; `shift` puts a markdown cell first in each, so every cell number moves. */
function learner(dir: string, shift: boolean): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const chapter of course.chapters) {
    const nb = JSON.parse(fs.readFileSync(master(chapter.slug), "utf8")) as { cells: unknown[] };
    if (shift) nb.cells.unshift({ cell_type: "markdown", metadata: {}, source: ["My notes, above everything."] });
    fs.writeFileSync(path.join(dir, `${chapter.slug}.ipynb`), JSON.stringify(nb, null, 1));
  }
}

/** The lanes' statistics the grader prints for the benchmark (BACKPROP_LAB_BENCH). */
function lanes(stderr: string): { attempts: number } {
  const m = /lanes=(\{.*\})/.exec(stderr);
  if (!m) throw new Error(`no lane statistics in: ${stderr}`);
  return JSON.parse(m[1]) as { attempts: number };
}

test("three learners with the same cell, graded at the same time: the cell runs once", () => {
  const dir = tempDir("bp-reuse-");
  for (const name of ["a", "b", "c"]) learner(path.join(dir, name), false);
  const out = tempDir("bp-reuse-out-");
  const r = runCli([dir, "--out", out, "--seed", "5", "weighted-sum"], { env: { ...UNSHARED, BACKPROP_LAB_BENCH: "1" } });
  expect(r.code).toBe(0);
  // One run to measure the reference's time (the short limit), one for the three learners' cell.
  expect(lanes(r.stderr).attempts).toBe(2);
  for (const name of ["a", "b", "c"]) expect((JSON.parse(fs.readFileSync(path.join(out, "results", `${name}.json`), "utf8")) as { score: number }).score).toBe(1);
}, 120_000);

test("a verdict judged for one learner is given to the next with that learner's own cell numbers: the report equals grading it alone", () => {
  const dir = tempDir("bp-reuse-");
  learner(path.join(dir, "a"), false);
  learner(path.join(dir, "b"), true);
  const out = tempDir("bp-reuse-out-");
  const ids = ["sigmoid", "backprop", "mini-batches"];
  const inClass = runCli([dir, "--out", out, "--seed", "5", ...ids], { env: UNSHARED });
  expect(inClass.code).toBe(0);
  const alone = path.join(tempDir("bp-reuse-alone-"), "b.json");
  const r = runCli([path.join(dir, "b"), "--official", "--seed", "5", "--json", alone, ...ids], { env: UNSHARED });
  expect(r.code).toBe(0);
  const fromClass = fs.readFileSync(path.join(out, "results", "b.json"), "utf8");
  expect(JSON.parse(fromClass)).toEqual(JSON.parse(fs.readFileSync(alone, "utf8")));
}, 240_000);

test("the cell numbers of a verdict given again are the learner's own", async () => {
  const dir = tempDir("bp-reuse-");
  learner(path.join(dir, "a"), false);
  learner(path.join(dir, "b"), true);
  const { gradeClass, learnersIn } = await import("../grader/class-grade");
  const graded = new Map<string, { id: string; cell?: number; status: string }[]>();
  await gradeClass(learnersIn(dir)!, { seed: 5, only: ["sigmoid", "backprop"] }, (l, report) => graded.set(l.name, report.results.map((r) => ({ id: r.id, cell: r.cell, status: r.status }))));
  const a = graded.get("a")!;
  expect(a.map((r) => r.status)).toEqual(["passed", "passed"]);
  // b's notebooks have one more cell above everything: each of its cells is one further down.
  expect(graded.get("b")).toEqual(a.map((r) => ({ ...r, cell: r.cell! + 1 })));
}, 240_000);
