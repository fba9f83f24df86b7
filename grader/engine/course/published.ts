// The learner edition's course, as data (nbgrader's release / otter's student
// files, in our words). `npm run build:learner` runs the solved masters on the
// public cases (seed DEFAULT_SEED, hidden cases left out) and stores what the
// learner's copy needs to grade the same way, with no reference code in it:
//   - each exercise's public checks as data (public-check.ts): inputs, and the
//     reference's answers to them; gradient checks with their centred
//     differences; formulas as values at sample points; relations by the name
//     of a public judge;
//   - the answers of the diagnostic probes and of every declared mistake on
//     the same cases, so failures are explained as in the instructor's course
//     (the mistakes' code itself stays behind);
//   - the given cells, compiled (the learner notebooks show them anyway).
// A cell that calls an earlier exercise runs, in this edition, on the learner's
// own earlier cell (OwnCells): no reference function exists here to give it.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import type { AnswerKey, OwnCell, OwnCells, SetUp } from "./answer-key";
import { DEFAULT_SEED, expandChecks } from "./cases";
import { Course, type ChapterEntry } from "./course";
import type { MistakeRun } from "../judge/explain";
import { formulaValues } from "../judge/formula";
import { publishedGradientCase } from "../judge/gradcheck";
import type { ErrorInfo, Outcome, Probe } from "../judge/outcome";
import type { PublicCheck } from "./public-check";
import { block, CourseError, publishingBlocks, References, withheldPiece } from "./reference";
import type { Piece } from "../run/sandbox";
import { expectValue, formulaAtSamples, matchesReference, relation, type Answer, type Case, type ExerciseSpec, type PublicJudge } from "./spec";
import { FnArg, FunctionValue, Unreadable, type Arg, type Plain } from "../judge/values";

/** Bumped when the file's shape changes: an edition built by another version says so instead of misgrading. */
export const PUBLISHED_FORMAT = 1;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface PublishedExercise {
  id: string;
  title: string;
  points: number;
  defines: string[];
  hints: string[];
  mistakeHints?: Record<string, string>;
  timeoutMs?: number;
  /** As in the spec: earlier exercises' functions this one's cell may not call. */
  withholds?: Record<string, string>;
  /** The exercise cell's number in its notebook: given cells below it are not set up for it. */
  cell: number;
  params: Record<string, string[]>;
  checks: Json[];
  /** Public checks of the instructor's course this edition cannot run (they need course code): official grading runs them. */
  withheld: number;
  /** The reference's answers, per case of the expanded checks (diagnostic probes included). */
  answers: Json[][];
  mistakes: { label: string; outcomes: Json[][] }[];
}

export interface PublishedGiven {
  number: number;
  js: string;
  names: string[];
  /** Exercises whose functions the cell imports from "backprop-lab". */
  imports: string[];
}

export interface PublishedData {
  format: number;
  formatVersion: number;
  /** The seed the public random cases were drawn with. */
  seed: number;
  chapters: ChapterEntry[];
  exercises: PublishedExercise[];
  givens: Record<string, PublishedGiven[]>;
  /** Only in an edition built for self-study (--with-solutions): each exercise's solved cell, shown once it passes. */
  solutions?: Record<string, string>;
}

// ---- Values as JSON: finite numbers, strings, booleans, null and arrays as they are; everything else tagged ----

