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

/** Every exercise before `spec` in course order: what its cell may call, as reference versions. */
export function earlierSpecs(spec: ExerciseSpec): ExerciseSpec[] {
  const at = allSpecs.indexOf(spec);
  return at < 0 ? [] : allSpecs.slice(0, at);
}
