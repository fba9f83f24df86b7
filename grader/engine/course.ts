// The course as the engine sees it: chapters in order, each with its exercise
// specs in order. The engine never imports the course (exercises/index.ts
// builds one and whoever runs the engine hands it in); this model owns what
// every part must agree on: the id rule, which file holds which spec, and
// where each chapter's notebooks live.
import * as path from "node:path";
import type { AnswerKey } from "./answer-key";
import { notebooksDir, solutionsDir } from "./paths";
import type { ExerciseSpec } from "./spec";

/** Exercise ids are kebab-case: the id is the spec's file name and the cell's marker. */
export const ID_RULE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Chapter slugs sort in course order: 01-forward-pass, 02-chain-rule ... */
export const SLUG_RULE = /^\d\d-[a-z0-9-]+$/;

export interface Chapter {
  slug: string;
  title: string;
  exercises: ExerciseSpec[];
}

/** A chapter as the registry writes it: ids only; the specs are found from them. */
export interface ChapterEntry {
  slug: string;
  title: string;
  ids: string[];
}

export class Course {
  /** Every exercise, in course order. */
  readonly specs: ExerciseSpec[];

  constructor(
    readonly chapters: Chapter[],
    readonly formatVersion: number,
    /**
     * Where expected answers come from when it is not the solved masters in solutions/:
     * the learner edition's published data (published.ts). Absent: the instructor's course.
     */
    readonly key?: AnswerKey,
  ) {
    this.specs = chapters.flatMap((c) => c.exercises);
  }

  spec(id: string): ExerciseSpec | undefined {
    return this.specs.find((s) => s.id === id);
  }

  chapterOf(id: string): Chapter | undefined {
    return this.chapters.find((c) => c.exercises.some((e) => e.id === id));
  }

  chapter(slug: string): Chapter | undefined {
    return this.chapters.find((c) => c.slug === slug);
  }

  /** Every exercise before `spec`: what its cell may call (as reference versions). */
  earlier(spec: ExerciseSpec): ExerciseSpec[] {
    // By id: a spec rebuilt from the same exercise (the learner edition's, while publishing) has the same place.
    const at = this.specs.findIndex((s) => s.id === spec.id);
    return at < 0 ? [] : this.specs.slice(0, at);
  }

  /** The chapters up to and including the one holding `spec`. */
  chaptersThrough(spec: ExerciseSpec): Chapter[] {
    const chapter = this.chapterOf(spec.id);
    return chapter ? this.chapters.slice(0, this.chapters.indexOf(chapter) + 1) : [];
  }

  masterPath(slug: string): string {
    return path.join(solutionsDir, `${slug}.ipynb`);
  }

  learnerPath(slug: string): string {
    return path.join(notebooksDir, `${slug}.ipynb`);
  }

  /** The spec file of an exercise, relative to the course folder: the id rule, in one place. */
  specFile(slug: string, id: string): string {
    return `exercises/${slug}/${id}.ts`;
  }
}

/**
 * Build the course from the registry's ids; `load(slug, id)` reads the spec
 * file `exercises/<slug>/<id>.ts`. A spec whose id is not its file name is a
 * course bug, found here, before anything is graded.
 */
export function makeCourse(formatVersion: number, entries: ChapterEntry[], load: (slug: string, id: string) => ExerciseSpec): Course {
  const chapters = entries.map((e) => ({
    slug: e.slug,
    title: e.title,
    exercises: e.ids.map((id) => {
      const spec = load(e.slug, id);
      if (spec.id !== id) throw new Error(`exercises/${e.slug}/${id}.ts defines the exercise "${spec.id}": a spec file is named after its id`);
      return spec;
    }),
  }));
  return new Course(chapters, formatVersion);
}
