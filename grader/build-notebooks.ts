// `npm run build:notebooks` (for course authors): write notebooks/<slug>.ipynb from solutions/<slug>.ipynb.
// A learner notebook whose exercise cells differ from the stubs holds someone's
// work: it is never overwritten without `--force`, and the refusal names the
// file and the exercises. One this command wrote, untouched since, is known by
// its hash (solutions/.generated-notebooks.json) and regenerated.
// Figures linked from a master's markdown (../assets/*.svg) are embedded into the
// learner notebook, so they show wherever it is opened.
// `--check`: write nothing, exit 1 if a learner notebook is not what its master produces.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { course } from "../exercises";
import { firstLine, markedCells } from "./engine/notebook/cells";
import type { Course } from "./engine/course/course";
import { NotebookError, parseNotebook, readNotebookText, sourceText, writeNotebookText, type Cell, type Notebook } from "./engine/notebook/notebook";
import { cleanMaster, learnerFromMaster, StripError, type ReadFigure } from "./strip";

const FIGURE_TYPES: Record<string, string> = { ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp" };

/** A master's figure link read from disk, relative to the master's folder and inside the course (assets/). */
export function figureReader(masterFile: string, courseRoot: string): ReadFigure {
  return (link) => {
    let file: string;
    try {
      file = path.resolve(path.dirname(masterFile), decodeURI(link));
    } catch {
      return null; // a malformed %-escape
    }
    const mime = FIGURE_TYPES[path.extname(file).toLowerCase()];
    if (!mime || path.relative(courseRoot, file).startsWith("..") || !fs.existsSync(file) || !fs.statSync(file).isFile()) return null;
    return { mime, data: fs.readFileSync(file) };
  };
}

export function expectedLearner(slug: string, theCourse: Course = course): string {
  const master = theCourse.masterPath(slug);
  const text = readNotebookText(master);
  if (text === null) throw new StripError(`${path.relative(process.cwd(), master)} is missing: every chapter needs its solved master`);
  return learnerFromMaster(text, path.relative(process.cwd(), master), figureReader(master, theCourse.root));
}

/** A notebook text as the model reads it, or null when it is not a notebook Jupyter can read. */
function parsed(text: string): Notebook | null {
  try {
    return parseNotebook(text, "notebook");
  } catch (e) {
    if (e instanceof NotebookError) return null;
    throw e;
  }
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");
/** How many generated versions of each learner notebook are remembered: far more than a course changes between two clones. */
const KEEP_GENERATED = 50;

type Generated = Record<string, string[]>;

function readGenerated(theCourse: Course): Generated {
  try {
    const json = JSON.parse(fs.readFileSync(theCourse.generatedRecord, "utf8")) as { notebooks?: Generated };
    return json.notebooks ?? {};
  } catch {
    return {};
  }
}

/**
 * Every learner notebook build-notebooks writes is remembered by its hash, so a
 * later build knows an untouched notebook (one an earlier master produced, say
 * before new-exercise added cells to the master) from a learner's work, with no --force.
 */
export function rememberGenerated(theCourse: Course, slug: string, text: string): void {
  const all = readGenerated(theCourse);
  const hash = sha256(text);
  const known = all[slug] ?? [];
  if (known.includes(hash)) return;
  all[slug] = [...known, hash].slice(-KEEP_GENERATED);
  const sorted = Object.fromEntries(Object.keys(all).sort().map((k) => [k, all[k]]));
  const record = { about: "sha-256 of every learner notebook npm run build:notebooks wrote: a notebook with one of these hashes holds no learner work", notebooks: sorted };
  fs.writeFileSync(theCourse.generatedRecord, JSON.stringify(record, null, 1) + "\n");
}

/** Whether `text` is a learner notebook build-notebooks once wrote for this chapter, untouched since. */
export function wasGenerated(theCourse: Course, slug: string, text: string): boolean {
  return (readGenerated(theCourse)[slug] ?? []).includes(sha256(text));
}

/**
 * The exercises whose cells in `have` (a learner notebook as it is on disk)
 * differ from the stubs in `want` (what the master produces): a learner's work.
 * A cell whose marker is gone counts too (the learner may have edited the
 * marker line). Unreadable text is all work: nothing in it can be told apart.
 */
export function learnerWork(have: string, want: string): string[] {
  const mine = parsed(have);
  const wanted = parsed(want);
  const stubs = wanted ? markedCells(wanted) : new Map<string, Cell>();
  if (!mine) return [...stubs.keys()];
  const written = markedCells(mine);
  return [...stubs].filter(([id, stub]) => written.get(id)?.source !== stub.source).map(([id]) => id);
}

/**
 * Where two notebook texts first differ, in at most a few hundred characters:
 * enough to find it, never a multi-megabyte diff of outputs (an executed
 * notebook embeds plotly.js).
 */
export function firstDifference(have: string, want: string): string | null {
  if (have === want) return null;
  const a = parsed(have)?.json.cells;
  const b = parsed(want)?.json.cells;
  if (!a || !b) return "the file is not a notebook Jupyter can read";
  const clip = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (!a[i]) return `cell ${i + 1} (${b[i].cell_type}) is missing`;
    if (!b[i]) return `cell ${i + 1} is extra: ${clip(sourceText(a[i]))}`;
    const sa = sourceText(a[i]);
    const sb = sourceText(b[i]);
    if (a[i].cell_type !== b[i].cell_type) return `cell ${i + 1} is ${a[i].cell_type}, expected ${b[i].cell_type}`;
    if (sa !== sb) {
      const at = [...sa].findIndex((ch, k) => ch !== sb[k]);
      const from = Math.max(0, (at < 0 ? Math.min(sa.length, sb.length) : at) - 20);
      return `cell ${i + 1} ${clip(firstLine(sb))}: has ${clip(sa.slice(from, from + 60))}, expected ${clip(sb.slice(from, from + 60))}`;
    }
    if (JSON.stringify(a[i].outputs ?? []) !== JSON.stringify(b[i].outputs ?? [])) return `cell ${i + 1} ${clip(firstLine(sb))} carries outputs (${JSON.stringify(a[i].outputs).length} characters)`;
  }
  return "the cells are the same; the notebook's metadata or formatting differs";
}

export interface BuildOptions {
  /** Write nothing; report a learner notebook or master that is not what it should be. */
  check?: boolean;
  /** Overwrite a learner notebook even when it holds someone's work. */
  force?: boolean;
}

/** Build (or check) every learner notebook of `theCourse`; returns the exit code. */
export function buildNotebooks(theCourse: Course, options: BuildOptions = {}, out: { log(s: string): void; error(s: string): void } = console): number {
  const rel = (f: string): string => path.relative(process.cwd(), f);
  let drift = 0;
  for (const { slug } of theCourse.chapters) {
    const master = theCourse.masterPath(slug);
    const learner = theCourse.learnerPath(slug);
    let want: string;
    try {
      want = expectedLearner(slug, theCourse);
    } catch (e) {
      if (!(e instanceof StripError)) throw e;
      out.error(e.message);
      drift++;
      continue;
    }
    const masterText = readNotebookText(master) ?? "";
    const clean = cleanMaster(masterText);
    const have = readNotebookText(learner);
    // A notebook this command wrote and nobody changed since holds no work, whatever the master became.
    const untouched = have !== null && wasGenerated(theCourse, slug, have);
    const work = have === null || untouched ? [] : learnerWork(have, want);
    if (options.check) {
      if (have !== want) {
        out.error(`${rel(learner)} differs from what ${rel(master)} produces (${have === null ? "it is missing" : firstDifference(have, want)})`);
        out.error(work.length ? `  it holds work in ${work.join(", ")}: if it is yours, this is expected (grade it with npm run grade)` : `  course authors: npm run build:notebooks regenerates it`);
        drift++;
      }
      if (clean !== masterText) {
        out.error(`${rel(master)} carries outputs or execution counts (course authors: npm run build:notebooks clears them)`);
        drift++;
      }
      // Unrecorded, the shipped notebook would count as someone's work once its master changes.
      if (have === want && !untouched) {
        out.error(`${rel(learner)} is not in ${rel(theCourse.generatedRecord)} (course authors: npm run build:notebooks records it)`);
        drift++;
      }
      continue;
    }
    fs.mkdirSync(theCourse.notebooksDir, { recursive: true });
    if (clean !== masterText) writeNotebookText(master, clean);
    if (have === want) {
      rememberGenerated(theCourse, slug, want);
      out.log(`${rel(learner)} is up to date`);
      continue;
    }
    if (work.length > 0 && !options.force) {
      out.error(
        `${rel(learner)} was NOT overwritten: its exercise cells differ from the stubs (${work.join(", ")}), so it holds someone's work.\n` +
          `  Learners: you never need this command; grade your work with npm run grade.\n` +
          `  Course authors: npm run build:notebooks -- --force overwrites it (the work in it is lost).`,
      );
      drift++;
      continue;
    }
    writeNotebookText(learner, want);
    rememberGenerated(theCourse, slug, want);
    out.log(`wrote ${rel(learner)}${work.length ? ` (--force: replaced the work in ${work.join(", ")})` : ""}`);
  }
  return drift ? 1 : 0;
}

function main(argv: string[]): number {
  const missing = course.problem();
  if (missing) {
    console.error(missing);
    return 2;
  }
  let flags: { check?: boolean; force?: boolean };
  try {
    flags = parseArgs({ args: argv, options: { check: { type: "boolean" }, force: { type: "boolean" } } }).values;
  } catch (e) {
    console.error(`build:notebooks: ${(e as Error).message}\nUsage: npm run build:notebooks [-- --check | --force]`);
    return 2;
  }
  return buildNotebooks(course, flags);
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
