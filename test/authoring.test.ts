// docs/authoring.md, walked step by step on a copy of the course, with the
// commands it gives: scaffold (new-exercise --after), write the spec, build,
// open the master for authoring, write the solution and check() it in the
// master's kernel (the placeholder first, then the corrected cell: no restart),
// build:notebooks without --force, validate. Nothing here edits the course
// but what an author would; the copy is thrown away.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { exerciseSource, markedId } from "../grader/engine/notebook/cells";
import { newCell, readNotebook, sourceText, withSource, writeNotebook } from "../grader/engine/notebook/notebook";
import { buildNotebooks } from "../grader/build-notebooks";
import { scaffold } from "../grader/new-exercise";
import { installModules, pristineNotebooks, root, tempDir } from "./helpers";

const SPEC = `import { call, exercise, expectValue, normal, randomCases } from "../../grader/engine/authoring";

export default exercise({
  id: "leaky-relu",
  title: "Leaky ReLU: z for positive z, 0.01·z otherwise",
  points: 1,
  defines: ["leakyRelu"],
  hints: [
    "Like ReLU, positive numbers pass unchanged; negative ones are not cut to 0 but scaled by 0.01.",
    "leakyRelu(z) is z when z > 0, else 0.01·z: leakyRelu(2) = 2, leakyRelu(−1) = −0.01.",
  ],
  checks: [
    expectValue(call("leakyRelu", 2), 2),
    expectValue(call("leakyRelu", -1), -0.01),
    randomCases("leakyRelu", { count: 50, args: (rng) => [normal(rng) * 5], edge: [[0], [1e-12], [-1e-12]], hidden: 5 }),
  ],
  mutants: {
    "plain ReLU: 0 for negative z instead of 0.01·z": "function leakyRelu(z: number): number {\\n  return z > 0 ? z : 0;\\n}",
    "a slope of 0.1 for negative z instead of 0.01": "function leakyRelu(z: number): number {\\n  return z > 0 ? z : 0.1 * z;\\n}",
  },
  mistakeHints: {
    "plain ReLU: 0 for negative z instead of 0.01·z": "That is ReLU. The leaky one keeps a small slope below 0: 0.01·z.",
    "a slope of 0.1 for negative z instead of 0.01": "The slope below 0 is 0.01, a hundredth, not a tenth.",
  },
});
`;

const SOLVED = exerciseSource("leaky-relu", "function leakyRelu(z: number): number {\n  // BEGIN SOLUTION\n  return z > 0 ? z : 0.01 * z;\n  // END SOLUTION\n}");

/** Checks the master's cells in one process, as its kernel would: the lab's own hook remembers each cell run. */
const KERNEL = `
const dist = process.env.DIST;
const { rememberCell } = require(dist + "/grader/lab/kernel");
const { checkResult, unsavedNote } = require(dist + "/grader/lab/check");
const verdicts = [];
for (const cell of JSON.parse(process.env.CELLS)) {
  rememberCell(cell);
  const r = checkResult("leaky-relu");
  verdicts.push({ status: r.status, problem: r.problem, unsaved: unsavedNote("leaky-relu", r) });
}
process.stdout.write(JSON.stringify(verdicts));
`;

