// Grading a class: a folder with one subfolder per learner, each a copy of
// notebooks/ (or holding one). Writes a gradebook CSV, one Gradescope-style
// results JSON per learner and an HTML summary, and prints a summary. All
// learners' exercises share one worker pool (every core); a broken or hostile
// submission costs only its own exercises' time limits. A notebook that could
// not be graded is named (learner and file) in the terminal, summary.html and
// gradebook.csv, and the command exits 2. This is official grading: every case,
// hidden ones included, with random cases drawn from a secret seed (secretSeed,
// unless --seed is given), recorded in grading.json and the summary for a
// regrade. The output is the same byte for byte for the same submissions and
// seed: sorted, no timestamps, no timings.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { course } from "../exercises";
import { Budget, DEFAULT_LEARNER_BUDGET_MS } from "./engine/budget";
import { DEFAULT_SEED, grade, referenceLimits, resolveTargets, secretSeed, type GradeOptions } from "./engine/grade";
import { resultBase, withStatus } from "./engine/judge/judge";
import { totals, type Report } from "./engine/judge/result";
import { gradescopeResults } from "./report/gradescope";
import { classSummaryHtml, notGradedOf, type ClassSummary, summarize } from "./report/class-summary";
import { terminalSafe } from "./report/terminal";
import { withoutControls } from "./report/escape";

export interface Learner {
  name: string;
  /** The folder holding the learner's notebooks. */
  dir: string;
  /** Why this learner's folder is not graded at all (e.g. it is a symbolic link): 0 points and this message. */
  problem?: string;
}

/** Whether `dir` is a real folder (not a symbolic link) holding notebooks. Never follows a link. */
const hasNotebooks = (dir: string): boolean => {
  try {
    if (!fs.lstatSync(dir).isDirectory()) return false;
    return fs.readdirSync(dir).some((f) => f.endsWith(".ipynb"));
  } catch {
    return false;
  }
};

/** Whether the folder's entries can be listed (a folder without read permission cannot). */
const listable = (dir: string): boolean => {
  try {
    fs.readdirSync(dir);
    return true;
  } catch {
    return false;
  }
};

/** Tool folders that are never a learner's: git's, and Jupyter's checkpoints of the class folder itself. */
const TOOL_FOLDERS = new Set([".git", ".ipynb_checkpoints"]);

/**
 * A class folder holds no notebooks itself, but subfolders that do (directly or in notebooks/).
 * Every entry that could be a learner's is listed, none silently left out: real folders
 * (dot-prefixed ones included) are graded; a symbolic link (to a folder or anything else)
 * is never followed and is listed with a problem, so it scores 0 with a message. A
 * learner's notebooks/ subfolder that is a link is refused the same way.
 */
export function learnersIn(dir: string): Learner[] | null {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory() || hasNotebooks(dir)) return null;
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => (e.isDirectory() && !TOOL_FOLDERS.has(e.name)) || e.isSymbolicLink());
  const learners: Learner[] = entries
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const own = path.join(dir, name);
      const st = fs.lstatSync(own, { throwIfNoEntry: false });
      if (!st) return { name, dir: own, problem: "the learner folder disappeared while grading: not graded" };
      if (st.isSymbolicLink()) return { name, dir: own, problem: "the learner folder is a symbolic link, not a folder: links in submissions are never followed, so nothing was graded. Copy the notebooks into a real folder" };
      if (!listable(own)) return { name, dir: own, problem: "the learner folder cannot be read (no permission to list it): nothing was graded. Make it readable (chmod -R u+rwX) and grade again" };
      const nbDir = path.join(own, "notebooks");
      const nbStat = fs.lstatSync(nbDir, { throwIfNoEntry: false });
      if (nbStat?.isSymbolicLink() && !hasNotebooks(own)) return { name, dir: own, problem: "notebooks/ is a symbolic link, not a folder: links in submissions are never followed, so nothing was graded. Copy the notebooks into a real folder" };
      return { name, dir: hasNotebooks(nbDir) ? nbDir : own };
    });
  return learners.some((l) => hasNotebooks(l.dir)) || learners.some((l) => l.problem) ? learners : null;
}

