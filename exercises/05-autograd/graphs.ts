// Values of chapter 5 as plain data, built by trusted spec code: the graphs the
// checks hand to learner code, and a trusted evaluation and backward pass of
// them for the numeric checks. A value is identified by its id, never by object
// identity: arguments reach the sandbox as JSON, so a value used twice arrives
// as two copies with one id (and so does anything a reference function returns).
import { sigma, randomInt, uniform, type Rng, type Arg, type Plain } from "../../grader/engine/authoring";

/** The chapter's Value, as the lab types it (grader/lab/autograd.ts) and the given cell builds it. */
export interface GraphValue {
  id: string;
  op: string;
  data: number;
  inputs: GraphValue[];
  local: number[];
}

export function leaf(id: string, data: number): GraphValue {
  return { id, op: "leaf", data, inputs: [], local: [] };
}

/** The given cell's makeValue: the id spells how the value was made, so equal ids are equal values. */
export function makeValue(op: string, inputs: GraphValue[], data: number, local: number[]): GraphValue {
  return { id: `${op}(${inputs.map((v) => v.id).join(",")})`, op, data, inputs, local };
}

export const tAdd = (a: GraphValue, b: GraphValue) => makeValue("+", [a, b], a.data + b.data, [1, 1]);
export const tMul = (a: GraphValue, b: GraphValue) => makeValue("×", [a, b], a.data * b.data, [b.data, a.data]);
export const tPow = (a: GraphValue, n: number) => makeValue(`^${n}`, [a], a.data ** n, [n * a.data ** (n - 1)]);
export const tExp = (a: GraphValue) => makeValue("exp", [a], Math.exp(a.data), [Math.exp(a.data)]);
export const tSigma = (a: GraphValue) => {
  const s = sigma(a.data);
  return makeValue("σ", [a], s, [s * (1 - s)]);
};

export function valueArg(v: GraphValue): Arg {
  return v as unknown as Arg;
}

/** A value as an expected answer. */
export function valuePlain(v: GraphValue): Plain {
  return v as unknown as Plain;
}

/** Every value of the graph once (by id), inputs before the values made from them. */
export function trustedOrder(root: GraphValue): GraphValue[] {
  const seen = new Set<string>();
  const order: GraphValue[] = [];
  const visit = (v: GraphValue) => {
    if (seen.has(v.id)) return;
    seen.add(v.id);
    v.inputs.forEach(visit);
    order.push(v);
  };
  visit(root);
  return order;
}

/** ∂root/∂v for every value v of the graph, by id. */
export function trustedBackward(root: GraphValue): Record<string, number> {
  const grad: Record<string, number> = { [root.id]: 1 };
  for (const v of trustedOrder(root).reverse()) v.inputs.forEach((u, i) => (grad[u.id] = (grad[u.id] ?? 0) + v.local[i] * grad[v.id]));
  return grad;
}

/** The root's data recomputed from its leaves, with some leaves' data replaced. */
export function trustedEval(root: GraphValue, leaves: Record<string, number>): number {
  const memo = new Map<string, number>();
  const ev = (v: GraphValue): number => {
    const known = memo.get(v.id);
    if (known !== undefined) return known;
    const xs = v.inputs.map(ev);
    let out: number;
    if (v.op === "leaf") out = v.id in leaves ? leaves[v.id] : v.data;
    else if (v.op === "+") out = xs[0] + xs[1];
    else if (v.op === "×") out = xs[0] * xs[1];
    else if (v.op === "exp") out = Math.exp(xs[0]);
    else if (v.op === "σ") out = sigma(xs[0]);
    else if (v.op.startsWith("^")) out = xs[0] ** Number(v.op.slice(1));
    else throw new Error(`unknown op ${v.op}`);
    memo.set(v.id, out);
    return out;
  };
  return ev(root);
}

/** Centred differences of the root with respect to each leaf, by id. */
export function leafSlopes(root: GraphValue, h = 1e-6): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of trustedOrder(root)) {
    if (v.op !== "leaf") continue;
    out[v.id] = (trustedEval(root, { [v.id]: v.data + h }) - trustedEval(root, { [v.id]: v.data - h })) / (2 * h);
  }
  return out;
}

/**
 * A random expression over the leaves x, y, z with forks: each new value combines
 * values made before it, so some are used twice. Between 3 and `maxOps` operations,
 * data kept moderate so exp and powers stay finite.
 */
export function randomGraph(rng: Rng, maxOps = 7): GraphValue {
  // Full-precision data: a hidden case's numbers must not turn up in a public one by coincidence.
  const made: GraphValue[] = ["x", "y", "z"].map((id) => leaf(id, uniform(rng, -2, 2)));
  const ops = randomInt(rng, 3, maxOps);
  for (let i = 0; i < ops; i++) {
    const pick = () => made[randomInt(rng, Math.max(0, made.length - 4), made.length - 1)];
    const a = pick();
    const kind = randomInt(rng, 0, 5);
    let v: GraphValue;
    if (kind <= 1) v = tAdd(a, pick());
    else if (kind <= 3) v = tMul(a, pick());
    else if (kind === 4) v = Math.abs(a.data) < 3 ? tPow(a, randomInt(rng, 2, 3)) : tSigma(a);
    else v = Math.abs(a.data) < 3 ? tExp(a) : tSigma(a);
    if (!made.some((m) => m.id === v.id)) made.push(v);
  }
  // The root uses the last two values made, so the graph has at least one fork below it.
  return tMul(made[made.length - 1], tAdd(made[made.length - 2], made[0]));
}

/** x·(x + y) at x = 3, y = 4: the chapter's worked example, x used twice. */
export function forkExample(xData = 3, yData = 4): GraphValue {
  const x = leaf("x", xData);
  return tMul(x, tAdd(x, leaf("y", yData)));
}
