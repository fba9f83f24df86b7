import { call, exercise, relation, watched, type Case, show, type Plain, makeRng, randomInt, type Rng, type Probe, type PublicParam } from "../../grader/engine/authoring";
import { BATCH_JUDGES, items, MATH_RANDOM, RNG_OF_THIS_CALL, type BatchJudge } from "./batch-judges";
import { rngArg } from "./data";

export const NOT_UNIFORM =
  "the shuffle is not uniform: some orders come up far more often than others (sorting with a random comparator, or swapping with any position instead of one at or below i, is biased; so is never leaving an item in place)";
export const SORT_SHUFFLE = "shuffles by sorting with a random comparator (sort(() => rng() - 0.5)): a biased shuffle, some orders come up far more often than others";
export const SWAP_ANY = "swaps item i with any position (j = Math.floor(rng() * n)) instead of one at or below i: a biased shuffle, some orders come up far more often than others";
export const STOPS_EARLY = "the loop stops before i = 1 (i > 1 instead of i > 0): the first two items are never swapped with each other, so some orders never come up";

/** A relation judged by a public judge (batch-judges.ts): the learner edition runs it too. */
function judged(label: string, probes: Probe[], judge: BatchJudge, ...params: PublicParam[]): Case {
  return relation(label, probes, BATCH_JUDGES[judge](...params), { publish: { judge, params } });
}

/** Every item exactly once, batches of batchSize, only the last may be smaller. */
function partitionCase(n: number, batchSize: number, seed: number): Case {
  return judged(`miniBatches(${n} items, ${batchSize}, rng(seed ${seed})): every item once, batches of ${batchSize}`, [call("miniBatches", items(n), batchSize, rngArg(seed))], "mini-batches/partition", n, batchSize);
}

// Uniformity. Every order must be equally likely, and a shuffle can pass every
// partition check while favouring some orders (a random comparator in sort, or
// Fisher–Yates drawing j from the whole array). One case shuffles 150 items with
// 200 seeds and counts, for each fifth of the items (0–29, 30–59, …), how
// often it lands in each fifth of the positions: a 5×5 table O.
//
// The statistic. For one uniform shuffle each cell is hypergeometric (30 items, 30
// of 150 positions) with variance v = 30·(1/5)·(4/5)·(120/149); every row and column
// of the table sums to 30, and its law is unchanged when groups of items or of
// positions are exchanged, so its covariance is c = 25·v/16 times the projection on
// the 16 dimensions left. Over 200 independent seeds, T = Σ (O − E)² / (200·c), with
// E = 200·6, is χ² with 16 degrees of freedom by the central limit theorem (its mean
// is exactly 16).
//
// The threshold. The case fails when T > 75.65, χ²₁₆'s 1e-9 upper quantile: a
// thousandfold margin for the normal approximation in the far tail, so a uniform
// shuffle fails with probability below 1e-6. Simulated, 200,000 seed sets with
// Fisher–Yates: mean 16.02, 1.0e-3 of them above χ²₁₆'s 1e-3 quantile (39.25),
// 1.45e-4 above 45 (χ²₁₆: 1.39e-4), the largest 55.3.
//
// The power. Per seed set (1,000 simulated each), a random comparator gives T ≈ 450
// (never below 190), swapping with any position from the end T ≈ 250 (≥ 175), and
// from the start T ≈ 230 (≥ 135). Why 150 items in fifths rather than all orders of
// 4 or 5 items: that last, classic "swap each item with any position" is nearly
// uniform on so few items (about 0.03 of χ² per seed), and a few hundred probes
// could not tell it from chance; on 150 items each seed adds 1 to 2.
// test/orders.test.ts replays the judge on 1,000 uniform seed sets and on biased ones.
const UNIFORM_ITEMS = 150;
const UNIFORM_GROUPS = 5;
const UNIFORM_SEEDS = Array.from({ length: 200 }, (_, i) => 9001 + i);
export const UNIFORMITY_THRESHOLD = 75.65;

