// `npm run new-exercise -- <id> --chapter <n>`: scaffold everything an exercise
// needs, then say what to do next. Writes the spec (cases, points, hints,
// mutants to fill in), registers it, and appends the explanation, exercise and
// check cells to the chapter's master notebook. Refuses to overwrite anything.
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { ID_RULE } from "./engine/course";
import { repoRoot, solutionsDir } from "./engine/paths";
import { serializeNotebook, toLines } from "./strip";

export class ScaffoldError extends Error {}

export function camelCase(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function specTemplate(id: string, name: string): string {
  return `import { call, exercise, expectValue, randomCases } from "../../grader/engine/spec";
import { normal } from "../../grader/engine/rng";

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

/** Add the id to the chapter's list in exercises/index.ts, after its last exercise (specs are found from their ids). */
export function registerIn(indexText: string, slug: string, id: string): string {
  const block = new RegExp(`(slug: "${slug}",[\\s\\S]*?ids: \\[)([^\\]]*)(\\])`);
  const m = block.exec(indexText);
  if (!m) throw new ScaffoldError(`could not find chapter ${slug}'s ids list in exercises/index.ts`);
  return indexText.replace(block, `$1${m[2].trimEnd()}, ${JSON.stringify(id)}$3`);
}

interface RawNotebook {
  cells: Record<string, unknown>[];
}

export function appendCells(masterText: string, id: string, name: string): string {
  const nb = JSON.parse(masterText) as RawNotebook;
  const n = nb.cells.length;
  const cell = (type: "markdown" | "code", source: string, k: number) =>
    type === "code" ? { cell_type: "code", execution_count: null, id: `${id}-${n + k}`, metadata: {}, outputs: [], source: toLines(source) } : { cell_type: "markdown", id: `${id}-${n + k}`, metadata: {}, source: toLines(source) };
  nb.cells.push(
    cell("markdown", `## TODO: a title\n\nTODO: explain the idea in a few sentences, with the formula in $...$.\n\n**Exercise \`${id}\`.** TODO: say what \`${name}\` should do.`, 1),
    cell("code", `// exercise: ${id}\nfunction ${name}(x: number): number {\n  // BEGIN SOLUTION\n  return x * x;\n  // END SOLUTION\n}`, 2),
    cell("code", `check("${id}", ${name});`, 3),
  );
  return serializeNotebook(nb);
}

export function scaffold(id: string, chapterNumber: number, root = repoRoot): string[] {
  if (!ID_RULE.test(id)) throw new ScaffoldError(`"${id}" is not a kebab-case id (e.g. tanh-prime)`);
  if (course.spec(id)) throw new ScaffoldError(`exercise "${id}" already exists`);
  const chapter = course.chapters[chapterNumber - 1];
  if (!chapter) throw new ScaffoldError(`there is no chapter ${chapterNumber} (chapters: ${course.chapters.map((c, i) => `${i + 1} = ${c.slug}`).join(", ")})`);
  const name = camelCase(id);
  const specFile = path.join(root, course.specFile(chapter.slug, id));
  if (fs.existsSync(specFile)) throw new ScaffoldError(`${path.relative(root, specFile)} already exists`);
  const indexFile = path.join(root, "exercises", "index.ts");
  const masterFile = root === repoRoot ? path.join(solutionsDir, `${chapter.slug}.ipynb`) : path.join(root, "solutions", `${chapter.slug}.ipynb`);
  const index = registerIn(fs.readFileSync(indexFile, "utf8"), chapter.slug, id);
  const master = appendCells(fs.readFileSync(masterFile, "utf8"), id, name);
  fs.writeFileSync(specFile, specTemplate(id, name));
  fs.writeFileSync(indexFile, index);
  fs.writeFileSync(masterFile, master);
  return [specFile, indexFile, masterFile].map((f) => path.relative(root, f));
}

function main(argv: string[]): number {
  const id = argv.find((a) => !a.startsWith("-") && argv[argv.indexOf(a) - 1] !== "--chapter");
  const at = argv.indexOf("--chapter");
  const chapterNumber = at >= 0 ? Number(argv[at + 1]) : NaN;
  if (!id || !Number.isInteger(chapterNumber)) {
    console.error("Usage: npm run new-exercise -- <id> --chapter <n>   (e.g. npm run new-exercise -- tanh --chapter 2)");
    return 2;
  }
  try {
    const written = scaffold(id, chapterNumber);
    const chapter = course.chapters[chapterNumber - 1];
    console.log(`Scaffolded exercise ${id} in chapter ${chapterNumber} (${chapter.slug}):`);
    for (const f of written) console.log(`  ${f}`);
    console.log(`
Next steps (docs/authoring.md has the details):
  1. Write the spec: exercises/${chapter.slug}/${id}.ts (title, points, hints, checks, mutants; no TODO left).
  2. Write the explanation and the solution at the end of solutions/${chapter.slug}.ipynb
     (move the three new cells where they belong; keep // BEGIN SOLUTION ... // END SOLUTION).
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
