// The build ships the course's own cells compiled (grader/precompile.ts), so a first grading
// loads no compiler for them: a Gradescope container or a fresh clone grades cold at the
// speed of a warm cache.
import * as fs from "node:fs";
import { course } from "../exercises";
import { expectedLearner } from "../grader/build-notebooks";
import { exerciseSource, findExerciseCells, givenCells } from "../grader/engine/notebook/cells";
import { cacheKey, SHIPPED_TABLE } from "../grader/engine/compile/compile";
import { cacheDir } from "../grader/engine/paths";
import { parseNotebook, readNotebook } from "../grader/engine/notebook/notebook";
import { precompile } from "../grader/precompile";

/** Every cell of the course a grading compiles that is not a learner's own: masters' exercise and given cells, stubs, declared mistakes. */
function courseCells(): { what: string; source: string }[] {
  const cells: { what: string; source: string }[] = [];
  for (const chapter of course.chapters) {
    const ids = chapter.exercises.map((e) => e.id);
    const master = readNotebook(course.masterPath(chapter.slug));
    for (const [id, c] of findExerciseCells(master, ids).byId) cells.push({ what: `${chapter.slug} master cell of ${id}`, source: c.source });
    for (const c of givenCells(master)) cells.push({ what: `${chapter.slug} given cell ${c.number}`, source: c.source });
    const stubs = parseNotebook(expectedLearner(chapter.slug), course.learnerPath(chapter.slug));
    for (const [id, c] of findExerciseCells(stubs, ids).byId) cells.push({ what: `${chapter.slug} stub of ${id}`, source: c.source });
  }
  for (const spec of course.specs) for (const [label, source] of Object.entries(spec.mutants)) cells.push({ what: `${spec.id} mistake "${label}"`, source: exerciseSource(spec.id, source) });
  return cells;
}

test("the build's table holds every course cell, compiled", () => {
  precompile();
  const table = JSON.parse(fs.readFileSync(SHIPPED_TABLE, "utf8")) as Record<string, { ok: boolean }>;
  const cells = courseCells();
  expect(cells.length).toBeGreaterThan(300);
  expect(cells.filter((c) => !table[cacheKey(c.source)]).map((c) => c.what)).toEqual([]);
  expect(cells.filter((c) => !table[cacheKey(c.source)].ok).map((c) => c.what)).toEqual([]);
});

test("compiling a course cell reads the table first: no compiler, no cache file", () => {
  precompile();
  jest.isolateModules(() => {
    jest.doMock("../grader/engine/compile/transpile", () => ({
      transpileSafely: () => {
        throw new Error("the compiler was loaded for a course cell");
      },
    }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs = require("node:fs") as typeof fs;
    const reads = jest.spyOn(nodeFs, "readFileSync");
    const writes = jest.spyOn(nodeFs, "writeFileSync");
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { compileCell } = require("../grader/engine/compile/compile") as typeof import("../grader/engine/compile/compile");
      for (const c of courseCells()) expect([c.what, compileCell(c.source).ok]).toEqual([c.what, true]);
      const cacheFiles = [...reads.mock.calls, ...writes.mock.calls].map((call) => String(call[0])).filter((f) => f.startsWith(cacheDir));
      expect(cacheFiles).toEqual([]);
    } finally {
      reads.mockRestore();
      writes.mockRestore();
    }
  });
});
