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
import { markedId } from "./engine/notebook/cells";
import { parseNotebook, serializeNotebook, sourceText, toLines, type CellJson } from "./engine/notebook/notebook";

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

/** The solved cell as a learner may read it once earned: the solution kept, its markers taken out. */
export function withoutMarkers(source: string): string {
  return source
    .split("\n")
    .filter((l) => !BEGIN_LINE.test(l) && !END_LINE.test(l))
    .join("\n")
    .replace(/\/\* (BEGIN|END) SOLUTION \*\/ ?/g, "");
}

/** A figure's bytes and MIME type, for a link in a master's markdown; null when there is no such file. */
export type ReadFigure = (link: string) => { mime: string; data: Uint8Array } | null;

/** `![alt](link)` with no title; the link has no spaces (figures live in assets/, named plainly). */
const MARKDOWN_IMAGE = /!\[([^\]\n]*)\]\(\s*([^()\s]+)\s*\)/g;
const HTML_IMAGE = /(<img\b[^>]*?\ssrc\s*=\s*)(["'])([^"']*)\2/gi;
/** A link that needs no file next to the notebook: a scheme (https:, data:, attachment:), a host, or an anchor. */
const SELF_CONTAINED = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i;

const escapeAttribute = (s: string): string => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A master's markdown with every local figure (`![alt](../assets/x.svg)` or
 * `<img src="../assets/x.svg">`) embedded as a data URL in an `<img>` tag. A
 * learner notebook then shows its figures wherever it is opened: Jupyter serves
 * only notebooks/ (so ../assets is a 404 there), and a copied or uploaded
 * notebook has no assets/ next to it. Not cell attachments: JupyterLab and
 * Notebook 7 refuse SVG attachments ("Cannot render unknown image mime type").
 * Not markdown image syntax around the data URL: markdown-it (VS Code) refuses
 * data:image/svg+xml links, and renders raw `<img>` tags.
 */
export function embedFigures(markdown: string, readFigure: ReadFigure, where: string): string {
  const dataUrl = (link: string): string => {
    const figure = readFigure(link);
    if (!figure) throw new StripError(`${where}: the figure ${link} is not there (a figure is linked relative to the master, e.g. ../assets/name.svg)`);
    return `data:${figure.mime};base64,${Buffer.from(figure.data).toString("base64")}`;
  };
  return markdown
    .replace(MARKDOWN_IMAGE, (whole, alt: string, link: string) => (SELF_CONTAINED.test(link) ? whole : `<img src="${dataUrl(link)}" alt="${escapeAttribute(alt)}">`))
    .replace(HTML_IMAGE, (whole, before: string, quote: string, link: string) => (SELF_CONTAINED.test(link) ? whole : `${before}${quote}${dataUrl(link)}${quote}`));
}

/**
 * Learner notebook text for a master notebook's text, with its figures embedded
 * (see embedFigures; `readFigure` reads a link relative to the master).
 */
export function learnerFromMaster(masterText: string, masterName: string, readFigure: ReadFigure): string {
  const nb = parseNotebook(masterText, masterName).json;
  nb.cells = nb.cells.map((cell, i) => {
    const source = sourceText(cell);
    const out: CellJson = { ...cell, metadata: { ...(cell.metadata ?? {}) } };
    if (cell.cell_type === "code") {
      const id = markedId(source);
      const where = `${masterName} cell ${i + 1}`;
      const stripped = id !== undefined ? stripCell(source, id, where) : source;
      if (id === undefined && source.includes("BEGIN SOLUTION")) throw new StripError(`${where}: a solution region outside an exercise cell`);
      out.source = toLines(stripped);
      out.outputs = [];
      out.execution_count = null;
    } else if (cell.cell_type === "markdown") {
      const embedded = embedFigures(source, readFigure, `${masterName} cell ${i + 1}`);
      if (embedded !== source) out.source = toLines(embedded);
    }
    return out;
  });
  return serializeNotebook(nb);
}

/** The master itself, as stored in git: same content, outputs cleared. */
export function cleanMaster(masterText: string): string {
  const nb = parseNotebook(masterText, "the master").json;
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    cell.outputs = [];
    cell.execution_count = null;
  }
  return serializeNotebook(nb);
}
