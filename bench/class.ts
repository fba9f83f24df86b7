// `npm run bench:class` (part of `npm run bench`): grade a synthetic class of
// 200 submissions mixing solved, partly solved, untouched, wrong, broken and
// hostile notebooks; report submissions per second and peak memory.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installRoot } from "../grader/engine/paths";
import { MIX, writeClass } from "./synthetic";

const SIZE = Number(process.env.BENCH_CLASS_SIZE ?? 200);

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bp-class-"));
  const kinds = writeClass(dir, SIZE);
  const counts = MIX.filter((k, i, all) => all.indexOf(k) === i).map((k) => `${kinds.filter((x) => x === k).length} ${k}`);
  console.log(`synthetic class: ${SIZE} submissions (${counts.join(", ")}) in ${dir}`);
  const out = path.join(dir, "..", `${path.basename(dir)}-report`);
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [path.join(installRoot, "dist", "grader", "cli.js"), dir, "--out", out, "--no-color"], { encoding: "utf8", env: { ...process.env, BACKPROP_LAB_BENCH: "1" } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Exit 2 is expected when the mix holds a broken submission (its unreadable notebooks are named, not graded).
  const expected = kinds.includes("broken") ? 2 : 0;
  if (r.status !== expected) throw new Error(`class grading failed (exit ${r.status}, expected ${expected}): ${r.stderr}`);
  const rss = /maxRssKb=(\d+)/.exec(r.stderr);
  console.log(`graded in ${seconds.toFixed(1)} s: ${(SIZE / seconds).toFixed(1)} submissions/s on ${os.availableParallelism()} cores (target >= 20), peak memory ${rss ? (Number(rss[1]) / 1024).toFixed(0) : "?"} MB`);
  console.log(r.stdout.split("\n").slice(0, 3).join("\n"));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
}

main();