function plainToJson(v: Plain): Json {
  if (typeof v === "number") {
    if (Number.isNaN(v)) return { n: "NaN" };
    if (v === Infinity) return { n: "Infinity" };
    if (v === -Infinity) return { n: "-Infinity" };
    if (Object.is(v, -0)) return { n: "-0" };
    return v;
  }
  if (typeof v === "string" || typeof v === "boolean" || v === null) return v;
  if (v === undefined) return { u: 1 };
  if (typeof v === "bigint") return { big: v.toString() };
  if (v instanceof FunctionValue) return { f: v.name };
  if (v instanceof Unreadable) return { cut: v.why };
  if (Array.isArray(v)) return v.map(plainToJson);
  const o: { [k: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) o[k] = plainToJson(x);
  return { o };
}

function plainFromJson(j: Json): Plain {
  if (j === null || typeof j !== "object") return j;
  if (Array.isArray(j)) return j.map(plainFromJson);
  if ("n" in j) return ({ NaN, Infinity, "-Infinity": -Infinity, "-0": -0 } as Record<string, number>)[j.n as string];
  if ("u" in j) return undefined;
  if ("big" in j) return BigInt(j.big as string);
  if ("f" in j) return new FunctionValue(j.f as string);
  if ("cut" in j) return new Unreadable(j.cut as string);
  const o: { [k: string]: Plain } = {};
  for (const [k, x] of Object.entries(j.o as { [k: string]: Json })) o[k] = plainFromJson(x);
  return o;
}

function argToJson(a: Arg): Json {
  if (a instanceof FnArg) return { fn: a.source, label: a.label, ...(a.make ? { with: [...a.make] } : {}) };
  if (Array.isArray(a)) return a.map(argToJson);
  if (a !== null && typeof a === "object") {
    const o: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(a)) o[k] = argToJson(x);
    return { o };
  }
  return plainToJson(a);
}

function argFromJson(j: Json): Arg {
  if (j !== null && typeof j === "object" && !Array.isArray(j)) {
    if ("fn" in j) return new FnArg(j.fn as string, j.label as string, Array.isArray(j.with) ? (j.with as number[]) : undefined);
    if ("o" in j) {
      const o: { [k: string]: Arg } = {};
      for (const [k, x] of Object.entries(j.o as { [k: string]: Json })) o[k] = argFromJson(x);
      return o;
    }
    return plainFromJson(j) as Arg;
  }
  if (Array.isArray(j)) return j.map(argFromJson);
  return j;
}

function probeToJson(p: Probe): Json {
  return p.kind === "call"
    ? { call: p.fn, args: p.args.map(argToJson), ...(p.watch ? { watch: true } : {}), ...(p.sameObjectsAs ? { sameObjectsAs: p.sameObjectsAs.map(argToJson) } : {}) }
    : { read: p.name };
}

function probeFromJson(j: Json): Probe {
  const o = j as { call?: string; args?: Json[]; watch?: boolean; read?: string; sameObjectsAs?: Json[] };
  if (typeof o.read === "string") return { kind: "read", name: o.read };
  return {
    kind: "call",
    fn: o.call!,
    args: (o.args ?? []).map(argFromJson),
    ...(o.watch ? { watch: true } : {}),
    ...(Array.isArray(o.sameObjectsAs) ? { sameObjectsAs: o.sameObjectsAs.map(argFromJson) } : {}),
  };
}

function answerToJson(a: Answer): Json {
  return { value: plainToJson(a.value), mutated: a.mutated, ...(a.argsAfter ? { argsAfter: a.argsAfter.map(plainToJson) } : {}) };
}

function answerFromJson(j: Json): Answer {
  const o = j as { value: Json; mutated: boolean; argsAfter?: Json[] };
  return { value: plainFromJson(o.value), mutated: o.mutated, ...(o.argsAfter ? { argsAfter: o.argsAfter.map(plainFromJson) } : {}) };
}

function outcomeToJson(o: Outcome): Json {
  switch (o.status) {
    case "ok":
      return { status: "ok", value: plainToJson(o.value), mutated: o.mutated, ...(o.argsAfter ? { argsAfter: o.argsAfter.map(plainToJson) } : {}), ...(o.shared ? { shared: o.shared } : {}), ...(o.hole ? { hole: o.hole } : {}), ...(o.sameAsBefore ? { sameAsBefore: true } : {}) };
    case "not-a-function":
      return { status: o.status, name: o.name, value: plainToJson(o.value) };
    case "threw":
    case "missing":
      return { ...o, error: { ...o.error } } as unknown as Json;
    default:
      return { ...o } as unknown as Json;
  }
}

