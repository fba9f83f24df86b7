// Training throughput of the fast trainer against a plain numpy implementation of the
// same network and update, on real MNIST, both in float64. Run: node dist/bench/train.js [epochs]
//
// The anchor is numpy on OpenBLAS, the BLAS a pip-installed numpy ships with: the first
// of $BENCH_PYTHON, python3 on PATH and /usr/bin/python3 whose numpy reports OpenBLAS (a
// numpy on the reference BLAS is 3 times slower and would flatter us; it is used only if
// nothing else is there, and the line says so).

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { NOTES_RECIPE, createNet, evaluate, trainEpoch, type Kernels } from "../grader/lab/fastnet";
import { simdAvailable } from "../grader/lab/simd";
import { defaultMnistDir, loadMnist } from "../grader/lab/mnist";
import { makeRng } from "../grader/engine/course/rng";

/** Prints numpy's BLAS as its build records it (numpy 2 and 1.x keep it in different places). */
const BLAS_PROBE = `
import numpy as np
try:
    print(np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"])
except Exception:
    info = np.__config__.get_info("blas_opt_info") or {}
    print("openblas" if np.__config__.get_info("openblas_info") else ",".join(info.get("libraries", [])) or "unknown")
`;
const SIZES = [784, 16, 16, 10];
const SEED = 1;

interface Timing {
  examplesPerSecond: number;
  epochSeconds: number[];
  accuracy: number;
  /** Ours: mini-batches whose input layer ran on two threads, of all. */
  split?: { batches: number; of: number };
}

/** Examples per second after the first epoch (both sides: a JIT, a thread and caches warmed up). */
function warmRate(t: Timing, examples: number): number {
  const rest = t.epochSeconds.slice(1);
  return rest.length === 0 ? t.examplesPerSecond : (examples * rest.length) / rest.reduce((s, x) => s + x, 0);
}

/** skipZeroInputs false does every multiply-add numpy does, for a like-for-like figure. */
function benchOurs(digits: ReturnType<typeof loadMnist>, epochs: number, skipZeroInputs: boolean, kernels: Kernels = "simd"): Timing {
  const { train, test } = digits;
  const rng = makeRng(SEED);
  const net = createNet(SIZES, rng);
  const epochSeconds: number[] = [];
  let splitBatches = 0;
  for (let e = 0; e < epochs; e++) {
    const start = process.hrtime.bigint();
    splitBatches += trainEpoch(net, train, { learningRate: 3, cost: "quadratic", batchSize: 10, rng, skipZeroInputs, kernels }).splitBatches;
    epochSeconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const total = epochSeconds.reduce((s, t) => s + t, 0);
  const split = { batches: splitBatches, of: Math.ceil(train.count / 10) * epochs };
  return { examplesPerSecond: (train.count * epochs) / total, epochSeconds, accuracy: evaluate(net, test).accuracy, split };
}

/** The .py file sits in bench/ next to this source; the compiled .js runs from dist/bench/. */
function numpyScript(): string | undefined {
  const candidates = [path.join(__dirname, "numpy_train.py"), path.join(__dirname, "../../bench/numpy_train.py")];
  return candidates.find((f) => fs.existsSync(f));
}

// OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on this machine for other tools;
// numpy runs with its own defaults here (threads included), as a user's numpy would.
function numpyEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** The python to run numpy with, and its BLAS; undefined when no python has numpy. */
function findNumpy(): { python: string; blas: string } | undefined {
  const candidates = [process.env.BENCH_PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => !!p);
  const found = candidates.flatMap((python) => {
    const probe = spawnSync(python, ["-c", BLAS_PROBE], { env: numpyEnv(), encoding: "utf8" });
    return probe.status === 0 ? [{ python, blas: probe.stdout.trim() }] : [];
  });
  return found.find((f) => /openblas/i.test(f.blas)) ?? found[0];
}

function benchNumpy(epochs: number, numpy: { python: string } | undefined): Timing | string {
  const script = numpyScript();
  if (script === undefined) return "skipped (bench/numpy_train.py not found)";
  if (numpy === undefined) return "skipped (no python3 with numpy found)";
  const run = spawnSync(numpy.python, [script, defaultMnistDir(), String(epochs), String(SEED)], { env: numpyEnv(), encoding: "utf8" });
  if (run.status !== 0) return `failed: ${run.stderr.trim()}`;
  const parsed = JSON.parse(run.stdout) as { examples_per_second: number; epoch_seconds: number[]; accuracy: number };
  return { examplesPerSecond: parsed.examples_per_second, epochSeconds: parsed.epoch_seconds, accuracy: parsed.accuracy };
}

function describe(name: string, t: Timing): string {
  const rest = t.epochSeconds.slice(1);
  const epochs = rest.length <= 4
    ? t.epochSeconds.map((s) => `${s.toFixed(2)} s`).join(", ")
    : `${t.epochSeconds[0].toFixed(2)} s, then ${Math.min(...rest).toFixed(2)}-${Math.max(...rest).toFixed(2)} s`;
  const threads = t.split ? `; input layer on two threads in ${t.split.batches} of ${t.split.of} batches` : "";
  return `${name}: ${Math.round(t.examplesPerSecond)} examples/s; epoch time ${epochs}; test accuracy ${(100 * t.accuracy).toFixed(2)}%${threads}`;
}

function main(): void {
  // The notes' 30 epochs, what chapter 4 trains: the first epoch's warm-up (V8 compiling
  // the hot code, the helper thread starting) weighs in the figure as it does there, a
  // thirtieth (at 5 epochs it is a fifth). Both sides run the same epochs.
  const epochs = Number(process.argv[2] ?? NOTES_RECIPE.epochs);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive integer, got ${process.argv[2]}`);
  console.log(`${SIZES.join("-")} sigmoid, quadratic cost, mini-batches of 10, eta 3, float64 on both sides, ${epochs} epoch(s) of 60000 digits`);
  console.log(`layer products: ${simdAvailable ? "WebAssembly SIMD kernels" : "TypeScript kernels (this engine has no WebAssembly SIMD)"}`);
  const digits = loadMnist();
  const ours = benchOurs(digits, epochs, true);
  console.log(describe("ours, skipping zero pixels", ours));
  const dense = benchOurs(digits, epochs, false);
  console.log(describe("ours, dense (every pixel)", dense));
  const found = findNumpy();
  const numpy = benchNumpy(epochs, found);
  if (typeof numpy === "string") {
    console.log(`numpy: ${numpy}`);
    return;
  }
  const blas = /openblas/i.test(found!.blas) ? `OpenBLAS, ${found!.python}` : `${found!.blas}, NOT OpenBLAS: ${found!.python}`;
  console.log(describe(`numpy (dense; ${blas})`, numpy));
  const ratio = (t: Timing): string => (t.examplesPerSecond / numpy.examplesPerSecond).toFixed(2);
  console.log(`ratio ours/numpy: ${ratio(ours)} skipping zero pixels (goal >= 1.5), ${ratio(dense)} dense (goal >= 1.0)`);
  if (epochs > 1) {
    const n = digits.train.count;
    const warm = (t: Timing): string => (warmRate(t, n) / warmRate(numpy, n)).toFixed(2);
    console.log(`ratio after the first epoch, both sides: ${warm(ours)} skipping zero pixels, ${warm(dense)} dense`);
  }
}

main();
