// What a course imports from the engine, in one place: exercises/ (specs, their
// helpers, the public judges, the registry) imports the engine from here only,
// never from the stage folders, so the engine's files can move without touching
// the course. Only re-exports: each name is defined in its stage's module.

// Writing a spec: the exercise, its probes and checks (course/spec.ts).
export { exercise, call, read, watched, linked, expectValue, matchesReference, randomCases, relation, formula, sameObjectsCall } from "./course/spec";
export type { ExerciseSpec, Check, Case, RandomCheck, Answer, Failure, PublicJudge } from "./course/spec";
// Gradient checks by centred differences (judge/gradcheck.ts).
export { gradientCheck, slopeCheck } from "./judge/gradcheck";
export type { GradientSpec } from "./judge/gradcheck";

// Seeded randomness: every case, shuffle and initialisation replays from its seed (course/rng.ts).
export { makeRng, normal, uniform, randomInt, shuffled } from "./course/rng";
export type { Rng } from "./course/rng";

// Values as a check sees them (judge/values.ts) and the probes that produce them (judge/outcome.ts).
export { FnArg } from "./judge/values";
export type { Arg, Plain } from "./judge/values";
export type { Probe } from "./judge/outcome";
// Comparing and showing them, for judges (judge/compare.ts, tolerance.ts, show.ts).
export { compare } from "./judge/compare";
export { closeEnough, DEFAULT_TOLERANCE, QUOTED_4_DECIMALS } from "./judge/tolerance";
export type { Tolerance } from "./judge/tolerance";
export { show } from "./judge/show";
// A public judge's parameters, stored as data in the learner edition (course/public-check.ts).
export type { PublicParam } from "./course/public-check";

// The plain shape of a network and σ (course/network.ts).
export { layerSizes, sigma } from "./course/network";
export type { Network, Gradients } from "./course/network";

// The registry: exercises/index.ts builds the course from its chapters (course/course.ts); a
// learner edition's registry reads the published checks instead (course/published.ts).
export { courseRootOf, makeCourse, publishedFileIn } from "./course/course";
export { publishedCourse, readPublished } from "./course/published";
