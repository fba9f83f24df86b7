// `npm run build:learner -- <dir> [--with-solutions]`: the learner edition of the
// course, what learners get (nbgrader's generate_assignment, otter assign's
// student files, in our words). This repository is the instructor's: it holds
// the masters (solutions/), the specs with their case generators, hidden cases
// and declared mistakes, and the lab's reference versions of earlier exercises.
// The edition holds none of that:
//   - notebooks/: the learner notebooks, made from the masters as build:notebooks makes them;
//   - exercises/checks.json: the public checks as data (grader/engine/course/published.ts),
//     the masters' answers to the public cases stored as values;
//   - exercises/index.ts: a registry that reads that data, and the public judges
//     (exercises/public-judges.ts and what it imports, which hold no answer);
//   - grader/: the grader, the reports, the lab, the CLI and the Jupyter launcher,
//     with the lab's given.ts replaced by given-own.ts (earlier exercises are the
//     learner's own cells); no instructor commands;
//   - package.json (scripts: build, prepare, grade, jupyter), package-lock.json,
//     tsconfig.json, assets/, .gitignore, and a README for learners.
// --with-solutions (self-study, rustlings' way): also stores each exercise's solved
// cell, which `npm run grade -- --solution <id>` shows once the exercise passes.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { course } from "../exercises";
import { PUBLIC_JUDGES } from "../exercises/public-judges";
import { findExerciseCells } from "./engine/notebook/cells";
import { readNotebook } from "./engine/notebook/notebook";
import { publishCourse } from "./engine/course/published";
import { expectedLearner } from "./build-notebooks";
import { withoutMarkers } from "./strip";

export interface LearnerEditionOptions {
  /** Where to write the edition: a folder that does not exist yet, or an empty one. */
  out: string;
  /** Store the solved cells, for self-study: `--solution` shows them once an exercise passes. */
  withSolutions?: boolean;
  /** The instructor's course folder (default: this one). */
  root?: string;
}

/** Where the grader starts: the commands the edition keeps, and the lab notebooks import. */
const ENTRIES = ["grader/cli.ts", "grader/jupyter.ts", "grader/lab/index.ts", "grader/lab/given-own.ts", "exercises/public-judges.ts", "grader/engine/course/published.ts"];
/** The engine starts processes by file name (worker, compile-worker), which no import names: all of it goes. */
const WHOLE_FOLDERS = ["grader/engine"];
/** Written by this command, never copied. */
const GENERATED = new Set(["exercises/index.ts", "grader/lab/given.ts"]);
const COPIED = ["package-lock.json", ".gitignore", "grader/lab/package.json", "assets"];

