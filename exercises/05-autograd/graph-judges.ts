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

/** The answer lists every id of the graph exactly once, each after all of its inputs. */
function topological(ids: PublicParam, inputsOf: PublicParam): (values: Plain[]) => Failure | null {
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
    if (missing.length) return { expected: `all ${all.length} values of the graph`, actual: `${listed.length} values: ${missing[0]} is missing`, why: "follow every input of every value, not only the first" };
    const extra = listed.find((id) => !all.includes(id as string));
    if (extra !== undefined) return { expected: "only the values of the graph", actual: `${show(extra)} is not in it` };
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

export const GRAPH_JUDGES: Record<"local-slopes" | "topological" | "slopes", (...params: PublicParam[]) => (values: Plain[]) => Failure | null> = {
  "local-slopes": localSlopes,
  topological,
  slopes,
};

// Checked against the PublicJudge signature once, here.
const _typed: Record<string, PublicJudge> = GRAPH_JUDGES;
void _typed;
