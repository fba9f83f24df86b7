// One folder per `npm test` where the grader files the results of jobs it ran (see
// sharedFile in grader/engine/grade.ts): a fixture graded by several test files and CLI
// runs (the solutions, every mutant) runs once. Each distinct job still runs for real once
// per run; tests whose point is to run the same grading twice turn it off for themselves.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export default function globalSetup(): void {
  process.env.BACKPROP_LAB_SHARED_JOBS = fs.mkdtempSync(path.join(os.tmpdir(), "bp-shared-jobs-"));
}
