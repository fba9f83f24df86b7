// Compile learner cells in compiler processes, one cell at a time, each under
// a deadline: a cell that overflows the parser's stack or keeps it busy costs
// that cell only. Each grading (in class grading: each learner, with its
// budget) holds a compiler process of its own while it compiles, so a learner
// whose cells make the compiler slow waits only for itself (and whoever asked
// within COMPILER_WAIT_MS, see there); idle compilers are kept for the next
// grading (loading TypeScript takes ~0.5 s).
import * as fs from "node:fs";
import * as path from "node:path";
import type { Budget } from "../budget";
import { installRoot } from "../paths";
import { Child, WORKER_ADDRESS_SPACE_MB } from "../run/child";
import { STARVED_RETRIES, STARVED_SHARE } from "../run/realm";
import type { CompileResult } from "./transpile";

/** A cell that takes the compiler longer than this is refused (honest cells take milliseconds). */
const COMPILE_TIMEOUT_MS = 10_000;
/** Loading TypeScript itself takes ~0.5 s in a new process (seconds under load): not counted against the cell. */
const START_GRACE_MS = 3000;

/** Compilers not in use; a grading takes one or starts one, and gives it back when done. */
const idle: Child[] = [];

/**
 * A grading that finds every compiler busy waits this long for one to be given back before it
 * starts one of its own. Each compiler process pays for loading TypeScript and for V8 warming up
 * to its code (~0.9 s of CPU, measured), and a learner's 41 cells take a warm one ~25 ms: with a
 * compiler started for each of the four learners in flight, a class of 200 spent 14.9 s of CPU
 * compiling, against 6.2 s for the same cells in one compiler. A learner whose cell keeps a
 * compiler busy (up to its 10 s limit) costs any other learner at most this wait, or while the
 * compiler is starved of CPU (HELD_CPU_MS), at most STARVED_WAIT_MS.
 */
const COMPILER_WAIT_MS = 500;

/**
 * A compiler busy for longer than COMPILER_WAIT_MS is not always held by a cell: compilers run
 * below the workers' priority (COMPILER_NICE), and on a busy machine a learner's 41 honest cells
 * (~25 ms of CPU) can wait that long for the CPU. Another compiler started then costs ~0.9 s of
 * CPU to load TypeScript, for nothing: measured on a class of 200 (two runs each), one compiler
 * 9.4-10.0 s and 15.9-16.9 s of the machine's CPU, against 10.5 s and 18.4-18.6 s with a second
 * one started. So a grading goes on waiting while no busy compiler has spent this much CPU on
 * the grading it holds (no honest grading does): it is starved, not held by a cell.
 */
const HELD_CPU_MS = 250;

/** How long a grading waits for starved compilers at most (from its first wait), before it starts its own anyway. */
const STARVED_WAIT_MS = 3000;

/** Each compiler handed to a grading, with its process's CPU time (ms) when it was handed over. */
const held = new Map<Child, number | undefined>();

function handTo(c: Child): Child {
  held.set(c, c.cpuMs());
  return c;
}

/** Every busy compiler is starved: none has spent HELD_CPU_MS of CPU on the grading it holds. */
function allStarved(): boolean {
  if (held.size === 0) return false;
  for (const [c, cpuAtHandOver] of held) {
    const now = c.cpuMs();
    if (now === undefined || cpuAtHandOver === undefined || now - cpuAtHandOver >= HELD_CPU_MS) return false;
  }
  return true;
}

/** Gradings waiting for a compiler, first come first served: each is handed the next one given back. */
const waiting: ((c: Child) => void)[] = [];

/** How many compiler processes this process has started (for tests). */
export let compilersStarted = 0;

/** When each compiler not yet given back since it started was started: it is loading TypeScript. */
const starting = new Map<Child, number>();

function startCompiler(): Child {
  compilersStarted++;
  const c = newCompiler();
  starting.set(c, performance.now());
  return c;
}

