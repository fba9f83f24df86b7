// The reference solution is the solved master notebook (solutions/*.ipynb),
// the single source of truth: its exercise cells give expected values, and the
// set-up other exercises build on. Learner code gets the reference versions of
// what it needs as bound functions, which hide their source (toString of a
// bound function prints "[native code]"). Everything here is the same for every
// learner, so it is built once per course and process.
import type { AnswerKey, SetUp } from "./answer-key";
import { exerciseSource, findExerciseCells, givenCells } from "../notebook/cells";
import { compileCell, type Compiled } from "../compile/compile";
import type { Course } from "./course";
import { codeLines, type MistakeRun } from "../judge/explain";
import { runJob, type JobResult } from "../run/job";
import { describeOutcome } from "../judge/judge";
import { WITHHELD } from "../judge/outcome";
import { readNotebook } from "../notebook/notebook";
import { toWire, type Piece } from "../run/sandbox";
import type { Answer, Case, ExerciseSpec } from "./spec";

export class CourseError extends Error {
  constructor(message: string) {
    super(`course error (a bug in the course, not in your work): ${message}`);
    this.name = "CourseError";
  }
}

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

interface RefCell {
  source: string;
  compiled: Compiled;
  /** Its cell number in the master: given cells below it are not yet run when it runs. */
  number: number;
}

interface GivenCell {
  number: number;
  compiled: Compiled;
  /** Exercises whose functions the cell imports from "backprop-lab". */
  imports: ExerciseSpec[];
}

/** One course's reference cells, given cells, preludes and the answers derived from them. */
export class References implements AnswerKey {
  /** Set-up is the reference versions of earlier exercises, the same for every learner. */
  readonly ownCells = false;
  private readonly cells = new Map<string, RefCell>();
  private readonly givens = new Map<string, GivenCell[]>();
  private readonly preludes = new Map<string, Piece[]>();
  private readonly mistakes = new Map<string, MistakeRun[]>();
  /** Reference answers by case list (stages.ts expands each spec's cases once per seed). */
  private readonly answered = new WeakMap<Case[], Answer[][]>();

  /**
   * `edited(id)`: an exercise cell of the masters as an author last ran it in a kernel,
   * in place of the saved one (check() in a master judges what was run, with no restart).
   * One that does not compile leaves the saved cell in place.
   */
  constructor(
    private readonly course: Course,
    edited?: (id: string) => string | undefined,
  ) {
    for (const chapter of course.chapters) {
      const file = course.masterPath(chapter.slug);
      const nb = readNotebook(file);
      const found = findExerciseCells(nb, chapter.exercises.map((e) => e.id));
      if (found.problems.length) throw new CourseError(`${file} cell ${found.problems[0].cell}: ${found.problems[0].message}`);
      for (const spec of chapter.exercises) {
        const cell = found.byId.get(spec.id);
        if (!cell) throw new CourseError(`${file} has no cell for exercise ${spec.id}`);
        const ran = edited?.(spec.id);
        const ranCompiled = ran === undefined ? undefined : compileCell(ran);
        if (ran !== undefined && ranCompiled?.ok) this.cells.set(spec.id, { source: ran, compiled: ranCompiled.compiled, number: cell.cell.number });
        else this.cells.set(spec.id, { source: cell.source, compiled: compileOrThrow(cell.source, `${file} cell ${cell.cell.number}`), number: cell.cell.number });
      }
      this.givens.set(
        chapter.slug,
        givenCells(nb).map((c) => ({
          number: c.number,
          compiled: compileOrThrow(c.source, `${file} cell ${c.number}`),
          imports: givenImports(c.source).flatMap((name) => course.specs.filter((s) => s.defines.includes(name))),
        })),
      );
    }
  }

  /** Parameter names of each function the reference cell of `id` defines, for messages ("ignores `b`"). */
  params(id: string): Record<string, string[]> {
    const source = this.cells.get(id)?.source ?? "";
    const spec = this.course.spec(id);
    const out: Record<string, string[]> = {};
    for (const name of spec?.defines ?? []) {
      const names = parameterNames(source, name);
      if (names) out[name] = names;
    }
    return out;
  }

