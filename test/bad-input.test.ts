// Every way a submission can be broken gets a message naming the notebook and
// cell, the rest is still graded, and the learner's file is never modified.
import * as fs from "node:fs";
import * as path from "node:path";
import { exitCode } from "../grader/engine/judge/result";
import { editNotebook, gradePaths, master, runCli, sha, sourceOf, tempDir, withExerciseCell } from "./helpers";
import { ONE_HOT } from "../grader/engine/run/sandbox";
import { oneHot } from "../grader/lab/mnist";

const SLUG = "01-forward-pass";

async function gradeCell(id: string, body: string, opts: { timeoutMs?: number } = {}) {
  const dir = tempDir();
  const file = withExerciseCell(master(SLUG), id, body, path.join(dir, `${SLUG}.ipynb`));
  const before = sha(file);
  const report = await gradePaths([file], opts);
  expect(sha(file)).toBe(before);
  const result = report.results.find((r) => r.id === id)!;
  const others = report.results.filter((r) => r.id !== id);
  for (const o of others) expect([o.id, o.status]).toEqual([o.id, "passed"]);
  return { report, result, file };
}

function text(r: { problem?: string; failures: { actual: string; why?: string }[] }): string {
  return [r.problem ?? "", ...r.failures.map((f) => `${f.actual} ${f.why ?? ""}`)].join("\n");
}

