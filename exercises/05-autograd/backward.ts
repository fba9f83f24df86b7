import { call, exercise, linked, expectValue, matchesReference, relation, type Case, type RandomCheck } from "../../grader/engine/authoring";
import { GRAPH_JUDGES } from "./graph-judges";
import { forkExample, leaf, leafSlopes, randomGraph, tAdd, tMul, tSigma, trustedBackward, trustedOrder, valueArg, type GraphValue } from "./graphs";

const BACKWARD = (seed: string, loop: string, update: string, table = "") => `${table}function backward(root: Value): Record<string, number> {
  ${table ? "" : "const grad: Record<string, number> = {};\n  "}grad[root.id] = ${seed};
  for (const v of ${loop}) {
    v.inputs.forEach((u, i) => {
      ${update};
    });
  }
  return grad;
}`;
const SEED = "1";
const LOOP = "topoOrder(root).reverse()";
const ADD = "grad[u.id] = (grad[u.id] ?? 0) + v.local[i] * grad[v.id]";

/** The gradients of the leaves against centred differences of the graph recomputed with each leaf nudged. */
function slopeCase(root: GraphValue, what: string): Case {
  const want = leafSlopes(root);
  return relation(`backward(${what}): each leaf's gradient matches the centred difference`, [call("backward", valueArg(root))], GRAPH_JUDGES.slopes(want, "the root with leaf"), { publish: { judge: "slopes", params: [want, "the root with leaf"] } });
}

const FORK_IDS = trustedOrder(forkExample()).map((v) => v.id);

/** w·x + b through σ, then squared against y: a neuron's cost, no fork. */
function neuronCost(): GraphValue {
  const a = tSigma(tAdd(tMul(leaf("w", 0.5), leaf("x", 0.25)), leaf("b", 1)));
  return tMul(tAdd(a, leaf("-y", -1)), tAdd(a, leaf("-y", -1)));
}

const random: RandomCheck = {
  expand: (rng) =>
    Array.from({ length: 12 }, (_, i) => {
      const g = randomGraph(rng);
      return i % 3 === 0 ? slopeCase(g, `a random graph (${i + 1})`) : matchesReference(call("backward", valueArg(g)), { hidden: i >= 10, label: `backward(a random graph (${i + 1}))` });
    }),
};

export default exercise({
  id: "backward",
  title: "The backward pass: gradients that add up at forks",
  points: 2,
  defines: ["backward"],
  hints: [
    "Make a table grad with grad[root.id] = 1. Walk topoOrder(root) from the end (the root) to the start; for each value v and each input i, add local[i] · grad[v.id] to grad[input.id] (starting from 0 the first time). Return the table.",
    "backward(x·(x + y)) at x = 3, y = 4 gives 1 for the root, 3 for x + y, 3 for y and 10 for x: x reaches the root along two paths, (x + y) = 7 through the ×, and 3 through the +, and its gradient is their sum.",
  ],
  checks: [
    expectValue(call("backward", valueArg(leaf("x", 2))), { x: 1 }, { label: "backward(x): a leaf's gradient with respect to itself is 1" }),
    expectValue(call("backward", valueArg(forkExample())), trustedBackward(forkExample()), { label: "backward(x·(x + y)) at x = 3, y = 4: x is used twice" }),
    // The same graph with other numbers, after the one above: ids spell how a value was made, so
    // anything kept by id from an earlier call (an order, a table) answers with the old numbers.
    expectValue(call("backward", valueArg(forkExample(5, -1))), trustedBackward(forkExample(5, -1)), { label: "backward(x·(x + y)) at x = 5, y = −1: the same graph as above, other numbers" }),
    matchesReference(call("backward", valueArg(neuronCost())), { label: "backward((σ(w·x + b) − y)·(σ(w·x + b) − y))" }),
    // A gradient of exactly 0 inside the graph is still passed on: a and b get 0, not nothing.
    matchesReference(call("backward", valueArg(tMul(tAdd(leaf("a", 1.5), leaf("b", -2)), leaf("z", 0)))), { label: "backward((a + b)·z) at z = 0: a + b gets the gradient 0, and passes 0 on to a and b" }),
    slopeCase(forkExample(), "x·(x + y)"),
    relation("backward(x·(x + y)): a gradient under each value's id, and no other key", [call("backward", valueArg(forkExample()))], GRAPH_JUDGES["only-ids"](FORK_IDS), { publish: { judge: "only-ids", params: [FORK_IDS] } }),
    // As the notebook's leaf and makeValue build them: a value used twice is one object in both
    // places (elsewhere it comes as two copies with one id). Walking each value's inputs as a Set
    // counts x once here.
    expectValue(linked(call("backward", valueArg(forkExample()))), trustedBackward(forkExample()), { label: "backward(x·(x + y)) with x one object in both places, as leaf and makeValue build it" }),
    matchesReference(linked(call("backward", valueArg(tMul(leaf("x", -1.5), leaf("x", -1.5))))), { label: "backward(x·x) with x one object in both places, as mul(x, x) builds it" }),
    random,
  ],
  mutants: {
    "`=` instead of `+=` at a fork: a value used twice keeps only the last contribution": BACKWARD(SEED, LOOP, "grad[u.id] = v.local[i] * grad[v.id]"),
    "the order is walked forwards: a value passes its gradient on before the values made from it have given it theirs": BACKWARD(SEED, "topoOrder(root)", "grad[u.id] = (grad[u.id] ?? 0) + v.local[i] * (grad[v.id] ?? 0)"),
    "the root's gradient is not set to 1, so nothing flows back": BACKWARD("0", LOOP, ADD),
    "the root's gradient starts at its value (root.data) instead of 1: every gradient is scaled by it": BACKWARD("root.data", LOOP, ADD),
    "the chain rule's product is missing: an input gets only the local derivative, not times the value's gradient": BACKWARD(SEED, LOOP, "grad[u.id] = (grad[u.id] ?? 0) + v.local[i]"),
    "gradients are not reset between examples: the table lives outside backward and keeps the sums of earlier calls": BACKWARD(SEED, LOOP, ADD, "const grad: Record<string, number> = {};\n"),
  },
  mistakeHints: {
    "`=` instead of `+=` at a fork: a value used twice keeps only the last contribution": "A value used twice reaches the root along two paths, and its gradient is the sum over paths: add to grad[u.id], don't overwrite it.",
    "the order is walked forwards: a value passes its gradient on before the values made from it have given it theirs": "Walk topoOrder(root) from the end: the root first, so that a value's gradient is complete before it passes it to its inputs.",
    "the root's gradient is not set to 1, so nothing flows back": "Start with grad[root.id] = 1: the root moves one-for-one with itself.",
    "the root's gradient starts at its value (root.data) instead of 1: every gradient is scaled by it": "∂root/∂root is 1 whatever the root's value: start with grad[root.id] = 1, not root.data.",
    "the chain rule's product is missing: an input gets only the local derivative, not times the value's gradient": "The chain rule multiplies: an input receives local[i] · grad[v.id], how fast v moves with the input times how fast the root moves with v.",
    "gradients are not reset between examples: the table lives outside backward and keeps the sums of earlier calls": "Make a fresh table inside backward on every call: a table made once, outside, keeps adding the gradients of every graph you asked about before.",
  },
});
