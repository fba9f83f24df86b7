// Gradescope's results.json (https://gradescope-autograders.readthedocs.io,
// "Output Format"): top-level score and max_score, and one test per exercise
// with name, score, max_score, status ("passed" | "failed") and output.
import * as path from "node:path";
import type { ExerciseResult, Report } from "../engine/judge/result";
import { cellPlace, problemPlace } from "./terminal";

export interface GradescopeTest {
  name: string;
  name_format: "text";
  number: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  output_format: "text";
  visibility: "visible";
}

export interface GradescopeResults {
  score: number;
  max_score: number;
  output: string;
  output_format: "text";
  visibility: "visible";
  stdout_visibility: "hidden";
  tests: GradescopeTest[];
}

export function testOutput(r: ExerciseResult): string {
  if (r.status === "passed") return `All ${r.checks.total} checks passed.`;
  const lines: string[] = [];
  lines.push(`${r.checks.passed}/${r.checks.total} checks passed (${path.basename(r.notebook)}${r.cell ? `, ${cellPlace(r)}` : ""}).`);
  if (r.problem) lines.push(r.problem);
  for (const f of r.failures) {
    if (f.hidden) lines.push("A hidden check failed.");
    else lines.push(`input: ${f.label}${f.input ? `\npaste: ${f.input}` : ""}\nexpected: ${f.expected}\nactual: ${f.actual}${f.why ? `\n(${f.why})` : ""}${f.detail?.length ? `\n${f.detail.join("\n")}` : ""}`);
  }
  if (r.likelyCause) lines.push(`likely cause: ${r.likelyCause}`);
  lines.push(`Hint: ${r.hint}`);
  return lines.join("\n");
}

export function gradescopeResults(report: Report): GradescopeResults {
  const problems = report.problems.map((p) => `${p.notebook}${p.cell ? `, ${problemPlace(p)}` : ""}: ${p.message}`);
  return {
    score: report.score,
    max_score: report.maxScore,
    output: [`Total: ${report.score}/${report.maxScore}`, ...problems].join("\n"),
    output_format: "text",
    visibility: "visible",
    stdout_visibility: "hidden",
    tests: report.results.map((r, i) => ({
      name: `${r.chapter} / ${r.id}: ${r.title}`,
      name_format: "text",
      number: String(i + 1),
      score: r.score,
      max_score: r.points,
      status: r.status === "passed" ? "passed" : "failed",
      output: testOutput(r),
      output_format: "text",
      visibility: "visible",
    })),
  };
}