  source(id: string): string {
    const cell = this.cells.get(id);
    if (!cell) throw new CourseError(`no reference for ${id}`);
    return cell.source;
  }

  setUp(spec: ExerciseSpec): SetUp {
    const pieces = this.prelude(spec);
    return { pieces, trusted: pieces.length };
  }

  /** The given cells of a chapter, compiled, with what each imports: the learner edition publishes them. */
  givenOf(slug: string): { number: number; compiled: Compiled; imports: string[] }[] {
    return (this.givens.get(slug) ?? []).map((g) => ({ number: g.number, compiled: g.compiled, imports: g.imports.map((s) => s.id) }));
  }

  /** The cell number of an exercise's reference cell in its master. */
  cellNumber(id: string): number {
    const cell = this.cells.get(id);
    if (!cell) throw new CourseError(`no reference for ${id}`);
    return cell.number;
  }

  /** Given values and reference versions of every earlier exercise, as set-up pieces. */
  prelude(spec: ExerciseSpec): Piece[] {
    let pieces = this.preludes.get(spec.id);
    if (!pieces) this.preludes.set(spec.id, (pieces = this.buildPrelude(spec)));
    return pieces;
  }

  private buildPrelude(spec: ExerciseSpec): Piece[] {
    const own = this.course.chapterOf(spec.id)!;
    const at = this.cells.get(spec.id)!.number;
    // The given cells a learner's kernel has run before this exercise: every one of earlier
    // chapters, and those above the exercise's cell in its own chapter (a value given further
    // down, e.g. the activation for the cost exercise, must not answer an earlier exercise).
    const givensByChapter = this.course.chaptersThrough(spec).map((c) => (this.givens.get(c.slug) ?? []).filter((g) => c !== own || g.number < at));
    const givens = givensByChapter.flat();
    // The notebooks promise that a cell may call any function of an earlier exercise (of
    // its chapter or an earlier one): all of them are set up, as reference versions, so one
    // mistake never costs two exercises. So is what the given cells import.
    const wanted = new Set([...this.course.earlier(spec), ...givens.flatMap((g) => g.imports)].map((s) => s.id));
    wanted.delete(spec.id);
    const deps = this.course.specs.filter((s) => wanted.has(s.id));
    // Each reference cell runs in its own block so helpers of the same name cannot clash;
    // only the names its exercise defines are published, as bound (source-less) functions,
    // right away, so the given cells can use them; the next blocks reach them directly.
    const blocks = deps.map((d) => block(this.cells.get(d.id)!.compiled.js, d.defines, true));
    // Given values are published as configurable globals (not lexical consts), so a
    // learner cell that declares the same name again shadows it instead of failing.
    // They come first: reference cells may use them at top level. A given cell's imports
    // are looked up when called, so they find the references published after it.
    // One block per chapter: chapters may give the same names (each its own example's wL).
    const given = givensByChapter
      .filter((cells) => cells.length > 0)
      .map((cells) => publishingBlocks([block(cells.map((g) => g.compiled.js).join("\n"), cells.flatMap((g) => g.compiled.names))], "given"));
    const withheld = withheldPiece(spec, callersOfWithheld(spec, deps, (d) => this.cells.get(d.id)!.source));
    return [...given, ...(blocks.length ? [publishingBlocks(blocks, "reference", deps.flatMap((d) => d.defines))] : []), ...(withheld ? [withheld] : [])];
  }

  /** Trusted course code (a reference or mutant cell) on some probes, in this process: the vm realm is enough. */
  private runTrusted(spec: ExerciseSpec, compiled: Compiled, filename: string, probes: Case["probes"], budgetMs: number): JobResult {
    return runJob({ key: `${spec.id}:${filename}`, budgetMs, boundary: "vm", prelude: this.prelude(spec), learner: { compiled, filename }, probes: probes.map(toWire) });
  }

