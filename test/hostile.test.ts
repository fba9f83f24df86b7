// The hostile corpus: cells written to escape the sandbox, forge a score, read
// the reference solutions, stall or crash the grader, or cost other learners
// points. For each: its own exercise at most, a report always, the notebook's
// bytes unchanged, nothing written outside, honest learners keep their marks.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { workerExecArgv } from "../grader/engine/run/child";
import { isolateAvailable } from "../grader/engine/run/realm";
import type { Report } from "../grader/engine/judge/result";
import { editNotebook, gradePaths, learner, master, root, runCli, sha, sourceOf, tempDir, withExerciseCell } from "./helpers";

// Under CI the real boundary must be there: a missing isolated-vm is a failed build, not a skip.
test("isolated-vm loads here (the boundary these tests prove)", () => {
  expect(isolateAvailable()).toBe(true);
});

/**
 * Cell code that tries every known route from a value it is handed to the host's
 * `process`, and on success writes `mark` and leaves a global flag. The flag is
 * reported on the cell's console (kept in the report): "escape check: contained"
 * when the cell is loaded, "escape check: ESCAPED" the moment any route reaches a
 * process, whoever ran the trap. `expectContained` reads it.
 */
function escapeKit(mark: string): string {
  return `
const __mark = ${JSON.stringify(mark)};
let __said = "";
function __check(): void {
  const now = (globalThis as any).__escaped === true ? "ESCAPED" : "contained";
  if (now === __said) return;
  __said = now;
  console.log("escape check: " + now);
}
__check();
function __tryEscape(x: any): void {
  const routes = [
    () => x.constructor.constructor("return process")(),
    () => x.constructor("return process")(),
    () => Object.getPrototypeOf(x).constructor.constructor("return process")(),
    () => x.caller,
    () => (x as any).getThis && x.getThis(),
    () => (x as any).getFunction && x.getFunction(),
  ];
  for (const route of routes) {
    try {
      const p: any = route();
      if (p && typeof p.pid === "number") {
        (globalThis as any).__escaped = true;
        __check();
        try { p.mainModule.require("fs").writeFileSync(__mark, "escaped " + p.pid); } catch {}
        try { p.getBuiltinModule("fs").writeFileSync(__mark, "escaped " + p.pid); } catch {}
        try { p.kill(p.ppid, "SIGKILL"); } catch {}
      }
      if (typeof p === "function") {
        const src = Function.prototype.toString.call(p);
        // The learner's own functions are theirs to print; the grader's and the references are not.
        if (/SOLUTION|__publish|dispatchAll|function (miniBatches|sgdStep)\b/.test(src)) console.log("LEAK " + src);
      }
    } catch {}
  }
}
`;
}

const PATCH_EVERYTHING = `
const __apply = Reflect.apply;
for (const proto of [Array.prototype, String.prototype, Object.prototype, Number.prototype, Error.prototype, Promise.prototype]) {
  for (const k of Object.getOwnPropertyNames(proto)) {
    if (k === "constructor" || k === "__proto__") continue;
    let orig: any;
    try { orig = (proto as any)[k]; } catch { continue; }
    if (typeof orig !== "function") continue;
    try {
      Object.defineProperty(proto, k, { configurable: true, writable: true, value: function (this: any, ...args: any[]) {
        __tryEscape(this);
        for (const a of args) __tryEscape(a);
        try { __tryEscape(arguments.callee.caller); } catch {}
        return __apply(orig, this, args);
      } });
    } catch {}
  }
}
(Error as any).prepareStackTrace = (e: any, sites: any[]) => { for (const s of sites) __tryEscape(s); return "trace"; };
`;

interface Graded {
  report: Report;
  json: string;
}

