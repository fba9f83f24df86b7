// Find the exercise cells: code cells whose first line is exactly
// `// exercise: <id>`. The marker is visible text, so it survives copy-paste
// and editors that drop cell metadata. Also spots the near-misses a learner
// can make (marker moved down, typo in the id, the same id twice).
// The marker rule lives here only: everything else asks markedId/markerLine.
import { sourceText, withSource, type Cell, type Notebook, type NotebookJson } from "./notebook";

const MARKER = /^\/\/ exercise: ([a-z0-9-]+)\s*$/;
const LOOSE_MARKER = /^\s*\/\/\s*exercise\s*:\s*(\S+)/i;
export const GIVEN_MARKER = /^\/\/ given\b/;

export interface ExerciseCell {
  id: string;
  cell: Cell;
  /** The cell's code; line numbers stay those the learner sees (marker = line 1). */
  source: string;
}

export interface CellProblem {
  cell: number;
  id?: string;
  message: string;
}

export interface FoundCells {
  byId: Map<string, ExerciseCell>;
  problems: CellProblem[];
}

export function firstLine(source: string): string {
  const i = source.indexOf("\n");
  return i === -1 ? source : source.slice(0, i);
}

/** The marker line of exercise `id`, as a cell's first line holds it. */
export function markerLine(id: string): string {
  return `// exercise: ${id}`;
}

/** An exercise cell's source: its marker line, then `body`. */
export function exerciseSource(id: string, body: string): string {
  return `${markerLine(id)}\n${body}`;
}

/** The exercise id a cell's source is marked with (its first line), or undefined. */
export function markedId(source: string): string | undefined {
  return MARKER.exec(firstLine(source).replace(/\r$/, ""))?.[1];
}

/**
 * Each exercise id's first marked code cell, whatever the id: for comparing two
 * notebooks of one course (build-notebooks), where unknown ids are not a problem.
 */
export function markedCells(nb: Notebook): Map<string, Cell> {
  const byId = new Map<string, Cell>();
  for (const c of nb.cells) {
    const id = c.type === "code" ? markedId(c.source) : undefined;
    if (id !== undefined && !byId.has(id)) byId.set(id, c);
  }
  return byId;
}

/**
 * A copy of the document with the cell of exercise `id` holding `body` under its
 * marker, or null when no cell is marked `id`. Cell ids, metadata and outputs stay.
 */
export function withExerciseBody(json: NotebookJson, id: string, body: string): NotebookJson | null {
  const at = json.cells.findIndex((c) => c.cell_type === "code" && markedId(sourceText(c)) === id);
  if (at < 0) return null;
  const copy = structuredClone(json);
  copy.cells[at] = withSource(copy.cells[at], exerciseSource(id, body));
  return copy;
}

/**
 * Problems listed per notebook; past it they are counted. A notebook of 100,000 cells that
 * each look like a marker made 100,000 problems, each located by its heading: minutes of the
 * grading process, and a results file of 34 MB.
 */
export const MAX_CELL_PROBLEMS = 50;

export function findExerciseCells(nb: Notebook, knownIds: readonly string[]): FoundCells {
  const byId = new Map<string, ExerciseCell>();
  const listed: CellProblem[] = [];
  const duplicated = new Set<string>();
  let unlisted = 0;
  let lastUnlisted = 0;
  const problems = {
    push(p: CellProblem): void {
      if (listed.length < MAX_CELL_PROBLEMS) listed.push(p);
      else {
        unlisted++;
        lastUnlisted = p.cell;
      }
    },
  };
  for (const cell of nb.cells) {
    if (cell.type !== "code") continue;
    const id = markedId(cell.source);
    if (id === undefined) {
      const loose = cell.source.split("\n").findIndex((l) => LOOSE_MARKER.test(l));
      if (loose >= 0) {
        const found = LOOSE_MARKER.exec(cell.source.split("\n")[loose])![1];
        const id = found.length > MAX_ID_CHARS ? `${found.slice(0, MAX_ID_CHARS)}…` : found;
        problems.push({
          cell: cell.number,
          id: knownIds.includes(id) ? id : undefined,
          message: `line ${loose + 1} looks like an exercise marker, but the marker must be the cell's first line, written exactly \`${markerLine(id.toLowerCase())}\``,
        });
      }
      continue;
    }
    if (!knownIds.includes(id)) {
      const near = id.length <= MAX_ID_CHARS ? closest(id, knownIds) : undefined;
      problems.push({ cell: cell.number, message: `unknown exercise id "${id.length > MAX_ID_CHARS ? `${id.slice(0, MAX_ID_CHARS)}…` : id}"${near ? ` (did you mean "${near}"?)` : ""}` });
      continue;
    }
    const earlier = byId.get(id);
    if (earlier) {
      duplicated.add(id);
      problems.push({
        cell: cell.number,
        id,
        message: `a second cell marked \`${markerLine(id)}\`${headingNote(nb, earlier.cell.number)}; keep one, so the grader knows which to grade`,
      });
      continue;
    }
    byId.set(id, { id, cell, source: cell.source });
  }
  // A duplicated id cannot be graded: which cell did the learner mean?
  for (const id of duplicated) byId.delete(id);
  if (unlisted > 0) listed.push({ cell: lastUnlisted, message: `and ${unlisted} more problems with exercise markers like those above, not listed (the last in this cell)` });
  return { byId, problems: listed };
}

