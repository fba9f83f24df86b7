// What the lab knows about the tslab kernel it runs in. tslab keeps no record
// of the cells it ran, but check() must judge an exercise cell's *source* the
// way the grader does (compiled alone, next to the reference versions of
// earlier exercises), not the values the learner's session happens to hold.
// So when the lab is first imported inside a tslab kernel, it wraps the
// kernel's execute handler (a prototype method, so the running handler picks
// it up) and remembers the last source run for each `// exercise: <id>` cell.
//
// Both hooks here lean on tslab's internals, not on its public API. So the
// lab first checks that the tslab it runs in is the one they were written
// against (package.json pins it exactly); if not, it patches nothing and
// check() says so in one line, rather than judging whatever values the
// session holds and disagreeing with `npm run grade`.
import * as fs from "node:fs";
import * as path from "node:path";
import { markedId } from "../engine/notebook/cells";
import { inKernel } from "./display";
import { describeCellError, isNotDoneYet, printedAs, type RanCell } from "./errors";

/** The tslab whose internals the hooks below were written against (package.json pins it; a test checks both agree). */
export const TSLAB_VERSION = "1.0.22";

const sources = new Map<string, string>();
/** The source of the cell running now (or last run). */
let currentCell: string | undefined;
let installed: boolean | null = null;
/** Why the hooks are not installed in this kernel, when they should have been. */
let hookProblem: string | undefined;

interface ExecuteRequest {
  code?: unknown;
}
type Handler = (this: unknown, req: ExecuteRequest, ...rest: unknown[]) => Promise<unknown>;
interface HandlerClass {
  prototype: { handleExecuteImpl?: Handler };
}

/** What the hooks rely on, as found in one installed tslab. */
export interface TslabInternals {
  /** tslab's package.json version. */
  version: string | undefined;
  /** dist/jupyter.js's exports: JupyterHandlerImpl is the class whose handler gets wrapped. */
  jupyter: unknown;
  /** dist/executor.js's source: it must run cells through the vm module object. */
  executorSource: string | undefined;
}

const JUPYTER_JS = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/** Reads the internals of the tslab whose dist/jupyter.js is at `jupyterJs` and exports `jupyter`. */
export function tslabInternalsAt(jupyterJs: string, jupyter: unknown): TslabInternals {
  const read = (file: string): string | undefined => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  };
  const pkg = read(path.join(path.dirname(jupyterJs), "..", "package.json"));
  let version: string | undefined;
  try {
    const parsed: unknown = pkg === undefined ? undefined : JSON.parse(pkg);
    if (parsed !== null && typeof parsed === "object" && "version" in parsed && typeof parsed.version === "string") version = parsed.version;
  } catch {
    version = undefined;
  }
  return { version, jupyter, executorSource: read(path.join(path.dirname(jupyterJs), "executor.js")) };
}

/** The internals of the tslab this process loaded (never a second copy), if it loaded one. */
function loadedTslab(): TslabInternals | undefined {
  const key = Object.keys(require.cache).find((k) => JUPYTER_JS.test(k));
  return key === undefined ? undefined : tslabInternalsAt(key, require.cache[key]?.exports);
}

function handlerClass(jupyter: unknown): HandlerClass | undefined {
  const cls = jupyter !== null && typeof jupyter === "object" ? (jupyter as { JupyterHandlerImpl?: unknown }).JupyterHandlerImpl : undefined;
  return typeof cls === "function" ? (cls as unknown as HandlerClass) : undefined;
}

const WHAT_TO_DO = `run npm install in the course folder (it installs tslab ${TSLAB_VERSION}), then restart the kernel`;

/**
 * Why the hooks would not work on this tslab, as one line that says what to do, or
 * undefined when everything they rely on is there. What they rely on: the version
 * they were written for; JupyterHandlerImpl.prototype.handleExecuteImpl(req, …)
 * executing req.code; the executor calling vm.runInThisContext through the module
 * object (a destructured copy would never see the replacement).
 */