export interface ClassReport {
  learners: { learner: Learner; report: Report }[];
  summary: ClassSummary;
  /** The seed every learner's random cases were drawn from. */
  seed: number;
}

/**
 * How many learners are graded at once: while some learners' cells run in the worker
 * processes, this process reads, compiles and judges others', so neither side waits.
 * Each learner in flight holds one compiler process while it compiles (compile-pool.ts).
 */
const IN_FLIGHT = 4;

/** The short limits are measured again when older than this: the machine's load changes during a long class run. */
const REMEASURE_MS = 60_000;

/** Called with each learner's full report as soon as it is graded (in no particular order), before it is let go. */
export type LearnerSink = (learner: Learner, report: Report, index: number) => void;

export interface ClassOptions extends GradeOptions {
  /** Each learner's budget (ms): the wall-clock time all the work of its files may take (see grader/engine/budget.ts). */
  learnerBudgetMs?: number;
}

/**
 * The budget is stated for an idle machine; a machine loaded beyond its cores (other work, a
 * shared CI runner) stretches every learner's wall-clock work alike, so each learner's budget is
 * stretched by the load per core when its grading starts. Measured: under a load of 30-40 on
 * 2 cores an honest learner's work took over 120 s of wall clock. The cap still bounds what one
 * learner costs: the same share of the machine as the stated budget on an idle one.
 */
function loadStretch(): number {
  return Math.max(1, os.loadavg()[0] / os.availableParallelism());
}

export async function gradeClass(learners: Learner[], options: ClassOptions = {}, sink?: LearnerSink): Promise<ClassReport> {
  // Official grading: a lookup table of some seed's cases answers none of these.
  const seed = options.seed ?? secretSeed();
  const { learnerBudgetMs = DEFAULT_LEARNER_BUDGET_MS, ...rest } = options;
  const base: GradeOptions = { ...rest, seed, official: true, reuseFailures: true };
  // Time limits in proportion to the reference's own time, measured now on this machine (budget.ts says why).
  let limits = { at: performance.now(), map: await referenceLimits(course, { ...base, seed }), measuring: false };
  const remeasure = (): void => {
    if (limits.measuring || performance.now() - limits.at < REMEASURE_MS) return;
    limits.measuring = true;
    void referenceLimits(course, { ...base, seed }).then(
      (map) => (limits = { at: performance.now(), map, measuring: false }),
      () => (limits = { ...limits, at: performance.now(), measuring: false }),
    );
  };
  // Each learner is graded on its own, with its own budget; several at a time share the worker processes.
  // With a sink, each learner's full report goes to it and only a slim copy is kept
  // (scores, statuses, the short failure texts the summary counts): memory stays flat.
  const graded: ClassReport["learners"] = new Array(learners.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < learners.length; i = next++) {
      remeasure();
      const learner = learners[i];
      const report = await gradeLearner(learner, { ...base, budget: new Budget(learnerBudgetMs * loadStretch()), shortLimits: limits.map });
      if (sink) sink(learner, report, i);
      graded[i] = { learner, report: sink ? slim(report) : report };
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, learners.length) }, worker));
  return { learners: graded, summary: { ...summarize(course.specs, graded), seed }, seed };
}

const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** What the gradebook and the summary read of a report, and nothing more. */
function slim(r: Report): Report {
  const results = r.results.map((x) => {
    const firstVisible = x.failures.find((f) => !f.hidden);
    const kept = [...(firstVisible ? [firstVisible] : []), ...x.failures.filter((f) => f.hidden)].map((f) => ({
      label: cut(f.label, 200),
      expected: "",
      actual: "",
      hidden: f.hidden,
      ...(f.why ? { why: cut(f.why, 200) } : {}),
    }));
    return { ...x, failures: kept, console: [], shown: undefined, hint: "", ...(x.problem ? { problem: cut(x.problem, 200) } : {}) };
  });
  return { ...r, results, problems: r.problems.map((p) => ({ ...p, message: cut(p.message, 200) })) };
}

