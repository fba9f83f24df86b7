// The course as the engine sees it: chapters in order, each with its exercise
// specs in order, and the folder it lives in. The engine never imports the
// course (exercises/index.ts builds one and whoever runs the engine hands it
// in); this model owns what every part must agree on: the id rule, which file
// holds which spec, and every path of the course (solutions/, notebooks/,
// exercises/, assets/). No other module knows where a course's files are, so a
// course in another folder is graded from there.
import * as fs from "node:fs";
import * as path from "node:path";
import type { AnswerKey } from "./answer-key";
import { findCourseRoot } from "../paths";
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

const isDir = (p: string): boolean => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

export class Course {
  /** Every exercise, in course order. */
  readonly specs: ExerciseSpec[];

  constructor(
    /** The course folder: every path below is in it. */
    readonly root: string,
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

  /** The same course with another answer key (check() in a master: the cells as last run). */
  withKey(key: AnswerKey): Course {
    return new Course(this.root, this.chapters, this.formatVersion, key);
  }

  /** The same chapters and answer key, the files in `root` instead (a copy of the course). */
  at(root: string): Course {
    return new Course(path.resolve(root), this.chapters, this.formatVersion, this.key);
  }

  /** The solved masters: the reference answers. */
  get solutionsDir(): string {
    return path.join(this.root, "solutions");
  }

  /** What learners open, generated from the masters. */
  get notebooksDir(): string {
    return path.join(this.root, "notebooks");
  }

  get exercisesDir(): string {
    return path.join(this.root, "exercises");
  }

  /** Figures a master links (../assets/x.svg); build-notebooks embeds them. */
  get assetsDir(): string {
    return path.join(this.root, "assets");
  }

  /** The registry: exercises/index.ts (new-exercise adds ids to it). */
  get registryFile(): string {
    return path.join(this.exercisesDir, "index.ts");
  }

  /** The learner edition's public checks (built by `npm run build:learner`): there it stands in for solutions/. */
  get publishedFile(): string {
    return publishedFileIn(this.root);
  }

  /** Hashes of the learner notebooks build-notebooks wrote (build-notebooks.ts). */
  get generatedRecord(): string {
    return path.join(this.solutionsDir, ".generated-notebooks.json");
  }

  masterPath(slug: string): string {
    return path.join(this.solutionsDir, `${slug}.ipynb`);
  }

  learnerPath(slug: string): string {
    return path.join(this.notebooksDir, `${slug}.ipynb`);
  }

  /** The spec file of an exercise, relative to the course folder: the id rule, in one place. */
  specFile(slug: string, id: string): string {
    return `exercises/${slug}/${id}.ts`;
  }

  /** The course path of `file` for messages ("solutions/01-forward-pass.ipynb"), or `file` when it is elsewhere. */
  relative(file: string): string {
    const rel = path.relative(this.root, file);
    return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel.split(path.sep).join("/");
  }

  /**
   * Why nothing can be graded with this course, in one line, or null when it can.
   * The reference answers live in solutions/ (the instructor's course) or, in the
   * learner edition, in the public checks of exercises/checks.json.
   */
  problem(): string | null {
    if (this.key || fs.existsSync(this.publishedFile)) return null;
    if (!isDir(this.solutionsDir)) return `backprop-lab: the course folder ${this.root} has no solutions/ folder, which holds the reference answers the grader compares with; restore it (git checkout -- solutions, or unpack the course again)`;
    return null;
  }
}

/** Where a course folder keeps the learner edition's public checks. */
export function publishedFileIn(root: string): string {
  return path.join(root, "exercises", "checks.json");
}

/** The course folder of a registry compiled or not (exercises/ or dist/exercises/): never throws, guesses when none is found. */
export function courseRootOf(registryDir: string): string {
  return findCourseRoot(registryDir) ?? path.resolve(registryDir, "..");
}

/**
 * Build the course from the registry's ids; `load(slug, id)` reads the spec
 * file `exercises/<slug>/<id>.ts`. A spec whose id is not its file name is a
 * course bug, found here, before anything is graded.
 */
export function makeCourse(root: string, formatVersion: number, entries: ChapterEntry[], load: (slug: string, id: string) => ExerciseSpec): Course {
  const chapters = entries.map((e) => ({
    slug: e.slug,
    title: e.title,
    exercises: e.ids.map((id) => {
      const spec = load(e.slug, id);
      if (spec.id !== id) throw new Error(`exercises/${e.slug}/${id}.ts defines the exercise "${spec.id}": a spec file is named after its id`);
      return spec;
    }),
  }));
  return new Course(root, chapters, formatVersion);
}
