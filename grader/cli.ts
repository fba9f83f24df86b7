// `npm run grade -- [notebook | folder | exercise-id]... [--watch] [--json FILE] [--junit FILE] [--seed N] [--timeout MS]`
// Exit code: 0 full marks, 1 graded but not full marks, 2 something could not be graded.
import * as fs from "node:fs";
import * as path from "node:path";
import { allSpecs } from "./engine/course";
import { editDistance } from "./engine/cells";
import { DEFAULT_SEED, DEFAULT_TIMEOUT_MS, defaultBoundary, grade, resolveTargets, type GradeOptions } from "./engine/grade";
import { notebooksDir } from "./engine/paths";
import { capText, exitCode, type NotebookProblem, type Report } from "./engine/result";
import { sandboxPeakKb } from "./engine/pool";
import { gradescopeResults } from "./report/gradescope";
import { junitXml } from "./report/junit";
import { COLOR, PLAIN, scorecard, terminalSafe } from "./report/terminal";
import { classSummaryText, gradeClass, learnersIn, writeClassReport, type Learner } from "./class-grade";

const USAGE = `Usage: npm run grade -- [NOTEBOOK | FOLDER | EXERCISE-ID]... [options]

Grades notebooks/ when no notebook or folder is given. A folder of learner folders
(each a copy of notebooks/) is graded as a class: see --out.
  EXERCISE-ID      grade only this exercise (e.g. sigmoid); repeatable
  --watch          grade again each time a notebook is saved
  --json FILE      also write Gradescope results.json to FILE
  --junit FILE     also write JUnit XML (one test per exercise) to FILE, for CI
  --seed N         seed of the random cases (default ${DEFAULT_SEED}); failures print theirs
  --timeout MS     time limit per exercise (default ${DEFAULT_TIMEOUT_MS})
  --out DIR        class grading: where to write gradebook.csv, summary.html, results/ (default class-report)
  --no-color       plain output even on a terminal
  --require-isolation  refuse to grade unless learner code runs in its own V8 isolate
                   (class grading and Gradescope always require it)
Exit code: 0 full marks, 1 not full marks, 2 something could not be graded.`;

export interface CliArgs {
  paths: string[];
  only: string[];
  watch: boolean;
  json?: string;
  junit?: string;
  seed: number;
  timeoutMs: number;
  color: boolean;
  help: boolean;
  requireIsolation: boolean;
  /** Where class grading writes the gradebook, summary and per-learner results. */
  out: string;
  problems: NotebookProblem[];
}

export function parseArgs(argv: string[], isTty: boolean): CliArgs {
  const args: CliArgs = { paths: [], only: [], watch: false, seed: DEFAULT_SEED, timeoutMs: DEFAULT_TIMEOUT_MS, color: isTty && !process.env.NO_COLOR, help: false, requireIsolation: false, out: "class-report", problems: [] };
  const ids = allSpecs.map((s) => s.id);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "--watch" || a === "-w") args.watch = true;
    else if (a === "--json") args.json = value();
    else if (a === "--junit") args.junit = value();
    else if (a === "--seed") args.seed = integer(a, value());
    else if (a === "--timeout") args.timeoutMs = integer(a, value());
    else if (a === "--no-color") args.color = false;
    else if (a === "--require-isolation") args.requireIsolation = true;
    else if (a === "--out") args.out = value();
    else if (a === "--help" || a === "-h") args.help = true;
    else if (a.startsWith("-")) throw new UsageError(`unknown option ${a}`);
    else if (fs.existsSync(a)) args.paths.push(a);
    else if (ids.includes(a)) args.only.push(a);
    else if (a.endsWith(".ipynb") || a.includes("/") || a.includes(path.sep)) args.paths.push(a);
    else {
      const near = ids.filter((id) => editDistance(id, a) <= 2);
      args.problems.push({ notebook: a, message: `unknown exercise id or path${near.length ? ` (did you mean ${near.join(" or ")}?)` : ""}; exercise ids are: ${ids.join(", ")}` });
    }
  }
  if (args.paths.length === 0) args.paths.push(notebooksDir);
  return args;
}

class UsageError extends Error {}

