// Judges of the mini-batch and training checks that depend only on the learner's
// answers (no reference, no trusted forward pass): the learner edition runs them
// by name (exercises/public-judges.ts), so they must hold no answer and import
// nothing that does. Any valid shuffle passes: these check properties, not an order.
import { compare, type Network, type PublicParam, type Failure, type PublicJudge, show, type Plain } from "../../grader/engine/authoring";

/** Learner code in this course gets its randomness from the rng argument, so runs can be replayed. */
export const MATH_RANDOM = "the same seed gives other batches: the order does not come from the rng passed in alone (Math.random(), or an rng kept from an earlier call)";
/** Why, where the same seed gave two orders. */
export const RNG_OF_THIS_CALL = "take every random number from the rng this call is given: not Math.random(), and not an rng kept from an earlier call";

/** n distinct items, ex0 ... ex(n−1): what the partition checks shuffle. */
export function items(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `ex${i}`);
}

/** Every item exactly once, batches of batchSize, only the last may be smaller. */
function partition(n: unknown, batchSize: unknown): (values: Plain[]) => Failure | null {
  const size = Number(batchSize);
  const data = items(Number(n));
  return ([out]) => {
    if (!Array.isArray(out) || out.some((b) => !Array.isArray(b))) return { expected: "an array of arrays (the batches)", actual: show(out) };
    const batches = out as Plain[][];
    const want = Math.ceil(data.length / size);
    if (batches.length !== want) {
      const sizes = batches.map((b) => b.length);
      const everyItem = batches.flat().length === data.length;
      const empty = sizes.indexOf(0);
      // What the sizes show: items lost, items kept in too few batches, or an empty batch.
      const why =
        empty >= 0
          ? `batch ${empty} is empty: a batch holds 1 to ${size} items (a loop that runs once too often, or a last slice past the end)`
          : batches.length < want && everyItem
            ? `every item is there, in too few batches (sizes ${sizes.join(", ")}): the items left over after the full batches make a smaller batch of their own, at the end`
            : batches.length < want
              ? "a batch is missing: the last batch may be smaller, but it must be there"
              : undefined;
      return { expected: `${want} batches`, actual: `${batches.length} batches`, ...(why ? { why } : {}) };
    }
    const bad = batches.findIndex((b, i) => (i < batches.length - 1 ? b.length !== size : b.length < 1 || b.length > size));
    if (bad >= 0) return { expected: `batch ${bad} with ${bad < batches.length - 1 ? size : `1 to ${size}`} items`, actual: `${batches[bad].length} items`, why: "only the last batch may be smaller" };
    const seen = batches.flat().map(String).sort();
    const sorted = data.slice().sort();
    if (seen.join("|") !== sorted.join("|")) return { expected: "every item exactly once", actual: `${show(seen)}`, why: "an item is missing or repeated: each item lands in exactly one batch (shuffle, then split; no item drawn twice, none added to fill up the last batch)" };
    return null;
  };
}

/** An answer as text to compare: every value a learner can return (a BigInt too) has one. */
const textOf = (v: Plain): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x)) ?? "undefined";

/** Two calls with the same seed give the same batches. */
const sameSeedSameBatches = () => ([a, b]: Plain[]): Failure | null =>
  textOf(a) === textOf(b) ? null : { expected: "equal batches for equal seeds", actual: `${show(a)} then ${show(b)}`, why: RNG_OF_THIS_CALL, cause: MATH_RANDOM };

/** Two calls with different seeds give different batches. */
const otherSeedOtherBatches = () => ([a, b]: Plain[]): Failure | null =>
  textOf(a) !== textOf(b) ? null : { expected: "different batches for different seeds", actual: `the same batches twice: ${show(a)}`, why: "the order must come from rng: shuffle before splitting" };

/** One batch of all n items is not in the input order. */
function shuffled(n: unknown): (values: Plain[]) => Failure | null {
  const data = items(Number(n));
  return ([a]) => (Array.isArray(a) && textOf((a as Plain[][]).flat()) !== textOf(data) ? null : { expected: "a shuffled order", actual: show(a), why: "shuffle the examples before splitting them" });
}

export function isNetwork(v: Plain): v is Plain & Network {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Array.isArray((v as { weights?: unknown }).weights) && Array.isArray((v as { biases?: unknown }).biases);
}

export function sameNetwork(a: Plain, b: Network): boolean {
  return compare(a, b as unknown as Plain) === null;
}

