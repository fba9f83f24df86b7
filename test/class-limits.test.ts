// Class grading's limits: a first time limit in proportion to the reference's
// own time (correct work that is slow still passes: the full limit is there for
// it), and a budget per learner (a hostile learner with many different endless
// loops costs at most its budget; the honest learner beside it keeps full marks;
// everyone has a report).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { course } from "../exercises";
import { exerciseSource, markedId } from "../grader/engine/notebook/cells";
import { childPids } from "./children";
import { runCli, sourceOf, tempDir, UNSHARED } from "./helpers";
import { SLOW_HONEST, VERY_SLOW_SIGMOID } from "./fixtures/slow-honest";

interface RawNotebook {
  cells: { cell_type: string; source: string | string[] }[];
}
interface Results {
  score: number;
  max_score: number;
  output?: string;
  tests: { name: string; score: number; max_score: number; status: string; output: string }[];
}

/** A learner folder: the solved masters, with the cells `replace` gives (by exercise id) put in. */
function learnerFolder(dir: string, replace: (id: string, index: number) => string | undefined): void {
  fs.mkdirSync(dir, { recursive: true });
  let index = 0;
  for (const chapter of course.chapters) {
    const nb = JSON.parse(fs.readFileSync(course.masterPath(chapter.slug), "utf8")) as RawNotebook;
    for (const cell of nb.cells) {
      const id = cell.cell_type === "code" ? markedId(sourceOf(cell)) : undefined;
      if (id === undefined) continue;
      const body = replace(id, index++);
      if (body !== undefined) cell.source = exerciseSource(id, body);
    }
    fs.writeFileSync(path.join(dir, `${chapter.slug}.ipynb`), JSON.stringify(nb, null, 1));
  }
}

/** The exercise id of a Gradescope test ("01-forward-pass / sigmoid: Sigmoid"). */
const idOf = (name: string): string => name.split(" / ")[1].split(":")[0];

const results = (out: string, learner: string): Results => JSON.parse(fs.readFileSync(path.join(out, "results", `${learner}.json`), "utf8")) as Results;

test("correct work that is much slower than the reference gets full marks under class grading's short limits", () => {
  const dir = tempDir("bp-slow-class-");
  learnerFolder(path.join(dir, "honest"), () => undefined);
  const slow = new Map(SLOW_HONEST.map((v) => [v.id, v.body]));
  learnerFolder(path.join(dir, "slow"), (id) => slow.get(id));
  // ~1000x the reference: beyond the short limit, within the full one; only the rerun at the full limit passes it.
  learnerFolder(path.join(dir, "slower"), (id) => (id === "sigmoid" ? VERY_SLOW_SIGMOID : undefined));
  const out = tempDir("bp-slow-out-");
  const ids = [...new Set(SLOW_HONEST.map((v) => v.id))];
  // A 30 s full limit: the slowest variant takes ~5 s on an idle machine (a loaded one gets more
  // through the starvation retries), while the short limit stays around a second.
  // The budget is not what this test is about: on a machine loaded 8 times over, the slow learner's
  // work stretches past the default 120 s (then its last exercises would be "not graded", never failed).
  const r = runCli([dir, "--out", out, "--timeout", "30000", "--budget", "1200", ...ids], { env: UNSHARED });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  for (const learner of ["honest", "slow", "slower"]) {
    const res = results(out, learner);
    const graded = res.tests.filter((t) => ids.includes(idOf(t.name)));
    expect(graded.length).toBe(ids.length);
    for (const t of graded) expect([learner, t.name, t.status, t.output]).toEqual([learner, t.name, "passed", expect.anything()]);
  }
}, 400_000);

/**
 * Endless loops, all different: in the function (answering nothing), after the first call (so the
 * short limit sees progress and the full limit must run), at the cell's top level, in a
 * generator, in promise callbacks. Every one is unique, so nothing is reused between them.
 */
function endless(fn: string, i: number): string {
  const forms = [
    `function ${fn}(...args: any[]): any {\n  while (true) {} // ${i}\n}`,
    `let calls${i} = 0;\nfunction ${fn}(...args: any[]): any {\n  if (calls${i}++ > 0) for (;;) {}\n  return 0;\n}`,
    `function ${fn}(...args: any[]): any { return 0; }\nlet n${i} = ${i};\nwhile (n${i} >= 0) n${i}++;`,
    `function* forever${i}() { while (true) yield ${i}; }\nfunction ${fn}(...args: any[]): any {\n  let s = 0;\n  for (const x of forever${i}()) s += x;\n  return s;\n}`,
    `let seen${i} = false;\nfunction ${fn}(...args: any[]): any {\n  if (seen${i}) { outer: for (;;) { for (let k = 0; k < 10; k++) continue outer; } }\n  seen${i} = true;\n  return [];\n}`,
    `function ${fn}(...args: any[]): any { return ${i}; }\nPromise.resolve().then(function again(): Promise<void> { return Promise.resolve().then(again); });`,
    `function ${fn}(...args: any[]): any {\n  let x = ${i} + 1;\n  do { x = (x * 7) % 1000003; } while (x !== 0);\n  return x;\n}`,
  ];
  return forms[i % forms.length];
}

