// What learner code may use while graded: mathjs (its matrices are accepted
// and converted), console output (kept, shown with failures); and `--watch`.
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, gradePaths, learner, master, root, tempDir, testIf, withExerciseCell } from "./helpers";

test("a layer written with mathjs matrices, returning a Matrix, is accepted", async () => {
  const body = `import * as math from "mathjs";
function layerForward(W: number[][], aPrev: number[], b: number[]): number[] {
  const z = math.add(math.multiply(math.matrix(W), math.matrix(aPrev)), math.matrix(b));
  return math.map(z, (v: number) => 1 / (1 + Math.exp(-v))) as unknown as number[];
}`;
  const dir = tempDir();
  const file = withExerciseCell(master("03-many-neurons"), "layer-forward", body, path.join(dir, "03-many-neurons.ipynb"));
  const r = (await gradePaths([file], { only: ["layer-forward"] })).results[0];
  expect([r.status, r.problem]).toEqual(["passed", undefined]);
});

describe("mathjs is not available to a cell that did not import it", () => {
  // The cell looks for mathjs every way it could be within reach: any global (own or
  // inherited, hidden or not, `__mathjs` included) that looks like the library, and
  // require() under a name the import scan does not see. Found, it answers right (and
  // passes); not found, every answer is -1.
  const search = `function findMathjs(): any {
  const looksLikeMathjs = (v: any) => { try { return !!v && typeof v.multiply === "function" && typeof v.matrix === "function" && typeof v.evaluate === "function"; } catch { return false; } };
  for (let o: any = globalThis; o; o = Object.getPrototypeOf(o)) {
    for (const k of Reflect.ownKeys(o)) {
      let v: any;
      try { v = (globalThis as any)[k]; } catch { continue; }
      if (looksLikeMathjs(v)) return v;
    }
  }
  try { const r: any = require; const m = r("math" + "js"); if (looksLikeMathjs(m)) return m; } catch {}
  return null;
}
function paramCount(sizes: number[]): number {
  const m = findMathjs();
  if (!m) return -1;
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n = m.add(n, m.add(m.multiply(sizes[l - 1], sizes[l]), sizes[l]));
  return n;
}`;

  async function gradeParamCount(body: string) {
    const file = withExerciseCell(master("03-many-neurons"), "param-count", body, path.join(tempDir(), "03-many-neurons.ipynb"));
    return (await gradePaths([file], { only: ["param-count"] })).results[0];
  }

  test("the search finds mathjs when the cell imports it (so it can tell)", async () => {
    const r = await gradeParamCount(`import * as math from "mathjs";\nvoid math;\n${search}`);
    expect([r.status, r.problem]).toEqual(["passed", undefined]);
  });

  test("without the import, nothing in reach is mathjs", async () => {
    const r = await gradeParamCount(search);
    expect([r.status, r.problem]).toEqual(["failed", undefined]);
    expect(r.failures.length).toBeGreaterThan(0);
    for (const f of r.failures) expect(f.actual).toBe("-1");
  });
});

test("console output of a failing exercise is kept for the report", async () => {
  const body = 'function sigmoid(z: number): number {\n  console.log("z is", z);\n  return 0.5;\n}';
  const dir = tempDir();
  const file = withExerciseCell(master("01-forward-pass"), "sigmoid", body, path.join(dir, "01-forward-pass.ipynb"));
  const r = (await gradePaths([file], { only: ["sigmoid"] })).results[0];
  expect(r.status).toBe("failed");
  expect(r.console[0]).toBe("z is 0");
});