export function tslabMismatch(found: TslabInternals): string | undefined {
  const cannot = "check() cannot see your cells in this kernel";
  if (found.version !== TSLAB_VERSION) return `${cannot}: it runs tslab ${found.version ?? "of an unknown version"}, the course needs tslab ${TSLAB_VERSION}; ${WHAT_TO_DO}`;
  const handler = handlerClass(found.jupyter)?.prototype.handleExecuteImpl;
  if (typeof handler !== "function" || !/\.execute\(req\.code\)/.test(Function.prototype.toString.call(handler))) {
    return `${cannot}: this tslab ${found.version} has no JupyterHandlerImpl.prototype.handleExecuteImpl executing req.code (a modified copy?); ${WHAT_TO_DO}`;
  }
  if (found.executorSource === undefined || !/\bvm_1\.default\.runInThisContext\(/.test(found.executorSource)) {
    return `${cannot}: this tslab ${found.version}'s executor does not run cells through vm.runInThisContext (a modified copy?); ${WHAT_TO_DO}`;
  }
  return undefined;
}

/**
 * Start remembering exercise cells; true when running inside a tslab kernel whose
 * internals match (see tslabMismatch). Idempotent: the first call decides.
 * `found` is for tests; the kernel's own tslab is read from require.cache.
 */
export function watchKernelCells(found: TslabInternals | undefined = loadedTslab()): boolean {
  if (installed !== null) return installed;
  if (found === undefined) {
    // Outside a kernel (tests, plain node) check() judges the values it is given, by design;
    // inside one, no tslab module at its known path means the layout changed.
    if (inKernel()) hookProblem = `check() cannot see your cells in this kernel: tslab's dist/jupyter.js is not loaded (not tslab ${TSLAB_VERSION}?); ${WHAT_TO_DO}`;
    return (installed = false);
  }
  hookProblem = tslabMismatch(found);
  const cls = handlerClass(found.jupyter);
  const original = cls?.prototype.handleExecuteImpl;
  if (hookProblem !== undefined || !cls || typeof original !== "function") return (installed = false);
  cls.prototype.handleExecuteImpl = function (this: unknown, req: ExecuteRequest, ...rest: unknown[]) {
    if (typeof req?.code === "string") rememberCell(req.code);
    return original.call(this, req, ...rest);
  };
  return (installed = true);
}

/** Why check() cannot grade cells in this kernel (one line, with what to do), or undefined. */
export function kernelProblem(): string | undefined {
  return hookProblem;
}

/** Record a cell's source if it is an exercise cell (exported for tests, which have no kernel). */
export function rememberCell(code: string): void {
  currentCell = code; // any cell: formatKernelErrors quotes the learner's own line from it
  const id = markedId(code);
  if (id !== undefined) sources.set(id, code);
}

/** The source last run for exercise `id` in this kernel session, if the lab saw it run. */
export function lastCellSource(id: string): string | undefined {
  return sources.get(id);
}

// ---- Cell errors, for learners: one or two lines, never a stack trace ----
// tslab runs each cell with vm.runInThisContext and, when it throws, prints the
// error with console.error: a Node stack trace through tslab's and our files.
// We hook vm.runInThisContext (calls from tslab's executor only; the vm module
// object itself, which tslab holds), so that:
// - a stub's todo() prints its one line and the cell ends normally: an
//   unwritten exercise is not a mistake, and Run All goes on to show every one
//   (tslab aborts the requests queued behind a failed cell);
// - any other error is printed as its message and the line of the learner's
//   cell it came from (frames are told apart by the file name each cell gets).
const ranCells = new Map<string, RanCell>();
const KEEP_CELLS = 500;
let errorsFormatted = false;

export function formatKernelErrors(): boolean {
  if (errorsFormatted) return true;
  if (!watchKernelCells()) return false; // only on the tslab whose executor was checked
  errorsFormatted = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vm = require("node:vm") as typeof import("node:vm"); // the module object itself: `import *` would copy it
  const original = vm.runInThisContext;
  let count = 0;
  vm.runInThisContext = function (code: string, options?: import("node:vm").RunningScriptOptions | string): unknown {
    if (!/[\\/]tslab[\\/]dist[\\/]executor\.js:/.test(new Error().stack?.split("\n")[2] ?? "")) return original.call(vm, code, options);
    const file = `cell-${++count}`;
    const exercise = currentCell === undefined ? undefined : markedId(currentCell);
    ranCells.set(file, { js: code, exercise, ts: currentCell });
    if (ranCells.size > KEEP_CELLS) ranCells.delete(ranCells.keys().next().value!);
    const failed = (e: unknown): undefined => {
      if (isNotDoneYet(e)) {
        process.stderr.write(`${e.message}\n`);
        return undefined;
      }
      throw printedAs(describeCellError(e, ranCells, file));
    };
    try {
      const ret: unknown = original.call(vm, code, { ...(typeof options === "object" ? options : {}), filename: file, displayErrors: false });
      return ret instanceof Promise ? ret.then(undefined, failed) : ret;
    } catch (e) {
      return failed(e);
    }
  } as typeof vm.runInThisContext;
  return true;
}

/** Forget every remembered cell (tests: a fresh kernel session). */
export function forgetCells(): void {
  sources.clear();
}
