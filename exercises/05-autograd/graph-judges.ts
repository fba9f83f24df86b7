// Judges of chapter 5's relation checks that read only the learner's answers and
// the plain data they are given (ids, centred differences): the learner edition
// runs them by name (exercises/public-judges.ts), so they hold no answer and
// import nothing that does. A topological order is judged as a property, so any
// valid order passes.
import { type PublicParam, show, type Failure, type PublicJudge, closeEnough, type Tolerance, type Plain } from "../../grader/engine/authoring";

/** Centred differences with h ≈ 1e-6 agree with exact derivatives to about 1e-9; a mistake moves them by far more. */
export const SLOPE_TOLERANCE: Tolerance = { rel: 1e-5, abs: 1e-6 };

function field(v: Plain, key: string): Plain {
  return v !== null && typeof v === "object" && !Array.isArray(v) && key in v ? (v as Record<string, Plain>)[key] : undefined;
}

/**
 * values[0] is a value made by one operation; then, for each input i, the same
 * operation with input i's data moved by +h and by −h. Its local[i] must be the
 * slope (data(+h) − data(−h)) / 2h.
 */
function localSlopes(h: PublicParam, inputs: PublicParam): (values: Plain[]) => Failure | null {
  const step = Number(h);
  return ([made, ...moved]) => {
    const local = field(made, "local");
    if (!Array.isArray(local) || local.length !== Number(inputs)) {
      return { expected: `local: a list of ${Number(inputs)} number${Number(inputs) === 1 ? "" : "s"} (one per input)`, actual: `local = ${show(local)}`, why: "a value keeps one local derivative per input, in the order of its inputs" };
    }
    for (let i = 0; i < local.length; i++) {
      const up = field(moved[2 * i], "data");
      const down = field(moved[2 * i + 1], "data");
      if (typeof up !== "number" || typeof down !== "number") return { expected: "data: a number", actual: `data = ${show(up)}` };
      const slope = (up - down) / (2 * step);
      const li = local[i];
      if (typeof li !== "number" || !closeEnough(li, slope, SLOPE_TOLERANCE)) {
        return { expected: `local[${i}] ≈ ${show(slope)} (nudging input ${i} by ±${step} moves data by that much per unit)`, actual: `local[${i}] = ${show(li)}`, why: `local[${i}] is how fast the value's data moves when input ${i}'s data moves, the others held still` };
      }
    }
    return null;
  };
}

/**
 * Labels of topo-order's mistakes that the judge below can prove from one answer, stated
 * as the failure's cause. FIRST_ONLY is also a declared mutant of the spec (its label and
 * hint); LEAVES_NEVER_LISTED is not: declared, it would also be named for code that returns
 * [] whatever the graph, since both give [] for a lone leaf and fail every check, which is
 * all the behaviour detectors compare (explain.ts, TWIN_DETECTORS).
 */
export const FIRST_ONLY = "only the first input of each value is followed";
export const LEAVES_NEVER_LISTED = "values with no inputs (the leaves) are never listed: only values made by an operation are pushed";

/** Up to four ids, then how many more. */
function some(ids: string[]): string {
  return ids.length <= 4 ? ids.join(", ") : `${ids.slice(0, 4).join(", ")} and ${ids.length - 4} more`;
}

const ORDINALS = ["first", "second", "third"];

/**
 * Why values are missing from an order, from what the answer shows. A mistake is stated
 * as the cause only when the answer is exactly what that mistake gives: the chain of first
 * inputs from the root, or every value but the leaves. Otherwise the why says which values
 * are missing and where they sit in the graph: the root; an input of a value that is
 * listed (and, with `data` by id, a listed value holding the same number, since equal
 * data does not make two values one).
 */