describe("a learner's function that misbehaves costs that exercise only", () => {
  test("returns a string", async () => {
    const { result } = await gradeCell("weighted-sum", 'function weightedSum(w: number, aPrev: number, b: number): number {\n  return String(w * aPrev + b) as unknown as number;\n}');
    expect(result.status).toBe("failed");
    expect(text(result)).toContain("got a string, not a number");
  });

  test("returns a function, or a list that contains itself: said as such, through the worker processes too", async () => {
    const { result } = await gradeCell("weighted-sum", "function weightedSum(w: number, aPrev: number, b: number): number {\n  const a: unknown[] = [];\n  a.push(a);\n  return (w > 0 ? () => 1 : a) as unknown as number;\n}");
    expect(result.status).toBe("failed");
    expect(text(result)).toContain("expected a number, got a function");
    expect(text(result)).toContain("a cycle (an object that contains itself)");
    expect(text(result)).not.toContain("{ name:");
    // A function answer is the same answer each time: no "gives another answer when called again".
    expect(result.likelyCause ?? "").not.toMatch(/another answer for the same input/);
  });

  test("returns NaN", async () => {
    const { result } = await gradeCell("weighted-sum", "function weightedSum(w: number, aPrev: number, b: number): number {\n  return NaN;\n}");
    expect(text(result)).toContain("got NaN");
  });

  test("returns undefined", async () => {
    const { result } = await gradeCell("weighted-sum", "function weightedSum(w: number, aPrev: number, b: number): number {\n  w * aPrev + b;\n}");
    expect(text(result)).toContain("is a `return` missing?");
  });

  test("uses at its top level a name the cell does not define: the hint says why, not the exercise's maths", async () => {
    // trainSet: a value another cell of the notebook made.
    const { result } = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}\nconst first = trainSet[0];");
    expect(result.status).toBe("failed");
    expect(result.problem).toContain("ReferenceError: trainSet is not defined (line 5 of the cell)");
    expect(result.hint).toMatch(/^`trainSet` is not defined when this cell runs on its own/);
  });

  test("calls check(), plot() or drawGraph() at its top level, as the notebook lets it: graded as the function it defines", async () => {
    const { result } = await gradeCell("sigmoid", 'function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}\ncheck("sigmoid", sigmoid);\nplot({ x: [0], y: [sigmoid(0)] });\ndrawGraph(sigmoid);');
    expect([result.status, result.problem]).toEqual(["passed", undefined]);
  });

  test("uses oneHot, which the notebook's first cell imports, with or without importing it again: graded with the lab's own", async () => {
    const body = 'import { oneHot } from "backprop-lab";\nfunction sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z)) + oneHot(3)[0];\n}\nconsole.log(oneHot(7));';
    expect((await gradeCell("sigmoid", body)).result.status).toBe("passed");
    expect((await gradeCell("sigmoid", body.split("\n").slice(1).join("\n"))).result.status).toBe("passed");
  });

  test("uses the console as the notebook's (time, timeEnd, assert, count, group): graded as the function it defines", async () => {
    const body = 'function sigmoid(z: number): number {\n  console.count("calls");\n  console.assert(Number.isFinite(z), "z is", z);\n  return 1 / (1 + Math.exp(-z));\n}\nconsole.time("one call");\nconsole.group("try");\nconsole.log(sigmoid(0));\nconsole.groupEnd();\nconsole.timeLog("one call");\nconsole.timeEnd("one call");\nconsole.table([1]);\nconsole.trace("here");';
    const { result } = await gradeCell("sigmoid", body);
    expect([result.status, result.problem]).toEqual(["passed", undefined]);
  });

  test("a demo line uses what the notebook's Node has (a timer, queueMicrotask, crypto, base64, TextEncoder, global, process.hrtime, performance.mark): graded as the function it defines", async () => {
    const body = `function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
const want = (ok: boolean, what: string) => { if (!ok) throw new Error("wrong: " + what); };
setTimeout(() => console.log("later"), 10);
queueMicrotask(() => console.log("micro"));
want(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()), "uuid");
want(btoa("abc?xyz") === "YWJjP3h5eg==" && btoa("ab") === "YWI=" && atob("YWJjP3h5eg==") === "abc?xyz" && atob("YWI=") === "ab", "base64");
want(new TextDecoder().decode(new TextEncoder().encode("héllo ✓")) === "héllo ✓" && new TextEncoder().encode("é").length === 2, "utf8");
want(global === globalThis, "global");
want(typeof process.hrtime.bigint() === "bigint" && process.hrtime().length === 2 && typeof process.memoryUsage().heapUsed === "number", "process");
performance.mark("a"); performance.measure("m", "a");
const bytes = crypto.getRandomValues(new Uint8Array(4));
want(bytes.length === 4, "bytes");
console.log("σ(0) =", sigmoid(0));`;
    const { result } = await gradeCell("sigmoid", body);
    expect([result.status, result.problem]).toEqual(["passed", undefined]);
  });

  test("a demo line uses what grading has not (Buffer): the message says so, and where such a line can go", async () => {
    const { result } = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}\nconsole.log(Buffer.from([1, 2]));");
    expect(result.problem).toContain("without Node's `Buffer` (the notebook has it)");
    expect(result.hint).toMatch(/can go into a cell of its own/);
  });

  test("the sandbox's oneHot answers as the lab's does, errors included", () => {
    const sandboxed = new Function(`return (${ONE_HOT});`)() as (label: number) => number[];
    for (const label of [0, 3, 9]) expect(sandboxed(label)).toEqual(oneHot(label));
    for (const label of [-1, 10, 2.5, NaN]) expect(() => sandboxed(label)).toThrow(new RangeError(`label ${label} is not a digit 0..9`));
    for (const label of [-1, 10, 2.5, NaN]) expect(() => oneHot(label)).toThrow(new RangeError(`label ${label} is not a digit 0..9`));
  });

  test("a demo line calls a lab function that needs the notebook (loadMnist reads files): the functions above it are still judged, as in the notebook", async () => {
    const { result } = await gradeCell("sigmoid", 'import { loadMnist } from "backprop-lab";\nfunction sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}\nconst digits = loadMnist();');
    expect([result.status, result.problem]).toEqual(["passed", undefined]);
  });

  test("uses a lab function the notebook's first cell imported, without importing it again: a right function passes; a wrong one fails, and the message and hint say the rest of the cell did not run", async () => {
    const right = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}\nconst peek = loadMnist({ trainLimit: 3 });");
    expect(right.result.status).toBe("passed");
    const { result } = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(z));\n}\nconst peek = loadMnist({ trainLimit: 3 });");
    expect(result.status).toBe("failed");
    expect(result.problem).toBe('loadMnist from "backprop-lab" is not available while grading: each exercise cell runs on its own, without files or the notebook kernel; call it in a cell of its own, outside the exercise cell; grading went on without the rest of the cell\'s top-level code (from line 5), which may be what these checks miss');
    expect(result.hint).toMatch(/Move the line that calls a notebook helper \(loadMnist, digitImage…\) into a cell of its own, below the exercise cell: while grading, the cell's top-level code stops there\.$/);
    // What the rest of the cell would have defined is missing, and says so.
    const after = await gradeCell("sigmoid", "const peek = loadMnist({ trainLimit: 3 });\nconst sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));");
    expect(after.result.status).toBe("failed");
    // A cell may still define its own function of such a name.
    const own = await gradeCell("sigmoid", "function digitImage(): number {\n  return 1;\n}\nfunction sigmoid(z: number): number {\n  return digitImage() / (1 + Math.exp(-z));\n}");
    expect(own.result.status).toBe("passed");
  });

  test("process.exit at the cell's top level is named as such", async () => {
    const { result } = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}\nprocess.exit(0);");
    expect(result.problem).toMatch(/^process\.exit\(0\) was called: the grader ignores it/);
  });

  test("adds a method to Array.prototype (frozen while grading): the message says so", async () => {
    const { result } = await gradeCell("sigmoid", "Array.prototype.squash = function () { return this.map((z: number) => 1 / (1 + Math.exp(-z))); };\nfunction sigmoid(z: number): number {\n  return ([z] as any).squash()[0];\n}");
    expect(result.status).toBe("failed");
    expect(text(result)).toContain("squash is not a function (the cell adds squash to Array.prototype: while grading, JavaScript's built-in objects are frozen");
  });

  test("throws, and the message points at the line in the cell", async () => {
    const { result } = await gradeCell("sigmoid", 'function sigmoid(z: number): number {\n  const e = Math.exp(-z);\n  throw new Error("oops");\n}');
    expect(result.problem).toContain("threw Error: oops");
    expect(result.line).toBe(4); // marker is line 1; the throw is the cell's 4th line
  });

  test("calls process.exit()", async () => {
    const { result, report } = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  process.exit(1);\n  return 0;\n}");
    expect(result.problem).toContain("process.exit(1) was called");
    expect(report.results.length).toBe(5);
  });

  test("loops forever: stopped after the time limit, the rest graded", async () => {
    const { result } = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  while (true) {}\n}", { timeoutMs: 500 });
    expect(result.status).toBe("failed");
    expect(result.problem).toMatch(/stopped after 0\.5 s without finishing: is there a loop that never ends\?/);
  });

  test("a long loop at the cell's top level: the hint says the cell's own code did not finish, not the maths", async () => {
    const { result } = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}\nlet total = 0;\nfor (let i = 0; i >= 0; i++) total += sigmoid(i % 7);", { timeoutMs: 500 });
    expect(result.status).toBe("failed");
    expect(result.hint).toMatch(/^The cell's own top-level code did not finish in time/);
  });

  test("a decorator written as tslab compiles them (target, key, descriptor): graded as it runs in the notebook", async () => {
    const { result } = await gradeCell("sigmoid", `let sigmoidCalls = 0;
function counted(target: any, key: string, descriptor: PropertyDescriptor): PropertyDescriptor {
  const original = descriptor.value;
  descriptor.value = function (this: unknown, ...args: any[]) {
    sigmoidCalls++;
    return original.apply(this, args);
  };
  return descriptor;
}
class Activation {
  @counted
  static sigmoid(z: number): number {
    return 1 / (1 + Math.exp(-z));
  }
}
function sigmoid(z: number): number {
  return Activation.sigmoid(z);
}
console.log("σ(0) =", sigmoid(0), "calls:", sigmoidCalls);`);
    expect([result.status, result.problem]).toEqual(["passed", undefined]);
  });

  test("top-level await (tslab runs it): the hint says why grading cannot, not the maths", async () => {
    const { result } = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}\nconst half = await Promise.resolve(sigmoid(0));");
    expect(result.status).toBe("failed");
    expect(result.hint).toMatch(/^Top-level await runs in the notebook/);
  });

  test("loops forever in promise callbacks", async () => {
    // Each callback queues the next and keeps nothing, so only the time limit can end it.
    const { result } = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  const spin = (): void => { Promise.resolve().then(spin); };\n  spin();\n  return 1 / (1 + Math.exp(-z));\n}", { timeoutMs: 500 });
    expect(result.status).toBe("failed");
    expect(result.problem).toMatch(/stopped after 0\.5 s without finishing/);
  });

  test("loops forever in promise callbacks that chain: whichever limit comes first ends it", async () => {
    // Returning the next promise chains them all, so memory grows with time: a fast machine
    // reaches 256 MB before 0.5 s, a slow one does not (CI saw both). Either message is right.
    const { result } = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  const spin = (): Promise<void> => Promise.resolve().then(spin);\n  spin();\n  return 1 / (1 + Math.exp(-z));\n}", { timeoutMs: 500 });
    expect(result.status).toBe("failed");
    expect(result.problem).toMatch(/stopped after 0\.5 s without finishing|used more than 256 MB of memory/);
  });

  test("allocates more memory than allowed, in one go: the grader survives", async () => {
    // A time limit the memory limit always comes first under: with the 2 s default a loaded
    // machine (seen: load 16) ended the fill as a loop before it reached 256 MB.
    const { result } = await gradeCell("sigmoid", "const hoard = new Array(4e7).fill(1.5);\nfunction sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}", { timeoutMs: 60_000 });
    expect(result.status).toBe("failed");
    // Out of memory however loaded the machine: V8's abort is recognised, and a worker stopped at
    // the hard deadline while holding that much is out of memory too.
    expect(result.problem).toMatch(/used more than 256 MB of memory/);
  }, 180_000);

  test("has a syntax error: pointed at the line of the cell", async () => {
    const { result } = await gradeCell("sigmoid", "function sigmoid(z: number): number {\n  return 1 / (1 + Math.exp(-z);\n}");
    expect(result.problem).toMatch(/^syntax error at line 3, column \d+ of the cell: /);
    expect(result.line).toBe(3);
  });

  test("uses a name only defined in another cell", async () => {
    const { result } = await gradeCell("activation", "const aL: number = sigmoid(zL);");
    expect(result.problem).toMatch(/zL is not defined/);
  });

  test("does not define the name the exercise asks for", async () => {
    const { result } = await gradeCell("sigmoid", "function sigma(z: number): number {\n  return 1 / (1 + Math.exp(-z));\n}");
    expect(result.problem).toContain("`sigmoid` is not defined in the exercise cell");
  });
});

