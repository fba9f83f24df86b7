// `npm run grade -- [notebook | folder | exercise-id]... [--watch] [--solution ID] [--json FILE] [--junit FILE] [--seed N] [--timeout MS] [--official]`
// Exit code: 0 full marks, 1 graded but not full marks, 2 something could not be graded
// (or a usage mistake, such as an unknown exercise id: then nothing is graded).
import { DEFAULT_LEARNER_BUDGET_MS } from "./engine/budget";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs as parseFlags } from "node:util";
import { course } from "../exercises";
import { withoutMarkers } from "./strip";
import { editDistance, findExerciseCells } from "./engine/notebook/cells";
import { readNotebook } from "./engine/notebook/notebook";
import { DEFAULT_SEED, DEFAULT_TIMEOUT_MS, defaultBoundary, grade, resolveTargets, secretSeed, type GradeOptions } from "./engine/grade";
import { editionSolutions } from "./engine/course/published";
import { capText, exitCode, type ExerciseResult, type Report } from "./engine/judge/result";
import { laneStats, warmLanes, workerPeakKb } from "./engine/run/pool";
import { unsavedCells } from "./engine/notebook/unsaved";
import { gradescopeResults } from "./report/gradescope";
import { junitXml } from "./report/junit";
import { COLOR, PLAIN, scorecard, terminalSafe } from "./report/terminal";
import { classExitCode, classSummaryText, gradeClassTo, learnersIn, notGradedText, type Learner } from "./class-grade";

const USAGE = `Usage: npm run grade -- [NOTEBOOK | FOLDER | EXERCISE-ID]... [options]

Grades notebooks/ when no notebook or folder is given. A folder of learner folders
(each a copy of notebooks/) is graded as a class: see --out.
  EXERCISE-ID      grade only this exercise (e.g. sigmoid); repeatable
  --watch          grade again each time a notebook is saved
  --solution ID    show the reference solution of exercise ID, once it passes in your notebook
  --json FILE      also write Gradescope results.json to FILE
  --junit FILE     also write JUnit XML (one test per exercise) to FILE, for CI
  --seed N         seed of the random cases (default ${DEFAULT_SEED}); failures print theirs
  --timeout MS     time limit per exercise (default ${DEFAULT_TIMEOUT_MS})
  --official       grade someone else's work: random cases from a secret seed (printed,
                   for a regrade with --seed), every hidden check, the isolate required
  --out DIR        class grading (always official): where to write gradebook.csv,
                   summary.html, results/ and grading.json (default class-report)
  --budget S       class grading: the seconds of work each learner's files may cost
                   (default ${DEFAULT_LEARNER_BUDGET_MS / 1000}); past it, the rest of that learner is not graded
  --no-color       plain output even on a terminal
  --require-isolation  refuse to grade unless learner code runs in its own V8 isolate
                   (class grading and Gradescope always require it)
Relative paths are taken from the folder you ran the command in.
Exit code: 0 full marks, 1 not full marks, 2 something could not be graded
(or an unknown exercise id or option: then nothing is graded). Class grading:
0 every notebook was graded, 2 some could not be (each named, learner and file).`;

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
  /** --budget: each learner's budget in class grading (ms). */
  learnerBudgetMs?: number;
  /** --solution ID: print the reference cell of ID if it passes in the learner's notebook. */
  solution?: string;
  /** --seed was given (official grading draws a secret seed otherwise). */
  seedGiven: boolean;
  /** --official: grading someone else's work (see GradeOptions.official). */
  official: boolean;
  /** The folder relative paths are read from and reported against (the learner's, under npm too). */
  base: string;
}

/**
 * The folder the learner ran the command in. `npm run` moves to the course
 * folder before running the script, so a relative path typed in another folder
 * would be looked up in the wrong place; npm leaves the original in INIT_CWD.
 */
export function callerDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.npm_lifecycle_event === "grade" && env.INIT_CWD ? env.INIT_CWD : process.cwd();
}