test("a learner with many different endless loops costs at most its budget; the honest learner beside it keeps full marks, and everyone has a report", () => {
  const dir = tempDir("bp-budget-class-");
  learnerFolder(path.join(dir, "a-honest"), () => undefined);
  learnerFolder(path.join(dir, "b-hostile"), (id, i) => endless(course.spec(id)!.defines[0], i));
  learnerFolder(path.join(dir, "c-honest"), () => undefined);
  const out = tempDir("bp-budget-out-");
  const started = Date.now();
  // Budgets are stretched by the load per core (class-grade.ts): so is the bound below.
  const stretch = Math.max(1, os.loadavg()[0] / os.availableParallelism());
  // A 60 s limit per exercise makes the loops that show progress expensive: without a budget the
  // hostile learner alone would cost over 15 minutes of worker time (a dozen of its loops rerun at
  // the full limit); with a 40 s budget grading stops there and the class goes on. (40 s: an honest
  // learner's whole work takes ~1 s on an idle machine and ~10 s under a load of 10 on 2 cores.)
  const r = runCli([dir, "--out", out, "--timeout", "60000", "--budget", "40"], { env: UNSHARED });
  const seconds = (Date.now() - started) / 1000;
  expect(r.stderr).toBe("");
  expect(r.code).toBe(2); // the hostile learner was not fully graded, and the class run says so
  for (const learner of ["a-honest", "c-honest"]) {
    const res = results(out, learner);
    expect([learner, res.score]).toEqual([learner, res.max_score]);
  }
  const hostile = results(out, "b-hostile");
  expect(hostile.score).toBe(0);
  expect(hostile.tests.length).toBe(course.specs.length);
  expect(hostile.output).toMatch(/grading stopped after \d+ s: .*; these exercises were not graded: [a-z0-9-]+(, [a-z0-9-]+)*\. /);
  const notGraded = hostile.tests.filter((t) => /not graded: the learner's grading budget ran out/.test(t.output));
  expect(notGraded.length).toBeGreaterThan(0);
  const listed = /these exercises were not graded: ([^.]*)\./.exec(hostile.output!)![1].split(", ");
  expect(listed).toEqual(notGraded.map((t) => idOf(t.name)));
  expect(r.stdout).toMatch(/! b-hostile: .*grading stopped after \d+ s/);
  expect(fs.readFileSync(path.join(out, "gradebook.csv"), "utf8").trim().split("\n").length).toBe(4);
  // The bound: far below what the loops would cost without the budget (over 7 minutes on 2
  // lanes), with room for a loaded machine.
  expect(seconds).toBeLessThan(240 * stretch);
}, 400_000);

describe("a run stopped at the short limit", () => {
  const sigmoid = course.spec("sigmoid")!;
  async function run(body: string, probes: number, fullMs = 60_000): Promise<import("../grader/engine/run/job").JobResult> {
    const { compileCell } = await import("../grader/engine/compile/compile");
    const { jobFor } = await import("../grader/engine/stages");
    const { runJobs } = await import("../grader/engine/run/pool");
    const c = compileCell(`// exercise: sigmoid\n${body}`);
    if (!c.ok) throw new Error(c.problems[0].message);
    const job = jobFor(course, sigmoid, c.compiled, 1, fullMs, "isolate");
    // A 300 ms short limit for the first answer, forced: the ~5 s variant's three calls are far past it together.
    const short = { ...job, key: `${job.key}\0short`, firstAnswerMs: 300, probes: job.probes.slice(0, probes) };
    return (await runJobs([short], { lanes: 1 })).get(short.key)!;
  }

  test("goes on with the whole limit once the first check is answered: slow but correct code passes", async () => {
    const r = await run(VERY_SLOW_SIGMOID, 6);
    expect(r.outcomes.map((o) => o.status)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok"]);
  }, 300_000);

  test("a loop after the first answer is stopped at the exercise's own limit, not the short one", async () => {
    const r = await run("let calls = 0;\nfunction sigmoid(z: number): number {\n  if (calls++ > 0) for (;;) {}\n  return 1 / (1 + Math.exp(-z));\n}", 3, 2000);
    expect(r.outcomes.map((o) => [o.status, o.status === "timeout" ? [o.ms, o.stuck ?? false] : null])).toEqual([
      ["ok", null],
      ["timeout", [2000, false]],
      ["timeout", [2000, false]],
    ]);
  }, 300_000);

  test("is a verdict when the cell ran and not one probe was answered: a loop that never ends, said without a number that depends on the machine", async () => {
    const r = await run("function sigmoid(z: number): number {\n  while (true) {}\n}", 3);
    expect(r.outcomes.map((o) => o.status)).toEqual(["timeout", "timeout", "timeout"]);
    const { describeOutcome } = await import("../grader/engine/judge/judge");
    expect(describeOutcome(r.outcomes[0])).toBe("stopped without finishing: running the cell and answering its first check took over 100 times what the reference solution takes for both: is there a loop that never ends?");
  }, 300_000);

  test("holds a loop at the cell's top level too, not only in the function: stuck, not stopped at the whole limit", async () => {
    const r = await run("function sigmoid(z: number): number { return 1 / (1 + Math.exp(-z)); }\nlet spins = 0;\nwhile (spins >= 0) spins++;", 3);
    expect(r.outcomes.map((o) => (o.status === "timeout" ? [o.ms, o.stuck] : o.status))).toEqual([[300, true], [300, true], [300, true]]);
  }, 300_000);

  test("is held by the worker itself, which lives on: the next job is answered by the same process", async () => {
    const honest = "function sigmoid(z: number): number { return 1 / (1 + Math.exp(-z)); }";
    expect((await run(honest, 2)).outcomes.map((o) => o.status)).toEqual(["ok", "ok"]);
    const before = childPids("run/worker.js");
    expect(before.length).toBeGreaterThan(0);
    const stuck = await run("function sigmoid(z: number): number {\n  for (let i = 0; ; i++) {}\n}", 2);
    expect(stuck.outcomes.map((o) => (o.status === "timeout" ? [o.ms, o.stuck] : o.status))).toEqual([[300, true], [300, true]]);
    expect((await run(honest, 2)).outcomes.map((o) => o.status)).toEqual(["ok", "ok"]);
    // Stopping the process and starting a new one costs about 0.1 s of CPU per stuck cell.
    expect(childPids("run/worker.js")).toEqual(before);
  }, 300_000);

  test("judges a cell that fills memory by the memory limit, not by how far it got when the window closed: the same verdict every time", async () => {
    // Stopped at the window, these stood at +77 MB (small objects) and +250-260 MB (the other two):
    // near the isolate's limit, where one grading said "out of memory" and the next "stuck".
    const honest = "function sigmoid(z: number): number { return 1 / (1 + Math.exp(-z)); }\n";
    const fills = {
      "a huge sparse fill V8 cannot interrupt": "const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(2e7).fill(1.5));",
      "small objects, one at a time": "const hoard: object[] = [];\nwhile (true) hoard.push({ i: hoard.length, s: 'x' + hoard.length });",
      "strings that grow": "let s = 'x';\nconst hoard: string[] = [];\nwhile (true) { s = s + s.length; hoard.push(s.slice(-100) + hoard.length); }",
    };
    for (const [what, body] of Object.entries(fills)) {
      for (let i = 0; i < 2; i++) {
        // The whole limit is where the rerun ends: 60 s, so that a loaded machine cannot turn the
        // hoard of small objects (about a second of CPU to the memory limit, V8 collecting again
        // and again near it) into a timeout there: at 8 s it did once, in a whole suite run beside
        // the other test files, and at 20 s once on a machine twice as slow. What is tested is the
        // window, not how fast memory fills; each run ends at the memory limit, in about 2 s alone.
        const { laneStats } = await import("../grader/engine/run/pool");
        const runsBefore = laneStats.attempts;
        const r = await run(honest + body, 2, 60_000);
        expect([what, r.outcomes.map((o) => (o.status === "crashed" ? o.why : o.status))]).toEqual([what, ["it used more than 256 MB of memory", "it used more than 256 MB of memory"]]);
        // In one run: the worker lifts the window of a cell that is filling memory, and the cell
        // goes on from where it is (window.ts), instead of being stopped and run again from the start.
        expect([what, laneStats.attempts - runsBefore]).toEqual([what, 1]);
      }
    }
    // A loop that allocates and lets go grows by a few MB: stuck at the window, as a plain loop.
    const churn = await run(`${honest}while (true) { const t = new Array(1000).fill(0); void t; }`, 2, 3000);
    expect(churn.outcomes.map((o) => (o.status === "timeout" ? [o.ms, o.stuck] : o.status))).toEqual([[300, true], [300, true]]);
    expect(churn.windowGrowthKb).toBeLessThan(32 * 1024);
  }, 600_000);

  test("holds code V8 cannot interrupt (indexOf over a sparse array of 2^32 - 1 places): the worker's parent stops it at the window", async () => {
    // V8 walks every place of the array in one builtin that never looks for an interrupt (in a
    // vm context with a 100 ms timeout it ran on for minutes), and holds no more memory as it
    // goes: only the window, held by the worker's parent, can stop it before the whole limit.
    // (An earlier version of this case filled huge arrays: how soon that ran out of memory
    // depended on the machine's speed, and on a fast one it did before the window closed.)
    const r = await run("function sigmoid(z: number): number { return 1 / (1 + Math.exp(-z)); }\nconst sparse: number[] = [];\nsparse.length = 2 ** 32 - 1;\nsparse[3] = 1;\nsparse.indexOf(2);", 2);
    // Stuck at 300 ms is the window's verdict; without it the stop came at the whole limit, as a
    // plain timeout of that limit, 60 s later (measured: 61 s). Judged by the verdict, not a clock.
    expect(r.outcomes.map((o) => (o.status === "timeout" ? [o.ms, o.stuck] : o.status))).toEqual([[300, true], [300, true]]);
  }, 300_000);
});
