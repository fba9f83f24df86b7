// Running on Gradescope and in CI: the autograder zip holds what Gradescope
// expects and runs on a fake /autograder tree (solved → full marks, untouched →
// 0, broken or crashing → still a results.json that says why), and --junit
// gives CI one test per exercise with the learner's feedback text.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { buildGradescopeZip } from "../grader/build-gradescope";
import { classroomWorkflow } from "../grader/classroom";
import { course } from "../exercises";
import { exerciseSource, markedId } from "../grader/engine/notebook/cells";
import type { ExerciseResult, Report } from "../grader/engine/judge/result";
import { testOutput } from "../grader/report/gradescope";
import { junitXml } from "../grader/report/junit";
import { pristineNotebooks, root, runCli, tempDir, testIf } from "./helpers";

const totalPoints = course.specs.reduce((s, spec) => s + spec.points, 0);

/** Entries of a stored (uncompressed) zip, read from its central directory. */
function readZip(file: string): Map<string, { data: Buffer; mode: number }> {
  const buf = fs.readFileSync(file);
  const end = buf.length - 22;
  expect(buf.readUInt32LE(end)).toBe(0x06054b50);
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const entries = new Map<string, { data: Buffer; mode: number }>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(at)).toBe(0x02014b50);
    expect(buf.readUInt16LE(at + 10)).toBe(0); // stored
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const skip = nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString("utf8", at + 46, at + 46 + nameLength);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    expect([name, zlib.crc32(data)]).toEqual([name, buf.readUInt32LE(at + 16)]);
    entries.set(name, { data, mode: (buf.readUInt32LE(at + 38) >>> 16) & 0o777 });
    at += 46 + skip;
  }
  return entries;
}

const built = buildGradescopeZip({ out: path.join(tempDir("bp-zip-"), "gradescope-autograder.zip") });
const entries = readZip(built.file);

describe("the Gradescope autograder zip", () => {
  test("has executable run_autograder and setup.sh at its root, and the grader's source", () => {
    expect(entries.get("run_autograder")?.mode).toBe(0o755);
    expect(entries.get("setup.sh")?.mode).toBe(0o755);
    expect(entries.get("run_autograder")!.data.toString()).toMatch(/^#!\/usr\/bin\/env bash\n/);
    for (const name of ["package.json", "package-lock.json", "tsconfig.json", "grader/cli.ts", "exercises/index.ts", "solutions/01-forward-pass.ipynb"]) expect([name, entries.has(name)]).toEqual([name, true]);
    expect(entries.get("grader/cli.ts")?.mode).toBe(0o644);
  });

  test("leaves out the learner stubs, installed packages and build output", () => {
    const names = [...entries.keys()];
    expect(names.filter((n) => /^(notebooks|node_modules|dist|build|test)\/|\/node_modules\/|(^|\/)\./.test(n))).toEqual([]);
  });

  test("run_autograder knows the course's total, for when grading crashes", () => {
    expect(entries.get("run_autograder")!.data.toString()).toContain(`\nMAX_SCORE=${totalPoints}\n`);
  });

  test("is the same bytes when built again", () => {
    const again = buildGradescopeZip({ out: path.join(tempDir("bp-zip-"), "again.zip") });
    expect(fs.readFileSync(again.file).equals(fs.readFileSync(built.file))).toBe(true);
  });

  // .ci/run installs unzip; elsewhere a missing one is a counted skip.
  testIf(spawnSync("unzip", ["-v"]).status === 0)("passes `unzip -t`", () => {
    const r = spawnSync("unzip", ["-tq", built.file], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toMatch(/No errors detected/);
  });
});

interface GradescopeJson {
  score: number;
  max_score: number;
  output: string;
  tests: { name: string; score: number; max_score: number; status: string; output: string; visibility?: string }[];
}

const VISIBILITY = ["hidden", "after_due_date", "after_published", "visible"];

/** The fields Gradescope documents for results.json, with their types. */
function expectGradescopeShape(json: Record<string, unknown>): GradescopeJson {
  expect(typeof json.score).toBe("number");
  expect(typeof json.max_score).toBe("number");
  expect(typeof json.output).toBe("string");
  if (json.visibility !== undefined) expect(VISIBILITY).toContain(json.visibility);
  expect(Array.isArray(json.tests)).toBe(true);
  for (const t of json.tests as Record<string, unknown>[]) {
    expect(typeof t.name).toBe("string");
    expect(typeof t.score).toBe("number");
    expect(typeof t.max_score).toBe("number");
    expect(["passed", "failed"]).toContain(t.status);
    expect(typeof t.output).toBe("string");
    if (t.visibility !== undefined) expect(VISIBILITY).toContain(t.visibility);
  }
  return json as unknown as GradescopeJson;
}

/** A fake /autograder: run_autograder from the zip, the submission `fill` makes, and this repo (built, with node_modules) as the source. */
function runAutograder(fill: (submission: string) => void, source = root, env: NodeJS.ProcessEnv = {}): { results: GradescopeJson; stdout: string; code: number | null; seconds: number } {
  const tree = tempDir("bp-autograder-");
  const runner = path.join(tree, "run_autograder");
  fs.writeFileSync(runner, entries.get("run_autograder")!.data, { mode: entries.get("run_autograder")!.mode });
  fs.mkdirSync(path.join(tree, "submission"));
  fill(path.join(tree, "submission"));
  const started = Date.now();
  const r = spawnSync(runner, [], { encoding: "utf8", env: { ...process.env, AUTOGRADER_ROOT: tree, AUTOGRADER_SOURCE: source, ...env } });
  const seconds = (Date.now() - started) / 1000;
  const file = path.join(tree, "results", "results.json");
  expect([file, fs.existsSync(file), r.stderr]).toEqual([file, true, r.stderr]);
  return { results: expectGradescopeShape(JSON.parse(fs.readFileSync(file, "utf8"))), stdout: r.stdout, code: r.status, seconds };
}

function copyNotebooks(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from).filter((f) => f.endsWith(".ipynb"))) fs.copyFileSync(path.join(from, f), path.join(to, f));
}

