// Where things are, whether this code runs compiled (dist/grader/...) or as
// TypeScript under Jest (grader/...).
import * as fs from "node:fs";
import * as path from "node:path";

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, "exercises")) && fs.existsSync(path.join(dir, "solutions"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`backprop-lab: cannot find the course folder above ${start}`);
    dir = up;
  }
}

export const repoRoot = findRoot(__dirname);
export const solutionsDir = path.join(repoRoot, "solutions");
export const notebooksDir = path.join(repoRoot, "notebooks");
export const assetsDir = path.join(repoRoot, "assets");
export const cacheDir = path.join(repoRoot, "node_modules", ".cache", "backprop-lab");