function outcomeFromJson(j: Json): Outcome {
  const o = j as { status: Outcome["status"]; value?: Json; argsAfter?: Json[]; [k: string]: unknown };
  if (o.status === "ok") return { status: "ok", value: plainFromJson(o.value ?? null), mutated: o.mutated === true, ...(o.argsAfter ? { argsAfter: o.argsAfter.map(plainFromJson) } : {}), ...(typeof o.shared === "string" ? { shared: o.shared } : {}), ...(typeof o.hole === "string" ? { hole: o.hole } : {}), ...(o.sameAsBefore === true ? { sameAsBefore: true as const } : {}) };
  if (o.status === "not-a-function") return { status: o.status, name: o.name as string, value: plainFromJson(o.value ?? null) };
  if (o.status === "threw") return { status: o.status, error: o.error as ErrorInfo };
  if (o.status === "missing") return { status: o.status, name: o.name as string, error: o.error as ErrorInfo };
  if (o.status === "timeout") return { status: o.status, ms: o.ms as number };
  return { status: "crashed", why: String(o.why) };
}

function checkToJson(c: PublicCheck): Json {
  switch (c.kind) {
    case "reference":
      return { ...c, probe: probeToJson(c.probe) } as unknown as Json;
    case "value":
      return { ...c, probe: probeToJson(c.probe), expected: plainToJson(c.expected) } as unknown as Json;
    case "gradient":
      return { ...c, probe: probeToJson(c.probe), numeric: c.numeric.map((x) => plainToJson(x)) } as unknown as Json;
    case "formula":
      return c as unknown as Json;
    case "judge":
      return { ...c, probes: c.probes.map(probeToJson) } as unknown as Json;
  }
}

function checkFromJson(j: Json): PublicCheck {
  const c = j as unknown as PublicCheck & { probe?: Json; probes?: Json[]; expected?: Json; numeric?: Json[] };
  switch (c.kind) {
    case "reference":
      return { ...c, probe: probeFromJson(c.probe as Json) };
    case "value":
      return { ...c, probe: probeFromJson(c.probe as Json), expected: plainFromJson(c.expected as Json) };
    case "gradient":
      return { ...c, probe: probeFromJson(c.probe as Json), numeric: (c.numeric as Json[]).map((x) => plainFromJson(x) as number | null) };
    case "formula":
      return c;
    case "judge":
      return { ...c, probes: (c.probes as Json[]).map(probeFromJson) };
  }
}

// ---- Instructor side: the masters run on the public cases ----

/** A case the learner edition can run, rebuilt from its data: the same judge the instructor's course uses, where it holds no answer. */
export function caseFromPublic(c: PublicCheck, judges: Record<string, PublicJudge>): Case {
  switch (c.kind) {
    case "reference":
      return matchesReference(c.probe, { label: c.label, tol: c.tol });
    case "value":
      return expectValue(c.probe, c.expected, { label: c.label, tol: c.tol });
    case "gradient":
      return publishedGradientCase(c);
    case "formula":
      return formulaAtSamples(c.name, { vars: c.vars, ...(c.derived ? { derived: c.derived } : {}) }, c.samples);
    case "judge": {
      const judge = judges[c.judge];
      if (!judge) throw new CourseError(`the public checks name a judge "${c.judge}" this edition does not have`);
      return relation(c.label, c.probes, judge(...c.params));
    }
  }
}

/** An exercise of the learner edition: its public data, with checks that are plain cases (no generator, no seed). */
function specFrom(e: PublishedExercise, judges: Record<string, PublicJudge>): ExerciseSpec {
  return {
    id: e.id,
    title: e.title,
    points: e.points,
    defines: e.defines,
    hints: e.hints,
    ...(e.mistakeHints ? { mistakeHints: e.mistakeHints } : {}),
    ...(e.timeoutMs ? { timeoutMs: e.timeoutMs } : {}),
    ...(e.withholds ? { withholds: e.withholds } : {}),
    checks: e.checks.map((c) => caseFromPublic(checkFromJson(c), judges)),
    // Declared mistakes are known here by their answers only (PublishedExercise.mistakes).
    mutants: {},
  };
}

