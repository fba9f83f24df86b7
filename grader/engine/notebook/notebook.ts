// The notebook model: the only code that reads or writes a .ipynb file
// (nbformat 4). Reading never writes, and turns every way a file can be broken
// into one clear sentence that names the file. Writers (build-notebooks,
// new-exercise, validate's mutants, the tests) change the document a reading
// gave them and hand it back here, so what they do not touch (cell ids,
// metadata, attachments) is written back as it was.
import * as fs from "node:fs";
import * as path from "node:path";

export interface Cell {
  /** 1-based position among all cells, as a learner counts them top to bottom. */
  number: number;
  type: "code" | "markdown" | "raw";
  source: string;
}

/** A cell as nbformat stores it; fields the model does not know are kept as they are. */
export interface CellJson {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata?: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
  id?: string;
  [field: string]: unknown;
}

/** The document as nbformat stores it (what a writer edits). */
export interface NotebookJson {
  cells: CellJson[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor?: number;
  [field: string]: unknown;
}

export interface Notebook {
  path: string;
  cells: Cell[];
  metadata: Record<string, unknown>;
  /** The whole document, for writers: cells[i] here is json.cells[i]. */
  json: NotebookJson;
}

export class NotebookError extends Error {
  constructor(readonly notebook: string, message: string) {
    super(message);
    this.name = "NotebookError";
  }
}

/** Notebooks larger than this are refused unread: an executed notebook with plots is about 5 MB. */
export const MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024;

const megabytes = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;

/**
 * Read a notebook: never through a symbolic link (a link to solutions/ would be
 * graded as the learner's work), never anything but a regular file (a FIFO would
 * block), never one larger than MAX_NOTEBOOK_BYTES (checked before reading).
 */
export function readNotebook(file: string): Notebook {
  let text: string;
  let fd: number | undefined;
  try {
    const link = fs.lstatSync(file);
    if (link.isSymbolicLink()) throw new NotebookError(file, "is a symbolic link, not a notebook file: links in submissions are never followed, so it was not graded. Submit the notebook file itself");
    if (link.isDirectory()) throw new NotebookError(file, "is a folder, not a notebook");
    if (!link.isFile()) throw new NotebookError(file, "is not a regular file, so it was not graded");
    if (link.size > MAX_NOTEBOOK_BYTES) throw tooLarge(file, link.size);
    // O_NOFOLLOW: should the file be swapped for a link after the check above, opening fails instead of following it.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new NotebookError(file, "is not a regular file, so it was not graded");
    if (st.size > MAX_NOTEBOOK_BYTES) throw tooLarge(file, st.size);
    // Read at most one byte past the limit: a file growing meanwhile is caught without reading it all.
    const buf = Buffer.alloc(st.size + 1);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = fs.readSync(fd, buf, n, buf.length - n, n);
    if (n > MAX_NOTEBOOK_BYTES) throw tooLarge(file, n);
    text = buf.toString("utf8", 0, n);
  } catch (e) {
    if (e instanceof NotebookError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new NotebookError(
      file,
      code === "ENOENT" ? "file not found" : code === "EISDIR" ? "is a folder, not a notebook" : code === "ELOOP" ? "is a symbolic link, not a notebook file: links in submissions are never followed, so it was not graded" : `cannot be read (${code ?? String(e)})`,
    );
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return parseNotebook(text, file);
}

function tooLarge(file: string, size: number): NotebookError {
  return new NotebookError(file, `is ${megabytes(size)} (${size} bytes), more than the ${megabytes(MAX_NOTEBOOK_BYTES)} a notebook may be, so it was not graded: clear its outputs (Jupyter: Edit > Clear Outputs of All Cells) and save it again`);
}

/**
 * The JSON of a notebook's text, whatever shape it has: for validation, which
 * reports on shapes parseNotebook refuses. Not JSON: a NotebookError.
 */
export function notebookJson(text: string, file: string): unknown {
  if (text.trim() === "") throw new NotebookError(file, "the file is empty (0 cells): was it saved while Jupyter was still writing it? Restore it from git or from Jupyter's checkpoints");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new NotebookError(file, `is not valid JSON (${jsonErrorWhere(text, e)}); a notebook edited outside Jupyter can break this way: restore it from git or checkpoints`);
  }
}

export function parseNotebook(text: string, file: string): Notebook {
  const json = notebookJson(text, file);
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new NotebookError(file, "is JSON but not a notebook (expected an object with `cells`)");
  const nb = json as { nbformat?: unknown; cells?: unknown; metadata?: unknown };
  if (nb.nbformat !== 4) throw new NotebookError(file, `has nbformat ${JSON.stringify(nb.nbformat)}; only nbformat 4 notebooks can be graded`);
  if (!Array.isArray(nb.cells)) throw new NotebookError(file, "has no `cells` list");
  const cells: Cell[] = nb.cells.map((raw: unknown, i: number) => {
    const c = raw as { cell_type?: unknown; source?: unknown };
    if (typeof c !== "object" || c === null) throw new NotebookError(file, `cell ${i + 1} is not an object`);
    const type = c.cell_type;
    if (type !== "code" && type !== "markdown" && type !== "raw") throw new NotebookError(file, `cell ${i + 1} has an unknown cell_type ${JSON.stringify(type)}`);
    const src = c.source;
    const source = typeof src === "string" ? src : Array.isArray(src) && src.every((s) => typeof s === "string") ? src.join("") : null;
    if (source === null) throw new NotebookError(file, `cell ${i + 1} has a source that is neither text nor a list of lines`);
    return { number: i + 1, type, source };
  });
  const metadata = typeof nb.metadata === "object" && nb.metadata !== null ? (nb.metadata as Record<string, unknown>) : {};
  return { path: file, cells, metadata, json: json as NotebookJson };
}

/** A cell's source as one string (nbformat may store it as a list of lines). */
export function sourceText(cell: Pick<CellJson, "source">): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** nbformat stores source as lines that keep their "\n" (all but the last), as Jupyter writes it. */
export function toLines(source: string): string[] {
  const parts = source.split("\n");
  return parts.map((p, i) => (i < parts.length - 1 ? p + "\n" : p)).filter((p) => p !== "");
}

/** A copy of `cell` holding `source`, stored as Jupyter stores it. */
export function withSource(cell: CellJson, source: string): CellJson {
  return { ...cell, source: toLines(source) };
}

/** A new cell, as Jupyter makes one (a code cell has no outputs yet). */
export function newCell(type: "code" | "markdown", source: string, id: string): CellJson {
  return type === "code" ? { cell_type: "code", execution_count: null, id, metadata: {}, outputs: [], source: toLines(source) } : { cell_type: "markdown", id, metadata: {}, source: toLines(source) };
}

/** A document's text as Jupyter writes it (one-space indent, a final newline): what is committed. */
export function serializeNotebook(json: NotebookJson): string {
  return JSON.stringify(json, null, 1) + "\n";
}

/** Write a document to `file` (its folder is made if needed). */
export function writeNotebook(file: string, json: NotebookJson): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, serializeNotebook(json));
}

/** A notebook's text, read for a writer (build-notebooks compares texts byte for byte), or null when there is no file. */
export function readNotebookText(file: string): string | null {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
}

/** Write a notebook's text as made by serializeNotebook (build-notebooks writes what it compared). */
export function writeNotebookText(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function jsonErrorWhere(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const upTo = text.slice(0, Number(m[1]));
  const line = upTo.split("\n").length;
  return `${message.replace(/ in JSON at position \d+.*$/, "")} at line ${line} of the file`;
}
