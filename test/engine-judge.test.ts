// judge.ts and explain.ts on hand-made exercises: probe outcomes in, a verdict
// out (status, score, counts, the failures shown and in which order, the input
// to paste, the likely cause and the hint). Pure functions, so every outcome
// here is written by hand and every expectation follows from the rules the
// README states, not from a run of the grader.
import { DEFAULT_SEED } from "../grader/engine/course/cases";
import { ALIKE, explain, judgeCase, mutationFailure, type MistakeRun } from "../grader/engine/judge/explain";
import { describeOutcome, GENERAL_NEXT_STEP, judge, resultBase, withStatus, type Ran } from "../grader/engine/judge/judge";
import type { Outcome } from "../grader/engine/judge/outcome";
import { call, expectValue, matchesReference, relation, watched, type Answer, type Case, type ExerciseSpec } from "../grader/engine/course/spec";
import { FnArg, FunctionValue, Unreadable, type Plain } from "../grader/engine/judge/values";

const spec: ExerciseSpec = {
  id: "double",
  title: "Doubling",
  points: 3,
  defines: ["double"],
  hints: ["write double", "check each step"],
  checks: [],
  mutants: {},
  mistakeHints: { "adds instead of multiplying": "× not +" },
};
const where = { chapter: "ch", notebook: "nb.ipynb", cell: 4, seed: DEFAULT_SEED };

const ok = (value: Outcome extends infer O ? (O extends { status: "ok"; value: infer V } ? V : never) : never, mutated = false): Outcome => ({ status: "ok", value, mutated });
const threw = (name: string, message: string, line?: number): Outcome => ({ status: "threw", error: { name, message, ...(line ? { line } : {}) } });
const notDone: Outcome = threw("NotDoneYet", "todo");
const ran = (outcomes: Outcome[], cellError: Outcome | null = null): Ran => ({ cellError, outcomes, console: ["printed"] });

/** double(x) = 2x, on these inputs, as checks with the value written in the spec. */
const doubles = (...xs: number[]): Case[] => xs.map((x) => expectValue(call("double", x), 2 * x));

