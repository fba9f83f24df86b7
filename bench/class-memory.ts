// `npm run bench:memory`: class grading's memory stays flat in the number of
// learners. Grades classes of maximal-output learners (every answer of their
// weighted-sum cell is the largest the harness's encoder lets out: 1,000,000
// numbers, cut at 16 million characters per exercise, and every learner's cell is
// its own, so nothing is reused) with the grader's heap capped at 256 MB
// (node --max-old-space-size=256), and reports the grading process's peak memory
// for each class size: a grader that kept what learners return would run out of
// heap long before 1,000 learners (each returns ~16 MB).
// BENCH_MEMORY_SIZES="100,1000" by default.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { course } from "../exercises";
import { installRoot } from "../grader/engine/paths";

const SIZES = (process.env.BENCH_MEMORY_SIZES ?? "100,1000").split(",").map(Number);
const HEAP_MB = 256;

function writeLearners(dir: string, n: number): void {
  const slug = course.chapters[0].slug;
  const nb = JSON.parse(fs.readFileSync(course.masterPath(slug), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
  const cell = nb.cells.find((c) => (Array.isArray(c.source) ? c.source.join("") : c.source).startsWith("// exercise: weighted-sum\n"))!;
  for (let i = 0; i < n; i++) {
    cell.source = `// exercise: weighted-sum\nfunction weightedSum(w: number, aPrev: number, b: number): any {\n  // learner ${i}\n  return new Array(1_000_000).fill(0.12345678901234567 + ${i});\n}`;
    const own = path.join(dir, `learner-${String(i + 1).padStart(4, "0")}`);
    fs.mkdirSync(own);
    fs.writeFileSync(path.join(own, `${slug}.ipynb`), JSON.stringify(nb));
  }
}

function main(): void {
  for (const n of SIZES) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bp-memory-"));
    writeLearners(dir, n);
    const out = `${dir}-report`;
    const loadBefore = os.loadavg()[0].toFixed(1);
    const started = Date.now();
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, path.join(installRoot, "dist", "grader", "cli.js"), dir, "--out", out, "--no-color", "weighted-sum"], {
      encoding: "utf8",
      env: { ...process.env, BACKPROP_LAB_BENCH: "1" },
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (Date.now() - started) / 1000;
    const main = /mainMaxRssKb=(\d+)/.exec(r.stderr);
    const results = fs.existsSync(path.join(out, "results")) ? fs.readdirSync(path.join(out, "results")).length : 0;
    console.log(`${n} maximal-output learners, grader heap capped at ${HEAP_MB} MB: exit ${r.status}, ${results} results files, grading process peak RSS ${main ? (Number(main[1]) / 1024).toFixed(0) : "?"} MB, ${seconds.toFixed(0)} s; load average ${loadBefore} before, ${os.loadavg()[0].toFixed(1)} after`);
    if (!main || results !== n) console.log(`stderr: ${r.stderr.slice(-3000)}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
}

main();
