// A second thread for the fast trainer's input layer (fastnet.ts): the layer's neurons
// split in two, each thread running the same SIMD kernels (simd.ts) on its own rows, in a
// memory of its own. A neuron's z and its weights' update are computed by the same
// operations in the same order whichever thread runs them, so training gives the same
// bits with one thread or two (test/fastnet-exact.test.ts).
//
// What decides the speed is moving data between cores, not arithmetic: a batch's digits
// (62 KB) read by the other core cost as much as reading them from main memory (about 10
// microseconds on our machine, a quarter of a step). So the helper copies its digits from
// the shared pixels itself, into a second input buffer while this thread runs the layers
// above the input layer (when the helper has nothing else to do); this thread, which also
// copies a batch for itself, takes fewer of the layer's neurons (fastnet.ts, MAIN_SHARE).
// Only a batch's small vectors cross: the helper's activations (forward), the deltas
// (backward) and the biases.
//
// A step of 10 digits takes about 40 microseconds, so the threads hand work over through
// a few Int32 slots with Atomics, spinning while they wait: waking a sleeping thread
// takes tens of microseconds. The helper spins only while an epoch runs; between epochs
// it sleeps in its event loop, and it never keeps the process alive (unref).

import { layerKernels, type LayerKernels } from "./simd";

// Int32 slots of the control buffer, then two float64s (keep, step) from byte 32.
const SEQ = 0; // the last command's number, written by this thread
const OP = 1;
const START = 2; // the (next) batch's first position in the epoch's order
const COUNT = 3; // how many digits it has; 0 after a STEP: no next batch to start
const DONE = 4; // the number of the last command the helper finished, or FAILED
const FAILED = -1;
const NOT_READY = -2;
const FORWARD = 1;
const STEP = 2;
const RELEASE = 3;

/** The helper's spins before it sleeps: far longer than a step, far shorter than a human notices. */
const SPINS = 1 << 20;
/** This thread's spins before it waits in short sleeps: about a tenth of a millisecond, several steps. */
const WAIT_SPINS = 1 << 16;
/**
 * A wait this long (ms) is a stall: the helper was not running, as when other work keeps
 * the cores busy (V8's own compiler and collector threads wait less). See SplitLayer.stalls.
 */
const STALL_MS = 3;

// Plain JavaScript run by the helper thread (eval: no file to find at run time, from dist/
// or from a notebook's folder). `setup` arrives once per epoch; RELEASE returns the thread
// to its event loop, where it sleeps until the next epoch.
const HELPER_SOURCE = `
const { parentPort } = require("worker_threads");

// The helper's share of a layer, as small functions (each gets hot and optimised early).
// Two input buffers: while this thread's main runs the layers above the input layer, the
// helper loads the next batch into the buffer its last step has finished with.
function helperFor(s) {
  const k = new WebAssembly.Instance(s.module, { env: { memory: s.memory } }).exports;
  const L = s.layout;
  const own = (at, n) => new Float64Array(s.memory.buffer, at, n);
  const main = (at, n) => new Float64Array(s.mainMemory.buffer, at, n);
  const inputs = [own(L.input, 2 * L.pairs * L.stride), own(L.input + L.inputBytes, 2 * L.pairs * L.stride)];
  const [ownBiases, mainBiases] = [own(L.biases, 2 * L.rowPairs), main(L.biases, 2 * L.rowPairs)];
  const [ownZ, mainZ] = [own(L.z, 2 * L.pairs * L.fanOut), main(L.z, 2 * L.pairs * L.fanOut)];
  const [ownDelta, mainDelta] = [own(L.delta, L.batch * L.fanOut), main(L.delta, L.batch * L.fanOut)];
  const first = 2 * s.from, end = Math.min(2 * s.to, L.fanOut); // the helper's neurons
  const { pixels, order, fanIn } = s;
  let current = 0; // the buffer of the batch forwarded last, whose step comes next
  let ahead = null; // { start, m, buffer }: a batch loaded ahead, its runs found
  function load(start, m, buffer) {
    const input = inputs[buffer];
    for (let b = 0; b < m; b++) {
      const i = order[start + b];
      input.set(pixels.subarray(i * fanIn, (i + 1) * fanIn), b * L.stride);
    }
    if (s.skipZeroInputs) k.findRuns(m, buffer * L.inputBytes);
  }
  return {
    step(keep, step) {
      ownDelta.set(mainDelta);
      k.gradientStep(2, L.batch, keep, step, s.from, s.to, current * L.inputBytes);
    },
    forward(start, m) {
      let buffer = 1 - current;
      if (ahead && ahead.start === start && ahead.m === m) buffer = ahead.buffer;
      else load(start, m, buffer);
      ahead = null;
      current = buffer;
      ownBiases.set(mainBiases.subarray(first, end), first);
      k.forward((m + 1) >> 1, s.from, s.to, buffer * L.inputBytes);
      for (let b = 0; b < m; b++) {
        const row = b * L.fanOut;
        // The activations when layers follow: sigma as the course computes it (network.ts).
        if (s.sigmoid) for (let j = row + first; j < row + end; j++) mainZ[j] = 1 / (1 + Math.exp(-ownZ[j]));
        else mainZ.set(ownZ.subarray(row + first, row + end), row + first);
      }
    },
    // Its digits also reach the shared cache, where this thread's main copies them from next.
    loadAhead(start, m) {
      if (start + m > order.length) return;
      load(start, m, 1 - current);
      ahead = { start, m, buffer: 1 - current };
    },
  };
}

/** The next command's number, spinning while one is likely soon and sleeping after. */
function nextCommand(c, seen) {
  for (let spins = 0; Atomics.load(c, ${SEQ}) === seen; ) {
    if (++spins > ${SPINS}) { Atomics.wait(c, ${SEQ}, seen); spins = 0; }
  }
  return Atomics.load(c, ${SEQ});
}

parentPort.on("message", (s) => {
  const c = new Int32Array(s.control, 0, 8);
  const f = new Float64Array(s.control, 32, 2);
  let seen = Atomics.load(c, ${SEQ});
  const done = (value) => { Atomics.store(c, ${DONE}, value); Atomics.notify(c, ${DONE}); };
  try {
    const helper = helperFor(s);
    done(seen);
    for (;;) {
      seen = nextCommand(c, seen);
      const op = Atomics.load(c, ${OP});
      const start = Atomics.load(c, ${START}), m = Atomics.load(c, ${COUNT});
      if (op !== ${FORWARD} && op !== ${STEP}) break;
      if (op === ${STEP}) helper.step(f[0], f[1]);
      if (m > 0) helper.forward(start, m);
      done(seen);
      // While this thread's main runs the layers above, the batch after this one.
      if (m > 0) helper.loadAhead(start + m, m);
    }
    done(seen);
  } catch (error) {
    done(${FAILED});
  }
});
`;