describe("judge: the verdict", () => {
  test("every check passed: full points, counts, where", () => {
    const r = judge(spec, doubles(1, 2), ran([ok(2), ok(4)]), null, where);
    expect(r).toMatchObject({ id: "double", title: "Doubling", chapter: "ch", notebook: "nb.ipynb", cell: 4, seed: DEFAULT_SEED, status: "passed", score: 3, points: 3, console: ["printed"] });
    expect(r.checks).toEqual({ total: 2, passed: 2, hidden: 0, hiddenFailed: 0 });
    expect(r.failures).toEqual([]);
    expect(r.likelyCause).toBeUndefined();
    expect(r.problem).toBeUndefined();
  });

  // A wrong answer where 0 is expected: no factor can explain it, so no cause is named.
  test("one check failed: no points, the failure with its input and values, the general hint", () => {
    const r = judge(spec, doubles(1, 0), ran([ok(2), ok(5)]), null, where);
    expect(r.status).toBe("failed");
    expect(r.score).toBe(0);
    expect(r.checks).toEqual({ total: 2, passed: 1, hidden: 0, hiddenFailed: 0 });
    expect(r.failures).toEqual([{ label: "double(0)", expected: "0", actual: "5", hidden: undefined, input: "double(0)" }]);
    expect(r.likelyCause).toBeUndefined();
    expect(r.hint).toBe("check each step");
    // No problem and no line: not even as keys holding undefined.
    expect(r).not.toHaveProperty("problem");
    expect(r).not.toHaveProperty("line");
  });

  test("without a second hint, the general next step", () => {
    const r = judge({ ...spec, hints: ["write double"] }, doubles(1, 0), ran([ok(2), ok(5)]), null, where);
    expect(r.hint).toBe(GENERAL_NEXT_STEP);
    expect(GENERAL_NEXT_STEP).toBe("Take the smallest failing input above, work the answer out by hand (or print each intermediate value with console.log in a cell) and find the first step where your numbers part from the expected ones.");
  });

  test("the smallest failing input first, hidden failures last, at most three shown", () => {
    const cases = [
      expectValue(call("double", [1, 2, 3, 4, 5, 6]), 0),
      expectValue(call("double", [1]), 0, { hidden: true }),
      expectValue(call("double", [1, 2, 3]), 0),
      expectValue(call("double", [1, 2]), 0),
      expectValue(call("double", [9, 9, 9, 9]), 0),
    ];
    const r = judge(spec, cases, ran(cases.map(() => ok(1))), null, where);
    expect(r.failures.map((f) => f.label)).toEqual(["double([1, 2])", "double([1, 2, 3])", "double([9, 9, 9, 9])"]);
    expect(r.checks).toEqual({ total: 5, passed: 0, hidden: 1, hiddenFailed: 1 });
    // Sizes ignore the digits: [9, 9, 9, 9] is longer than [1, 2, 3] however the numbers are written.
    const wide = [expectValue(call("double", [123456789, 2]), 0), expectValue(call("double", [1, 2, 3]), 0)];
    expect(judge(spec, wide, ran([ok(1), ok(1)]), null, where).failures.map((f) => f.label)).toEqual(["double([123456789, 2])", "double([1, 2, 3])"]);
  });

  test("a hidden failure is shown without its input", () => {
    const cases = [expectValue(call("double", 1), 2, { hidden: true }), ...doubles(2)];
    const r = judge(spec, cases, ran([ok(3), ok(4)]), null, where);
    expect(r.failures).toEqual([{ label: "double(1)", expected: "2", actual: "3", hidden: true }]);
    expect(r.checks).toEqual({ total: 2, passed: 1, hidden: 1, hiddenFailed: 1 });
  });

  test("a long input is rebuilt with caseInput, naming the case and any seed but the public one", () => {
    const long = Array.from({ length: 200 }, (_, i) => i + 0.5);
    const cases = [...doubles(1), expectValue(call("double", long), 0)];
    const r = judge(spec, cases, ran([ok(2), ok(1)]), null, where);
    expect(r.failures[0].input).toBe('import { caseInput } from "backprop-lab"; double(...caseInput("double", 2))');
    const seeded = judge(spec, cases, ran([ok(2), ok(1)]), null, { ...where, seed: 7 });
    expect(seeded.failures[0].input).toBe('import { caseInput } from "backprop-lab"; double(...caseInput("double", 2, 7))');
    // Up to 400 characters the call itself is shown.
    const fits = [expectValue(call("double", "x".repeat(400 - "double()".length - 2)), 0)];
    expect(judge(spec, fits, ran([ok(1)]), null, where).failures[0].input).toHaveLength(400);
    const over = [expectValue(call("double", "x".repeat(400 - "double()".length - 1)), 0)];
    expect(judge(spec, over, ran([ok(1)]), null, where).failures[0].input).toMatch(/caseInput\("double", 1\)/);
  });

  test("function arguments are pasted as their source; several probes or a read have no input line", () => {
    const viaFn = [expectValue(call("double", new FnArg("(x) => x * 3", "x ↦ 3x"), 2), 0)];
    expect(judge(spec, viaFn, ran([ok(1)]), null, where).failures[0].input).toBe("double((x) => x * 3, 2)");
    const pair = [relation("double is linear", [call("double", 1), call("double", 2)], ([a, b]) => (b === 2 * (a as number) ? null : { expected: "linear", actual: "not" }))];
    expect(judge(spec, pair, ran([ok(2), ok(5)]), null, where).failures[0]).not.toHaveProperty("input");
    const read = [expectValue({ kind: "read", name: "double" }, 1)];
    expect(judge(spec, read, ran([ok(2)]), null, where).failures[0]).not.toHaveProperty("input");
  });

  test("the cell itself threw: the error with its line, and the first hint", () => {
    const r = judge(spec, doubles(1), ran([], threw("TypeError", "x is not a function", 3)), null, where);
    expect(r).toMatchObject({ status: "failed", score: 0, problem: "threw TypeError: x is not a function (line 3 of the cell)", line: 3, hint: "write double" });
  });

  test("the cell still holds todo(): not started, whether the cell or every probe says so", () => {
    const atCell = judge(spec, doubles(1), ran([], notDone), null, where);
    expect(atCell).toMatchObject({ status: "not-started", score: 0, problem: 'not done yet: write your code where the cell calls todo("double")', failures: [] });
    const atProbes = judge(spec, doubles(1, 2), ran([notDone, notDone]), null, where);
    expect(atProbes).toMatchObject({ status: "not-started", failures: [] });
    // One probe done and passing: started, and failed.
    expect(judge(spec, doubles(1, 2), ran([ok(2), notDone]), null, where).status).toBe("failed");
  });

  test("every check broken the same way is said once, as the problem, with the first hint", () => {
    const r = judge(spec, doubles(1, 2), ran([{ status: "timeout", ms: 2000 }, { status: "timeout", ms: 2000 }]), null, where);
    expect(r).toMatchObject({ status: "failed", problem: "stopped after 2.0 s without finishing: is there a loop that never ends?", failures: [], hint: "write double" });
    expect(r.line).toBeUndefined();
    // Broken in different ways: each failure stays, the first problem is the problem.
    const mixed = judge(spec, doubles(1, 2), ran([threw("RangeError", "deep", 7), threw("TypeError", "no")]), null, where);
    expect(mixed.failures.map((f) => f.actual)).toEqual(["threw RangeError: deep (line 7 of the cell)", "threw TypeError: no"]);
    expect(mixed).toMatchObject({ problem: "threw RangeError: deep (line 7 of the cell)", line: 7, hint: "write double" });
    expect(mixed.failures[0].expected).toBe("an answer");
  });

  test("a function missing from the cell on every check: said once, with the line the grader found", () => {
    const missing: Outcome = { status: "missing", name: "double", error: { name: "ReferenceError", message: "double is not defined", line: 2 } };
    const r = judge(spec, doubles(1, 2), ran([missing, missing]), null, where);
    expect(r).toMatchObject({ status: "failed", failures: [], line: 2, hint: "write double" });
    expect(r.problem).toMatch(/^`double` is not defined in the exercise cell/);
  });

  test("one broken check among passing ones is a failure like any other", () => {
    const r = judge(spec, doubles(1, 2), ran([ok(2), threw("Error", "boom", 2)]), null, where);
    expect(r.problem).toBeUndefined();
    expect(r.line).toBeUndefined();
    expect(r.failures).toEqual([{ label: "double(2)", expected: "an answer", actual: "threw Error: boom (line 2 of the cell)", hidden: undefined, input: "double(2)" }]);
    expect(r.checks).toEqual({ total: 2, passed: 1, hidden: 0, hiddenFailed: 0 });
    expect(r.hint).toBe("check each step");
  });

  test("a broken hidden check counts as a hidden failure", () => {
    const cases = [...doubles(1), expectValue(call("double", 2), 4, { hidden: true })];
    expect(judge(spec, cases, ran([ok(2), threw("Error", "x")]), null, where).checks.hiddenFailed).toBe(1);
  });

  test("diagnostic probes are evidence only: never counted, never failed", () => {
    const diag: Case = { ...matchesReference(call("double", 1)), diagnostic: { kind: "repeat", of: 0 }, judge: () => ({ expected: "x", actual: "y" }) };
    const cases = [...doubles(1), diag];
    const r = judge(spec, cases, ran([ok(2), threw("Error", "later")]), [[], []], where);
    expect(r.status).toBe("passed");
    expect(r.checks.total).toBe(1);
    // Next to a failing check, a broken diagnostic probe is still no failure.
    const failing = judge(spec, [...doubles(1), diag], ran([ok(3), threw("Error", "later")]), [[], []], where);
    expect(failing.failures.map((f) => f.label)).toEqual(["double(1)"]);
    expect(failing.problem).toBeUndefined();
  });

  test("probes are matched to their cases in order, several per case", () => {
    const pair = relation("double(2) is twice double(1)", [call("double", 1), call("double", 2)], ([a, b]) => (b === 2 * (a as number) ? null : { expected: "twice", actual: `${a}, ${b}` }));
    const cases = [pair, ...doubles(3)];
    expect(judge(spec, cases, ran([ok(2), ok(4), ok(6)]), null, where).status).toBe("passed");
    const r = judge(spec, cases, ran([ok(2), ok(5), ok(6)]), null, where);
    expect(r.failures).toEqual([{ label: "double(2) is twice double(1)", expected: "twice", actual: "2, 5", hidden: undefined }]);
  });

  test("reference answers are used case by case", () => {
    const cases = [matchesReference(call("double", 1)), matchesReference(call("double", 2))];
    const reference: Answer[][] = [[{ value: 2, mutated: false }], [{ value: 4, mutated: false }]];
    expect(judge(spec, cases, ran([ok(2), ok(4)]), reference, where).status).toBe("passed");
    expect(judge(spec, cases, ran([ok(2), ok(2)]), reference, where).failures[0]).toMatchObject({ expected: "4", actual: "2" });
  });

  test("what a passing case shows is kept", () => {
    const shown: Case = { ...doubles(1)[0], shown: ([a]) => ({ caption: `got ${a.value}`, tex: "2x" }) };
    expect(judge(spec, [shown], ran([ok(2)]), null, where).shown).toEqual([{ caption: "got 2", tex: "2x" }]);
    expect(judge(spec, doubles(1), ran([ok(2)]), null, where).shown).toBeUndefined();
  });

  test("learner strings in the verdict are bounded", () => {
    const r = judge(spec, [expectValue(call("double", 1), "a")], ran([ok("b".repeat(10_000))]), null, where);
    expect(r.failures[0].actual.length).toBeLessThan(3000);
  });
});

