// The fast trainer (grader/lab/fastnet.ts, its SIMD kernels in simd.ts) computes the
// same gradients as the course's reference backprop (the master's `backprop` cell), bit
// for bit, on seeded random networks of several shapes: one example at a time, and a
// batch summed over its examples in order. So given.ts can be the trainer's own code,
// and the trainer's speed costs no precision.
//
// The one tolerance, for skipping zero inputs only: +0 and -0 count as equal. A weight
// whose input is exactly 0 has gradient delta * 0, which is -0 when delta < 0; a skipped
// column is left at +0. No sum or comparison tells them apart. Without skipping,
// every bit must match, the sign of zeros included.
import * as vm from "node:vm";
import * as ts from "typescript";
import { markedCells } from "../grader/engine/notebook/cells";
import { readNotebook } from "../grader/engine/notebook/notebook";
import type { Gradients, Network } from "../grader/engine/course/network";
import { makeRng, normal, randomInt, type Rng } from "../grader/engine/course/rng";
import { batchGradient, createNet, evaluate, feedforward, fromNetwork, gradient, toNetwork, trainEpoch, type Kernels } from "../grader/lab/fastnet";
import { loadMnist } from "../grader/lab/mnist";
import { simdAvailable } from "../grader/lab/simd";
import { helperWaitsExpired } from "../grader/lab/threads";
import { master } from "./helpers";

type Backprop = (net: Network, x: number[], y: number[]) => Gradients;

/** The masters' reference cells for backprop and what it calls, compiled and run in one fresh context. */
function referenceBackprop(): Backprop {
  const ids = ["sigmoid", "sigmoid-prime", "layer-forward", "network-forward", "backprop"];
  const cells = new Map<string, string>();
  for (const slug of ["01-forward-pass", "02-chain-rule", "03-many-neurons"]) {
    for (const [id, c] of markedCells(readNotebook(master(slug)))) cells.set(id, c.source);
  }
  const context = vm.createContext({});
  for (const id of ids) {
    const js = ts.transpileModule(cells.get(id)!, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;
    vm.runInContext(js, context, { filename: `reference-${id}` });
  }
  return (context as { backprop: Backprop }).backprop;
}

const reference = referenceBackprop();

function randomNetwork(rng: Rng, sizes: number[], scale: number): Network {
  const vector = (n: number) => Array.from({ length: n }, () => scale * normal(rng));
  return { weights: sizes.slice(1).map((n, l) => Array.from({ length: n }, () => vector(sizes[l]))), biases: sizes.slice(1).map(vector) };
}

/** An input with runs of exact zeros (what skipping looks for), like a digit's blank margins. */
function randomInput(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, (_, k) => (Math.floor(k / 3) % 3 === 0 || rng() < 0.3 ? 0 : rng()));
}

function randomTarget(rng: Rng, n: number): number[] {
  const hot = randomInt(rng, 0, n - 1);
  return rng() < 0.5 ? Array.from({ length: n }, (_, j) => (j === hot ? 1 : 0)) : Array.from({ length: n }, () => rng());
}

/** The first entry where `got` differs from `want`, or undefined; signed zeros count as equal when `zeroSign` is false. */
function firstDifference(want: Gradients, got: Gradients, zeroSign: boolean): string | undefined {
  const same = (a: number, b: number) => Object.is(a, b) || (!zeroSign && a === b);
  for (let l = 0; l < want.weights.length; l++) {
    for (let j = 0; j < want.weights[l].length; j++) {
      for (let k = 0; k < want.weights[l][j].length; k++) {
        const [a, b] = [want.weights[l][j][k], got.weights[l]?.[j]?.[k]];
        if (b === undefined || !same(a, b)) return `weights[${l}][${j}][${k}]: reference ${a}, fast ${b}`;
      }
    }
    for (let j = 0; j < want.biases[l].length; j++) {
      const [a, b] = [want.biases[l][j], got.biases[l]?.[j]];
      if (b === undefined || !same(a, b)) return `biases[${l}][${j}]: reference ${a}, fast ${b}`;
    }
  }
  return undefined;
}

