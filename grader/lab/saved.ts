// A chapter's exercise cells as saved in its notebook file: the notebook next
// to the kernel (Jupyter starts it in the notebook's folder), else the
// course's notebooks/. Read through the notebook model, again whenever the
// file changes (the learner saves).
import * as fs from "node:fs";
import * as path from "node:path";
import { findExerciseCells } from "../engine/notebook/cells";
import type { Course } from "../engine/course/course";
import { readNotebook } from "../engine/notebook/notebook";

/** Where a chapter's notebook is: next to the running one, else notebooks/. */
export function chapterNotebook(course: Course, slug: string): string | undefined {
  return [path.join(process.cwd(), `${slug}.ipynb`), course.learnerPath(slug)].find((f) => fs.existsSync(f));
}

const saved = new Map<string, { mtimeMs: number; cells: Map<string, string> }>();

/** Exercise `id`'s notebook file and its cell there as saved (source undefined: no such cell, or unreadable). */
export function savedCell(course: Course, id: string): { file: string; source: string | undefined } | undefined {
  const chapter = course.chapterOf(id);
  const file = chapter && chapterNotebook(course, chapter.slug);
  if (!file) return undefined;
  try {
    const mtimeMs = fs.statSync(file).mtimeMs;
    let known = saved.get(file);
    if (!known || known.mtimeMs !== mtimeMs) {
      const found = findExerciseCells(readNotebook(file), course.specs.map((s) => s.id));
      known = { mtimeMs, cells: new Map([...found.byId].map(([k, c]) => [k, c.source] as const)) };
      saved.set(file, known);
    }
    return { file, source: known.cells.get(id) };
  } catch {
    return { file, source: undefined };
  }
}