test("--watch grades again when a notebook is saved", async () => {
  const dir = tempDir();
  const file = path.join(dir, "01-forward-pass.ipynb");
  fs.copyFileSync(learner("01-forward-pass"), file);
  const child = spawn(process.execPath, [cli, file, "weighted-sum", "--watch"], { env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  // Up to 60 s each: a loaded machine may take that long; an idle one answers in about one.
  const waitFor = async (re: RegExp) => {
    for (const end = Date.now() + 60_000; Date.now() < end && !re.test(out); ) await new Promise((r) => setTimeout(r, 50));
    return re.test(out);
  };
  try {
    expect(await waitFor(/weighted-sum\s+0\/1\s+not started[\s\S]*Watching/)).toBe(true);
    // Save the way Jupyter does: write a temporary file, then rename it over the notebook.
    withExerciseCell(master("01-forward-pass"), "weighted-sum", "function weightedSum(w: number, aPrev: number, b: number): number {\n  return w * aPrev + b;\n}", `${file}.tmp`);
    fs.renameSync(`${file}.tmp`, file);
    expect(await waitFor(/weighted-sum\s+1\/1\s+passed/)).toBe(true);
  } finally {
    child.kill();
  }
}, 150_000);

// /proc is where the resident size is read: Linux only.
testIf(process.platform === "linux")("a worker stopped at its hard deadline says how much memory it held (Linux), so a memory hog is not called a loop", async () => {
  const { Child } = await import("../grader/engine/run/child");
  const { compileCell } = await import("../grader/engine/compile/compile");
  const hog = compileCell("// exercise: x\nconst held = new Float64Array(4e7).fill(1);\nwhile (held.length > 0) {}");
  if (!hog.ok) throw new Error(hog.problems[0].message);
  const child = new Child({ entry: "run/worker.js", reads: [], addons: false, heapMb: 256 });
  // The cell's own budget (600 s) is far away: only the hard deadline can stop it. The array must be
  // filled by then: 2 s is plenty on an idle machine; a loaded one gets longer deadlines, so the
  // verdict never rests on the machine's speed. Each try starts a fresh worker process.
  const job = { key: "hog", budgetMs: 600_000, boundary: "vm" as const, prelude: [], learner: { compiled: hog.compiled, filename: "cell" }, probes: [] };
  let a: Awaited<ReturnType<typeof child.request>> | undefined;
  for (const deadline of [2_000, 10_000, 60_000]) {
    a = await child.request(job, deadline);
    if (a.ok || a.why !== "timeout") throw new Error(`expected a timeout, got ${JSON.stringify(a)}`);
    if ((a.rssKb ?? 0) > 300 * 1024) break;
  }
  if (!a || a.ok || a.why !== "timeout") throw new Error("unreachable");
  expect(a.rssKb).toBeGreaterThan(300 * 1024); // the 320 MB array, held when it was stopped
}, 120_000);

testIf(process.platform === "linux")("a job whose worker grows past what the isolate may hold is stopped then, long before its deadline (the pool then judges it out of memory: it holds more than the isolate may)", async () => {
  const { Child } = await import("../grader/engine/run/child");
  const { compileCell } = await import("../grader/engine/compile/compile");
  // Outside V8's heap (a Node Buffer in the vm realm): nothing but the watch on the process stops it growing.
  const hog = compileCell("// exercise: x\nconst held: unknown[] = [];\nwhile (true) held.push(new Float64Array(1e6).fill(1));");
  if (!hog.ok) throw new Error(hog.problems[0].message);
  const child = new Child({ entry: "run/worker.js", reads: [], addons: false, heapMb: 4096, growthLimitMb: 384 });
  const job = { key: "grow", budgetMs: 600_000, boundary: "vm" as const, prelude: [], learner: { compiled: hog.compiled, filename: "cell" }, probes: [] };
  const started = Date.now();
  const a = await child.request(job, 300_000);
  if (a.ok || a.why !== "timeout") throw new Error(`expected a stop, got ${JSON.stringify(a)}`);
  expect(a.grew).toBe(true);
  expect(a.rssKb).toBeGreaterThan(384 * 1024);
  expect(Date.now() - started).toBeLessThan(300_000);
}, 320_000);

test("a grading worker, once isolated-vm is loaded, can load no native code and signal no process", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require("node:path") as typeof import("node:path");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { workerExecArgv } = require("../grader/engine/run/child") as typeof import("../grader/engine/run/child");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { workerReads } = require("../grader/engine/run/pool") as typeof import("../grader/engine/run/pool");
  const engine = path.join(__dirname, "..", "dist", "grader", "engine");
  const addon = path.join(path.dirname(require.resolve("isolated-vm/package.json")), "out", "isolated_vm.node");
  const script = `require(${JSON.stringify(path.join(engine, "run", "worker.js"))});
const tries = { dlopen: () => process.dlopen({ exports: {} }, ${JSON.stringify(addon)}), kill: () => process.kill(process.pid, 0) };
for (const [k, f] of Object.entries(tries)) { try { f(); console.log(k + ": allowed"); } catch (e) { console.log(k + ": refused"); } }
process.exit(0);`;
  const r = spawnSync(process.execPath, [...workerExecArgv([engine, ...workerReads()], true), "-e", script], { encoding: "utf8", env: {} });
  expect(r.stdout.trim().split("\n")).toEqual(["dlopen: refused", "kill: refused"]);
});

describe("a grading worker's operating-system walls", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { launchCommand, networkIsolation, workerExecArgv, WORKER_ADDRESS_SPACE_MB } = require("../grader/engine/run/child") as typeof import("../grader/engine/run/child");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { workerReads } = require("../grader/engine/run/pool") as typeof import("../grader/engine/run/pool");
  const engine = path.join(__dirname, "..", "dist", "grader", "engine");
  const kind = { entry: "run/worker.js", reads: workerReads(), addons: true, heapMb: 256, addressSpaceMb: WORKER_ADDRESS_SPACE_MB, noNetwork: true };

  /** Run `script` in a process started exactly as a grading worker is (permission flags, prlimit, unshare), after loading the worker's own code. */
  function asWorker(script: string, args: string[] = []): { stdout: string; stderr: string } {
    const cmd = launchCommand(kind, [...workerExecArgv([engine, ...workerReads()], true), "--max-old-space-size=256"]);
    const exe = "execPath" in cmd ? cmd.execPath : process.execPath;
    const r = spawnSync(exe, [...cmd.execArgv, "-e", `require(${JSON.stringify(path.join(engine, "run", "worker.js"))});\n${script}`, ...args], { encoding: "utf8", env: {}, timeout: 60_000 });
    return { stdout: r.stdout, stderr: r.stderr };
  }

  testIf(process.platform === "linux" && networkIsolation().isolated)("cannot open a TCP connection, not even to a port listening on this machine", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const net = require("node:net") as typeof import("node:net");
    const server = net.createServer((s) => s.end("hello"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as import("node:net").AddressInfo;
    try {
      const script = `const s = require("net").connect(${port}, "127.0.0.1");
s.on("connect", () => { console.log("connected"); process.exit(0); });
s.on("error", (e) => { console.log("refused " + e.code); process.exit(0); });`;
      // The same script from this test's own process connects: the port is really open.
      const here = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 });
      expect(here.stdout.trim()).toBe("connected");
      const r = asWorker(script);
      expect(r.stdout.trim()).toMatch(/^refused E[A-Z]+$/);
    } finally {
      server.close();
    }
  });

  test("where it cannot be cut off from the network, the reason is known (and the test above is skipped, which CI refuses)", () => {
    const n = networkIsolation();
    if (!n.isolated) expect(n.why).toMatch(/unshare|Linux|root/);
    else expect(n.isolated).toBe(true);
  });

  testIf(process.platform === "linux" && fs.existsSync("/usr/bin/prlimit"))("cannot map more memory than its address-space cap, whatever allocates it (here Node's own Buffer, outside V8's heap)", () => {
    const script = `const want = ${WORKER_ADDRESS_SPACE_MB + 512} * 1024 * 1024;
try { const b = Buffer.allocUnsafeSlow(want); console.log("allocated " + b.length); } catch (e) { console.log("refused " + e.constructor.name); }`;
    // The machine itself would give it (untouched pages cost nothing): only the cap refuses.
    const here = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(here.stdout.trim()).toMatch(/^allocated \d+$/);
    expect(asWorker(script).stdout.trim()).toBe("refused RangeError");
  });
});

test("hardening a vm realm keeps V8's array-species protector, so the host's own maps stay fast", () => {
  // V8 keeps one such protector per process, not per context: one redefinition of
  // Array.prototype.constructor in any context made every map, filter and slice of the host
  // look up the species from then on (a notebook kernel after its first check(): nested maps
  // 7-18 times slower). Run in a process of its own, so no other test's context is counted.
  const script = `
    const { Sandbox } = require(${JSON.stringify(path.join(root, "dist", "grader", "engine", "run", "sandbox.js"))});
    const before = %ArraySpeciesProtector();
    const sandbox = new Sandbox(2000, "vm");
    sandbox.harden();
    sandbox.dispose();
    process.stdout.write(JSON.stringify({ before, after: %ArraySpeciesProtector() }));`;
  const r = spawnSync(process.execPath, ["--allow-natives-syntax", "-e", script], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(JSON.parse(r.stdout)).toEqual({ before: true, after: true });
});