const IMPORT = /(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;

/** The course's own TypeScript files `entries` import, directly or not (relative imports; generated files are not followed). */
export function importClosure(root: string, entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (rel: string): void => {
    if (seen.has(rel)) return;
    seen.add(rel);
    if (GENERATED.has(rel)) return;
    // Imports written inside generated code (template strings) are not imports.
    const text = fs.readFileSync(path.join(root, rel), "utf8").replace(/`(?:\\.|[^`\\])*`/g, "``");
    for (const m of text.matchAll(IMPORT)) {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(rel), m[1]));
      const found = [base, `${base}.ts`, `${base}/index.ts`].find((c) => c.endsWith(".ts") && fs.existsSync(path.join(root, c)));
      if (found) visit(found);
    }
  };
  for (const e of entries) visit(e);
  return [...seen].sort();
}

function filesUnder(root: string, rel: string): string[] {
  const full = path.join(root, rel);
  if (!fs.statSync(full).isDirectory()) return [rel];
  return fs
    .readdirSync(full)
    .filter((n) => !n.startsWith(".") || rel === "")
    .sort()
    .flatMap((n) => filesUnder(root, path.posix.join(rel, n)));
}

/** The grader and course files the edition takes from the instructor's course, as they are. */
export function learnerSources(root = course.root): string[] {
  const engine = WHOLE_FOLDERS.flatMap((d) => filesUnder(root, d).filter((f) => f.endsWith(".ts")));
  const files = new Set([...importClosure(root, ENTRIES), ...engine]);
  for (const g of GENERATED) files.delete(g);
  files.delete("grader/lab/given-own.ts"); // it becomes given.ts
  const specs = new Set(course.chapters.flatMap((c) => c.exercises.map((e) => course.specFile(c.slug, e.id))));
  const leaked = [...files].filter((f) => specs.has(f) || f === "grader/lab/given.ts" || f.startsWith("solutions/"));
  // A public judge that imports a spec (or a helper holding a trusted forward pass) would ship it: refuse, and say which.
  if (leaked.length) throw new Error(`the learner edition would ship instructor files: ${leaked.join(", ")} (imported from ${ENTRIES.join(", ")})`);
  return [...files].sort();
}

const REGISTRY = `// The course registry of this learner edition, made by \`npm run build:learner\`
// from the instructor's course: chapters in order and each exercise's public
// checks, stored as data in exercises/checks.json (grader/engine/course/published.ts).
// No spec, reference solution or hidden case is in this edition.
import { courseRootOf, publishedCourse, publishedFileIn, readPublished } from "../grader/engine/authoring";
import { PUBLIC_JUDGES } from "./public-judges";

const root = courseRootOf(__dirname);
export const course = publishedCourse(root, readPublished(publishedFileIn(root)), PUBLIC_JUDGES);
export const FORMAT_VERSION = course.formatVersion;
`;

function packageJson(root: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string>; description?: string; [k: string]: unknown };
  // Dependencies stay as they are, so package-lock.json still fits (npm ci works too);
  // only the learner's commands remain.
  const keep = ["build", "prepare", "grade", "jupyter"];
  pkg.scripts = Object.fromEntries(keep.map((k) => [k, pkg.scripts[k]]));
  // The instructor's build ends by compiling the masters (grader/precompile.ts): the edition has none.
  pkg.scripts.build = pkg.scripts.prepare = "tsc -p tsconfig.json";
  pkg.description = "TypeScript Jupyter notebooks that teach backpropagation, with a grader of their public checks (learner edition)";
  return JSON.stringify(pkg, null, 2) + "\n";
}

function tsconfig(root: string): string {
  const cfg = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8")) as { include: string[] };
  cfg.include = ["grader/**/*.ts", "exercises/**/*.ts"];
  return JSON.stringify(cfg, null, 2) + "\n";
}

/** The learner README, from docs/learner-readme.md: the chapter table and what --solution does filled in. */
function readme(root: string, withSolutions: boolean, withheld: number): string {
  const template = fs.readFileSync(path.join(root, "docs", "learner-readme.md"), "utf8");
  const chapters = course.chapters.map((c, i) => `| ${i + 1} · ${c.title} | ${c.exercises.map((e) => `\`${e.id}\``).join(", ")} |`).join("\n");
  const solutions = withSolutions
    ? "This edition was built for self-study and holds the reference solutions: `npm run grade -- --solution sigmoid` prints the solved cell of `sigmoid`, once `sigmoid` passes in your notebook."
    : "The reference solutions come from your instructor: this edition holds none, and `npm run grade -- --solution sigmoid` says so.";
  return template
    .replace(/^<!--[\s\S]*?-->\n/, "")
    .replace("{{CHAPTERS}}", chapters)
    .replace("{{SOLUTIONS}}", solutions)
    .replace("{{WITHHELD}}", String(withheld));
}

/** The solved cells, markers taken out, by exercise id (self-study editions only). */
function solvedCells(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const chapter of course.chapters) {
    const found = findExerciseCells(readNotebook(course.masterPath(chapter.slug)), chapter.exercises.map((e) => e.id));
    for (const [id, cell] of found.byId) out[id] = withoutMarkers(cell.source);
  }
  return out;
}

export function buildLearnerEdition(opts: LearnerEditionOptions): { dir: string; files: string[]; withheld: number } {
  const root = opts.root ?? course.root;
  const dir = path.resolve(opts.out);
  if (dir === path.resolve(root) || path.resolve(root).startsWith(dir + path.sep)) throw new Error(`${opts.out} holds the instructor's course: write the learner edition to a folder of its own`);
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) throw new Error(`${opts.out} exists and is not an empty folder: the learner edition is written to a new one`);
  const files: string[] = [];
  const write = (rel: string, data: string | Buffer): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), data);
    files.push(rel);
  };
  for (const rel of [...learnerSources(root), ...COPIED.flatMap((c) => filesUnder(root, c))]) write(rel, fs.readFileSync(path.join(root, rel)));
  write("grader/lab/given.ts", fs.readFileSync(path.join(root, "grader/lab/given-own.ts")));
  write("exercises/index.ts", REGISTRY);
  const data = publishCourse(course, PUBLIC_JUDGES, opts.withSolutions ? { solutions: solvedCells() } : {});
  write("exercises/checks.json", JSON.stringify(data) + "\n");
  // Exactly what build:notebooks writes (figures embedded, solution regions stubbed, outputs cleared).
  for (const c of course.chapters) write(`notebooks/${c.slug}.ipynb`, expectedLearner(c.slug));
  write("package.json", packageJson(root));
  write("tsconfig.json", tsconfig(root));
  const withheld = data.exercises.reduce((s, e) => s + e.withheld, 0);
  write("README.md", readme(root, opts.withSolutions === true, withheld));
  return { dir, files: files.sort(), withheld };
}

function main(argv: string[]): number {
  const missing = course.problem();
  if (missing) {
    process.stderr.write(`build:learner: ${missing}\n`);
    return 2;
  }
  let withSolutions = false;
  let rest: string[] = [];
  try {
    const parsed = parseArgs({ args: argv, allowPositionals: true, options: { "with-solutions": { type: "boolean" } } });
    withSolutions = parsed.values["with-solutions"] === true;
    rest = parsed.positionals;
  } catch {
    rest = []; // an unknown option: the usage below says what there is
  }
  if (rest.length !== 1) {
    process.stderr.write("Usage: npm run build:learner -- <dir> [--with-solutions]\n  <dir>              a new (or empty) folder for the learner edition\n  --with-solutions   self-study: keep the solved cells, shown by --solution once an exercise passes\n");
    return 2;
  }
  // npm runs scripts in the course folder: a relative <dir> means the folder the command was typed in.
  const out = path.resolve(process.env.npm_lifecycle_event === "build:learner" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd(), rest[0]);
  try {
    const { dir, files, withheld } = buildLearnerEdition({ out, withSolutions });
    process.stdout.write(
      `wrote the learner edition to ${dir} (${files.length} files${withSolutions ? ", with the solved cells for --solution" : ", no solutions"}).\n` +
        `Public checks only: ${withheld} public checks need course code to judge and, with every hidden check, run in official grading only.\n` +
        `Try it: cd ${path.relative(process.cwd(), dir) || "."} && npm install && npm run grade\n`,
    );
    return 0;
  } catch (e) {
    process.stderr.write(`build:learner: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
