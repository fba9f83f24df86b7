// The learner edition (`npm run build:learner -- <dir>`), built into a temp folder:
// it installs and grades offline; it holds no solution region, no reference
// function body and no hidden case; a lookup table built from its public checks
// scores in it and nowhere official (class grading, the Gradescope package); and
// the Classroom workflow runs nothing of the learner's but reads their notebooks.
//
// "Installs" is tested without the network: the packages npm would install are
// this repository's node_modules, linked (or copied) entry by entry into the edition
// (backprop-lab is the edition's own grader/lab, as npm links a file: dependency),
// and the edition's `prepare` script (tsc) is run as `npm install` runs it.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildLearnerEdition, learnerSources } from "../grader/build-learner";
import { autograderEntries } from "../grader/build-gradescope";
import { classroomSteps, TAKE_NOTEBOOKS } from "../grader/classroom";
import { course } from "../exercises";
import { expandChecks } from "../grader/engine/course/cases";
import type { ExerciseResult } from "../grader/engine/judge/result";
import type { PublishedData } from "../grader/engine/course/published";
import { FnArg, type Arg } from "../grader/engine/judge/values";
import { caseInput as instructorCaseInput } from "../grader/lab/check";
import { installModules, root, runCli, tempDir } from "./helpers";
import * as ts from "typescript";
import { executeNotebook, jupyterAvailable } from "./jupyter";
import { functionBodies, functionShapes, normalised, solutionRegions } from "./leaks";
import { markedId } from "../grader/engine/notebook/cells";
import { readNotebook, sourceText, withSource, writeNotebook } from "../grader/engine/notebook/notebook";

const edition = path.join(tempDir("bp-learner-"), "course");
const total = course.specs.reduce((s, x) => s + x.points, 0);

/**
 * Packages the grader's restricted processes read (Node's permission model allows their
 * real folders only, so they cannot be reached through a link): copied.
 */
/** What `npm install` would do, without the network (see the top of this file): node_modules, then prepare. */
function install(dir: string): void {
  installModules(dir);
  const modules = path.join(dir, "node_modules");
  const tsc = spawnSync(process.execPath, [path.join(modules, "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8" });
  if (tsc.status !== 0) throw new Error(`the edition's prepare (tsc) failed:\n${tsc.stdout}${tsc.stderr}`);
}

/** `npm run grade -- ...args` in the edition. */
function gradeThere(args: string[], cwd = edition): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(edition, "dist", "grader", "cli.js"), ...args, "--no-color"], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const exerciseOf = markedId;

/** The edition's notebooks with exercise cells replaced: `cellFor(id)` gives the new source (undefined: keep the stub). */
function notebooksWith(out: string, cellFor: (id: string) => string | undefined): string {
  fs.mkdirSync(out, { recursive: true });
  for (const c of course.chapters) {
    const nb = readNotebook(path.join(edition, "notebooks", `${c.slug}.ipynb`)).json;
    nb.cells = nb.cells.map((cell) => {
      const id = cell.cell_type === "code" ? exerciseOf(sourceText(cell)) : undefined;
      const source = id && cellFor(id);
      return source !== undefined && source ? withSource(cell, source) : cell;
    });
    writeNotebook(path.join(out, `${c.slug}.ipynb`), nb);
  }
  return out;
}

/** Every master exercise cell, by id. */
const masterCells = new Map<string, string>();
for (const c of course.chapters) {
  for (const cell of readNotebook(course.masterPath(c.slug)).cells) {
    const id = cell.type === "code" ? exerciseOf(cell.source) : undefined;
    if (id) masterCells.set(id, cell.source);
  }
}

// ---- A lookup table of the public checks: no implementation, only stored answers ----