/** Gradients summed over examples in order, from the first: ((g0 + g1) + g2) + ... */
function summed(gs: Gradients[]): Gradients {
  return gs.slice(1).reduce(
    (sum, g) => ({
      weights: sum.weights.map((W, l) => W.map((row, j) => row.map((v, k) => v + g.weights[l][j][k]))),
      biases: sum.biases.map((b, l) => b.map((v, j) => v + g.biases[l][j])),
    }),
    gs[0],
  );
}

const SHAPES = [[784, 16, 16, 10], [3, 4, 2], [5, 3, 3, 2], [2, 8, 8, 8, 1], [1, 1], [7, 5], [9, 3, 4], [30, 11, 7]];
const CASES = 60;
const MODES: { kernels: Kernels; skip: boolean }[] = [
  { kernels: "simd", skip: false },
  { kernels: "simd", skip: true },
  { kernels: "js", skip: false },
  { kernels: "js", skip: true },
];

test("the engine running the tests has WebAssembly SIMD, so the SIMD kernels are what is compared", () => {
  expect(simdAvailable).toBe(true);
});

describe.each(MODES)("$kernels kernels, skipping zero inputs: $skip", ({ kernels, skip }) => {
  test(`one example: the reference's gradients on ${CASES} seeded networks`, () => {
    const problems: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const seed = 1000 + i;
      const rng = makeRng(seed);
      const sizes = i < SHAPES.length ? SHAPES[i] : Array.from({ length: randomInt(rng, 2, 5) }, () => randomInt(rng, 1, 12));
      // Scale 40 saturates neurons: a = 0 or 1 exactly, so some deltas are -0, whose sign must survive.
      const net = randomNetwork(rng, sizes, [1, 1, 4, 1, 40][i % 5]);
      const x = randomInput(rng, sizes[0]);
      const y = randomTarget(rng, sizes[sizes.length - 1]);
      const diff = firstDifference(reference(net, x, y), gradient(fromNetwork(net), x, y, "quadratic", kernels, skip), !skip);
      if (diff) problems.push(`seed ${seed}, ${sizes.join("-")}: ${diff}`);
    }
    expect(problems).toEqual([]);
  });

  test("a batch: the reference's gradients summed over its examples in order", () => {
    const problems: string[] = [];
    for (let i = 0; i < 24; i++) {
      const seed = 2000 + i;
      const rng = makeRng(seed);
      const sizes = SHAPES[i % SHAPES.length];
      const m = [2, 3, 10, 5][i % 4];
      const net = randomNetwork(rng, sizes, i % 3 === 2 ? 40 : 1);
      const xs = Array.from({ length: m }, () => randomInput(rng, sizes[0]));
      const ys = Array.from({ length: m }, () => randomTarget(rng, sizes[sizes.length - 1]));
      const want = summed(xs.map((x, b) => reference(net, x, ys[b])));
      const diff = firstDifference(want, batchGradient(fromNetwork(net), xs, ys, "quadratic", kernels, skip), !skip);
      if (diff) problems.push(`seed ${seed}, ${sizes.join("-")}, ${m} examples: ${diff}`);
    }
    expect(problems).toEqual([]);
  });
});

