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

/** Why a script did not finish, in terms the grader understands. */
export type RealmFailure = { kind: "timeout" } | { kind: "memory" } | { kind: "threw"; error: unknown };

export interface Realm {
  /** Run a script; with a deadline for learner code, without one for trusted set-up. */
  run(js: string, filename: string, timeoutMs?: number): RealmFailure | null;
  /** Evaluate an expression that the harness guarantees to be a string. */
  evalString(code: string, timeoutMs: number): { value: string } | RealmFailure;
  dispose(): void;
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

class IsolateRealm implements Realm {
  private readonly isolate: import("isolated-vm").Isolate;
  private readonly context: import("isolated-vm").Context;

  constructor(ivm: Ivm) {
    this.isolate = new ivm.Isolate({ memoryLimit: MEMORY_LIMIT_MB });
    this.context = this.isolate.createContextSync();
  }

  run(js: string, filename: string, timeoutMs?: number): RealmFailure | null {
    try {
      // Only trusted set-up is worth (and safe) to remember; learner code is compiled afresh.
      const trusted = timeoutMs === undefined;
      const cachedData = trusted ? codeCache.get(js) : undefined;
      const script = this.isolate.compileScriptSync(js, { filename, cachedData, produceCachedData: trusted && !cachedData && js.length > 2000 });
      const produced = (script as { cachedData?: import("isolated-vm").ExternalCopy<ArrayBuffer> }).cachedData;
      if (!cachedData && produced) codeCache.set(js, produced);
      script.runSync(this.context, timeoutMs === undefined ? {} : { timeout: timeoutMs });
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

  private failure(e: unknown): RealmFailure {
    if (this.isolate.isDisposed) return { kind: "memory" };
    const message = e instanceof Error ? e.message : "";
    if (message === "Script execution timed out.") return { kind: "timeout" };
    if (/memory limit|Isolate was disposed/.test(message)) return { kind: "memory" };
    return { kind: "threw", error: e };
  }

  dispose(): void {
    if (!this.isolate.isDisposed) this.isolate.dispose();
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

export function createRealm(kind: BoundaryKind): Realm {
  if (kind === "isolate") {
    const ivm = loadIsolatedVm();
    if (!ivm) throw new Error("isolated-vm cannot be loaded here: the isolate boundary is not available");
    return new IsolateRealm(ivm);
  }
  return new VmRealm();
}
