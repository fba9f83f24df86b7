// The course model owns every path of a course: a copy of the course in another
// folder is graded, validated and built from there, and nothing of this
// repository's solutions/, notebooks/, exercises/checks.json or assets/ is
// read. The proof runs the compiled grader in a process of its own, with every
// file-system read in it recorded (a preload wraps node:fs before the grader
// loads), so a path the model forgot to own shows up by name.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { pristineNotebooks, root, tempDir, withExerciseCell } from "./helpers";

/**
 * Wraps node:fs's reading functions; at exit writes to READS_OUT every path read inside a
 * watched folder, or a watched file. (Whether the folders exist is asked when the registry
 * finds its course at import; what they hold must never be read.)
 */
const RECORDER = `
const fs = require("node:fs");
const path = require("node:path");
const folders = JSON.parse(process.env.WATCHED_FOLDERS);
const files = JSON.parse(process.env.WATCHED_FILES);
const seen = new Set();
const note = (p) => {
  if (typeof p !== "string" && !(p instanceof URL) && !Buffer.isBuffer(p)) return;
  const abs = path.resolve(String(p instanceof URL ? p.pathname : p));
  if (files.includes(abs) || folders.some((w) => abs.startsWith(w + path.sep))) seen.add(abs);
};
for (const name of ["openSync", "readFileSync", "existsSync", "statSync", "lstatSync", "readdirSync", "accessSync", "watch", "createReadStream"]) {
  const original = fs[name];
  fs[name] = function (p, ...rest) {
    note(p);
    return original.call(this, p, ...rest);
  };
}
process.on("exit", () => fs.writeFileSync(process.env.READS_OUT, JSON.stringify([...seen])));
`;

/** Run in the recording process: grade, validate and build-check the copy; print what came out. */
const SCRIPT = `
const dist = process.env.DIST;
const { course } = require(dist + "/exercises");
const { grade, resolveTargets } = require(dist + "/grader/engine/grade");
const { checkMasters } = require(dist + "/grader/validate");
const { buildNotebooks } = require(dist + "/grader/build-notebooks");
const copy = course.at(process.env.COPY);
(async () => {
  const { targets, problems } = resolveTargets(copy, [copy.notebooksDir]);
  const learner = await grade(copy, targets, { boundary: "vm" }, problems);
  const masters = await grade(copy, copy.chapters.map((c) => ({ chapter: c, file: copy.masterPath(c.slug) })), { boundary: "vm" });
  const said = [];
  const built = buildNotebooks(copy, { check: true }, { log: (s) => said.push(s), error: (s) => said.push(s) });
  const passed = (r) => r.results.filter((x) => x.status === "passed").map((x) => x.id);
  process.stdout.write(JSON.stringify({ learner: passed(learner), learnerScore: learner.score, masters: masters.score, maxScore: masters.maxScore, mastersProblems: checkMasters(copy.chapters, undefined, copy), built, said }));
  process.exit(0);
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(3); });
`;

test("a copy of the course in another folder is graded from there, and this repository's course folders are never read", () => {
  const dir = tempDir("bp-course-copy-");
  const copyRoot = path.join(dir, "course");
  for (const folder of ["solutions", "assets"]) fs.cpSync(path.join(root, folder), path.join(copyRoot, folder), { recursive: true });
  // The learner notebooks as shipped, never notebooks/ here, where a learner may have worked.
  fs.cpSync(pristineNotebooks(), path.join(copyRoot, "notebooks"), { recursive: true });
  fs.mkdirSync(path.join(copyRoot, "exercises"));
  const copy = course.at(copyRoot);
  // The copy differs from the repository where it shows: its chapter 1 notebook has sigmoid solved.
  withExerciseCell(copy.learnerPath("01-forward-pass"), "sigmoid", "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}", copy.learnerPath("01-forward-pass"));
  const preload = path.join(dir, "record-reads.js");
  fs.writeFileSync(preload, RECORDER);
  const readsFile = path.join(dir, "reads.json");
  const folders = [course.solutionsDir, course.notebooksDir, course.assetsDir];
  const r = spawnSync(process.execPath, ["--require", preload, "-e", SCRIPT], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, DIST: path.join(root, "dist"), COPY: copyRoot, WATCHED_FOLDERS: JSON.stringify(folders), WATCHED_FILES: JSON.stringify([course.publishedFile]), READS_OUT: readsFile, BACKPROP_LAB_BOUNDARY: "vm" },
  });
  expect({ code: r.status, stderr: r.stderr.slice(-2000) }).toEqual({ code: 0, stderr: "" });
  const out = JSON.parse(r.stdout) as { learner: string[]; learnerScore: number; masters: number; maxScore: number; mastersProblems: unknown[]; built: number; said: string[] };
  // The copy's notebooks were graded (sigmoid solved there, not in notebooks/ here), its masters give full marks.
  expect(out.learner).toEqual(["sigmoid"]);
  expect(out.masters).toBe(out.maxScore);
  // The copy's learner notebook of chapter 1 is no longer what its master produces: build --check says so, of that file.
  expect(out.mastersProblems).toEqual([{ file: "notebooks/01-forward-pass.ipynb", message: expect.stringContaining("is not what solutions/01-forward-pass.ipynb produces") }]);
  expect(out.built).toBe(1);
  expect(out.said.join("\n")).toContain(path.join("course", "notebooks", "01-forward-pass.ipynb"));
  const reads = JSON.parse(fs.readFileSync(readsFile, "utf8")) as string[];
  expect(reads).toEqual([]);
  fs.rmSync(dir, { recursive: true, force: true });
}, 240_000);
