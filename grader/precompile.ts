// The last step of `npm run build`: compile the course's own cells (every master's exercise
// and given cells, the stubs of the learner notebooks, every declared mistake) into
// dist/compiled-course.json, which compile.ts reads before its cache. A first grading (a
// fresh clone, a Gradescope container, a cleared cache) then loads TypeScript only for cells
// a learner wrote. The table holds the masters' answers compiled: it is build output of the
// instructor's repository only (the learner edition's build does not make it).
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { expectedLearner } from "./build-notebooks";
import { exerciseSource, findExerciseCells } from "./engine/notebook/cells";
import { compileCell, compiledSoFar, SHIPPED_TABLE } from "./engine/compile/compile";
import { parseNotebook } from "./engine/notebook/notebook";
import { referencesOf } from "./engine/course/reference";

export function precompile(): number {
  // The references read and compile every master's exercise and given cells.
  referencesOf(course);
  for (const spec of course.specs) for (const source of Object.values(spec.mutants)) compileCell(exerciseSource(spec.id, source));
  for (const chapter of course.chapters) {
    const stubs = findExerciseCells(parseNotebook(expectedLearner(chapter.slug), course.learnerPath(chapter.slug)), chapter.exercises.map((e) => e.id));
    for (const found of stubs.byId.values()) compileCell(found.source);
  }
  const table = compiledSoFar();
  fs.mkdirSync(path.dirname(SHIPPED_TABLE), { recursive: true });
  const tmp = `${SHIPPED_TABLE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(table));
  fs.renameSync(tmp, SHIPPED_TABLE);
  return Object.keys(table).length;
}

if (require.main === module) {
  const n = precompile();
  console.log(`compiled ${n} course cells into ${path.relative(process.cwd(), SHIPPED_TABLE)}`);
}