  /** The reference answers for every case (trusted code, run here with the same harness), once per case list. */
  answers(spec: ExerciseSpec, cases: Case[]): Answer[][] {
    let answers = this.answered.get(cases);
    if (!answers) this.answered.set(cases, (answers = this.computeAnswers(spec, cases)));
    return answers;
  }

  private computeAnswers(spec: ExerciseSpec, cases: Case[]): Answer[][] {
    const ref = this.cells.get(spec.id)!;
    const probes = cases.flatMap((c) => (c.usesReference ? c.probes : []));
    const result = this.runTrusted(spec, ref.compiled, `reference-${spec.id}`, probes, 60_000);
    if (result.preludeError) throw new CourseError(result.preludeError);
    if (result.cellError) throw new CourseError(`reference cell of ${spec.id}: ${describeOutcome(result.cellError)}`);
    let i = 0;
    return cases.map((c) => {
      if (!c.usesReference) return [];
      const outs = c.probes.map(() => result.outcomes[i++]);
      // A changed argument may be outside what the reference accepts: that probe is no evidence.
      if (c.diagnostic && outs.some((o) => o.status !== "ok")) return [];
      return outs.map((o) => {
        if (o.status !== "ok") throw new CourseError(`reference of ${spec.id} on ${c.label}: ${describeOutcome(o)}`);
        return { value: o.value, mutated: o.mutated, argsAfter: o.argsAfter };
      });
    });
  }

  /**
   * What each declared mistake (the spec's mutants) answers on the same cases, to
   * recognise a learner's mistake by its behaviour. Run once per exercise and seed,
   * and only when someone fails.
   */
  mistakeRuns(spec: ExerciseSpec, cases: Case[], seed: number): MistakeRun[] {
    const key = `${spec.id}\0${seed}`;
    let runs = this.mistakes.get(key);
    if (runs) return runs;
    runs = [];
    const replayed = (c: Case) => c.replayedByMistakes !== false;
    const probes = cases.flatMap((c) => (replayed(c) ? c.probes : []));
    const reference = new Set(codeLines(this.cells.get(spec.id)!.compiled.js));
    for (const [label, source] of Object.entries(spec.mutants)) {
      const compiled = compileCell(exerciseSource(spec.id, source));
      if (!compiled.ok) continue; // validate reports it; a learner's grade never depends on it
      const r = this.runTrusted(spec, compiled.compiled, `mutant-${spec.id}`, probes, 10_000);
      if (r.preludeError) continue;
      let i = 0;
      runs.push({ label, outcomes: cases.map((c) => (replayed(c) ? c.probes.map(() => (r.cellError ? r.cellError : r.outcomes[i++])) : [])), lines: codeLines(compiled.compiled.js).filter((l) => !reference.has(l)) });
    }
    this.mistakes.set(key, runs);
    return runs;
  }
}

const loaded = new WeakMap<Course, References>();

/** The references of a course, read from its masters on first use. */
export function referencesOf(course: Course): References {
  let refs = loaded.get(course);
  if (!refs) loaded.set(course, (refs = new References(course)));
  return refs;
}

/**
 * The parameter names of `function name(...)` or `const name = (...) =>` in trusted
 * course source (a master's cell): a bracket-depth scan, types and defaults dropped.
 */