/** A stored value (published.ts's JSON) as TypeScript source. */
function literal(j: unknown): string {
  if (j === null || typeof j !== "object") return JSON.stringify(j);
  if (Array.isArray(j)) return `[${j.map(literal).join(",")}]`;
  const o = j as Record<string, unknown>;
  if ("n" in o) return { NaN: "NaN", Infinity: "Infinity", "-Infinity": "-Infinity", "-0": "-0" }[o.n as string]!;
  if ("u" in o) return "undefined";
  if ("o" in o) return `{${Object.entries(o.o as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${literal(v)}`).join(",")}}`;
  throw new Error(`no literal for ${JSON.stringify(j)}`);
}

/** A stored argument as the value a cell receives (for the table's key, JSON.stringify of the arguments). */
function live(j: unknown): unknown {
  if (j === null || typeof j !== "object") return j;
  if (Array.isArray(j)) return j.map(live);
  const o = j as Record<string, unknown>;
  if ("n" in o) return Number(o.n === "-0" ? -0 : o.n);
  if ("o" in o) return Object.fromEntries(Object.entries(o.o as Record<string, unknown>).map(([k, v]) => [k, live(v)]));
  if ("fn" in o) throw new Error("a function argument");
  return undefined;
}

/**
 * For each exercise whose public checks are calls of one function with plain arguments:
 * a cell answering every one of them from a table, and nothing else. Only tables that fit
 * in a cell (50,000 characters) are kept.
 */
function lookupCells(data: PublishedData, expanded: (id: string) => { diagnostic?: unknown }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of data.exercises) {
    // Answers are stored per case of the edition's expansion, diagnostic probes among them: the k-th other case is check k.
    const answerOf = expanded(e.id).flatMap((c, i) => (c.diagnostic ? [] : [i]));
    if (e.defines.length !== 1) continue;
    const table = new Map<string, string>();
    let plain = true;
    e.checks.forEach((c, i) => {
      const check = c as { kind: string; probe?: { call?: string; args?: unknown[] }; expected?: unknown; probes?: unknown[] };
      if (check.kind === "judge" || check.kind === "formula" || !check.probe?.call) {
        plain = false;
        return;
      }
      try {
        const key = JSON.stringify(check.probe.args!.map(live));
        const answer = check.kind === "value" ? check.expected : (e.answers[answerOf[i]][0] as { value: unknown }).value;
        table.set(key, literal(answer));
      } catch {
        plain = false;
      }
    });
    if (!plain || table.size === 0) continue;
    const name = e.defines[0];
    const cell = `// exercise: ${e.id}\nconst TABLE: Record<string, unknown> = {${[...table].map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",\n")}};\nfunction ${name}(...args: unknown[]): any {\n  return structuredClone(TABLE[JSON.stringify(args)]);\n}`;
    if (cell.length <= 50_000) out.set(e.id, cell);
  }
  return out;
}

let data: PublishedData;
let tables: Map<string, string>;

beforeAll(() => {
  buildLearnerEdition({ out: edition });
  install(edition);
  data = JSON.parse(fs.readFileSync(path.join(edition, "exercises", "checks.json"), "utf8")) as PublishedData;
  const { course: theirs } = require(path.join(edition, "dist", "exercises", "index.js")) as { course: typeof course };
  const { casesFor } = require(path.join(edition, "dist", "grader", "engine", "stages.js")) as { casesFor(spec: unknown, seed: number): { cases: { diagnostic?: unknown }[] } };
  tables = lookupCells(data, (id) => casesFor(theirs.spec(id), 1).cases);
}, 300_000);

afterAll(() => fs.rmSync(path.dirname(edition), { recursive: true, force: true }));