function whyMissing(all: string[], inputs: string[][], listed: string[], missing: string[], data?: number[]): { why: string; cause?: string; fits?: string } {
  const index = new Map(all.map((id, i) => [id, i] as const));
  const isInput = new Set(inputs.flat());
  const root = all.find((id) => !isInput.has(id)) ?? all[all.length - 1];
  // The chain of first inputs from the root, inputs first: what following only first inputs lists.
  const chain: string[] = [];
  for (let v: string | undefined = root; v !== undefined; v = inputs[index.get(v)!][0]) chain.unshift(v);
  if (listed.length === chain.length && listed.every((id, i) => id === chain[i])) {
    return { why: `it is exactly the chain of first inputs from the root (${some(chain.slice().reverse())}): follow every input of every value, not only the first`, cause: FIRST_ONLY };
  }
  const leaves = all.filter((id) => inputs[index.get(id)!].length === 0);
  if (missing.length === leaves.length && missing.every((id) => leaves.includes(id))) {
    // A graph that is one leaf says nothing of other leaves: [] there is also what code that
    // returns early for a root without inputs gives, and that code lists every other leaf.
    if (leaves.includes(root)) return { why: `nothing is listed, not even ${root}, the root and a leaf (a value with no inputs): the value topoOrder is given is listed, even when it has no inputs`, fits: LEAVES_NEVER_LISTED };
    return { why: `no value without inputs is listed (${some(leaves)}): a leaf is pushed too, as soon as it is visited, since it has no inputs to wait for`, cause: LEAVES_NEVER_LISTED };
  }
  if (listed.length === 0) return { why: "nothing is listed: every value the root was made from is listed, each after its inputs, and the root last" };
  if (missing.includes(root)) {
    const others = missing.filter((id) => id !== root);
    return { why: `the root ${root}, the value topoOrder is given, is not listed${others.length ? `, nor ${some(others)}` : ""}: it comes last, after everything it was made from` };
  }
  const dataOf = (id: string) => (data && data.length === all.length && index.has(id) ? data[index.get(id)!] : undefined);
  for (const m of missing) {
    const user = listed.find((u) => index.has(u) && inputs[index.get(u)!].includes(m));
    if (user === undefined) continue;
    const i = inputs[index.get(user)!].indexOf(m);
    const d = dataOf(m);
    const twin = d === undefined ? undefined : listed.find((l) => dataOf(l) === d);
    const rest = missing.filter((id) => id !== m);
    return {
      why:
        `${m} is missing though it is the ${ORDINALS[i] ?? `number ${i + 1}`} input of ${user}, which is listed` +
        (twin !== undefined ? ` (its data, ${d}, is that of ${twin}, which is listed: equal data does not make two values one, their ids tell them apart)` : "") +
        (rest.length ? `; ${some(rest)} ${rest.length === 1 ? "is" : "are"} missing too` : "") +
        ": every input of a listed value is listed too, before it",
    };
  }
  return { why: "every value the root was made from, through any input, is listed once" };
}

/**
 * The answer lists every id of the graph exactly once, each after all of its inputs.
 * `data`, by id as `ids`, is evidence for saying why values are missing (absent in
 * learner editions built before it was published).
 */