/** The largest |difference| of two networks of the same shape (Infinity when the shapes differ). */
export function distance(a: Plain, b: Network): number {
  let worst = 0;
  const walk = (x: Plain, y: Plain): boolean => {
    if (typeof y === "number") {
      if (typeof x !== "number" || Number.isNaN(x)) return false;
      worst = Math.max(worst, Math.abs(x - y));
      return true;
    }
    if (Array.isArray(y)) return Array.isArray(x) && x.length === y.length && y.every((v, i) => walk(x[i], v));
    return false;
  };
  const ok = isNetwork(a) && walk(a.weights, b.weights as unknown as Plain) && walk(a.biases, b.biases as unknown as Plain);
  return ok ? worst : Infinity;
}

/**
 * An epoch's network must be one of `candidates`, the networks the valid orders of the
 * examples give (computed from trusted steps, where the candidates are made): null when
 * it is, else where it parts from the nearest, and whether it is not even a network of
 * the right shape (then nothing more can be said).
 */
export function epochMismatch(value: Plain, candidates: Network[]): { failure: Failure; shape: boolean } | null {
  if (!isNetwork(value)) return { failure: { expected: "a Network { weights, biases }", actual: show(value) }, shape: true };
  if (candidates.some((c) => sameNetwork(value, c))) return null;
  const nearest = candidates.reduce((best, c) => (distance(value, c) < distance(value, best) ? c : best));
  const m = compare(value, nearest as unknown as Plain)!;
  const at = m.path.replace(/^\./, "");
  // Not numbers in the shape of the network: say where, as any comparison does.
  if (distance(value, nearest) === Infinity) return { failure: { expected: at ? `${at} = ${m.expected}` : m.expected, actual: at ? `${at} = ${m.actual}` : m.actual, why: m.why }, shape: true };
  const orders = candidates.length === 1 ? "the network one sgdStep per mini-batch gives" : `one of the ${candidates.length} networks one sgdStep per mini-batch gives (one per way to batch the examples)`;
  return { failure: { expected: `${orders}; the nearest has ${at} = ${m.expected}`, actual: `${at} = ${m.actual}` }, shape: false };
}

/** The learner edition's epoch check: the candidates are stored as data; the instructor's says more (train-epoch.ts, diagnose). */
function oneOfNetworks(candidates: PublicParam): (values: Plain[]) => Failure | null {
  const networks = candidates as unknown as Network[];
  return ([a]) => {
    const m = epochMismatch(a, networks);
    if (!m || m.shape) return m?.failure ?? null;
    return { ...m.failure, why: "it is none of the networks that one sgdStep per mini-batch gives, whatever the order of the examples: every example exactly once, one sgdStep per batch, each from the network the step before returned" };
  };
}

export const NOT_REPLAYABLE = "the same seed gives another network: the order does not come from the rng passed in alone (Math.random()?)";

/** Two epochs with the same seed end in the same network. */
const sameSeedSameNetwork = () => ([a, b]: Plain[]): Failure | null =>
  isNetwork(a) && isNetwork(b) && !sameNetwork(a, b)
    ? { expected: "the same network for the same seed", actual: "two different networks for seed 41", why: "take every random number from the rng you are given, so a run can be replayed", cause: NOT_REPLAYABLE }
    : null;

/** Epochs with the seeds `seeds` do not all end in the same network. */
const otherSeedsOtherNetworks = (seeds: PublicParam) => (answers: Plain[]): Failure | null => {
  const list = (seeds as number[]).join(", ");
  const [first, ...others] = answers;
  if (!isNetwork(first) || others.some((o) => !isNetwork(o) || !sameNetwork(o, first))) return null;
  return {
    expected: `different networks for seeds ${list} (12 examples in batches of 3 can be ordered 369,600 ways)`,
    actual: "the same network for every seed",
    why: "the order of the examples does not depend on rng: shuffle them with rng (through miniBatches) on every epoch",
  };
};

/** Any answer: the check is the grader's own, that the call left its arguments as they were. */
const anyAnswer = () => (): Failure | null => null;

const judges = {
  "mini-batches/partition": partition,
  "mini-batches/same-seed": sameSeedSameBatches,
  "mini-batches/other-seed": otherSeedOtherBatches,
  "mini-batches/shuffled": shuffled,
  "train-epoch/one-of": oneOfNetworks,
  "train-epoch/same-seed": sameSeedSameNetwork,
  "train-epoch/other-seeds": otherSeedsOtherNetworks,
  "arguments-unchanged": anyAnswer,
} satisfies Record<string, PublicJudge>;

export type BatchJudge = keyof typeof judges;
export const BATCH_JUDGES: Record<BatchJudge, PublicJudge> = judges;
