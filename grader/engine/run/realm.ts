// Where a sandbox's code runs. Two kinds, one interface:
// - "isolate": a V8 isolate of its own (isolated-vm), with its own heap, a
//   memory limit that counts ArrayBuffers, and nothing of ours inside it:
//   scripts go in as source text, answers come out as strings (copies). This
//   is the security boundary.
// - "vm": a node `vm` context in the worker process. Node says it is no
//   security boundary; it is the fallback where isolated-vm cannot be loaded,
//   for a learner's own practice only (the scorecard says so; class grading and
//   Gradescope refuse it).
// Either way the realm lives in a worker process that runs under Node's
// permission model (see pool.ts), so even an escape reaches nothing.
import * as fs from "node:fs";
import * as vm from "node:vm";

export type BoundaryKind = "isolate" | "vm";

export const MEMORY_LIMIT_MB = 256;

/**
 * How much of its time limit, in CPU, a cell must have had when its deadline passes for the
 * timeout to count. Below it the deadline was wall-clock time the machine gave to others: on
 * a machine shared with a test suite and CPU hogs a process gets half a core or less, and a
 * cell needing most of its limit would fail only there. The pool's hard deadline for a whole
 * job (limit plus grace) is judged by the same share of the worker process's CPU. An endless loop on a quiet machine uses about all of its limit (the isolate's thread
 * runs, the worker's main thread waits), so it is not retried there; on a busy one it is,
 * and still times out. Either way only the cost changes, never the verdict.
 */
export const STARVED_SHARE = 0.9;

/** How many times a starved run (a job, or a compile) is given twice the time before its timeout counts. */
export const STARVED_RETRIES = 3;

/** Why a script did not finish, in terms the grader understands. `stopped`: stop() ended it. */
export type RealmFailure = { kind: "timeout" } | { kind: "memory" } | { kind: "stopped" } | { kind: "threw"; error: unknown };

export interface Realm {
  /** The isolate served an earlier job of the same owner (what that job left in it, a V8 protector it invalidated, say, is shared). */
  readonly reused?: boolean;
  /** Run a script; with a deadline for learner code, without one for trusted set-up. */
  run(js: string, filename: string, timeoutMs?: number): RealmFailure | null;
  /** Evaluate an expression that the harness guarantees to be a string. */
  evalString(code: string, timeoutMs: number): { value: string } | RealmFailure;
  /**
   * Make a live value of this process a global of the realm: only the vm realm can (an
   * isolate holds no object of ours), for check() judging a kernel's values in place.
   */
  define?(name: string, value: unknown): void;
  /**
   * The same as run and evalString (learner code, with a deadline) without blocking this thread,
   * so that it can watch the code's CPU time meanwhile and stop() it: the isolate realm only.
   */
  runAsync?(js: string, filename: string, timeoutMs: number): Promise<RealmFailure | null>;
  evalStringAsync?(code: string, timeoutMs: number): Promise<{ value: string } | RealmFailure>;
  /** End the code running now (it fails as `stopped`); the realm serves nothing more. */
  stop?(): void;
  /** Done with this job; `reusable` false: nothing of it may serve another job (its isolate is dropped). */
  dispose(reusable?: boolean): void;
}

type Ivm = typeof import("isolated-vm");
let ivmModule: Ivm | null | undefined;

/** isolated-vm, or null where it cannot be loaded (no prebuilt binary and no compiler). */
function loadIsolatedVm(): Ivm | null {
  if (ivmModule === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ivmModule = require("isolated-vm") as Ivm;
    } catch {
      ivmModule = null;
    }
  }
  return ivmModule;
}

export function isolateAvailable(): boolean {
  return loadIsolatedVm() !== null;
}