interface WorkerLike {
  postMessage(message: unknown): void;
  unref(): void;
  terminate(): unknown;
  on(event: "error" | "exit", listener: () => void): void;
}

let worker: WorkerLike | undefined;
/**
 * The helper's current layer, until joined. An epoch stopped from outside (a kernel
 * interrupt, a vm timeout) runs no finally block, so the helper would still be waiting on
 * it, deaf to the next epoch's setup; the next attach releases it first.
 */
let active: SplitLayer | undefined;
let workerBroken = false;
/** Waits for the helper that ran out of time (see helperWaitsExpired). */
let expiredWaits = 0;

/**
 * How many times, in this process, a wait for the helper thread ran out (10 s) and the
 * trainer went on without it: a helper left deaf by a stopped epoch shows here, where a
 * clock would only say the machine was slow.
 */
export function helperWaitsExpired(): number {
  return expiredWaits;
}

/** The one helper thread, started on first use; undefined where there are no worker threads. */
function helperWorker(): WorkerLike | undefined {
  if (worker || workerBroken) return worker;
  try {
    const { Worker } = require("worker_threads") as typeof import("worker_threads");
    const w = new Worker(HELPER_SOURCE, { eval: true }) as WorkerLike;
    w.unref();
    // A helper that fails on its own is not started again; one stopped by dropWorker is replaced.
    const broken = (): void => {
      if (worker !== w) return;
      workerBroken = true;
      worker = undefined;
    };
    w.on("error", broken);
    w.on("exit", broken);
    worker = w;
  } catch {
    workerBroken = true;
  }
  return worker;
}

/** Stops the helper thread; the next epoch that wants one starts a new one. */
function dropWorker(): void {
  void worker?.terminate();
  worker = undefined;
  active = undefined;
}

/** How many threads this machine gives the trainer: 2 with two cores or more, else 1. */
export function defaultThreads(): number {
  try {
    const os = require("os") as typeof import("os");
    const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
    return cores >= 2 ? 2 : 1;
  } catch {
    return 1;
  }
}

/**
 * The helper's share of the input layer: row pairs [from, rowPairs) of `main`'s kernels,
 * run on a copy of them. forward/step start the helper's part and return at once; wait()
 * returns when it is done; join() brings its rows' weights back into `main`.
 */
export class SplitLayer {
  /** The epoch's order of digits, which the helper reads its batches from: set it before the first forward. */
  readonly order: Int32Array;
  private readonly c: Int32Array;
  private readonly f: Float64Array;
  private seq = 0;
  private joined = false;
  /** Waits that took far longer than a step: the caller goes back to one thread when they add up. */
  stalls = 0;

  /**
   * Whether the stalls say the cores are busy with other work. (Allowing more while V8
   * still compiles the hot code on its own threads, early in the first epoch, was tried:
   * on a busy machine it made an epoch 2.4 times slower than one thread.)
   */
  tooManyStalls(limit: number): boolean {
    return this.stalls > limit;
  }