/**
 * Grade a class into `outDir`: each learner's results file is written as soon as it is
 * graded and then let go; the gradebook and the summary are written at the end.
 */
export async function gradeClassTo(learners: Learner[], options: ClassOptions, outDir: string): Promise<{ report: ClassReport; written: string[] }> {
  fs.mkdirSync(path.join(outDir, "results"), { recursive: true });
  const files = resultFileNames(learners.map((l) => l.name));
  const written: string[] = [];
  const report = await gradeClass(learners, options, (_learner, r, i) => {
    const file = path.join(outDir, "results", `${files[i]}.json`);
    fs.writeFileSync(file, JSON.stringify(gradescopeResults(r), null, 2) + "\n");
    written[i] = file;
  });
  for (const [file, text] of [["gradebook.csv", gradebookCsv(report)], ["summary.html", classSummaryHtml(report.summary)], ["grading.json", gradingJson(report)]]) {
    fs.writeFileSync(path.join(outDir, file), text);
    written.unshift(path.join(outDir, file));
  }
  return { report, written: written.filter(Boolean) };
}

async function gradeLearner(learner: Learner, options: GradeOptions): Promise<Report> {
  if (learner.problem) return refused(learner, options.seed ?? DEFAULT_SEED);
  // Finding the notebooks is this learner's work too (a folder of many files).
  const { targets, problems } = options.budget ? options.budget.time(() => resolveTargets(course, [learner.dir])) : resolveTargets(course, [learner.dir]);
  return grade(course, targets, options, problems);
}

/** A learner whose folder is refused: every exercise 0 of its points, "not graded", and why. */
function refused(learner: Learner, seed: number): Report {
  const problem = learner.problem!;
  const results = course.chapters.flatMap((c) =>
    c.exercises.map((spec) => withStatus(resultBase(spec, { chapter: c.slug, notebook: path.join(learner.dir, `${c.slug}.ipynb`), seed }), "error", `not graded: ${problem}`)),
  );
  return { results, problems: [{ notebook: learner.dir, message: problem }], ...totals(results), seed };
}

/**
 * A CSV cell. Numbers are ours; text may be a learner's folder name, which a
 * spreadsheet would run as a formula if it starts with = + - @ (or a tab or
 * carriage return before one): such text gets a leading ' and quotes.
 */
function csvField(field: string | number): string {
  if (typeof field === "number") return String(field);
  const s = withoutControls(field);
  const t = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r']/.test(t) || t !== s ? `"${t.replace(/"/g, '""')}"` : t;
}

/**
 * One row per learner: points per exercise, the total, and last the notebooks
 * that could not be graded (empty when all were): a row that scores 0 because
 * a file is broken must not look like a row of work not done.
 */
export function gradebookCsv(report: ClassReport): string {
  const ids = course.specs.map((s) => s.id);
  const max = course.specs.reduce((s, x) => s + x.points, 0);
  const lines = [["learner", ...ids, `total (of ${max})`, "not graded"].map(csvField).join(",")];
  for (const { learner, report: r } of report.learners) {
    const points = ids.map((id) => r.results.find((x) => x.id === id)?.score ?? 0);
    const files = [...new Set(notGradedOf(learner, r.problems).map((g) => (g.file === "." ? "(the whole folder)" : g.file)))];
    lines.push([learner.name, ...points, r.score, files.join("; ")].map(csvField).join(","));
  }
  return lines.join("\n") + "\n";
}

/** Whether anything of the class could not be graded (exit code 2, as for one learner's `npm run grade`). */
export function classExitCode(report: ClassReport): 0 | 2 {
  return report.learners.some(({ report: r }) => r.problems.length > 0 || r.results.some((x) => x.status === "error")) ? 2 : 0;
}

/** A learner's name as a file name: nothing that could climb out of the output folder. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_").slice(0, 100) || "_";
}

const shortHash = (s: string, n = 8): string => createHash("sha256").update(s).digest("hex").slice(0, n);

/**
 * One results file name per learner, whatever the folder names: the safe name
 * alone when it is the real name and unique, else the safe name and a short hash
 * of the real name (`a b` -> `a_b-1f2e3d4c`, while `a_b` stays `a_b`). Names
 * that would still clash, ignoring case (macOS and Windows file systems do), all
 * get the hash; a clash after that gets the whole hash, then its position. Depends
 * only on the set of names: the same class gives the same file names.
 */
