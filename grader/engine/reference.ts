// The reference solution is the solved master notebook (solutions/*.ipynb),
// the single source of truth: its exercise cells give expected values, and the
// set-up other exercises build on. Learner code gets the reference versions of
// what it needs as bound functions, which hide their source (toString of a
// bound function prints "[native code]").
import * as path from "node:path";
import { findExerciseCells, givenCells } from "./cells";
import { compileCell, type Compiled } from "./compile";
import { allSpecs, chapters, chapterOf, earlierSpecs } from "./course";
import { readNotebook } from "./notebook";
import { solutionsDir } from "./paths";
import { runJob, type JobResult } from "./job";
import type { MistakeRun } from "./explain";
import { toWire, type Piece } from "./sandbox";
import type { Answer, Case, ExerciseSpec } from "./spec";
import { describeOutcome } from "./judge";

interface RefCell {
  id: string;
  source: string;
  compiled: Compiled;
}

export class CourseError extends Error {
  constructor(message: string) {
    super(`course error (a bug in the course, not in your work): ${message}`);
    this.name = "CourseError";
  }
}

let loaded: { cells: Map<string, RefCell>; givens: Map<string, Piece[]>; givenNeeds: Map<string, ExerciseSpec[]> } | null = null;

/**
 * Names a given cell imports from "backprop-lab" are earlier exercises' answers
 * (notebooks never show their source): in a sandbox they are the reference
 * versions of the exercises that define them.
 */
export function givenImports(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']backprop-lab["']/g)) {
    for (const part of m[1].split(",")) {
      const name = part.trim().split(/\s+as\s+/)[0];
      if (name) names.push(name);
    }
  }
  return names;
}

function compileOrThrow(source: string, where: string): Compiled {
  const r = compileCell(source);
  if (!r.ok) throw new CourseError(`${where}: ${r.problems[0].message} (line ${r.problems[0].line})`);
  return r.compiled;
}

export function masterPath(slug: string): string {
  return path.join(solutionsDir, `${slug}.ipynb`);
}

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const cells = new Map<string, RefCell>();
  const givens = new Map<string, Piece[]>();
  const givenNeeds = new Map<string, ExerciseSpec[]>();
  for (const chapter of chapters) {
    const file = masterPath(chapter.slug);
    const nb = readNotebook(file);
    const found = findExerciseCells(nb, chapter.exercises.map((e) => e.id));
    if (found.problems.length) throw new CourseError(`${file} cell ${found.problems[0].cell}: ${found.problems[0].message}`);
    for (const spec of chapter.exercises) {
      const cell = found.byId.get(spec.id);
      if (!cell) throw new CourseError(`${file} has no cell for exercise ${spec.id}`);
      cells.set(spec.id, { id: spec.id, source: cell.source, compiled: compileOrThrow(cell.source, `${file} cell ${cell.cell.number}`) });
    }
    // Given values are published as configurable globals (not lexical consts), so a
    // learner cell that declares the same name again shadows it instead of failing.
    const givenSources = givenCells(nb);
    const needed: ExerciseSpec[] = [];
    for (const name of givenSources.flatMap((c) => givenImports(c.source))) {
      const spec = allSpecs.find((s) => s.defines.includes(name));
      if (spec && !needed.includes(spec)) needed.push(spec);
    }
    givenNeeds.set(chapter.slug, needed);
    const given = givenSources.map((c) => compileOrThrow(c.source, `${file} cell ${c.number}`));
    const names = given.flatMap((g) => g.names);
    givens.set(chapter.slug, given.length ? [publishing(given.map((g) => g.js), names, "given")] : []);
  }
  loaded = { cells, givens, givenNeeds };
  return loaded;
}

export function referenceSource(id: string): string {
  const cell = load().cells.get(id);
  if (!cell) throw new CourseError(`no reference for ${id}`);
  return cell.source;
}

/** Given values and reference versions of everything `spec` builds on, as set-up pieces. */
export function preludeFor(spec: ExerciseSpec): Piece[] {
  let pieces = preludes.get(spec.id);
  if (!pieces) preludes.set(spec.id, (pieces = buildPrelude(spec)));
  return pieces;
}

/** The set-up of an exercise is the same for every learner: built once per process. */
const preludes = new Map<string, Piece[]>();