describe("the likely cause and its hint", () => {
  const cases = doubles(1, 2, 3);
  const adds: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok(3)], [ok(4)], [ok(5)]] };

  test("answers equal to a declared mistake's name it, with the mistake's own hint", () => {
    const r = judge(spec, cases, ran([ok(3), ok(4), ok(5)]), null, where, () => [adds]);
    expect(r.likelyCause).toBe("adds instead of multiplying");
    expect(r.hint).toBe("× not +");
  });

  test("a declared mistake without its own hint keeps the general one", () => {
    const other: MistakeRun = { ...adds, label: "another" };
    const r = judge(spec, cases, ran([ok(3), ok(4), ok(5)]), null, where, () => [other]);
    expect(r.likelyCause).toBe("another");
    expect(r.hint).toBe("check each step");
    // A spec with no mistake hints at all.
    const { mistakeHints: _none, ...plain } = spec;
    const bare = judge(plain, cases, ran([ok(3), ok(4), ok(5)]), null, where, () => [adds]);
    expect([bare.likelyCause, bare.hint]).toEqual(["adds instead of multiplying", "check each step"]);
  });

  test("answers that differ from every declared mistake's name none of them", () => {
    // 9 for 4 and 7 for 6: no one factor either.
    const r = judge(spec, cases, ran([ok(2), ok(9), ok(7)]), null, where, () => [adds]);
    expect(r.likelyCause).toBeUndefined();
    expect(r.hint).toBe("check each step");
  });

  test("agreeing on broken cases only is not enough to name a mistake", () => {
    const crashes: MistakeRun = { label: "crashes", outcomes: [[ok(2)], [threw("E", "x")], [threw("E", "x")]] };
    const r = judge(spec, cases, ran([ok(2), ok(NaN), ok(NaN)]), null, where, () => [crashes]);
    expect(r.likelyCause).not.toBe("crashes");
  });

  test("a mistake is matched on the cases where both answered, when they outweigh the gaps", () => {
    // Agrees on two failing cases, breaks where the learner answered on one: named.
    const mostly: MistakeRun = { label: "adds instead of multiplying", outcomes: [[threw("E", "x")], [ok(4)], [ok(5)]] };
    expect(judge(spec, cases, ran([ok(3), ok(4), ok(5)]), null, where, () => [mostly]).likelyCause).toBe("adds instead of multiplying");
    // Agrees on one failing case, two gaps: not named.
    const gappy: MistakeRun = { label: "gappy", outcomes: [[threw("E", "x")], [threw("E", "x")], [ok(5)]] };
    expect(judge(spec, cases, ran([ok(3), ok(4), ok(5)]), null, where, () => [gappy]).likelyCause).not.toBe("gappy");
    // A mistake run with a missing case is no match.
    const short: MistakeRun = { label: "short", outcomes: [[ok(3)], [ok(4)]] };
    expect(judge(spec, cases, ran([ok(3), ok(4), ok(5)]), null, where, () => [short]).likelyCause).not.toBe("short");
  });

  test("a mistake that changes its argument where the learner does not is another mistake", () => {
    const mutates: MistakeRun = { label: "mutates", outcomes: [[ok(3, true)], [ok(4, true)], [ok(5, true)]] };
    expect(judge(spec, cases, ran([ok(3), ok(4), ok(5)]), null, where, () => [mutates]).likelyCause).toBeUndefined();
  });

  test("looking for a cause that throws costs only the cause", () => {
    const r = judge(spec, cases, ran([ok(3), ok(4), ok(5)]), null, where, () => {
      throw new Error("broken mistake");
    });
    expect(r.status).toBe("failed");
    expect(r.likelyCause).toBeUndefined();
    expect(r.hint).toBe("check each step");
  });

  test("a cause one case proves on its own is named when every failure proves it", () => {
    const proving = (x: number, cause?: string): Case => ({ ...expectValue(call("double", x), 2 * x), judge: ([a]) => (a.value === 2 * x ? null : { expected: `${2 * x}`, actual: `${a.value}`, ...(cause ? { cause } : {}) }) });
    const r = judge(spec, [proving(1, "estimated"), proving(2, "estimated")], ran([ok(3), ok(5)]), null, where);
    expect(r.likelyCause).toBe("estimated");
    expect(r.hint).toBe("check each step");
    const mixed = judge(spec, [proving(1, "estimated"), proving(2)], ran([ok(3), ok(5)]), null, where);
    expect(mixed.likelyCause).not.toBe("estimated");
    // A check that broke proves nothing either way: the failures with values decide.
    const withBroken = judge(spec, [proving(1, "estimated"), proving(2, "estimated"), ...doubles(3)], ran([ok(3), ok(5), threw("Error", "x")]), null, where);
    expect(withBroken.likelyCause).toBe("estimated");
    // Another declared mistake does not take the proven cause's place.
    const other = judge(spec, [proving(1, "estimated"), proving(2, "estimated")], ran([ok(3), ok(5)]), null, where, () => [adds]);
    expect([other.likelyCause, other.hint]).toEqual(["estimated", "check each step"]);
    // Declared under that name: the mistake's hint.
    const declared = judge(spec, [proving(1, "adds instead of multiplying"), proving(2, "adds instead of multiplying")], ran([ok(3), ok(5)]), null, where, () => [{ label: "adds instead of multiplying", outcomes: [[ok(0)], [ok(0)]] }]);
    expect(declared.likelyCause).toBe("adds instead of multiplying");
    expect(declared.hint).toBe("× not +");
  });

  test("^ for a power is named only with both pieces of evidence: the code has x ^ y, and whole numbers where the right ones are not", () => {
    const squares = [0.3, 0.6].map((x) => expectValue(call("square", x), x * x));
    const xor = "function square(x) { return x ^ 2; }";
    const named = judge(spec, squares, { ...ran([ok(2), ok(2)]), code: xor }, null, where);
    expect(named.likelyCause).toMatch(/^`\^` is XOR in TypeScript, not a power/);
    expect(named.hint).toMatch(/^Write a power as x \*\* 2/);
    // The same answers from code with no ^ (a count, say): nothing about XOR.
    expect(judge(spec, squares, { ...ran([ok(2), ok(2)]), code: "function square(x) { return 2; }" }, null, where).likelyCause ?? "").not.toMatch(/XOR/);
    // A ^ in a seeded random generator, answers that are not whole: nothing about XOR either.
    expect(judge(spec, squares, { ...ran([ok(0.1), ok(0.5)]), code: "const r = (t) => (t ^ (t >>> 15)) >>> 0;" + xor }, null, where).likelyCause ?? "").not.toMatch(/XOR/);
    // ^ only in a comment, a string or a regular expression is no ^.
    expect(judge(spec, squares, { ...ran([ok(2), ok(2)]), code: '// x ^ 2\nconst s = "a ^ b"; const re = /^a[^b]/; function square(x) { return 2; }' }, null, where).likelyCause ?? "").not.toMatch(/XOR/);
  });

  test("a declared mistake matched by its answers is named as written only where the code holds its lines", () => {
    const hinted = { ...spec, mistakeHints: { "adds instead of multiplying": "× not +" } };
    const adds: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok(3)], [ok(4)]], lines: ["returnx+2;"] };
    const asWritten = judge(hinted, doubles(1, 2), { ...ran([ok(3), ok(4)]), code: "function double(x) {\n  return x + 2;\n}" }, null, where, () => [adds]);
    expect([asWritten.likelyCause, asWritten.hint]).toEqual(["adds instead of multiplying", "× not +"]);
    // The same answers from other code (x + 1 + 1): what the answers equal, and the hint for code that does that.
    const alike = judge(hinted, doubles(1, 2), { ...ran([ok(3), ok(4)]), code: "function double(x) {\n  return x + 1 + 1;\n}" }, null, where, () => [adds]);
    expect(alike.likelyCause).toBe(`${ALIKE}adds instead of multiplying`);
    expect(alike.hint).toBe("Where your code does that: × not +");
    // No code known (values judged in place): named as before.
    expect(judge(hinted, doubles(1, 2), ran([ok(3), ok(4)]), null, where, () => [adds]).likelyCause).toBe("adds instead of multiplying");
  });

  test("a behaviour a declared mistake also shows is named by that mistake, with its hint", () => {
    const hinted = { ...spec, mistakeHints: { "forgets to return": "write return" } };
    const none = ran([ok(undefined), ok(undefined), ok(undefined)]);
    const forgets: MistakeRun = { label: "forgets to return", outcomes: [[ok(undefined)], [ok(undefined)], [ok(undefined)]] };
    // Broken alike everywhere is no match by answers, but the same behaviour on the same checks.
    const r = judge(hinted, cases, none, null, where, () => [forgets]);
    expect(r.likelyCause).toBe("forgets to return");
    expect(r.hint).toBe("write return");
    // The same behaviour on other checks is another mistake: the behaviour's own words and hint.
    const elsewhere: MistakeRun = { label: "forgets to return", outcomes: [[ok(2)], [ok(undefined)], [ok(undefined)]] };
    const own = judge(hinted, cases, none, null, where, () => [elsewhere]);
    expect(own.likelyCause).toMatch(/^undefined where a number belongs \(the whole answer\)/);
    expect(own.hint).toMatch(/^Find where that place gets its value. An arrow function with braces/);
    // A mistake run missing a case broke there, differently: not the same behaviour.
    const short: MistakeRun = { label: "forgets to return", outcomes: [[ok(undefined)], [ok(undefined)]] };
    expect(judge(hinted, cases, none, null, where, () => [short]).likelyCause).toMatch(/^undefined where a number belongs/);
  });

  test("a mistake that passes a check the learner fails is another mistake, even with the same symptom", () => {
    // Both give 7 whatever the input (three perturbed calls), but the mistake's 7 is right for double(3.5).
    const perturbed = (x: number, k: number): Case => ({ ...matchesReference(call("double", x)), diagnostic: { kind: "perturb", of: 0, arg: 0, part: "", variant: k % 2 === 0 ? 0 : 1 } });
    const checks = [...doubles(3.5, 1, 2), perturbed(9, 0), perturbed(10, 1), perturbed(11, 2)];
    const reference = [[], [], [], [{ value: 18, mutated: false }], [{ value: 20, mutated: false }], [{ value: 22, mutated: false }]];
    const sevens: MistakeRun = { label: "returns a constant", outcomes: [[ok(7)], [ok(7)], [ok(7)], [ok(7)], [ok(7)], [ok(7)]] };
    const r = judge(spec, checks, ran([ok(8), ok(7), ok(7), ok(7), ok(7), ok(7)]), reference, where, () => [sevens]);
    // Not the mistake, and no constant either: its answer to double(3.5) was 8, so "the same answer
    // for every input tried" would be false.
    expect(r.likelyCause).toBeUndefined();
    // The learner whose 7 is right for double(3.5) too shows the mistake itself.
    expect(judge(spec, checks, ran([ok(7), ok(7), ok(7), ok(7), ok(7), ok(7)]), reference, where, () => [sevens]).likelyCause).toBe("returns a constant");
  });

  test("explain: only failed checks are evidence; a diagnostic probe's own verdict never is", () => {
    const check = doubles(1)[0];
    const diag: Case = { ...matchesReference(call("double", 2)), diagnostic: { kind: "repeat", of: 0 } };
    expect(explain([{ case: check, outcomes: [ok(2)], reference: [], verdict: "passed" }], () => [], {})).toBeUndefined();
    const seen = [
      { case: check, outcomes: [threw("E", "x")], reference: [], verdict: "broken" as const },
      { case: diag, outcomes: [ok(5)], reference: [], verdict: { expected: "4", actual: "5", cause: "estimated" } },
    ];
    expect(explain(seen, () => [], {})).toBeUndefined();
  });

  test("a mistake is matched when the gaps are no more than the failing cases that agree", () => {
    // One failing case agrees, one is a gap (the mistake breaks where the learner answered): named.
    const even: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok(2)], [ok(5)], [threw("E", "x")]] };
    expect(judge(spec, cases, ran([ok(2), ok(5), ok(9)]), null, where, () => [even]).likelyCause).toBe("adds instead of multiplying");
  });

  test("answers that agree only where they are infinite, or only on passing cases, name no mistake", () => {
    const overflows: MistakeRun = { label: "overflows", outcomes: [[ok(2)], [ok(Infinity)], [ok(Infinity)]] };
    expect(judge(spec, cases, ran([ok(2), ok(Infinity), ok(Infinity)]), null, where, () => [overflows]).likelyCause).not.toBe("overflows");
  });

  test("a case's own sameness decides whether answers agree", () => {
    // Answers equal up to sign, as the case counts them: the mistake's -3 agrees with the learner's 3.
    const upToSign = (x: number): Case => ({ ...expectValue(call("double", x), 2 * x), same: (a, b) => Math.abs(a as number) === Math.abs(b as number) });
    const signs: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok(-3)], [ok(-4)], [ok(-5)]] };
    const r = judge(spec, [upToSign(1), upToSign(2), upToSign(3)], ran([ok(3), ok(4), ok(5)]), null, where, () => [signs]);
    expect(r.likelyCause).toBe("adds instead of multiplying");
    expect(judge(spec, cases, ran([ok(3), ok(4), ok(5)]), null, where, () => [signs]).likelyCause).not.toBe("adds instead of multiplying");
  });

  test("a perturbed probe is no evidence for or against a mistake", () => {
    const perturbed: Case = { ...matchesReference(call("double", 9)), diagnostic: { kind: "perturb", of: 0, arg: 0, part: "", variant: 0 } };
    const withProbe = [...cases, perturbed];
    // The mistake answers the perturbed probe otherwise, and not at all: still named.
    for (const theirs of [[ok(100)], []]) {
      const m: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok(3)], [ok(4)], [ok(5)], theirs] };
      expect(judge(spec, withProbe, ran([ok(3), ok(4), ok(5), ok(10)]), [[], [], [], [{ value: 18, mutated: false }]], where, () => [m]).likelyCause).toBe("adds instead of multiplying");
    }
  });

  test("an unreadable answer or undefined inside one is broken, as a crash is; a function is an answer", () => {
    const unread: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok(3)], [ok(4)], [ok(5)]] };
    // The learner's unreadable third answer is a gap next to the mistake's 5: two agree, one gap.
    expect(judge(spec, cases, ran([ok(3), ok(4), ok(new Unreadable("cycle"))]), null, where, () => [unread]).likelyCause).toBe("adds instead of multiplying");
    expect(judge(spec, cases, ran([ok(3), ok(4), ok([1, undefined])]), null, where, () => [unread]).likelyCause).toBe("adds instead of multiplying");
    expect(judge(spec, cases, ran([ok(3), ok(4), ok({ a: [undefined] })]), null, where, () => [unread]).likelyCause).toBe("adds instead of multiplying");
    // A function where the mistake answered a number is a disagreement, not a gap.
    expect(judge(spec, cases, ran([ok(3), ok(4), ok(new FunctionValue("f"))]), null, where, () => [unread]).likelyCause).not.toBe("adds instead of multiplying");
  });

  test("answers of any kind agree when equal: text, null, records", () => {
    const pairs: [Plain[], Plain[]][] = [
      [["aa", "bb", "cc"], ["a", "b", "c"]],
      [[1, 2, 3], [null, null, null]],
      [[{ x: 1 }, { x: 2 }, { x: 3 }], [{ x: 1, y: 0 }, { x: 5 }, { x: 6 }]],
    ];
    for (const [want, got] of pairs) {
      const m: MistakeRun = { label: "adds instead of multiplying", outcomes: got.map((v) => [ok(v)]) };
      const checks = want.map((v, i) => expectValue(call("double", i + 1), v));
      expect([want, judge(spec, checks, ran(got.map((v) => ok(v))), null, where, () => [m]).likelyCause]).toEqual([want, "adds instead of multiplying"]);
    }
  });

  test("an infinity anywhere in an answer is no evidence: only finite answers are", () => {
    const lists = [expectValue(call("double", 1), 2), expectValue(call("double", [1, 2]), [2, 4]), expectValue(call("double", [3, 4]), [6, 8])];
    const inList: MistakeRun = { label: "overflows", outcomes: [[ok(2)], [ok([2, Infinity])], [ok([6, Infinity])]] };
    expect(judge(spec, lists, ran([ok(2), ok([2, Infinity]), ok([6, Infinity])]), null, where, () => [inList]).likelyCause).not.toBe("overflows");
    const records = [expectValue(call("double", 1), 2), expectValue(call("double", 2), { a: 4, b: 4 }), expectValue(call("double", 3), { a: 6, b: 6 })];
    const inRecord: MistakeRun = { label: "overflows", outcomes: [[ok(2)], [ok({ a: 4, b: Infinity })], [ok({ a: 6, b: Infinity })]] };
    expect(judge(spec, records, ran([ok(2), ok({ a: 4, b: Infinity }), ok({ a: 6, b: Infinity })]), null, where, () => [inRecord]).likelyCause).not.toBe("overflows");
  });

  test("broken on the same case on both sides is agreement: a crash and a NaN alike", () => {
    const crashesToo: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok(3)], [ok(4)], [threw("E", "x")]] };
    expect(judge(spec, cases, ran([ok(3), ok(4), threw("TypeError", "y")]), null, where, () => [crashesToo]).likelyCause).toBe("adds instead of multiplying");
    expect(judge(spec, cases, ran([ok(3), ok(4), ok(NaN)]), null, where, () => [crashesToo]).likelyCause).toBe("adds instead of multiplying");
  });

  test("a NaN is broken, as a crash is: next to the mistake's answer it is a gap, not a disagreement", () => {
    const m: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok(3)], [ok(4)], [ok(5)]] };
    expect(judge(spec, cases, ran([ok(3), ok(4), ok(NaN)]), null, where, () => [m]).likelyCause).toBe("adds instead of multiplying");
    // So is undefined in one field of a record among others.
    const records = [1, 2, 3].map((x) => expectValue(call("double", x), { a: 2 * x, b: 2 * x }));
    const r: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok({ a: 3, b: 3 })], [ok({ a: 4, b: 4 })], [ok({ a: 5, b: 5 })]] };
    expect(judge(spec, records, ran([ok({ a: 3, b: 3 }), ok({ a: 4, b: 4 }), ok({ a: 5, b: undefined })]), null, where, () => [r]).likelyCause).toBe("adds instead of multiplying");
  });

  test("a name that is no function is broken too: a gap next to the mistake's answer", () => {
    const notFn: Outcome = { status: "not-a-function", name: "double", value: 2 };
    const m: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok(3)], [ok(4)], [ok(5)]] };
    expect(judge(spec, cases, ran([ok(3), ok(4), notFn]), null, where, () => [m]).likelyCause).toBe("adds instead of multiplying");
  });

  test("agreeing on passing cases does not outweigh the gaps", () => {
    // One failing case agrees, one passing case agrees, two gaps: not named.
    const four = doubles(1, 2, 3, 4);
    const m: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok(2)], [ok(5)], [threw("E", "x")], [threw("E", "x")]] };
    expect(judge(spec, four, ran([ok(2), ok(5), ok(9), ok(11)]), null, where, () => [m]).likelyCause).not.toBe("adds instead of multiplying");
  });

  test("a mistake run that does not fit the cases is no match, and the behaviour detectors still speak", () => {
    const twice = ran([ok(4), ok(8), ok(12)]);
    const factor = "twice the right value: every wrong number is 2 × the right one (an extra factor 2)";
    const missing: MistakeRun = { label: "short", outcomes: [[ok(4)], [ok(8)]] };
    const empty: MistakeRun = { label: "empty", outcomes: [[ok(4)], [ok(8)], []] };
    expect(judge(spec, cases, twice, null, where, () => [missing]).likelyCause).toBe(factor);
    expect(judge(spec, cases, twice, null, where, () => [empty]).likelyCause).toBe(factor);
  });

  test("a constant factor on every failing case is named by the behaviour detectors", () => {
    const r = judge(spec, cases, ran([ok(4), ok(8), ok(12)]), null, where);
    expect(r.likelyCause).toBe("twice the right value: every wrong number is 2 × the right one (an extra factor 2)");
    // A factor is a symptom, not a mistake: a declared mistake with the same factor (that answers
    // a repeated call otherwise, so it is not this learner's code) does not lend it its name.
    const again: Case = { ...matchesReference(call("double", 1)), diagnostic: { kind: "repeat", of: 0 } };
    const alsoTwice: MistakeRun = { label: "adds instead of multiplying", outcomes: [[ok(4)], [ok(8)], [ok(12)], [ok(5)]] };
    const named = judge(spec, [...cases, again], ran([ok(4), ok(8), ok(12), ok(4)]), [[], [], [], [{ value: 2, mutated: false }]], where, () => [alsoTwice]);
    expect(named.likelyCause).toBe("twice the right value: every wrong number is 2 × the right one (an extra factor 2)");
  });
});

