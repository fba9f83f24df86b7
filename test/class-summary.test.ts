// The class summary's counts of failed hidden checks: they tell an instructor which hidden
// property learners' attempts miss, so exercises nobody started must not fill them.
import { course } from "../exercises";
import type { ExerciseResult, Report } from "../grader/engine/judge/result";
import { summarize } from "../grader/report/class-summary";

const spec = course.specs[0];

function result(status: ExerciseResult["status"], hiddenLabels: string[]): ExerciseResult {
  return {
    id: spec.id,
    title: spec.title,
    chapter: course.chapters[0].slug,
    notebook: "nb.ipynb",
    points: spec.points,
    score: status === "passed" ? spec.points : 0,
    status,
    checks: { total: 10, passed: 10 - hiddenLabels.length, hidden: 5, hiddenFailed: hiddenLabels.length },
    failures: hiddenLabels.map((label) => ({ label, expected: "1", actual: "0", hidden: true })),
    hint: "",
    seed: 1,
    console: [],
  };
}

function report(r: ExerciseResult): Report {
  return { results: [r], problems: [], score: r.score, maxScore: spec.points, seed: 1 };
}

test("hidden checks that failed are counted over attempts only, not over exercises never started", () => {
  const s = summarize([spec], [
    { report: report(result("not-started", ["hidden case 1", "hidden case 2"])) },
    { report: report(result("not-started", ["hidden case 1"])) },
    { report: report(result("failed", ["hidden case 2"])) },
    { report: report(result("error", ["hidden case 2", "hidden case 3"])) },
    { report: report(result("passed", [])) },
  ]);
  expect(s.exercises[0].hiddenFailures).toEqual([
    { label: "hidden case 2", count: 2 },
    { label: "hidden case 3", count: 1 },
  ]);
  expect(s.exercises[0].passRate).toBeCloseTo(1 / 5, 12);
});