function run(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test("the authoring guide, step by step, on a copy of the course: no --force, no kernel restart", () => {
  const guide = fs.readFileSync(path.join(root, "docs", "authoring.md"), "utf8");
  const copy = path.join(tempDir("bp-authoring-"), "course");
  for (const entry of fs.readdirSync(root)) {
    if (["node_modules", "dist", ".git", "test-output", "notebooks"].includes(entry)) continue;
    fs.cpSync(path.join(root, entry), path.join(copy, entry), { recursive: true });
  }
  // The learner notebooks as shipped (what build:notebooks wrote), never a learner's working copy.
  fs.cpSync(pristineNotebooks(), path.join(copy, "notebooks"), { recursive: true });
  // Its own compile cache: whatever goes wrong in the copy stays in the copy.
  installModules(copy);
  const tsc = [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"];
  const dist = path.join(copy, "dist");
  const slug = "02-chain-rule";
  const master = path.join(copy, "solutions", `${slug}.ipynb`);

  // 1. Scaffold: `npm run build`, then the guide's new-exercise line.
  expect(guide).toContain("npm run new-exercise -- leaky-relu --chapter 2 --after relu-prime");
  expect(run(copy, tsc)).toEqual({ code: 0, out: "" });
  const scaffolded = run(copy, [path.join(dist, "grader", "new-exercise.js"), "leaky-relu", "--chapter", "2", "--after", "relu-prime"]);
  expect(scaffolded.code).toBe(0);
  const order = readNotebook(master).cells.map((c) => (c.type === "code" ? markedId(c.source) : undefined)).filter(Boolean);
  expect(order.slice(order.indexOf("relu-prime"), order.indexOf("relu-prime") + 2)).toEqual(["relu-prime", "leaky-relu"]);

  // 3. Write the spec (and its case-inputs tuple), then `npm run build`.
  fs.writeFileSync(path.join(copy, "exercises", slug, "leaky-relu.ts"), SPEC);
  const inputs = path.join(copy, "grader", "lab", "case-inputs.ts");
  fs.writeFileSync(inputs, fs.readFileSync(inputs, "utf8").replace('  relu: [z: number];\n', '  relu: [z: number];\n  "leaky-relu": [z: number];\n'));
  expect(run(copy, tsc)).toEqual({ code: 0, out: "" });

  // 2. `npm run jupyter -- --authoring` serves the course folder: the master is in it.
  const launch = run(copy, ["-e", `process.stdout.write(JSON.stringify(require(${JSON.stringify(path.join(dist, "grader", "jupyter.js"))}).jupyterLaunch("notebook", ["--authoring"])))`]);
  const { args, cwd } = JSON.parse(launch.out) as { args: string[]; cwd: string };
  expect(args.slice(0, 3)).toEqual(["notebook", "--notebook-dir", copy]);
  expect(cwd).toBe(copy);
  expect(guide).toContain("npm run jupyter -- --authoring");

  // Its kernel runs in solutions/: the scaffold's placeholder cell fails the spec's worked values,
  // the corrected cell passes right after, in the same process (no restart), and check() says
  // the saved master holds another version until it is saved.
  const placeholder = readNotebook(master).cells.find((c) => markedId(c.source) === "leaky-relu")!.source;
  const kernel = run(path.join(copy, "solutions"), ["-e", KERNEL], { DIST: dist, CELLS: JSON.stringify([placeholder, SOLVED]) });
  const verdicts = JSON.parse(kernel.out) as { status: string; problem?: string; unsaved?: string }[];
  expect(verdicts.map((v) => v.status)).toEqual(["failed", "passed"]);
  expect(verdicts[0].unsaved).toBeUndefined();
  expect(verdicts[1].unsaved).toMatch(/^✔ in the notebook — save it \(Ctrl-S\) so npm run grade sees it/);

  // Saved: the explanation and the solution written in the master (what Ctrl-S stores).
  const nb = readNotebook(master).json;
  nb.cells = nb.cells.map((c) => {
    const source = sourceText(c);
    if (c.cell_type === "code" && markedId(source) === "leaky-relu") return withSource(c, SOLVED);
    if (c.cell_type === "markdown" && source.includes("**Exercise `leaky-relu`.**")) return withSource(c, "## Leaky ReLU\n\nReLU's gradient is 0 for every negative $z$; the leaky ReLU keeps a small slope there: $z$ for $z > 0$, else $0.01z$.\n\n**Exercise `leaky-relu`.** Write `leakyRelu(z)`.");
    return c;
  });
  writeNotebook(master, nb);

  // 4. `npm run build && npm run build:notebooks`: the untouched learner notebook is regenerated, no --force.
  expect(guide).toContain("npm run build && npm run build:notebooks");
  const built = run(copy, [path.join(dist, "grader", "build-notebooks.js")]);
  expect(built).toEqual({ code: 0, out: expect.stringContaining(`wrote notebooks/${slug}.ipynb`) });
  expect(readNotebook(path.join(copy, "notebooks", `${slug}.ipynb`)).cells.find((c) => markedId(c.source) === "leaky-relu")?.source).toContain('return todo("leaky-relu");');

  // `npm run validate`: the solution passes, the stub scores 0, both mutants fail and are named.
  const validated = run(copy, [path.join(dist, "grader", "validate.js")]);
  expect({ code: validated.code, out: validated.out.split("\n").filter((l) => l.startsWith("✘")) }).toEqual({ code: 0, out: [] });
  expect(validated.out).toContain(`${course.specs.length + 1} exercises`);
}, 600_000);

test("build:notebooks regenerates a learner notebook it wrote, untouched, whatever its master became, and still refuses one with work in it", () => {
  const dir = tempDir("bp-generated-");
  for (const folder of ["solutions", "assets"]) fs.cpSync(path.join(root, folder), path.join(dir, folder), { recursive: true });
  fs.cpSync(pristineNotebooks(), path.join(dir, "notebooks"), { recursive: true });
  for (const c of course.chapters) fs.mkdirSync(path.join(dir, "exercises", c.slug), { recursive: true });
  fs.copyFileSync(course.registryFile, path.join(dir, "exercises", "index.ts"));
  const copy = course.at(dir);
  const said: string[] = [];
  const quiet = { log: (s: string) => said.push(s), error: (s: string) => said.push(s) };
  // The master gains an exercise: its learner notebook (as committed, generated) lacks the stub, which is not work.
  scaffold(copy, "leaky-relu", 2, "relu-prime");
  expect(buildNotebooks(copy, {}, quiet)).toBe(0);
  expect(readNotebook(copy.learnerPath("02-chain-rule")).cells.some((c) => markedId(c.source) === "leaky-relu")).toBe(true);
  // A learner's answer in chapter 1, and a master that changed since: refused, the exercise named.
  const learnerFile = copy.learnerPath("01-forward-pass");
  const work = readNotebook(learnerFile).json;
  work.cells = work.cells.map((c) => (markedId(sourceText(c)) === "sigmoid" ? withSource(c, exerciseSource("sigmoid", "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}")) : c));
  writeNotebook(learnerFile, work);
  const masterNb = readNotebook(copy.masterPath("01-forward-pass")).json;
  masterNb.cells.push(newCell("markdown", "One more word.", "extra-words"));
  writeNotebook(copy.masterPath("01-forward-pass"), masterNb);
  said.length = 0;
  expect(buildNotebooks(copy, {}, quiet)).toBe(1);
  expect(said.join("\n")).toMatch(/01-forward-pass\.ipynb was NOT overwritten: its exercise cells differ from the stubs \(sigmoid\)/);
  fs.rmSync(dir, { recursive: true, force: true });
});