test("training: the SIMD and TypeScript kernels give the same network, bit for bit, short last batches and weight decay included", () => {
  const few = loadMnist({ trainLimit: 207, testLimit: 1 }); // batches of 10 and 4: the last ones hold 7 and 3 digits
  const problems: string[] = [];
  for (const batchSize of [10, 4]) {
    for (const skipZeroInputs of [false, true]) {
      // l2: whole batches update the input layer inside the gradient pass (keep * W - step * grad), the last one after it.
      for (const l2 of [0, 5]) {
        const trained = (kernels: Kernels): Network => {
          const rng = makeRng(5);
          const net = createNet([784, 6, 5, 10], rng);
          for (let e = 0; e < 2; e++) trainEpoch(net, few.train, { learningRate: 1.5, cost: "quadratic", batchSize, rng, skipZeroInputs, kernels, l2 });
          return toNetwork(net);
        };
        const [simd, js] = [trained("simd"), trained("js")].map((net) => [...net.weights.flat(2), ...net.biases.flat()]);
        const same = simd.length === js.length && simd.every((v, i) => Object.is(v, js[i]));
        if (!same) problems.push(`batches of ${batchSize}, skipping zeros ${skipZeroInputs}, l2 ${l2}: the networks differ`);
      }
    }
  }
  expect(problems).toEqual([]);
});

test("training with the input layer split between two threads gives the network one thread gives, bit for bit", () => {
  // 207 digits: whole batches, then a short last one (taken back to one thread); 16, 17 and
  // 30 first-layer neurons, the helper's last row pair padded for 17; a net of one layer,
  // whose only layer is the output (softmax: the helper returns z, not sigma(z)).
  const few = loadMnist({ trainLimit: 207, testLimit: 1 });
  const problems: string[] = [];
  let split = 0;
  const nets = [
    { sizes: [784, 16, 10], output: "sigmoid", cost: "quadratic" },
    { sizes: [784, 17, 10], output: "sigmoid", cost: "quadratic" },
    { sizes: [784, 30, 16, 10], output: "softmax", cost: "cross-entropy" },
    { sizes: [784, 10], output: "softmax", cost: "cross-entropy" },
  ] as const;
  for (const { sizes, output, cost } of nets) {
    for (const [batchSize, skipZeroInputs, l2] of [[10, true, 0], [10, false, 5], [4, true, 5]] as const) {
      const trained = (threads: number, kernels: Kernels = "simd"): number[] => {
        const rng = makeRng(6);
        const net = createNet(sizes, rng, output);
        for (let e = 0; e < 2; e++) {
          const run = trainEpoch(net, few.train, { learningRate: 1.5, cost, batchSize, rng, skipZeroInputs, kernels, l2, threads });
          if (threads === 2) split += run.splitBatches;
          else if (run.splitBatches !== 0) problems.push(`threads 1 split ${run.splitBatches} batches`);
        }
        const { weights, biases } = toNetwork(net);
        return [...weights.flat(2), ...biases.flat()];
      };
      const [two, one, js] = [trained(2), trained(1), trained(1, "js")];
      const what = `${sizes.join("-")}, batches of ${batchSize}, skipping zeros ${skipZeroInputs}, l2 ${l2}`;
      if (!two.every((v, i) => Object.is(v, one[i]))) problems.push(`${what}: two threads and one differ`);
      if (!one.every((v, i) => Object.is(v, js[i]))) problems.push(`${what}: SIMD and TypeScript differ`);
    }
  }
  expect(problems).toEqual([]);
  // The helper really ran (with digits in shared memory, as loadMnist gives them).
  expect(split).toBeGreaterThan(0);
});

test("an epoch stopped from outside (a vm timeout, as a kernel interrupt stops a cell) leaves the helper thread ready for the next", () => {
  // A stopped script runs no finally block: the helper was left waiting on the old epoch
  // and the next epoch's setup waited 10 s for it, then trained on one thread.
  const digits = loadMnist({ trainLimit: 6000, testLimit: 1 });
  const net = createNet([784, 16, 16, 10], makeRng(1));
  const context = vm.createContext({ trainEpoch, net, digits, makeRng });
  for (const timeout of [20, 150]) {
    expect(() =>
      vm.runInContext("for (;;) trainEpoch(net, digits.train, { learningRate: 3, cost: 'quadratic', batchSize: 10, rng: makeRng(2) })", context, { timeout }),
    ).toThrow(/timed out/);
    const expired = helperWaitsExpired();
    let split = 0;
    // Two epochs: one may start on one thread after a busy one (see trainEpoch).
    for (let e = 0; e < 2; e++) split += trainEpoch(net, digits.train, { learningRate: 3, cost: "quadratic", batchSize: 10, rng: makeRng(3) }).splitBatches;
    expect(split).toBeGreaterThan(0);
    // No wait for the helper ran out: the next epoch's setup did not sit out a deaf helper
    // (counted, not timed: a loaded machine makes any epoch slow).
    expect(helperWaitsExpired()).toBe(expired);
  }
});

