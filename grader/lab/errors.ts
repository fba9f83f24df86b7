// What a learner sees when a cell fails in the notebook: the message and the
// line of their cell, never a Node stack trace through tslab's and our files.
// Pure functions; kernel.ts hooks them into the kernel.
import * as util from "node:util";
import { markerLine } from "../engine/notebook/cells";

/** The error todo() throws: an exercise not written yet, not a mistake. */
export function isNotDoneYet(e: unknown): e is Error {
  return e instanceof Error && e.name === "NotDoneYet";
}

/** The one line a stub prints: the contract of issue 12, word for word. */
export function notWrittenYet(id: string): string {
  return `${id} is not written yet: replace todo("${id}") in the cell marked ${markerLine(id)}`;
}

/** A cell as the kernel ran it: the JavaScript tslab made of it and, when known, the learner's TypeScript. */
export interface RanCell {
  js: string;
  ts?: string;
  /** Set for an exercise cell: its id, from the marker on its first line. */
  exercise?: string;
}

// Module aliases and helpers TypeScript's CommonJS output adds to a line:
// `(0, backprop_lab_1.todo)(x)` is `todo(x)`, `exports.aL` is `aL`.
const JS_NOISE: [RegExp, string][] = [
  [/\bexports\.tsLastExpr\s*=\s*/g, ""],
  [/\(0,\s*[\w$]+_\d+\.([\w$]+)\)/g, "$1"],
  [/\b[\w$]+_\d+\./g, ""],
  [/\bexports\./g, ""],
];
const TOKEN = /[A-Za-z_$][\w$]*|\d+(?:\.\d+)?|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|[-+*/%<>=!&|^?:.[\](){}]/g;

function tokens(line: string): string[] {
  return (line.match(TOKEN) ?? []).map((t) => (t.startsWith("'") ? `"${t.slice(1, -1)}"` : t));
}

/**
 * The line of the TypeScript cell a line of its compiled JavaScript came from.
 * tslab emits no source map, and its output drops blank lines and types, so
 * lines are matched by their tokens: the TS line holding the most of the JS
 * line's tokens (in the same order), ties going to the one with fewest extras.
 */
export function matchLine(jsLine: string, ts: string): number | undefined {
  let clean = jsLine;
  for (const [re, to] of JS_NOISE) clean = clean.replace(re, to);
  const want = tokens(clean);
  if (want.length === 0) return undefined;
  let best: { line: number; score: number; extra: number } | undefined;
  ts.split("\n").forEach((text, i) => {
    const have = tokens(text.replace(/\/\/.*$/, ""));
    if (have.length === 0) return;
    // Tokens of the JS line found in order in the TS line (a type annotation between them is skipped).
    let k = 0;
    let common = 0;
    for (const t of want) {
      const at = have.indexOf(t, k);
      if (at >= 0) {
        common++;
        k = at + 1;
      }
    }
    const score = common / want.length;
    const extra = have.length - common;
    if (!best || score > best.score || (score === best.score && extra < best.extra)) best = { line: i + 1, score, extra };
  });
  return best && best.score >= 0.6 ? best.line : undefined;
}

/** The first stack frame in a cell the kernel ran: which cell, which line of its JavaScript. */
export function cellFrame(stack: string, isCell: (file: string) => boolean): { file: string; line: number } | undefined {
  for (const m of stack.matchAll(/\(?([^\s()]+):(\d+):(\d+)\)?\s*$/gm)) {
    if (isCell(m[1])) return { file: m[1], line: Number(m[2]) };
  }
  return undefined;
}

/** The first line of an error as Node would name it: `TypeError: message`. */
function headline(e: Error): string {
  const name = typeof e.name === "string" && e.name ? e.name : "Error";
  const message = typeof e.message === "string" ? e.message : "";
  return message ? `${name}: ${message}` : name;
}

/**
 * An error thrown by a cell, in at most two lines: what went wrong, and where
 * in the learner's cells (line number and code). Frames inside Node, tslab or
 * the lab are left out: they are ours, not the learner's.
 */
export function describeCellError(e: unknown, cells: ReadonlyMap<string, RanCell>, current?: string): string {
  if (!(e instanceof Error)) return util.inspect(e);
  let first = headline(e);
  // A message of many lines (an assertion's diff) keeps its first few.
  const lines = first.split("\n");
  if (lines.length > 6) first = [...lines.slice(0, 6), `… (${lines.length - 6} more lines)`].join("\n");
  const stack = typeof e.stack === "string" ? e.stack : "";
  const frame = cellFrame(stack, (f) => cells.has(f));
  if (!frame) return first;
  const cell = cells.get(frame.file)!;
  const jsLine = cell.js.split("\n")[frame.line - 1] ?? "";
  // tslab wraps the cell in `(function(exports, require) { ` on the cell's first line.
  let js = jsLine.replace(/^\(\s*(async\s+)?function\s*\(exports,\s*require\)\s*\{\s*/, "").trim();
  for (const [re, to] of JS_NOISE) js = js.replace(re, to);
  const which = cell.exercise ? `the cell marked ${markerLine(cell.exercise)}` : frame.file === current ? "this cell" : "an earlier cell";
  const line = cell.ts ? matchLine(js, cell.ts) : undefined;
  if (line !== undefined) return `${first}\n    at line ${line} of ${which}: ${cell.ts!.split("\n")[line - 1].trim()}`;
  return js ? `${first}\n    in ${which}: ${js.length > 120 ? `${js.slice(0, 119)}…` : js}` : first;
}

/**
 * A value that console.error (what tslab calls on a failed cell) prints as
 * exactly `text`: util.inspect would put an Error without stack frames in
 * [brackets] and add its own properties.
 */
export function printedAs(text: string): object {
  return {
    [util.inspect.custom]: () => text,
    toString: () => text,
  };
}