/**
 * The learner edition's data for `course`: its public cases (seed DEFAULT_SEED, hidden
 * ones left out) judged by the masters. `judges` are the course's public judges;
 * `solutions` (self-study editions only) the solved cells to show once an exercise passes.
 */
export function publishCourse(course: Course, judges: Record<string, PublicJudge>, options: { solutions?: Record<string, string> } = {}): PublishedData {
  if (course.key) throw new Error("a learner edition cannot be published from a learner edition: run this in the instructor's course");
  // A References of its own: its answers and mistake runs are for the published case lists only.
  const refs = new References(course);
  const seed = DEFAULT_SEED;
  const exercises = course.specs.map((spec): PublishedExercise => {
    const visible = expandChecks(spec, seed).filter((c) => !c.diagnostic && !c.hidden);
    const checks = visible.flatMap((c) => (c.publish ? [c.publish()] : []));
    const entry: PublishedExercise = {
      id: spec.id,
      title: spec.title,
      points: spec.points,
      defines: spec.defines,
      hints: spec.hints,
      ...(spec.mistakeHints ? { mistakeHints: spec.mistakeHints } : {}),
      ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
      ...(spec.withholds ? { withholds: spec.withholds } : {}),
      cell: refs.cellNumber(spec.id),
      params: refs.params(spec.id),
      checks: checks.map(checkToJson),
      withheld: visible.length - checks.length,
      answers: [],
      mistakes: [],
    };
    // The edition expands exactly this spec: its diagnostics are the ones answered here.
    const published = specFrom(entry, judges);
    const cases = expandChecks(published, seed);
    entry.answers = refs.answers(published, cases).map((answers) => answers.map(answerToJson));
    entry.mistakes = refs.mistakeRuns(spec, cases, seed).map((m) => ({ label: m.label, outcomes: withoutFormulas(checks, cases, m.outcomes).map((os) => os.map(outcomeToJson)) }));
    return entry;
  });
  const givens: Record<string, PublishedGiven[]> = {};
  for (const c of course.chapters) givens[c.slug] = refs.givenOf(c.slug).map((g) => ({ number: g.number, js: g.compiled.js, names: g.compiled.names, imports: g.imports }));
  return {
    format: PUBLISHED_FORMAT,
    formatVersion: course.formatVersion,
    seed,
    chapters: course.chapters.map((c) => ({ slug: c.slug, title: c.title, ids: c.exercises.map((e) => e.id) })),
    exercises,
    givens,
    ...(options.solutions ? { solutions: options.solutions } : {}),
  };
}

/**
 * A declared mistake of a formula exercise answers with its formula, which is most of
 * the answer ("2*(a - y)^2"): the edition stores its values at the sample points instead
 * (or, when it has none, a hash), which is all formulaAtSamples needs to recognise it.
 */
function withoutFormulas(checks: PublicCheck[], cases: Case[], outcomes: Outcome[][]): Outcome[][] {
  // Outcomes are per expanded case, diagnostics among them: the k-th other case is check k.
  let k = 0;
  const checkOf = cases.map((c) => (c.diagnostic ? undefined : checks[k++]));
  return outcomes.map((os, i) => {
    const c = checkOf[i];
    if (c?.kind !== "formula") return os;
    return os.map((o): Outcome => {
      if (o.status !== "ok" || typeof o.value !== "string") return o;
      const values = formulaValues(o.value, c.samples.points);
      return { ...o, value: values ? { formulaSamples: values } : { formulaHash: createHash("sha256").update(o.value).digest("hex") } };
    });
  });
}

// ---- Learner side ----

/** The learner edition's answer key: stored answers, and the learner's own earlier cells as set-up. */
class PublishedKey implements AnswerKey {
  readonly ownCells = true;
  private readonly byId = new Map<string, PublishedExercise>();
  private readonly decoded = new Map<string, { answers: Answer[][]; mistakes: MistakeRun[] }>();
  /** The course this key answers for: set by publishedCourse, as the course is built holding its key. */
  course!: Course;

  constructor(private readonly data: PublishedData) {
    for (const e of data.exercises) this.byId.set(e.id, e);
  }