describe("the learner edition installs and grades offline", () => {
  test("has the learner's commands, the lockfile as it is, notebooks, its data and a README for learners", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(edition, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(Object.keys(pkg.scripts).sort()).toEqual(["build", "grade", "jupyter", "prepare"]);
    // The instructor's build also compiles the masters (grader/precompile.ts): never the edition's.
    expect([pkg.scripts.build, pkg.scripts.prepare]).toEqual(["tsc -p tsconfig.json", "tsc -p tsconfig.json"]);
    expect(fs.readFileSync(path.join(edition, "package-lock.json"), "utf8")).toBe(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"));
    for (const c of course.chapters) expect(fs.existsSync(path.join(edition, "notebooks", `${c.slug}.ipynb`))).toBe(true);
    expect(fs.existsSync(path.join(edition, "dist", "grader", "cli.js"))).toBe(true);
    const readme = fs.readFileSync(path.join(edition, "README.md"), "utf8");
    expect(readme).toMatch(/learner edition/);
    expect(readme).toMatch(/official grading/i);
    expect(readme).toMatch(/one mistake can cost two exercises/);
    expect(readme).not.toMatch(/build:gradescope|build:learner|npm run validate|solutions\/|\{\{/);
  });

  test("untouched notebooks: 0, every exercise not started", () => {
    const r = gradeThere([]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`Total: 0/${total} points`);
    expect(r.stdout).not.toMatch(/weaker sandbox|course error/);
  });

  test("the masters' answers planted into its notebooks: full marks on its public checks", () => {
    const planted = notebooksWith(path.join(path.dirname(edition), "planted"), (id) => masterCells.get(id));
    const r = gradeThere([planted]);
    expect(r.stdout).toContain(`Total: ${total}/${total} points`);
    expect(r.code).toBe(0);
  });

  test("a cell calling an earlier exercise runs on the learner's own answer, and a wrong one is named as the cause", () => {
    const wrongSigmoid = "// exercise: sigmoid\nfunction sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(z));\n}";
    const dir = notebooksWith(path.join(path.dirname(edition), "wrong-sigmoid"), (id) => (id === "sigmoid" ? wrongSigmoid : masterCells.get(id)));
    const r = gradeThere([path.join(dir, "01-forward-pass.ipynb"), "--json", path.join(dir, "r.json")]);
    const results = (JSON.parse(fs.readFileSync(path.join(dir, "r.json"), "utf8")) as { tests: { name: string; status: string; output: string }[] }).tests;
    const status = (id: string) => results.find((t) => t.name.includes(`/ ${id}:`))!;
    expect(status("sigmoid").status).toBe("failed");
    expect(status("weighted-sum").status).toBe("passed");
    // activation calls sigmoid: here it fails too, and says why.
    expect(status("activation").status).toBe("failed");
    expect(status("activation").output).toMatch(/this cell calls sigmoid, your answer to exercise sigmoid, which fails its own checks/);
    expect(r.code).toBe(1);
  });

  test("a withheld function (vector-backprop answered by the learner's own backprop) fails there too, saying why", () => {
    const alias = "// exercise: vector-backprop\nconst backpropVector = backprop;";
    const dir = notebooksWith(path.join(path.dirname(edition), "withheld"), (id) => (id === "vector-backprop" ? alias : masterCells.get(id)));
    const r = gradeThere([path.join(dir, "05-autograd.ipynb"), "vector-backprop"]);
    expect(r.stdout).toMatch(/✘ vector-backprop/);
    expect(r.stdout).toContain("backprop is not available in exercise vector-backprop: ");
    expect(r.code).toBe(1);
  });

  test("--solution: the solutions come from the instructor", () => {
    const r = gradeThere(["--solution", "sigmoid"]);
    expect(r.stdout).toMatch(/The reference solutions come from your instructor/);
    expect(r.code).toBe(2);
  });

  test("official grading and other seeds are the instructor's", () => {
    expect(gradeThere(["--official"]).stderr).toMatch(/--official grading is your instructor's/);
    expect(gradeThere(["--seed", "7"]).stderr).toMatch(/public checks of seed 1 only/);
    const cls = path.join(path.dirname(edition), "class");
    fs.mkdirSync(path.join(cls, "ann"), { recursive: true });
    fs.copyFileSync(path.join(edition, "notebooks", "01-forward-pass.ipynb"), path.join(cls, "ann", "01-forward-pass.ipynb"));
    const r = gradeThere([cls]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/grading a class is official grading/)]);
  });
});

const inJupyter = jupyterAvailable() ? describe : describe.skip;

inJupyter("the edition's notebooks in Jupyter (its own node_modules/backprop-lab)", () => {
  const html = (c: { outputs: { data?: Record<string, string | string[]> }[] }) => c.outputs.map((o) => [o.data?.["text/html"] ?? ""].flat().join("")).join("");

  test("chapter 2 solved next to a solved chapter 1: every check passes, on the learner's own chapter 1 functions", () => {
    // Inside the edition, so the kernel finds the edition's own backprop-lab; removed again before the scans below.
    const dir = notebooksWith(path.join(edition, "solved"), (id) => masterCells.get(id));
    const run = executeNotebook(path.join(dir, "02-chain-rule.ipynb"));
    fs.rmSync(dir, { recursive: true, force: true });
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr.slice(-2000) }).toEqual({ code: 0, stderr: "" });
    const checks = run.cells.filter((c) => /^check\(/m.test(c.source));
    expect(checks.length).toBe(course.chapters[1].exercises.length);
    for (const c of checks) expect([c.number, html(c)]).toEqual([c.number, expect.stringContaining("bp-verdict bp-passed")]);
  }, 120_000);

  test("untouched: a cell that uses a given function says, in one line, which earlier exercise is not written and where", () => {
    const run = executeNotebook(path.join(edition, "notebooks", "02-chain-rule.ipynb"), { allowErrors: true });
    const printed = run.cells.flatMap((c) => c.outputs.map((o) => [o.text ?? "", o.evalue ?? "", ...(o.traceback ?? [])].flat().join("")));
    expect(printed.join("\n")).toContain('weighted-sum is not written yet: replace todo("weighted-sum") in the cell marked // exercise: weighted-sum (in 01-forward-pass.ipynb: in this edition, later cells use your own answers)');
    expect(printed.join("\n")).not.toMatch(/\n\s+at .*\.js:\d+/);
  }, 120_000);
});

describe("check() and the given functions in the edition, in a kernel's process", () => {
  type Lab = { checkResult(id: string): ExerciseResult; caseInput(id: string, n: number, seed?: number): unknown[] };
  const load = <T>(rel: string): T => require(path.join(edition, "dist", rel)) as T;

  test("check() grades on the public checks, with the learner's own earlier cells", () => {
    const { checkResult } = load<Lab>("grader/lab/check.js");
    const { rememberCell } = load<{ rememberCell(code: string): void }>("grader/lab/kernel.js");
    for (const id of ["weighted-sum", "activation"]) rememberCell(masterCells.get(id)!);
    // sigmoid is still the stub in the edition's notebook: activation cannot pass on it.
    expect(checkResult("activation").problem ?? checkResult("activation").failures[0]?.actual).toMatch(/your exercise sigmoid, which is not written yet/);
    rememberCell(masterCells.get("sigmoid")!);
    expect(checkResult("activation").status).toBe("passed");
    rememberCell("// exercise: sigmoid\nfunction sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(z));\n}");
    const wrong = checkResult("activation");
    expect(wrong.status).toBe("failed");
    expect(wrong.likelyCause).toMatch(/fix sigmoid first/);
  });

  test("what later chapters are given is the learner's own answer, not a reference", () => {
    const given = load<Record<string, (...a: unknown[]) => unknown>>("grader/lab/given.js");
    const { rememberCell } = load<{ rememberCell(code: string): void }>("grader/lab/kernel.js");
    expect(Object.keys(given).sort()).toEqual(Object.keys(require("../grader/lab/given") as object).sort());
    rememberCell("// exercise: weighted-sum\nfunction weightedSum(w: number, aPrev: number, b: number): number {\n  return todo(\"weighted-sum\");\n}");
    expect(() => given.weightedSum(1, 2, 3)).toThrow(/weighted-sum is not written yet/);
    rememberCell("// exercise: weighted-sum\nfunction weightedSum(w: number, aPrev: number, b: number): number {\n  return 42;\n}");
    // The lab looks for a newer cell at most once a second.
    const until = Date.now() + 1100;
    while (Date.now() < until);
    expect(given.weightedSum(1, 2, 3)).toBe(42);
    expect(String(given.backprop)).not.toMatch(/delta|sigmoidPrime|weights/);
  });

  test("caseInput there returns no hidden case", () => {
    const { caseInput } = load<Lab>("grader/lab/check.js");
    const { course: theirs } = load<{ course: typeof course }>("exercises/index.js");
    const { casesFor } = load<{ casesFor(spec: unknown, seed: number): { cases: { hidden?: boolean }[] } }>("grader/engine/stages.js");
    const given = new Set<string>();
    for (const spec of theirs.specs) {
      const { cases } = casesFor(spec, 1);
      expect([spec.id, cases.filter((c) => c.hidden).length]).toEqual([spec.id, 0]);
      cases.forEach((_, i) => {
        try {
          for (const x of numbersIn(caseInput(spec.id, i + 1))) given.add(String(x));
        } catch {
          // a read probe (a value, a formula) has no input
        }
      });
    }
    const hidden = hiddenNumbers();
    expect(hidden.size).toBeGreaterThan(100);
    expect([...hidden].filter((x) => given.has(x))).toEqual([]);
    expect(() => caseInput("relu", 1, 7)).toThrow(/public cases of seed 1 only/);
  });
});

/** The bodies of the functions a cell defines under `names` (an exercise's own functions, not the arrows inside them). */
function definedBodies(source: string, names: string[]): string[] {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const body = (b: ts.Node) => out.push(ts.isBlock(b) ? b.getText(file).slice(1, -1) : b.getText(file));
  for (const st of file.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && names.includes(st.name.text) && st.body) body(st.body);
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && names.includes(d.name.text) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) body(d.initializer.body);
      }
    }
  }
  return out;
}

