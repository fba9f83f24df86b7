// What the lab knows about the tslab kernel it runs in. tslab keeps no record
// of the cells it ran, but check() must judge an exercise cell's *source* the
// way the grader does (compiled alone, next to the reference versions of
// earlier exercises), not the values the learner's session happens to hold.
// So when the lab is first imported inside a tslab kernel, it wraps the
// kernel's execute handler (a prototype method, so the running handler picks
// it up) and remembers the last source run for each `// exercise: <id>` cell.
import { MARKER } from "../engine/cells";

const sources = new Map<string, string>();
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
  const m = MARKER.exec(code.split("\n", 1)[0].replace(/\r$/, ""));
  if (m) sources.set(m[1], code);
}

/** The source last run for exercise `id` in this kernel session, if the lab saw it run. */
export function lastCellSource(id: string): string | undefined {
  return sources.get(id);
}
