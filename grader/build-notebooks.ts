// `npm run build:notebooks` (for course authors): write notebooks/<slug>.ipynb from solutions/<slug>.ipynb.
// A learner notebook whose exercise cells differ from the stubs holds someone's
// work: it is never overwritten without `--force`, and the refusal names the
// file and the exercises.
// Figures linked from a master's markdown (../assets/*.svg) are embedded into the
// learner notebook, so they show wherever it is opened.
// `--check`: write nothing, exit 1 if a learner notebook is not what its master produces.
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { firstLine, MARKER } from "./engine/cells";
import { courseProblem, notebooksDir, repoRoot } from "./engine/paths";
import { cleanMaster, learnerFromMaster, StripError, type ReadFigure } from "./strip";

const FIGURE_TYPES: Record<string, string> = { ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp" };

/** A master's figure link read from disk, relative to the master's folder and inside the course (assets/). */
export function figureReader(masterFile: string): ReadFigure {
  return (link) => {
    let file: string;
    try {
      file = path.resolve(path.dirname(masterFile), decodeURI(link));
    } catch {
      return null; // a malformed %-escape
    }
    const mime = FIGURE_TYPES[path.extname(file).toLowerCase()];
    if (!mime || path.relative(repoRoot, file).startsWith("..") || !fs.existsSync(file) || !fs.statSync(file).isFile()) return null;
    return { mime, data: fs.readFileSync(file) };
  };
}

export function expectedLearner(slug: string): string {
  const master = course.masterPath(slug);
  return learnerFromMaster(fs.readFileSync(master, "utf8"), path.relative(process.cwd(), master), figureReader(master));
}

interface RawCell {
  cell_type?: unknown;
  source?: unknown;
  outputs?: unknown;
}

function cellsOf(text: string): RawCell[] | null {
  try {
    const nb = JSON.parse(text) as { cells?: unknown };
    return Array.isArray(nb.cells) ? (nb.cells as RawCell[]) : null;
  } catch {
    return null;
  }
}

const sourceOf = (c: RawCell): string => (Array.isArray(c.source) ? c.source.join("") : typeof c.source === "string" ? c.source : "");

/** Exercise id → cell source, for the cells whose first line is an exercise marker. */
function exerciseCells(cells: RawCell[]): Map<string, string> {
  const byId = new Map<string, string>();
  for (const c of cells) {
    if (c.cell_type !== "code") continue;
    const m = MARKER.exec(firstLine(sourceOf(c)).replace(/\r$/, ""));
    if (m && !byId.has(m[1])) byId.set(m[1], sourceOf(c));
  }
  return byId;
}

/**
 * The exercises whose cells in `have` (a learner notebook as it is on disk)
 * differ from the stubs in `want` (what the master produces): a learner's work.
 * A cell whose marker is gone counts too (the learner may have edited the
 * marker line). Unreadable text is all work: nothing in it can be told apart.
 */
export function learnerWork(have: string, want: string): string[] {
  const mine = cellsOf(have);
  const stubs = exerciseCells(cellsOf(want) ?? []);
  if (!mine) return [...stubs.keys()];
  const written = exerciseCells(mine);
  return [...stubs].filter(([id, stub]) => written.get(id) !== stub).map(([id]) => id);
}

/**
 * Where two notebook texts first differ, in at most a few hundred characters:
 * enough to find it, never a multi-megabyte diff of outputs (an executed
 * notebook embeds plotly.js).
 */
export function firstDifference(have: string, want: string): string | null {
  if (have === want) return null;
  const a = cellsOf(have);
  const b = cellsOf(want);
  if (!a || !b) return "the file is not a notebook Jupyter can read";
  const clip = (s: string): string => JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (!a[i]) return `cell ${i + 1} (${b[i].cell_type}) is missing`;
    if (!b[i]) return `cell ${i + 1} is extra: ${clip(sourceOf(a[i]))}`;
    const sa = sourceOf(a[i]);
    const sb = sourceOf(b[i]);
    if (a[i].cell_type !== b[i].cell_type) return `cell ${i + 1} is ${String(a[i].cell_type)}, expected ${String(b[i].cell_type)}`;
    if (sa !== sb) {
      const at = [...sa].findIndex((ch, k) => ch !== sb[k]);
      const from = Math.max(0, (at < 0 ? Math.min(sa.length, sb.length) : at) - 20);
      return `cell ${i + 1} ${clip(firstLine(sb))}: has ${clip(sa.slice(from, from + 60))}, expected ${clip(sb.slice(from, from + 60))}`;
    }
    if (JSON.stringify(a[i].outputs ?? []) !== JSON.stringify(b[i].outputs ?? [])) return `cell ${i + 1} ${clip(firstLine(sb))} carries outputs (${JSON.stringify(a[i].outputs).length} characters)`;
  }
  return "the cells are the same; the notebook's metadata or formatting differs";
}

function main(argv: string[]): number {
  const missing = courseProblem();
  if (missing) {
    console.error(missing);
    return 2;
  }
  const checkOnly = argv.includes("--check");
  const force = argv.includes("--force");
  const rel = (f: string): string => path.relative(process.cwd(), f);
  let drift = 0;
  for (const { slug } of course.chapters) {
    const master = course.masterPath(slug);
    const learner = course.learnerPath(slug);
    let want: string;
    try {
      want = expectedLearner(slug);
    } catch (e) {
      if (!(e instanceof StripError)) throw e;
      console.error(e.message);
      drift++;
      continue;
    }
    const masterText = fs.readFileSync(master, "utf8");
    const clean = cleanMaster(masterText);
    const have = fs.existsSync(learner) ? fs.readFileSync(learner, "utf8") : null;
    const work = have === null ? [] : learnerWork(have, want);
    if (checkOnly) {
      if (have !== want) {
        console.error(`${rel(learner)} differs from what ${rel(master)} produces (${have === null ? "it is missing" : firstDifference(have, want)})`);
        console.error(work.length ? `  it holds work in ${work.join(", ")}: if it is yours, this is expected (grade it with npm run grade)` : `  course authors: npm run build:notebooks regenerates it`);
        drift++;
      }
      if (clean !== masterText) {
        console.error(`${rel(master)} carries outputs or execution counts (course authors: npm run build:notebooks clears them)`);
        drift++;
      }
      continue;
    }
    fs.mkdirSync(notebooksDir, { recursive: true });
    if (clean !== masterText) fs.writeFileSync(master, clean);
    if (have === want) {
      console.log(`${rel(learner)} is up to date`);
      continue;
    }
    if (work.length > 0 && !force) {
      console.error(
        `${rel(learner)} was NOT overwritten: its exercise cells differ from the stubs (${work.join(", ")}), so it holds someone's work.\n` +
          `  Learners: you never need this command; grade your work with npm run grade.\n` +
          `  Course authors: npm run build:notebooks -- --force overwrites it (the work in it is lost).`,
      );
      drift++;
      continue;
    }
    fs.writeFileSync(learner, want);
    console.log(`wrote ${rel(learner)}${work.length ? ` (--force: replaced the work in ${work.join(", ")})` : ""}`);
  }
  return drift ? 1 : 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
