// Judges of the mini-batch and training checks that depend only on the learner's
// answers (no reference, no trusted forward pass): the learner edition runs them
// by name (exercises/public-judges.ts), so they must hold no answer and import
// nothing that does. Any valid shuffle passes: these check properties, not an order.
import type { Failure, PublicJudge } from "../../grader/engine/spec";
import { show } from "../../grader/engine/show";
import type { Plain } from "../../grader/engine/values";

/** Learner code in this course gets its randomness from the rng argument, so runs can be replayed. */
export const MATH_RANDOM = "shuffles with Math.random() instead of the rng passed in: the same seed gives other batches";

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
    if (batches.length !== want) return { expected: `${want} batches`, actual: `${batches.length} batches`, why: batches.length < want ? "a batch is missing: the last batch may be smaller, but it must be there" : undefined };
    const bad = batches.findIndex((b, i) => (i < batches.length - 1 ? b.length !== size : b.length < 1 || b.length > size));
    if (bad >= 0) return { expected: `batch ${bad} with ${bad < batches.length - 1 ? size : `1 to ${size}`} items`, actual: `${batches[bad].length} items`, why: "only the last batch may be smaller" };
    const seen = batches.flat().map(String).sort();
    const sorted = data.slice().sort();
    if (seen.join("|") !== sorted.join("|")) return { expected: "every item exactly once", actual: `${show(seen)}`, why: "an item is missing or repeated: shuffle, then split (don't draw with replacement)" };
    return null;
  };
}

/** Two calls with the same seed give the same batches. */
const sameSeedSameBatches = () => ([a, b]: Plain[]): Failure | null =>
  JSON.stringify(a) === JSON.stringify(b) ? null : { expected: "equal batches for equal seeds", actual: `${show(a)} then ${show(b)}`, why: "shuffle with the rng argument, not Math.random()", cause: MATH_RANDOM };

/** Two calls with different seeds give different batches. */
const otherSeedOtherBatches = () => ([a, b]: Plain[]): Failure | null =>
  JSON.stringify(a) !== JSON.stringify(b) ? null : { expected: "different batches for different seeds", actual: `the same batches twice: ${show(a)}`, why: "the order must come from rng: shuffle before splitting" };

/** One batch of all n items is not in the input order. */
function shuffled(n: unknown): (values: Plain[]) => Failure | null {
  const data = items(Number(n));
  return ([a]) => (Array.isArray(a) && JSON.stringify((a as Plain[][]).flat()) !== JSON.stringify(data) ? null : { expected: "a shuffled order", actual: show(a), why: "shuffle the examples before splitting them" });
}

/** Two epochs with different seeds end in different networks. */
const otherSeedOtherNetwork = () => ([a, b]: Plain[]): Failure | null =>
  JSON.stringify(a) !== JSON.stringify(b) ? null : { expected: "different networks for seeds 41 and 42", actual: "the same network twice", why: "shuffle the data with rng (through miniBatches) on every epoch" };

/** Any answer: the check is the grader's own, that the call left its arguments as they were. */
const anyAnswer = () => (): Failure | null => null;

const judges = {
  "mini-batches/partition": partition,
  "mini-batches/same-seed": sameSeedSameBatches,
  "mini-batches/other-seed": otherSeedOtherBatches,
  "mini-batches/shuffled": shuffled,
  "train-epoch/other-seed": otherSeedOtherNetwork,
  "arguments-unchanged": anyAnswer,
} satisfies Record<string, PublicJudge>;

export type BatchJudge = keyof typeof judges;
export const BATCH_JUDGES: Record<BatchJudge, PublicJudge> = judges;
