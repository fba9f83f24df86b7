// bench/mutation-report.ts: the score it prints is Stryker's, and a survivor is
// explained only by an entry for that very mutation (module, mutator, code, replacement).
import * as fs from "node:fs";
import * as path from "node:path";
import { configuredModules, markdown, merged, MIN_SCORE, summarize, type MutationReport } from "../bench/mutation-report";
const root = path.resolve(__dirname, "..");

const source = "export function f(a: number) {\n  return a > 0 ? a : -a;\n}\n";
// Columns count from 1, as in Stryker's report.
const at = (line: number, start: number, end: number) => ({ start: { line, column: start + 1 }, end: { line, column: end + 1 } });
const report: MutationReport = {
  files: {
    "grader/engine/f.ts": {
      source,
      mutants: [
        { id: "1", mutatorName: "EqualityOperator", replacement: "a >= 0", location: at(2, 9, 14), status: "Survived" },
        { id: "2", mutatorName: "ConditionalExpression", replacement: "true", location: at(2, 9, 14), status: "Killed" },
        { id: "3", mutatorName: "UnaryOperator", replacement: "+a", location: at(2, 21, 23), status: "Timeout" },
        { id: "4", mutatorName: "BlockStatement", replacement: "{}", location: { start: { line: 1, column: 30 }, end: { line: 3, column: 2 } }, status: "NoCoverage" },
        { id: "5", mutatorName: "ConditionalExpression", replacement: "false", location: at(2, 9, 14), status: "CompileError" },
      ],
    },
  },
};
const zero = { file: "f.ts", mutator: "EqualityOperator", original: "a  >  0", replacement: "a >= 0", why: "at 0, a and -a are both 0" };

test("the score counts killed and timed-out mutants over all but errors and ignored ones", () => {
  const { modules, total, survivors } = summarize(report, []);
  expect(modules).toEqual([{ file: "grader/engine/f.ts", killed: 1, timeout: 1, survived: 1, noCoverage: 1, other: 1, score: 50 }]);
  expect(total.score).toBe(50);
  expect(survivors.map((s) => [s.line, s.original, s.replacement, s.status, s.why])).toEqual([
    [2, "a > 0", "a >= 0", "Survived", undefined],
    [1, "{\n  return a > 0 ? a : -a;\n}", "{}", "NoCoverage", undefined],
  ]);
});

test("an equivalent mutant is explained by its own entry only, wherever its line has moved", () => {
  expect(summarize(report, [zero]).survivors[0].why).toBe("at 0, a and -a are both 0");
  expect(summarize(report, [{ ...zero, file: "g.ts" }]).survivors[0].why).toBeUndefined();
  expect(summarize(report, [{ ...zero, mutator: "ConditionalExpression" }]).survivors[0].why).toBeUndefined();
  expect(summarize(report, [{ ...zero, replacement: "a > 1" }]).survivors[0].why).toBeUndefined();
  expect(summarize(report, [{ ...zero, original: "a < 0" }]).survivors[0].why).toBeUndefined();
  const moved = { files: { "grader/engine/f.ts": { ...report.files["grader/engine/f.ts"], source: "\n\n" + source, mutants: [{ ...report.files["grader/engine/f.ts"].mutants[0], location: at(4, 9, 14) }] } } };
  expect(summarize(moved, [zero]).survivors[0]).toMatchObject({ line: 4, why: "at 0, a and -a are both 0" });
});

test("the markdown lists each module, the total and every survivor, unexplained ones marked", () => {
  const text = markdown(summarize(report, [zero]), ["reports/mutation/mutation.json"]);
  // Killed only: 1 of 4.
  expect(text).toContain("| grader/engine/f.ts | 1 | 1 | 1 | 1 | 1 | 50.0% | 25.0% |");
  expect(text).toContain("| **all** | 1 | 1 | 1 | 1 | 1 | 50.0% | 25.0% |");
  expect(text).toContain("## Surviving mutants (2; 1 explained as equivalent, 1 not explained)");
  expect(text).toContain("| grader/engine/f.ts:2 | EqualityOperator | `` a > 0 `` | `` a >= 0 `` | at 0, a and -a are both 0 |");
  expect(text).toContain("| grader/engine/f.ts:1 | BlockStatement (not covered) |");
  expect(text).toContain("**not explained**");
  expect(text).toContain(`Bar: ${MIN_SCORE}%.`);
});

test("reports of single modules merge into one", () => {
  const other: MutationReport = { files: { "grader/engine/g.ts": { source: "x", mutants: [] } } };
  expect(Object.keys(merged([report, other]).files)).toEqual(["grader/engine/f.ts", "grader/engine/g.ts"]);
  expect(summarize(other).total.score).toBe(100);
});

test("modules configured but missing from the report are named", () => {
  const configured = configuredModules(fs.readFileSync(path.join(root, "stryker.config.mjs"), "utf8"));
  expect(configured).toEqual(["judge/compare", "judge/judge", "judge/explain", "judge/gradcheck", "judge/formula", "notebook/cells", "notebook/notebook", "judge/values"].map((m) => `grader/engine/${m}.ts`));
  const text = markdown(summarize(report, []), ["r.json"], ["grader/engine/f.ts", "grader/engine/g.ts"]);
  expect(text).toContain("**Not in this report** (configured, not measured in the runs it was made from): grader/engine/g.ts.");
  expect(markdown(summarize(report, []), ["r.json"], ["grader/engine/f.ts"])).not.toContain("Not in this report");
});
