// `npm run validate`: prove the course is sound, exercise by exercise. Like
// rustlings' `dev check` and Exercism's CI: the registry is valid, nothing is
// orphaned, every solution gets full marks, every stub zero, every declared
// mutant fails its exercise, hints are real, notebooks are valid nbformat 4 and
// the learner notebooks are exactly what their masters produce.
import { Validator, type OutputUnit, type Schema } from "@cfworker/json-schema";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expectedLearner } from "./build-notebooks";
import { StripError } from "./strip";
import { findExerciseCells, markerLine, withExerciseBody } from "./engine/notebook/cells";
import { course } from "../exercises";
import { Course, ID_RULE, SLUG_RULE, type Chapter } from "./engine/course/course";
import { grade } from "./engine/grade";
import { installRoot } from "./engine/paths";
import { notebookJson, NotebookError, readNotebook, readNotebookText, writeNotebook } from "./engine/notebook/notebook";
import type { ExerciseResult } from "./engine/judge/result";

export interface Problem {
  file: string;
  exercise?: string;
  message: string;
}


/** The registry on its own: ids, titles, points, hints, names, mutants. */
export function checkRegistry(chapters: Chapter[], registryFile = "exercises/index.ts"): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, string>();
  if (!Number.isInteger(course.formatVersion) || course.formatVersion < 1) problems.push({ file: registryFile, message: "FORMAT_VERSION must be a positive integer" });
  const slugs = new Set<string>();
  chapters.forEach((chapter) => {
    if (slugs.has(chapter.slug)) problems.push({ file: registryFile, message: `chapter slug ${chapter.slug} appears twice` });
    slugs.add(chapter.slug);
    if (!SLUG_RULE.test(chapter.slug)) problems.push({ file: registryFile, message: `chapter slug "${chapter.slug}" should look like 05-topic-name` });
    if (chapter.exercises.length === 0) problems.push({ file: registryFile, message: `chapter ${chapter.slug} has no exercises` });
    for (const spec of chapter.exercises) {
      const file = course.specFile(chapter.slug, spec.id);
      const p = (message: string) => problems.push({ file, exercise: spec.id, message });
      if (!ID_RULE.test(spec.id)) p(`id "${spec.id}" must be kebab-case (letters, digits, dashes)`);
      const earlier = seen.get(spec.id);
      if (earlier) p(`id "${spec.id}" is used twice (also in ${earlier})`);
      seen.set(spec.id, chapter.slug);
      if (!spec.title.trim() || /\bTODO\b/.test(spec.title)) p("the title is empty or still a TODO");
      for (const label of Object.keys(spec.mutants)) if (/\bTODO\b/.test(label)) p(`mutant "${label}" still has the scaffold's label: say the mistake in plain words, learners read it`);
      if (!Number.isInteger(spec.points) || spec.points < 1) p(`points must be a whole number ≥ 1, got ${spec.points}`);
      if (spec.hints.length === 0) p("there is no hint (a learner who is stuck needs at least one)");
      spec.hints.forEach((h, i) => {
        if (!h.trim() || /^\s*TODO\b/i.test(h)) p(`hint ${i + 1} is empty or still a TODO`);
      });
      if (spec.defines.length === 0) p("`defines` is empty: which names does the cell define?");
      for (const n of spec.defines) if (!/^[A-Za-z_$][\w$]*$/.test(n)) p(`\`${n}\` in defines is not an identifier`);
      if (spec.checks.length === 0) p("there are no checks");
      if (Object.keys(spec.mutants).length < 2) p(`declares ${Object.keys(spec.mutants).length} mutant(s); at least 2 wrong versions must prove the checks can fail`);
      for (const label of Object.keys(spec.mistakeHints ?? {})) if (!(label in spec.mutants)) p(`mistakeHints has "${label}", which is not a mutant's label`);
      // Mistake-specific advice lives only here, shown only when that mistake is recognised.
      for (const label of Object.keys(spec.mutants)) if (!spec.mistakeHints?.[label]?.trim()) p(`mutant "${label}" has no mistakeHints entry: write the hint a learner who makes this mistake should read`);
    }
  });
  return problems;
}

