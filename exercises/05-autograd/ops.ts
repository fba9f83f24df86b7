// Shared by the operation exercises of chapter 5 (add-mul, power, exp-sigma):
// the numeric check of local derivatives and random inputs.
import { randomInt, uniform, type Rng, call, relation, type Case, show, type Arg } from "../../grader/engine/authoring";
import { GRAPH_JUDGES } from "./graph-judges";
import { leaf, tAdd, tMul, valueArg, type GraphValue } from "./graphs";

const H = 1e-6;

/** A leaf, or now and then a value made by an operation (so inputs are not always leaves). */
export function randomInput(rng: Rng, id: string, lo = -3, hi = 3): GraphValue {
  // Full precision: a hidden case's numbers must not turn up in a public one by coincidence.
  const data = uniform(rng, lo, hi);
  const pick = randomInt(rng, 0, 3);
  if (pick === 0) return tAdd(leaf(`${id}1`, data - 1), leaf(`${id}2`, 1));
  if (pick === 1) return tMul(leaf(`${id}1`, data / 2), leaf(`${id}2`, 2));
  return leaf(id, data);
}

function moved(v: GraphValue, by: number): GraphValue {
  return { ...v, data: v.data + by };
}

/**
 * `fn(...args)`'s local derivatives against centred differences of its data: the
 * `valueArgs` first arguments are values, each nudged by ±h in turn.
 */
export function localSlopeCase(fn: string, args: (GraphValue | number)[], valueArgs: number): Case {
  const asArgs = (xs: (GraphValue | number)[]): Arg[] => xs.map((x) => (typeof x === "number" ? x : valueArg(x)));
  const probes = [call(fn, ...asArgs(args))];
  for (let i = 0; i < valueArgs; i++) {
    for (const by of [H, -H]) probes.push(call(fn, ...asArgs(args.map((a, k) => (k === i ? moved(a as GraphValue, by) : a)))));
  }
  const shown = args.map((a) => (typeof a === "number" ? show(a) : `${a.id} = ${show(a.data)}`)).join(", ");
  return relation(`${fn}(${shown}): each local derivative matches the centred difference of data`, probes, GRAPH_JUDGES["local-slopes"](H, valueArgs), { publish: { judge: "local-slopes", params: [H, valueArgs] } });
}
