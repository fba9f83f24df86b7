import { call, exercise, relation, watched, type Case } from "../../grader/engine/spec";
import { show } from "../../grader/engine/show";
import type { Probe } from "../../grader/engine/outcome";
import type { PublicParam } from "../../grader/engine/public-check";
import { randomInt } from "../../grader/engine/rng";
import { BATCH_JUDGES, items, MATH_RANDOM, type BatchJudge } from "./batch-judges";
import { rngArg } from "./data";

/** A relation judged by a public judge (batch-judges.ts): the learner edition runs it too. */
function judged(label: string, probes: Probe[], judge: BatchJudge, ...params: PublicParam[]): Case {
  return relation(label, probes, BATCH_JUDGES[judge](...params), { publish: { judge, params } });
}

/** Every item exactly once, batches of batchSize, only the last may be smaller. */
function partitionCase(n: number, batchSize: number, seed: number): Case {
  return judged(`miniBatches(${n} items, ${batchSize}, rng(seed ${seed})): every item once, batches of ${batchSize}`, [call("miniBatches", items(n), batchSize, rngArg(seed))], "mini-batches/partition", n, batchSize);
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
    judged("the same seed gives the same batches", [call("miniBatches", items(20), 5, rngArg(7)), call("miniBatches", items(20), 5, rngArg(7))], "mini-batches/same-seed"),
    judged("a different seed gives a different order", [call("miniBatches", items(20), 5, rngArg(7)), call("miniBatches", items(20), 5, rngArg(8))], "mini-batches/other-seed"),
    judged("the order is shuffled, not the input order", [call("miniBatches", items(20), 20, rngArg(9))], "mini-batches/shuffled", 20),
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
    "shuffles the caller's array instead of a copy": "function miniBatches<T>(data: T[], batchSize: number, rng: () => number): T[][] {\n  for (let i = data.length - 1; i > 0; i--) { const j = Math.floor(rng() * (i + 1)); [data[i], data[j]] = [data[j], data[i]]; }\n  const out: T[][] = [];\n  for (let i = 0; i < data.length; i += batchSize) out.push(data.slice(i, i + batchSize));\n  return out;\n}",
  },
});