async function gradeHostile(slug: string, id: string, body: string, opts: { lanes?: number; timeoutMs?: number; honest?: number } = {}): Promise<Graded & { mark: string; file: string }> {
  const dir = tempDir("bp-hostile-");
  const mark = path.join(dir, "ESCAPED");
  const file = withExerciseCell(master(slug), id, escapeKit(mark) + body, path.join(dir, "learner", `${slug}.ipynb`));
  // Honest learners graded in the same run, sharing the worker processes. Their cells carry this
  // process's id, so they are graded here, alongside the hostile cell, not taken from the run's
  // shared results (global-setup.ts).
  const honest = Array.from({ length: opts.honest ?? 1 }, (_, i) => {
    const f = path.join(dir, `honest-${i}`, `${slug}.ipynb`);
    fs.mkdirSync(path.dirname(f));
    editNotebook(master(slug), f, (nb) => {
      for (const c of nb.cells) if (c.cell_type === "code" && sourceOf(c).startsWith("// exercise: ")) c.source = `${sourceOf(c)}\n// honest learner ${i}, process ${process.pid}`;
    });
    return f;
  });
  const before = sha(file);
  const report = await gradePaths([file, ...honest], { lanes: opts.lanes, timeoutMs: opts.timeoutMs });
  expect(sha(file)).toBe(before);
  expect(fs.existsSync(mark)).toBe(false);
  // Nothing written next to the notebook but what the test itself put there.
  expect(fs.readdirSync(dir).sort()).toEqual(["learner", ...honest.map((_, i) => `honest-${i}`)].sort());
  for (const h of honest) {
    const mine = report.results.filter((r) => r.notebook === h);
    expect(mine.length).toBeGreaterThan(0);
    for (const r of mine) expect([r.id, r.status, r.problem]).toEqual([r.id, "passed", undefined]);
  }
  const json = JSON.stringify(report);
  expect(json).not.toContain("BEGIN SOLUTION");
  expect(json).not.toContain("LEAK");
  expect(json).not.toContain(root);
  return { report, json, mark, file };
}

function resultOf(g: Graded & { file: string }, id: string) {
  return g.report.results.find((r) => r.notebook === g.file && r.id === id)!;
}

/** The kit's flag, read from the cell's console: checked (the line is there) and never set. */
function expectContained(g: Graded & { file: string }, id: string): void {
  const checks = resultOf(g, id).console.filter((line) => line.startsWith("escape check: "));
  expect(checks).toEqual(["escape check: contained"]);
}

describe("escapes through values handed to learner code", () => {
  test("patched prototypes and stack-trace call sites reach nothing: a wrong answer stays wrong", async () => {
    const g = await gradeHostile("01-forward-pass", "sigmoid", `${PATCH_EVERYTHING}
function sigmoid(z: number): number {
  [1, 2, 3].slice(0, 2).map(String).join(",");
  try { null!.toString(); } catch (e) { (e as any).stack; }
  return -1;
}`);
    expect(resultOf(g, "sigmoid").status).toBe("failed");
    expectContained(g, "sigmoid");
    // The other exercises of the hostile notebook are graded from the reference, as usual.
    expect(g.report.results.filter((r) => r.notebook === g.file && r.id !== "sigmoid").every((r) => r.status === "passed")).toBe(true);
  });

  const traps: Record<string, string> = {
    "a getter": "return { get value() { __tryEscape(this); return 0.5; } } as any;",
    "a proxy": "return new Proxy({}, { get(t, k, r) { __tryEscape(r); __tryEscape(t); return 0.5; }, ownKeys(t) { __tryEscape(t); return []; } }) as any;",
    "a thenable": "return { then(resolve: any) { __tryEscape(resolve); resolve(0.5); } } as any;",
    "toJSON": "return { toJSON(k: any) { __tryEscape(this); __tryEscape(k); return 0.5; } } as any;",
    "Symbol.toPrimitive": "return { [Symbol.toPrimitive](hint: any) { __tryEscape(this); return 0.5; }, valueOf() { __tryEscape(this); return 0.5; } } as any;",
    "a function": "return function (this: any) { __tryEscape(this); __tryEscape(arguments.callee.caller); return 0.5; } as any;",
  };
  for (const [what, ret] of Object.entries(traps)) {
    test(`a returned value with ${what} is read inside the sandbox, never by the grader`, async () => {
      const g = await gradeHostile("02-chain-rule", "sigmoid-prime", `function sigmoidPrime(z: number): number {\n  ${ret}\n}`);
      expect(resultOf(g, "sigmoid-prime").status).toBe("failed");
      expectContained(g, "sigmoid-prime");
    });
  }

  // Each trap guards against re-entering itself: the kit reads properties of what it is handed,
  // and an unguarded proxy would recurse until the deadline instead of reaching the grader's read.
  const thrown: Record<string, string> = {
    "a thrown proxy": `let __busy = false;
throw new Proxy({}, { get(t: any, k: any, r: any) { if (!__busy) { __busy = true; try { __tryEscape(r); __tryEscape(t); } finally { __busy = false; } } return "x"; } });`,
    "a thrown getter": `throw { get name() { __tryEscape(this); return "Trap"; }, get message() { __tryEscape(this); return "m"; }, get stack() { __tryEscape(this); return "s"; } };`,
  };
  for (const [what, body] of Object.entries(thrown)) {
    test(`${what} costs that exercise only`, async () => {
      const g = await gradeHostile("03-many-neurons", "cost-vector", body);
      const r = resultOf(g, "cost-vector");
      expect(r.status).toBe("failed");
      // Thrown while the cell was loaded (not a deadline): the grader read the throw and said so.
      expect(r.problem).not.toMatch(/stopped after/);
      expectContained(g, "cost-vector");
    });
  }
});