/** The mathjs browser bundle, wrapped so it defines __mathjs and nothing else. */
let mathjsSource: string | null = null;
export function mathjsScript(): string {
  if (mathjsSource === null) {
    const source = fs.readFileSync(require.resolve("mathjs/lib/browser/math.js"), "utf8");
    mathjsSource = `(function () { var module = { exports: {} }; var exports = module.exports;\n${source}\n;Object.defineProperty(globalThis, "__mathjs", { value: module.exports }); })();`;
  }
  return mathjsSource;
}

// ---------------------------------------------------------------- isolate

/** Compiled-code caches per script text: an isolate's scripts die with it, V8's code cache does not. */
const codeCache = new Map<string, import("isolated-vm").ExternalCopy<ArrayBuffer>>();

type Isolate = import("isolated-vm").Isolate;
type Script = import("isolated-vm").Script;

/**
 * An isolate kept for the next job of the same owner (one learner's submission). A new
 * isolate costs ~6 ms and hardening a new isolate's first context as much again, against
 * under 2 ms for a fresh context in a warm isolate: the per-job price of a class run. Every
 * job still gets a context of its own (its own globals and intrinsics, hardened afresh), and
 * nothing of one context is reachable from another; what an isolate does share (its heap
 * limit, its queues, the symbol registry) is shared by one learner's own jobs only, and the
 * isolate is dropped after any job that ran out of time or memory (a loop of promise
 * callbacks could outlive its job), or once its heap holds more than KEEP_HEAP_BYTES.
 */
let kept: { owner: string; isolate: Isolate; scripts: Map<string, Script> } | undefined;
const KEEP_HEAP_BYTES = 64 * 1024 * 1024;

/** Isolates created in this process (for tests). */
export let isolatesCreated = 0;

class IsolateRealm implements Realm {
  readonly reused: boolean;
  private readonly isolate: Isolate;
  private readonly context: import("isolated-vm").Context;
  /** Trusted scripts compiled in this isolate, run again in each new context. */
  private readonly scripts: Map<string, Script>;
  /** Nothing ran out of time or memory here: the isolate may serve its owner's next job. */
  private clean = true;
  /** stop() was called: whatever fails from now on failed because of it. */
  private stopped = false;

  constructor(
    ivm: Ivm,
    private readonly owner?: string,
  ) {
    const reuse = owner !== undefined && kept?.owner === owner && !kept.isolate.isDisposed ? kept : undefined;
    if (!reuse && kept && !kept.isolate.isDisposed) kept.isolate.dispose();
    kept = undefined;
    this.reused = reuse !== undefined;
    if (reuse) {
      this.isolate = reuse.isolate;
      this.scripts = reuse.scripts;
    } else {
      this.isolate = new ivm.Isolate({ memoryLimit: MEMORY_LIMIT_MB });
      this.scripts = new Map();
      isolatesCreated++;
    }
    this.context = this.isolate.createContextSync();
  }

  run(js: string, filename: string, timeoutMs?: number): RealmFailure | null {
    try {
      // Only trusted set-up is worth (and safe) to remember; learner code is compiled afresh.
      if (timeoutMs === undefined) {
        let script = this.scripts.get(js);
        if (!script) {
          const cachedData = codeCache.get(js);
          script = this.isolate.compileScriptSync(js, { filename, cachedData, produceCachedData: !cachedData && js.length > 2000 });
          const produced = (script as { cachedData?: import("isolated-vm").ExternalCopy<ArrayBuffer> }).cachedData;
          if (!cachedData && produced) codeCache.set(js, produced);
          this.scripts.set(js, script);
        }
        script.runSync(this.context, {});
        return null;
      }
      const script = this.isolate.compileScriptSync(js, { filename });
      script.runSync(this.context, { timeout: timeoutMs });
      script.release();
      return null;
    } catch (e) {
      return this.failure(e);
    }
  }

  evalString(code: string, timeoutMs: number): { value: string } | RealmFailure {
    try {
      const value: unknown = this.context.evalSync(code, { timeout: timeoutMs, filename: "grader" });
      // The harness returns strings; anything else means the learner broke it: no answer.
      return { value: typeof value === "string" ? value : "" };
    } catch (e) {
      return this.failure(e);
    }
  }

