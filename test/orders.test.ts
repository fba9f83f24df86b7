// Checks that depend on an order the learner chooses pass every valid order.
// trainEpoch may shuffle however it likes (any permutation of the examples, cut
// into consecutive batches, one sgdStep per batch): its cases are replayed here
// with thousands of uniformly random valid orders, trained by a plain sgdStep
// written here (not the spec's), and judged by the cases' own judges. The
// uniformity checks of miniBatches (150 items in fifths; every order of 2 and of 3
// items) pass 1,000 independent Fisher–Yates runs each and fail the biased shuffles.
// Every random draw is seeded; a failure prints its seed.
import { ALIKE } from "../grader/engine/judge/explain";
import * as path from "node:path";
import { course } from "../exercises";
import { batchings, LABELS_MIXED, ORDER_EPOCH, ORDER_NOT_UNIFORM, ORDER_SEEDS, ORDER_THRESHOLD, orderStatistic, orderUniformity, SEEDS, trainedOver } from "../exercises/04-learning-from-data/train-epoch";
import { NOT_UNIFORM, PAIR_LIMIT, PAIR_SEEDS, smallOrdersCase, SORT_SHUFFLE, STOPS_EARLY, SWAP_ANY, TRIPLE_SEEDS, UNIFORMITY_THRESHOLD, uniformityCase, uniformityStatistic } from "../exercises/04-learning-from-data/mini-batches";
import type { Example } from "../exercises/04-learning-from-data/data";
import { BATCH_JUDGES } from "../exercises/04-learning-from-data/batch-judges";
import { trustedBackprop, trustedSgdStep } from "../exercises/03-many-neurons/nets";
import { DEFAULT_SEED, expandChecks } from "../grader/engine/course/cases";
import { compare } from "../grader/engine/judge/compare";
import { grade } from "../grader/engine/grade";
import type { Network } from "../grader/engine/course/network";
import { referencesOf } from "../grader/engine/course/reference";
import { makeRng, type Rng } from "../grader/engine/course/rng";
import type { Answer, Case } from "../grader/engine/course/spec";
import type { Plain } from "../grader/engine/judge/values";
import { master, tempDir, withExerciseCell } from "./helpers";

const ORDERS_PER_CASE = 1000;

// ---------------------------------------------------------------------------
// A second, independent SGD step: loops instead of maps, σ written as e^z/(1+e^z),
// sums over the batch taken backwards. It agrees with the reference only up to
// rounding, which is what a learner's code does too.

function sigmoidOther(z: number): number {
  const e = Math.exp(z);
  return e / (1 + e);
}

function sgdStepOther(net: Network, batch: Example[], eta: number): Network {
  const L = net.weights.length;
  const sumW = net.weights.map((W) => W.map((row) => row.map(() => 0)));
  const sumB = net.biases.map((b) => b.map(() => 0));
  for (let e = batch.length - 1; e >= 0; e--) {
    const acts: number[][] = [batch[e].x];
    for (let l = 0; l < L; l++) {
      const out: number[] = [];
      for (let j = 0; j < net.weights[l].length; j++) {
        let z = net.biases[l][j];
        for (let k = 0; k < acts[l].length; k++) z += net.weights[l][j][k] * acts[l][k];
        out.push(sigmoidOther(z));
      }
      acts.push(out);
    }
    let dA = acts[L].map((a, j) => 2 * (a - batch[e].y[j]));
    for (let l = L - 1; l >= 0; l--) {
      const delta = dA.map((d, j) => d * acts[l + 1][j] * (1 - acts[l + 1][j]));
      const back = acts[l].map(() => 0);
      for (let j = 0; j < delta.length; j++) {
        sumB[l][j] += delta[j];
        for (let k = 0; k < acts[l].length; k++) {
          sumW[l][j][k] += delta[j] * acts[l][k];
          back[k] += net.weights[l][j][k] * delta[j];
        }
      }
      dA = back;
    }
  }
  const n = batch.length;
  return {
    weights: net.weights.map((W, l) => W.map((row, j) => row.map((w, k) => w - (eta / n) * sumW[l][j][k]))),
    biases: net.biases.map((b, l) => b.map((v, j) => v - (eta / n) * sumB[l][j])),
  };
}