/** Spec files not in the registry, and notebooks of no chapter. */
export function checkOrphans(chapters: Chapter[], root = course.root): Problem[] {
  const problems: Problem[] = [];
  const known = new Set(chapters.flatMap((c) => c.exercises.map((e) => course.specFile(c.slug, e.id))));
  const slugs = new Set(chapters.map((c) => c.slug));
  const exercisesDir = path.join(root, "exercises");
  for (const entry of fs.readdirSync(exercisesDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    if (!slugs.has(entry.name)) problems.push({ file: `exercises/${entry.name}/`, message: "a folder of no chapter in exercises/index.ts" });
    for (const f of fs.readdirSync(path.join(exercisesDir, entry.name))) {
      const rel = `exercises/${entry.name}/${f}`;
      const text = fs.readFileSync(path.join(exercisesDir, entry.name, f), "utf8");
      // Helper modules (shared generators) are fine; a file that defines an exercise must be registered.
      if (/export default exercise\(/.test(text) && !known.has(rel)) problems.push({ file: rel, message: "defines an exercise that is not in exercises/index.ts (or its file name is not its id)" });
    }
  }
  for (const [dir, label] of [[path.join(root, "solutions"), "solutions"], [path.join(root, "notebooks"), "notebooks"]] as const) {
    for (const f of fs.readdirSync(dir)) {
      if (f.endsWith(".ipynb") && !slugs.has(f.replace(/\.ipynb$/, ""))) problems.push({ file: `${label}/${f}`, message: "a notebook of no chapter in exercises/index.ts" });
    }
  }
  return problems;
}

interface RawNb {
  nbformat?: unknown;
  nbformat_minor?: unknown;
  metadata?: { kernelspec?: { name?: unknown } };
  cells?: { cell_type?: unknown; metadata?: unknown; source?: unknown; outputs?: unknown; execution_count?: unknown; id?: unknown }[];
}

/** nbformat 4's required structure (the parts editors and nbconvert rely on). */
export function checkNbformat(file: string, text: string, opts: { noOutputs: boolean }): Problem[] {
  const problems: Problem[] = [];
  const p = (message: string) => problems.push({ file, message });
  let nb: RawNb;
  try {
    nb = notebookJson(text, file) as RawNb;
  } catch (e) {
    if (e instanceof NotebookError) return [{ file, message: e.message }];
    throw e;
  }
  if (nb.nbformat !== 4) p(`nbformat is ${JSON.stringify(nb.nbformat)}, expected 4`);
  if (!Number.isInteger(nb.nbformat_minor)) p("nbformat_minor is missing");
  if (nb.metadata?.kernelspec?.name !== "tslab") p("metadata.kernelspec.name should be \"tslab\" (the TypeScript kernel)");
  if (!Array.isArray(nb.cells)) return [...problems, { file, message: "cells is not a list" }];
  const ids = new Set<string>();
  nb.cells.forEach((c, i) => {
    const at = `cell ${i + 1}`;
    if (!["code", "markdown", "raw"].includes(String(c.cell_type))) p(`${at}: cell_type ${JSON.stringify(c.cell_type)}`);
    if (typeof c.metadata !== "object" || c.metadata === null) p(`${at}: metadata must be an object`);
    if (!(typeof c.source === "string" || (Array.isArray(c.source) && c.source.every((s) => typeof s === "string")))) p(`${at}: source must be text or a list of lines`);
    if (Number(nb.nbformat_minor) >= 5) {
      if (typeof c.id !== "string" || !/^[a-zA-Z0-9-_]{1,64}$/.test(c.id)) p(`${at}: nbformat 4.5 needs an id of 1-64 letters, digits, - or _`);
      else if (ids.has(c.id)) p(`${at}: id ${c.id} is used twice`);
      else ids.add(c.id);
    }
    if (c.cell_type === "code") {
      if (!Array.isArray(c.outputs)) p(`${at}: a code cell needs outputs`);
      if (!(c.execution_count === null || Number.isInteger(c.execution_count))) p(`${at}: execution_count must be null or a number`);
      if (opts.noOutputs && ((Array.isArray(c.outputs) && c.outputs.length > 0) || c.execution_count !== null)) p(`${at}: has outputs; course notebooks are stored without them (for course authors: npm run build:notebooks -- --force regenerates them; a learner's own work is never checked here)`);
    } else if ("outputs" in c) p(`${at}: a ${String(c.cell_type)} cell cannot have outputs`);
  });
  return problems;
}

/** Where the vendored nbformat 4.5 JSON schema is (Jupyter's own, see grader/vendor/README.md). */
export const NBFORMAT_SCHEMA = path.join(installRoot, "grader", "vendor", "nbformat.v4.5.schema.json");

/** Schema keywords that only say "something below failed": the leaves below them say what. */
const AGGREGATE = new Set(["properties", "items", "$ref", "oneOf", "anyOf", "allOf", "additionalProperties", "patternProperties", "not", "dependencies"]);

let schemaValidator: Validator | null = null;

/**
 * Jupyter's own notebook schema (nbformat 4.5), checked in-process: what
 * nbformat.validate() checks, without needing Python. Each problem names the
 * place ("cell 3, outputs[0]") and what is wrong there. Where a cell or output
 * could be one of several kinds, only the kind it says it is (cell_type,
 * output_type) is reported on.
 */
export function checkSchema(file: string, text: string): Problem[] {
  let nb: unknown;
  try {
    nb = notebookJson(text, file);
  } catch (e) {
    if (e instanceof NotebookError) return [{ file, message: e.message }];
    throw e;
  }
  const minor = (nb as { nbformat_minor?: unknown } | null)?.nbformat_minor;
  if (minor !== 5) return [{ file, message: `nbformat_minor is ${JSON.stringify(minor)}: course notebooks are nbformat 4.5, the schema they are checked against` }];
  schemaValidator ??= new Validator(JSON.parse(fs.readFileSync(NBFORMAT_SCHEMA, "utf8")) as Schema, "4", false);
  const { valid, errors } = schemaValidator.validate(nb);
  if (valid) return [];
  // A property the schema does not allow is reported twice: an additionalProperties error (at
  // the schema's place) and a "false" error (at the instance's): the pair is one finding.
  const found = errors.map((e, i) => (e.keyword === "false" && i > 0 && errors[i - 1].keyword === "additionalProperties" ? { ...e, keywordLocation: errors[i - 1].keywordLocation } : e));
  // A cell or output could be any of several kinds: the branches of kinds it does not claim
  // to be (its cell_type or output_type fails their enum) say nothing about it.
  const otherKinds = found
    .filter((e) => e.keyword === "enum" && /\/(cell_type|output_type)$/.test(e.instanceLocation))
    .map((e) => ({ owner: e.instanceLocation.replace(/\/(cell_type|output_type)$/, ""), field: e.instanceLocation.replace(/^.*\//, ""), branch: e.keywordLocation.replace(/\/\$ref\/properties\/(cell_type|output_type)\/enum$/, "/") }));
  const within = (location: string, owner: string) => location === owner || location.startsWith(owner + "/");
  const leaves = found.filter((e) => !AGGREGATE.has(e.keyword) && !otherKinds.some((k) => within(e.instanceLocation, k.owner) && e.keywordLocation.startsWith(k.branch)));
  const messages = leaves.map((e) => `nbformat 4.5 schema: ${schemaPlace(e.instanceLocation)}: ${schemaMessage(e, nb)}`);
  // A kind no branch accepts leaves nothing to report on but the kind itself.
  for (const k of otherKinds) {
    if (!leaves.some((e) => within(e.instanceLocation, k.owner))) messages.push(`nbformat 4.5 schema: ${schemaPlace(k.owner)}: ${k.field} ${JSON.stringify(valueAt(nb, `${k.owner}/${k.field}`))} is not a kind nbformat 4.5 knows`);
  }
  const unique = [...new Set(messages)];
  return (unique.length ? unique : [`nbformat 4.5 schema: ${errors[0].error}`]).map((message) => ({ file, message }));
}

function valueAt(nb: unknown, pointer: string): unknown {
  let value: unknown = nb;
  for (const p of pointer.replace(/^#\/?/, "").split("/").filter(Boolean)) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[p.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
  return value;
}

/** "#/cells/2/outputs/0/name" -> "cell 3, outputs[0].name"; "#/extra" -> "the notebook, extra". */
function schemaPlace(pointer: string): string {
  const parts = pointer.replace(/^#\/?/, "").split("/").filter(Boolean).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const rest = (ps: string[]) => ps.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i ? "." : ""}${p}`)).join("");
  if (parts[0] === "cells" && parts.length > 1 && /^\d+$/.test(parts[1])) {
    const inner = rest(parts.slice(2));
    return `cell ${Number(parts[1]) + 1}${inner ? `, ${inner}` : ""}`;
  }
  return parts.length ? `the notebook's ${rest(parts)}` : "the notebook";
}

function schemaMessage(e: OutputUnit, nb: unknown): string {
  if (e.keyword === "false") return "is not allowed here";
  const shown = JSON.stringify(valueAt(nb, e.instanceLocation));
  return ["pattern", "type", "enum", "minimum", "maximum", "minLength", "maxLength", "format"].includes(e.keyword) && shown !== undefined ? `${e.error} (got ${shown.length > 60 ? shown.slice(0, 60) + "…" : shown})` : e.error;
}

/** Grade the master (full marks), the learner notebook (zero) and every mutant (fails its exercise). */
export async function checkGrading(chapters: Chapter[], learnerPath?: (slug: string) => string, base: Course = course): Promise<Problem[]> {
  const problems: Problem[] = [];
  // The whole course, with these chapters' specs in place of the registry's (tests pass edited ones).
  const edited = new Course(base.root, base.chapters.map((c) => chapters.find((x) => x.slug === c.slug) ?? c), base.formatVersion);
  const targets = chapters.map((chapter) => ({ chapter, file: edited.masterPath(chapter.slug) }));
  const solved = await grade(edited, targets);
  for (const r of solved.results) {
    if (r.status !== "passed") problems.push({ file: edited.relative(edited.masterPath(r.chapter)), exercise: r.id, message: `the solution does not pass: ${r.problem ?? r.failures[0]?.actual ?? r.status}` });
  }
  for (const p of solved.problems) problems.push({ file: edited.relative(p.notebook), message: p.message });
  const stubs = await grade(edited, chapters.map((chapter) => ({ chapter, file: learnerPath?.(chapter.slug) ?? edited.learnerPath(chapter.slug) })));
  for (const r of stubs.results) {
    if (r.score !== 0 || r.status !== "not-started") problems.push({ file: edited.relative(edited.learnerPath(r.chapter)), exercise: r.id, message: `the untouched stub should score 0 as "not started", got ${r.score} (${r.status})` });
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bp-validate-"));
  // Every mutant in its own file, all graded in one run (one worker pool).
  const mutants: { target: { chapter: Chapter; file: string; only: string[] }; what: string }[] = [];
  try {
    for (const chapter of chapters) {
      const master = readNotebook(edited.masterPath(chapter.slug)).json;
      for (const spec of chapter.exercises) {
        for (const [what, body] of Object.entries(spec.mutants)) {
          const copy = withExerciseBody(master, spec.id, body);
          if (!copy) continue; // reported by checkMasters
          const file = path.join(tmp, `mutant-${mutants.length}`, `${chapter.slug}.ipynb`);
          writeNotebook(file, copy);
          mutants.push({ target: { chapter, file, only: [spec.id] }, what });
        }
      }
    }
    const graded = await grade(edited, mutants.map((m) => m.target));
    mutants.forEach((m, i) => {
      const r = graded.results[i];
      const id = m.target.only[0];
      if (r.id !== id) throw new Error(`validate: expected a result for ${id}, got ${r.id}`);
      const file = edited.specFile(m.target.chapter.slug, id);
      const problem = mutantProblem(r, m.what);
      if (problem) problems.push({ file, exercise: id, message: problem });
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return problems;
}

/**
 * A declared mistake must fail on a wrong value (not because a name is missing or
 * the cell throws: that proves nothing about the checks) and be recognised by
 * name, since its label is what a learner with that mistake will read.
 */
export function mutantProblem(r: ExerciseResult, what: string): string | undefined {
  if (r.status === "passed") return `mutant "${what}" passes: the checks cannot tell it from the solution`;
  const valueFailure = r.failures.some((f) => f.expected !== "an answer");
  if (r.status !== "failed" || r.problem || !valueFailure) {
    const why = r.problem ?? r.failures.find((f) => f.expected === "an answer")?.actual ?? r.status;
    return `mutant "${what}" fails only because ${why}, never on a wrong value: the checks prove nothing about this mistake`;
  }
  const shown = r.failures.map((f) => `${f.label} ${f.expected} ${f.actual} ${f.why ?? ""}`).join(" ");
  if (/\[object Object\]|NaN: expected|undefined: expected/.test(shown)) return `mutant "${what}" gets an unreadable message: ${shown.slice(0, 200)}`;
  if (r.likelyCause !== what) return `mutant "${what}" is not recognised: its feedback says ${r.likelyCause ? `"likely cause: ${r.likelyCause}"` : "no likely cause"}`;
  return undefined;
}

/** Every exercise has its cell and a check cell in the master; learner notebooks match their masters. */
export function checkMasters(chapters: Chapter[], learnerPath?: (slug: string) => string, base: Course = course): Problem[] {
  const problems: Problem[] = [];
  for (const chapter of chapters) {
    const masterFile = base.masterPath(chapter.slug);
    const rel = base.relative(masterFile);
    if (!fs.existsSync(masterFile)) {
      problems.push({ file: rel, message: "missing: every chapter needs its solved master" });
      continue;
    }
    const nb = readNotebook(masterFile);
    const found = findExerciseCells(nb, chapter.exercises.map((e) => e.id));
    for (const p of found.problems) problems.push({ file: rel, exercise: p.id, message: `cell ${p.cell}: ${p.message}` });
    // The scorecard lists exercises in registry order; the notebook should tell them in the same order.
    const inNotebook = [...found.byId.values()].sort((a, b) => a.cell.number - b.cell.number).map((c) => c.id);
    const inRegistry = chapter.exercises.map((e) => e.id).filter((id) => found.byId.has(id));
    if (inNotebook.join() !== inRegistry.join()) problems.push({ file: rel, message: `exercise cells come in the order ${inNotebook.join(", ")}, but exercises/index.ts lists ${inRegistry.join(", ")}` });
    for (const spec of chapter.exercises) {
      if (!found.byId.has(spec.id)) problems.push({ file: rel, exercise: spec.id, message: `no cell starts with \`${markerLine(spec.id)}\`` });
      else if (!nb.cells.some((c) => c.type === "code" && c.source.includes(`check("${spec.id}"`))) problems.push({ file: rel, exercise: spec.id, message: `no check("${spec.id}", …) cell: learners cannot check this exercise in the notebook` });
    }
    // The scaffold writes TODO wherever the author has words to write: none may reach a learner.
    nb.cells.forEach((c, i) => {
      if (c.type === "markdown" && /\bTODO\b/.test(c.source)) problems.push({ file: rel, message: `cell ${i + 1} (text) still says TODO: write the explanation` });
    });
    const learnerFile = learnerPath?.(chapter.slug) ?? base.learnerPath(chapter.slug);
    let want: string | null = null;
    try {
      want = expectedLearner(chapter.slug, base);
    } catch (e) {
      if (!(e instanceof StripError)) throw e;
      problems.push({ file: rel, message: e.message });
    }
    if (want !== null && readNotebookText(learnerFile) !== want) {
      problems.push({ file: base.relative(learnerFile), message: `is not what ${rel} produces (for course authors: npm run build:notebooks regenerates it; it refuses to overwrite a learner's work)` });
    }
  }
  return problems;
}

export interface ValidateOptions {
  /**
   * Where a chapter's learner notebook is: the course's notebooks/ (the default, for authors).
   * Tests pass the untouched notebooks as the masters produce them, so a learner's work in
   * notebooks/ never fails them (whether notebooks/ is in sync is strip.test.ts's job).
   */
  learnerPath?: (slug: string) => string;
  /** The course to validate (default: this registry's, in its own folder). */
  course?: Course;
}

export async function validate(chapters: Chapter[] = course.chapters, options: ValidateOptions = {}): Promise<Problem[]> {
  const base = options.course ?? course;
  const learnerPath = options.learnerPath ?? ((slug: string) => base.learnerPath(slug));
  const notebooks = chapters.flatMap((c) => [base.masterPath(c.slug), learnerPath(c.slug)]).flatMap((f) => {
    const text = readNotebookText(f);
    return text === null ? [] : [{ file: base.relative(f), text }];
  });
  const structural = notebooks.flatMap((n) => checkNbformat(n.file, n.text, { noOutputs: true }));
  return [...checkRegistry(chapters), ...checkOrphans(chapters, base.root), ...structural, ...notebooks.flatMap((n) => checkSchema(n.file, n.text)), ...checkMasters(chapters, learnerPath, base), ...(await checkGrading(chapters, learnerPath, base))];
}

async function main(): Promise<number> {
  const started = Date.now();
  const problems = await validate();
  const exercises = course.specs;
  const mutants = exercises.reduce((s, e) => s + Object.keys(e.mutants).length, 0);
  for (const p of problems) console.log(`✘ ${p.file}${p.exercise ? ` [${p.exercise}]` : ""}: ${p.message}`);
  const summary = `${course.chapters.length} chapters, ${exercises.length} exercises, ${exercises.reduce((s, e) => s + e.points, 0)} points, ${mutants} mutants checked in ${((Date.now() - started) / 1000).toFixed(1)} s`;
  console.log(problems.length ? `\n${problems.length} problem(s) (${summary})` : `✔ the course is valid: ${summary}`);
  return problems.length ? 1 : 0;
}

if (require.main === module) main().then((code) => process.exit(code));
