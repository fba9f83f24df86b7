// The verdict of one exercise as a small self-contained HTML block (inline
// styles only, no external CSS or scripts), for check() in the notebook.
import type { CaseFailure, ExerciseResult } from "../engine/result";
import { texToHtml } from "./math";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const COLORS = {
  passed: { edge: "#2e7d32", bg: "#edf7ed", icon: "✔" },
  failed: { edge: "#c62828", bg: "#fdecea", icon: "✘" },
  "not-started": { edge: "#8a6d00", bg: "#fff8e1", icon: "…" },
  error: { edge: "#6a1b9a", bg: "#f3e5f5", icon: "!" },
} as const;

export function verdictHtml(r: ExerciseResult, opts: { localCheck?: boolean } = {}): string {
  const c = COLORS[r.status];
  const visibleTotal = r.checks.total - (opts.localCheck ? r.checks.hidden : 0);
  const headline =
    r.status === "passed"
      ? opts.localCheck && r.checks.hidden > 0
        ? `${visibleTotal} visible checks passed; ${r.checks.hidden} hidden checks run at grading`
        : `all ${r.checks.total} checks passed: ${r.score}/${r.points} points`
      : r.status === "not-started"
        ? "not started yet"
        : r.status === "error"
          ? "could not be graded"
          : `${r.checks.passed} of ${visibleTotal} checks passed`;
  const parts: string[] = [];
  parts.push(
    `<div style="font-weight:600">${c.icon} ${escapeHtml(r.id)} — ${escapeHtml(headline)}</div>`,
  );
  if (r.problem) parts.push(`<div style="margin-top:4px">${escapeHtml(r.problem)}${r.line ? ` <span style="opacity:.7">(cell line ${r.line})</span>` : ""}</div>`);
  const shown = r.failures.filter((f) => !(opts.localCheck && f.hidden));
  if (shown.length > 0) {
    const rows = shown
      .map(
        (f) =>
          `<tr><td style="padding:2px 8px;font-family:monospace">${escapeHtml(f.label)}</td>` +
          `<td style="padding:2px 8px;font-family:monospace">${cellFor(f, "expected")}</td>` +
          `<td style="padding:2px 8px;font-family:monospace">${cellFor(f, "actual")}</td>` +
          `<td style="padding:2px 8px">${escapeHtml(f.why ?? "")}</td></tr>`,
      )
      .join("");
    parts.push(
      `<table style="margin-top:6px;border-collapse:collapse;font-size:90%"><tr style="text-align:left"><th style="padding:2px 8px">input</th><th style="padding:2px 8px">expected</th><th style="padding:2px 8px">got</th><th></th></tr>${rows}</table>`,
    );
  }
  for (const s of r.shown ?? []) parts.push(`<div style="margin-top:4px">${escapeHtml(s.caption)} ${texToHtml(s.tex)}</div>`);
  if (r.status !== "passed") parts.push(`<div style="margin-top:6px"><b>Hint:</b> ${escapeHtml(r.hint)}</div>`);
  if (r.status === "failed" && r.failures.length > 0) parts.push(`<div style="margin-top:4px;opacity:.7;font-size:85%">random cases drawn with seed ${r.seed}</div>`);
  return `<div class="bp-verdict bp-${r.status}" style="border-left:4px solid ${c.edge};background:${c.bg};color:#222;padding:6px 10px;margin:4px 0;border-radius:3px;font-family:system-ui,sans-serif;font-size:14px">${parts.join("")}</div>`;
}

/** A failure's expected or actual value, typeset when it is a formula. */
function cellFor(f: CaseFailure, which: "expected" | "actual"): string {
  const tex = f.math?.[which];
  const text = escapeHtml(f[which]);
  return tex ? `${texToHtml(tex)}<div style="opacity:.6;font-size:85%">${text}</div>` : text;
}