  private constructor(
    private readonly control: SharedArrayBuffer,
    private readonly main: LayerKernels,
    private readonly helper: LayerKernels,
    private readonly from: number,
    count: number,
  ) {
    this.c = new Int32Array(control, 0, 8);
    this.f = new Float64Array(control, 32, 2);
    this.c[DONE] = NOT_READY;
    this.order = new Int32Array(new SharedArrayBuffer(4 * count));
  }

  /**
   * The helper set up for `main`'s row pairs from `from` on (returning their sigma(z) with
   * `sigmoid`, their z without), reading digits from `pixels`
   * (count of them), or undefined when it cannot be: no worker threads, pixels or kernels
   * not in shared memory, a helper that did not answer. The caller then runs every row
   * itself, with the same result.
   */
  static attach(main: LayerKernels, pixels: Float64Array, count: number, skipZeroInputs: boolean, from: number, sigmoid: boolean): SplitLayer | undefined {
    const shared = main.shared;
    if (!shared || !(pixels.buffer instanceof SharedArrayBuffer) || from >= main.rowPairs) return undefined;
    const w = helperWorker();
    if (!w) return undefined;
    if (active) {
      try {
        active.join();
      } catch {
        dropWorker(); // a helper that no longer answers: one thread this time, a new helper next time
        return undefined;
      }
    }
    // A second set of the same kernels with everything main holds now (weights, biases, run tables).
    const helper = layerKernels(main.fanIn, main.fanOut, main.batch, { at: from });
    const helperMemory = helper.shared!.memory;
    new Uint8Array(helperMemory.buffer).set(new Uint8Array(shared.memory.buffer));
    const split = new SplitLayer(new SharedArrayBuffer(64), main, helper, from, count);
    active = split; // from here on, even if this epoch is stopped before it starts
    w.postMessage({
      module: shared.module, memory: helperMemory, mainMemory: shared.memory, control: split.control,
      layout: main.layout, pixels, order: split.order, fanIn: main.fanIn, from, to: main.rowPairs, skipZeroInputs, sigmoid,
    });
    // The first epoch waits for the thread to start (tens of milliseconds), later ones for an instantiation.
    if (!split.finished(10_000)) {
      dropWorker();
      return undefined;
    }
    return split;
  }

  /**
   * The helper's rows of z for the digits order[start .. start + m), written into main's z
   * (with main's biases as they are now).
   */
  forward(start: number, m: number): void {
    this.send(FORWARD, start, m);
  }

  /**
   * The helper's rows' gradientStep, with the deltas in main's memory, then the forward
   * of the next batch, if any: the helper gets on with it while this thread finishes its
   * own step, so update the biases before.
   */
  step(keep: number, step: number, next?: { start: number; m: number }): void {
    this.send(STEP, next?.start ?? 0, next?.m ?? 0, keep, step);
  }

  /** Returns when the helper has finished the last command; throws if it failed. */
  wait(): void {
    if (!this.finished(10_000)) throw new Error("the fast trainer's helper thread stopped answering");
  }

  /** Sends the helper back to sleep and copies its rows' weights into main: every row is main's again. */
  join(): void {
    if (this.joined) return;
    this.joined = true;
    if (active === this) active = undefined;
    this.send(RELEASE, 0, 0);
    if (!this.finished(10_000)) throw new Error("the fast trainer's helper thread stopped answering");
    const from = 2 * this.from * this.main.fanIn; // row pairs are 2 * fanIn values apart
    this.main.weights.set(this.helper.weights.subarray(from), from);
  }

  /** Starts a command once the last one is done (the helper reads its arguments as it starts). */
  private send(op: number, start: number, m: number, keep = 0, step = 0): void {
    this.wait();
    this.f[0] = keep;
    this.f[1] = step;
    Atomics.store(this.c, START, start);
    Atomics.store(this.c, COUNT, m);
    Atomics.store(this.c, OP, op);
    this.seq++;
    Atomics.store(this.c, SEQ, this.seq); // publishes every write before it (the slots above, f, main's memory)
    Atomics.notify(this.c, SEQ);
  }

  /** Whether the helper finished command seq within `ms` milliseconds (spinning first). */
  private finished(ms: number): boolean {
    let start = 0;
    for (let spins = 0; ; spins++) {
      const done = Atomics.load(this.c, DONE);
      if (done === FAILED) throw new Error("the fast trainer's helper thread failed");
      if (done === this.seq) {
        if (spins > WAIT_SPINS && performance.now() - start > STALL_MS) this.stalls++;
        return true;
      }
      if (spins === WAIT_SPINS) start = performance.now();
      else if (spins > WAIT_SPINS) {
        if (performance.now() - start > ms) {
          expiredWaits++;
          return false;
        }
        Atomics.wait(this.c, DONE, done, 1); // the helper notifies when it is done
      }
    }
  }
}