test("digits outside shared memory train on one thread, to the same network", () => {
  const few = loadMnist({ trainLimit: 100, testLimit: 1 });
  const copied = { ...few.train, pixels: Float64Array.from(few.train.pixels) }; // an ordinary ArrayBuffer
  const trained = (data: typeof copied) => {
    const rng = makeRng(7);
    const net = createNet([784, 16, 10], rng);
    const run = trainEpoch(net, data, { learningRate: 1.5, cost: "quadratic", batchSize: 10, rng, threads: 2 });
    return { run, values: toNetwork(net).weights.flat(2) };
  };
  const [own, shared] = [trained(copied), trained(few.train)];
  expect(own.run.splitBatches).toBe(0);
  expect(own.values.every((v, i) => Object.is(v, shared.values[i]))).toBe(true);
});

test("trainEpoch and evaluate say what is wrong with digits put together by hand", () => {
  const few = loadMnist({ trainLimit: 20, testLimit: 1 }).train;
  const net = createNet([784, 16, 10], makeRng(1));
  const cases: [Partial<typeof few>, string][] = [
    [{ pixels: few.pixels.subarray(0, 19 * 784) }, "20 digits need 15680 pixels (784 each), pixels has 14896"],
    [{ labels: few.labels.subarray(0, 5) }, "20 digits need 20 labels, labels has 5"],
    [{ labels: Uint8Array.from(few.labels, (l, i) => (i === 7 ? 12 : l)) }, "labels[7] is 12, not a digit 0-9"],
    [{ count: 2.5 }, "count must be a whole number, got 2.5"],
  ];
  for (const [change, message] of cases) {
    const digits = { ...few, ...change };
    expect(() => trainEpoch(net, digits, { learningRate: 1, cost: "quadratic", batchSize: 10, rng: makeRng(1) })).toThrow(message);
    expect(() => evaluate(net, digits)).toThrow(message);
  }
});

test("trainEpoch refuses a thread count that is not a whole number from 1", () => {
  const few = loadMnist({ trainLimit: 10, testLimit: 1 });
  const net = createNet([784, 16, 10], makeRng(1));
  for (const threads of [0, 1.5, -2]) {
    expect(() => trainEpoch(net, few.train, { learningRate: 1, cost: "quadratic", batchSize: 10, rng: makeRng(1), threads })).toThrow(`threads must be a whole number from 1, got ${threads}`);
  }
});

test("feedforward on a net trained in place between calls sees the trained weights (its workspace is kept per net)", () => {
  const few = loadMnist({ trainLimit: 40, testLimit: 3 });
  const rng = makeRng(8);
  const net = createNet([784, 6, 10], rng);
  const x = few.test.pixels.subarray(0, 784);
  const before = Array.from(feedforward(net, x));
  trainEpoch(net, few.train, { learningRate: 1.5, cost: "quadratic", batchSize: 10, rng });
  const after = Array.from(feedforward(net, x));
  // The same pass through a net built afresh from the trained weights: a workspace of its own.
  const fresh = Array.from(feedforward(fromNetwork(toNetwork(net)), x));
  expect(after).not.toEqual(before);
  expect(after.every((v, i) => Object.is(v, fresh[i]))).toBe(true);
});
