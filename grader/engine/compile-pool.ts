// Compile learner cells in a compiler process, one cell at a time, each under
// a deadline: a cell that overflows the parser's stack or keeps it busy costs
// that cell only.
import * as path from "node:path";
import { Child } from "./child";
import type { CompileResult } from "./transpile";

/** A cell that takes the compiler longer than this is refused (honest cells take milliseconds). */
const COMPILE_TIMEOUT_MS = 10_000;

let compiler: Child | null = null;

function typescriptDir(): string {
  return path.dirname(require.resolve("typescript/package.json"));
}

export async function compileInChild(sources: string[]): Promise<CompileResult[]> {
  compiler ??= new Child({ entry: "compile-worker.js", reads: [typescriptDir()], addons: false, heapMb: 512 });
  const results: CompileResult[] = [];
  for (const source of sources) {
    // Loading TypeScript itself takes ~0.5 s in a new process: not counted against the cell.
    const a = await compiler.request<CompileResult>(source, COMPILE_TIMEOUT_MS + 3000);
    if (a.ok) results.push(a.value);
    else {
      const message = a.why === "timeout" ? `compiling this cell took longer than ${COMPILE_TIMEOUT_MS / 1000} s: it is too long or too deeply nested` : a.oom ? "compiling this cell ran out of memory: it is too long or too deeply nested" : `the compiler stopped on this cell (${a.detail})`;
      results.push({ ok: false, problems: [{ line: 1, column: 1, whole: true, message, transient: a.why === "timeout" }] });
    }
  }
  return results;
}
