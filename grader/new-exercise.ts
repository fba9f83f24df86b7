// `npm run new-exercise -- <id> --chapter <n>`: scaffold everything an exercise
// needs, then say what to do next. Writes the spec (cases, points, hints,
// mutants to fill in), registers it, and adds the explanation, exercise and
// check cells to the chapter's master notebook: with --after <id>, right after
// that exercise's cells and id, so notebook and registry tell the same order.
// Refuses to overwrite anything.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { course } from "../exercises";
import { exerciseSource, markedId, markerLine } from "./engine/notebook/cells";
import { ID_RULE, type Course } from "./engine/course/course";
import { newCell, readNotebook, sourceText, writeNotebook, type NotebookJson } from "./engine/notebook/notebook";

export class ScaffoldError extends Error {}

export function camelCase(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function specTemplate(id: string, name: string): string {
  return `import { call, exercise, expectValue, normal, randomCases } from "../../grader/engine/authoring";

export default exercise({
  id: "${id}",
  title: "TODO: a short title",
  points: 1,
  defines: ["${name}"],
  hints: [
    "TODO: the first hint, shown when the exercise is not started (say what to do, not the code)",
    "TODO: the second hint, shown after a wrong answer when no particular mistake was found (general: the formula, a worked value; never one specific mistake)",
  ],
  checks: [
    // A worked value (from the notes, or computed by hand):
    expectValue(call("${name}", 0), 0),
    // At least 50 seeded random cases compared with the solution in the master notebook:
    randomCases("${name}", { count: 50, args: (rng) => [normal(rng) * 3], edge: [[0], [1], [-1]], hidden: 5 }),
  ],
  mutants: {
    // Wrong versions of the cell that these checks must reject (at least two):
    "TODO: describe mistake 1": "function ${name}(x: number): number {\\n  return x;\\n}",
    "TODO: describe mistake 2": "function ${name}(x: number): number {\\n  return -x;\\n}",
  },
  mistakeHints: {
    // The hint for each mistake, shown only when a learner's answers behave like it:
    "TODO: describe mistake 1": "TODO: what to change, and why",
    "TODO: describe mistake 2": "TODO: what to change, and why",
  },
});
`;
}

/**
 * Add the id to the chapter's list in exercises/index.ts (specs are found from their ids):
 * right after `after` when given (where the master's cells go), else after its last exercise.
 */
export function registerIn(indexText: string, slug: string, id: string, after?: string): string {
  const block = new RegExp(`(slug: "${slug}",[\\s\\S]*?ids: \\[)([^\\]]*)(\\])`);
  const m = block.exec(indexText);
  if (!m) throw new ScaffoldError(`could not find chapter ${slug}'s ids list in exercises/index.ts`);
  if (after === undefined) return indexText.replace(block, `$1${m[2].trimEnd()}, ${JSON.stringify(id)}$3`);
  const at = m[2].indexOf(JSON.stringify(after));
  if (at < 0) throw new ScaffoldError(`chapter ${slug} has no exercise "${after}" to put ${id} after`);
  const end = at + JSON.stringify(after).length;
  const ids = `${m[2].slice(0, end)}, ${JSON.stringify(id)}${m[2].slice(end)}`;
  return indexText.replace(block, (_whole, head: string, _ids: string, tail: string) => `${head}${ids}${tail}`);
}

/**
 * The master with the new exercise's three cells (explanation, exercise, check): after
 * the cells of exercise `after` (its check cell, else its exercise cell), else at the end.
 */
export function insertCells(master: NotebookJson, id: string, name: string, after?: string): NotebookJson {
  const cells = [
    newCell("markdown", `## TODO: a title\n\nTODO: explain the idea in a few sentences, with the formula in $...$.\n\n**Exercise \`${id}\`.** TODO: say what \`${name}\` should do.`, `${id}-text`),
    newCell("code", exerciseSource(id, `function ${name}(x: number): number {\n  // BEGIN SOLUTION\n  return x * x;\n  // END SOLUTION\n}`), `${id}-cell`),
    newCell("code", `check("${id}", ${name});`, `${id}-check`),
  ];
  let at = master.cells.length;
  if (after !== undefined) {
    const sources = master.cells.map((c) => (c.cell_type === "code" ? sourceText(c) : ""));
    const exercise = sources.findIndex((s) => markedId(s) === after);
    if (exercise < 0) throw new ScaffoldError(`the master has no cell marked \`${markerLine(after)}\` to put ${id} after`);
    const check = sources.findIndex((s, i) => i > exercise && s.includes(`check("${after}"`));
    at = (check >= 0 ? check : exercise) + 1;
  }
  return { ...master, cells: [...master.cells.slice(0, at), ...cells, ...master.cells.slice(at)] };
}

/** Scaffold exercise `id` in chapter `chapterNumber` (1-based) of `theCourse`, in its folder; returns the files written, relative to it. */
export function scaffold(theCourse: Course, id: string, chapterNumber: number, after?: string): string[] {
  if (!ID_RULE.test(id)) throw new ScaffoldError(`"${id}" is not a kebab-case id (e.g. tanh-prime)`);
  if (theCourse.spec(id)) throw new ScaffoldError(`exercise "${id}" already exists`);
  const chapter = theCourse.chapters[chapterNumber - 1];
  if (!chapter) throw new ScaffoldError(`there is no chapter ${chapterNumber} (chapters: ${theCourse.chapters.map((c, i) => `${i + 1} = ${c.slug}`).join(", ")})`);
  if (after !== undefined && !chapter.exercises.some((e) => e.id === after)) throw new ScaffoldError(`chapter ${chapterNumber} has no exercise "${after}" (its exercises: ${chapter.exercises.map((e) => e.id).join(", ")})`);
  const name = camelCase(id);
  const specFile = path.join(theCourse.root, theCourse.specFile(chapter.slug, id));
  if (fs.existsSync(specFile)) throw new ScaffoldError(`${theCourse.relative(specFile)} already exists`);
  const masterFile = theCourse.masterPath(chapter.slug);
  const index = registerIn(fs.readFileSync(theCourse.registryFile, "utf8"), chapter.slug, id, after);
  const master = insertCells(readNotebook(masterFile).json, id, name, after);
  fs.writeFileSync(specFile, specTemplate(id, name));
  fs.writeFileSync(theCourse.registryFile, index);
  writeNotebook(masterFile, master);
  return [specFile, theCourse.registryFile, masterFile].map((f) => theCourse.relative(f));
}

const USAGE = "Usage: npm run new-exercise -- <id> --chapter <n> [--after <id>]   (e.g. npm run new-exercise -- tanh --chapter 2 --after relu-prime)";

function main(argv: string[]): number {
  let id: string | undefined;
  let chapterNumber = NaN;
  let after: string | undefined;
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { chapter: { type: "string" }, after: { type: "string" } } });
    if (positionals.length === 1) id = positionals[0];
    chapterNumber = Number(values.chapter);
    after = values.after;
  } catch (e) {
    console.error(`new-exercise: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!id || !Number.isInteger(chapterNumber)) {
    console.error(USAGE);
    return 2;
  }
  try {
    const written = scaffold(course, id, chapterNumber, after);
    const chapter = course.chapters[chapterNumber - 1];
    console.log(`Scaffolded exercise ${id} in chapter ${chapterNumber} (${chapter.slug}):`);
    for (const f of written) console.log(`  ${f}`);
    const where = after ? `after the cells of ${after}` : "at the end";
    console.log(`
Next steps (docs/authoring.md has the details):
  1. Write the spec: exercises/${chapter.slug}/${id}.ts (title, points, hints, checks, mutants; no TODO left).
  2. npm run build, then write the explanation and the solution in solutions/${chapter.slug}.ipynb
     (its three new cells are ${where}; keep // BEGIN SOLUTION ... // END SOLUTION):
     npm run jupyter -- --authoring opens the masters, and check("${id}", …) judges the cell as you last ran it.
  3. npm run build && npm run build:notebooks   (compiles the spec, regenerates notebooks/)
  4. npm run validate                            (solution passes, stub scores 0, every mutant fails)`);
    return 0;
  } catch (e) {
    if (e instanceof ScaffoldError) {
      console.error(`new-exercise: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