describe("learner code is isolated", () => {
  test("overwriting Math.exp stays inside that exercise", async () => {
    const { result } = await gradeCell("weighted-sum", "Math.exp = () => 42;\nfunction weightedSum(w: number, aPrev: number, b: number): number {\n  return w * aPrev + b;\n}");
    expect(result.status).toBe("passed"); // and gradeCell checked sigmoid etc. still pass
  });

  test("cannot reach the real process, require, or the file system", async () => {
    const body = `function weightedSum(w: number, aPrev: number, b: number): number {
  const F = (weightedSum as any).constructor.constructor;
  const p = F("return typeof process === 'object' ? process : null")();
  if (p && p.mainModule) return 1e9;
  try { (require as any)("fs").writeFileSync("/tmp/bp-escaped", "x"); } catch (e) { /* refused */ }
  return w * aPrev + b;
}`;
    const { result } = await gradeCell("weighted-sum", body);
    expect(result.status).toBe("passed");
    expect(fs.existsSync("/tmp/bp-escaped")).toBe(false);
  });

  test("cannot read the reference solution of what it builds on", async () => {
    const { result } = await gradeCell("activation", "const aL: number = sigmoid.toString().includes('Math.exp') ? 0.7549 : -1;");
    expect(result.status).toBe("failed");
  });

  // A forged harness: answers every sigmoid probe with the right σ(z), in the harness's own
  // wire format, whatever the learner's sigmoid returns (0.5 below). With `__bp` writable or
  // configurable the grader would ask it, and the cell would get full marks.
  const FORGED_DISPATCH_ALL = `function (input) {
  var probes = JSON.parse(input);
  var out = [];
  for (var i = 0; i < probes.length; i++) {
    var arg = probes[i].argsJson === undefined ? { n: 0 } : JSON.parse(probes[i].argsJson)[0];
    var z = arg.n === "Infinity" ? Infinity : arg.n === "-Infinity" ? -Infinity : arg.n === "NaN" ? NaN : arg.n;
    var s = 1 / (1 + Math.exp(-z));
    out.push(JSON.stringify({ ok: true, value: { n: s === s ? s : "NaN" } }));
  }
  return "[" + out.join(",") + "]";
}`;

  test("a forged harness answers right in the harness's wire format (so the test below can fail)", async () => {
    const vm = await import("node:vm");
    const { parseAnswer, toWire } = await import("../grader/engine/run/sandbox");
    const zs = [0, 1000, -1000, 2, -0.5];
    const forged = vm.runInNewContext(`(${FORGED_DISPATCH_ALL})`) as (input: string) => string;
    const answers = JSON.parse(forged(JSON.stringify(zs.map((z) => toWire({ kind: "call", fn: "sigmoid", args: [z] }))))) as unknown[];
    expect(answers.map((a) => parseAnswer(JSON.stringify(a), "sigmoid"))).toEqual(zs.map((z) => ({ status: "ok", value: 1 / (1 + Math.exp(-z)), mutated: false })));
  });

  test("cannot change its own score through the harness", async () => {
    // Every route to replace the harness or its dispatchAll, each allowed to fail quietly.
    const body = `const __forged = { dispatchAll: ${FORGED_DISPATCH_ALL.replace("function (input)", "function (input: any): string")}, partial: () => "[]" };
const __g: any = globalThis;
try { __g.__bp = __forged; } catch {}
try { Object.defineProperty(__g, "__bp", { value: __forged }); } catch {}
try { __g.__bp.dispatchAll = __forged.dispatchAll; } catch {}
try { Object.defineProperty(__g.__bp, "dispatchAll", { value: __forged.dispatchAll }); } catch {}
try { Object.setPrototypeOf(__g.__bp, __forged); } catch {}
try { (0, eval)("let __bp = globalThis.__forgedHarness;"); } catch {}
function sigmoid(z: number): number {
  return 0.5;
}`.replace("const __g: any = globalThis;", "const __g: any = globalThis;\n__g.__forgedHarness = __forged;");
    const { result } = await gradeCell("sigmoid", body);
    // The cell itself ran fine; only its own sigmoid answered.
    expect(result.problem).toBeUndefined();
    expect(result.status).toBe("failed");
    expect(result.score).toBe(0);
    expect(result.checks.passed).toBeLessThan(result.checks.total / 2);
    expect(result.failures.length).toBeGreaterThan(0);
    for (const f of result.failures) expect([f.label, f.actual]).toEqual([f.label, "0.5"]);
  });
});

