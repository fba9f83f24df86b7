// Training throughput of the reference trainer against a plain numpy implementation of
// the same network and update, on real MNIST. Run: node dist/bench/train.js [epochs]

import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { createNet, evaluate, trainEpoch } from "../grader/lab/fastnet";
import { defaultMnistDir, loadMnist } from "../grader/lab/mnist";
import { makeRng } from "../grader/engine/rng";

const PYTHON = "/usr/bin/python3";
const SIZES = [784, 16, 16, 10];
const SEED = 1;

interface Timing {
  examplesPerSecond: number;
  epochSeconds: number[];
  accuracy: number;
}

/** skipZeroInputs false does every multiply-add numpy does, for a like-for-like figure. */
function benchOurs(digits: ReturnType<typeof loadMnist>, epochs: number, skipZeroInputs: boolean): Timing {
  const { train, test } = digits;
  const rng = makeRng(SEED);
  const net = createNet(SIZES, rng);
  const epochSeconds: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const start = process.hrtime.bigint();
    trainEpoch(net, train, { learningRate: 3, cost: "quadratic", batchSize: 10, rng, skipZeroInputs });
    epochSeconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const total = epochSeconds.reduce((s, t) => s + t, 0);
  return { examplesPerSecond: (train.count * epochs) / total, epochSeconds, accuracy: evaluate(net, test).accuracy };
}

/** The .py file sits in bench/ next to this source; the compiled .js runs from dist/bench/. */
function numpyScript(): string | undefined {
  const candidates = [path.join(__dirname, "numpy_train.py"), path.join(__dirname, "../../bench/numpy_train.py")];
  return candidates.find((f) => fs.existsSync(f));
}

function benchNumpy(epochs: number): Timing | string {
  const script = numpyScript();
  if (script === undefined) return "skipped (bench/numpy_train.py not found)";
  // OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE may be set on this machine for other tools;
  // numpy runs with its own defaults here, as a user's numpy would.
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const probe = fs.existsSync(PYTHON) ? spawnSync(PYTHON, ["-c", "import numpy"], { env }) : undefined;
  if (probe === undefined || probe.status !== 0) return "skipped (python3-numpy not found)";
  const run = spawnSync(PYTHON, [script, defaultMnistDir(), String(epochs), String(SEED)], { env, encoding: "utf8" });
  if (run.status !== 0) return `failed: ${run.stderr.trim()}`;
  const parsed = JSON.parse(run.stdout) as { examples_per_second: number; epoch_seconds: number[]; accuracy: number };
  return { examplesPerSecond: parsed.examples_per_second, epochSeconds: parsed.epoch_seconds, accuracy: parsed.accuracy };
}

function describe(name: string, t: Timing): string {
  const epochs = t.epochSeconds.map((s) => `${s.toFixed(2)} s`).join(", ");
  return `${name}: ${Math.round(t.examplesPerSecond)} examples/s; epoch time ${epochs}; test accuracy ${(100 * t.accuracy).toFixed(2)}%`;
}

function main(): void {
  const epochs = Number(process.argv[2] ?? 2);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive integer, got ${process.argv[2]}`);
  console.log(`${SIZES.join("-")} sigmoid, quadratic cost, mini-batches of 10, eta 3, ${epochs} epoch(s) of 60000 digits`);
  const digits = loadMnist();
  const ours = benchOurs(digits, epochs, true);
  console.log(describe("ours, skipping zero pixels", ours));
  const dense = benchOurs(digits, epochs, false);
  console.log(describe("ours, dense (every pixel)", dense));
  const numpy = benchNumpy(epochs);
  if (typeof numpy === "string") {
    console.log(`numpy: ${numpy}`);
    return;
  }
  console.log(describe("numpy (dense)            ", numpy));
  const ratio = (t: Timing): string => (t.examplesPerSecond / numpy.examplesPerSecond).toFixed(2);
  console.log(`ratio ours/numpy: ${ratio(ours)} (skipping zero pixels), ${ratio(dense)} (dense)`);
}

main();
