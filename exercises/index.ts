// The course registry: chapters in order, each with its exercises in order.
// Ids are unique across the course; notebooks are `notebooks/<slug>.ipynb`,
// their solved masters `solutions/<slug>.ipynb`.
import type { ExerciseSpec } from "../grader/engine/spec";
import weightedSum from "./01-forward-pass/weighted-sum";
import sigmoid from "./01-forward-pass/sigmoid";
import activation from "./01-forward-pass/activation";
import cost from "./01-forward-pass/cost";
import forward from "./01-forward-pass/forward";

export const FORMAT_VERSION = 1;

export interface Chapter {
  slug: string;
  title: string;
  exercises: ExerciseSpec[];
}

export const chapters: Chapter[] = [
  {
    slug: "01-forward-pass",
    title: "The forward pass of a 1-1-1 network",
    exercises: [weightedSum, sigmoid, activation, cost, forward],
  },
];