/** Every number in a value, as JSON writes it. */
function numbersIn(v: unknown): number[] {
  if (typeof v === "number") return [v];
  if (Array.isArray(v)) return v.flatMap(numbersIn);
  if (v instanceof FnArg) return [];
  if (v !== null && typeof v === "object") return Object.values(v).flatMap(numbersIn);
  return [];
}

/** The random numbers in the instructor's hidden cases (seed 1): no small integer or round value, which public cases share by chance. */
function hiddenNumbers(): Set<string> {
  const out = new Set<string>();
  for (const spec of course.specs) {
    for (const c of expandChecks(spec, 1).filter((x) => x.hidden)) {
      for (const p of c.probes) if (p.kind === "call") for (const x of numbersIn(p.args as Arg[])) if (Number.isFinite(x) && String(x).replace(/^-?0?\./, "").length >= 8) out.add(String(x));
    }
  }
  return out;
}

describe("no answer anywhere in the edition", () => {
  /** Every file of the edition but the installed packages (the edition's own grader/lab is read where it is). */
  function editionFiles(dir = edition): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.name === "node_modules" ? [] : e.isDirectory() ? editionFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  }

  /** A file's text, normalised; JSON (checks, notebooks) also as its strings, unescaped. */
  function texts(file: string): string[] {
    const raw = fs.readFileSync(file, "utf8");
    const out = [normalised(raw)];
    if (/\.(json|ipynb)$/.test(file)) {
      const strings: string[] = [];
      JSON.parse(raw, (_k, v: unknown) => {
        if (typeof v === "string") strings.push(v);
        return v;
      });
      out.push(normalised(strings.join("\n")));
    }
    return out;
  }

  /**
   * The one exception, on purpose: σ itself. The grader evaluates formulas with σ and the
   * chapter 4 trainer computes with it (grader/engine/course/network.ts), and its definition,
   * 1 / (1 + e^(−z)), is what the sigmoid exercise's first hint says.
   */
  const SIGMA = (file: string, id: string) => id === "sigmoid" && /(^|\/)(grader\/engine\/course\/network\.ts|dist\/grader\/engine\/course\/network\.js)$/.test(file);

  test("no solution region's text, no reference function body and no declared mistake's code, in any file", () => {
    const regions = new Map([...masterCells].map(([id, source]) => [id, solutionRegions(source).map(normalised).map((r) => r.replace(/^"(.*)"$/, "$1")).filter((r) => r.length >= 6)]));
    const bodies = new Map([...masterCells].map(([id, source]) => [id, definedBodies(source, course.spec(id)!.defines).map(normalised)]));
    const givenBodies = functionBodies(fs.readFileSync(path.join(root, "grader", "lab", "given.ts"), "utf8")).map(normalised);
    const mutants = course.specs.flatMap((s) => Object.values(s.mutants).map((m) => ({ id: s.id, code: normalised(m) })).filter((m) => m.code.length >= 40));
    const found: string[] = [];
    const files = editionFiles();
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const rel = path.relative(edition, file);
      const all = texts(file);
      const has = (s: string) => all.some((t) => t.includes(s));
      for (const [id, rs] of regions) for (const r of rs) if (has(r) && !SIGMA(rel, id)) found.push(`${rel}: the solution of ${id}`);
      for (const [id, bs] of bodies) for (const b of bs) if (has(b) && !SIGMA(rel, id)) found.push(`${rel}: a function body of ${id}'s reference cell`);
      for (const b of givenBodies) if (b.length >= 12 && has(b) && !SIGMA(rel, "sigmoid")) found.push(`${rel}: a function body of the instructor's grader/lab/given.ts`);
      for (const m of mutants) if (has(m.code)) found.push(`${rel}: a declared mistake of ${m.id}`);
    }
    expect(found).toEqual([]);
  });

  test("no reference function under other names: no function of the edition has the shape of a master's, the given references' or a spec's own", () => {
    // Shapes: types stripped, local names numbered (test/leaks.ts), so renaming a copy
    // (`seen` for `visited`, `Value` for `GraphValue`) does not hide it.
    const shipped = new Set(learnerSources());
    const specFiles = fs
      .readdirSync(path.join(root, "exercises"), { recursive: true, encoding: "utf8" })
      .map((f) => path.posix.join("exercises", f.split(path.sep).join("/")))
      .filter((f) => f.endsWith(".ts") && !shipped.has(f));
    const reference = new Map<string, string>();
    for (const [id, source] of masterCells) for (const s of functionShapes(source)) reference.set(s, `the master cell of ${id}`);
    for (const s of functionShapes(fs.readFileSync(path.join(root, "grader", "lab", "given.ts"), "utf8"))) reference.set(s, "the instructor's grader/lab/given.ts");
    for (const f of specFiles) for (const s of functionShapes(fs.readFileSync(path.join(root, f), "utf8"))) if (!reference.has(s)) reference.set(s, f);
    // What the masters' other cells show is public by design (e.g. chapter 5's makeValue, given and also a spec's helper).
    for (const c of course.chapters) {
      for (const cell of readNotebook(course.masterPath(c.slug)).cells) if (cell.type === "code" && !exerciseOf(cell.source)) for (const s of functionShapes(cell.source)) reference.delete(s);
    }
    expect(reference.size).toBeGreaterThan(100);
    const found: string[] = [];
    for (const file of editionFiles()) {
      const rel = path.relative(edition, file);
      const sources = rel.endsWith(".ts")
        ? [fs.readFileSync(file, "utf8")]
        : rel.endsWith(".ipynb")
          ? readNotebook(file).cells.filter((c) => c.type === "code").map((c) => c.source)
          : [];
      for (const source of sources) for (const s of functionShapes(source)) if (reference.has(s)) found.push(`${rel}: a function shaped like one in ${reference.get(s)}`);
    }
    expect(found).toEqual([]);
  });

  test("no spec, master or hidden case: exercises/ holds the registry, its data and the public judges only", () => {
    const rels = editionFiles().map((f) => path.relative(edition, f));
    expect(rels.filter((f) => f.startsWith("exercises/")).sort()).toEqual(["exercises/04-learning-from-data/batch-judges.ts", "exercises/05-autograd/graph-judges.ts", "exercises/checks.json", "exercises/index.ts", "exercises/public-judges.ts"]);
    expect(rels.filter((f) => /^(solutions|test|bench|\.github)\//.test(f) || /given-own|build-|validate|new-exercise|classroom|gradescope\//.test(f))).toEqual([]);
    expect(learnerSources().filter((f) => f.startsWith("exercises/"))).toEqual(["exercises/04-learning-from-data/batch-judges.ts", "exercises/05-autograd/graph-judges.ts", "exercises/public-judges.ts"]);
    // Every random number of a hidden case, searched in every file as JSON writes it.
    const hidden = [...hiddenNumbers()];
    const leaks = editionFiles().flatMap((f) => {
      const raw = fs.readFileSync(f, "utf8");
      return hidden.filter((x) => raw.includes(x)).map((x) => `${path.relative(edition, f)}: ${x}`);
    });
    expect(leaks).toEqual([]);
  });
});