describe("a call that changes its argument fails, in every exercise", () => {
  const c = matchesReference(watched(call("double", [1, 2])));
  const changed: Answer = { value: [2, 4], mutated: true, argsAfter: [[2, 4]] };

  test("mutationFailure names the parameter, what it was and what it became", () => {
    expect(mutationFailure(c, [changed], { double: ["xs"] })).toEqual({
      expected: "xs left as it was: [1, 2]",
      actual: "after the call xs was [2, 4]",
      why: "the function changed its argument `xs`; build and return new values instead",
    });
    expect(mutationFailure(c, [changed], {})?.why).toBe("the function changed its argument `argument 1`; build and return new values instead");
  });

  test("an argument shown cut, the same before and after, gets the first place that changed", () => {
    const g = { weights: [[[1, 2]], [[3]]], biases: [[1], [2]] };
    const deep = matchesReference(watched(call("averageGradients", [g, g])));
    const after = [{ weights: [[[1, 2]], [[3]]], biases: [[1], [5]] }, g];
    const f = mutationFailure(deep, [{ value: 0, mutated: true, argsAfter: [after] }], { averageGradients: ["gs"] });
    expect(f?.expected).toBe("gs left as it was: [{ weights: [[…], […]], biases: [[…], […]] }, { weights: [[…], […]], biases: [[…], […]] }]");
    expect(f?.actual).toBe("after the call gs was [{ weights: [[…], […]], biases: [[…], […]] }, { weights: [[…], […]], biases: [[…], […]] }]; the first change: gs[0].biases[1][0] was 2, now 5");
  });

  test("the changed argument is found among several", () => {
    const two = matchesReference(watched(call("double", 5, [1, 2])));
    const f = mutationFailure(two, [{ value: 0, mutated: true, argsAfter: [5, [0, 2]] }], { double: ["k", "xs"] });
    expect(f?.expected).toBe("xs left as it was: [1, 2]");
  });

  test("a check that throws on an answer fails that answer, and stops nothing else", () => {
    const reads = relation("reads its answers", [call("double", 1)], () => {
      throw new TypeError("Do not know how to serialize a BigInt");
    });
    const f = judgeCase(reads, [ok(2)], [], {});
    expect(f).toEqual({
      expected: "an answer the check can read",
      actual: "2",
      why: "the check could not read this answer (Do not know how to serialize a BigInt): return the kind of value the exercise asks for",
    });
  });

  test("no failure without a change, or without the arguments after the call", () => {
    expect(mutationFailure(c, [{ value: [2, 4], mutated: false, argsAfter: [[1, 2]] }], {})).toBeNull();
    expect(mutationFailure(c, [{ value: [2, 4], mutated: true }], {})).toBeNull();
    expect(mutationFailure(expectValue({ kind: "read", name: "double" }, 1), [{ value: 1, mutated: true, argsAfter: [] }], {})).toBeNull();
  });

  test("judgeCase: the spec's judge first, then the changed argument, else passed", () => {
    expect(judgeCase(c, [ok([2, 4])], [{ value: [2, 4], mutated: false }], {})).toBe("passed");
    expect(judgeCase(c, [{ status: "ok", value: [2, 4], mutated: true, argsAfter: [[0, 0]] }], [{ value: [2, 4], mutated: false }], {})).toMatchObject({ actual: "after the call argument 1 was [0, 0]" });
    expect(judgeCase(c, [{ status: "ok", value: [9], mutated: true, argsAfter: [[0, 0]] }], [{ value: [2, 4], mutated: false }], {})).toMatchObject({ expected: "2 items" });
    expect(judgeCase(c, [threw("E", "x")], [], {})).toBe("broken");
    // One probe of several broken: the case is broken.
    const pair = relation("double is linear", [call("double", 1), call("double", 2)], () => null);
    expect(judgeCase(pair, [ok(2), threw("E", "x")], [], {})).toBe("broken");
    expect(judgeCase(pair, [ok(2), ok(4)], [], {})).toBe("passed");
    expect(judgeCase({ ...c, diagnostic: { kind: "repeat", of: 0 } }, [ok([0])], [{ value: [2, 4], mutated: false }], {})).toBe("passed");
  });

  test("in a verdict: the failure, and the behaviour named as the cause", () => {
    const r = judge(spec, [c], ran([{ status: "ok", value: [2, 4], mutated: true, argsAfter: [[2, 4]] }]), [[{ value: [2, 4], mutated: false }]], where, () => [], { double: ["xs"] });
    expect(r.status).toBe("failed");
    expect(r.failures[0].why).toBe("the function changed its argument `xs`; build and return new values instead");
    expect(r.likelyCause).toBe("changes its argument `xs` in place: after the call the caller's xs is no longer what was passed in");
  });
});