export function resultFileNames(names: string[]): string[] {
  const key = (s: string): string => s.toLowerCase();
  const clashes = (list: string[]): ((i: number) => boolean) => {
    const count = new Map<string, number>();
    for (const f of list) count.set(key(f), (count.get(key(f)) ?? 0) + 1);
    return (i) => count.get(key(list[i]))! > 1;
  };
  let files = names.map((n) => (safeFileName(n) === n ? n : `${safeFileName(n)}-${shortHash(n)}`));
  let clash = clashes(files);
  files = files.map((f, i) => (clash(i) ? `${safeFileName(names[i])}-${shortHash(names[i])}` : f));
  clash = clashes(files);
  files = files.map((f, i) => (clash(i) ? `${safeFileName(names[i])}-${shortHash(names[i], 64)}` : f));
  clash = clashes(files);
  return files.map((f, i) => (clash(i) ? `${f}-${i + 1}` : f));
}

export function writeClassReport(report: ClassReport, outDir: string): string[] {
  fs.mkdirSync(path.join(outDir, "results"), { recursive: true });
  const written: string[] = [];
  const write = (file: string, text: string): void => {
    fs.writeFileSync(path.join(outDir, file), text);
    written.push(path.join(outDir, file));
  };
  write("gradebook.csv", gradebookCsv(report));
  const files = resultFileNames(report.learners.map((l) => l.learner.name));
  report.learners.forEach(({ report: r }, i) => write(path.join("results", `${files[i]}.json`), JSON.stringify(gradescopeResults(r), null, 2) + "\n"));
  write("summary.html", classSummaryHtml(report.summary));
  write("grading.json", gradingJson(report));
  return written;
}

/** For the instructor only (results/ may be handed to learners): what a regrade needs. */
function gradingJson(report: ClassReport): string {
  return JSON.stringify({ seed: report.seed, regrade: `npm run grade -- <class folder> --seed ${report.seed}` }, null, 2) + "\n";
}

/** What could not be graded, one line per problem naming the learner and the file (at most `perLearner` per learner). */
export function notGradedText(s: ClassSummary, perLearner = 5): string[] {
  const out: string[] = [];
  const shown = new Map<string, number>();
  for (const g of s.notGraded) {
    const n = (shown.get(g.learner) ?? 0) + 1;
    shown.set(g.learner, n);
    if (n <= perLearner) out.push(`! ${terminalSafe(g.learner)}: ${g.file === "." ? "" : `${terminalSafe(g.file)}: `}${terminalSafe(g.message)}`);
  }
  for (const [learner, n] of shown) if (n > perLearner) out.push(`! ${terminalSafe(learner)}: and ${n - perLearner} more problem(s), listed in summary.html`);
  if (s.notGraded.length > 0) {
    out.push(`Not graded: ${s.notGraded.length} notebook problem(s) of ${shown.size} learner(s), listed above, in summary.html and in the "not graded" column of gradebook.csv; what they concern scores 0 until fixed (exit code 2).`);
  }
  return out;
}

export function classSummaryText(s: ClassSummary): string {
  const out: string[] = [];
  out.push(`${s.learners} learners, mean ${s.mean.toFixed(1)}/${s.maxScore}, median ${s.median}/${s.maxScore}`);
  const width = Math.max(...s.exercises.map((e) => e.id.length));
  for (const e of s.exercises) {
    const rate = `${Math.round(100 * e.passRate)}%`.padStart(4);
    out.push(`  ${e.id.padEnd(width)} ${rate} passed${e.commonFailure ? `  most common: ${terminalSafe(e.commonFailure.message)} (${e.commonFailure.count})` : ""}`);
  }
  out.push("Totals:");
  for (const b of s.histogram) out.push(`  ${b.label.padStart(7)} ${"█".repeat(b.count)} ${b.count}`);
  return out.join("\n");
}