describe("broken notebooks: a clear message, exit code 2, the rest still graded", () => {
  function gradeRaw(content: string) {
    const dir = tempDir();
    const file = path.join(dir, `${SLUG}.ipynb`);
    fs.writeFileSync(file, content);
    const before = sha(file);
    const r = runCli([file]);
    expect(sha(file)).toBe(before);
    return r;
  }

  test("invalid JSON", () => {
    const r = gradeRaw(fs.readFileSync(master(SLUG), "utf8").slice(0, 500));
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/01-forward-pass\.ipynb: is not valid JSON \(.*line \d+/);
  });

  test("an empty file", () => {
    const r = gradeRaw("");
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/01-forward-pass\.ipynb: the file is empty/);
  });

  test("a missing file", () => {
    const r = runCli([path.join(tempDir(), "01-forward-pass.ipynb")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/01-forward-pass\.ipynb: file not found/);
  });

  test("a deleted `// exercise:` line: that exercise not graded, the others are", () => {
    const dir = tempDir();
    const file = editNotebook(master(SLUG), path.join(dir, `${SLUG}.ipynb`), (nb) => {
      const cell = nb.cells.find((c) => sourceOf(c).startsWith("// exercise: sigmoid"))!;
      cell.source = sourceOf(cell).replace("// exercise: sigmoid\n", "");
    });
    const r = runCli([file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/! sigmoid\s+0\/2\s+not graded/);
    expect(r.stdout).toMatch(/no cell starts with `\/\/ exercise: sigmoid`/);
    expect(r.stdout).toMatch(/✔ weighted-sum\s+1\/1/);
  });

  test("a duplicated `// exercise:` line names both cells", async () => {
    const dir = tempDir();
    const file = editNotebook(master(SLUG), path.join(dir, `${SLUG}.ipynb`), (nb) => {
      const i = nb.cells.findIndex((c) => sourceOf(c).startsWith("// exercise: sigmoid"));
      nb.cells.splice(i + 1, 0, { ...nb.cells[i] });
    });
    const report = await gradePaths([file]);
    expect(exitCode(report)).toBe(2);
    const sig = report.results.find((r) => r.id === "sigmoid")!;
    expect(sig.status).toBe("error");
    expect(sig.problem).toMatch(/a second cell marked `\/\/ exercise: sigmoid` \(the first is under "[^"]+"\)/);
    expect(report.problems.some((p) => p.cell !== undefined && /second cell/.test(p.message))).toBe(true);
    expect(report.results.find((r) => r.id === "weighted-sum")!.status).toBe("passed");
  });

  test("a marker moved off the first line is spotted", async () => {
    const dir = tempDir();
    const file = editNotebook(master(SLUG), path.join(dir, `${SLUG}.ipynb`), (nb) => {
      const cell = nb.cells.find((c) => sourceOf(c).startsWith("// exercise: sigmoid"))!;
      cell.source = "// my sigmoid\n" + sourceOf(cell);
    });
    const report = await gradePaths([file]);
    expect(report.problems.map((p) => p.message).join("\n")).toMatch(/line 2 looks like an exercise marker, but the marker must be the cell's first line/);
  });
});