describe("reference solutions stay out of reach", () => {
  test("a train-epoch cell cannot print the miniBatches or sgdStep references", async () => {
    const g = await gradeHostile("04-learning-from-data", "train-epoch", `${PATCH_EVERYTHING}
console.log(String(miniBatches), String(sgdStep), Function.prototype.toString.call(miniBatches));
function trainEpoch(net: any, data: any, batchSize: number, learningRate: number, rng: () => number): any {
  const seen: string[] = [];
  const stack = new Error("where").stack;
  console.log(stack);
  for (const batch of miniBatches(data, batchSize, rng)) { net = sgdStep(net, batch, learningRate); }
  try { seen.push(String((sgdStep as any).caller)); } catch (e) { seen.push(String(e)); }
  console.log(seen.join("|"));
  return null;
}`);
    const r = resultOf(g, "train-epoch");
    expect(r.status).toBe("failed");
    expect(r.console.join("\n")).toContain("[native code]");
    expectContained(g, "train-epoch");
    expect(g.json).not.toMatch(/for \(const batch of/);
  });

  test("the given cells of chapter 4 do not carry backprop's source", () => {
    const text = fs.readFileSync(learner("04-learning-from-data"), "utf8");
    expect(text).not.toMatch(/function backprop\(/);
  });
});

describe("one learner never costs another", () => {
  test("a FinalizationRegistry callback that never ends stays with its own job", async () => {
    const g = await gradeHostile(
      "01-forward-pass",
      "weighted-sum",
      `const __r = new FinalizationRegistry(() => { while (true) {} });
for (let i = 0; i < 20000; i++) __r.register({ big: new Array(100).fill(i) }, i);
function weightedSum(w: number, aPrev: number, b: number): number {
  for (let i = 0; i < 200; i++) __r.register(new Array(1000).fill(i), i);
  return -1;
}`,
      { lanes: 1, honest: 2 },
    );
    expect(resultOf(g, "weighted-sum").status).toBe("failed");
  });

  test("ArrayBuffers count against the memory limit", async () => {
    // A time limit the memory limit always comes first under (3 × 100 MB filled is well past
    // 256 MB): on a loaded machine the 2 s default could end it as a loop first.
    const g = await gradeHostile("01-forward-pass", "sigmoid", `const __keep: ArrayBuffer[] = [];
for (let i = 0; i < 20; i++) { const b = new ArrayBuffer(100 * 1024 * 1024); new Uint8Array(b).fill(1); __keep.push(b); }
function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}`, { timeoutMs: 60_000 });
    const r = resultOf(g, "sigmoid");
    expect(r.status).toBe("failed");
    expect(r.problem).toMatch(/memory|Array buffer allocation failed/);
  }, 180_000);

  test("changing the input and hiding it with a one-shot Object.prototype.toJSON is still caught", async () => {
    const g = await gradeHostile("02-chain-rule", "gradient-step", `function gradientStep(params: number[], grads: number[], learningRate: number): number[] {
  for (let i = 0; i < params.length; i++) params[i] -= learningRate * grads[i];
  let used = false;
  Object.defineProperty(Object.prototype, "toJSON", { configurable: true, get() { if (used) return undefined; used = true; return () => ({}); } });
  Object.defineProperty(Array.prototype, "toJSON", { configurable: true, value: () => [] });
  return params.slice();
}`);
    const r = resultOf(g, "gradient-step");
    expect(r.status).toBe("failed");
    // The shared prototypes are frozen before learner code runs: the hiding cannot even start.
    expect(r.problem).toMatch(/Cannot define property toJSON, object is not extensible/);
  });

  test("accessors on Array.prototype indices cannot intercept the harness's answers (changing the input still fails)", async () => {
    const g = await gradeHostile("02-chain-rule", "gradient-step", `function gradientStep(params: number[], grads: number[], learningRate: number): number[] {
  for (let i = 0; i < params.length; i++) params[i] -= learningRate * grads[i];
  try {
    for (let i = 0; i < 200; i++) Object.defineProperty(Array.prototype, i, { configurable: true, set(v) { Object.defineProperty(this, i, { value: typeof v === "string" ? v.replace('"mutated":true', '"mutated":false') : v, writable: true, enumerable: true, configurable: true }); } });
  } catch (e) {}
  return params.slice();
}`);
    const r = resultOf(g, "gradient-step");
    expect(r.status).toBe("failed");
    expect(r.checks.passed).toBe(0);
    expect(r.likelyCause).toMatch(/changes (its argument `params`|the params array)/);
  });

  test.each([
    ["a growable ArrayBuffer", "const b = new ArrayBuffer(8, { maxByteLength: 1024 * 1024 * 1024 }); (b as any).resize(320 * 1024 * 1024); new Uint8Array(b).fill(1);"],
    ["a growable SharedArrayBuffer", "const b = new (globalThis as any).SharedArrayBuffer(8, { maxByteLength: 1024 * 1024 * 1024 }); b.grow(320 * 1024 * 1024); new Uint8Array(b).fill(1);"],
    ["WebAssembly memory", "const m = new (globalThis as any).WebAssembly.Memory({ initial: 1, maximum: 16384 }); m.grow(5000); new Uint8Array(m.buffer).fill(1);"],
    ["Atomics.waitAsync", "(globalThis as any).Atomics.waitAsync(new Int32Array(new (globalThis as any).SharedArrayBuffer(16)), 0, 0, 10);"],
  ])("memory the heap limit does not count is not there: %s", async (_what, attack) => {
    const g = await gradeHostile("01-forward-pass", "sigmoid", `${attack}
function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}`);
    const r = resultOf(g, "sigmoid");
    expect(r.status).toBe("failed");
    expect(r.problem).toMatch(/threw TypeError: .*(not a function|not a constructor|undefined)/);
  });

  test("an Array subclass passed to a reference never sees its callbacks: references get plain copies", async () => {
    const g = await gradeHostile("03-many-neurons", "network-forward", `let leaked = "";
class Spy<T> extends Array<T> {
  map<U>(f: (v: T, i: number, a: T[]) => U): U[] { leaked += String(f); return Array.from(this, (v, i) => f(v, i, this)); }
  reduce(...args: any[]): any { leaked += String(args[0]); return (Array.prototype.reduce as any).apply(Array.from(this), args); }
}
const spy = (a: number[][]) => Spy.from(a.map((row) => Spy.from(row)));
function networkForward(net: Network, x: number[]): number[][] {
  const as = [x];
  for (let l = 0; l < net.weights.length; l++) as.push(layerForward(spy(net.weights[l]) as unknown as number[][], Spy.from(as[l]) as unknown as number[], net.biases[l]));
  if (leaked.length > 0) throw new Error("leaked: " + leaked);
  return as;
}`);
    const r = resultOf(g, "network-forward");
    expect([r.status, r.problem]).toEqual(["passed", undefined]);
  });

  test("a wrapped array method never sees a reference's own callbacks: the prototypes are frozen", async () => {
    const g = await gradeHostile("03-many-neurons", "network-forward", `let leaked = "";
try { const map = Array.prototype.map; (Array.prototype as any).map = function (this: unknown[], f: (...a: unknown[]) => unknown) { leaked += String(f); return map.call(this, f); }; } catch (e) {}
function networkForward(net: Network, x: number[]): number[][] {
  const as = [x];
  for (let l = 0; l < net.weights.length; l++) as.push(layerForward(net.weights[l], as[l], net.biases[l]));
  if (leaked.length > 0) throw new Error("leaked: " + leaked);
  return as;
}`);
    const r = resultOf(g, "network-forward");
    expect(r.status).toBe("passed");
  });
});

describe("inputs that broke the grader itself now cost one exercise", () => {
  test("2,500 nested parentheses", async () => {
    const deep = "(".repeat(2500) + "z" + ")".repeat(2500);
    const g = await gradeHostile("01-forward-pass", "sigmoid", `function sigmoid(z: number): number {\n  return ${deep};\n}`);
    const r = resultOf(g, "sigmoid");
    expect(r.status).toBe("failed");
    expect(r.problem).toMatch(/nested too deeply|syntax error|compil/);
  });

  test("a 100,000-term expression is refused by size, with a message", async () => {
    const long = Array.from({ length: 100_000 }, (_, i) => `z*${i % 7}`).join("+");
    const g = await gradeHostile("01-forward-pass", "sigmoid", `function sigmoid(z: number): number {\n  return ${long};\n}`);
    const r = resultOf(g, "sigmoid");
    expect(r.status).toBe("failed");
    expect(r.problem).toMatch(/at most 50000/);
  });

  test("huge error messages and console output are cut, and the report stays small", async () => {
    const dir = tempDir("bp-hostile-");
    let nb = master("01-forward-pass");
    const ids = ["weighted-sum", "sigmoid", "activation", "cost", "forward"];
    for (const id of ids) {
      nb = withExerciseCell(nb, id, `console.log("y".repeat(5_000_000));\nthrow new Error("x".repeat(45_000_000));`, path.join(dir, `${id}.ipynb`));
    }
    const file = path.join(dir, "01-forward-pass.ipynb");
    fs.copyFileSync(nb, file);
    // Time enough to build the 45 MB messages on a loaded machine (seen: the 2 s default ended
    // them as loops, and nothing was left to cut); an idle one needs well under a second.
    const report = await gradePaths([file], { timeoutMs: 60_000 });
    expect(report.results.map((r) => r.status)).toEqual(ids.map(() => "failed"));
    const json = JSON.stringify(report);
    expect(json.length).toBeLessThan(400_000);
    expect(json).toContain("more characters");
  }, 400_000);

  test("a formula answer that would exhaust the grader's memory is refused", async () => {
    const g = await gradeHostile("02-chain-rule", "formula-dc-da", `const dCdA = "2*(a - y) + sum(ones(30000, 30000)) - 900000000";`);
    expect(resultOf(g, "formula-dc-da").status).toBe("failed");
  });
});

describe("the worker process is a second wall", () => {
  test("with the process's own flags: no file writes, no reading solutions/, no child processes, an empty environment", () => {
    const dir = tempDir("bp-perm-");
    const target = path.join(dir, "written");
    const script = `
      const out = {};
      try { require("fs").writeFileSync(${JSON.stringify(target)}, "x"); out.write = "allowed"; } catch (e) { out.write = e.code; }
      try { require("fs").readdirSync(${JSON.stringify(path.join(root, "solutions"))}); out.read = "allowed"; } catch (e) { out.read = e.code; }
      try { require("child_process").spawnSync("true"); out.spawn = "allowed"; } catch (e) { out.spawn = e.code; }
      out.env = Object.keys(process.env).length;
      console.log(JSON.stringify(out));
    `;
    const r = spawnSync(process.execPath, [...workerExecArgv([]), "-e", script], { env: {}, encoding: "utf8" });
    expect(JSON.parse(r.stdout.trim())).toEqual({ write: "ERR_ACCESS_DENIED", read: "ERR_ACCESS_DENIED", spawn: "ERR_ACCESS_DENIED", env: 0 });
    expect(fs.existsSync(target)).toBe(false);
  });
});

describe("the weaker fallback says so, and class grading refuses it", () => {
  const env = { ...process.env, NO_COLOR: "1", BACKPROP_LAB_BOUNDARY: "vm" };
  test("the scorecard labels it", () => {
    const r = spawnSync(process.execPath, [path.join(root, "dist", "grader", "cli.js"), master("01-forward-pass")], { env, encoding: "utf8" });
    expect(r.stdout).toMatch(/weaker sandbox/);
  });

  test("class grading and --require-isolation refuse to run", () => {
    const dir = tempDir("bp-class-");
    for (const name of ["ann", "bob"]) {
      fs.mkdirSync(path.join(dir, name));
      fs.copyFileSync(master("01-forward-pass"), path.join(dir, name, "01-forward-pass.ipynb"));
    }
    const out = path.join(tempDir(), "report");
    const cls = spawnSync(process.execPath, [path.join(root, "dist", "grader", "cli.js"), dir, "--out", out], { env, encoding: "utf8" });
    expect(cls.status).toBe(2);
    expect(cls.stderr).toMatch(/isolated-vm/);
    expect(fs.existsSync(out)).toBe(false);
    const strict = spawnSync(process.execPath, [path.join(root, "dist", "grader", "cli.js"), master("01-forward-pass"), "--require-isolation"], { env, encoding: "utf8" });
    expect(strict.status).toBe(2);
  });

  test("without the override, the real boundary is used", () => {
    const r = runCli([master("01-forward-pass")]);
    expect(r.stdout).not.toMatch(/weaker sandbox/);
  });
});
