// The class at a glance: what could not be graded (learner, file, why), pass
// rate per exercise, its most common failure, the hidden checks that failed
// (instructors only: label, never the expected value), and a histogram of
// totals. Plain data, then a self-contained HTML page.
import * as path from "node:path";
import { capText, type ExerciseResult, type NotebookProblem, type Report } from "../engine/judge/result";
import type { ExerciseSpec } from "../engine/course/spec";
import { escapeHtml } from "./escape";

export interface ClassSummary {
  learners: number;
  maxScore: number;
  mean: number;
  median: number;
  exercises: {
    id: string;
    title: string;
    points: number;
    passRate: number;
    commonFailure?: { message: string; count: number };
    hiddenFailures: { label: string; count: number }[];
  }[];
  histogram: { label: string; count: number }[];
  /** Notebooks (or whole learner folders) that could not be graded: they score 0 until fixed. */
  notGraded: NotGraded[];
  /** The seed the random cases were drawn from (official grading: secret, kept for a regrade). */
  seed?: number;
}

export interface NotGraded {
  learner: string;
  /** The notebook, relative to the learner's folder; "." for the folder itself. */
  file: string;
  message: string;
}

/** A learner's problems, each naming the notebook (relative to the learner's folder) and the cell when there is one. */
export function notGradedOf(learner: { name: string; dir: string }, problems: NotebookProblem[]): NotGraded[] {
  return problems.map((p) => ({
    learner: learner.name,
    file: path.relative(learner.dir, p.notebook) || ".",
    message: capText(p.cell ? `cell ${p.cell}: ${p.message}` : p.message),
  }));
}

/** What went wrong, in words that repeat across learners (random inputs differ, reasons don't). */
export function failureKey(r: ExerciseResult): string {
  if (r.status === "not-started") return "not started";
  if (r.problem) return r.problem.length > 120 ? `${r.problem.slice(0, 119)}…` : r.problem;
  const f = r.failures.find((x) => !x.hidden) ?? r.failures[0];
  if (!f) return "failed";
  if (f.hidden) return "a hidden check failed";
  return f.why ?? `wrong answer (e.g. ${f.label.length > 60 ? `${f.label.slice(0, 59)}…` : f.label})`;
}

function mostCommon(keys: string[]): { message: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  // Ties broken alphabetically so the summary is the same on every run.
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([message, count]) => ({ message, count }))[0];
}

export function summarize(specs: ExerciseSpec[], learners: { report: Report; learner?: { name: string; dir: string } }[]): ClassSummary {
  const maxScore = specs.reduce((s, x) => s + x.points, 0);
  const scores = learners.map((l) => l.report.score).sort((a, b) => a - b);
  const n = scores.length;
  const median = n === 0 ? 0 : n % 2 ? scores[(n - 1) / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2;
  const exercises = specs.map((spec) => {
    const results = learners.map((l) => l.report.results.find((r) => r.id === spec.id)).filter((r): r is ExerciseResult => r !== undefined);
    const failed = results.filter((r) => r.status !== "passed");
    // Only attempts: an exercise not started fails every check, hidden ones too, which says nothing about them.
    const hidden = failed.filter((r) => r.status !== "not-started").flatMap((r) => r.failures.filter((f) => f.hidden).map((f) => f.label));
    const hiddenCounts = new Map<string, number>();
    for (const h of hidden) hiddenCounts.set(h, (hiddenCounts.get(h) ?? 0) + 1);
    return {
      id: spec.id,
      title: spec.title,
      points: spec.points,
      passRate: results.length ? (results.length - failed.length) / results.length : 0,
      commonFailure: mostCommon(failed.map(failureKey)),
      hiddenFailures: [...hiddenCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label, count]) => ({ label, count })),
    };
  });
  const bins = 10;
  const histogram = Array.from({ length: bins }, (_, i) => {
    const lo = Math.round((i * maxScore) / bins);
    const hi = Math.round(((i + 1) * maxScore) / bins);
    const last = i === bins - 1;
    return { label: `${lo}–${hi}`, count: scores.filter((s) => s >= lo && (last ? s <= hi : s < hi)).length };
  });
  const notGraded = learners.flatMap((l) => notGradedOf(l.learner ?? { name: "?", dir: "." }, l.report.problems));
  return { learners: n, maxScore, mean: n ? scores.reduce((a, b) => a + b, 0) / n : 0, median, exercises, histogram, notGraded };
}

export function classSummaryHtml(s: ClassSummary): string {
  const rows = s.exercises
    .map((e) => {
      const pct = Math.round(100 * e.passRate);
      const hidden = e.hiddenFailures.length ? `<details><summary>${e.hiddenFailures.length} hidden checks failed</summary><ul>${e.hiddenFailures.map((h) => `<li>${escapeHtml(h.label)} (${h.count})</li>`).join("")}</ul></details>` : "";
      return `<tr><td><code>${escapeHtml(e.id)}</code></td><td>${escapeHtml(e.title)}</td><td>${e.points}</td><td><div class="bar"><span style="width:${pct}%"></span></div> ${pct}%</td><td>${e.commonFailure ? `${escapeHtml(e.commonFailure.message)} <span class="n">(${e.commonFailure.count})</span>` : ""}${hidden}</td></tr>`;
    })
    .join("\n");
  const who = new Set(s.notGraded.map((g) => g.learner)).size;
  const notGraded = s.notGraded.length
    ? `<h2 class="warn">Not graded</h2>
<p class="warn">${s.notGraded.length} notebook problem(s) of ${who} learner(s): what they concern scores 0 until the notebook is fixed and graded again.</p>
<table class="not-graded"><tr><th>learner</th><th>file</th><th>why</th></tr>
${s.notGraded.map((g) => `<tr><td>${escapeHtml(g.learner)}</td><td><code>${escapeHtml(g.file === "." ? "(the whole folder)" : g.file)}</code></td><td>${escapeHtml(g.message)}</td></tr>`).join("\n")}
</table>
`
    : "";
  const top = Math.max(1, ...s.histogram.map((b) => b.count));
  const bars = s.histogram
    .map((b, i) => {
      const h = Math.round((140 * b.count) / top);
      return `<g><rect x="${10 + i * 52}" y="${160 - h}" width="44" height="${h}" fill="#1565c0"/><text x="${32 + i * 52}" y="${155 - h}" text-anchor="middle">${b.count}</text><text x="${32 + i * 52}" y="178" text-anchor="middle">${escapeHtml(b.label)}</text></g>`;
    })
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Class summary</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; } td, th { padding: 4px 10px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
.bar { display: inline-block; width: 120px; height: 10px; background: #eee; } .bar span { display: block; height: 10px; background: #2e7d32; }
.n { color: #777; } svg text { font-size: 11px; }
.warn { color: #b71c1c; } table.not-graded td { background: #fff3f3; }
</style></head><body>
<h1>Class summary</h1>
<p>${s.learners} learners · mean ${s.mean.toFixed(1)} / ${s.maxScore} · median ${s.median} / ${s.maxScore}</p>${s.seed !== undefined ? `\n<p class="n">Random cases drawn from seed ${s.seed}. Keep it to yourself: a regrade with <code>--seed ${s.seed}</code> gives the same cases.</p>` : ""}
${notGraded}<h2>Totals</h2>
<svg width="${20 + s.histogram.length * 52}" height="190" role="img" aria-label="histogram of totals">${bars}</svg>
<h2>Exercises</h2>
<table><tr><th>id</th><th>exercise</th><th>points</th><th>passed</th><th>most common failure</th></tr>
${rows}
</table>
</body></html>
`;
}
