// check(id, ...values) in the notebook gives the verdict `npm run grade` gives:
// it grades the exercise cell's source, as last run in this kernel, through
// the grader's own stages (compile, run with the reference versions of every
// earlier exercise, judge all cases, hidden ones included, explain). So a ✔
// here means the exercise's points, whatever the learner's earlier answers do.
// In the learner edition the same stages run on its public checks, and the
// earlier exercises are the learner's own cells (own.ts): there is no
// reference version of them to run.
import { DEFAULT_SEED } from "../engine/cases";
import type { Course } from "../engine/course";
import { installHarness } from "../engine/harness";
import { resultBase, withStatus } from "../engine/judge";
import type { Outcome } from "../engine/outcome";
import type { ExerciseResult } from "../engine/result";
import { parseAnswer } from "../engine/sandbox";
import type { ExerciseSpec } from "../engine/spec";
import { casesFor, gradeCellHere, startResult, verdict } from "../engine/stages";
import { verdictHtml } from "../report/html";
import type { CaseInputId, CaseInputs } from "./case-inputs";
import { display } from "./display";
import { kernelProblem, lastCellSource, watchKernelCells } from "./kernel";
import { ownCellsNow, ownSource } from "./own";
import { earlierCause } from "../engine/published";
import { compileCell } from "../engine/compile";

// From the moment the lab is imported, remember the exercise cells the kernel runs.
watchKernelCells();

const WHERE = { notebook: "this notebook" };

/**
 * The course, loaded on the first check() rather than when a notebook imports the lab:
 * plots, MNIST and the given functions need none of its specs.
 */
function theCourse(): Course {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../exercises") as typeof import("../../exercises")).course;
}

/** Grade exercise `id` as the grader would; returns the verdict without displaying it. */
export function checkResult(id: string, ...values: unknown[]): ExerciseResult {
  const course = theCourse();
  const spec = course.spec(id);
  if (!spec) {
    const r = resultBase({ id, title: id, points: 0, defines: [], hints: [`exercise ids are: ${course.specs.map((s) => s.id).join(", ")}`], checks: [], mutants: {} }, { chapter: "", notebook: "", seed: DEFAULT_SEED });
    return withStatus(r, "error", `there is no exercise "${id}"`);
  }
  const chapter = course.chapterOf(id)!.slug;
  // In a kernel whose cells the lab cannot see, judging the values passed in would
  // grade the session's state, not the cell: say why instead.
  const problem = kernelProblem();
  if (problem !== undefined) return withStatus(resultBase(spec, { chapter, ...WHERE, seed: DEFAULT_SEED }), "error", problem);
  const source = lastCellSource(id);
  if (source !== undefined) return course.key?.ownCells ? checkOnOwnCells(course, spec, source, chapter) : gradeCellHere(course, spec, source, { chapter, ...WHERE });
  if (values.length < spec.defines.length) {
    const r = resultBase(spec, { chapter, ...WHERE, seed: DEFAULT_SEED });
    return withStatus(r, "failed", `check needs ${spec.defines.join(" and ")}: write check("${id}", ${spec.defines.join(", ")})`);
  }
  return judgeValues(course, spec, chapter, values);
}

/**
 * The learner edition: the cell runs on the learner's own earlier cells. When it fails
 * and calls an earlier exercise that fails its own checks, the verdict says so.
 */
function checkOnOwnCells(course: Course, spec: ExerciseSpec, source: string, chapter: string): ExerciseResult {
  const own = ownCellsNow(course);
  const result = gradeCellHere(course, spec, source, { chapter, ...WHERE }, DEFAULT_SEED, own);
  if (result.status !== "failed" && result.status !== "error") return result;
  const failing = (id: string): boolean => {
    const earlier = course.spec(id);
    const mine = ownSource(course, id);
    if (!earlier || mine === undefined) return false;
    return gradeCellHere(course, earlier, mine, { chapter: course.chapterOf(id)!.slug, ...WHERE }, DEFAULT_SEED, own).status === "failed";
  };
  const compiled = compileCell(source);
  const cause = compiled.ok ? earlierCause(course, spec, compiled.compiled.js, failing) : undefined;
  if (cause) result.likelyCause = cause;
  return result;
}

let harness: Harness | null = null;
interface Harness {
  call(get: () => unknown, argsJson: string, watch?: boolean): string;
  read(get: () => unknown): string;
}
function localHarness(): Harness {
  if (!harness) {
    const holder: { __bp?: Harness } = {};
    installHarness(holder);
    harness = holder.__bp!;
  }
  return harness;
}

/**
 * Outside a tslab kernel (or when the cell ran before the lab was imported) there
 * is no source to grade: judge the values themselves, every case, with the same
 * reference answers and explanations.
 */
function judgeValues(course: Course, spec: ExerciseSpec, chapter: string, values: unknown[]): ExerciseResult {
  const { wires } = casesFor(spec, DEFAULT_SEED);
  const h = localHarness();
  const named = new Map(spec.defines.map((name, i) => [name, values[i]] as const));
  const outcomes: Outcome[] = wires.map((w) => {
    const get = () => named.get(w.name);
    return parseAnswer(w.argsJson !== undefined ? h.call(get, w.argsJson, w.watch) : h.read(get), w.name);
  });
  return verdict(course, spec, { cellError: null, outcomes, console: [] }, startResult(spec, { chapter, ...WHERE }, DEFAULT_SEED));
}

/** Show the verdict for exercise `id` right under the cell, e.g. check("sigmoid", sigmoid). */
export function check(id: string, ...values: unknown[]): void {
  const result = checkResult(id, ...values);
  const text = [`${result.id}: ${result.status}${result.problem ? ` — ${result.problem}` : ""}`];
  if (result.likelyCause) text.push(`likely cause: ${result.likelyCause}`);
  if (result.status === "passed") text.push(`Compare with the reference solution: npm run grade -- --solution ${result.id}`);
  display.html(verdictHtml(result), text.join("\n"));
}

/**
 * The arguments of case `n` (1-based, as a failure prints it) of exercise `id`:
 * paste `backprop(...caseInput("backprop", 7))` to replay a failing random case.
 * Public cases only: a hidden case's input is never handed out (a failure never
 * shows one either), and the learner edition holds none to hand out.
 * Typed per exercise (CaseInputs), so the pasted line type-checks in the notebook.
 */
export function caseInput<K extends CaseInputId>(id: K, n: number, seed?: number): CaseInputs[K];
export function caseInput(id: string, n: number, seed = DEFAULT_SEED): unknown[] {
  const course = theCourse();
  const spec = course.spec(id);
  if (!spec) throw new Error(`there is no exercise "${id}"`);
  if (course.key && seed !== DEFAULT_SEED) throw new Error(`this edition holds the public cases of seed ${DEFAULT_SEED} only; case inputs of other seeds come from official grading, which shows them as numbers`);
  const { cases } = casesFor(spec, seed);
  const c = cases[n - 1];
  if (c?.hidden) throw new Error(`case ${n} of exercise ${id} is a hidden check: its input is not shown`);
  const probe = c?.probes[0];
  if (!probe || probe.kind !== "call") throw new Error(`exercise ${id} has no case ${n} with a call (it has ${cases.length} cases)`);
  return probe.args.map(live);
}

/** A case argument as a live value: functions (written as source in the spec) become functions again. */
function live(a: unknown): unknown {
  if (a !== null && typeof a === "object" && "source" in a && "label" in a) return (0, eval)(`(${(a as { source: string }).source})`);
  if (Array.isArray(a)) return a.map(live);
  if (a !== null && typeof a === "object") return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, live(v)]));
  return a;
}
