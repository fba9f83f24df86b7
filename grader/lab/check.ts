// check(id, ...values) in the notebook gives the verdict `npm run grade` gives:
// it grades the exercise cell's source, as last run in this kernel, through
// the grader's own stages (compile, run with the reference versions of every
// earlier exercise, judge all cases, hidden ones included, explain). So a ✔
// here means the exercise's points, whatever the learner's earlier answers do.
// In the learner edition the same stages run on its public checks, and the
// earlier exercises are the learner's own cells (own.ts): there is no
// reference version of them to run.
import { DEFAULT_SEED } from "../engine/course/cases";
import type { Course } from "../engine/course/course";
import { resultBase, withStatus } from "../engine/judge/judge";
import type { ExerciseResult } from "../engine/judge/result";
import type { ExerciseSpec } from "../engine/course/spec";
import { casesFor, gradeCellHere, gradeValuesHere } from "../engine/stages";
import { References } from "../engine/course/reference";
import { noteRun } from "../engine/notebook/unsaved";
import * as path from "node:path";
import { savedCell } from "./saved";
import { verdictHtml } from "../report/html";
import type { CaseInputId, CaseInputs } from "./case-inputs";
import { display } from "./display";
import { kernelProblem, lastCellSource, watchKernelCells } from "./kernel";
import { ownCellsNow, ownSource } from "./own";
import { earlierCause } from "../engine/course/published";
import { compileCell } from "../engine/compile/compile";

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
  if (source !== undefined) return course.key?.ownCells ? checkOnOwnCells(course, spec, source, chapter) : gradeCellHere(inMaster(course) ?? course, spec, source, { chapter, ...WHERE });
  if (values.length < spec.defines.length) {
    const r = resultBase(spec, { chapter, ...WHERE, seed: DEFAULT_SEED });
    return withStatus(r, "failed", `check needs ${spec.defines.join(" and ")}: write check("${id}", ${spec.defines.join(", ")})`);
  }
  // Outside a tslab kernel (or when the cell ran before the lab was imported) there is no
  // source to grade: the values themselves go through the same stages, every case included.
  return gradeValuesHere(course, spec, values, { chapter, ...WHERE });
}

let master: { ran: string; course: Course } | undefined;

/**
 * In a master notebook (the kernel runs in solutions/, as `npm run jupyter -- --authoring`
 * opens it): the course whose reference answers are the exercise cells as last run in this
 * kernel, so an author's corrected solution is judged as written, saved or not, with no
 * kernel restart. Elsewhere undefined: learners are judged against the saved masters.
 */
function inMaster(course: Course): Course | undefined {
  if (course.key || path.resolve(process.cwd()) !== path.resolve(course.solutionsDir)) return undefined;
  const ran = course.specs.map((s) => lastCellSource(s.id) ?? "").join("\0");
  if (master?.ran !== ran) master = { ran, course: course.withKey(new References(course, lastCellSource)) };
  return master.course;
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

/** Show the verdict for exercise `id` right under the cell, e.g. check("sigmoid", sigmoid). */
export function check(id: string, ...values: unknown[]): void {
  const result = checkResult(id, ...values);
  const unsaved = unsavedNote(id, result);
  const text = [`${result.id}: ${result.status}${result.problem ? ` — ${result.problem}` : ""}`];
  if (result.likelyCause) text.push(`likely cause: ${result.likelyCause}`);
  if (result.status === "passed") text.push(`Compare with the reference solution: npm run grade -- --solution ${result.id}`);
  if (unsaved) text.push(unsaved);
  // The note is our own text (a file name at most): nothing of the learner's needs escaping but the name.
  const note = unsaved ? `<div style="margin-top:4px;font-weight:600">${unsaved.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</div>` : "";
  display.html(verdictHtml(result) + note, text.join("\n"));
}

/**
 * When the cell check() judged (as last run) is not the one saved in the notebook file,
 * npm run grade sees another version: say so, and what to do. The difference is noted
 * for the scorecard too (engine/notebook/unsaved.ts). Undefined when they agree or nothing is known.
 */
export function unsavedNote(id: string, result: Pick<ExerciseResult, "status">): string | undefined {
  const ran = lastCellSource(id);
  const course = theCourse();
  if (ran === undefined || !course.spec(id)) return undefined;
  const saved = savedCell(course, id);
  if (!saved) return undefined;
  noteRun(saved.file, id, ran, saved.source);
  if (saved.source === ran) return undefined;
  const file = path.basename(saved.file);
  return result.status === "passed"
    ? `✔ in the notebook — save it (Ctrl-S) so npm run grade sees it: ${file} as saved holds another version of this cell`
    : `This verdict is for the cell as you last ran it; ${file} as saved holds another version: save it (Ctrl-S) so npm run grade sees what you ran.`;
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