function integer(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} needs a whole number, got "${v}"`);
  return n;
}

export async function runOnce(args: CliArgs): Promise<Report> {
  const { targets, problems } = resolveTargets(args.paths);
  const options: GradeOptions = { seed: args.seed, timeoutMs: args.timeoutMs, only: args.only.length ? args.only : undefined };
  return grade(targets, options, [...args.problems, ...problems]);
}

function emit(report: Report, args: CliArgs): void {
  process.stdout.write(scorecard(report, args.color ? COLOR : PLAIN) + "\n");
  if (args.json) {
    fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    fs.writeFileSync(args.json, JSON.stringify(gradescopeResults(report), null, 2) + "\n");
  }
  if (args.junit) {
    fs.mkdirSync(path.dirname(path.resolve(args.junit)), { recursive: true });
    fs.writeFileSync(args.junit, junitXml(report));
  }
}

async function watch(args: CliArgs): Promise<void> {
  const { targets } = resolveTargets(args.paths);
  const folders = new Set(targets.map((t) => path.dirname(path.resolve(t.file))));
  const files = new Set(targets.map((t) => path.resolve(t.file)));
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  const again = async (): Promise<void> => {
    if (running) return;
    running = true;
    if (process.stdout.isTTY) process.stdout.write("\u001b[2J\u001b[H");
    emit(await runOnce(args), args);
    process.stdout.write(`\nWatching ${[...files].map((f) => path.relative(process.cwd(), f)).join(", ")}: save a notebook to grade again, Ctrl+C to stop.\n`);
    running = false;
  };
  // Jupyter saves by writing a temp file and renaming it, so watch the folders, not the files.
  for (const dir of folders) {
    fs.watch(dir, (_event, name) => {
      if (!name || !files.has(path.join(dir, name.toString()))) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void again(), 250);
    });
  }
  await again();
  await new Promise<never>(() => {});
}

async function gradeClassCli(learners: Learner[], args: CliArgs): Promise<number> {
  const report = await gradeClass(learners, { seed: args.seed, timeoutMs: args.timeoutMs, only: args.only.length ? args.only : undefined });
  const written = writeClassReport(report, args.out);
  const st = args.color ? COLOR : PLAIN;
  process.stdout.write(`${st.bold(`Class: ${args.paths[0]}`)}\n${classSummaryText(report.summary)}\n\n`);
  const broken = report.learners.filter((l) => l.report.problems.length > 0);
  for (const b of broken) process.stdout.write(st.yellow(`! ${terminalSafe(b.learner.name)}: ${b.report.problems.length} notebook problem(s), e.g. ${terminalSafe(capText(b.report.problems[0].message))}`) + "\n");
  process.stdout.write(`Wrote ${written.length} files to ${path.relative(process.cwd(), args.out) || "."}: gradebook.csv, summary.html, results/<learner>.json\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv, Boolean(process.stdout.isTTY));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`grade: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(USAGE + "\n");
    return 0;
  }
  if (args.watch) {
    await watch(args);
    return 0;
  }
  const learners = args.paths.length === 1 ? learnersIn(args.paths[0]) : null;
  // Grading others' work needs the real boundary: the vm fallback is for one's own practice.
  if ((learners || args.requireIsolation) && defaultBoundary() !== "isolate") {
    process.stderr.write(`grade: ${learners ? "class grading" : "--require-isolation"} needs isolated-vm, which cannot be loaded here${process.env.BACKPROP_LAB_BOUNDARY === "vm" ? " (BACKPROP_LAB_BOUNDARY=vm is set)" : ""}: learner code would run without a real isolation boundary. Reinstall with \`npm install\` where isolated-vm's prebuilt binary or a C++ compiler is available.\n`);
    return 2;
  }
  if (learners) return gradeClassCli(learners, args);
  const report = await runOnce(args);
  emit(report, args);
  return exitCode(report);
}

/**
 * End the process once everything written to stdout and stderr has been handed
 * to the OS. When stdout is a pipe, Node writes it asynchronously: calling
 * process.exit() right after a large write drops all but the first 64 KB, and
 * with it the Total line. The callback of an empty write runs after every
 * earlier write has been flushed. (Exiting explicitly, not just setting
 * exitCode, so no leftover handle can keep the process alive.)
 */
export function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      // For `npm run bench`: peak memory of the whole process plus its sandbox processes.
      // Grader and sandbox processes together (the sandboxes run side by side).
      if (process.env.BACKPROP_LAB_BENCH) process.stderr.write(`maxRssKb=${process.resourceUsage().maxRSS + sandboxPeakKb().reduce((s, k) => s + k, 0)}\n`);
      exitWhenFlushed(code);
    },
    (e: unknown) => {
      process.stderr.write(`grade: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      exitWhenFlushed(2);
    },
  );
}
