// Grading a class with real files: gradebook, per-learner results, summary;
// hostile and broken submissions cost only themselves; byte-identical reruns.
import * as fs from "node:fs";
import * as path from "node:path";
import { writeClass } from "../bench/synthetic";
import { course } from "../exercises";
import type { Report } from "../grader/engine/judge/result";
import { classSummaryHtml, summarize } from "../grader/report/class-summary";
import { verdictHtml } from "../grader/report/html";
import { checkResult } from "../grader/lab/check";
import { forgetCells, rememberCell } from "../grader/lab/kernel";
import { runCli, sha, tempDir, UNSHARED } from "./helpers";

const max = course.specs.reduce((s, x) => s + x.points, 0);

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])).sort();
}

describe("npm run grade -- <class folder>", () => {
  const dir = tempDir("bp-class-");
  const kinds = writeClass(dir, 10, undefined, "pasted");
  const before = new Map(filesUnder(dir).map((f) => [f, sha(f)]));
  const outA = tempDir("bp-out-");
  const outB = tempDir("bp-out-");
  let first: ReturnType<typeof runCli>;
  let second: ReturnType<typeof runCli>;

  let seed: number;

  beforeAll(() => {
    // 3 s: under a loaded CI machine a memory hog must reach its memory limit before the time limit,
    // or the two runs could disagree on which limit stopped it.
    // Both runs grade for real: their agreement is what the byte-for-byte test proves.
    first = runCli([dir, "--out", outA, "--timeout", "3000"], { env: UNSHARED });
    // The regrade: the seed the first run drew (and recorded), given back.
    seed = (JSON.parse(fs.readFileSync(path.join(outA, "grading.json"), "utf8")) as { seed: number }).seed;
    second = runCli([dir, "--out", outB, "--timeout", "3000", "--seed", String(seed)], { env: UNSHARED });
  }, 180_000);

  const broken = `learner-${String(kinds.indexOf("broken") + 1).padStart(3, "0")}`;
  // The broken learner's notebooks (bench/synthetic.ts): chapter 1 cut short (not JSON), chapter 3 with
  // a marker line deleted, chapter 4 empty. Chapter 2's syntax error is graded: it is a failed exercise.
  const notGraded = ["01-forward-pass.ipynb", "03-many-neurons.ipynb", "04-learning-from-data.ipynb"];

  test("prints a class summary, names each learner and file that could not be graded, and exits 2", () => {
    expect(first.stderr).toBe("");
    expect(first.code).toBe(2);
    expect(first.stdout).toMatch(/10 learners, mean [\d.]+\/\d+, median [\d.]+\/\d+/);
    expect(first.stdout).toMatch(/weighted-sum\s+\d+% passed/);
    expect(first.stdout).toMatch(/Totals:/);
    const flagged = first.stdout.split("\n").filter((l) => l.startsWith("! "));
    expect(flagged.map((l) => /^! ([^:]+): ([^:]+):/.exec(l)?.slice(1))).toEqual(notGraded.map((f) => [broken, f]));
    expect(flagged[0]).toMatch(/is not valid JSON/);
    expect(first.stdout).toMatch(/^Not graded: 3 notebook problem\(s\) of 1 learner\(s\).*summary\.html.*gradebook\.csv.*\(exit code 2\)\.$/m);
  });

  test("writes a gradebook with one row per learner, a column per exercise, and the files that could not be graded", () => {
    const rows = fs.readFileSync(path.join(outA, "gradebook.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    expect(rows[0]).toEqual(["learner", ...course.specs.map((s) => s.id), `total (of ${max})`, "not graded"]);
    expect(rows.length).toBe(11);
    kinds.forEach((kind, i) => {
      const row = rows[i + 1];
      expect(row[0]).toBe(`learner-${String(i + 1).padStart(3, "0")}`);
      const total = Number(row[row.length - 2]);
      expect(row.slice(1, -2).reduce((s, x) => s + Number(x), 0)).toBe(total);
      expect([row[0], row[row.length - 1]]).toEqual([row[0], kind === "broken" ? notGraded.join("; ") : ""]);
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
    // bench/synthetic.ts makes one exercise cell per chapter hostile.
    expect(failed.length).toBeGreaterThanOrEqual(3);
    expect(failed.length).toBeLessThanOrEqual(course.chapters.length);
    expect(failed.map((t) => t.output).join("\n")).toMatch(/stopped after 3\.0 s without finishing|more than 256 MB|process\.exit/);
  });

  test("writes an HTML summary that flags what could not be graded: learner, file and why", () => {
    const html = fs.readFileSync(path.join(outA, "summary.html"), "utf8");
    expect(html).toContain("<h1>Class summary</h1>");
    expect(html).toMatch(/histogram of totals/);
    for (const s of course.specs) expect(html).toContain(`<code>${s.id}</code>`);
    expect(html).toContain('<h2 class="warn">Not graded</h2>');
    const rows = [...html.matchAll(/<tr><td>([^<]*)<\/td><td><code>([^<]*)<\/code><\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(notGraded.map((f) => [broken, f]));
    expect(html).toMatch(/the file is empty/);
  });

  test("draws its random cases from a secret seed, recorded for the instructor, never the public one", () => {
    expect(Number.isInteger(seed)).toBe(true);
    expect(seed).not.toBe(1);
    expect(first.stdout).toContain(`random cases drawn from seed ${seed} for this run`);
    expect(fs.readFileSync(path.join(outA, "summary.html"), "utf8")).toContain(`--seed ${seed}`);
    // The per-learner results may be handed to learners: the seed is not in them.
    // (Check labels may say "seed" for the rng seeds a case passes in, e.g. "rng(seed 41)": what must not
    // appear is this run's seed, nor a way to replay it.)
    for (const f of fs.readdirSync(path.join(outA, "results"))) {
      const text = fs.readFileSync(path.join(outA, "results", f), "utf8");
      expect(text).not.toContain(`seed ${seed}`);
      expect(text).not.toMatch(/--seed|caseInput\(/);
    }
  });

  test("a regrade with the recorded seed gives the same files, byte for byte", () => {
    expect({ code: second.code, stderr: second.stderr, stdoutEnd: second.stdout.slice(-300) }).toEqual({ code: first.code, stderr: "", stdoutEnd: expect.stringContaining("Wrote") });
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

test("a class with nothing broken exits 0 and its summary has no 'Not graded' section", () => {
  const dir = tempDir("bp-class-ok-");
  writeClass(dir, 3, undefined, "pasted"); // solved, solved, solved
  const out = tempDir("bp-out-");
  const r = runCli([dir, "--out", out, "weighted-sum", "sigmoid"]);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  expect(r.stdout).not.toMatch(/^(!|Not graded)/m);
  expect(fs.readFileSync(path.join(out, "summary.html"), "utf8")).not.toContain("Not graded");
  expect(fs.readFileSync(path.join(out, "gradebook.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(",").pop())).toEqual(["", "", ""]);
}, 120_000);

describe("hidden checks are counted only for an exercise that was attempted", () => {
  afterEach(() => forgetCells());
  const hiddenLine = (html: string): string | null => /\d+ hidden check\(s\) failed too/.exec(html)?.[0] ?? null;

  test("not started (the stub's todo()): no 'hidden check(s) failed too'", () => {
    rememberCell('// exercise: sigmoid\nfunction sigmoid(z: number): number {\n  return todo("sigmoid");\n}');
    const r = checkResult("sigmoid");
    expect(r.status).toBe("not-started");
    expect(hiddenLine(verdictHtml(r))).toBeNull();
  });

  test("attempted and wrong on hidden cases: the count is shown", () => {
    rememberCell("// exercise: sigmoid\nfunction sigmoid(z: number): number {\n  return z > 3 ? 0 : 1 / (1 + Math.exp(-z));\n}");
    const r = checkResult("sigmoid");
    expect(r.status).toBe("failed");
    expect(r.checks.hiddenFailed).toBeGreaterThan(0);
    expect(hiddenLine(verdictHtml(r))).toBe(`${r.checks.hiddenFailed} hidden check(s) failed too`);
  });
});
