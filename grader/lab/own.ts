// The learner edition has no reference version of any exercise: what a later
// chapter is given from an earlier one (`import { sigmoid } from "backprop-lab"`)
// and what check() sets up before an exercise cell are the learner's own
// earlier cells. This file finds them: the source the kernel last ran for the
// cell, or else the cell as saved in the chapter's notebook (next to the
// notebook that is running, or in the course's notebooks/ folder).
import type { OwnCells } from "../engine/course/answer-key";
import { compileCell } from "../engine/compile/compile";
import type { Course } from "../engine/course/course";
import { ownCells } from "../engine/course/published";
import type { ExerciseSpec } from "../engine/course/spec";
import { notWrittenYet } from "./errors";
import { lastCellSource } from "./kernel";
import { savedCell } from "./saved";
import { markerLine } from "../engine/notebook/cells";

/** The course, loaded on first use (as check.ts does): notebooks that import the lab need none of it otherwise. */
function theCourse(): Course {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../exercises") as typeof import("../../exercises")).course;
}

/** The learner's own source for exercise `id`: as last run in this kernel, else as saved. */
export function ownSource(course: Course, id: string): string | undefined {
  return lastCellSource(id) ?? savedCell(course, id)?.source;
}

/** Every exercise's own cell, compiled: check()'s set-up in the learner edition. */
export function ownCellsNow(course: Course): OwnCells {
  return ownCells(course, (id) => ownSource(course, id), compileCell);
}

/** How often an own function looks again for a newer version of its cell. */
const RECHECK_MS = 1000;

interface Resolved {
  source: string;
  fn: unknown;
}

/**
 * The learner's own function `name` (what some earlier exercise defines), as a
 * function to call: its cell is found, compiled and run on first call, in this
 * kernel, with the other earlier exercises' functions (their own, too) in scope,
 * and again when the cell changes. While it is not written, calling it says so.
 */
export function ownFunction<F extends (...args: never[]) => unknown>(name: string): F {
  let resolved: Resolved | null = null;
  let checkedAt = -Infinity;
  const current = (): unknown => {
    const now = Date.now();
    if (resolved && now - checkedAt < RECHECK_MS) return resolved.fn;
    checkedAt = now;
    const course = theCourse();
    const spec = course.specs.find((s) => s.defines.includes(name));
    if (!spec) throw new Error(`${name} is not defined by any exercise of this course`);
    const source = ownSource(course, spec.id);
    if (source === undefined) throw new Error(`${name} comes from your exercise ${spec.id} (chapter ${course.chapters.indexOf(course.chapterOf(spec.id)!) + 1}), whose cell was not found: open ${course.chapterOf(spec.id)!.slug}.ipynb and keep its cell marked ${markerLine(spec.id)}`);
    if (resolved?.source !== source) resolved = { source, fn: run(course, spec, name, source) };
    return resolved.fn;
  };
  const own = (...args: unknown[]): unknown => {
    const fn = current();
    if (typeof fn !== "function") throw new Error(`${name}: your cell ${markerLine(theCourse().specs.find((s) => s.defines.includes(name))?.id ?? "?")} does not define a function ${name}`);
    return (fn as (...a: unknown[]) => unknown)(...args);
  };
  return own as unknown as F;
}

/** Run the learner's cell for `spec` in this kernel and return what it defines as `name`. */
function run(course: Course, spec: ExerciseSpec, name: string, source: string): unknown {
  const compiled = compileCell(source);
  if (!compiled.ok) throw new Error(`${name} comes from your exercise ${spec.id}, whose cell has a syntax error (line ${compiled.problems[0].line}): ${compiled.problems[0].message}`);
  // Earlier exercises' names, each the learner's own too; none the cell declares itself.
  const deps = course
    .earlier(spec)
    .flatMap((s) => s.defines)
    .filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !compiled.compiled.names.includes(n));
  // Still one line, as every stub's; it names the notebook, which may not be the one running.
  const stub = (): never => {
    const e = new Error(`${notWrittenYet(spec.id)} (in ${course.chapterOf(spec.id)!.slug}.ipynb: in this edition, later cells use your own answers)`);
    e.name = "NotDoneYet";
    throw e;
  };
  // The cell's imports resolve as in the notebook ("backprop-lab" is this package, by its installed name).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireHere = (m: string): unknown => require(m);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vm = require("node:vm") as typeof import("node:vm");
  const wrapper = vm.runInThisContext(`(function (exports, require, todo, ${deps.join(", ")}) {\n${compiled.compiled.js}\nreturn typeof ${name} === "undefined" ? undefined : ${name};\n})`, { filename: `your-${spec.id}-cell` }) as (...a: unknown[]) => unknown;
  return wrapper({}, requireHere, stub, ...deps.map((d) => ownFunction(d)));
}
