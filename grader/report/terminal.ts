// The scorecard in the terminal: one line per exercise, then the total and
// what to do next, then the details of each failure. Colour only on a TTY.
import * as path from "node:path";
import { capText, type ExerciseResult, type NotebookProblem, type Report } from "../engine/judge/result";
import { unsavedKey } from "../engine/notebook/unsaved";
import { markerLine } from "../engine/notebook/cells";
import { withoutControls } from "./escape";

export interface Style {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (code: number, reset: number) => (s: string) => `\u001b[${code}m${s}\u001b[${reset}m`;
export const COLOR: Style = { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
export const PLAIN: Style = { green: (s) => s, red: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

/** Learner-derived text made safe to print: no escape sequences or controls, indented continuation lines. */
export function terminalSafe(s: string, indent = "    "): string {
  return neutraliseCiCommands(withoutControls(String(s).replace(/\r\n?/g, "\n")).replace(/\n/g, `\n${indent}`));
}

/**
 * CI logs read a line starting with `::` (GitHub Actions) or `##[` / `##vso[` (Azure) as a
 * command (::error::, ::add-mask::, ::stop-commands::): learner text never starts one, with or
 * without leading blanks. A word joiner (U+2060, invisible) goes between the two marks.
 */
export function neutraliseCiCommands(s: string): string {
  return s.replace(/(^|\n)([ \t]*)(:)(?=:)/g, "$1$2$3\u2060").replace(/(^|\n)([ \t]*)(#)(?=#)/g, "$1$2$3\u2060");
}
const t = terminalSafe;

function mark(r: ExerciseResult, st: Style): string {
  if (r.status === "passed") return st.green("✔");
  if (r.status === "not-started") return st.yellow("·");
  if (r.status === "error") return st.red("!");
  return st.red("✘");
}

/**
 * Where an exercise cell is, in the words Jupyter shows: its marker line and the
 * heading above it. Never a cell count: Jupyter shows none, and ours would count
 * markdown cells too.
 */
export function cellPlace(r: Pick<ExerciseResult, "id" | "cell" | "heading">): string {
  if (!r.cell) return "";
  return `the cell \`${markerLine(r.id)}\`${r.heading ? ` under "${r.heading}"` : ""}`;
}

/** A cell with a problem has no valid marker to name it by: its heading, then its count as a last resort. */
export function problemPlace(p: Pick<NotebookProblem, "cell" | "heading">): string {
  if (!p.cell) return "";
  return p.heading ? `the code cell under "${p.heading}" (cell ${p.cell}, counting text cells)` : `cell ${p.cell} (counting text cells)`;
}

function where(r: ExerciseResult, cwd: string): string {
  const nb = t(path.relative(cwd, r.notebook) || r.notebook);
  return `${nb}${r.cell ? `, ${t(cellPlace(r))}` : ""}${r.line ? `, line ${r.line}` : ""}`;
}

/**
 * `unsaved`: cells a kernel ran that their saved notebook does not hold (engine/notebook/unsaved.ts,
 * keys by unsavedKey); a not-started one says the learner may not have saved.
 */
export function scorecard(report: Report, st: Style = PLAIN, cwd = process.cwd(), unsaved: ReadonlySet<string> = new Set()): string {
  const out: string[] = [];
  const width = Math.max(10, ...report.results.map((r) => r.id.length));
  let chapter = "";
  for (const r of report.results) {
    if (r.chapter !== chapter) {
      chapter = r.chapter;
      out.push(st.bold(t(`${path.relative(cwd, r.notebook) || r.notebook}`)));
    }
    const notStarted = unsaved.has(unsavedKey(r.notebook, r.id)) ? "not started (the saved file has no answer yet; unsaved work?)" : "not started";
    const status = r.status === "not-started" ? notStarted : r.status === "error" ? "not graded" : r.status;
    const pts = `${r.score}/${r.points}`.padStart(5);
    const detail = r.status === "passed" ? "" : st.dim(`  ${r.checks.passed}/${r.checks.total} checks`);
    out.push(`  ${mark(r, st)} ${t(r.id).padEnd(width)} ${pts}  ${status}${r.status === "failed" ? detail : ""}`);
  }
  for (const p of report.problems) out.push(st.red(`! ${t(path.relative(cwd, p.notebook) || p.notebook)}${p.cell ? `, ${t(problemPlace(p))}` : ""}: ${t(capText(p.message))}`));
  out.push("");
  const total = `Total: ${report.score}/${report.maxScore} points`;
  out.push(st.bold(report.score === report.maxScore && report.maxScore > 0 ? st.green(total) : total));
  if (report.boundary === "vm") {
    out.push(st.yellow("⚠ weaker sandbox: isolated-vm could not be loaded, so your code ran in a node vm context (fine for practising on your own work; class grading and Gradescope refuse to run like this)"));
  }

  const next = report.results.find((r) => r.status !== "passed");
  if (!next && report.problems.length === 0) {
    out.push(st.green("Everything passes. Well done!"));
  } else if (next) {
    out.push(`Next: ${st.bold(t(next.id))} (${where(next, cwd)}). Hint: ${t(next.hint)}`);
  }
  // A notebook that could not be read is listed once above, not once per exercise.
  const unreadable = new Set(report.problems.filter((p) => p.cell === undefined).map((p) => p.notebook));
  const details = report.results.filter((r) => (r.status === "failed" || r.status === "error") && !unreadable.has(r.notebook));
  if (details.length > 0) {
    out.push("");
    out.push(st.bold("Details"));
    for (const r of details) {
      out.push(`${st.red(t(r.id))} — ${t(r.title)} (${where(r, cwd)})`);
      if (r.problem) out.push(`  ${t(r.problem)}`);
      for (const f of r.failures) {
        if (f.hidden) {
          out.push(`  a hidden check failed`);
          continue;
        }
        out.push(`  input:    ${t(clip(f.label, 200))}`);
        if (f.input) out.push(`  paste:    ${t(f.input)}`);
        out.push(`  expected: ${t(f.expected)}`);
        out.push(`  actual:   ${t(f.actual)}${f.why ? st.dim(`  (${t(f.why)})`) : ""}`);
        for (const line of f.detail ?? []) out.push(`            ${t(line)}`);
      }
      if (r.status === "failed" && !r.problem) out.push(`  passed ${r.checks.passed} of ${r.checks.total} checks`);
      if (r.likelyCause) out.push(`  likely cause: ${t(r.likelyCause)}`);
      if (r.status === "failed") {
        out.push(`  hint:     ${t(r.hint)}`);
        if (r.failures.length > 0) out.push(st.dim(`  replay:   npm run grade -- ${r.id} --seed ${r.seed}`));
      }
      if (r.console.length > 0) out.push(st.dim(`  your console output: ${t(r.console.slice(0, 3).join(" | "))}`));
    }
  }
  return out.join("\n");
}

/** Long inputs (a whole network) are cut: the first numbers locate the case, the seed replays it. */
function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
