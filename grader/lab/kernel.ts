// What the lab knows about the tslab kernel it runs in. tslab keeps no record
// of the cells it ran, but check() must judge an exercise cell's *source* the
// way the grader does (compiled alone, next to the reference versions of
// earlier exercises), not the values the learner's session happens to hold.
// So when the lab is first imported inside a tslab kernel, it wraps the
// kernel's execute handler (a prototype method, so the running handler picks
// it up) and remembers the last source run for each `// exercise: <id>` cell.
import { markedId } from "../engine/cells";
import { describeCellError, isNotDoneYet, printedAs, type RanCell } from "./errors";

const sources = new Map<string, string>();
/** The source of the cell running now (or last run). */
let currentCell: string | undefined;
let installed: boolean | null = null;

interface ExecuteRequest {
  code?: unknown;
}
type Handler = (this: unknown, req: ExecuteRequest, ...rest: unknown[]) => Promise<unknown>;

/** tslab's handler class, from the module the kernel itself loaded (never a second copy). */
function tslabHandlerClass(): { prototype: { handleExecuteImpl?: Handler } } | undefined {
  const key = Object.keys(require.cache).find((k) => /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(k));
  const mod = key ? (require.cache[key]?.exports as { JupyterHandlerImpl?: { prototype: { handleExecuteImpl?: Handler } } }) : undefined;
  return mod?.JupyterHandlerImpl;
}

/** Start remembering exercise cells; true when running inside a tslab kernel. Idempotent. */
export function watchKernelCells(): boolean {
  if (installed !== null) return installed;
  const cls = tslabHandlerClass();
  const original = cls?.prototype.handleExecuteImpl;
  if (!cls || typeof original !== "function") return (installed = false);
  cls.prototype.handleExecuteImpl = function (this: unknown, req: ExecuteRequest, ...rest: unknown[]) {
    if (typeof req?.code === "string") rememberCell(req.code);
    return original.call(this, req, ...rest);
  };
  return (installed = true);
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
  if (!tslabHandlerClass()) return false;
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