/** Ids that look like a mistyped `word`: close in spelling, or containing it (or contained in it), nearest first. */
export function nearIds(word: string): string[] {
  const w = word.toLowerCase();
  return course.specs
    .map((s) => ({ id: s.id, d: editDistance(w, s.id) }))
    .filter(({ id, d }) => d <= 2 || (w.length >= 4 && (id.includes(w) || w.includes(id))))
    .sort((a, b) => a.d - b.d)
    .map(({ id }) => id)
    .slice(0, 3);
}

function unknownId(word: string): UsageError {
  const near = nearIds(word);
  return new UsageError(`"${word}" is neither an exercise id nor a notebook or folder${near.length ? `: did you mean ${near.join(" or ")}?` : ""}\nExercise ids: ${course.specs.map((s) => s.id).join(", ")}`);
}

export function parseArgs(argv: string[], isTty: boolean, base = callerDir()): CliArgs {
  const args: CliArgs = { paths: [], only: [], watch: false, seed: DEFAULT_SEED, timeoutMs: DEFAULT_TIMEOUT_MS, color: isTty && !process.env.NO_COLOR, help: false, requireIsolation: false, out: "class-report", base, seedGiven: false, official: false };
  const ids = course.specs.map((s) => s.id);
  // Kept relative to the current folder when it was typed relative: reports (Gradescope's
  // among them) name notebooks as given, e.g. notebooks/x.ipynb, not by a temp folder's path.
  const at = (p: string): string => (path.isAbsolute(p) ? p : path.relative(process.cwd(), path.resolve(base, p)) || ".");
  const { values, tokens } = flagsOf(argv);
  if (values.watch) args.watch = true;
  if (values.json !== undefined) args.json = at(values.json);
  if (values.junit !== undefined) args.junit = at(values.junit);
  if (values.seed !== undefined) {
    args.seed = integer("--seed", values.seed);
    args.seedGiven = true;
    // The learner edition holds the public cases of one seed, as data: there is no other seed to draw.
    if (course.key && args.seed !== DEFAULT_SEED) throw new UsageError(`this edition holds the public checks of seed ${DEFAULT_SEED} only; official grading (your instructor's) draws other random cases`);
  }
  if (values.official) {
    if (course.key) throw new UsageError("--official grading is your instructor's: this edition holds public checks only");
    args.official = true;
  }
  if (values.timeout !== undefined) args.timeoutMs = integer("--timeout", values.timeout);
  if (values.budget !== undefined) args.learnerBudgetMs = integer("--budget", values.budget) * 1000;
  if (values["no-color"]) args.color = false;
  if (values["require-isolation"]) args.requireIsolation = true;
  if (values.out !== undefined) args.out = at(values.out);
  if (values.solution !== undefined) {
    if (!ids.includes(values.solution)) throw unknownId(values.solution);
    args.solution = values.solution;
  }
  if (values.help) args.help = true;
  for (const t of tokens) {
    if (t.kind !== "positional") continue;
    const a = t.value;
    if (fs.existsSync(at(a))) args.paths.push(at(a));
    else if (ids.includes(a)) args.only.push(a);
    else if (a.endsWith(".ipynb") || a.includes("/") || a.includes(path.sep)) args.paths.push(at(a));
    // A mistyped id must not grade everything: the learner asked for one exercise.
    else throw unknownId(a);
  }
  if (args.paths.length === 0) args.paths.push(defaultNotebooks(base));
  return args;
}