/** A compiler is still loading TypeScript (at most START_GRACE_MS): waiting for it is not waiting behind a learner's cell. */
const oneStarting = (): boolean => [...starting.values()].some((at) => performance.now() - at < START_GRACE_MS);

/** An idle compiler, else the next one given back within COMPILER_WAIT_MS (start-up not counted), else a new one. */
function takeCompiler(): Promise<Child> {
  const free = idle.pop();
  if (free) return Promise.resolve(handTo(free));
  // None exists yet: no one to wait for.
  if (compilersStarted === 0) return Promise.resolve(handTo(startCompiler()));
  const since = performance.now();
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout;
    const handOver = (c: Child): void => {
      clearTimeout(timer);
      resolve(handTo(c));
    };
    const expire = (): void => {
      if (oneStarting() || (allStarved() && performance.now() - since < STARVED_WAIT_MS)) {
        timer = setTimeout(expire, COMPILER_WAIT_MS);
        return;
      }
      waiting.splice(waiting.indexOf(handOver), 1);
      resolve(handTo(startCompiler()));
    };
    timer = setTimeout(expire, COMPILER_WAIT_MS);
    waiting.push(handOver);
  });
}

function giveBack(c: Child): void {
  starting.delete(c);
  held.delete(c);
  const next = waiting.shift();
  if (next) next(c);
  else idle.push(c);
}

/**
 * What the compiler reads: TypeScript, sucrase and the packages sucrase loads (see transpile.ts).
 * Real paths: the permission model checks the path a module is loaded from, which Node has
 * resolved through any link (a node_modules of links, as pnpm and some test set-ups make).
 */
function compilerReads(): string[] {
  const dirOf = (pkg: string, from?: string): string => path.dirname(require.resolve(`${pkg}/package.json`, from ? { paths: [from] } : undefined));
  const sucrase = dirOf("sucrase");
  const dirs = [dirOf("typescript"), sucrase];
  for (const p of ["lines-and-columns", "ts-interface-checker", "@jridgewell/gen-mapping", "@jridgewell/sourcemap-codec", "@jridgewell/set-array", "@jridgewell/trace-mapping", "@jridgewell/resolve-uri"]) {
    try {
      dirs.push(dirOf(p, fs.realpathSync(sucrase)));
    } catch {
      // not a dependency in this version of sucrase
    }
  }
  // The path a package is looked up by (a link in node_modules, say) and the path it really is at.
  const lookedUp = ["typescript", "sucrase"].map((p) => path.join(installRoot, "node_modules", p)).filter((d) => fs.existsSync(d));
  return [...new Set([...lookedUp, ...dirs].flatMap((d) => [d, fs.realpathSync(d)]))];
}

/**
 * Compilers run below the grading workers' priority. Class grading keeps several learners in
 * flight, each with a compiler, beside one worker per core: at equal priority the compilers
 * took the workers' CPU, a learner's endless loop then reached its deadline with too little
 * CPU, was judged starved and ran again with twice the time, up to three times (2 s became
 * 30 s of a lane). Below the workers, compiling fills the time the workers leave free.
 */
const COMPILER_NICE = 10;

function newCompiler(): Child {
  return new Child({ entry: "compile/compile-worker.js", reads: compilerReads(), addons: false, heapMb: 512, addressSpaceMb: WORKER_ADDRESS_SPACE_MB, noNetwork: true, nice: COMPILER_NICE });
}

/**
 * Compile `sources` in a compiler of this call's own. With `budget`, the compiler's time is
 * charged to it, a cell gets at most what is left, and once it is spent the remaining cells
 * come back as not compiled (`budget: true` on the problem). The wait for a compiler is not
 * charged: it is other learners' time.
 */