describe("a lookup table built from the edition", () => {
  const ids = () => [...tables.keys()];

  test("can be built for most exercises, layer-forward among them", () => {
    expect(ids()).toContain("layer-forward");
    expect(ids().length).toBeGreaterThanOrEqual(10);
  });

  test("scores in the edition itself (it answers every public check)", () => {
    const dir = notebooksWith(path.join(path.dirname(edition), "lookup-here"), (id) => tables.get(id) ?? masterCells.get(id));
    gradeThere([dir, "--json", path.join(dir, "r.json")]);
    const tests = (JSON.parse(fs.readFileSync(path.join(dir, "r.json"), "utf8")) as { tests: { name: string; status: string }[] }).tests;
    // (Later cells that call a table with inputs of their own fail here: that is the edition's own-cells rule.)
    for (const id of ids()) expect([id, tests.find((t) => t.name.includes(`/ ${id}:`))!.status]).toEqual([id, "passed"]);
  });

  /** The lookup tables in the edition's untouched notebooks: the learner's submission. */
  function lookupSubmission(dir: string): string {
    return notebooksWith(dir, (id) => tables.get(id));
  }

  test("scores nothing under class grading", () => {
    const cls = tempDir("bp-lookup-class-");
    lookupSubmission(path.join(cls, "table"));
    notebooksWith(path.join(cls, "honest"), (id) => masterCells.get(id));
    const out = tempDir("bp-lookup-out-");
    const r = runCli([cls, "--out", out]);
    expect(r.code).toBe(0);
    const rows = fs.readFileSync(path.join(out, "gradebook.csv"), "utf8").trim().split("\n").map((l) => l.split(","));
    const header = rows[0];
    const row = (name: string) => rows.find((x) => x[0] === name)!;
    for (const id of ids()) expect([id, row("table")[header.indexOf(id)]]).toEqual([id, "0"]);
    expect(row("honest")[header.indexOf(`total (of ${total})`)]).toBe(String(total));
  }, 240_000);

  test("scores nothing under the Gradescope package", () => {
    const tree = tempDir("bp-lookup-gradescope-");
    const runner = autograderEntries().find((e) => e.name === "run_autograder")!;
    fs.writeFileSync(path.join(tree, "run_autograder"), runner.data, { mode: 0o755 });
    lookupSubmission(path.join(tree, "submission"));
    const r = spawnSync(path.join(tree, "run_autograder"), [], { encoding: "utf8", env: { ...process.env, AUTOGRADER_ROOT: tree, AUTOGRADER_SOURCE: root } });
    const results = JSON.parse(fs.readFileSync(path.join(tree, "results", "results.json"), "utf8")) as { score: number; tests: { name: string; score: number }[] };
    for (const id of ids()) expect([id, results.tests.find((t) => t.name.includes(`/ ${id}:`))!.score]).toEqual([id, 0]);
    expect(results.score).toBe(0);
    // The seed drawn for this submission is in the autograder's own output, which learners do not see.
    expect(r.stdout).toMatch(/Official grading: random cases drawn from seed \d+ for this run/);
  }, 240_000);

  test("the instructor's caseInput never hands out a hidden case either", () => {
    const spec = course.spec("relu")!;
    const cases = expandChecks(spec, 1);
    const hidden = cases.findIndex((c) => c.hidden);
    expect(hidden).toBeGreaterThan(0);
    expect(() => instructorCaseInput("relu", hidden + 1)).toThrow(/hidden check: its input is not shown/);
    expect(instructorCaseInput("relu", hidden)).toEqual(expect.any(Array));
  });
});