const FLAGS = {
  watch: { type: "boolean", short: "w" },
  json: { type: "string" },
  junit: { type: "string" },
  seed: { type: "string" },
  official: { type: "boolean" },
  timeout: { type: "string" },
  budget: { type: "string" },
  "no-color": { type: "boolean" },
  "require-isolation": { type: "boolean" },
  out: { type: "string" },
  solution: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Node's flag parser, its errors said as a usage mistake ("unknown option --x", "--json needs a value"). */
function flagsOf(argv: string[]) {
  try {
    return parseFlags({ args: argv, options: FLAGS, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const flag = /'(-[^' ]+)/.exec((e as Error).message)?.[1] ?? "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${flag}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new UsageError(`${flag} needs a value`);
    throw new UsageError((e as Error).message);
  }
}

/**
 * What to grade when no path is given: the folder the command was run in when
 * it holds this course's notebooks (a learner keeping them elsewhere), else notebooks/.
 */
function defaultNotebooks(base: string): string {
  const own = path.resolve(base) !== path.resolve(course.solutionsDir) && course.chapters.some((c) => fs.existsSync(path.join(base, `${c.slug}.ipynb`)));
  return own ? base : course.notebooksDir;
}

class UsageError extends Error {}

function integer(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} needs a whole number, got "${v}"`);
  return n;
}

export async function runOnce(args: CliArgs): Promise<Report> {
  const { targets, problems } = resolveTargets(course, args.paths);
  if (targets.length > 0) warmLanes();
  const options: GradeOptions = { seed: args.seed, timeoutMs: args.timeoutMs, only: args.only.length ? args.only : undefined, official: args.official };
  return grade(course, targets, options, problems);
}

function emit(report: Report, args: CliArgs): void {
  // A learner's ✔ in the notebook is "not started" here until saved: say so where we know.
  const unsaved = args.official ? new Set<string>() : unsavedCells(report.results.filter((r) => r.status === "not-started"));
  process.stdout.write(scorecard(report, args.color ? COLOR : PLAIN, args.base, unsaved) + "\n");
  if (args.json) {
    fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    fs.writeFileSync(args.json, JSON.stringify(gradescopeResults(report), null, 2) + "\n");
  }
  if (args.junit) {
    fs.mkdirSync(path.dirname(path.resolve(args.junit)), { recursive: true });
    fs.writeFileSync(args.junit, junitXml(report));
  }
}

/** One line on what changed between two runs of --watch, e.g. "sigmoid now passes". */
export function changesSince(before: ExerciseResult[], after: ExerciseResult[]): string {
  const was = new Map(before.map((r) => [`${r.notebook}\0${r.id}`, r] as const));
  const said: string[] = [];
  for (const r of after) {
    const old = was.get(`${r.notebook}\0${r.id}`);
    if (!old) continue;
    const checks = `${r.checks.passed}/${r.checks.total} checks`;
    if (old.status !== r.status) {
      if (r.status === "passed") said.push(`${r.id} now passes`);
      else if (r.status === "failed") said.push(`${r.id} now fails (${checks}${old.status === "passed" ? ", it passed before" : ""})`);
      else if (r.status === "not-started") said.push(`${r.id} is back to todo()`);
      else said.push(`${r.id} can no longer be graded`);
    } else if (r.status === "failed" && old.checks.passed !== r.checks.passed) {
      said.push(`${r.id}: ${checks} pass (was ${old.checks.passed})`);
    } else if (r.status === "failed" && (old.problem ?? "") !== (r.problem ?? "")) {
      said.push(`${r.id} still fails, differently`);
    }
  }
  const points = (rs: ExerciseResult[]): number => rs.reduce((s, r) => s + r.score, 0);
  const delta = points(after) - points(before);
  if (said.length === 0) return "No change since the last run.";
  return `Since the last run: ${said.join(", ")}${delta ? ` (${delta > 0 ? "+" : ""}${delta} points)` : ""}.`;
}

function clock(d = new Date()): string {
  return d.toTimeString().slice(0, 8);
}

async function watch(args: CliArgs): Promise<void> {
  const { targets } = resolveTargets(course, args.paths);
  const folders = new Set(targets.map((t) => path.dirname(path.resolve(t.file))));
  const files = new Set(targets.map((t) => path.resolve(t.file)));
  const st = args.color ? COLOR : PLAIN;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let again_ = false;
  let last: ExerciseResult[] | null = null;
  const again = async (why: string): Promise<void> => {
    if (running) {
      again_ = true;
      return;
    }
    running = true;
    // A separator with the time, instead of clearing the screen: the run before stays in
    // the scrollback to compare with, and the new one is easy to tell apart.
    process.stdout.write(`\n${st.bold(`──── ${clock()} · ${why} ${"─".repeat(40)}`)}\n`);
    const report = await runOnce(args);
    emit(report, args);
    process.stdout.write(`\n${last ? st.bold(changesSince(last, report.results)) : "First run."}\n`);
    last = report.results;
    process.stdout.write(st.dim(`Watching ${[...files].map((f) => path.relative(args.base, f)).join(", ")}: save a notebook to grade again, Ctrl+C to stop.`) + "\n");
    running = false;
    // A save during grading is graded once grading ends, not lost.
    if (again_) {
      again_ = false;
      void again("saved while grading");
    }
  };
  // Jupyter saves by writing a temp file and renaming it, so watch the folders, not the files.
  for (const dir of folders) {
    fs.watch(dir, (_event, name) => {
      if (!name || !files.has(path.join(dir, name.toString()))) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void again(`${name.toString()} saved`), 250);
    });
  }
  await again("grading");
  await new Promise<never>(() => {});
}

/** The reference cell of `id` as the master has it, the solution markers taken out. */
export function referenceCell(id: string): { file: string; source: string } | null {
  const chapter = course.chapterOf(id);
  if (!chapter) return null;
  const file = course.masterPath(chapter.slug);
  const cell = findExerciseCells(readNotebook(file), [id]).byId.get(id);
  if (!cell) return null;
  return { file, source: withoutMarkers(cell.source) };
}

/**
 * `--solution ID`, rustlings' way: the reference is shown only once the
 * learner's own cell passes, so it is something to compare with, not to copy.
 */
export async function showSolution(args: CliArgs, id: string): Promise<number> {
  // The learner edition holds no solutions unless its instructor built it for self-study.
  const edition = editionSolutions(course, id);
  if (edition && !edition.stored) {
    process.stdout.write(`The reference solutions come from your instructor: this edition of the course holds none (nor any other reference code). Once ${id} passes, compare your answer with theirs, or with a classmate's.\n`);
    return 2;
  }
  const report = await runOnce({ ...args, only: [id] });
  const mine = report.results.filter((r) => r.id === id);
  const st = args.color ? COLOR : PLAIN;
  const rel = (f: string): string => terminalSafe(path.relative(args.base, f) || f);
  if (mine.length === 0) {
    const why = report.problems[0]?.message;
    process.stderr.write(`grade: ${id} was not found in ${args.paths.map(rel).join(", ")}${why ? ` (${terminalSafe(capText(why))})` : ""}; the reference solution is shown once ${id} passes in your notebook\n`);
    return 2;
  }
  const failing = mine.find((r) => r.status !== "passed");
  if (failing) {
    const state = failing.status === "not-started" ? "is not written yet" : failing.status === "error" ? "could not be graded" : `does not pass yet (${failing.checks.passed}/${failing.checks.total} checks)`;
    process.stdout.write(`${st.yellow(`${id} ${state}`)} in ${rel(failing.notebook)}: the reference solution is shown once it passes. See what is left with: npm run grade -- ${id}\n`);
    return 1;
  }
  const ref = edition ? (edition.source === undefined ? null : { file: "", source: edition.source }) : referenceCell(id);
  if (!ref && edition) {
    process.stderr.write(`grade: this edition holds no solution for ${id}\n`);
    return 2;
  }
  if (!ref) {
    process.stderr.write(`grade: the course has no reference cell for ${id} in ${rel(course.masterPath(course.chapterOf(id)?.slug ?? "?"))}\n`);
    return 2;
  }
  process.stdout.write(`${st.green(`✔ ${id} passes`)} in ${rel(mine[0].notebook)}. The reference solution, to compare with yours:\n\n${ref.source}\n`);
  return 0;
}