export async function compileInChild(sources: string[], budget?: Budget): Promise<CompileResult[]> {
  const compiler = await takeCompiler();
  const results: CompileResult[] = [];
  try {
    const together = sources.length > 1 ? await compileTogether(compiler, sources, budget) : undefined;
    if (together) return together;
    for (const source of sources) results.push(await compileOne(compiler, source, budget));
  } finally {
    // A compiler killed at a deadline starts afresh on its next request: it can be reused either way.
    giveBack(compiler);
  }
  return results;
}

/**
 * All of a grading's cells in one request: honest cells take the compiler a fraction of a
 * millisecond each, and a request per cell cost more than its compiling (the channel, the
 * process's CPU time read before and after). Undefined when the request did not come back
 * whole within one cell's limit (a cell too slow for the compiler, a compiler stopped, the
 * budget): then each cell is compiled alone, so that only that cell pays.
 */
async function compileTogether(compiler: Child, sources: string[], budget: Budget | undefined): Promise<CompileResult[] | undefined> {
  const want = COMPILE_TIMEOUT_MS + START_GRACE_MS;
  const slice = budget ? budget.start(want) : null;
  if (budget && !slice) return undefined;
  let a: Awaited<ReturnType<typeof compiler.request<CompileResult[]>>> | undefined;
  try {
    a = await compiler.request<CompileResult[]>(sources, slice ? Math.floor(slice.grantedMs) : want);
  } finally {
    if (slice) budget?.finish(slice, a && "cpuMs" in a ? a.cpuMs : undefined);
  }
  return a.ok && Array.isArray(a.value) && a.value.length === sources.length ? a.value : undefined;
}

/**
 * One cell: retried when the machine, not the cell, stopped it. A compile stopped at its
 * deadline with under STARVED_SHARE of that time in CPU was starved by a busy machine, not
 * kept busy by the cell: it runs again with twice the time (as worker jobs do, see pool.ts);
 * a compiler killed from outside compiles the cell again in a fresh process.
 */
async function compileOne(compiler: Child, source: string, budget: Budget | undefined): Promise<CompileResult> {
  let want = COMPILE_TIMEOUT_MS + START_GRACE_MS;
  for (let attempt = 0; ; attempt++) {
    const slice = budget ? budget.start(want) : null;
    if (budget && !slice) return notCompiled();
    const granted = slice ? Math.floor(slice.grantedMs) : want;
    let a: Awaited<ReturnType<typeof compiler.request<CompileResult>>> | undefined;
    try {
      a = await compiler.request<CompileResult>(source, granted);
    } finally {
      // The compiler runs below the workers' priority: what it cost is its CPU time.
      if (slice) budget?.finish(slice, a && "cpuMs" in a ? a.cpuMs : undefined);
    }
    if (a.ok) return a.value;
    const retry = attempt < STARVED_RETRIES;
    if (a.why === "timeout") {
      if (retry && a.cpuMs !== undefined && a.cpuMs < STARVED_SHARE * granted) {
        want *= 2;
        continue;
      }
      if (granted < want) {
        // Stopped by the learner's budget, not by the compile limit: no verdict on the cell.
        budget?.markStopped();
        return notCompiled();
      }
      return refused(`compiling this cell took longer than ${COMPILE_TIMEOUT_MS / 1000} s: it is too long or too deeply nested`, true);
    }
    if (a.oom) return refused("compiling this cell ran out of memory: it is too long or too deeply nested", false);
    // Killed by a signal or an exit nobody asked for: the machine's doing (an OOM killer, an
    // operator), not the cell's, so once more in a fresh compiler, and never remembered.
    if (retry) continue;
    return refused(`the compiler stopped on this cell (${a.detail})`, true);
  }
}

/** The whole cell refused; `transient`: it depends on the machine, so it is not remembered. */
function refused(message: string, transient: boolean): CompileResult {
  return { ok: false, problems: [{ line: 1, column: 1, whole: true, message, ...(transient ? { transient } : {}) }] };
}

function notCompiled(): CompileResult {
  return { ok: false, problems: [{ line: 1, column: 1, whole: true, message: "not compiled: the learner's grading budget ran out", transient: true, budget: true }] };
}