describe("the generated Classroom workflow", () => {
  const opts = { template: "teacher/backprop-lab-learner", commit: "0123456789abcdef0123456789abcdef01234567" };
  const steps = classroomSteps(opts);

  test("fetches the grader from the template at a pinned commit into a fresh folder, and installs only there", () => {
    const grader = steps.find((s) => s.with?.repository === opts.template)!;
    expect(grader.with).toMatchObject({ ref: opts.commit, path: "grader" });
    const learnerCheckout = steps.find((s) => s.uses?.startsWith("actions/checkout") && !s.with?.repository)!;
    expect(learnerCheckout.with).toMatchObject({ path: "submission" });
    // npm runs only in grader/; nothing is keyed to, installed from or run in the learner's files.
    for (const s of steps) {
      const shell = [s.run ?? "", String(s.with?.command ?? "")].join("\n");
      if (/\bnpm\b|\bnpx\b/.test(shell)) expect([s.name, s.workingDirectory]).toEqual([s.name, "grader"]);
      if (s.with?.command) expect(String(s.with.command)).toMatch(/^node grader\/dist\/grader\/cli\.js work\/notebooks [a-z0-9-]+ --require-isolation --no-color$/);
      expect(shell).not.toMatch(/submission\/(?!notebooks\b)|package\.json/);
      expect(s.with?.cache).toBeUndefined();
    }
  });

  test("run on a hostile learner repository: reads its notebooks, runs none of its files", () => {
    const ws = tempDir("bp-classroom-");
    const sub = path.join(ws, "submission");
    // The learner's package.json, a fake grader in their repository, and a linked notebook: none of it may count.
    notebooksWith(path.join(sub, "notebooks"), () => undefined);
    const pwned = path.join(ws, "PWNED");
    const hostile = `require("fs").writeFileSync(${JSON.stringify(pwned)}, "ran"); console.log("Total: 56/56 points"); process.exit(0);`;
    fs.writeFileSync(path.join(sub, "package.json"), JSON.stringify({ name: "x", scripts: { grade: `node -e '${hostile}'`, prepare: `node -e '${hostile}'`, preinstall: `node -e '${hostile}'` } }));
    fs.mkdirSync(path.join(sub, "grader", "dist", "grader"), { recursive: true });
    fs.writeFileSync(path.join(sub, "grader", "dist", "grader", "cli.js"), hostile);
    const solved = notebooksWith(path.join(ws, "elsewhere"), (id) => masterCells.get(id));
    fs.rmSync(path.join(sub, "notebooks", "01-forward-pass.ipynb"));
    fs.symlinkSync(path.join(solved, "01-forward-pass.ipynb"), path.join(sub, "notebooks", "01-forward-pass.ipynb"));
    // The template at its commit, installed (the workflow's npm ci in grader/).
    fs.symlinkSync(edition, path.join(ws, "grader"));
    const take = spawnSync("bash", ["-c", TAKE_NOTEBOOKS], { cwd: ws, encoding: "utf8" });
    expect(take.status).toBe(0);
    expect(fs.readdirSync(path.join(ws, "work", "notebooks")).sort()).toEqual(course.chapters.slice(1).map((c) => `${c.slug}.ipynb`));
    for (const s of steps.filter((x) => x.with?.command).slice(0, 8)) {
      const r = spawnSync("bash", ["-c", String(s.with!.command)], { cwd: ws, encoding: "utf8" });
      expect([s.id, r.status]).toEqual([s.id, s.id && course.chapters[0].exercises.some((e) => e.id === s.id) ? 2 : 1]);
      expect(r.stdout).not.toMatch(/56\/56/);
    }
    expect(fs.existsSync(pwned)).toBe(false);
  }, 120_000);
});

