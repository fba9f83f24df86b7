// JUnit XML, the format CI services (GitHub Actions test reporters, GitLab,
// Jenkins) turn into a test list: one <testsuite> per chapter, one <testcase>
// per exercise, and the same feedback text the learner gets on Gradescope.
// No timestamps or durations: the same grading must give the same bytes.
import type { ExerciseResult, NotebookProblem, Report } from "../engine/judge/result";
import { testOutput } from "./gradescope";
import { problemPlace } from "./terminal";

export function junitXml(report: Report): string {
  const chapters = new Map<string, ExerciseResult[]>();
  for (const r of report.results) chapters.set(r.chapter, [...(chapters.get(r.chapter) ?? []), r]);
  const suites = [...chapters].map(([slug, results]) => suite(slug, results.map(testcase), count(results, "failed"), count(results, "error")));
  // Problems that stopped a notebook from being graded at all (a missing file, an
  // unknown id) have no exercise to hang on: without a suite of their own CI would show green.
  if (report.problems.length) suites.push(suite("problems", report.problems.map(problemCase), 0, report.problems.length));
  const tests = report.results.length + report.problems.length;
  const failures = count(report.results, "failed");
  const errors = count(report.results, "error") + report.problems.length;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="backprop-lab" tests="${tests}" failures="${failures}" errors="${errors}" time="0">`,
    ...suites,
    `</testsuites>`,
    ``,
  ].join("\n");
}

/** "not-started" counts as a failure: the exercise is worth points and scored none. */
function count(results: ExerciseResult[], kind: "failed" | "error"): number {
  return results.filter((r) => (kind === "error" ? r.status === "error" : r.status === "failed" || r.status === "not-started")).length;
}

function suite(name: string, cases: string[], failures: number, errors: number): string {
  return [`  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="0">`, ...cases, `  </testsuite>`].join("\n");
}

function testcase(r: ExerciseResult): string {
  const open = `    <testcase classname="${attr(r.chapter)}" name="${attr(`${r.id}: ${r.title}`)}" time="0">`;
  if (r.status === "passed") return `${open}</testcase>`;
  const tag = r.status === "error" ? "error" : "failure";
  return `${open}\n${verdict(tag, r.status, testOutput(r))}\n    </testcase>`;
}

function problemCase(p: NotebookProblem): string {
  const where = `${p.notebook}${p.cell ? `, ${problemPlace(p)}` : ""}`;
  return `    <testcase classname="problems" name="${attr(where)}" time="0">\n${verdict("error", "could-not-grade", p.message)}\n    </testcase>`;
}

function verdict(tag: "failure" | "error", type: string, text: string): string {
  return `      <${tag} message="${attr(text)}" type="${attr(type)}">${xmlText(text)}</${tag}>`;
}

// Learner code can print anything, including characters XML 1.0 cannot carry
// at all (NUL, most C0 controls, lone surrogates): those become U+FFFD.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function xmlText(s: string): string {
  return s.replace(NOT_XML, "\uFFFD").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Attribute values also escape quotes, and line breaks, which parsers would otherwise fold into spaces. */
function attr(s: string): string {
  return xmlText(s).replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