export function parameterNames(source: string, name: string): string[] | undefined {
  const at = [new RegExp(`function\\s+${name}\\s*(<[^>]*>)?\\s*\\(`), new RegExp(`(const|let)\\s+${name}\\s*=\\s*(<[^>]*>)?\\s*\\(`)]
    .map((r) => r.exec(source))
    .find((m) => m);
  if (!at) return undefined;
  let depth = 0;
  let current = "";
  const parts: string[] = [];
  for (let i = at.index + at[0].length; i < source.length; i++) {
    const ch = source[i];
    if (depth === 0 && ch === ")") {
      parts.push(current);
      break;
    }
    if ("([{<".includes(ch)) depth++;
    else if (")]}>".includes(ch) && !(ch === ">" && source[i - 1] === "=")) depth--;
    if (depth === 0 && ch === ",") {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  const names = parts.map((p) => p.trim().replace(/^\.\.\./, "").split(/[:=?]/)[0].trim()).filter((p) => /^[A-Za-z_$][\w$]*$/.test(p));
  return names.length ? names : undefined;
}

/**
 * The reference functions that reach a function `spec` withholds (sgdStep calls backprop, and
 * trainEpoch sgdStep): withheld with it, or a learner could have backprop's answer through them
 * (one sgdStep with a learning rate of −2¹⁰⁰⁰ gives 2¹⁰⁰⁰ times the gradient, exactly). A cell
 * reaches a name when its source names it; each name it defines is then withheld, saying why.
 */
export function callersOfWithheld(spec: Pick<ExerciseSpec, "withholds">, deps: Pick<ExerciseSpec, "id" | "defines">[], sourceOf: (d: Pick<ExerciseSpec, "id" | "defines">) => string): Record<string, string> {
  const withheld = new Map(Object.entries(spec.withholds ?? {}));
  const out: Record<string, string> = {};
  for (let grew = withheld.size > 0; grew; ) {
    grew = false;
    for (const d of deps) {
      if (d.defines.every((n) => withheld.has(n))) continue;
      const source = sourceOf(d);
      const reached = [...withheld.keys()].find((w) => new RegExp(`(^|[^\\w$.])${w.replace(/\$/g, "\\$")}\\b`).test(source));
      if (reached === undefined) continue;
      for (const name of d.defines) {
        if (withheld.has(name)) continue;
        out[name] = `it calls ${reached}, which this exercise withholds: ${withheld.get(reached)}`;
        withheld.set(name, withheld.get(reached)!);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Set-up that wraps each function `spec` withholds (trusted code, run after the reference versions
 * are published): the cell's own top-level code may still call it (a demo that compares with
 * backprop), but once the checks start (the sandbox calls __armWithheld before the first) a call
 * throws why. The error is made by a class whose constructor names it: a name set later does not
 * cross from the isolate.
 */
export function withheldPiece(spec: Pick<ExerciseSpec, "id" | "withholds">, callers: Record<string, string> = {}): Piece | undefined {
  const entries = Object.entries({ ...callers, ...(spec.withholds ?? {}) });
  if (entries.length === 0) return undefined;
  const messages = Object.fromEntries(entries.map(([name, why]) => [name, `${name} is not available in exercise ${spec.id}: ${why}`]));
  const js = `(function () {
"use strict";
class ${WITHHELD} extends Error {
  constructor(message) {
    super(message);
    this.name = ${JSON.stringify(WITHHELD)};
  }
}
const apply = Reflect.apply;
let armed = false;
Object.defineProperty(globalThis, "__armWithheld", { value: () => { armed = true; }, writable: false, configurable: false, enumerable: false });
const messages = ${JSON.stringify(messages)};
for (const name of Object.keys(messages)) {
  const real = globalThis[name];
  const value = function () {
    if (armed || typeof real !== "function") throw new ${WITHHELD}(messages[name]);
    return apply(real, undefined, arguments);
  };
  Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
}
})();`;
  return { compiled: { js, lineMap: [], names: [] }, filename: "withheld" };
}

/**
 * A cell's code in a block of its own, publishing `names` as globals (see publishingBlocks);
 * `direct`: also handing them to the other blocks of its script as they are.
 */
export function block(body: string, names: string[], direct = false): string {
  const value = (n: string) => `typeof ${n} === "undefined" ? undefined : ${n}`;
  const publish = names.map((n) => `__publish(${JSON.stringify(n)}, ${value(n)});`);
  const hand = direct ? names.map((n) => `__direct.${n}(${value(n)});`) : [];
  return `{\n${body}\n${[...publish, ...hand].join("\n")}\n}`;
}

/**
 * Blocks made by block(), as one script. What a block publishes is what learner code reaches:
 * a function that copies its arguments (see __plain). `direct` names (those of blocks made
 * with direct) are also bindings of the script itself, which the other blocks' code resolves
 * to before any global: course code calling course code passes its own plain values, and a
 * copy at every inner call (sgdStep -> backprop -> layerForward -> sigmoid) was most of what a
 * learner's call of a reference function cost. A learner's function of the same name does not
 * replace them for the course's code, as the course's own version of an exercise it is.
 */
export function publishingBlocks(blocks: string[], filename: string, direct: string[] = []): Piece {
  const names = [...new Set(direct)];
  const bindings = names.length
    ? `let ${names.join(", ")};\nconst __direct = { ${names.map((n) => `${n}: (v) => { ${n} = v; }`).join(", ")} };\n`
    : "";
  // Strict mode: a learner function called by reference code cannot reach it
  // through .caller or a stack-trace call site's getFunction().
  const js = `(function () {
"use strict";
// A reference function is called with plain copies of its arguments: a learner's object
// (an Array subclass with its own map, a Proxy) would otherwise be handed the reference's
// own callbacks, whose source toString prints. Functions (an rng) pass as they are.
// Items are pushed: once the language's objects are frozen (sandbox.ts), a store one past an
// array's end (out[i] = x into new Array(n) or []) is checked against the frozen prototypes
// item by item, which made a reference call on a 784-16-16-10 network (13,002 numbers) five
// times slower than the same code in the cell; push is not. Push is the frozen original here.
// What the reference returns holds the learner's own objects where it holds a copy of one (the
// x that networkForward's activations start with, the Values topoOrder lists): as in the
// notebook, where the function gets the objects themselves, writing into them writes into the
// caller's (a backprop that reuses activations[0] overwrites x, and fails for it).
const __Map = Map, __Set = Set, __isArray = Array.isArray, __isView = ArrayBuffer.isView, __keys = Object.keys, __isFrozen = Object.isFrozen;
const __plain = (v, depth, back) => {
  if (v === null || typeof v !== "object" || depth > 32) return v;
  if (__isArray(v) || __isView(v)) {
    const n = v.length >>> 0;
    const out = [];
    for (let i = 0; i < n; i++) {
      const x = v[i];
      out.push(x === null || typeof x !== "object" ? x : __plain(x, depth + 1, back));
    }
    back.set(out, v);
    return out;
  }
  const out = {};
  for (const k of __keys(v)) out[k] = __plain(v[k], depth + 1, back);
  back.set(out, v);
  return out;
};
// The result with each copy put back as the original it was made from. The walk reads plain
// data and calls no method: a learner's getter it may meet gets no course function.
const __restore = (r, back, depth, walked) => {
  if (r === null || typeof r !== "object") return r;
  const original = back.get(r);
  if (original !== undefined) return original;
  if (depth > 32 || walked.has(r) || __isFrozen(r)) return r;
  walked.add(r);
  if (__isArray(r)) {
    for (let i = 0; i < r.length; i++) {
      const x = r[i];
      if (x !== null && typeof x === "object") {
        const y = __restore(x, back, depth + 1, walked);
        if (y !== x) r[i] = y;
      }
    }
  } else if (!__isView(r)) {
    for (const k of __keys(r)) {
      const x = r[k];
      if (x !== null && typeof x === "object") {
        const y = __restore(x, back, depth + 1, walked);
        if (y !== x) r[k] = y;
      }
    }
  }
  return r;
};
const __publish = (name, v) => Object.defineProperty(globalThis, name, {
  value: typeof v === "function" ? function () {
    let back = null;
    const args = [];
    for (let i = 0; i < arguments.length; i++) {
      const a = arguments[i];
      if (a === null || typeof a !== "object") args.push(a);
      else args.push(__plain(a, 0, (back ??= new __Map())));
    }
    const r = v.apply(null, args);
    return back === null || r === null || typeof r !== "object" ? r : __restore(r, back, 0, new __Set());
  }.bind(null) : v,
  writable: true, configurable: true, enumerable: false,
});
${bindings}${blocks.join("\n")}
})();`;
  return { compiled: { js, lineMap: [], names: [] }, filename };
}