export function givenCells(nb: Notebook): Cell[] {
  return nb.cells.filter((c) => c.type === "code" && GIVEN_MARKER.test(firstLine(c.source)));
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** Headings are named in reports: longer ones are cut (a learner's markdown may hold megabyte lines). */
export const MAX_HEADING_CHARS = 120;
/** Marker ids are quoted in messages: an id no exercise has is cut to this. */
const MAX_ID_CHARS = 60;

const isSpace = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v";

/**
 * An ATX heading's text (`## Step 2 · Sigmoid ##` → "Step 2 · Sigmoid"), or undefined.
 * Written as a scan, not a regular expression: learner text is never matched by a
 * pattern that can backtrack (`\s+(.*?)\s*#*\s*$` is cubic on "# a" + spaces + "\r" + "x").
 */
export function headingText(whole: string): string | undefined {
  // A lone \r ends a line for Markdown too.
  const cr = whole.indexOf("\r");
  const line = cr < 0 ? whole : whole.slice(0, cr);
  let i = 0;
  while (i < 3 && line[i] === " ") i++;
  let hashes = 0;
  while (line[i + hashes] === "#") hashes++;
  if (hashes < 1 || hashes > 6) return undefined;
  i += hashes;
  if (i < line.length && !isSpace(line[i])) return undefined;
  let end = line.length;
  while (end > i && isSpace(line[end - 1])) end--;
  // A closing run of #s counts only after a space (CommonMark): "# C#" keeps its #.
  let closing = end;
  while (closing > i && line[closing - 1] === "#") closing--;
  if (closing === i || isSpace(line[closing - 1])) end = closing;
  while (end > i && isSpace(line[end - 1])) end--;
  while (i < end && isSpace(line[i])) i++;
  if (i >= end) return undefined;
  const text = line.slice(i, Math.min(end, i + MAX_HEADING_CHARS + 1));
  return text.length > MAX_HEADING_CHARS ? `${text.slice(0, MAX_HEADING_CHARS)}…` : text;
}

/**
 * The markdown heading nearest above cell `number` (1-based, as in Cell.number),
 * without its #s. Jupyter shows no cell numbers, but it shows headings (and
 * lists them in its table of contents), so reports name a cell by its marker
 * and the heading it sits under.
 */
export function headingAbove(nb: Notebook, number: number): string | undefined {
  return headingsOf(nb)[Math.min(number - 1, nb.cells.length)];
}

/** Per notebook, the heading above each cell (index i: above cell i + 1), read in one pass. */
const headingCache = new WeakMap<Notebook, (string | undefined)[]>();
function headingsOf(nb: Notebook): (string | undefined)[] {
  let out = headingCache.get(nb);
  if (out) return out;
  out = [undefined];
  let last: string | undefined;
  for (const cell of nb.cells) {
    if (cell.type === "markdown") {
      const headings = cell.source.split("\n").map(headingText).filter((h): h is string => Boolean(h));
      if (headings.length > 0) last = headings[headings.length - 1];
    }
    out.push(last);
  }
  headingCache.set(nb, out);
  return out;
}

/** " (the first is under "Heading")": where the other cell is, as Jupyter shows it. */
function headingNote(nb: Notebook, number: number): string {
  const heading = headingAbove(nb, number);
  return heading ? ` (the first is under "${heading}")` : " (the first is further up)";
}
