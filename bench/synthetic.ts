// A synthetic class for the class-grading test and benchmark: solved,
// partly solved, untouched, wrong, broken and hostile submissions, each solved
// cell made unique (as real learners' code is) so nothing is graded for free.
import * as fs from "node:fs";
import * as path from "node:path";
import { exerciseSource, markedId } from "../grader/engine/notebook/cells";
import { parseNotebook, readNotebook, serializeNotebook, sourceText, withSource, type NotebookJson } from "../grader/engine/notebook/notebook";
import { course } from "../exercises";
import { expectedLearner } from "../grader/build-notebooks";

/**
 * "hostile" pastes the same four attacks as other hostile learners (so a class run reuses their
 * outcomes); "hostile-unique" writes its endless loops (the plain loop and the memory hog) with
 * its own text, so every one of them must run.
 */
export type Kind = "solved" | "partial" | "untouched" | "wrong" | "broken" | "hostile" | "hostile-unique";

export const KINDS: Kind[] = ["solved", "partial", "untouched", "wrong", "broken", "hostile", "hostile-unique"];

/** The mix: mostly real attempts, some broken or hostile ones. */
export const MIX: Kind[] = ["solved", "solved", "solved", "partial", "partial", "untouched", "wrong", "wrong", "broken", "hostile"];

/** Issue 19's class: of every 10, 4 solved, 2 untouched, 2 wrong, 1 broken, 1 hostile whose endless loops are all different. */
export const MIX_HOSTILE: Kind[] = ["solved", "solved", "solved", "solved", "untouched", "untouched", "wrong", "wrong", "broken", "hostile-unique"];

const HOSTILE = [
  "function __NAME__(...args: unknown[]): never {\n  while (true) {}\n}",
  "process.exit(0);",
  "const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(2e7).fill(1.5));",
  "Math.exp = () => 0;\nJSON.stringify = () => '{\"ok\":true}';\nthrow new Error('boom');",
];

/**
 * How learners' cells differ. "own": every learner's cell is its own code (a statement of its
 * own is added), so nothing is graded for free, as with real answers. "pasted": a cell the
 * learner did not change compiles like everyone else's (only a comment is added, and the
 * compiler drops comments), so identical cells are graded once for the class. Either way the
 * hostile-unique learners' endless loops are each their own code.
 */
export type Cells = "own" | "pasted";

const mark = (index: number, cells: Cells): string => (cells === "own" ? `void "learner ${index}";` : `// learner ${index}`);

/** Write learner `index`'s copy of the course into `dir` (its kind from `mix`); returns its kind. */
export function writeSubmission(dir: string, index: number, mix: Kind[] = MIX, cells: Cells = "own"): Kind {
  const kind = mix[index % mix.length];
  fs.mkdirSync(dir, { recursive: true });
  course.chapters.forEach((chapter, ci) => {
    const solved = readNotebook(course.masterPath(chapter.slug)).json;
    // The stubs as the course ships them (what the master produces), never a learner's working copy.
    const stub = parseNotebook(expectedLearner(chapter.slug), course.learnerPath(chapter.slug)).json;
    const out: NotebookJson = structuredClone(kind === "untouched" ? stub : solved);
    let exerciseNo = 0;
    out.cells = out.cells.map((cell, i) => {
      const text = sourceText(cell);
      const id = cell.cell_type === "code" ? markedId(text) : undefined;
      if (id === undefined) return cell;
      const spec = chapter.exercises.find((s) => s.id === id)!;
      const n = exerciseNo++;
      // Each learner's answer differs, as real answers do (see mark).
      let source = text;
      if (kind === "solved") source = `${text}\n${mark(index, cells)}`;
      if (kind === "partial") source = n % 2 === 0 ? `${text}\n${mark(index, cells)}` : sourceText(stub.cells[i]);
      if (kind === "wrong") {
        const mutants = Object.values(spec.mutants);
        source = n % 3 === 0 ? exerciseSource(id, `${mutants[index % mutants.length]}\n${mark(index, cells)}`) : `${text}\n${mark(index, cells)}`;
      }
      const hostile = kind === "hostile" || kind === "hostile-unique";
      if (hostile && n === ci % 3) {
        const attack = (index + ci) % HOSTILE.length;
        // Another learner's loop is other code: nothing of it can be reused.
        const own = kind === "hostile-unique" && (attack === 0 || attack === 2) ? `\n${mark(index, "own")}` : "";
        source = exerciseSource(id, `${HOSTILE[attack].replace("__NAME__", spec.defines[0])}${own}`);
      }
      if (hostile && n !== ci % 3) source = `${text}\n${mark(index, cells)}`;
      if (kind === "broken" && ci === 1 && n === 0) source = exerciseSource(id, "function (((");
      if (kind === "broken" && ci === 2 && n === 0) source = text.replace(exerciseSource(id, ""), "");
      if (kind === "broken" && n > 0) source = `${text}\n${mark(index, cells)}`;
      return source === text ? cell : withSource(cell, source);
    });
    const file = path.join(dir, `${chapter.slug}.ipynb`);
    // Broken on purpose: a truncated file (invalid JSON) and an empty one.
    if (kind === "broken" && ci === 0) fs.writeFileSync(file, JSON.stringify(out).slice(0, 300));
    else if (kind === "broken" && ci === 3) fs.writeFileSync(file, "");
    else fs.writeFileSync(file, serializeNotebook(out));
  });
  return kind;
}

export function writeClass(dir: string, size: number, mix: Kind[] = MIX, cells: Cells = "own"): Kind[] {
  return Array.from({ length: size }, (_, i) => writeSubmission(path.join(dir, `learner-${String(i + 1).padStart(3, "0")}`), i, mix, cells));
}