/** The declared biased shuffles, replayed here with the same generator (see uniformityCase and smallOrdersCase). */
const BIASED: { label: string; shuffle: (items: number[], rng: Rng) => number[] }[] = [
  { label: SORT_SHUFFLE, shuffle: (items, rng) => items.slice().sort(() => rng() - 0.5) },
  {
    label: SWAP_ANY,
    shuffle: (items, rng) => {
      const a = items.slice();
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(rng() * a.length);
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    },
  },
  {
    label: STOPS_EARLY,
    shuffle: (items, rng) => {
      const a = items.slice();
      for (let i = a.length - 1; i > 1; i--) {
        const j = Math.floor(rng() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    },
  },
];

/** T and the 5×5 table of how often each group of items (0–29, 30–59, …) landed in each group of positions. */
export function uniformityStatistic(orders: number[][], n = UNIFORM_ITEMS, k = UNIFORM_GROUPS): { t: number; table: number[][] } {
  const m = n / k;
  const table = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const group = Array.from({ length: n }, (_, i) => Math.floor(i / m));
  for (const order of orders) for (let pos = 0; pos < order.length; pos++) table[group[order[pos]]][group[pos]]++;
  const v = (m * (1 / k) * (1 - 1 / k) * (n - m)) / (n - 1);
  const c = (k * k * v) / ((k - 1) * (k - 1));
  const e = (orders.length * m) / k;
  const t = table.flat().reduce((s, o) => s + (o - e) ** 2, 0) / (orders.length * c);
  return { t, table };
}

// Items left in place. The χ² on fifths cannot see a shuffle that only moves every
// item (Sattolo's: j drawn below i, never i itself, so only cyclic orders): each item
// still lands in its own fifth 29/149 of the time against 30/150. So the case also
// counts fixed points: for a uniform permutation of n ≥ 2 items their number has mean 1
// and variance 1, so over S seeds the total is about normal with mean S and standard
// deviation √S (in fact nearly Poisson(S)). The case fails beyond 6.1 standard
// deviations (two-sided normal tail 1e-9, as for the χ² threshold); Sattolo's gives 0,
// 14 deviations away for S = 200.
const FIXED_POINTS_Z = 6.1;

/** How many items, over all the orders, stayed at their own position. */
export function fixedPoints(orders: number[][]): number {
  return orders.reduce((s, order) => s + order.filter((item, pos) => item === pos).length, 0);
}

/** The batches' items in order, when they hold each of 0, 1, …, n − 1 exactly once (else null). */
function itemsOnce(out: Plain, n: number): number[] | null {
  if (!Array.isArray(out)) return null;
  const order: number[] = [];
  const seen = new Uint8Array(n);
  for (const batch of out) {
    if (!Array.isArray(batch)) return null;
    for (const x of batch) {
      if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x >= n || seen[x]) return null;
      seen[x] = 1;
      order.push(x);
    }
  }
  return order.length === n ? order : null;
}

/**
 * The case states the cause it proves (not uniform) unless the orders are exactly
 * those of a declared biased shuffle: explain.ts puts a case's cause before the
 * declared mistakes, so the cause is left to the declared mistake, which then names
 * itself (over 200 seeds, no other shuffle matches it by accident) and brings its hint.
 */
export function uniformityCase(seeds = UNIFORM_SEEDS): Case {
  // Numbers, not strings: half the time to copy 200 × 150 items in and out of the sandbox.
  const data = Array.from({ length: UNIFORM_ITEMS }, (_, i) => i);
  // The first seed once more, last: the same seed must give the same order.
  const probeSeeds = [...seeds, seeds[0]];
  return relation(
    `miniBatches([0, 1, …, ${UNIFORM_ITEMS - 1}], ${UNIFORM_ITEMS}, rng(seed)) for ${seeds.length} seeds: every order equally likely`,
    probeSeeds.map((seed) => call("miniBatches", data, UNIFORM_ITEMS, rngArg(seed))),
    (outs) => {
      const orders: number[][] = [];
      for (const [i, out] of outs.entries()) {
        const order = itemsOnce(out, UNIFORM_ITEMS);
        if (!order) return { expected: `the ${UNIFORM_ITEMS} items, each once, in one batch`, actual: `for rng(seed ${probeSeeds[i]}): ${show(out)}`, why: "the batches must hold every item exactly once" };
        orders.push(order);
      }
      const again = orders.pop()!;
      if (again.join() !== orders[0].join()) {
        return { expected: `the same order twice for rng(seed ${seeds[0]})`, actual: "two different orders", why: RNG_OF_THIS_CALL, cause: MATH_RANDOM };
      }
      const first = orders[0].join();
      if (orders.every((o) => o.join() === first)) {
        return { expected: "different orders for different seeds", actual: `the same order for all ${seeds.length} seeds: ${show(orders[0])}`, why: "the order must come from rng" };
      }
      const { t, table } = uniformityStatistic(orders);
      if (t <= UNIFORMITY_THRESHOLD) {
        const stayed = fixedPoints(orders);
        if (Math.abs(stayed - seeds.length) <= FIXED_POINTS_Z * Math.sqrt(seeds.length)) return null;
        return {
          expected: `about ${seeds.length} items left where they started over the ${seeds.length} shuffles, give or take ${Math.ceil(FIXED_POINTS_Z * Math.sqrt(seeds.length))} (a uniform shuffle leaves one in place per shuffle on average)`,
          actual: `${stayed} items left where they started`,
          why: "a uniform shuffle leaves an item where it is as often as it moves it to any other one place: in Fisher–Yates, j = Math.floor(rng() * (i + 1)) may be i itself",
          cause: NOT_UNIFORM,
        };
      }
      const m = UNIFORM_ITEMS / UNIFORM_GROUPS;
      const e = (seeds.length * m) / UNIFORM_GROUPS;
      let [g, h] = [0, 0];
      table.forEach((row, i) => row.forEach((o, j) => Math.abs(o - e) > Math.abs(table[g][h] - e) && ([g, h] = [i, j])));
      const share = (o: number) => `${((100 * o) / (seeds.length * m)).toFixed(1)}%`;
      const declared = BIASED.find((b) => seeds.every((seed, i) => b.shuffle(data, makeRng(seed)).every((item, pos) => item === orders[i][pos])));
      return {
        expected: `every fifth of the items in every fifth of the positions about ${share(e)} of the time (a uniform shuffle stays below χ² = ${UNIFORMITY_THRESHOLD}, 16 degrees of freedom)`,
        actual: `χ² = ${t.toFixed(1)}: items ${g * m}–${g * m + m - 1} landed in positions ${h * m}–${h * m + m - 1} ${share(table[g][h])} of the time`,
        why: "some orders come up far more often than others: shuffle with Fisher–Yates (for i from the end down to 1, swap item i with item j = Math.floor(rng() * (i + 1)))",
        ...(declared ? {} : { cause: NOT_UNIFORM }),
      };
    },
  );
}

// Small inputs. The χ² on fifths of 150 items sees how far items move, not whether
// every order can come up: Fisher–Yates whose loop stops before i = 1 (i > 1) never
// swaps the first two items with each other, and still passes it (on 150 items that
// last swap moves one item of the first fifth). On 2 items it never shuffles at all,
// on 3 it gives only 3 of the 6 orders. So one more case shuffles [0, 1] with
// PAIR_SEEDS.length seeds and [0, 1, 2] with TRIPLE_SEEDS.length seeds, and counts the orders.
//
// 2 items: a uniform shuffle gives [1, 0] with probability 1/2, so over 200 seeds the
// count is Binomial(200, 1/2); the case fails when it is at most 56 or at least 144
// (|count − 100| ≥ 44): exact two-sided probability 4.0e-10.
//
// 3 items: each of the 6 orders has probability 1/6, 50 expected over 300 seeds; the
// case fails when T = Σ (O − 50)²/50 > 54.0. χ² with 5 degrees of freedom puts 2.1e-10
// above 54, but with 50 expected per order the χ² law is only close in the far tail, so
// the rate was computed exactly (the multinomial law, summed over every table of counts
// with T ≤ 54): 6.0e-10. At 52, train-epoch's threshold for 600 seeds, it would be
// 1.4e-9 here. Together a uniform shuffle fails this case with probability below 1e-9,
// whatever way it draws from rng (each way maps the seeds to orders of its own).
//
// The power. Stopping before i = 1 (from the end, or from the start before i = n − 2)
// gives [1, 0] never, and 3 orders each a third of the time: T ≥ 300 whatever the seeds;
// Sattolo's gives [1, 0] every time. Simulated on 300 seed sets: a random comparator gives
// T ≈ 180 (never below 100); swapping with any position from the end (2/9 or 1/9 each)
// T ≈ 38 and Math.round for Math.floor T ≈ 42, failing one seed set in 6 to 9, which
// is not this case's job (the 150 items' case catches the first). Four uniform shuffles
// (Fisher–Yates both ways, random keys, drawing from the rest) never came near: T at most
// 21. test/orders.test.ts replays the case on 1,000 uniform seed sets and on biased shuffles.
export const PAIR_SEEDS = Array.from({ length: 200 }, (_, i) => 9401 + i);
export const TRIPLE_SEEDS = Array.from({ length: 300 }, (_, i) => 9701 + i);
/** The 2-item case fails when the count of [1, 0] is this far from half the seeds, or farther. */
export const PAIR_LIMIT = 44;
export const TRIPLE_THRESHOLD = 54.0;
/** How many seeds of each size are asked twice (the same seed must give the same order). */
const SMALL_REPEATS = 8;

/** The orders of n items in lexicographic order: [0, 1, 2], [0, 2, 1], … */
function ordersOf(n: number): number[][] {
  const all = (rest: number[]): number[][] => (rest.length <= 1 ? [rest] : rest.flatMap((x) => all(rest.filter((y) => y !== x)).map((p) => [x, ...p])));
  return all(Array.from({ length: n }, (_, i) => i));
}

/** How often each order of `orders[0].length` items came up, in ordersOf's order, and χ² = Σ (O − E)²/E against equal chances. */
export function orderTable(orders: number[][], n: number): { counts: number[]; t: number } {
  const all = ordersOf(n).map((o) => o.join());
  const counts = all.map(() => 0);
  for (const o of orders) counts[all.indexOf(o.join())]++;
  const e = orders.length / all.length;
  return { counts, t: counts.reduce((s, c) => s + (c - e) ** 2 / e, 0) };
}

/**
 * Every order of 2 and of 3 items must come up, about equally often. As in uniformityCase,
 * the cause it proves (not uniform) is left to a declared mistake whose orders these are,
 * seed by seed: over 500 seeds no other shuffle gives them by accident.
 */
export function smallOrdersCase(pairSeeds = PAIR_SEEDS, tripleSeeds = TRIPLE_SEEDS): Case {
  const sizes = [...pairSeeds.map(() => 2), ...tripleSeeds.map(() => 3)];
  const seeds = [...pairSeeds, ...tripleSeeds];
  // The first SMALL_REPEATS seeds of each size once more, last: orders that do not come from
  // rng alone (Math.random) are that mistake, not a biased shuffle. A shuffle by Math.random
  // repeats all 16 orders by chance with probability at most (1/2)^8·(3/8)^8 ≈ 1.5e-6.
  const again = [...pairSeeds.slice(0, SMALL_REPEATS).map((_, i) => i), ...tripleSeeds.slice(0, SMALL_REPEATS).map((_, i) => pairSeeds.length + i)];
  const probeSizes = [...sizes, ...again.map((i) => sizes[i])];
  const probeSeeds = [...seeds, ...again.map((i) => seeds[i])];
  return relation(
    `miniBatches([0, 1], 2, rng(seed)) for ${pairSeeds.length} seeds and miniBatches([0, 1, 2], 3, rng(seed)) for ${tripleSeeds.length} seeds: every order of 2 and of 3 items comes up, about equally often`,
    probeSeeds.map((seed, i) => call("miniBatches", Array.from({ length: probeSizes[i] }, (_, k) => k), probeSizes[i], rngArg(seed))),
    (outs) => {
      const orders: number[][] = [];
      for (const [i, out] of outs.entries()) {
        const order = itemsOnce(out, probeSizes[i]);
        if (!order) return { expected: `the ${probeSizes[i]} items, each once, in one batch`, actual: `for rng(seed ${probeSeeds[i]}): ${show(out)}`, why: "the batches must hold every item exactly once" };
        orders.push(order);
      }
      const repeated = orders.splice(seeds.length);
      const differs = again.findIndex((i, k) => repeated[k].join() !== orders[i].join());
      if (differs >= 0) {
        const i = again[differs];
        return { expected: `the same order twice for rng(seed ${seeds[i]})`, actual: `${show(orders[i])}, then ${show(repeated[differs])}`, why: RNG_OF_THIS_CALL, cause: MATH_RANDOM };
      }
      if (new Set(orders.slice(0, pairSeeds.length).map(String)).size === 1 && new Set(orders.slice(pairSeeds.length).map(String)).size === 1) {
        return { expected: "different orders for different seeds", actual: `the same order for all ${seeds.length} seeds: ${show(orders[0])} and ${show(orders[orders.length - 1])}`, why: "the order must come from rng" };
      }
      const declared = BIASED.find((b) => seeds.every((seed, i) => b.shuffle(Array.from({ length: sizes[i] }, (_, k) => k), makeRng(seed)).join() === orders[i].join()));
      const cause = declared ? {} : { cause: NOT_UNIFORM };
      const pairs = orders.slice(0, pairSeeds.length);
      const half = pairSeeds.length / 2;
      const swapped = pairs.filter((o) => o[0] === 1).length;
      if (Math.abs(swapped - half) >= PAIR_LIMIT) {
        return {
          expected: `[1, 0] about half the time: in ${half - PAIR_LIMIT + 1} to ${half + PAIR_LIMIT - 1} of the ${pairSeeds.length} shuffles of [0, 1] (a uniform shuffle falls outside one time in a billion)`,
          actual: `[1, 0] in ${swapped} of them${swapped === 0 ? ": the two items were never swapped" : swapped === pairSeeds.length ? ": the two items were swapped every time" : ""}`,
          why: "a uniform shuffle of two items swaps them half the time: Fisher–Yates from the end does it in its last step, i = 1, which swaps item 1 with item j = Math.floor(rng() * 2), 0 half the time",
          ...cause,
        };
      }
      const triples = orders.slice(pairSeeds.length);
      const { counts, t } = orderTable(triples, 3);
      if (t <= TRIPLE_THRESHOLD) return null;
      const names = ordersOf(3).map((o) => `[${o.join(", ")}]`);
      const never = names.filter((_, k) => counts[k] === 0);
      return {
        expected: `each of the 6 orders of [0, 1, 2] about ${tripleSeeds.length / 6} times in ${tripleSeeds.length} shuffles (a uniform shuffle stays below χ² = ${TRIPLE_THRESHOLD}, 5 degrees of freedom)`,
        actual: `${names.map((o, k) => `${o} ${counts[k]}`).join(", ")} (χ² = ${t.toFixed(1)})${never.length ? `: ${never.length} of the 6 orders never came up` : ""}`,
        why: "every order must be possible and as likely as any other: Fisher–Yates, for i from the end down to 1 (1 included), swaps item i with item j = Math.floor(rng() * (i + 1))",
        ...cause,
      };
    },
  );
}

export default exercise({
  id: "mini-batches",
  title: "Shuffle, then split into mini-batches",
  points: 2,
  // 737 calls (200 shuffles of 150 items for the uniformity check, 516 of 2 or 3 items for the small orders): ~0.1 s for the reference; room for a naive honest shuffle on a loaded machine.
  timeoutMs: 5000,
  defines: ["miniBatches"],
  hints: [
    "Copy the data, shuffle the copy with the rng you are given (Fisher–Yates: for i from the end, swap item i with a random j ≤ i), then cut it into slices of batchSize.",
    "Every example lands in exactly one batch; all batches have batchSize examples except perhaps the last; the order comes from rng alone, so the same seed gives the same batches and every order is equally likely.",
  ],
  checks: [
    partitionCase(10, 3, 1),
    partitionCase(12, 4, 2),
    partitionCase(7, 10, 3),
    {
      expand: (rng) => Array.from({ length: 8 }, () => partitionCase(randomInt(rng, 1, 40), randomInt(rng, 1, 8), randomInt(rng, 1, 1e6))),
    },
    judged("the same seed gives the same batches", [call("miniBatches", items(20), 5, rngArg(7)), call("miniBatches", items(20), 5, rngArg(7))], "mini-batches/same-seed"),
    judged("a different seed gives a different order", [call("miniBatches", items(20), 5, rngArg(7)), call("miniBatches", items(20), 5, rngArg(8))], "mini-batches/other-seed"),
    judged("the order is shuffled, not the input order", [call("miniBatches", items(20), 20, rngArg(9))], "mini-batches/shuffled", 20),
    // Batches of one are shuffled too: an early return for batchSize 1 (data.map((d) => [d])) keeps the input order.
    judged("batches of one are shuffled too, not left in the input order", [call("miniBatches", items(20), 1, rngArg(9))], "mini-batches/shuffled", 20),
    // Not published: its judge replays the declared biased shuffles, code a learner edition must not hold.
    uniformityCase(),
    // Not published either: its judge replays the declared shuffles too.
    smallOrdersCase(),
    {
      label: "the input array is left as it was",
      probes: [watched(call("miniBatches", items(15), 4, rngArg(11)))],
      usesReference: false,
      judge: ([a]) => (a.mutated ? { expected: "data unchanged", actual: `data became ${show(a.argsAfter?.[0])}`, why: "shuffle a copy (data.slice()), not data itself" } : null),
      // In the learner edition the grader's own check of changed arguments stands in for this message.
      publish: () => ({ kind: "judge", label: "the input array is left as it was", probes: [watched(call("miniBatches", items(15), 4, rngArg(11)))], judge: "arguments-unchanged", params: [] }),
    },
  ],
  mutants: {
    "does not shuffle: the batches keep the input order": "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  const out: T[][] = [];\n  for (let i = 0; i < data.length; i += batchSize) out.push(data.slice(i, i + batchSize));\n  return out;\n}",
    [MATH_RANDOM]: "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  const a = data.slice();\n  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }\n  const out: T[][] = [];\n  for (let i = 0; i < a.length; i += batchSize) out.push(a.slice(i, i + batchSize));\n  return out;\n}",
    "drops the last, smaller batch (examples are lost)": "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  const a = data.slice();\n  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(rng() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }\n  const out: T[][] = [];\n  for (let i = 0; i + batchSize <= a.length; i += batchSize) out.push(a.slice(i, i + batchSize));\n  return out;\n}",
    [SORT_SHUFFLE]: "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  const a = data.slice().sort(() => rng() - 0.5);\n  const out: T[][] = [];\n  for (let i = 0; i < a.length; i += batchSize) out.push(a.slice(i, i + batchSize));\n  return out;\n}",
    [SWAP_ANY]: "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  const a = data.slice();\n  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(rng() * a.length); [a[i], a[j]] = [a[j], a[i]]; }\n  const out: T[][] = [];\n  for (let i = 0; i < a.length; i += batchSize) out.push(a.slice(i, i + batchSize));\n  return out;\n}",
    [STOPS_EARLY]: "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  const a = data.slice();\n  for (let i = a.length - 1; i > 1; i--) { const j = Math.floor(rng() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }\n  const out: T[][] = [];\n  for (let i = 0; i < a.length; i += batchSize) out.push(a.slice(i, i + batchSize));\n  return out;\n}",
    "shuffles the caller's array instead of a copy": "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  for (let i = data.length - 1; i > 0; i--) { const j = Math.floor(rng() * (i + 1)); [data[i], data[j]] = [data[j], data[i]]; }\n  const out: T[][] = [];\n  for (let i = 0; i < data.length; i += batchSize) out.push(data.slice(i, i + batchSize));\n  return out;\n}",
  },
  mistakeHints: {
    "does not shuffle: the batches keep the input order": "Shuffle before cutting: the batches of an epoch should come in a new random order each time, or the network sees the examples in the same sequence every epoch.",
    [MATH_RANDOM]: "Take every random number from the rng this call is given (rng(), not Math.random(), and not an rng kept from an earlier call): then the same seed gives the same batches, and a run can be replayed.",
    "drops the last, smaller batch (examples are lost)": "Keep the last batch even when it is smaller than batchSize: otherwise its examples are never trained on in that epoch.",
    "shuffles the caller's array instead of a copy": "Shuffle a copy (data.slice()), not data itself: the caller's array must keep its order.",
    [SORT_SHUFFLE]: "sort expects a comparator that answers the same way every time; fed coin flips it does not shuffle fairly, and items stay near where they started more often. Use Fisher–Yates: for i from the end down to 1, swap item i with item j = Math.floor(rng() * (i + 1)).",
    [STOPS_EARLY]: "Run the loop down to i = 1: for (let i = a.length - 1; i > 0; i--). Its last step, i = 1, decides whether the first two items trade places; without it two items never move, and three come out in only 3 of their 6 orders.",
    [SWAP_ANY]: "Draw j from 0 to i, not from the whole array: j = Math.floor(rng() * (i + 1)). Drawing from the whole array gives nⁿ⁻¹ equally likely ways to draw, which cannot spread evenly over the n! orders, so some orders come up more often.",
  },
});