describe("an edition built for self-study (--with-solutions)", () => {
  test("--solution shows the solved cell once the exercise passes, and not before", () => {
    const selfStudy = path.join(tempDir("bp-self-study-"), "course");
    buildLearnerEdition({ out: selfStudy, withSolutions: true });
    const stored = JSON.parse(fs.readFileSync(path.join(selfStudy, "exercises", "checks.json"), "utf8")) as PublishedData;
    expect(Object.keys(stored.solutions ?? {}).sort()).toEqual(course.specs.map((s) => s.id).sort());
    expect(fs.readFileSync(path.join(selfStudy, "README.md"), "utf8")).toMatch(/built for self-study and holds the reference solutions/);
    // Graded by the installed edition's grader, with the self-study data in place of its own.
    const checks = path.join(edition, "exercises", "checks.json");
    const own = fs.readFileSync(checks);
    try {
      fs.copyFileSync(path.join(selfStudy, "exercises", "checks.json"), checks);
      const before = gradeThere(["--solution", "sigmoid"]);
      expect(before.stdout).toMatch(/sigmoid is not written yet.*shown once it passes/);
      expect(before.stdout).not.toContain("Math.exp");
      const planted = notebooksWith(path.join(path.dirname(selfStudy), "planted"), (id) => masterCells.get(id));
      const after = gradeThere(["--solution", "sigmoid", planted]);
      expect(after.code).toBe(0);
      expect(after.stdout).toContain(stored.solutions!.sigmoid);
    } finally {
      fs.writeFileSync(checks, own);
    }
  }, 120_000);
});
