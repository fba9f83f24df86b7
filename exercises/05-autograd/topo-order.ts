import { call, exercise, relation, type Case, type RandomCheck } from "../../grader/engine/authoring";
import { FIRST_ONLY, GRAPH_JUDGES } from "./graph-judges";
import { forkExample, leaf, randomGraph, tAdd, tMul, tPow, tSigma, trustedOrder, valueArg, type GraphValue } from "./graphs";

const KEYED_ON_DATA = "visited values are remembered by their data, not their id: a value whose data equals one already visited is left out";
const KEYED_ON_OP = "visited values are remembered by their operation (op), not their id: a value made by the same operation as one already visited is left out";

const TOPO = (body: string) => `function topoOrder(root: Value): Value[] {
  const order: Value[] = [];
  const visited = new Set<string>();
  function visit(v: Value): void {
${body}
  }
  visit(root);
  return order;
}`;

/** Any valid order passes: every value once, after its inputs (a public judge, given the graph's ids). */
function orderCase(root: GraphValue, what: string, hidden = false): Case {
  const order = trustedOrder(root);
  const ids = order.map((v) => v.id);
  const inputsOf = order.map((v) => v.inputs.map((u) => u.id));
  // Each value's data: evidence for saying why values are missing.
  const data = order.map((v) => v.data);
  return relation(`topoOrder(${what}): every value once, each after its inputs`, [call("topoOrder", valueArg(root))], GRAPH_JUDGES.topological(ids, inputsOf, data), { hidden, publish: { judge: "topological", params: [ids, inputsOf, data] } });
}

/** A 1-1-1 neuron: σ(w·x + b), no fork. */
function neuron(): GraphValue {
  return tSigma(tAdd(tMul(leaf("w", 0.5), leaf("x", 0.25)), leaf("b", 1)));
}

/** A diamond: a = x·y feeds both s = a + x and the root s·a. */
function diamond(): GraphValue {
  const x = leaf("x", 1.5);
  const a = tMul(x, leaf("y", -2));
  return tMul(tAdd(a, x), a);
}

/**
 * Chapter 1's network as a graph, (σ(w2·σ(w1·x + b1) + b2) − y)², with w1 = w2 = x = 0.5
 * and b1 = b2 = 1: distinct values with equal data, which only their ids tell apart.
 */
function equalData111(): GraphValue {
  const hidden = tSigma(tAdd(tMul(leaf("w1", 0.5), leaf("x", 0.5)), leaf("b1", 1)));
  const output = tSigma(tAdd(tMul(leaf("w2", 0.5), hidden), leaf("b2", 1)));
  return tPow(tAdd(output, leaf("-y", -1)), 2);
}

/** x·(x + y) at x = y = 2: the fork example, with two leaves of equal data. */
function equalDataFork(): GraphValue {
  const x = leaf("x", 2);
  return tMul(x, tAdd(x, leaf("y", 2)));
}

/** A chain 40 values deep, σ(σ(…σ(x)…) + c): an order cut off at some depth (a recursion limit) leaves values out. */
function deepChain(): GraphValue {
  let v: GraphValue = leaf("x", 0.5);
  for (let i = 0; i < 20; i++) v = tSigma(tAdd(v, leaf(`c${i}`, i % 2 === 0 ? 0.25 : -0.25)));
  return v;
}

const random: RandomCheck = {
  expand: (rng) => Array.from({ length: 10 }, (_, i) => orderCase(randomGraph(rng), `a random graph (${i + 1})`, i >= 8)),
};

export default exercise({
  id: "topo-order",
  title: "A topological order of the graph",
  points: 2,
  defines: ["topoOrder"],
  hints: [
    "Depth first: to visit a value, skip it if its id was visited already; otherwise mark its id, visit each of its inputs, and only then push the value onto the order.",
    "The order must list every value of the graph exactly once, and each value after all the values it was made from (its inputs, their inputs, and so on). Identify values by id: a value used twice may reach you as two copies with one id.",
  ],
  checks: [
    orderCase(leaf("x", 2), "a single leaf x"),
    orderCase(neuron(), "σ(w·x + b)"),
    orderCase(forkExample(), "x·(x + y), x used twice"),
    // The same graph with other numbers: an order kept by the root's id lists the graph above.
    orderCase(forkExample(5, -1), "x·(x + y) at x = 5, y = −1: the same graph as above, other numbers"),
    orderCase(diamond(), "(x·y + x)·(x·y), two forks"),
    // Values are told apart by id: these graphs hold distinct values with equal data.
    orderCase(equalData111(), "chapter 1's network, (σ(w2·σ(w1·x + b1) + b2) − y)² with w1 = w2 = x = 0.5, b1 = b2 = 1, y = 1"),
    orderCase(equalDataFork(), "x·(x + y) at x = y = 2"),
    orderCase(deepChain(), "a chain 40 values deep: σ(… σ(σ(x + c0) + c1) … + c19)"),
    random,
  ],
  mutants: {
    "a value is pushed before its inputs are visited, so it can come before them": TOPO(`    if (visited.has(v.id)) return;
    visited.add(v.id);
    order.push(v);
    for (const u of v.inputs) visit(u);`),
    "a value reached along two paths is listed twice: visited values are not remembered by id": TOPO(`    for (const u of v.inputs) visit(u);
    order.push(v);`),
    [FIRST_ONLY]: TOPO(`    if (visited.has(v.id)) return;
    visited.add(v.id);
    if (v.inputs.length > 0) visit(v.inputs[0]);
    order.push(v);`),
    [KEYED_ON_DATA]: `function topoOrder(root: Value): Value[] {
  const order: Value[] = [];
  const visited = new Set<number>();
  function visit(v: Value): void {
    if (visited.has(v.data)) return;
    visited.add(v.data);
    for (const u of v.inputs) visit(u);
    order.push(v);
  }
  visit(root);
  return order;
}`,
    [KEYED_ON_OP]: TOPO(`    if (visited.has(v.op)) return;
    visited.add(v.op);
    for (const u of v.inputs) visit(u);
    order.push(v);`),
    "the order is reversed: the root comes first and every value before its inputs": `function topoOrder(root: Value): Value[] {
  const order: Value[] = [];
  const visited = new Set<string>();
  function visit(v: Value): void {
    if (visited.has(v.id)) return;
    visited.add(v.id);
    for (const u of v.inputs) visit(u);
    order.push(v);
  }
  visit(root);
  return order.reverse();
}`,
  },
  mistakeHints: {
    "a value is pushed before its inputs are visited, so it can come before them": "Push the value after the loop over its inputs: a value is ready to be listed only when everything it was made from is listed.",
    "a value reached along two paths is listed twice: visited values are not remembered by id": "Keep a Set of the ids you have visited and return at once for a value whose id is in it (compare ids, not objects: copies of one value share its id).",
    [FIRST_ONLY]: "Visit every input: for (const u of v.inputs) visit(u).",
    [KEYED_ON_DATA]: "Key the visited set on v.id, not v.data: two values may hold the same number (w1 = w2 = 0.5) and still be different values, each with a gradient of its own. Only copies of one value share its id.",
    [KEYED_ON_OP]: "Key the visited set on v.id, not v.op: many values are made by the same operation (every leaf's op is \"leaf\"), and each is a value of its own. Only copies of one value share its id.",
    "the order is reversed: the root comes first and every value before its inputs": "topoOrder lists inputs first and the root last; backward is the one that walks it from the end.",
  },
});