function buildPrelude(spec: ExerciseSpec): Piece[] {
  const { cells, givens, givenNeeds } = load();
  // The notebooks promise that a cell may call any function of an earlier exercise
  // (of its chapter or an earlier one): all of them are set up, as reference versions,
  // so one mistake never costs two exercises and every cell sees the same helpers.
  const slug = chapterOf(spec.id)!.slug;
  const chaptersUsed = chapters.slice(0, chapters.findIndex((c) => c.slug === slug) + 1);
  // What the chapters' given cells import is set up too (it is normally earlier anyway).
  const wanted = new Set([...earlierSpecs(spec), ...chaptersUsed.flatMap((c) => givenNeeds.get(c.slug) ?? [])].map((s) => s.id));
  wanted.delete(spec.id);
  const deps = allSpecs.filter((s) => wanted.has(s.id));
  // Each reference cell runs in its own block so helpers of the same name cannot clash;
  // only the names its exercise defines are published, as bound (source-less) functions,
  // right away, so the next block (and the given cells) can use them.
  const blocks = deps.map((d) => block(cells.get(d.id)!.compiled.js, d.defines));
  const reference = blocks.length ? [publishingBlocks(blocks, "reference")] : [];
  // Given values first: reference cells may use them at top level. A given cell's imports
  // are looked up when called, so they find the references published after it.
  return [...chaptersUsed.flatMap((c) => givens.get(c.slug) ?? []), ...reference];
}

/** Run `bodies` privately and publish `names` as globals a later cell may shadow. */
function publishing(bodies: string[], names: string[], filename: string): Piece {
  return publishingBlocks([block(bodies.join("\n"), names)], filename);
}

function block(body: string, names: string[]): string {
  const publish = names.map((n) => `__publish(${JSON.stringify(n)}, typeof ${n} === "undefined" ? undefined : ${n});`).join("\n");
  return `{\n${body}\n${publish}\n}`;
}

function publishingBlocks(blocks: string[], filename: string): Piece {
  // Strict mode: a learner function called by reference code cannot reach it
  // through .caller or a stack-trace call site's getFunction().
  const js = `(function () {
"use strict";
const __publish = (name, v) => Object.defineProperty(globalThis, name, {
  value: typeof v === "function" ? v.bind(null) : v, writable: true, configurable: true, enumerable: false,
});
${blocks.join("\n")}
})();`;
  return { compiled: { js, lineMap: [], names: [] }, filename };
}

/** Trusted course code (a reference or mutant cell) on some probes, in this process: the vm realm is enough. */
function runTrusted(spec: ExerciseSpec, compiled: Compiled, filename: string, probes: Case["probes"], budgetMs: number): JobResult {
  return runJob({ key: `${spec.id}:${filename}`, budgetMs, boundary: "vm", prelude: preludeFor(spec), learner: { compiled, filename }, probes: probes.map(toWire) });
}

/** The reference answers for every case (trusted code, run here with the same harness). */
export function referenceAnswers(spec: ExerciseSpec, cases: Case[]): Answer[][] {
  const ref = load().cells.get(spec.id)!;
  const probes = cases.flatMap((c) => (c.usesReference ? c.probes : []));
  const result = runTrusted(spec, ref.compiled, `reference-${spec.id}`, probes, 60_000);
  if (result.preludeError) throw new CourseError(result.preludeError);
  if (result.cellError) throw new CourseError(`reference cell of ${spec.id}: ${describeOutcome(result.cellError)}`);
  let i = 0;
  return cases.map((c) => {
    if (!c.usesReference) return [];
    return c.probes.map(() => {
      const o = result.outcomes[i++];
      if (o.status !== "ok") throw new CourseError(`reference of ${spec.id} on ${c.label}: ${describeOutcome(o)}`);
      return { value: o.value, mutated: o.mutated, argsAfter: o.argsAfter };
    });
  });
}

/**
 * What each declared mistake (the spec's mutants) answers on the same cases, to
 * recognise a learner's mistake by its behaviour. Course code, run here; the same
 * for every learner, so run once per exercise and seed, and only when someone fails.
 */
export function mistakeRuns(spec: ExerciseSpec, cases: Case[], seed: number): MistakeRun[] {
  const key = `${spec.id}\0${seed}`;
  let runs = mistakes.get(key);
  if (runs) return runs;
  runs = [];
  const probes = cases.flatMap((c) => c.probes);
  for (const [label, source] of Object.entries(spec.mutants)) {
    const compiled = compileCell(`// exercise: ${spec.id}\n${source}`);
    if (!compiled.ok) continue; // validate reports it; a learner's grade never depends on it
    const r = runTrusted(spec, compiled.compiled, `mutant-${spec.id}`, probes, 10_000);
    if (r.preludeError) continue;
    let i = 0;
    runs.push({ label, outcomes: cases.map((c) => c.probes.map(() => (r.cellError ? r.cellError : r.outcomes[i++]))) });
  }
  mistakes.set(key, runs);
  return runs;
}
const mistakes = new Map<string, MistakeRun[]>();
