// The course as the grader sees it: chapters in order, each with its exercise
// specs, read from the registry in exercises/index.ts.
import { chapters, FORMAT_VERSION, type Chapter } from "../../exercises";
import type { ExerciseSpec } from "./spec";

export { chapters, FORMAT_VERSION, type Chapter };

export const allSpecs: ExerciseSpec[] = chapters.flatMap((c) => c.exercises);

export function specById(id: string): ExerciseSpec | undefined {
  return allSpecs.find((s) => s.id === id);
}

export function chapterOf(id: string): Chapter | undefined {
  return chapters.find((c) => c.exercises.some((e) => e.id === id));
}

export function chapterBySlug(slug: string): Chapter | undefined {
  return chapters.find((c) => c.slug === slug);
}

/** An exercise's needs, and theirs, in course order (the order their cells run in). */
export function needsClosure(spec: ExerciseSpec): ExerciseSpec[] {
  const wanted = new Set<string>();
  const visit = (s: ExerciseSpec): void => {
    for (const id of s.needs ?? []) {
      if (wanted.has(id)) continue;
      const dep = specById(id);
      if (!dep) throw new Error(`exercise ${s.id} needs unknown exercise ${id}`);
      wanted.add(id);
      visit(dep);
    }
  };
  visit(spec);
  return allSpecs.filter((s) => wanted.has(s.id));
}
