// The verdict of one exercise as a small self-contained HTML block (inline
// styles only, no external CSS or scripts), for check() in the notebook.
import type { CaseFailure, ExerciseResult } from "../engine/judge/result";
import { escapeHtml } from "./escape";
import { texToHtml } from "./math";

const COLORS = {
  passed: { edge: "#2e7d32", bg: "#edf7ed", icon: "✔" },
  failed: { edge: "#c62828", bg: "#fdecea", icon: "✘" },
  "not-started": { edge: "#8a6d00", bg: "#fff8e1", icon: "…" },
  error: { edge: "#6a1b9a", bg: "#f3e5f5", icon: "!" },
} as const;

/** The verdict under a check() cell: the same result `npm run grade` computes, hidden checks included (their inputs stay hidden). */
export function verdictHtml(r: ExerciseResult): string {
  const c = COLORS[r.status];
  const checks = `${r.checks.total} check${r.checks.total === 1 ? "" : "s"}`;
  const headline =
    r.status === "passed"
      ? `all ${checks} passed: ${r.score}/${r.points} point${r.points === 1 ? "" : "s"}`
      : r.status === "not-started"
        ? "not started yet"
        : r.status === "error"
          ? "could not be graded"
          : `${r.checks.passed} of ${checks} passed: 0/${r.points} point${r.points === 1 ? "" : "s"}`;
  const parts: string[] = [];
  parts.push(`<div style="font-weight:600">${c.icon} ${escapeHtml(r.id)} — ${escapeHtml(headline)}</div>`);
  if (r.problem) parts.push(`<div style="margin-top:4px">${escapeHtml(r.problem)}${r.line ? ` <span style="opacity:.7">(cell line ${r.line})</span>` : ""}</div>`);
  const visible = r.failures.filter((f) => !f.hidden);
  const hidden = r.failures.length - visible.length;
  if (visible.length > 0) parts.push(failureTable(visible));
  // Only for an attempt: an exercise not started "fails" every check, hidden ones included, and says so once above.
  if (r.status === "failed" && (hidden > 0 || r.checks.hiddenFailed > 0)) parts.push(`<div style="margin-top:4px">${Math.max(hidden, r.checks.hiddenFailed)} hidden check(s) failed too (their inputs are not shown)</div>`);
  for (const s of r.shown ?? []) parts.push(`<div style="margin-top:4px">${escapeHtml(s.caption)} ${texToHtml(s.tex)}</div>`);
  if (r.likelyCause) parts.push(`<div style="margin-top:6px"><b>likely cause:</b> ${escapeHtml(r.likelyCause)}</div>`);
  if (r.status !== "passed") parts.push(`<div style="margin-top:6px"><b>Hint:</b> ${escapeHtml(r.hint)}</div>`);
  // Answers stay out of sight until earned, rustlings' way: the command prints the reference only once this passes.
  if (r.status === "passed") parts.push(`<div style="margin-top:4px;opacity:.8;font-size:90%">Compare with the reference solution: <code>npm run grade -- --solution ${escapeHtml(r.id)}</code></div>`);
  if (r.status === "failed" && r.failures.length > 0) parts.push(`<div style="margin-top:4px;opacity:.7;font-size:85%">random cases drawn with seed ${r.seed}</div>`);
  return `<div class="bp-verdict bp-${r.status}" style="border-left:4px solid ${c.edge};background:${c.bg};color:#222;padding:6px 10px;margin:4px 0;border-radius:3px;font-family:system-ui,sans-serif;font-size:14px">${parts.join("")}</div>`;
}

// Notebook 6 styles output tables for data frames: cells right-aligned, and Bootstrap's
// `pre` breaks words anywhere (word-break: break-all), which cut "weights" into "w" and
// "eights". Every cell here says its own alignment and wrapping, so the verdict reads the
// same in Notebook 6, JupyterLab, VS Code and the HTML export.
const CELL = "padding:3px 8px;text-align:left;vertical-align:top;word-break:normal;overflow-wrap:normal";
const MONO = `${CELL};font-family:monospace`;

/**
 * One row per failing case (input, expected, got), and under it, across the whole width,
 * why it failed and its detail lines (a per-layer table keeps one line per layer).
 */
function failureTable(visible: CaseFailure[]): string {
  const rows = visible
    .map((f) => {
      const paste = f.input ? `<div style="opacity:.7;font-size:85%">paste: ${escapeHtml(f.input)}</div>` : "";
      const detail = f.detail?.length
        ? `<pre style="margin:3px 0 0;padding:0;background:none;border:0;font-size:90%;white-space:pre;word-break:normal;overflow-wrap:normal;overflow-x:auto">${escapeHtml(f.detail.join("\n"))}</pre>`
        : "";
      const why = f.why || detail ? `<tr><td colspan="3" style="${CELL};padding-bottom:8px;border-bottom:1px solid rgba(0,0,0,.12)">${escapeHtml(f.why ?? "")}${detail}</td></tr>` : "";
      return `<tr><td style="${MONO}">${escapeHtml(f.label)}${paste}</td><td style="${MONO}">${cellFor(f, "expected")}</td><td style="${MONO}">${cellFor(f, "actual")}</td></tr>${why}`;
    })
    .join("");
  const head = `<tr><th style="${CELL}">input</th><th style="${CELL}">expected</th><th style="${CELL}">got</th></tr>`;
  return `<table class="bp-failures" style="margin-top:6px;border-collapse:collapse;font-size:90%;table-layout:auto;width:100%">${head}${rows}</table>`;
}

/** A failure's expected or actual value, typeset when it is a formula. */
function cellFor(f: CaseFailure, which: "expected" | "actual"): string {
  const tex = f.math?.[which];
  const text = escapeHtml(f[which]);
  return tex ? `${texToHtml(tex)}<div style="opacity:.6;font-size:85%">${text}</div>` : text;
}