/** A uniformly random valid order: Fisher–Yates forwards on the indices, cut into batches. */
function randomBatches(n: number, batchSize: number, rng: Rng): number[][] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n - 1; i++) {
    const j = i + Math.floor(rng() * (n - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const out: number[][] = [];
  for (let i = 0; i < n; i += batchSize) out.push(order.slice(i, i + batchSize));
  // The smaller batch, if any, at a random place: an epoch may take its batches in any order.
  if (n % batchSize !== 0) out.splice(Math.floor(rng() * out.length), 0, out.pop()!);
  return out;
}

function train(net: Network, data: Example[], batches: number[][], eta: number): Network {
  return batches.reduce((w, b) => sgdStepOther(w, b.map((i) => data[i]), eta), net);
}

interface EpochArgs {
  net: Network;
  data: Example[];
  batchSize: number;
  eta: number;
}

function epochArgs(c: Case, probe = 0): EpochArgs {
  const p = c.probes[probe];
  if (p.kind !== "call" || p.fn !== "trainEpoch") throw new Error(`not a trainEpoch case: ${c.label}`);
  const [net, data, batchSize, eta] = p.args as unknown as [Network, Example[], number, number];
  return { net, data, batchSize, eta };
}

const answer = (value: unknown): Answer => ({ value: value as Plain, mutated: false });

// The value checks (every order must pass them); the replay and uniformity checks are about rng and are tested below.
const trainEpochCases = (seed: number) =>
  expandChecks(course.spec("train-epoch")!, seed).filter((c) => !c.diagnostic && c.label !== orderUniformity.label && !c.label.startsWith("the same seed") && c.probes.every((p) => p.kind === "call" && p.fn === "trainEpoch"));

// ---------------------------------------------------------------------------

describe("the trusted SGD of the specs agrees with the reference solutions", () => {
  test("trustedBackprop equals the reference backprop to the last bit on its 24 graded cases", () => {
    const spec = course.spec("backprop")!;
    const cases = expandChecks(spec, DEFAULT_SEED);
    const ref = referencesOf(course).answers(spec, cases);
    const compared = cases.filter((c) => c.usesReference && c.probes[0].kind === "call" && c.probes[0].fn === "backprop");
    expect(compared.length).toBeGreaterThanOrEqual(24);
    for (const c of compared) {
      const p = c.probes[0] as Extract<typeof c.probes[0], { kind: "call" }>;
      const [net, x, y] = p.args as unknown as [Network, number[], number[]];
      // To the last bit (+0 and −0 alike: a gradient of 0 either way): no tolerance stands between the two.
      const bits = (v: unknown): string => JSON.stringify(v, (_k, n: unknown) => (typeof n === "number" ? (n === 0 ? 0 : n.toString()) : n));
      expect([c.label, bits(trustedBackprop(net, x, y))]).toEqual([c.label, bits(ref[cases.indexOf(c)][0].value)]);
    }
  });

  test("trustedSgdStep equals the reference sgdStep on its graded cases", () => {
    const spec = course.spec("sgd-step")!;
    const cases = expandChecks(spec, DEFAULT_SEED);
    const ref = referencesOf(course).answers(spec, cases);
    expect(cases.length).toBeGreaterThanOrEqual(40);
    for (const [i, c] of cases.entries()) {
      const p = c.probes[0] as Extract<typeof c.probes[0], { kind: "call" }>;
      const [net, batch, eta] = p.args as unknown as [Network, Example[], number];
      expect([c.label, compare(trustedSgdStep(net, batch, eta) as unknown as Plain, ref[i][0].value)]).toEqual([c.label, null]);
      // The independent step of this file too: it only differs by rounding.
      expect([c.label, compare(sgdStepOther(net, batch, eta) as unknown as Plain, ref[i][0].value)]).toEqual([c.label, null]);
    }
  });
});

describe("trainEpoch: every valid order passes every case", () => {
  // The graded seed and two others (`--seed` replays other cases).
  const all = [DEFAULT_SEED, 2, 3].flatMap((gradeSeed) => trainEpochCases(gradeSeed).map((c, i) => ({ gradeSeed, i, c })));

  test("the cases: every one with a single trainEpoch call is small enough to list every order, and the seeds case is there", () => {
    const single = all.filter(({ c }) => c.probes.length === 1);
    expect(single.length).toBeGreaterThanOrEqual(3 * 19);
    for (const { c } of single) {
      const { data, batchSize } = epochArgs(c);
      expect(batchings(data.length, batchSize).length).toBeLessThanOrEqual(90);
    }
    // The seeds case, and the same on the arrays of an epoch just before (a training loop's second epoch).
    expect(all.filter(({ c }) => c.probes.length === SEEDS.length)).toHaveLength(6);
    expect(all.filter(({ c }) => c.probes.length === SEEDS.length && c.probes.some((p) => p.kind === "call" && p.sameObjectsAs))).toHaveLength(3);
  });

  test.each(all.map(({ gradeSeed, i, c }) => [`--seed ${gradeSeed}, case ${i + 1}: ${c.label}`, gradeSeed, i, c] as const))(`${ORDERS_PER_CASE} random orders: %s`, (_name, gradeSeed, i, c) => {
    const failures: string[] = [];
    for (let k = 0; k < ORDERS_PER_CASE; k++) {
      // The seed of this order: replay with randomBatches(n, batchSize, makeRng(seed)).
      const seed = gradeSeed * 1_000_000 + i * 10_000 + k;
      const rng = makeRng(seed);
      const answers = c.probes.map((_, p) => {
        const { net, data, batchSize, eta } = epochArgs(c, p);
        return answer(train(net, data, randomBatches(data.length, batchSize, rng), eta));
      });
      const f = c.judge(answers, []);
      if (f) failures.push(`order seed ${seed}: ${f.expected} / ${f.actual} / ${f.why}`);
    }
    expect(failures).toEqual([]);
  });
});

describe("trainEpoch: wrong results fail, and the failure says what the network is", () => {
  const cases = trainEpochCases(DEFAULT_SEED);
  const byShape = (n: number, b: number) => cases.find((c) => c.probes.length === 1 && epochArgs(c).data.length === n && epochArgs(c).batchSize === b && new Set(epochArgs(c).data.map((e) => JSON.stringify(e))).size === n)!;

  test("one update per example, on 4 examples in batches of 2", () => {
    const c = byShape(4, 2);
    const { net, data, eta } = epochArgs(c);
    const f = c.judge([answer(train(net, data, [[2], [0], [3], [1]], eta))], []);
    expect(f?.why).toBe("it is one sgdStep per example (4 steps on one example each), not one per mini-batch of 2");
    expect(f?.cause).toBeUndefined();
  });

  test("every step from the starting network (what is left is the last batch's step)", () => {
    const c = byShape(5, 2);
    const { net, data, eta } = epochArgs(c);
    const f = c.judge([answer(train(net, data, [[4]], eta))], []);
    expect(f?.why).toMatch(/^it is exactly one sgdStep from the starting network, on one mini-batch: the steps of the other 2 batches are not in it/);
  });

  test("labels paired with other inputs: the cause says so, and not how they came apart", () => {
    for (const [n, b] of [[4, 2], [4, 1], [5, 2], [3, 2]]) {
      const c = byShape(n, b);
      const { net, data, eta } = epochArgs(c);
      // Inputs in order, labels rotated by one: nobody keeps their label.
      const mixed = data.map((e, i) => ({ x: e.x, y: data[(i + 1) % n].y }));
      const batches: Example[][] = [];
      for (let i = 0; i < n; i += b) batches.push(mixed.slice(i, i + b));
      const f = c.judge([answer(trainedOver(net, batches, eta))], []);
      expect([n, b, f?.why]).toEqual([n, b, expect.stringMatching(/^it is what training gives when inputs are paired with other examples' labels/)]);
      // The evidence is mixed pairs, not how they were mixed (here the labels were rotated, not shuffled).
      expect(f?.cause).toBe(LABELS_MIXED);
    }
  });

  test("the network unchanged, or off by a little: not any valid order, and no cause is guessed", () => {
    const c = byShape(4, 2);
    const { net, data, batchSize, eta } = epochArgs(c);
    expect(c.judge([answer(net)], [])?.why).toBe("the network came back unchanged: no step of gradient descent is in it");
    const right = train(net, data, randomBatches(4, batchSize, makeRng(7)), eta);
    const off = { ...right, biases: right.biases.map((b, l) => b.map((v, j) => (l === 0 && j === 0 ? v + 1e-6 : v))) };
    const f = c.judge([answer(off)], []);
    expect(f).not.toBeNull();
    expect(f?.expected).toMatch(/^one of the 6 networks one sgdStep per mini-batch gives \(one per way to batch the examples\); the nearest has biases\[0\]\[0\] = /);
    expect(f?.why).toMatch(/^it is none of the networks that one sgdStep per mini-batch of 2 gives, whatever the order/);
    expect(f?.cause).toBeUndefined();
  });

  test("the same network for every seed fails the seeds case", () => {
    const c = cases.find((x) => x.probes.length === SEEDS.length)!;
    const { net, data, batchSize, eta } = epochArgs(c);
    const same = train(net, data, randomBatches(data.length, batchSize, makeRng(1)), eta);
    expect(c.judge(SEEDS.map(() => answer(same)), [])?.actual).toBe("the same network for every seed");
  });
});

// ---------------------------------------------------------------------------

const ITEMS = Array.from({ length: 150 }, (_, i) => i);

/**
 * makeRng's generator (mulberry32) again, with Math's functions bound once: under
 * Jest, code reads the global Math through the test context, ~50 times slower, and
 * the 1,000 runs below draw 30 million numbers. A test checks it equals makeRng.
 */
const { floor, imul } = Math;
function fastRng(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const shuffles: Record<string, (items: number[], rng: Rng) => number[]> = {
  "Fisher–Yates backwards (the reference)": (items, rng) => {
    const a = items.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = floor(rng() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  },
  "Fisher–Yates forwards": (items, rng) => {
    const a = items.slice();
    for (let i = 0; i < a.length - 1; i++) {
      const j = i + floor(rng() * (a.length - i));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  },
  "sorting by random keys": (items, rng) =>
    items
      .map((d) => ({ d, k: rng() }))
      .sort((p, q) => p.k - q.k)
      .map((p) => p.d),
  "drawing the next item at random from the rest": (items, rng) => {
    const rest = items.slice();
    const out: number[] = [];
    while (rest.length) out.push(rest.splice(floor(rng() * rest.length), 1)[0]);
    return out;
  },
};

const biased: Record<string, (items: number[], rng: Rng) => number[]> = {
  "sort(() => rng() - 0.5)": (items, rng) => items.slice().sort(() => rng() - 0.5),
  "sort(() => 0.5 - rng())": (items, rng) => items.slice().sort(() => 0.5 - rng()),
  "for i from the end, swap with any j": (items, rng) => {
    const a = items.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = floor(rng() * a.length);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  },
  "Sattolo's shuffle (j drawn below i, never i: only cyclic orders, no item left in place)": (items, rng) => {
    const a = items.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = floor(rng() * i);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  },
  "for i from the start, swap with any j": (items, rng) => {
    const a = items.slice();
    for (let i = 0; i < a.length; i++) {
      const j = floor(rng() * a.length);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  },
};

/** Shuffles that cannot give every order of a few items; the χ² on fifths of 150 items cannot see them. */
const stopsEarly: Record<string, { shuffle: (items: number[], rng: Rng) => number[]; cause: string | undefined }> = {
  // Declared: the case leaves the cause to the mistake's own label.
  "from the end, stopping before i = 1 (i > 1)": {
    shuffle: (items, rng) => {
      const a = items.slice();
      for (let i = a.length - 1; i > 1; i--) {
        const j = floor(rng() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    },
    cause: undefined,
  },
  "from the start, stopping before i = n − 2": {
    shuffle: (items, rng) => {
      const a = items.slice();
      for (let i = 0; i < a.length - 2; i++) {
        const j = i + floor(rng() * (a.length - i));
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    },
    cause: NOT_UNIFORM,
  },
  "Sattolo's shuffle (two items always swapped)": { shuffle: biased["Sattolo's shuffle (j drawn below i, never i: only cyclic orders, no item left in place)"], cause: NOT_UNIFORM },
  "sort(() => rng() - 0.5), declared": { shuffle: biased["sort(() => rng() - 0.5)"], cause: undefined },
  "sort(() => 0.5 - rng())": { shuffle: biased["sort(() => 0.5 - rng())"], cause: NOT_UNIFORM },
};

describe("trainEpoch: every order of the examples must be equally likely", () => {
  const { net, data, learningRate } = ORDER_EPOCH;
  const epoch = (shuffle: (items: number[], rng: Rng) => number[], seed: number) => trainedOver(net, shuffle([0, 1, 2], fastRng(seed)).map((i) => [data[i]]), learningRate);

  test.each(Object.keys(shuffles))("%s passes on the graded seeds", (name) => {
    expect(orderUniformity.judge(ORDER_SEEDS.map((seed) => answer(epoch(shuffles[name], seed))), [])).toBeNull();
  });

  // Swapping with any j from the start is only mildly biased on 3 items (each order 4/27 or 5/27):
  // 600 epochs cannot tell it from chance. miniBatches' check (150 items) catches it.
  test.each(Object.keys(biased).filter((n) => n !== "for i from the start, swap with any j"))("%s fails on the graded seeds, with the cause", (name) => {
    const f = orderUniformity.judge(ORDER_SEEDS.map((seed) => answer(epoch(biased[name], seed))), []);
    expect(f?.cause).toBe(ORDER_NOT_UNIFORM);
  });

  // Loops that stop before their last swap give only 3 of the 6 orders of 3 examples.
  test.each(Object.keys(stopsEarly).filter((n) => n.includes("stopping")))("%s fails on the graded seeds, with the cause", (name) => {
    const f = orderUniformity.judge(ORDER_SEEDS.map((seed) => answer(epoch(stopsEarly[name].shuffle, seed))), []);
    expect(f?.cause).toBe(ORDER_NOT_UNIFORM);
  });

  test("1,000 independent runs of a uniform shuffle all stay below the threshold (each order's index, not its network: the same counts)", () => {
    const order = (p: number[]) => p.join("");
    const all = ["012", "021", "102", "120", "201", "210"];
    const worst: number[] = [];
    for (let run = 0; run < 1000; run++) {
      const counts = all.map(() => 0);
      for (const seed of ORDER_SEEDS) counts[all.indexOf(order(shuffles["Fisher–Yates backwards (the reference)"]([0, 1, 2], fastRng(5_000_000 + run * 1000 + seed))))]++;
      worst.push(orderStatistic(counts));
    }
    // The seed set of the run is 5_000_000 + run * 1000 + 7001…7600: printed on failure by the index.
    expect(worst.map((t, run) => (t > ORDER_THRESHOLD ? `run ${run}: χ² = ${t}` : "")).filter(Boolean)).toEqual([]);
    const mean = worst.reduce((a, b) => a + b, 0) / worst.length;
    expect(mean).toBeGreaterThan(4);
    expect(mean).toBeLessThan(6);
  });
});

/** What a learner's miniBatches([0, …, 149], 150, rng(seed)) returns for each probe of the case, as one batch. */
function answersFor(c: Case, shuffle: (items: number[], rng: Rng) => number[]): Answer[] {
  return c.probes.map((p) => {
    if (p.kind !== "call") throw new Error("not a call");
    const seed = Number(/seed (\d+)/.exec((p.args[2] as { label: string }).label)![1]);
    return answer([shuffle(ITEMS, fastRng(seed))]);
  });
}

const seedSet = (run: number) => Array.from({ length: 200 }, (_, i) => 1_000_000 + run * 1000 + i);

/** χ² with an even number of degrees of freedom: P(X > x) = e^(−x/2) Σ_{i < df/2} (x/2)^i / i!. */
function chiSquareTail(df: number, x: number): number {
  let term = 1;
  let sum = 1;
  for (let i = 1; i < df / 2; i++) sum += (term *= x / 2 / i);
  return Math.exp(-x / 2) * sum;
}

describe("miniBatches: the shuffle must be uniform", () => {
  const graded = expandChecks(course.spec("mini-batches")!, DEFAULT_SEED).find((c) => c.label.includes("every order equally likely"))!;

  test("the test's generator is makeRng's", () => {
    for (const seed of [0, 1, 9001, 4294967295]) {
      const [a, b] = [makeRng(seed), fastRng(seed)];
      for (let i = 0; i < 1000; i++) expect(b()).toBe(a());
    }
  });

  test("the threshold is χ²₁₆'s 1e-9 upper quantile", () => {
    expect(chiSquareTail(16, UNIFORMITY_THRESHOLD)).toBeGreaterThan(0.9e-9);
    expect(chiSquareTail(16, UNIFORMITY_THRESHOLD)).toBeLessThan(1.1e-9);
  });

  test("the graded case is uniformityCase() with 200 seeds and a repeated one", () => {
    expect(graded.label).toBe(uniformityCase().label);
    expect(graded.probes).toHaveLength(201);
  });

  test.each(Object.keys(shuffles))("%s passes the graded case", (name) => {
    expect(graded.judge(answersFor(graded, shuffles[name]), [])).toBeNull();
  });

  test("1,000 uniform Fisher–Yates runs on independent seed sets all pass", () => {
    const failures: string[] = [];
    let sum = 0;
    for (let run = 0; run < 1000; run++) {
      const c = uniformityCase(seedSet(run));
      const f = c.judge(answersFor(c, shuffles["Fisher–Yates backwards (the reference)"]), []);
      sum += uniformityStatistic(seedSet(run).map((s) => shuffles["Fisher–Yates backwards (the reference)"](ITEMS, fastRng(s)))).t;
      if (f) failures.push(`seeds ${seedSet(run)[0]}–${seedSet(run)[199]}: ${f.actual}`);
    }
    expect(failures).toEqual([]);
    // The statistic's mean is 16 (the degrees of freedom) for a uniform shuffle.
    expect(sum / 1000).toBeGreaterThan(15);
    expect(sum / 1000).toBeLessThan(17);
  });

  test.each(Object.keys(biased))("%s fails the graded case and 100 other seed sets", (name) => {
    const f = graded.judge(answersFor(graded, biased[name]), []);
    expect(f).not.toBeNull();
    expect(f!.actual).toMatch(/^(χ² = \d+\.\d: items \d+–\d+ landed in positions \d+–\d+ \d+\.\d% of the time|\d+ items left where they started)$/);
    // The declared mistakes leave the cause to their own label (and hint); other biased shuffles get it stated.
    const cause = name === "sort(() => rng() - 0.5)" || name === "for i from the end, swap with any j" ? undefined : NOT_UNIFORM;
    expect(f!.cause).toBe(cause);
    const passed: number[] = [];
    for (let run = 1000; run < 1100; run++) {
      const c = uniformityCase(seedSet(run));
      const g = c.judge(answersFor(c, biased[name]), []);
      if (!g) passed.push(seedSet(run)[0]);
      else expect(g.cause).toBe(cause);
    }
    expect(passed).toEqual([]);
  });

  test("Math.random: the repeated seed tells", () => {
    const answers = answersFor(graded, shuffles["Fisher–Yates backwards (the reference)"]);
    answers[answers.length - 1] = answer([shuffles["Fisher–Yates forwards"](ITEMS, makeRng(1))]);
    expect(graded.judge(answers, [])?.cause).toBe("the same seed gives other batches: the order does not come from the rng passed in alone (Math.random(), or an rng kept from an earlier call)");
  });
});

/** A learner's answers to the small-orders case: each probe shuffles its own items ([0, 1] or [0, 1, 2]), as one batch. */
function smallAnswersFor(c: Case, shuffle: (items: number[], rng: Rng) => number[]): Answer[] {
  return c.probes.map((p) => {
    if (p.kind !== "call") throw new Error("not a call");
    const seed = Number(/seed (\d+)/.exec((p.args[2] as { label: string }).label)![1]);
    return answer([shuffle(p.args[0] as number[], fastRng(seed))]);
  });
}

/** log(n!) by summing logs: exact enough for the binomial tails below. */
const logFactorial = (n: number): number => Array.from({ length: n }, (_, i) => Math.log(i + 1)).reduce((a, b) => a + b, 0);

describe("miniBatches: every order of 2 and of 3 items comes up, about equally often", () => {
  const graded = expandChecks(course.spec("mini-batches")!, DEFAULT_SEED).find((c) => c.label === smallOrdersCase().label)!;
  const smallSets = (run: number) => [Array.from({ length: PAIR_SEEDS.length }, (_, i) => 2_000_000 + run * 1000 + i), Array.from({ length: TRIPLE_SEEDS.length }, (_, i) => 3_000_000 + run * 1000 + i)] as const;

  test("the graded case is smallOrdersCase(): 200 shuffles of 2 items and 300 of 3, 8 seeds of each asked again", () => {
    expect(graded.probes).toHaveLength(516);
  });

  test("Math.random: a repeated seed tells, before any order is counted", () => {
    let draws = 0;
    // Another order for each repeated seed (the last 16 probes): what a shuffle by Math.random gives, up to chance.
    const answers = smallAnswersFor(graded, (items, rng) => (draws++ >= 500 ? shuffles["Fisher–Yates forwards"](items, fastRng(draws)) : biased["sort(() => rng() - 0.5)"](items, rng)));
    expect(graded.judge(answers, [])?.cause).toBe("the same seed gives other batches: the order does not come from the rng passed in alone (Math.random(), or an rng kept from an earlier call)");
  });

  test("the 2-item limit: a uniform shuffle's count of [1, 0] over 200 seeds falls outside it with probability below 1e-9", () => {
    const n = PAIR_SEEDS.length;
    const pmf = (k: number) => Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) - n * Math.LN2);
    let tail = 0;
    for (let k = 0; k <= n; k++) if (Math.abs(k - n / 2) >= PAIR_LIMIT) tail += pmf(k);
    expect(tail).toBeLessThan(1e-9);
    expect(tail).toBeGreaterThan(1e-10);
  });

  test.each(Object.keys(shuffles))("%s passes the graded case", (name) => {
    expect(graded.judge(smallAnswersFor(graded, shuffles[name]), [])).toBeNull();
  });

  test("1,000 uniform Fisher–Yates runs on independent seed sets all pass", () => {
    const failures: string[] = [];
    for (let run = 0; run < 1000; run++) {
      const [pairs, triples] = smallSets(run);
      const c = smallOrdersCase([...pairs], [...triples]);
      const f = c.judge(smallAnswersFor(c, shuffles["Fisher–Yates backwards (the reference)"]), []);
      if (f) failures.push(`seeds ${pairs[0]}… and ${triples[0]}…: ${f.actual}`);
    }
    expect(failures).toEqual([]);
  });

  test.each(Object.keys(stopsEarly))("%s fails the graded case and 100 other seed sets, with the cause only when it is not declared", (name) => {
    const { shuffle, cause } = stopsEarly[name];
    const f = graded.judge(smallAnswersFor(graded, shuffle), []);
    expect(f).not.toBeNull();
    expect(f!.cause).toBe(cause);
    const passed: number[] = [];
    for (let run = 1000; run < 1100; run++) {
      const [pairs, triples] = smallSets(run);
      const c = smallOrdersCase([...pairs], [...triples]);
      const g = c.judge(smallAnswersFor(c, shuffle), []);
      if (!g) passed.push(pairs[0]);
      else expect(g.cause).toBe(cause);
    }
    expect(passed).toEqual([]);
  });

  test("stopping before i = 1 passes the 150 items' case: only the small orders tell", () => {
    const uniform = expandChecks(course.spec("mini-batches")!, DEFAULT_SEED).find((c) => c.label.includes("every order equally likely"))!;
    expect(uniform.judge(answersFor(uniform, stopsEarly["from the end, stopping before i = 1 (i > 1)"].shuffle), [])).toBeNull();
    expect(graded.judge(smallAnswersFor(graded, stopsEarly["from the end, stopping before i = 1 (i > 1)"].shuffle), [])?.actual).toBe("[1, 0] in 0 of them: the two items were never swapped");
  });
});

// ---------------------------------------------------------------------------

describe("through the real grader", () => {
  const epoch = (body: string) => `function trainEpoch(net: Network, data: Example[], batchSize: number, learningRate: number, rng: () => number): Network {\n${body}\n}`;
  const batches = (shuffle: string) => `function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n${shuffle}\n  const out: T[][] = [];\n  for (let i = 0; i < a.length; i += batchSize) out.push(a.slice(i, i + batchSize));\n  return out;\n}`;
  const cells = [
    {
      id: "train-epoch",
      name: "Fisher–Yates forwards, its own loop",
      body: epoch(`  const order = data.slice();
  for (let i = 0; i < order.length - 1; i++) {
    const j = i + Math.floor(rng() * (order.length - i));
    const t = order[i]; order[i] = order[j]; order[j] = t;
  }
  let current = net;
  for (let start = 0; start < order.length; start += batchSize) current = sgdStep(current, order.slice(start, start + batchSize), learningRate);
  return current;`),
      cause: null,
    },
    {
      id: "train-epoch",
      name: "miniBatches, then for…of",
      body: epoch(`  const batches = miniBatches(data, batchSize, rng);
  let result = net;
  for (const batch of batches) {
    result = sgdStep(result, batch, learningRate);
  }
  return result;`),
      cause: null,
    },
    {
      id: "train-epoch",
      name: "inputs and labels shuffled apart, its own way",
      body: epoch(`  const xs = data.map((e) => e.x);
  const ys = data.map((e) => e.y);
  for (let i = 0; i < xs.length - 1; i++) {
    const j = i + Math.floor(rng() * (xs.length - i));
    [xs[i], xs[j]] = [xs[j], xs[i]];
    const k = i + Math.floor(rng() * (ys.length - i));
    [ys[i], ys[k]] = [ys[k], ys[i]];
  }
  for (let s = 0; s < xs.length; s += batchSize) {
    const batch: Example[] = [];
    for (let i = s; i < Math.min(s + batchSize, xs.length); i++) batch.push({ x: xs[i], y: ys[i] });
    net = sgdStep(net, batch, learningRate);
  }
  return net;`),
      cause: LABELS_MIXED,
    },
    { id: "mini-batches", name: "Fisher–Yates forwards", body: batches("  const a = data.slice();\n  for (let i = 0; i < a.length - 1; i++) { const j = i + Math.floor(rng() * (a.length - i)); [a[i], a[j]] = [a[j], a[i]]; }"), cause: null },
    { id: "mini-batches", name: "drawing from the rest", body: batches("  const rest = data.slice(); const a: T[] = [];\n  while (rest.length) a.push(rest.splice(Math.floor(rng() * rest.length), 1)[0]);"), cause: null },
    { id: "mini-batches", name: "for i from the start, swap with any j", body: batches("  const a = data.slice();\n  for (let i = 0; i < a.length; i++) { const j = Math.floor(rng() * a.length); [a[i], a[j]] = [a[j], a[i]]; }"), cause: NOT_UNIFORM },
    { id: "mini-batches", name: "sort(() => 0.5 - rng())", body: batches("  const a = [...data].sort(() => 0.5 - rng());"), cause: NOT_UNIFORM },
    { id: "mini-batches", name: "the declared random comparator", body: batches("  const a = data.slice().sort(() => rng() - 0.5);"), cause: SORT_SHUFFLE },
    { id: "mini-batches", name: "the declared swap with any j", body: batches("  const a = data.slice();\n  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(rng() * a.length); [a[i], a[j]] = [a[j], a[i]]; }"), cause: SWAP_ANY },
    { id: "mini-batches", name: "the declared loop that stops before i = 1", body: batches("  const a = data.slice();\n  for (let i = a.length - 1; i >= 2; i--) { const j = Math.floor(rng() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }"), cause: ALIKE + STOPS_EARLY },
    { id: "mini-batches", name: "Fisher–Yates forwards, stopping before i = n − 2", body: batches("  const a = data.slice();\n  for (let i = 0; i < a.length - 2; i++) { const j = i + Math.floor(rng() * (a.length - i)); [a[i], a[j]] = [a[j], a[i]]; }"), cause: NOT_UNIFORM },
  ];

  test("honest variants pass; mistakes fail with the cause named", async () => {
    const dir = tempDir();
    const targets = cells.map((v, i) => {
      const chapter = course.chapterOf(v.id)!;
      return { file: withExerciseCell(master(chapter.slug), v.id, v.body, path.join(dir, String(i), `${chapter.slug}.ipynb`)), chapter, only: [v.id] };
    });
    const results = (await grade(course, targets)).results;
    const seen = results.map((r, i) => ({ name: cells[i].name, status: r.status, likelyCause: r.likelyCause ?? null }));
    expect(seen).toEqual(cells.map((v) => ({ name: v.name, status: v.cause ? "failed" : "passed", likelyCause: v.cause })));
    // The declared mistakes bring their own hint.
    const spec = course.spec("mini-batches")!;
    expect(results[cells.findIndex((v) => v.cause === SORT_SHUFFLE)].hint).toBe(spec.mistakeHints![SORT_SHUFFLE]);
    expect(results[cells.findIndex((v) => v.cause === SWAP_ANY)].hint).toBe(spec.mistakeHints![SWAP_ANY]);
    // i >= 2 where the declared mistake has i > 1: the same answers, named as what they equal.
    expect(results[cells.findIndex((v) => v.cause === ALIKE + STOPS_EARLY)].hint).toBe(`Where your code does that: ${spec.mistakeHints![STOPS_EARLY]}`);
  }, 120_000);
});

describe("miniBatches: the wrong count of batches says what the sizes show", () => {
  const judge = BATCH_JUDGES["mini-batches/partition"](5, 2);
  test("every item in too few batches: the leftovers merged into the last full one", () => {
    expect(judge([[["ex0", "ex1"], ["ex2", "ex3", "ex4"]]])).toEqual({ expected: "3 batches", actual: "2 batches", why: "every item is there, in too few batches (sizes 2, 3): the items left over after the full batches make a smaller batch of their own, at the end" });
  });
  test("an empty batch at the end", () => {
    expect(judge([[["ex0", "ex1"], ["ex2", "ex3"], ["ex4"], []]])?.why).toBe("batch 3 is empty: a batch holds 1 to 2 items (a loop that runs once too often, or a last slice past the end)");
  });
  test("items lost: a batch is missing", () => {
    expect(judge([[["ex0", "ex1"], ["ex2", "ex3"]]])?.why).toBe("a batch is missing: the last batch may be smaller, but it must be there");
  });
});
