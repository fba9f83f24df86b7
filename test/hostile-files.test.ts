// Hostile files and hostile text: learner strings are bounded in every report,
// cannot drive the terminal or a spreadsheet, every learner folder gets exactly
// one results file, symbolic links are never followed, oversized notebooks are
// refused unread, and on Gradescope only the grader's own results are kept.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { gradebookCsv, classSummaryText, learnersIn, resultFileNames, type ClassReport } from "../grader/class-grade";
import { expandChecks } from "../grader/engine/course/cases";
import { resolveTargets } from "../grader/engine/grade";
import { installHarness } from "../grader/engine/run/harness";
import { encodeArg } from "../grader/engine/judge/values";
import { course } from "../exercises";
import { judge } from "../grader/engine/judge/judge";
import { NotebookError, readNotebook } from "../grader/engine/notebook/notebook";
import type { Outcome } from "../grader/engine/judge/outcome";
import { MAX_EXERCISE_CHARS, MAX_MESSAGE_CHARS, type ExerciseResult, type Report } from "../grader/engine/judge/result";
import { COLOR, scorecard, terminalSafe } from "../grader/report/terminal";
import { classSummaryHtml, summarize } from "../grader/report/class-summary";
import { escapeHtml } from "../grader/report/escape";
import { cli, master, root, runCli, sha, tempDir, testIf, UNSHARED, withExerciseCell } from "./helpers";

const SLUG = "01-forward-pass";
const total = course.specs.reduce((s, x) => s + x.points, 0);
const ch1 = course.specs.filter((s) => ["weighted-sum", "sigmoid", "activation", "cost", "forward"].includes(s.id));
const ch1Points = ch1.reduce((s, x) => s + x.points, 0);

/** Every string of a result, as a report could show it. */
function stringsOf(r: ExerciseResult): string[] {
  return [r.problem ?? "", ...r.failures.flatMap((f) => [f.label, f.expected, f.actual, f.why ?? "", f.math?.expected ?? "", f.math?.actual ?? ""]), ...(r.shown ?? []).flatMap((s) => [s.caption, s.tex]), ...r.console];
}

/** Files and links under `dir`, never following a link: path -> sha (files) or "-> target" (links). */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) out.set(p, `-> ${fs.readlinkSync(p)}`);
      else if (e.isDirectory()) walk(p);
      else out.set(p, sha(p));
    }
  };
  walk(dir);
  return out;
}

// A cell whose every function throws a message of `size` characters, different per call, and prints big console lines.
const shouting = (fn: string, params: string, size: number): string =>
  `console.log("c".repeat(${size}));\nconsole.log("d".repeat(${size}));\nconsole.log("e".repeat(${size}));\nfunction ${fn}(${params}): any {\n  throw new Error(JSON.stringify([${params.replace(/: \w+(\[\])?/g, "")}]) + "x".repeat(${size}));\n}`;
const CH1_CELLS: [string, string, string][] = [
  ["weighted-sum", "weightedSum", "w: number, aPrev: number, b: number"],
  ["sigmoid", "sigmoid", "z: number"],
  ["activation", "activation", "w: number, aPrev: number, b: number"],
  ["cost", "cost", "a: number, y: number"],
  ["forward", "forward", "w1: number, b1: number, w2: number, b2: number, x: number"],
];

/** Chapter 1 with every exercise cell throwing huge, varying messages. */
function shoutingNotebook(file: string, size: number): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(master(SLUG), file);
  for (const [id, fn, params] of CH1_CELLS) withExerciseCell(file, id, shouting(fn, params, size), file);
  return file;
}

describe("answers are bounded where they are made", () => {
  test("one answer of more numbers than the batch's cap is cut in the sandbox, not sent", () => {
    const g: { __bp?: { dispatchAll(input: string): string } } = {};
    installHarness(g);
    (globalThis as { __hugeAnswer?: unknown }).__hugeAnswer = (n: number) => new Array(n).fill(0.1234567890123);
    const probe = (n: number) => ({ name: "__hugeAnswer", argsJson: JSON.stringify([encodeArg(n)]) });
    const text = g.__bp!.dispatchAll(JSON.stringify([probe(3), probe(1_000_000), probe(2)]));
    expect(text.length).toBeLessThan(1000);
    const [small, huge, after] = JSON.parse(text) as { value: { na?: number[]; cut?: string } }[];
    expect(small.value.na).toHaveLength(3);
    expect(huge.value.cut).toMatch(/^too large \(the answers of this exercise exceed 16000000 characters\)$/);
    expect(after.value.na).toHaveLength(2);
  });
});