describe("run_autograder on a fake /autograder", () => {
  test("solved notebooks uploaded at the top level: full marks", () => {
    const { results, stdout, code } = runAutograder((sub) => copyNotebooks(path.join(root, "solutions"), sub));
    expect(code).toBe(0);
    expect(results.max_score).toBe(totalPoints);
    expect(results.score).toBe(results.max_score);
    expect(results.tests.map((t) => t.status)).toEqual(course.specs.map(() => "passed"));
    expect(stdout).toMatch(/Total: \d+\/\d+ points/);
  });

  test("untouched notebooks in a notebooks/ folder (a repository upload): 0", () => {
    const { results } = runAutograder((sub) => copyNotebooks(pristineNotebooks(), path.join(sub, "notebooks")));
    expect(results.score).toBe(0);
    expect(results.max_score).toBe(totalPoints);
    expect(results.tests.length).toBe(course.specs.length);
  });

  test("a notebook that is not valid JSON: results.json says which and why, the others are graded", () => {
    const { results } = runAutograder((sub) => {
      copyNotebooks(path.join(root, "solutions"), sub);
      fs.writeFileSync(path.join(sub, "01-forward-pass.ipynb"), '{"cells": [');
    });
    expect(results.output).toMatch(/notebooks\/01-forward-pass\.ipynb: is not valid JSON/);
    const chapter1 = results.tests.filter((t) => t.name.startsWith("01-forward-pass /"));
    expect(chapter1.length).toBeGreaterThan(0);
    for (const t of chapter1) expect([t.name, t.score]).toEqual([t.name, 0]);
    expect(results.score).toBe(totalPoints - chapter1.reduce((s, t) => s + t.max_score, 0));
  });

  test("a submission of 5,000 notebooks: only the first 100 are copied (the course's among them), it is graded, and the note says so", () => {
    const { results, seconds } = runAutograder((sub) => {
      copyNotebooks(path.join(root, "solutions"), sub);
      for (let i = 0; i < 5000; i++) fs.writeFileSync(path.join(sub, `decoy-${String(i).padStart(4, "0")}.ipynb`), "{}");
    }, root, { GRADER_TIMEOUT: "300" });
    expect(results.score).toBe(totalPoints);
    expect(results.output).toMatch(/more than 100 notebooks: only the first 100 \(by name\) were looked at/);
    expect(seconds).toBeLessThan(300);
  }, 400_000);

  test("grading that would outlast the time limit: results.json with a message, written within the limit, copy included", () => {
    // Every exercise an endless loop: grading takes at least 32 x 2 s / 2 lanes, far over what is left of 30 s.
    const { results, seconds } = runAutograder((sub) => {
      for (const c of course.chapters) {
        const nb = JSON.parse(fs.readFileSync(course.masterPath(c.slug), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
        for (const cell of nb.cells) {
          const text = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
          const id = cell.cell_type === "code" ? markedId(text) : undefined;
          if (id !== undefined) cell.source = exerciseSource(id, `function ${course.spec(id)!.defines[0]}(...a: any[]): any { while (true) {} }`);
        }
        fs.writeFileSync(path.join(sub, `${c.slug}.ipynb`), JSON.stringify(nb));
      }
      for (let i = 0; i < 5000; i++) fs.writeFileSync(path.join(sub, `decoy-${String(i).padStart(4, "0")}.ipynb`), "{}");
    }, root, { GRADER_TIMEOUT: "30", GRADER_RESERVE: "15" });
    expect(results.score).toBe(0);
    expect(results.max_score).toBe(totalPoints);
    expect(results.output).toMatch(/could not be graded: grading took longer than the 30 seconds allowed/);
    // Gradescope's own limit would be 30 s here: the result is there before it.
    expect(seconds).toBeLessThan(30);
  }, 120_000);

  test("when the grader itself cannot run: score 0 out of the course total, and the error", () => {
    const { results } = runAutograder((sub) => copyNotebooks(path.join(root, "solutions"), sub), tempDir("bp-no-grader-"));
    expect(results.score).toBe(0);
    expect(results.max_score).toBe(totalPoints);
    expect(results.output).toMatch(/could not be graded: the grader stopped \(exit code 1\)/);
    expect(results.output).toMatch(/Cannot find module/);
  });
});

/** Just enough XML checking for our output: tags balance, attributes are quoted, `&` only starts an entity. */
function checkXml(xml: string): { name: string; attrs: Record<string, string> }[] {
  const body = xml.replace(/^<\?xml [^?]*\?>\n/, "");
  const tags: { name: string; attrs: Record<string, string> }[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([\w-]+)((?:\s+[\w-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    expect(body.slice(last, m.index)).not.toMatch(/[<>]/);
    last = tag.lastIndex;
    const [, close, name, attrs, selfClose] = m;
    if (close) expect(stack.pop()).toBe(name);
    else {
      tags.push({ name, attrs: Object.fromEntries([...attrs.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, k, v]) => [k, unescape(v)])) });
      if (!selfClose) stack.push(name);
    }
  }
  expect(body.slice(last).trim()).toBe("");
  expect(stack).toEqual([]);
  expect(body.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, "")).not.toContain("&");
  return tags;
}

function unescape(s: string): string {
  return s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
}

describe("--junit", () => {
  function junitOf(folder: string): { xml: string; code: number } {
    const out = path.join(tempDir(), "junit.xml");
    const r = runCli([folder, "--junit", out]);
    return { xml: fs.readFileSync(out, "utf8"), code: r.code };
  }
  const count = (xml: string, tag: string) => (xml.match(new RegExp(`<${tag}[ >]`, "g")) ?? []).length;

  test("solved notebooks: one passing <testcase> per exercise, one <testsuite> per chapter", () => {
    const { xml, code } = junitOf("solutions");
    expect(code).toBe(0);
    checkXml(xml);
    expect(count(xml, "testcase")).toBe(course.specs.length);
    expect(count(xml, "failure") + count(xml, "error")).toBe(0);
    expect(xml).toContain('<testcase classname="01-forward-pass" name="sigmoid: ');
  });

  test("untouched notebooks: every exercise a <failure>", () => {
    const { xml, code } = junitOf(pristineNotebooks());
    expect(code).toBe(1);
    checkXml(xml);
    expect(count(xml, "testcase")).toBe(course.specs.length);
    expect(count(xml, "failure")).toBe(course.specs.length);
    expect(xml).toMatch(new RegExp(`<testsuites name="backprop-lab" tests="${course.specs.length}" failures="${course.specs.length}" errors="0"`));
  });

  test("escapes what learner code can print, keeps Gradescope's text, and reports problems as errors", () => {
    const nasty = `expected <1> & got "2" 'x'\n\ttab \u0000 \u001b[31m \ud800 ✔ 😀`;
    const result: ExerciseResult = {
      id: "sigmoid", title: "The <sigmoid> & co", chapter: "01-forward-pass", notebook: "notebooks/01-forward-pass.ipynb", cell: 3,
      points: 2, score: 0, status: "failed", checks: { total: 3, passed: 1, hidden: 0, hiddenFailed: 0 },
      failures: [{ label: "sigmoid(0)", expected: "0.5", actual: nasty }], hint: "Math.exp", seed: 1, console: [],
    };
    const crashed: ExerciseResult = { ...result, id: "cost", title: "Cost", status: "error", problem: "timed out" };
    const report: Report = { results: [result, crashed], problems: [{ notebook: "notebooks/02-chain-rule.ipynb", message: "file not found" }], score: 0, maxScore: 4, seed: 1 };
    // The same grading gives the same bytes: nothing of the clock (the time, the time zone) gets in.
    jest.useFakeTimers({ now: new Date("2001-02-03T04:05:06.789Z") });
    let xml: string;
    let later: string;
    try {
      xml = junitXml(report);
      jest.setSystemTime(new Date("2037-11-12T23:58:59.123Z"));
      jest.advanceTimersByTime(1234);
      later = junitXml(structuredClone(report));
    } finally {
      jest.useRealTimers();
    }
    expect(later).toBe(xml);
    const tags = checkXml(xml);
    const failure = tags.find((t) => t.name === "failure")!;
    const asXml = (text: string) => text.replace(/[\u0000\u001b]|\ud800/g, "\uFFFD"); // XML 1.0 cannot carry these
    expect(failure.attrs.message).toBe(asXml(testOutput(result)));
    expect(xml).toContain("✔ 😀");
    expect(tags.filter((t) => t.name === "error").map((t) => t.attrs.message)).toEqual([asXml(testOutput(crashed)), "file not found"]);
    expect(tags.find((t) => t.name === "testsuites")!.attrs).toMatchObject({ tests: "3", failures: "1", errors: "2" });
    expect(xml).not.toMatch(/timestamp|hostname/);
  });
});

test("the GitHub Classroom workflow template grades with --json and --junit", () => {
  const workflow = fs.readFileSync(path.join(root, ".github", "workflows", "classroom.yml"), "utf8");
  expect(workflow).toContain("npm run grade -- --json results.json --junit junit.xml");
  expect(workflow).toContain("actions/upload-artifact");
  expect(workflow).toContain("GITHUB_STEP_SUMMARY");
  expect(workflow).toContain("node-version: 20");
});

test("the generated GitHub Classroom workflow has one command-grader step per exercise, worth its points", () => {
  const yml = classroomWorkflow({ template: "teacher/backprop-lab", commit: "0123456789abcdef0123456789abcdef01234567" });
  const steps = [...yml.matchAll(/command: node grader\/dist\/grader\/cli\.js work\/notebooks (\S+) --require-isolation --no-color\n {10}timeout: \d+\n {10}max-score: (\d+)/g)].map(([, id, points]) => ({ id, points: Number(points) }));
  expect(steps).toEqual(course.specs.map((s) => ({ id: s.id, points: s.points })));
  expect(yml).toContain(`runners: ${course.specs.map((s) => s.id).join(",")}`);
  for (const s of course.specs) expect(yml).toContain(`${s.id.toUpperCase()}_RESULTS: "\${{ steps.${s.id}.outputs.result }}"`);
});
