// Values cross from learner code to the checker as tagged JSON, never as live
// objects: a live object from the sandbox could run learner code (getters,
// proxies) inside the checker, and a live object from the checker would hand
// learner code the checker's realm (arr.constructor.constructor -> Function).

/** A value as encoded by the harness (see harness.ts for the encoder). */
export type Tagged =
  | { n: number | "NaN" | "Infinity" | "-Infinity" | "-0" }
  | { s: string }
  | { b: boolean }
  | { u: 1 }
  | { z: 1 }
  | { f: string }
  | { big: string }
  | { sym: string }
  | { a: Tagged[]; typed?: string; from?: string }
  | { na: number[]; typed?: string; from?: string }
  | { o: Record<string, Tagged>; cls?: string }
  | { cut: string };

/** A learner's function, seen from outside: we know it exists and its name, nothing more. */
export class FunctionValue {
  constructor(readonly name: string) {}
}

/** Something we refused to copy (too big, cyclic, a symbol...). */
export class Unreadable {
  constructor(readonly why: string) {}
}

export type Plain =
  | number
  | string
  | boolean
  | undefined
  | null
  | bigint
  | FunctionValue
  | Unreadable
  | Plain[]
  | { [key: string]: Plain };

export function decode(t: Tagged): Plain {
  if ("n" in t) {
    const n = t.n;
    if (n === "NaN") return NaN;
    if (n === "Infinity") return Infinity;
    if (n === "-Infinity") return -Infinity;
    if (n === "-0") return -0;
    return n;
  }
  if ("s" in t) return t.s;
  if ("b" in t) return t.b;
  if ("u" in t) return undefined;
  if ("z" in t) return null;
  if ("f" in t) return new FunctionValue(t.f);
  if ("big" in t) return BigInt(t.big);
  if ("sym" in t) return new Unreadable(`a symbol (${t.sym})`);
  if ("a" in t) return t.a.map(decode);
  if ("na" in t) return t.na;
  if ("o" in t) {
    const out: { [key: string]: Plain } = {};
    for (const [k, v] of Object.entries(t.o)) {
      // A learner's own "__proto__" field is a field: assigned, it would set this object's prototype.
      if (k === "__proto__") Object.defineProperty(out, k, { value: decode(v), enumerable: true, writable: true, configurable: true });
      else out[k] = decode(v);
    }
    return out;
  }
  return new Unreadable(t.cut);
}

/** Arguments travel the other way as JSON with the same number tags, plus functions as source. */
export type ArgTagged =
  | { n: number | "NaN" | "Infinity" | "-Infinity" | "-0" }
  | { json: unknown }
  | { fn: string; with?: number[] }
  | { a: ArgTagged[] }
  | { na: number[] }
  | { o: Record<string, ArgTagged> };

/**
 * A function argument given to learner code, written as source so it is created inside the sandbox.
 * With `make`, `source` is a factory called with those numbers for each call's own function: the
 * sandbox compiles the source once, not once per call (600 calls of trainEpoch, each with an rng
 * of its own seed, spent most of their time compiling 600 different sources).
 */
export class FnArg {
  constructor(
    readonly source: string,
    readonly label: string,
    readonly make?: readonly number[],
  ) {}

  /** The argument as one JavaScript expression. */
  get expression(): string {
    return this.make ? `(${this.source})(${this.make.join(", ")})` : this.source;
  }
}

export type Arg = number | string | boolean | null | FnArg | Arg[] | { [key: string]: Arg };

export function encodeArg(v: Arg): ArgTagged {
  if (typeof v === "number") {
    if (Number.isNaN(v)) return { n: "NaN" };
    if (v === Infinity) return { n: "Infinity" };
    if (v === -Infinity) return { n: "-Infinity" };
    if (Object.is(v, -0)) return { n: "-0" };
    return { n: v };
  }
  if (v instanceof FnArg) return v.make ? { fn: v.source, with: [...v.make] } : { fn: v.source };
  if (Array.isArray(v)) {
    const plain = v.every((x) => typeof x === "number" && Number.isFinite(x) && !Object.is(x, -0));
    return plain ? { na: v as number[] } : { a: v.map(encodeArg) };
  }
  if (v !== null && typeof v === "object") {
    const o: Record<string, ArgTagged> = {};
    for (const [k, x] of Object.entries(v)) o[k] = encodeArg(x);
    return { o };
  }
  return { json: v };
}

/** How an argument reads in a failure message: `x => x ** 3` rather than a FnArg object. */
export function argForDisplay(v: Arg): Plain {
  if (v instanceof FnArg) return new FunctionValue(v.label);
  if (Array.isArray(v)) return v.map(argForDisplay);
  if (v !== null && typeof v === "object") {
    const o: { [key: string]: Plain } = {};
    for (const [k, x] of Object.entries(v)) o[k] = argForDisplay(x);
    return o;
  }
  return v;
}

/** An argument as JavaScript source a learner can paste into a cell: exact numbers, functions as written. */
export function argSource(v: Arg): string {
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (v instanceof FnArg) return v.expression;
  if (Array.isArray(v)) return `[${v.map(argSource).join(", ")}]`;
  if (v !== null && typeof v === "object") return `{ ${Object.entries(v).map(([k, x]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${argSource(x)}`).join(", ")} }`;
  return JSON.stringify(v);
}