  private entry(id: string): PublishedExercise {
    const e = this.byId.get(id);
    if (!e) throw new CourseError(`the public checks have no exercise ${id}`);
    return e;
  }

  private stored(spec: ExerciseSpec, cases: Case[]): { answers: Answer[][]; mistakes: MistakeRun[] } {
    let d = this.decoded.get(spec.id);
    if (!d) {
      const e = this.entry(spec.id);
      d = { answers: e.answers.map((a) => a.map(answerFromJson)), mistakes: e.mistakes.map((m) => ({ label: m.label, outcomes: m.outcomes.map((os) => os.map(outcomeFromJson)) })) };
      this.decoded.set(spec.id, d);
    }
    if (d.answers.length !== cases.length) throw new CourseError(`the public checks of ${spec.id} hold answers for ${d.answers.length} cases, not ${cases.length}: rebuild the learner edition`);
    return d;
  }

  answers(spec: ExerciseSpec, cases: Case[]): Answer[][] {
    return this.stored(spec, cases).answers;
  }

  mistakeRuns(spec: ExerciseSpec, cases: Case[]): MistakeRun[] {
    return this.stored(spec, cases).mistakes;
  }

  params(id: string): Record<string, string[]> {
    return this.byId.get(id)?.params ?? {};
  }

  /** The stored solution of `id`: only in an edition built for self-study (--with-solutions). */
  solution(id: string): string | undefined {
    return this.data.solutions?.[id];
  }

  get hasSolutions(): boolean {
    return this.data.solutions !== undefined;
  }

  setUp(spec: ExerciseSpec, own: OwnCells = new Map()): SetUp {
    const course = this.course;
    const chapter = course.chapterOf(spec.id)!;
    const at = this.entry(spec.id).cell;
    // As in reference.ts: every given cell of earlier chapters, and those above the exercise in its own.
    const givensByChapter = course.chaptersThrough(spec).map((c) => (this.data.givens[c.slug] ?? []).filter((g) => c !== chapter || g.number < at));
    const given = givensByChapter
      .filter((cells) => cells.length > 0)
      .map((cells) => publishingBlocks([block(cells.map((g) => g.js).join("\n"), cells.flatMap((g) => g.names))], "given"));
    const wanted = new Set([...course.earlier(spec).map((s) => s.id), ...givensByChapter.flat().flatMap((g) => g.imports)]);
    wanted.delete(spec.id);
    const deps = course.specs.filter((s) => wanted.has(s.id));
    // After the learner's own earlier cells, as in official grading after the reference versions.
    const withheld = withheldPiece(spec);
    const after = withheld ? [withheld] : [];
    if (deps.length === 0) return { pieces: [...given, ...after], trusted: given.length };
    return { pieces: [...given, ownPiece(deps, own), ...after], trusted: given.length };
  }
}

/**
 * The learner's own earlier cells as one set-up piece: each in a scope of its own, its
 * names published for the cells after it. Whatever is wrong with one (not written,
 * missing, a syntax error, an error while it runs) makes its names throw a message
 * that says so when used, and never stops the rest.
 */
function ownPiece(deps: ExerciseSpec[], own: OwnCells): Piece {
  const blocks = deps.map((d) => {
    const cell: OwnCell = own.get(d.id) ?? { missing: "was not found next to this notebook" };
    const names = JSON.stringify(d.defines);
    const what = JSON.stringify(`${d.id}`);
    if ("missing" in cell) return `__unusable(${names}, ${what}, ${JSON.stringify(cell.missing)});`;
    // todo() of a stub: calling it says which earlier exercise is not written, not "this one is not started".
    return `(function (todo) {
  try {
    {
${cell.compiled.js}
${d.defines.map((n) => `__publish(${JSON.stringify(n)}, typeof ${n} === "undefined" ? undefined : ${n});`).join("\n")}
    }
  } catch (e) {
    __unusable(${names}, ${what}, "threw " + __errorText(e) + " when its cell ran");
  }
})(function () { throw __earlier(${what}, "is not written yet (its cell still calls todo)"); });`;
  });
  const js = `(function () {
"use strict";
const __publish = (name, v) => Object.defineProperty(globalThis, name, { value: v, writable: true, configurable: true, enumerable: false });
const __earlier = (id, state) => {
  const e = new Error("this cell uses your exercise " + id + ", which " + state + ": in the learner edition a cell runs on your own answers to earlier exercises (official grading gives it the reference versions)");
  e.name = "EarlierExercise";
  return e;
};
const __errorText = (e) => { try { return String(e && e.name) + ": " + String(e && e.message); } catch (_) { return "an error"; } };
const __unusable = (names, id, state) => {
  for (const name of names) Object.defineProperty(globalThis, name, { get() { throw __earlier(id, state); }, configurable: true, enumerable: false });
};
${blocks.join("\n")}
})();`;
  return { compiled: { js, lineMap: [], names: [] }, filename: "your-earlier-cells" };
}

