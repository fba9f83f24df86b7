// Compile one notebook cell from TypeScript to JavaScript, keeping enough of the
// source map to point an error at the learner's own line. Only syntax is
// checked (like `tsc --isolatedModules`): type errors do not cost points, the
// checks on returned values catch what matters. TypeScript takes ~0.5 s to load,
// so results are cached on disk by content hash and the compiler is loaded only
// on a cache miss. Learner cells are compiled in a compiler process of their
// own (compileLearnerCells): a cell that overflows the parser's stack or keeps
// it busy costs that cell only, never the grader. Only this (trusted) process
// writes the cache, so nothing a learner's code does changes what a later run reads.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Budget } from "../budget";
import { cacheDir as cacheRoot, installRoot } from "../paths";

export type { Compiled, CompileResult, SyntaxProblem } from "./transpile";
import { transpileSafely, type CompileResult } from "./transpile";

const CACHE_VERSION = "7";
/** Far above any honest exercise cell (the longest reference cell is ~3,000 characters). */
export const MAX_CELL_CHARS = 50_000;
const cacheDir = path.join(cacheRoot, "compiled");
const memory = new Map<string, CompileResult>();

/** The key a compiled cell is kept under (the cache's file name, the shipped table's key). */
export function cacheKey(source: string): string {
  return createHash("sha256").update(CACHE_VERSION).update("\0").update(source).digest("hex");
}

function cacheFile(key: string): string {
  return path.join(cacheDir, key.slice(0, 2), key + ".json");
}

/**
 * The course's own cells (masters' exercise and given cells, declared mistakes) compiled when
 * the grader is built (`npm run build`, grader/precompile.ts): a first grading loads no
 * compiler for them. Keyed like the cache, so a table older than the course only misses.
 */
export const SHIPPED_TABLE = path.join(installRoot, "dist", "compiled-course.json");
let shipped: Map<string, CompileResult> | undefined;

function shippedTable(): Map<string, CompileResult> {
  if (!shipped) {
    try {
      shipped = new Map(Object.entries(JSON.parse(fs.readFileSync(SHIPPED_TABLE, "utf8")) as Record<string, CompileResult>));
    } catch {
      shipped = new Map();
    }
  }
  return shipped;
}

/** Everything compiled in this process so far, by key (for grader/precompile.ts). */
export function compiledSoFar(): Record<string, CompileResult> {
  return Object.fromEntries(memory);
}

function remembered(key: string): CompileResult | undefined {
  let r = memory.get(key);
  if (r) return r;
  r = shippedTable().get(key);
  if (r) {
    // Kept in memory too, so a new table built in this process (compiledSoFar) holds it.
    memory.set(key, r);
    return r;
  }
  try {
    const read = JSON.parse(fs.readFileSync(cacheFile(key), "utf8")) as CompileResult;
    memory.set(key, read);
    return read;
  } catch {
    return undefined;
  }
}

/** Cache folders made by this process: a class run writes thousands of files into 256 folders. */
const made = new Set<string>();

function remember(key: string, result: CompileResult): void {
  memory.set(key, result);
  try {
    const dir = path.dirname(cacheFile(key));
    if (!made.has(dir)) fs.mkdirSync(dir, { recursive: true });
    made.add(dir);
    // Written whole under a temporary name, then renamed: a reader never sees half a file.
    const tmp = `${cacheFile(key)}.${process.pid}.tmp`;
    const text = JSON.stringify(result);
    try {
      fs.writeFileSync(tmp, text);
    } catch {
      // The folder was removed since (a cache cleared by hand): made again, once.
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(tmp, text);
    }
    fs.renameSync(tmp, cacheFile(key));
  } catch {
    // A read-only checkout still grades; it just compiles every time.
  }
}

function tooLong(source: string): CompileResult | null {
  if (source.length <= MAX_CELL_CHARS) return null;
  return { ok: false, problems: [{ line: 1, column: 1, whole: true, message: `the cell is ${source.length} characters long; an exercise cell may have at most ${MAX_CELL_CHARS}` }] };
}

/** Compile trusted source (the masters, the notebook's own kernel) in this process. */
export function compileCell(source: string): CompileResult {
  const key = cacheKey(source);
  const known = remembered(key);
  if (known) return known;
  const result = tooLong(source) ?? transpileSafely(source);
  remember(key, result);
  return result;
}

/**
 * A grading's learner cells are cached together, one file for the whole list: a class run
 * compiles thousands of cells, and a file for each cost the grading process ~2 s of CPU to write
 * on a cold class of 200 (8,120 cells), more than compiling them (~0.6 ms a cell). A cell seen
 * earlier in this process is not compiled again either way (`memory`).
 */
function packFile(sources: string[]): string {
  const h = createHash("sha256").update(CACHE_VERSION).update("\0cells");
  for (const s of sources) h.update(`\0${s.length}:`).update(s);
  const key = h.digest("hex");
  return path.join(cacheDir, "cells", key.slice(0, 2), `${key}.json`);
}

const isResult = (r: unknown): r is CompileResult => typeof r === "object" && r !== null && typeof (r as { ok?: unknown }).ok === "boolean";

function readPack(file: string, count: number): CompileResult[] | undefined {
  try {
    const read: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    return Array.isArray(read) && read.length === count && read.every(isResult) ? read : undefined;
  } catch {
    return undefined;
  }
}

function writePack(file: string, results: CompileResult[]): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written whole under a temporary name, then renamed: a reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(results));
    fs.renameSync(tmp, file);
  } catch {
    // A read-only checkout still grades; it just compiles every time.
  }
}

/**
 * Compile learner cells: cells known to this process (or shipped with the course) and a cached
 * list of the same cells answer here; the rest is compiled in a compiler process, with a deadline
 * per cell. Results come back in the order of `sources`.
 */
export async function compileLearnerCells(sources: string[], budget?: Budget): Promise<CompileResult[]> {
  const keys = sources.map(cacheKey);
  const results: (CompileResult | undefined)[] = sources.map((s, i) => tooLong(s) ?? memory.get(keys[i]) ?? shippedTable().get(keys[i]));
  if (results.every((r) => r)) return results as CompileResult[];
  const pack = packFile(sources);
  const packed = readPack(pack, sources.length);
  if (packed) {
    keys.forEach((key, i) => memory.set(key, packed[i]));
    return packed;
  }
  const missing = [...new Set(sources.filter((_, i) => !results[i]))];
  const { compileInChild } = await import("./compile-pool");
  const compiled = await compileInChild(missing, budget);
  // A timeout or crash is not remembered: it may depend on the machine's load.
  const lasting = (r: CompileResult): boolean => r.ok || r.problems.every((p) => !p.transient);
  missing.forEach((source, i) => {
    if (lasting(compiled[i])) memory.set(cacheKey(source), compiled[i]);
  });
  const bySource = new Map(missing.map((s, i) => [s, compiled[i]] as const));
  sources.forEach((s, i) => (results[i] ??= bySource.get(s)));
  const all = results as CompileResult[];
  if (all.every(lasting)) writePack(pack, all);
  return all;
}
