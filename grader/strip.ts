// Derive a learner notebook from its solved master: every solution region in
// an exercise cell becomes a todo("<id>") stub, outputs and execution counts
// are cleared. This is the only way notebooks/ is written (`npm run build:notebooks`);
// a test fails if a committed learner notebook differs from what this produces.
//
// Two kinds of region, both inside exercise cells only:
//   // BEGIN SOLUTION            (a whole-line region, inside a function body)
//   ...                         -> return todo("<id>"); // replace this line with your code
//   // END SOLUTION
//   /* BEGIN SOLUTION */ expr /* END SOLUTION */   -> todo("<id>")   (an inline region)
import { firstLine, MARKER } from "./engine/cells";

export class StripError extends Error {}

const BEGIN_LINE = /^(\s*)\/\/ BEGIN SOLUTION\s*$/;
const END_LINE = /^\s*\/\/ END SOLUTION\s*$/;
const INLINE = /\/\* BEGIN SOLUTION \*\/[\s\S]*?\/\* END SOLUTION \*\//g;

export function stripCell(source: string, id: string, where: string): string {
  const withInline = source.replace(INLINE, `todo("${id}")`);
  if (withInline.includes("BEGIN SOLUTION") && !BEGIN_LINE.test(withInline.split("\n").find((l) => l.includes("BEGIN SOLUTION")) ?? "")) {
    throw new StripError(`${where}: a BEGIN SOLUTION without its END SOLUTION on the same line`);
  }
  const out: string[] = [];
  let inside: string | null = null;
  for (const line of withInline.split("\n")) {
    const begin = BEGIN_LINE.exec(line);
    if (begin) {
      if (inside !== null) throw new StripError(`${where}: BEGIN SOLUTION inside another solution region`);
      inside = begin[1];
      out.push(`${inside}return todo("${id}"); // replace this line with your code`);
      continue;
    }
    if (END_LINE.test(line)) {
      if (inside === null) throw new StripError(`${where}: END SOLUTION without BEGIN SOLUTION`);
      inside = null;
      continue;
    }
    if (inside === null) out.push(line);
  }
  if (inside !== null) throw new StripError(`${where}: BEGIN SOLUTION is never closed by END SOLUTION`);
  return out.join("\n");
}

interface RawCell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** nbformat stores source as lines that keep their "\n" (all but the last). */
/** The solved cell as a learner may read it once earned: the solution kept, its markers taken out. */
export function withoutMarkers(source: string): string {
  return source
    .split("\n")
    .filter((l) => !BEGIN_LINE.test(l) && !END_LINE.test(l))
    .join("\n")
    .replace(/\/\* (BEGIN|END) SOLUTION \*\/ ?/g, "");
}

export function toLines(source: string): string[] {
  const parts = source.split("\n");
  return parts.map((p, i) => (i < parts.length - 1 ? p + "\n" : p)).filter((p) => p !== "");
}

export function serializeNotebook(nb: unknown): string {
  return JSON.stringify(nb, null, 1) + "\n";
}

/** Learner notebook text for a master notebook's text. */
export function learnerFromMaster(masterText: string, masterName: string): string {
  const nb = JSON.parse(masterText) as { cells: RawCell[]; metadata: Record<string, unknown>; [k: string]: unknown };
  nb.cells = nb.cells.map((cell, i) => {
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const out: RawCell = { ...cell, metadata: { ...(cell.metadata ?? {}) } };
    if (cell.cell_type === "code") {
      const m = MARKER.exec(firstLine(source));
      const where = `${masterName} cell ${i + 1}`;
      const stripped = m ? stripCell(source, m[1], where) : source;
      if (!m && source.includes("BEGIN SOLUTION")) throw new StripError(`${where}: a solution region outside an exercise cell`);
      out.source = toLines(stripped);
      out.outputs = [];
      out.execution_count = null;
    }
    return out;
  });
  return serializeNotebook(nb);
}

/** The master itself, as stored in git: same content, outputs cleared. */
export function cleanMaster(masterText: string): string {
  const nb = JSON.parse(masterText) as { cells: RawCell[] };
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    cell.outputs = [];
    cell.execution_count = null;
  }
  return serializeNotebook(nb);
}