function topological(ids: PublicParam, inputsOf: PublicParam, data?: PublicParam): (values: Plain[]) => Failure | null {
  const all = (ids as string[]).slice();
  const inputs = inputsOf as string[][];
  return ([order]) => {
    if (!Array.isArray(order)) return { expected: "a list of values", actual: show(order) };
    const listed = order.map((v) => field(v, "id"));
    const at = new Map<string, number>();
    for (let i = 0; i < listed.length; i++) {
      const id = listed[i];
      if (typeof id !== "string") return { expected: "values, each with its id", actual: `item ${i}: ${show(order[i])}` };
      if (at.has(id)) return { expected: `${id} once`, actual: `${id} at positions ${at.get(id)} and ${i}`, why: "a value reached along two paths is still one value: remember the ids you have visited and skip them the second time" };
      at.set(id, i);
    }
    const missing = all.filter((id) => !at.has(id));
    if (missing.length) {
      const { why, cause, fits } = whyMissing(all, inputs, listed as string[], missing, data as number[] | undefined);
      return { expected: all.length === 1 ? "the graph's one value" : `all ${all.length} values of the graph`, actual: `${listed.length} value${listed.length === 1 ? "" : "s"}: ${some(missing)} ${missing.length === 1 ? "is" : "are"} missing`, why, ...(cause ? { cause } : {}), ...(fits ? { fits } : {}) };
    }
    const extra = listed.find((id) => !all.includes(id as string));
    if (extra !== undefined) return { expected: "only the values of the graph", actual: `${show(extra)} is not in it` };
    // The graph's own values, not others with the same ids: an order kept from an earlier call
    // (a memo keyed by the root's id) lists the earlier graph's values, whose data differ.
    const want = data as number[] | undefined;
    if (Array.isArray(want) && want.length === all.length) {
      for (let v = 0; v < all.length; v++) {
        const got = field(order[at.get(all[v])!], "data");
        if (typeof got === "number" && typeof want[v] === "number" && !Object.is(got, want[v]) && !(Number.isNaN(got) && Number.isNaN(want[v]))) {
          return {
            expected: `this graph's own values: ${all[v]} has data ${show(want[v])}`,
            actual: `the value listed as ${all[v]} has data ${show(got)}`,
            why: "the list holds values of another graph with the same ids: an order kept from an earlier call (a memo keyed by the root's id) lists that graph's values; build the order from the root you are given",
            cause: "lists the values of an earlier graph with the same ids: the order is kept from an earlier call (by the root's id), not built from the root given",
          };
        }
      }
    }
    for (let v = 0; v < all.length; v++) {
      for (const u of inputs[v]) {
        if (at.get(u)! > at.get(all[v])!) {
          return { expected: `${u} before ${all[v]} (it is one of its inputs)`, actual: `${all[v]} at position ${at.get(all[v])}, ${u} at ${at.get(u)}`, why: "a value may be listed only once everything it was made from is listed: visit the inputs first, then push the value" };
        }
      }
    }
    return null;
  };
}

/** The answer's number under each key of `slopes` equals that centred difference. */
function slopes(expected: PublicParam, what: PublicParam): (values: Plain[]) => Failure | null {
  const want = expected as Record<string, number>;
  return ([answer]) => {
    for (const [key, slope] of Object.entries(want)) {
      const got = field(answer, key);
      if (typeof got !== "number" || !closeEnough(got, slope, SLOPE_TOLERANCE)) {
        return { expected: `${key} ≈ ${show(slope)} (centred difference: ${String(what)} ${key} moved by ±1e-6)`, actual: `${key} = ${show(got)}`, why: `the gradient at ${key} does not match how the cost really moves when ${key} is nudged` };
      }
    }
    return null;
  };
}

/** The answer's keys are ids of the graph's values, and nothing else (a key "root" beside the root's own id is a stray entry). */
function onlyIds(ids: PublicParam): (values: Plain[]) => Failure | null {
  const known = new Set(ids as string[]);
  return ([answer]) => {
    if (answer === null || typeof answer !== "object" || Array.isArray(answer)) return null;
    const extra = Object.keys(answer).filter((k) => !known.has(k));
    if (extra.length === 0) return null;
    return {
      expected: `keys that are the graph's ids only: ${(ids as string[]).map((id) => JSON.stringify(id)).join(", ")}`,
      actual: `also ${extra.map((k) => JSON.stringify(k)).join(", ")}`,
      why: "the table holds a key that is no value's id: each entry must be a value of the graph under its id (a leaf may well be called \"root\")",
    };
  };
}

export const GRAPH_JUDGES: Record<"local-slopes" | "topological" | "slopes" | "only-ids", (...params: PublicParam[]) => (values: Plain[]) => Failure | null> = {
  "local-slopes": localSlopes,
  topological,
  slopes,
  "only-ids": onlyIds,
};

// Checked against the PublicJudge signature once, here.
const _typed: Record<string, PublicJudge> = GRAPH_JUDGES;
void _typed;