async function gradeClassCli(learners: Learner[], args: CliArgs): Promise<number> {
  warmLanes();
  const { report, written } = await gradeClassTo(learners, { seed: args.seedGiven ? args.seed : undefined, timeoutMs: args.timeoutMs, only: args.only.length ? args.only : undefined, learnerBudgetMs: args.learnerBudgetMs }, args.out);
  const st = args.color ? COLOR : PLAIN;
  process.stdout.write(`${st.bold(`Class: ${terminalSafe(path.relative(args.base, args.paths[0]) || ".")}`)}\n${classSummaryText(report.summary)}\n\n`);
  process.stdout.write(`${officialSeedLine(report.seed, args.seedGiven)}\n`);
  for (const line of notGradedText(report.summary)) process.stdout.write(st.yellow(line) + "\n");
  process.stdout.write(`Wrote ${written.length} files to ${path.relative(args.base, args.out) || "."}: gradebook.csv, summary.html, grading.json, results/<learner>.json\n`);
  return classExitCode(report);
}

export async function main(argv: string[]): Promise<number> {
  // Without the course folder and its reference answers nothing can be graded: one line, no stack trace.
  const missing = course.problem();
  if (missing) {
    process.stderr.write(`grade: ${missing}\n`);
    return 2;
  }
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
  if (args.solution) return showSolution(args, args.solution);
  if (args.watch) {
    await watch(args);
    return 0;
  }
  const learners = args.paths.length === 1 ? learnersIn(args.paths[0]) : null;
  if (learners && course.key) {
    process.stderr.write(`grade: ${terminalSafe(args.paths[0])} holds one folder per learner: grading a class is official grading, which runs the instructor's course (hidden checks, a secret seed), not this edition's public checks\n`);
    return 2;
  }
  // Grading others' work needs the real boundary: the vm fallback is for one's own practice.
  if ((learners || args.requireIsolation || args.official) && defaultBoundary() !== "isolate") {
    process.stderr.write(`grade: ${learners ? "class grading" : args.official ? "--official" : "--require-isolation"} needs isolated-vm, which cannot be loaded here${process.env.BACKPROP_LAB_BOUNDARY === "vm" ? " (BACKPROP_LAB_BOUNDARY=vm is set)" : ""}: learner code would run without a real isolation boundary. Reinstall with \`npm install\` where isolated-vm's prebuilt binary or a C++ compiler is available.\n`);
    return 2;
  }
  if (learners) return gradeClassCli(learners, args);
  if (args.official) {
    if (!args.seedGiven) args.seed = secretSeed();
    process.stdout.write(`${officialSeedLine(args.seed, args.seedGiven)}\n`);
  }
  const report = await runOnce(args);
  emit(report, args);
  return exitCode(report);
}

