// Grading a class: a folder with one subfolder per learner, each a copy of
// notebooks/ (or holding one). Writes a gradebook CSV, one Gradescope-style
// results JSON per learner and an HTML summary, and prints a summary. All
// learners' exercises share one worker pool (every core); a broken or hostile
// submission costs only its own exercises' time limits. The output is the same
// byte for byte for the same submissions: sorted, no timestamps, no timings.
import * as fs from "node:fs";
import * as path from "node:path";
import { allSpecs, chapters } from "./engine/course";
import { grade, resolveTargets, type GradeOptions } from "./engine/grade";
import { totals, type ExerciseResult, type NotebookProblem, type Report } from "./engine/result";
import { gradescopeResults } from "./report/gradescope";
import { classSummaryHtml, type ClassSummary, summarize } from "./report/class-summary";

export interface Learner {
  name: string;
  /** The folder holding the learner's notebooks. */
  dir: string;
}

const hasNotebooks = (dir: string): boolean => {
  try {
    return fs.readdirSync(dir).some((f) => f.endsWith(".ipynb"));
  } catch {
    return false;
  }
};

/** A class folder holds no notebooks itself, but subfolders that do (directly or in notebooks/). */
export function learnersIn(dir: string): Learner[] | null {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() || hasNotebooks(dir)) return null;
  const learners = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const own = path.join(dir, name);
      return { name, dir: hasNotebooks(path.join(own, "notebooks")) ? path.join(own, "notebooks") : own };
    });
  return learners.some((l) => hasNotebooks(l.dir)) ? learners : null;
}

export interface ClassReport {
  learners: { learner: Learner; report: Report }[];
  summary: ClassSummary;
}

/** Learners are graded in chunks so memory stays flat however large the class. */
const CHUNK = 20;

export async function gradeClass(learners: Learner[], options: GradeOptions = {}): Promise<ClassReport> {
  const chunks: Learner[][] = [];
  for (let i = 0; i < learners.length; i += CHUNK) chunks.push(learners.slice(i, i + CHUNK));
  // Two chunks in flight: while one chunk's cells run in the sandboxes, this process
  // reads, compiles and judges the other, so neither side waits for the other.
  const graded: ClassReport["learners"][] = new Array(chunks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < chunks.length; i = next++) graded[i] = await gradeChunk(chunks[i], options);
  };
  await Promise.all([worker(), worker()]);
  const out = graded.flat();
  return { learners: out, summary: summarize(out) };
}

async function gradeChunk(chunk: Learner[], options: GradeOptions): Promise<ClassReport["learners"]> {
  const owned = chunk.map((learner) => ({ learner, ...resolveTargets([learner.dir]) }));
  const report = await grade(owned.flatMap((o) => o.targets), options, []);
  const byFile = new Map<string, Learner>();
  for (const o of owned) for (const t of o.targets) byFile.set(t.file, o.learner);
  return owned.map((o) => {
    const results: ExerciseResult[] = report.results.filter((r) => byFile.get(r.notebook) === o.learner);
    const problems: NotebookProblem[] = [...o.problems, ...report.problems.filter((p) => byFile.get(p.notebook) === o.learner)];
    return { learner: o.learner, report: { results, problems, ...totals(results), seed: report.seed } };
  });
}

function csvField(s: string | number): string {
  const t = String(s);
  return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

export function gradebookCsv(report: ClassReport): string {
  const ids = allSpecs.map((s) => s.id);
  const max = allSpecs.reduce((s, x) => s + x.points, 0);
  const lines = [["learner", ...ids, `total (of ${max})`].map(csvField).join(",")];
  for (const { learner, report: r } of report.learners) {
    const points = ids.map((id) => r.results.find((x) => x.id === id)?.score ?? 0);
    lines.push([learner.name, ...points, r.score].map(csvField).join(","));
  }
  return lines.join("\n") + "\n";
}

/** A learner's name as a file name: nothing that could climb out of the output folder. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_") || "_";
}

export function writeClassReport(report: ClassReport, outDir: string): string[] {
  fs.mkdirSync(path.join(outDir, "results"), { recursive: true });
  const written: string[] = [];
  const write = (file: string, text: string): void => {
    fs.writeFileSync(path.join(outDir, file), text);
    written.push(path.join(outDir, file));
  };
  write("gradebook.csv", gradebookCsv(report));
  for (const { learner, report: r } of report.learners) write(path.join("results", `${safeFileName(learner.name)}.json`), JSON.stringify(gradescopeResults(r), null, 2) + "\n");
  write("summary.html", classSummaryHtml(report.summary));
  return written;
}

export function classSummaryText(s: ClassSummary): string {
  const out: string[] = [];
  out.push(`${s.learners} learners, mean ${s.mean.toFixed(1)}/${s.maxScore}, median ${s.median}/${s.maxScore}`);
  const width = Math.max(...s.exercises.map((e) => e.id.length));
  for (const e of s.exercises) {
    const rate = `${Math.round(100 * e.passRate)}%`.padStart(4);
    out.push(`  ${e.id.padEnd(width)} ${rate} passed${e.commonFailure ? `  most common: ${e.commonFailure.message} (${e.commonFailure.count})` : ""}`);
  }
  out.push("Totals:");
  for (const b of s.histogram) out.push(`  ${b.label.padStart(7)} ${"█".repeat(b.count)} ${b.count}`);
  return out.join("\n");
}

export { chapters };
