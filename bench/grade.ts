// `npm run bench`: how fast is `npm run grade` on the solved chapter 1, cold
// (empty compile cache) and warm, its peak memory, and, in the same run, how
// long `jupyter nbconvert --execute` takes on the same notebook (the way
// nbgrader-style graders grade), and how large each chapter's notebook is
// once executed with every plot drawn (what a learner saves and hands in).
// Figures, not assertions: a noisy 2-core machine would make a timed test
// flaky (the size limit is asserted in test/notebooks.test.ts).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installKernel, jupyterEnv } from "../grader/jupyter";
import { course } from "../exercises";
import { cacheDir, installRoot } from "../grader/engine/paths";
import { markedId } from "../grader/engine/notebook/cells";
import { precompile } from "../grader/precompile";
import { readNotebook, serializeNotebook, sourceText, withSource } from "../grader/engine/notebook/notebook";

const notebook = course.masterPath("01-forward-pass");
const cli = path.join(installRoot, "dist", "grader", "cli.js");

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, cwd = course.root): { ms: number; status: number | null; stderr: string } {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, cwd, encoding: "utf8" });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: r.status, stderr: r.stderr };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function gradeOnce(file = notebook): { ms: number; peakMb: number } {
  const r = timed(process.execPath, [cli, file, "--no-color"], { ...process.env, BACKPROP_LAB_BENCH: "1" });
  if (r.status !== 0) throw new Error(`grading the solved chapter failed (exit ${r.status}): ${r.stderr}`);
  const m = /maxRssKb=(\d+)/.exec(r.stderr);
  return { ms: r.ms, peakMb: m ? Number(m[1]) / 1024 : NaN };
}

function main(): void {
  console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}, node ${process.version}`);
  // As `npm run build` leaves the grader (a bare tsc does not make the table).
  precompile();
  fs.rmSync(path.join(cacheDir, "compiled"), { recursive: true, force: true });
  const cold = gradeOnce();
  const warm = Array.from({ length: 7 }, gradeOnce);
  const warmMs = median(warm.map((w) => w.ms));
  const peak = Math.max(cold.peakMb, ...warm.map((w) => w.peakMb));
  console.log(`npm run grade, chapter 1 solved: cold ${cold.ms.toFixed(0)} ms, warm ${warmMs.toFixed(0)} ms (median of ${warm.length}); goal <= 500 ms cold`);
  console.log(`peak memory (grader + worker processes): ${peak.toFixed(0)} MB; target <= 300 MB`);
  // The master's cells are compiled when the grader is built (grader/precompile.ts); a learner's
  // own cells are not: the same chapter, every exercise cell with a statement of its own.
  const own = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bp-bench-own-")), path.basename(notebook));
  const nb = readNotebook(notebook).json;
  nb.cells = nb.cells.map((cell, i) => (cell.cell_type === "code" && markedId(sourceText(cell)) !== undefined ? withSource(cell, `${sourceText(cell)}\nvoid "a learner's own cell ${i}";`) : cell));
  fs.writeFileSync(own, serializeNotebook(nb));
  fs.rmSync(path.join(cacheDir, "compiled"), { recursive: true, force: true });
  const ownCold = gradeOnce(own);
  console.log(`npm run grade, chapter 1 solved in a learner's own words (every cell compiled): cold ${ownCold.ms.toFixed(0)} ms, warm ${median(Array.from({ length: 5 }, () => gradeOnce(own).ms)).toFixed(0)} ms (median of 5)`);

  const probe = spawnSync("jupyter", ["nbconvert", "--version"], { env: jupyterEnv() });
  if (probe.status !== 0) {
    console.log("jupyter nbconvert --execute: skipped (Jupyter not installed)");
    return;
  }
  installKernel();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "bp-bench-"));
  const runs = Array.from({ length: 3 }, () => timed("jupyter", ["nbconvert", "--to", "notebook", "--execute", notebook, "--output-dir", out], jupyterEnv(), path.dirname(notebook)));
  if (runs.some((r) => r.status !== 0)) throw new Error(`nbconvert failed: ${runs.find((r) => r.status !== 0)!.stderr.slice(-1000)}`);
  const nbMs = median(runs.map((r) => r.ms));
  console.log(`jupyter nbconvert --execute, same notebook: ${nbMs.toFixed(0)} ms (median of 3)`);
  console.log(`speed-up of grading over executing: cold ${(nbMs / cold.ms).toFixed(1)}x, warm ${(nbMs / warmMs).toFixed(1)}x; goal >= 10x cold`);

  // Chapter 4 as a learner runs it: every cell, full MNIST, the trainer's real epochs.
  if (process.env.BENCH_CHAPTER4 !== "0") {
    const file = course.masterPath("04-learning-from-data");
    const run = timed("jupyter", ["nbconvert", "--to", "notebook", "--execute", file, "--output-dir", out, "--ExecutePreprocessor.timeout=900"], jupyterEnv(), path.dirname(file));
    if (run.status !== 0) throw new Error(`nbconvert failed on chapter 4: ${run.stderr.slice(-1000)}`);
    console.log(`chapter 4 executed end to end (jupyter nbconvert --execute, full MNIST): ${(run.ms / 1000).toFixed(1)} s; goal <= 45 s (BENCH_CHAPTER4=0 skips it)`);
  }

  // Chapter 4 trains on a small slice (BACKPROP_LAB_QUICK): the same plots, drawn from fewer digits.
  console.log("notebook sizes after jupyter nbconvert --execute (every plot drawn); target <= 1.5 MB each, the grader refuses over 20 MB:");
  for (const chapter of course.chapters) {
    const file = course.masterPath(chapter.slug);
    const run = timed("jupyter", ["nbconvert", "--to", "notebook", "--execute", file, "--output-dir", out, "--ExecutePreprocessor.timeout=600"], { ...jupyterEnv(), BACKPROP_LAB_QUICK: "1" }, path.dirname(file));
    const executed = path.join(out, path.basename(file));
    if (run.status !== 0 || !fs.existsSync(executed)) throw new Error(`nbconvert failed on ${chapter.slug}: ${run.stderr.slice(-1000)}`);
    const bytes = fs.statSync(executed).size;
    console.log(`  ${chapter.slug}: ${(bytes / 1e6).toFixed(2)} MB (${(fs.statSync(file).size / 1e3).toFixed(0)} KB without outputs)`);
  }
}

main();