describe("learner strings are bounded in every report", () => {
  const sigmoid = course.specs.find((s) => s.id === "sigmoid")!;
  const cases = expandChecks(sigmoid, 1);
  const probes = cases.reduce((n, c) => n + c.probes.length, 0);
  const where = { chapter: SLUG, notebook: "x.ipynb", cell: 3, seed: 1 };

  test("a 45 MB thrown message is cut to 2 KB, saying how much was cut", () => {
    const huge = "A".repeat(45 * 1024 * 1024);
    const cellError: Outcome = { status: "threw", error: { name: "Error", message: huge } };
    const r = judge(sigmoid, cases, { cellError, outcomes: [], console: [huge, huge] }, null, where);
    expect(r.problem!.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(r.problem).toMatch(/^threw Error: A+… \(cut: \d+ more characters\)$/);
    const cut = Number(/cut: (\d+)/.exec(r.problem!)![1]);
    expect(r.problem!.length - /… \(cut.*$/.exec(r.problem!)![0].length + cut).toBe(`threw Error: ${huge}`.length);
    for (const line of r.console) expect(line.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  });

  test("one exercise's strings add up to at most 64 KB, however many there are", () => {
    const outcomes: Outcome[] = Array.from({ length: probes }, (_, i) => ({ status: "threw", error: { name: "Error", message: `${i}`.padEnd(1e6, "m") } }));
    const consoleLines = Array.from({ length: 200 }, (_, i) => `${i}`.padEnd(1e5, "c"));
    const r = judge(sigmoid, cases, { cellError: null, outcomes, console: consoleLines }, null, where);
    expect(r.failures.length).toBeGreaterThan(0);
    const all = stringsOf(r);
    for (const s of all) expect(s.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(all.reduce((n, s) => n + s.length, 0)).toBeLessThanOrEqual(MAX_EXERCISE_CHARS + 100);
    expect(r.console[r.console.length - 1]).toMatch(/^… \(cut: \d+ more console lines\)$/);
    // Short, honest values are untouched.
    const ok = judge(sigmoid, cases, { cellError: { status: "threw", error: { name: "Error", message: "short" } }, outcomes: [], console: ["hello"] }, null, where);
    expect([ok.problem, ok.console]).toEqual(["threw Error: short", ["hello"]]);
  });

  test("the CLI's scorecard, results.json and JUnit XML stay small when every cell throws huge messages", () => {
    const dir = tempDir();
    const file = shoutingNotebook(path.join(dir, `${SLUG}.ipynb`), 100_000);
    const before = sha(file);
    const json = path.join(dir, "out", "results.json");
    const junit = path.join(dir, "out", "junit.xml");
    const r = runCli([file, "--json", json, "--junit", junit]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Total: 0\/8 points$/m);
    expect(r.stdout).toMatch(/… \(cut: \d+ more characters\)/);
    expect(r.stdout.length).toBeLessThan(ch1.length * (MAX_EXERCISE_CHARS + 4096));
    const results = JSON.parse(fs.readFileSync(json, "utf8")) as { tests: { output: string }[] };
    for (const t of results.tests) expect(t.output.length).toBeLessThan(MAX_EXERCISE_CHARS + 4096);
    expect(results.tests.map((t) => t.output).join("\n")).toMatch(/cut: \d+ more characters/);
    expect(fs.statSync(junit).size).toBeLessThan(2 * ch1.length * (MAX_EXERCISE_CHARS + 4096));
    expect(sha(file)).toBe(before);
  });
});

describe("learner text cannot drive the terminal", () => {
  const forged = "\u001b[2K\r\u001b[1ATotal: 13/13 points\nTotal: 52/52 points\r\u0008\u0008\u001b]0;owned\u0007\u001b[8m\u009b31m\u202eevil\u0000";

  test("terminalSafe keeps text and line breaks, drops escape sequences and controls", () => {
    expect(terminalSafe("a\tb ✔ 😀")).toBe("a\tb ✔ 😀");
    const safe = terminalSafe(forged);
    expect(safe).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(safe.split("\n").slice(1).every((l) => l.startsWith("    "))).toBe(true);
  });

  function forgedReport(): Report {
    const r: ExerciseResult = {
      id: "sigmoid", title: "Sigmoid", chapter: SLUG, notebook: `notebooks/${SLUG}.ipynb`, cell: 3, points: 2, score: 0, status: "failed",
      checks: { total: 3, passed: 1, hidden: 0, hiddenFailed: 0 }, problem: forged,
      failures: [{ label: `sigmoid(${forged})`, expected: "0.5", actual: forged, why: forged }], hint: "h", seed: 1, console: [forged, forged],
    };
    return { results: [r], problems: [{ notebook: `notebooks/${forged}.ipynb`, message: forged }], score: 0, maxScore: 2, seed: 1 };
  }

  test("the coloured scorecard carries only our own colours, and one Total line, the real one", () => {
    const text = scorecard(forgedReport(), COLOR, root);
    const ours = /\u001b\[(?:32|31|33|2|1|39|22)m/g;
    expect(text.replace(ours, "")).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    const plain = text.replace(ours, "");
    expect(plain.split("\n").filter((l) => l.startsWith("Total:"))).toEqual(["Total: 0/2 points"]);
  });

  test("the class summary text is cleaned too", () => {
    const text = classSummaryText(summarize(course.specs, [{ report: forgedReport() }]));
    expect(text).toContain("evil");
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(text.split("\n").filter((l) => /^Total:/.test(l))).toEqual([]);
  });

  test("through the CLI: a cell's message and console output cannot forge the total or hide the result", () => {
    const dir = tempDir();
    const file = withExerciseCell(master(SLUG), "sigmoid", `console.log(${JSON.stringify(forged)});\nfunction sigmoid(z: number): number {\n  throw new Error(${JSON.stringify(forged)});\n}`, path.join(dir, `${SLUG}.ipynb`));
    const r = runCli([file]);
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(r.stdout.split("\n").filter((l) => l.startsWith("Total:"))).toEqual([`Total: ${ch1Points - 2}/${ch1Points} points`]);
  });

  test("when stdout is a pipe that is read slowly, all of the output arrives, Total line included", () => {
    const dir = tempDir();
    // Eight copies of a notebook whose cells throw long messages: several hundred KB of scorecard.
    const files = Array.from({ length: 8 }, (_, i) => shoutingNotebook(path.join(dir, `copy${i}`, `${SLUG}.ipynb`), 10_000));
    // A real OS pipe, read by a shell: after the first byte, nothing more is read until the
    // grader has exited, or (when it waits for its output to be read, as it should) 3 s
    // later. An early exit cannot hide behind a fast reader; a correct grader passes either way.
    const done = path.join(dir, "exit-code");
    const script = `{ "$0" "$@"; echo $? > '${done}'; } | { dd bs=1 count=1 2>/dev/null; i=0; while [ ! -e '${done}' ] && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done; cat; }`;
    const r = spawnSync("bash", ["-c", script, process.execPath, cli, ...files], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 256 * 1024 * 1024 });
    const out = r.stdout;
    const stderr = r.stderr;
    const code = Number(fs.readFileSync(done, "utf8"));
    expect(stderr).toBe("");
    expect(out.length).toBeGreaterThan(200 * 1024);
    expect(out).toMatch(/^Total: 0\/\d+ points$/m);
    expect(code).toBe(1);
  }, 120_000);
});

describe("class grading: CSV cells, file names, links and hidden folders", () => {
  test("a text cell that starts like a formula is quoted and defused; numbers are not", () => {
    const names = ["=2+5", "+SUM(A1:A9)", "-1+1", "@cmd", "\t=1", "\r=1", "plain", 'a "quoted", name'];
    const report = { learners: names.map((name) => ({ learner: { name, dir: name }, report: { results: [], problems: [], score: -1, maxScore: total, seed: 1 } })), summary: summarize(course.specs, []), seed: 1 } as ClassReport;
    const rows = gradebookCsv(report).split("\n");
    const zeros = course.specs.map(() => "0").join(",");
    // A carriage return is a control: dropped (as on the terminal), and what is left still defused.
    const expected = ['"\'=2+5"', '"\'+SUM(A1:A9)"', '"\'-1+1"', '"\'@cmd"', '"\'\t=1"', '"\'=1"', "plain", '"a ""quoted"", name"'];
    expect(rows.slice(1, -1)).toEqual(expected.map((name) => `${name},${zeros},-1,`));
  });

  test("escape sequences and controls in learner names reach neither the gradebook nor the summary page", () => {
    const names = ["\u001b[2J\u001b[31mFAKE", "a\u202eb", "<img src=x onerror=alert(1)>\u0007"];
    const report = { learners: names.map((name) => ({ learner: { name, dir: name }, report: { results: [], problems: [], score: 0, maxScore: total, seed: 1 } })), summary: summarize(course.specs, []), seed: 1 } as ClassReport;
    const csv = gradebookCsv(report);
    const html = classSummaryHtml({ ...report.summary, notGraded: names.map((learner) => ({ learner, file: "01\u001b[31m.ipynb", message: "bad\u202e" })) });
    expect(html).toContain("FAKE");
    const controls = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
    expect(csv).not.toMatch(controls);
    expect(csv.split("\n").slice(1, 4).map((r) => r.split(",")[0])).toEqual(["FAKE", "ab", "<img src=x onerror=alert(1)>"]);
    expect(escapeHtml(names[0] + names[1] + names[2])).toBe("FAKEab&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toMatch(controls);
  });

  test("results file names: one per learner, stable, case-insensitively distinct", () => {
    const names = ["a b", "a_b", "A_B", "a:b", "plain", "x".repeat(300), "x".repeat(301), "../up", ".hidden"];
    const files = resultFileNames(names);
    expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(names.length);
    expect(resultFileNames(names)).toEqual(files);
    expect(files[4]).toBe("plain");
    for (const f of files) {
      expect(f).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
      expect(f.length).toBeLessThanOrEqual(200);
    }
    // A unique safe name stays as it is; one made safe carries a hash of the real name.
    expect(resultFileNames(["a_b"])).toEqual(["a_b"]);
    expect(resultFileNames(["a b"])[0]).toMatch(/^a_b-[0-9a-f]{8}$/);
  });

  test("a learner folder that cannot be listed (no read permission) is a learner with why it was not graded; reading it never throws", () => {
    // As root every folder can be listed: the permission error is made by the file system call itself.
    const dir = tempDir("bp-locked-class-");
    for (const name of ["honest", "locked"]) {
      fs.mkdirSync(path.join(dir, name));
      fs.copyFileSync(master(SLUG), path.join(dir, name, `${SLUG}.ipynb`));
    }
    const locked = path.join(dir, "locked");
    const real = jest.requireActual<typeof fs>("node:fs");
    const readdirSync = ((p: fs.PathLike, ...rest: unknown[]) => {
      if (path.resolve(String(p)) === locked) throw Object.assign(new Error(`EACCES: permission denied, scandir '${locked}'`), { code: "EACCES" });
      return (real.readdirSync as (...a: unknown[]) => unknown)(p, ...rest);
    }) as typeof fs.readdirSync;
    let grading: { learnersIn: typeof learnersIn; resolveTargets: typeof resolveTargets; course: typeof course } | undefined;
    jest.isolateModules(() => {
      jest.doMock("node:fs", () => ({ ...real, readdirSync }));
      grading = { learnersIn: require("../grader/class-grade").learnersIn, resolveTargets: require("../grader/engine/grade").resolveTargets, course: require("../exercises").course };
    });
    jest.dontMock("node:fs");
    const learners = grading!.learnersIn(dir)!;
    expect(learners.map((l) => [l.name, l.problem ?? ""])).toEqual([
      ["honest", ""],
      ["locked", expect.stringMatching(/^the learner folder cannot be read/)],
    ]);
    const { problems, targets } = grading!.resolveTargets(grading!.course, [locked]);
    expect(targets).toEqual([]);
    expect(problems).toEqual([{ notebook: locked, message: expect.stringMatching(/^the folder cannot be read \(EACCES\)/) }]);
  });

  describe("a class folder with hostile folder names, links and hidden folders", () => {
    const dir = tempDir("bp-hostile-class-");
    const solved = (name: string, sub = ""): string => {
      const d = path.join(dir, name, sub);
      fs.mkdirSync(d, { recursive: true });
      fs.copyFileSync(master(SLUG), path.join(d, `${SLUG}.ipynb`));
      return d;
    };
    solved("a b");
    solved("a_b");
    solved("=2+5");
    solved(".hidden");
    solved("real");
    fs.symlinkSync(path.join(root, "solutions"), path.join(dir, "linked")); // a learner folder that is a link to the answers
    fs.mkdirSync(path.join(dir, "linked-notebooks"));
    fs.symlinkSync(path.join(root, "solutions"), path.join(dir, "linked-notebooks", "notebooks"));
    fs.mkdirSync(path.join(dir, "linked-file"));
    fs.symlinkSync(master(SLUG), path.join(dir, "linked-file", `${SLUG}.ipynb`));
    const names = [".hidden", "=2+5", "a b", "a_b", "linked", "linked-file", "linked-notebooks", "real"];
    const before = snapshot(dir);
    const solutionsBefore = snapshot(path.join(root, "solutions"));
    const outA = tempDir("bp-out-");
    const outB = tempDir("bp-out-");
    let run: ReturnType<typeof runCli>;

    beforeAll(() => {
      // Both runs grade for real: their agreement is what the byte-for-byte test proves.
      // Class grading draws a secret seed per run: the same seed (a regrade) gives the same files.
      run = runCli([dir, "--out", outA, "--timeout", "1000", "--seed", "4711", ...ch1.map((s) => s.id)], { env: UNSHARED });
      runCli([dir, "--out", outB, "--timeout", "1000", "--seed", "4711", ...ch1.map((s) => s.id)], { env: UNSHARED });
    }, 180_000);

    test("lists every learner folder, links included, never following one", () => {
      const learners = learnersIn(dir)!;
      expect(learners.map((l) => l.name)).toEqual(names);
      expect(learners.filter((l) => l.problem).map((l) => l.name)).toEqual(["linked", "linked-notebooks"]);
    });

    test("every learner has a gradebook row; links score 0; formula names are defused", () => {
      expect(run.stderr).toBe("");
      const rows = fs.readFileSync(path.join(outA, "gradebook.csv"), "utf8").trim().split("\n").slice(1);
      // The last two columns: the total, then the files that could not be graded (no commas in either here).
      const byName = new Map(rows.map((l) => [l.startsWith('"') ? l.slice(0, l.indexOf('",') + 1) : l.slice(0, l.indexOf(",")), Number(l.split(",").slice(-2)[0])]));
      expect([...byName.keys()]).toEqual([".hidden", `"'=2+5"`, "a b", "a_b", "linked", "linked-file", "linked-notebooks", "real"]);
      expect(byName.get(".hidden")).toBe(ch1Points);
      expect(byName.get("a b")).toBe(ch1Points);
      expect(byName.get("real")).toBe(ch1Points);
      expect(byName.get("linked")).toBe(0);
      expect(byName.get("linked-file")).toBe(0);
      expect(byName.get("linked-notebooks")).toBe(0);
    });

    test("one results file per learner, saying why a link was not graded", () => {
      const files = fs.readdirSync(path.join(outA, "results")).sort();
      expect(files.length).toBe(names.length);
      expect(files).toContain("a_b.json");
      const linked = JSON.parse(fs.readFileSync(path.join(outA, "results", "linked.json"), "utf8")) as { score: number; max_score: number; output: string };
      expect(linked.score).toBe(0);
      expect(linked.max_score).toBe(total);
      expect(linked.output).toMatch(/symbolic link/);
      const linkedFile = JSON.parse(fs.readFileSync(path.join(outA, "results", "linked-file.json"), "utf8")) as { output: string };
      expect(linkedFile.output).toMatch(/01-forward-pass\.ipynb: is a symbolic link/);
    });

    test("the terminal summary names the learners that were not graded", () => {
      expect(run.stdout).toMatch(/^! linked: .*symbolic link/m);
      expect(run.stdout).toMatch(/^! linked-notebooks: .*symbolic link/m);
      expect(run.stdout).toMatch(/^! linked-file: .*symbolic link/m);
    });

    test("the same class gives the same files, byte for byte; nothing was modified or followed", () => {
      const a = [...snapshot(outA)].map(([f, h]) => [path.relative(outA, f), h]);
      const b = [...snapshot(outB)].map(([f, h]) => [path.relative(outB, f), h]);
      expect(a).toEqual(b);
      expect(snapshot(dir)).toEqual(before);
      expect(snapshot(path.join(root, "solutions"))).toEqual(solutionsBefore);
    });
  });
});

describe("reading notebooks: links, non-files, size", () => {
  test("a notebook that is a symbolic link is refused, whatever it points to", () => {
    const dir = tempDir();
    const link = path.join(dir, `${SLUG}.ipynb`);
    fs.symlinkSync(master(SLUG), link);
    expect(() => readNotebook(link)).toThrow(NotebookError);
    expect(() => readNotebook(link)).toThrow(/symbolic link/);
    // On the command line, as a file and in a folder: exit 2, with the reason.
    for (const target of [link, dir]) {
      const r = runCli([target, ...ch1.map((s) => s.id)]);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/01-forward-pass\.ipynb: is a symbolic link/);
      expect(r.stdout).toMatch(/^Total: 0\/8 points$/m);
    }
  });

  testIf(spawnSync("mkfifo", ["--version"]).status === 0)("a FIFO named like a notebook is refused without blocking", () => {
    const dir = tempDir();
    const fifo = path.join(dir, `${SLUG}.ipynb`);
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    expect(() => readNotebook(fifo)).toThrow(/not a regular file/);
  });

  test("a notebook over 20 MB is refused before it is read, naming its size", () => {
    const dir = tempDir();
    const file = path.join(dir, `${SLUG}.ipynb`);
    // The limit to the byte: 20 MB is read (and judged on its content, here 20 MB of NULs), one byte more is not.
    fs.writeFileSync(file, "");
    fs.truncateSync(file, 20 * 1024 * 1024);
    expect(() => readNotebook(file)).toThrow(/is not valid JSON/);
    fs.truncateSync(file, 20 * 1024 * 1024 + 1);
    expect(() => readNotebook(file)).toThrow(/is 20\.0 MB \(20971521 bytes\), more than the 20\.0 MB a notebook may be/);
    fs.writeFileSync(file, "");
    fs.truncateSync(file, 25 * 1024 * 1024); // sparse: nothing to read
    expect(() => readNotebook(file)).toThrow(/is 25\.0 MB \(26214400 bytes\), more than the 20\.0 MB a notebook may be/);
    const r = runCli([file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/01-forward-pass\.ipynb: is 25\.0 MB/);
    // Just under the limit is read (and judged on its content).
    fs.writeFileSync(file, fs.readFileSync(master(SLUG), "utf8").replace('"cells"', `"padding": "${" ".repeat(1024 * 1024)}", "cells"`));
    expect(readNotebook(file).cells.length).toBeGreaterThan(0);
  });
});

describe("run_autograder: symlinks, and only the grader's own results", () => {
  // run_autograder as the zip carries it: the course total filled in (see build-gradescope.ts).
  const runnerText = (): string => fs.readFileSync(path.join(root, "grader", "gradescope", "run_autograder"), "utf8").replace(/^MAX_SCORE=\d+$/m, `MAX_SCORE=${total}`);

  function runAutograder(fill: (submission: string, tree: string) => void, source = root): { results: { score: number; max_score: number; output: string; tests: { status: string }[] }; raw: string; tree: string } {
    const tree = tempDir("bp-autograder-");
    const runner = path.join(tree, "run_autograder");
    fs.writeFileSync(runner, runnerText(), { mode: 0o755 });
    fs.mkdirSync(path.join(tree, "submission"));
    fill(path.join(tree, "submission"), tree);
    const r = spawnSync(runner, [], { encoding: "utf8", env: { ...process.env, AUTOGRADER_ROOT: tree, AUTOGRADER_SOURCE: source } });
    expect(r.status).toBe(0);
    const raw = fs.readFileSync(path.join(tree, "results", "results.json"), "utf8");
    return { results: JSON.parse(raw), raw, tree };
  }

  test("notebooks that are links to the solutions score 0 and say why", () => {
    const { results } = runAutograder((sub) => {
      for (const f of fs.readdirSync(path.join(root, "solutions"))) fs.symlinkSync(path.join(root, "solutions", f), path.join(sub, f));
    });
    expect(results.score).toBe(0);
    expect(results.max_score).toBe(total);
    expect(results.output).toMatch(/notebooks\/01-forward-pass\.ipynb: .*symbolic link/);
  }, 120_000);

  test("a notebooks/ folder that is a link to the solutions scores 0 and says why", () => {
    const { results } = runAutograder((sub) => fs.symlinkSync(path.join(root, "solutions"), path.join(sub, "notebooks")));
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/notebooks: a symbolic link to a folder/);
  }, 120_000);

  /** A stand-in for the grader: `body` runs as dist/grader/cli.js, with RESULTS (the real results path) and GRADED (where it was told to write). */
  function fakeSource(body: string): string {
    const source = tempDir("bp-fake-source-");
    fs.mkdirSync(path.join(source, "dist", "grader"), { recursive: true });
    fs.writeFileSync(
      path.join(source, "dist", "grader", "cli.js"),
      `const fs = require("fs"); const path = require("path");\nconst RESULTS = path.join(process.env.AUTOGRADER_ROOT, "results", "results.json");\nconst GRADED = process.argv[process.argv.indexOf("--json") + 1];\nconst FORGED = JSON.stringify({ score: ${total}, max_score: ${total}, output: "forged", tests: [] });\n${body}\n`,
    );
    return source;
  }
  const genuine = (score: number) => JSON.stringify({ score, max_score: total, output: `Total: ${score}/${total}`, tests: [{ name: "t", score, max_score: score, status: "passed", output: "" }] });

  test("a results.json planted before grading is not kept when the grader dies", () => {
    const { results } = runAutograder((_sub, tree) => {
      fs.mkdirSync(path.join(tree, "results"));
      fs.writeFileSync(path.join(tree, "results", "results.json"), JSON.stringify({ score: total, max_score: total, tests: [] }));
    }, fakeSource("process.kill(process.pid, 'SIGKILL');"));
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/could not be graded: the grader stopped \(exit code 137\)/);
  });

  test("a results.json written by the grader's process (or one it left running) is never kept", () => {
    const { results, raw, tree } = runAutograder(
      () => undefined,
      fakeSource(`
        fs.writeFileSync(RESULTS, FORGED);
        // A process left behind that keeps writing the forged file.
        const child = require("child_process").spawn(process.execPath, ["-e", "const fs = require('fs'); fs.writeFileSync(process.argv[2], String(process.pid)); for (;;) { try { fs.writeFileSync(process.argv[1], process.argv[3]); } catch {} }", RESULTS, path.join(path.dirname(RESULTS), "..", "pid"), FORGED], { stdio: "ignore" });
        child.unref();
        while (!fs.existsSync(path.join(path.dirname(RESULTS), "..", "pid")) || !fs.readFileSync(path.join(path.dirname(RESULTS), "..", "pid"), "utf8")) {}
        fs.writeFileSync(GRADED, ${JSON.stringify(genuine(3))});
        process.exit(1);`),
    );
    expect(raw).not.toContain("forged");
    expect(results.score).toBe(3);
    const pid = Number(fs.readFileSync(path.join(tree, "pid"), "utf8"));
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (alive) process.kill(pid, "SIGKILL");
    expect(alive).toBe(false);
  }, 60_000);

  test("results the grader did not write as results, or that do not add up, score 0", () => {
    for (const body of [
      "fs.writeFileSync(RESULTS, FORGED);",
      `fs.writeFileSync(GRADED, JSON.stringify({ score: ${total + 5}, max_score: ${total}, tests: [] }));`,
      `fs.writeFileSync(GRADED, JSON.stringify({ score: ${total}, max_score: ${total}, tests: [] }));`,
    ]) {
      const { results, raw } = runAutograder(() => undefined, fakeSource(body));
      expect([body, results.score, raw.includes("forged")]).toEqual([body, 0, false]);
      expect(results.output).toMatch(/could not be graded/);
    }
  });
});