/** The learner edition's course from its data and public judges. */
export function publishedCourse(root: string, data: PublishedData, judges: Record<string, PublicJudge>): Course {
  if (data.format !== PUBLISHED_FORMAT) throw new CourseError(`exercises/checks.json has format ${data.format}; this grader reads format ${PUBLISHED_FORMAT}`);
  const key = new PublishedKey(data);
  const byId = new Map(data.exercises.map((e) => [e.id, e] as const));
  const chapters = data.chapters.map((c) => ({ slug: c.slug, title: c.title, exercises: c.ids.map((id) => specFrom(byId.get(id)!, judges)) }));
  const course = new Course(root, chapters, data.formatVersion, key);
  key.course = course;
  return course;
}

/** Read this edition's exercises/checks.json. */
export function readPublished(file: string): PublishedData {
  return JSON.parse(fs.readFileSync(file, "utf8")) as PublishedData;
}

/**
 * What a learner edition says about the solution of `id`: null when `course` is the
 * instructor's (the masters answer), else whether the edition holds solutions and the one for `id`.
 */
export function editionSolutions(course: Course, id: string): { stored: boolean; source?: string } | null {
  if (!(course.key instanceof PublishedKey)) return null;
  return { stored: course.key.hasSolutions, source: course.key.solution(id) };
}

/**
 * The learner's own cells for the exercises `source` finds (their sources: a notebook's
 * cells, or what the kernel last ran), compiled with `compile`. An exercise with no
 * source is left out (setUp says it was not found).
 */
export function ownCells(course: Course, source: (id: string) => string | undefined, compile: (source: string) => ReturnType<typeof import("../compile/compile").compileCell>): Map<string, OwnCell> {
  const out = new Map<string, OwnCell>();
  for (const spec of course.specs) {
    const text = source(spec.id);
    if (text === undefined) continue;
    const r = compile(text);
    out.set(spec.id, r.ok ? { compiled: r.compiled } : { missing: `has a syntax error (line ${r.problems[0].line}: ${r.problems[0].message.slice(0, 200)})` });
  }
  return out;
}

/**
 * In the learner edition a cell runs on the learner's own earlier answers, so a wrong
 * earlier exercise can make a right cell fail. When the cell names the function of an
 * earlier exercise that fails its own checks (`failing`), that is the likely cause to
 * give: fix it first. Names are matched as whole words in the cell's compiled code
 * (`js`: comments and types gone, so "// the forward pass" names no `forward`).
 */
export function earlierCause(course: Course, spec: ExerciseSpec, js: string, failing: (id: string) => boolean): string | undefined {
  const source = js;
  for (const earlier of course.earlier(spec)) {
    const used = earlier.defines.find((name) => new RegExp(`(^|[^\\w$])${name.replace(/\$/g, "\\$")}($|[^\\w$])`).test(source));
    if (used && failing(earlier.id)) {
      return `this cell calls ${used}, your answer to exercise ${earlier.id}, which fails its own checks: in this edition a cell runs on your own earlier answers, so fix ${earlier.id} first (official grading gives this cell the reference version)`;
    }
  }
  return undefined;
}
