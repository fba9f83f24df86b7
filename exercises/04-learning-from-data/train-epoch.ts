import { show } from "../../grader/engine/show";
import { call, exercise, matchesReference, relation, type Case } from "../../grader/engine/spec";
import type { Plain } from "../../grader/engine/values";
import type { Network } from "../../grader/engine/network";
import { makeRng, randomInt } from "../../grader/engine/rng";
import { netArg, randomNet } from "../03-many-neurons/nets";
import { BATCH_JUDGES } from "./batch-judges";
import { asArg, meanCost, randomExamples, rngArg, separable } from "./data";

function isNetwork(v: Plain): v is Plain & Network {
  return typeof v === "object" && v !== null && !Array.isArray(v) && Array.isArray((v as { weights?: unknown }).weights) && Array.isArray((v as { biases?: unknown }).biases);
}

/**
 * On two separable clouds, a few epochs must bring the cost down. Not published: judging
 * it needs a trusted forward pass, which is an answer; official grading runs it.
 */
function learnsCase(seed: number): Case {
  const rng = makeRng(seed);
  const data = separable(rng, 40);
  const net = randomNet(rng, [2, 4, 2]);
  const before = meanCost(net, data);
  return {
    label: `trainEpoch on 40 points in two separable clouds, a 2-4-2 network, batches of 5, η = 3, rng(seed ${seed})`,
    probes: [call("trainEpoch", netArg(net), asArg(data), 5, 3, rngArg(seed))],
    usesReference: false,
    judge: ([a]) => {
      if (!isNetwork(a.value)) return { expected: "a Network { weights, biases }", actual: show(a.value) };
      const after = meanCost(a.value, data);
      if (after < before * 0.95) return null;
      return { expected: `the mean cost to fall below ${show(before * 0.95)} (it was ${show(before)})`, actual: `mean cost ${show(after)} after the epoch`, why: "one epoch of SGD on an easy problem should lower the cost: are the updated networks carried from batch to batch?" };
    },
  };
}

export default exercise({
  id: "train-epoch",
  title: "One epoch: every example once, a step per mini-batch",
  points: 3,
  defines: ["trainEpoch"],
  hints: [
    "Split the data into shuffled mini-batches with miniBatches(data, batchSize, rng), then take one sgdStep per batch, each from the network the previous step returned.",
    "Carry the network along: net = sgdStep(net, batch, learningRate) for each batch, and return the last one. Shuffle with rng on every call, so each epoch sees a new order.",
  ],
  checks: [
    matchesReference(call("trainEpoch", { weights: [[[0.5]], [[0.5]]], biases: [[1], [1]] }, asArg([{ x: [0.25], y: [1] }, { x: [0.75], y: [0] }]), 2, 3, rngArg(1)), {
      label: "trainEpoch with one batch holding all the data (the same as one sgdStep)",
      pure: true,
    }),
    {
      expand: (rng) =>
        Array.from({ length: 6 }, () => {
          const n = randomInt(rng, 2, 12);
          return matchesReference(call("trainEpoch", netArg(randomNet(rng, [3, 3, 2])), asArg(randomExamples(rng, n, 3, 2)), n, 2, rngArg(randomInt(rng, 1, 1e6))), { label: `trainEpoch with batchSize = ${n} = the number of examples`, pure: true });
        }),
    },
    {
      // With identical examples the shuffle cannot matter: the result is three chained steps, exactly.
      expand: (rng) =>
        Array.from({ length: 4 }, () => {
          const [example] = randomExamples(rng, 1, 3, 2);
          return matchesReference(call("trainEpoch", netArg(randomNet(rng, [3, 4, 2])), asArg(Array.from({ length: 6 }, () => example)), 2, 2, rngArg(randomInt(rng, 1, 1e6))), {
            label: "trainEpoch on six copies of one example, batches of 2: three chained steps, whatever the order",
            pure: true,
          });
        }),
    },
    learnsCase(1),
    learnsCase(2),
    learnsCase(3),
    relation(
      "different seeds give different results (the order of the mini-batches comes from rng)",
      [41, 42].map((seed) => {
        const rng = makeRng(5);
        return call("trainEpoch", netArg(randomNet(rng, [2, 3, 2])), asArg(separable(rng, 12)), 3, 3, rngArg(seed));
      }),
      BATCH_JUDGES["train-epoch/other-seed"](),
      { publish: { judge: "train-epoch/other-seed", params: [] } },
    ),
  ],
  mutants: {
    "does not shuffle: the same order of mini-batches every epoch": `function trainEpoch(net: Network, data: Example[], batchSize: number, learningRate: number, rng: () => number): Network {
  for (let i = 0; i < data.length; i += batchSize) net = sgdStep(net, data.slice(i, i + batchSize), learningRate);
  return net;
}`,
    "every step starts from the starting network instead of the previous step's result": `function trainEpoch(net: Network, data: Example[], batchSize: number, learningRate: number, rng: () => number): Network {
  let last = net;
  for (const batch of miniBatches(data, batchSize, rng)) last = sgdStep(net, batch, learningRate);
  return last;
}`,
    "stops after the first mini-batch": `function trainEpoch(net: Network, data: Example[], batchSize: number, learningRate: number, rng: () => number): Network {
  return sgdStep(net, miniBatches(data, batchSize, rng)[0], learningRate);
}`,
    "one update per example instead of one per mini-batch": `function trainEpoch(net: Network, data: Example[], batchSize: number, learningRate: number, rng: () => number): Network {
  for (const batch of miniBatches(data, batchSize, rng)) for (const e of batch) net = sgdStep(net, [e], learningRate);
  return net;
}`,
  },
});
