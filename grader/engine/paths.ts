// Where things are, whether this code runs compiled (dist/grader/...) or as
// TypeScript under Jest (grader/...).
//
// The course folder is found from this file's own location, never from the
// current folder, so the grader works wherever the learner's notebooks live.
// Finding it never throws: this module is imported by everything, including
// the notebooks' `backprop-lab`, and an exception at import time reaches the
// learner as a stack trace. Commands call courseProblem() first and print its
// one line instead.
import * as fs from "node:fs";
import * as path from "node:path";

const isDir = (p: string): boolean => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The folder above `start` that holds exercises/ and package.json (dist/ has exercises/ but no package.json). */
function findRoot(start: string): string | null {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (isDir(path.join(dir, "exercises")) && (isDir(path.join(dir, "solutions")) || fs.existsSync(path.join(dir, "package.json")))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

const found = findRoot(__dirname);
/** Our best guess when the course folder cannot be found: two levels above grader/engine. */
export const repoRoot = found ?? path.resolve(__dirname, "..", "..");
export const solutionsDir = path.join(repoRoot, "solutions");
export const notebooksDir = path.join(repoRoot, "notebooks");
export const cacheDir = path.join(repoRoot, "node_modules", ".cache", "backprop-lab");
/** The learner edition's public checks (built by `npm run build:learner`): there it stands in for solutions/. */
export const publishedFile = path.join(repoRoot, "exercises", "checks.json");

/**
 * Why the grader cannot work here, in one line, or null when it can. The
 * reference answers live in solutions/ (the instructor's course) or, in the
 * learner edition, the public checks in exercises/checks.json: without them
 * nothing can be graded.
 */
export function courseProblem(): string | null {
  if (!found) return `backprop-lab: cannot find the course folder (with exercises/ and solutions/) above ${__dirname}; run the grader from the course you cloned or unpacked`;
  if (fs.existsSync(publishedFile)) return null;
  if (!isDir(solutionsDir)) return `backprop-lab: the course folder ${repoRoot} has no solutions/ folder, which holds the reference answers the grader compares with; restore it (git checkout -- solutions, or unpack the course again)`;
  return null;
}
