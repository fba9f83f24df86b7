// Grading a class with real files: gradebook, per-learner results, summary;
// hostile and broken submissions cost only themselves; byte-identical reruns.
import * as fs from "node:fs";
import * as path from "node:path";
import { writeClass } from "../bench/synthetic";
import { course } from "../exercises";
import type { Report } from "../grader/engine/result";
import { classSummaryHtml, summarize } from "../grader/report/class-summary";
import { runCli, sha, tempDir, UNSHARED } from "./helpers";

const max = course.specs.reduce((s, x) => s + x.points, 0);

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])).sort();
}

describe("npm run grade -- <class folder>", () => {
  const dir = tempDir("bp-class-");
  const kinds = writeClass(dir, 10);
  const before = new Map(filesUnder(dir).map((f) => [f, sha(f)]));
  const outA = tempDir("bp-out-");
  const outB = tempDir("bp-out-");
  let first: ReturnType<typeof runCli>;

  beforeAll(() => {
    // 3 s: under a loaded CI machine a memory hog must reach its memory limit before the time limit,
    // or the two runs could disagree on which limit stopped it.
    // Both runs grade for real: their agreement is what the byte-for-byte test proves.
    first = runCli([dir, "--out", outA, "--timeout", "3000"], { env: UNSHARED });
    runCli([dir, "--out", outB, "--timeout", "3000"], { env: UNSHARED });
  }, 180_000);

  test("prints a class summary and exits 0", () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/10 learners, mean [\d.]+\/\d+, median [\d.]+\/\d+/);
    expect(first.stdout).toMatch(/weighted-sum\s+\d+% passed/);
    expect(first.stdout).toMatch(/Totals:/);
  });

  test("writes a gradebook with one row per learner and a column per exercise", () => {
    const rows = fs.readFileSync(path.join(outA, "gradebook.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    expect(rows[0]).toEqual(["learner", ...course.specs.map((s) => s.id), `total (of ${max})`]);
    expect(rows.length).toBe(11);
    kinds.forEach((kind, i) => {
      const row = rows[i + 1];
      expect(row[0]).toBe(`learner-${String(i + 1).padStart(3, "0")}`);
      const total = Number(row[row.length - 1]);
      expect(row.slice(1, -1).reduce((s, x) => s + Number(x), 0)).toBe(total);
      if (kind === "solved") expect([kind, total]).toEqual([kind, max]);
      if (kind === "untouched") expect([kind, total]).toEqual([kind, 0]);
      if (kind === "hostile" || kind === "broken" || kind === "wrong" || kind === "partial") {
        expect(total).toBeGreaterThan(0);
        expect(total).toBeLessThan(max);
      }
    });
  });

  test("writes one Gradescope results.json per learner", () => {
    const results = fs.readdirSync(path.join(outA, "results")).sort();
    expect(results.length).toBe(10);
    for (const f of results) {
      const r = JSON.parse(fs.readFileSync(path.join(outA, "results", f), "utf8")) as { score: number; max_score: number; tests: { name: string; status: string }[] };
      expect(r.max_score).toBe(max);
      expect(r.tests.length).toBe(course.specs.length);
    }
  });

  test("the hostile learner's loops, exits and memory hogs cost only its own exercises", () => {
    const hostile = kinds.indexOf("hostile");
    const r = JSON.parse(fs.readFileSync(path.join(outA, "results", `learner-${String(hostile + 1).padStart(3, "0")}.json`), "utf8")) as { tests: { status: string; output: string }[] };
    const failed = r.tests.filter((t) => t.status === "failed");
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed.length).toBeLessThanOrEqual(4);
    expect(failed.map((t) => t.output).join("\n")).toMatch(/stopped after 3\.0 s without finishing|more than 256 MB|process\.exit/);
  });

  test("writes an HTML summary", () => {
    const html = fs.readFileSync(path.join(outA, "summary.html"), "utf8");
    expect(html).toContain("<h1>Class summary</h1>");
    expect(html).toMatch(/histogram of totals/);
    for (const s of course.specs) expect(html).toContain(`<code>${s.id}</code>`);
  });

  test("the same submissions give the same files, byte for byte", () => {
    const a = filesUnder(outA).map((f) => [path.relative(outA, f), sha(f)]);
    const b = filesUnder(outB).map((f) => [path.relative(outB, f), sha(f)]);
    expect(a).toEqual(b);
  });

  test("no submission file was modified", () => {
    expect(new Map(filesUnder(dir).map((f) => [f, sha(f)]))).toEqual(before);
  });
});

test("the instructor summary names a failed hidden check but never its expected value", () => {
  const report: Report = {
    seed: 1,
    score: 0,
    maxScore: 2,
    problems: [],
    results: [
      {
        id: "sigmoid", title: "Sigmoid", chapter: "01-forward-pass", notebook: "x.ipynb", points: 2, score: 0, status: "failed",
        checks: { total: 3, passed: 2, hidden: 1, hiddenFailed: 1 },
        failures: [{ label: "sigmoid(4.2424)", expected: "0.98583", actual: "0.5", hidden: true }],
        hint: "h", seed: 1, console: [],
      },
    ],
  };
  const html = classSummaryHtml(summarize(course.specs, [{ report }]));
  expect(html).toContain("sigmoid(4.2424)");
  expect(html).not.toContain("0.98583");
});
