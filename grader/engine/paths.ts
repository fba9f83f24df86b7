// Where this grader program is installed: its caches and compiled files, found
// from this file's own location (grader/engine under Jest, dist/grader/engine
// compiled). These belong to the program, not to a course: every path of a
// course (solutions/, notebooks/, exercises/, assets/) is the Course's
// (course.ts), and is handed to the engine with it.
import * as fs from "node:fs";
import * as path from "node:path";

const isDir = (p: string): boolean => {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/**
 * The course folder at or above `start` (exercises/ next to solutions/ or a
 * package.json; a compiled dist/ has exercises/ and neither), or null. Never
 * throws: the registry calls it at import time, and the notebooks import that.
 */
export function findCourseRoot(start: string): string | null {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (isDir(path.join(dir, "exercises")) && (isDir(path.join(dir, "solutions")) || fs.existsSync(path.join(dir, "package.json")))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/** The package folder holding this grader (its package.json and node_modules/). */
export const installRoot = findCourseRoot(__dirname) ?? path.resolve(__dirname, "..", "..");
/** Compiled cells and formulas, by content hash: shared by every course this grader grades. */
export const cacheDir = path.join(installRoot, "node_modules", ".cache", "backprop-lab");