describe("describeOutcome: every outcome in one sentence", () => {
  test.each<[string, Outcome, string]>([
    ["an answer", ok([1, 2]), "[1, 2]"],
    ["a throw with a line", threw("TypeError", "bad", 4), "threw TypeError: bad (line 4 of the cell)"],
    ["a throw without a line", threw("Error", "bad"), "threw Error: bad"],
    ["process.exit()", threw("ExitCalled", "called process.exit()"), "called process.exit()"],
    ["an import", threw("ImportNotAllowed", "imports fs"), "imports fs"],
    ["todo()", notDone, "not done yet (the stub's todo() is still there)"],
    ["a Node-only global", threw("ReferenceError", "fetch is not defined"), "threw ReferenceError: fetch is not defined: the grader runs each exercise cell on its own, without Node's `fetch` (the notebook has it)"],
    ["Buffer", threw("ReferenceError", "Buffer is not defined", 2), "threw ReferenceError: Buffer is not defined (line 2 of the cell): the grader runs each exercise cell on its own, without Node's `Buffer` (the notebook has it)"],
    ["any other undefined name", threw("ReferenceError", "sigmod is not defined"), "threw ReferenceError: sigmod is not defined"],
    ["a Node-only name in another error", threw("TypeError", "setTimeout is not defined"), "threw TypeError: setTimeout is not defined"],
    ["a missing function", { status: "missing", name: "double", error: { name: "ReferenceError", message: "double is not defined" } }, "`double` is not defined in the exercise cell. The grader runs each exercise cell on its own: define `double` in this cell, with this exact name"],
    ["not a function", { status: "not-a-function", name: "double", value: 2 }, "`double` should be a function, but it is 2"],
    ["a timeout", { status: "timeout", ms: 2500 }, "stopped after 2.5 s without finishing: is there a loop that never ends?"],
    ["a stuck run (class grading's short limit)", { status: "timeout", ms: 700, stuck: true }, "stopped without finishing: running the cell and answering its first check took over 100 times what the reference solution takes for both: is there a loop that never ends?"],
    ["a crash", { status: "crashed", why: "out of memory" }, "stopped: out of memory"],
  ])("%s", (_, o, text) => {
    expect(describeOutcome(o)).toBe(text);
  });

  test("every global a notebook's Node has and a graded function does not is said plainly", () => {
    const nodeOnly = ["fetch", "Buffer", "URL", "URLSearchParams", "AbortController", "Blob", "__dirname", "__filename"];
    for (const name of nodeOnly) {
      expect(describeOutcome(threw("ReferenceError", `${name} is not defined`))).toBe(`threw ReferenceError: ${name} is not defined: the grader runs each exercise cell on its own, without Node's \`${name}\` (the notebook has it)`);
    }
    // Only the name V8 puts at the start of the message, whole (a learner's own ReferenceError may say anything).
    expect(describeOutcome(threw("ReferenceError", "my Buffer is not defined"))).toBe("threw ReferenceError: my Buffer is not defined");
    expect(describeOutcome(threw("ReferenceError", "BufferX is not defined"))).toBe("threw ReferenceError: BufferX is not defined");
  });
});

describe("result helpers", () => {
  test("resultBase: a failed result with no points yet, the first hint, and its place", () => {
    expect(resultBase(spec, where)).toEqual({
      id: "double",
      title: "Doubling",
      chapter: "ch",
      notebook: "nb.ipynb",
      cell: 4,
      points: 3,
      score: 0,
      status: "failed",
      checks: { total: 0, passed: 0, hidden: 0, hiddenFailed: 0 },
      failures: [],
      hint: "write double",
      seed: DEFAULT_SEED,
      console: [],
    });
  });

  test("withStatus sets the status and the problem, and takes the points away", () => {
    const passed = judge(spec, doubles(1), ran([ok(2)]), null, where);
    const r = withStatus(passed, "error", "course error");
    expect(r).toMatchObject({ status: "error", score: 0, problem: "course error" });
    expect(withStatus(resultBase(spec, where), "failed", "x".repeat(10_000)).problem!.length).toBeLessThan(3000);
  });
});