  async runAsync(js: string, filename: string, timeoutMs: number): Promise<RealmFailure | null> {
    try {
      const script = this.isolate.compileScriptSync(js, { filename });
      await script.run(this.context, { timeout: timeoutMs });
      script.release();
      return null;
    } catch (e) {
      return this.failure(e);
    }
  }

  async evalStringAsync(code: string, timeoutMs: number): Promise<{ value: string } | RealmFailure> {
    try {
      const value: unknown = await this.context.eval(code, { timeout: timeoutMs, filename: "grader" });
      return { value: typeof value === "string" ? value : "" };
    } catch (e) {
      return this.failure(e);
    }
  }

  stop(): void {
    this.stopped = true;
    this.clean = false;
    // Disposing an isolate ends the script running in it (V8's TerminateExecution), and the
    // pending run rejects; the process goes on and the next job gets a new isolate.
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  private failure(e: unknown): RealmFailure {
    const f = this.classify(e);
    if (f.kind !== "threw") this.clean = false;
    return f;
  }

  private classify(e: unknown): RealmFailure {
    if (this.stopped) return { kind: "stopped" };
    if (this.isolate.isDisposed) return { kind: "memory" };
    const message = e instanceof Error ? e.message : "";
    if (message === "Script execution timed out.") return { kind: "timeout" };
    if (/memory limit|Isolate was disposed/.test(message)) return { kind: "memory" };
    return { kind: "threw", error: e };
  }

  dispose(reusable = true): void {
    if (this.isolate.isDisposed) return;
    this.context.release();
    if (reusable && this.owner !== undefined && this.clean && this.isolate.getHeapStatisticsSync().used_heap_size <= KEEP_HEAP_BYTES) {
      kept = { owner: this.owner, isolate: this.isolate, scripts: this.scripts };
    } else this.isolate.dispose();
  }
}

// ---------------------------------------------------------------- vm (fallback)

const vmScripts = new Map<string, vm.Script>();

class VmRealm implements Realm {
  private readonly context = vm.createContext(Object.create(null), {
    codeGeneration: { strings: true, wasm: false },
    // Promise callbacks run inside the same deadline instead of escaping it.
    microtaskMode: "afterEvaluate",
  });

  run(js: string, filename: string, timeoutMs?: number): RealmFailure | null {
    try {
      if (timeoutMs === undefined) {
        let script = vmScripts.get(js);
        if (!script) vmScripts.set(js, (script = new vm.Script(js, { filename })));
        script.runInContext(this.context);
      } else {
        new vm.Script(js, { filename }).runInContext(this.context, { timeout: timeoutMs });
      }
      return null;
    } catch (e) {
      return vmFailure(e);
    }
  }

  define(name: string, value: unknown): void {
    Object.defineProperty(this.context, name, { value, writable: true, configurable: true, enumerable: false });
  }

  evalString(code: string, timeoutMs: number): { value: string } | RealmFailure {
    try {
      // Only a primitive string is taken: a learner-made object never reaches our code.
      const value: unknown = vm.runInContext(code, this.context, { timeout: timeoutMs, filename: "grader" });
      return { value: typeof value === "string" ? value : "" };
    } catch (e) {
      return vmFailure(e);
    }
  }

  dispose(): void {}
}

function vmFailure(e: unknown): RealmFailure {
  if (typeof e === "object" && e !== null && (e as { code?: unknown }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return { kind: "timeout" };
  return { kind: "threw", error: e };
}

/** A realm for one job; `owner` (one learner's submission) lets an isolate serve that owner's next job too. */
export function createRealm(kind: BoundaryKind, owner?: string): Realm {
  if (kind === "isolate") {
    const ivm = loadIsolatedVm();
    if (!ivm) throw new Error("isolated-vm cannot be loaded here: the isolate boundary is not available");
    return new IsolateRealm(ivm, owner);
  }
  return new VmRealm();
}
