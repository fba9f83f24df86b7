import { call, exercise, relation, watched, type Case } from "../../grader/engine/spec";
import { show } from "../../grader/engine/show";
import type { Plain } from "../../grader/engine/values";
import { randomInt } from "../../grader/engine/rng";
import { rngArg } from "./data";

/** Learner code in this course gets its randomness from the rng argument, so runs can be replayed. */
const MATH_RANDOM = "shuffles with Math.random() instead of the rng passed in: the same seed gives other batches";

function items(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `ex${i}`);
}

/** Every item exactly once, batches of batchSize, only the last may be smaller. */
function partitionCase(n: number, batchSize: number, seed: number): Case {
  const data = items(n);
  return relation(`miniBatches(${n} items, ${batchSize}, rng(seed ${seed})): every item once, batches of ${batchSize}`, [call("miniBatches", data, batchSize, rngArg(seed))], ([out]) => {
      if (!Array.isArray(out) || out.some((b) => !Array.isArray(b))) return { expected: "an array of arrays (the batches)", actual: show(out) };
      const batches = out as Plain[][];
      const want = Math.ceil(n / batchSize);
      if (batches.length !== want) return { expected: `${want} batches`, actual: `${batches.length} batches`, why: batches.length < want ? "a batch is missing: the last batch may be smaller, but it must be there" : undefined };
      const bad = batches.findIndex((b, i) => (i < batches.length - 1 ? b.length !== batchSize : b.length < 1 || b.length > batchSize));
      if (bad >= 0) return { expected: `batch ${bad} with ${bad < batches.length - 1 ? batchSize : `1 to ${batchSize}`} items`, actual: `${batches[bad].length} items`, why: "only the last batch may be smaller" };
      const seen = batches.flat().map(String).sort();
      const sorted = data.slice().sort();
      if (seen.join("|") !== sorted.join("|")) return { expected: "every item exactly once", actual: `${show(seen)}`, why: "an item is missing or repeated: shuffle, then split (don't draw with replacement)" };
      return null;
    });
}

export default exercise({
  id: "mini-batches",
  title: "Shuffle, then split into mini-batches",
  points: 2,
  defines: ["miniBatches"],
  hints: [
    "Copy the data, shuffle the copy with the rng you are given (Fisher–Yates: for i from the end, swap item i with a random j ≤ i), then cut it into slices of batchSize.",
    "Use rng(), not Math.random(), so the same seed gives the same batches; don't shuffle data itself (copy it first); keep the last, smaller batch.",
  ],
  checks: [
    partitionCase(10, 3, 1),
    partitionCase(12, 4, 2),
    partitionCase(7, 10, 3),
    {
      expand: (rng) => Array.from({ length: 8 }, () => partitionCase(randomInt(rng, 1, 40), randomInt(rng, 1, 8), randomInt(rng, 1, 1e6))),
    },
    relation("the same seed gives the same batches", [call("miniBatches", items(20), 5, rngArg(7)), call("miniBatches", items(20), 5, rngArg(7))], ([a, b]) =>
      JSON.stringify(a) === JSON.stringify(b) ? null : { expected: "equal batches for equal seeds", actual: `${show(a)} then ${show(b)}`, why: "shuffle with the rng argument, not Math.random()", cause: MATH_RANDOM },
    ),
    relation("a different seed gives a different order", [call("miniBatches", items(20), 5, rngArg(7)), call("miniBatches", items(20), 5, rngArg(8))], ([a, b]) =>
      JSON.stringify(a) !== JSON.stringify(b) ? null : { expected: "different batches for different seeds", actual: `the same batches twice: ${show(a)}`, why: "the order must come from rng: shuffle before splitting" },
    ),
    relation("the order is shuffled, not the input order", [call("miniBatches", items(20), 20, rngArg(9))], ([a]) =>
      Array.isArray(a) && JSON.stringify((a as Plain[][]).flat()) !== JSON.stringify(items(20)) ? null : { expected: "a shuffled order", actual: show(a), why: "shuffle the examples before splitting them" },
    ),
    {
      label: "the input array is left as it was",
      probes: [watched(call("miniBatches", items(15), 4, rngArg(11)))],
      usesReference: false,
      judge: ([a]) => (a.mutated ? { expected: "data unchanged", actual: `data became ${show(a.argsAfter?.[0])}`, why: "shuffle a copy (data.slice()), not data itself" } : null),
    },
  ],
  mutants: {
    "does not shuffle: the batches keep the input order": "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  const out: T[][] = [];\n  for (let i = 0; i < data.length; i += batchSize) out.push(data.slice(i, i + batchSize));\n  return out;\n}",
    [MATH_RANDOM]: "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  const a = data.slice();\n  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }\n  const out: T[][] = [];\n  for (let i = 0; i < a.length; i += batchSize) out.push(a.slice(i, i + batchSize));\n  return out;\n}",
    "drops the last, smaller batch (examples are lost)": "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  const a = data.slice();\n  for (let i = a.length - 1; i > 0; i--) { const j = Math.floor(rng() * (i + 1)); [a[i], a[j]] = [a[j], a[i]]; }\n  const out: T[][] = [];\n  for (let i = 0; i + batchSize <= a.length; i += batchSize) out.push(a.slice(i, i + batchSize));\n  return out;\n}",
    "shuffles the caller's array instead of a copy": "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  for (let i = data.length - 1; i > 0; i--) { const j = Math.floor(rng() * (i + 1)); [data[i], data[j]] = [data[j], data[i]]; }\n  const out: T[][] = [];\n  for (let i = 0; i < data.length; i += batchSize) out.push(data.slice(i, i + batchSize));\n  return out;\n}",
  },
});