/** For the instructor's eyes (Gradescope hides the autograder's own output from learners): the seed of a regrade. */
function officialSeedLine(seed: number, given: boolean): string {
  return given ? `Official grading, random cases from seed ${seed} (as asked).` : `Official grading: random cases drawn from seed ${seed} for this run; keep it to yourself, a regrade with --seed ${seed} gives the same cases.`;
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
  let settled = false;
  // Node ends a process whose event loop has nothing left to wait for, even with grading still
  // awaited (a promise nothing will ever settle): never silently, with some reports unwritten.
  process.on("beforeExit", () => {
    if (settled) return;
    process.stderr.write("grade: internal error: grading stopped waiting with work unfinished (nothing left that could finish it); reports may be missing\n");
    exitWhenFlushed(2);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      settled = true;
      // For `npm run bench`: peak memory of the whole process plus its worker processes.
      // Grader and worker processes together (the workers run side by side).
      if (process.env.BACKPROP_LAB_BENCH) process.stderr.write(`maxRssKb=${process.resourceUsage().maxRSS + workerPeakKb().reduce((s, k) => s + k, 0)} mainMaxRssKb=${process.resourceUsage().maxRSS} lanes=${JSON.stringify(laneStats, (_, v: unknown) => (typeof v === "number" ? Math.round(v) : v))}\n`);
      exitWhenFlushed(code);
    },
    (e: unknown) => {
      settled = true;
      process.stderr.write(`grade: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      exitWhenFlushed(2);
    },
  );
}
