// The learner's workspace (issue 12): answers out of sight and shown only when
// earned, work never overwritten, a mistyped id grades nothing, --watch says
// what changed, reports name cells the way Jupyter shows them, the grader
// works wherever the notebooks live, and `npm run jupyter` serves notebooks/.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { changesSince, parseArgs, referenceCell } from "../grader/cli";
import { course } from "../exercises";
import { headingAbove } from "../grader/engine/notebook/cells";
import { parseNotebook } from "../grader/engine/notebook/notebook";
import type { ExerciseResult } from "../grader/engine/judge/result";
import { firstDifference, learnerWork } from "../grader/build-notebooks";
import { jupyterArgs } from "../grader/jupyter";
import { describeCellError, matchLine, notWrittenYet } from "../grader/lab/errors";
import { todo } from "../grader/lab";
import { cli, courseCopy, freePort, learner, pristineNotebooks, root, sha, tempDir, withExerciseCell } from "./helpers";
import { jupyterAvailable } from "./jupyter";
import { serializeNotebook } from "../grader/engine/notebook/notebook";

const CH1 = course.chapters[0].slug;

function run(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; script?: string } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [opts.script ?? cli, ...args], { cwd: opts.cwd ?? root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...opts.env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const SOLVED_SIGMOID = "function sigmoid(z: number): number {\n  return 0.5 * (1 + Math.tanh(z / 2));\n}";

describe("a mistyped exercise id", () => {
  test("grades nothing, exits 2 and suggests the nearest id", () => {
    const r = run(["sigmod"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean sigmoid?");
    expect(r.stderr.split("\n").length).toBeLessThan(30);
    expect(r.stdout).toBe(""); // no scorecard: nothing was graded
  });

  test("--solution with a mistyped id is the same usage error", () => {
    const r = run(["--solution", "sigmoide"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean sigmoid?");
    expect(r.stdout).toBe("");
  });

  test("parseArgs suggests by spelling and by part of the id", () => {
    expect(() => parseArgs(["backprp"], false, root)).toThrow(/did you mean backprop\?/);
    expect(() => parseArgs(["gradients"], false, root)).toThrow(/did you mean .*average-gradients/);
  });
});

describe("--solution <id>: the reference, once earned", () => {
  test("refuses while the exercise does not pass in the learner's notebook, and shows no answer", () => {
    // Untouched notebooks in a notebooks/ folder of their own: the course's may hold a learner's work.
    const r = run(["--solution", "sigmoid", `notebooks/${CH1}.ipynb`], { cwd: path.dirname(pristineNotebooks()) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("sigmoid is not written yet in notebooks/01-forward-pass.ipynb: the reference solution is shown once it passes");
    expect(r.stdout).not.toContain("Math.exp");
  });

  test("prints the reference cell once it passes, without solution markers", () => {
    const nb = withExerciseCell(learner(CH1), "sigmoid", SOLVED_SIGMOID, path.join(tempDir(), `${CH1}.ipynb`));
    const r = run(["--solution", "sigmoid", nb]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const ref = referenceCell("sigmoid")!;
    expect(ref.source).toMatch(/^\/\/ exercise: sigmoid\n/);
    expect(ref.source).not.toMatch(/SOLUTION/);
    expect(r.stdout).toContain("✔ sigmoid passes");
    expect(r.stdout).toContain(ref.source);
  });
});

describe("the grader works wherever the notebooks live", () => {
  test("run in a folder holding the course's notebooks, it grades them and names them from there", () => {
    const dir = tempDir("bp-mine-");
    withExerciseCell(learner(CH1), "sigmoid", SOLVED_SIGMOID, path.join(dir, `${CH1}.ipynb`));
    const r = run(["sigmoid"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^01-forward-pass\.ipynb$/m);
    expect(r.stdout).toMatch(/sigmoid\s+2\/2\s+passed/);
  });

  test("under npm run, relative paths are read from the folder the learner typed them in (INIT_CWD)", () => {
    const dir = tempDir("bp-mine-");
    withExerciseCell(learner(CH1), "sigmoid", SOLVED_SIGMOID, path.join(dir, "work", "mine.ipynb"));
    const r = run(["work/mine.ipynb", "sigmoid"], { env: { npm_lifecycle_event: "grade", INIT_CWD: dir } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("work/mine.ipynb");
  });

  test("a course without solutions/ says so in one line, no stack trace, exit 2", () => {
    const dir = courseCopy({ solutions: false });
    const r = run([], { script: path.join(dir, "dist", "grader", "cli.js") });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("has no solutions/ folder");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("the scorecard names a cell as Jupyter shows it", () => {
  test("by its marker and the heading above it, never by a count of cells", () => {
    const r = run([`notebooks/${CH1}.ipynb`, "sigmoid", "cost"], { cwd: path.dirname(pristineNotebooks()) });
    expect(r.stdout).toContain('Next: sigmoid (notebooks/01-forward-pass.ipynb, the cell `// exercise: sigmoid` under "Step 2 · Squashing with the sigmoid")');
    expect(r.stdout).not.toMatch(/\bcell \d+/);
  });

  test("headingAbove finds the nearest heading, skipping code cells", () => {
    const nb = parseNotebook(
      JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [
        { cell_type: "markdown", metadata: {}, source: "# Chapter\n\n## Step 1 · One ##\ntext" },
        { cell_type: "code", metadata: {}, source: "// given", outputs: [], execution_count: null },
        { cell_type: "markdown", metadata: {}, source: "no heading here" },
        { cell_type: "code", metadata: {}, source: "// exercise: x", outputs: [], execution_count: null },
      ] }),
      "t.ipynb",
    );
    expect(headingAbove(nb, 4)).toBe("Step 1 · One");
    expect(headingAbove(nb, 1)).toBeUndefined();
  });
});

describe("--watch", () => {
  const result = (id: string, status: ExerciseResult["status"], passed: number, score = 0): ExerciseResult => ({
    id, title: id, chapter: CH1, notebook: "n.ipynb", points: 2, score, status, checks: { total: 10, passed, hidden: 0, hiddenFailed: 0 }, failures: [], hint: "", seed: 1, console: [],
  });

  test("says in one line what changed since the last run", () => {
    const before = [result("sigmoid", "failed", 3), result("cost", "not-started", 0), result("forward", "failed", 1)];
    const after = [result("sigmoid", "passed", 10, 2), result("cost", "failed", 4), result("forward", "failed", 1)];
    expect(changesSince(before, after)).toBe("Since the last run: sigmoid now passes, cost now fails (4/10 checks) (+2 points).");
    expect(changesSince(after, after)).toBe("No change since the last run.");
  });

  test("prints a separator with the time, then what changed, after each save", async () => {
    const dir = tempDir("bp-watch-");
    const nb = path.join(dir, `${CH1}.ipynb`);
    fs.copyFileSync(learner(CH1), nb);
    const child = spawn(process.execPath, [cli, nb, "sigmoid", "--watch"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const until = async (what: RegExp, ms = 40000): Promise<void> => {
      for (const end = Date.now() + ms; Date.now() < end && !what.test(out); ) await new Promise((r) => setTimeout(r, 100));
    };
    try {
      await until(/Watching/);
      expect(out).toMatch(/──── \d\d:\d\d:\d\d · grading/);
      withExerciseCell(learner(CH1), "sigmoid", SOLVED_SIGMOID, nb);
      await until(/Since the last run/);
      expect(out).toMatch(new RegExp(`──── \\d\\d:\\d\\d:\\d\\d · ${CH1}\\.ipynb saved`));
      expect(out).toContain("Since the last run: sigmoid now passes (+2 points).");
    } finally {
      child.kill();
    }
  }, 90000);
});

describe("build:notebooks never overwrites a learner's work", () => {
  test("the course as committed passes build:notebooks --check: every learner notebook is what its master produces, and recorded as generated", () => {
    // Unrecorded, a shipped notebook would be taken for someone's work the first time its
    // master changes (an author's new-exercise), and build:notebooks would ask for --force.
    const dir = courseCopy();
    const check = run(["--check"], { script: path.join(dir, "dist", "grader", "build-notebooks.js"), cwd: dir });
    expect({ code: check.code, stderr: check.stderr }).toEqual({ code: 0, stderr: "" });
  });

  test("a learner-edited notebook is left byte for byte, named with its exercises, and the run exits non-zero; --force overwrites", () => {
    const dir = courseCopy();
    const nb = path.join(dir, "notebooks", `${CH1}.ipynb`);
    withExerciseCell(learner(CH1), "sigmoid", SOLVED_SIGMOID, nb);
    const before = sha(nb);
    const build = path.join(dir, "dist", "grader", "build-notebooks.js");
    const r = run([], { script: build, cwd: dir });
    expect(r.code).not.toBe(0);
    expect(sha(nb)).toBe(before);
    expect(r.stderr).toContain(`notebooks/${CH1}.ipynb was NOT overwritten: its exercise cells differ from the stubs (sigmoid)`);
    expect(r.stderr).toContain("Learners: you never need this command");
    const check = run(["--check"], { script: build, cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stderr).toContain("it holds work in sigmoid: if it is yours, this is expected");
    expect(check.stderr).not.toMatch(/run npm run build:notebooks/);
    const forced = run(["--force"], { script: build, cwd: dir });
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(nb, "utf8")).toBe(fs.readFileSync(learner(CH1), "utf8"));
  });

  test("learnerWork tells work from stubs; firstDifference stays short even over megabytes of outputs", () => {
    const want = fs.readFileSync(learner(CH1), "utf8");
    expect(learnerWork(want, want)).toEqual([]);
    const edited = fs.readFileSync(withExerciseCell(learner(CH1), "cost", "function cost() { return 0; }", path.join(tempDir(), "x.ipynb")), "utf8");
    expect(learnerWork(edited, want)).toEqual(["cost"]);
    expect(learnerWork("{ not json", want).length).toBe(course.chapters[0].exercises.length);
    const nb = parseNotebook(want, "want").json;
    nb.cells.find((c) => c.cell_type === "code")!.outputs = [{ output_type: "display_data", data: { "text/html": "x".repeat(5_000_000) }, metadata: {} }];
    const diff = firstDifference(serializeNotebook(nb), want)!;
    expect(diff).toMatch(/carries outputs/);
    expect(diff.length).toBeLessThan(400);
  });
});

describe("notebook errors (without a kernel)", () => {
  test("todo() throws the one line of the issue", () => {
    expect(() => todo("sigmoid")).toThrow('sigmoid is not written yet: replace todo("sigmoid") in the cell marked // exercise: sigmoid');
    expect(notWrittenYet("cost")).toBe('cost is not written yet: replace todo("cost") in the cell marked // exercise: cost');
  });

  test("an error is its message and the line of the learner's cell it came from", () => {
    const ts = "// exercise: sigmoid\nfunction sigmoid(z: number): number {\n  const parts: number[] = [];\n\n  return 1 / (1 + Math.exp(-parts[3].toFixed(2)));\n}";
    const js = "(function(exports, require) { function sigmoid(z) {\n    const parts = [];\n    return 1 / (1 + Math.exp(-parts[3].toFixed(2)));\n}\nexports.sigmoid = sigmoid;\n})(__tslab__.exports, __tslab__.require)";
    expect(matchLine("    return 1 / (1 + Math.exp(-parts[3].toFixed(2)));", ts)).toBe(5);
    const e = new TypeError("Cannot read properties of undefined (reading 'toFixed')");
    e.stack = `${e.name}: ${e.message}\n    at sigmoid (cell-3:3:38)\n    at Array.map (<anonymous>)\n    at cell-5:2:10\n    at Script.runInThisContext (node:vm:135:14)\n    at Object.execute (/x/node_modules/tslab/dist/executor.js:160:38)`;
    const cells = new Map([["cell-3", { js, ts, exercise: "sigmoid" }], ["cell-5", { js: "(function(exports, require) { zs.map(sigmoid);\n})" }]]);
    expect(describeCellError(e, cells, "cell-5")).toBe(
      "TypeError: Cannot read properties of undefined (reading 'toFixed')\n    at line 5 of the cell marked // exercise: sigmoid: return 1 / (1 + Math.exp(-parts[3].toFixed(2)));",
    );
    const lib = new Error("inside the lab");
    lib.stack = "Error: inside the lab\n    at plot (/x/dist/grader/lab/plot.js:1:1)";
    expect(describeCellError(lib, cells, "cell-5")).toBe("Error: inside the lab");
  });
});

describe("npm run jupyter", () => {
  test("adds --allow-root only as root, and always serves notebooks/", () => {
    expect(jupyterArgs("notebook", [], true)).toEqual(["notebook", "--notebook-dir", path.join(root, "notebooks"), "--allow-root"]);
    expect(jupyterArgs("notebook", ["--allow-root"], true)).toEqual(["notebook", "--notebook-dir", path.join(root, "notebooks"), "--allow-root"]);
    expect(jupyterArgs("lab", ["--no-browser", "--install-only"], false)).toEqual(["lab", "--notebook-dir", path.join(root, "notebooks"), "--no-browser"]);
  });

  const maybe = jupyterAvailable() ? test : test.skip;
  maybe("serves notebooks/ as its root: the learner's file browser has the course.chapters and no solutions/ (Jupyter's contents API)", async () => {
    // Jupyter Notebook 6 cannot report the port it got for port 0: the OS names a free one, and
    // should it be taken meanwhile, Jupyter retries the next ones; the URL it prints says which.
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(root, "dist", "grader", "jupyter.js"), "--no-browser", `--port=${port}`, "--port-retries=50"], { cwd: root, env: { ...process.env, BROWSER: "true" } });
    let log = "";
    child.stdout.on("data", (d: Buffer) => (log += d.toString()));
    child.stderr.on("data", (d: Buffer) => (log += d.toString()));
    try {
      let url: URL | undefined;
      for (const end = Date.now() + 60000; Date.now() < end && !url; ) {
        const m = /(http:\/\/(?:127\.0\.0\.1|localhost):\d+\/[^\s]*\?token=[0-9a-f]+)/.exec(log);
        if (m) url = new URL(m[1]);
        else await new Promise((r) => setTimeout(r, 200));
      }
      if (!url) throw new Error(`Jupyter did not print its URL:\n${log.slice(-2000)}`);
      const token = url.searchParams.get("token")!;
      const origin = url.origin;
      const api = (p: string) => fetch(new URL(`/api/contents${p}?token=${token}`, origin));
      const listing = (await (await api("")).json()) as { content: { name: string }[] };
      const names = listing.content.map((c) => c.name);
      for (const c of course.chapters) expect(names).toContain(`${c.slug}.ipynb`);
      expect(names).not.toContain("solutions");
      expect((await api("/solutions")).status).toBe(404);
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  }, 90000);
});
