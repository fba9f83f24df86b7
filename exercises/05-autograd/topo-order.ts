import { call, exercise, relation, type Case, type RandomCheck } from "../../grader/engine/authoring";
import { GRAPH_JUDGES } from "./graph-judges";
import { forkExample, leaf, randomGraph, tAdd, tMul, tSigma, trustedOrder, valueArg, type GraphValue } from "./graphs";

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
  return relation(`topoOrder(${what}): every value once, each after its inputs`, [call("topoOrder", valueArg(root))], GRAPH_JUDGES.topological(ids, inputsOf), { hidden, publish: { judge: "topological", params: [ids, inputsOf] } });
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
    orderCase(diamond(), "(x·y + x)·(x·y), two forks"),
    random,
  ],
  mutants: {
    "a value is pushed before its inputs are visited, so it can come before them": TOPO(`    if (visited.has(v.id)) return;
    visited.add(v.id);
    order.push(v);
    for (const u of v.inputs) visit(u);`),
    "a value reached along two paths is listed twice: visited values are not remembered by id": TOPO(`    for (const u of v.inputs) visit(u);
    order.push(v);`),
    "only the first input of each value is followed": TOPO(`    if (visited.has(v.id)) return;
    visited.add(v.id);
    if (v.inputs.length > 0) visit(v.inputs[0]);
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
    "only the first input of each value is followed": "Visit every input: for (const u of v.inputs) visit(u).",
    "the order is reversed: the root comes first and every value before its inputs": "topoOrder lists inputs first and the root last; backward is the one that walks it from the end.",
  },
});
