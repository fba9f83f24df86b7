// The harness is installed inside every sandbox before learner code runs. It is
// injected as source (installHarness.toString()), so it must be self-contained:
// no imports, no helpers from outside this function. It keeps its own copies of
// the built-ins it needs, so a learner who overwrites JSON.stringify or
// Array.prototype.push breaks only their own answers, never the harness.
// The in-notebook check() runs the same encoder in the kernel's realm.

/* eslint-disable */
export function installHarness(g: any): void {
  // Strict: a learner function called by the harness sees null as its .caller.
  "use strict";
  const JSONparse = JSON.parse;
  const JSONstringify = JSON.stringify;
  const isArray: (x: unknown) => boolean = Array.isArray;
  const isView: (x: unknown) => boolean = ArrayBuffer.isView;
  const keys = Object.keys;
  const create = Object.create;
  const getProto = Object.getPrototypeOf;
  const getOwn = Object.getOwnPropertyDescriptor;
  const ownNames = Object.getOwnPropertyNames;
  const fnToString = Function.prototype.toString;
  const strIndexOf = String.prototype.indexOf;
  const arrayIndexOf = Array.prototype.indexOf;
  /** A built-in's function (Map.prototype's size getter), not one a cell wrote. */
  const isNative = (f: any): boolean => {
    try {
      return apply(strIndexOf, apply(fnToString, f, []), ["[native code]"]) >= 0;
    } catch (e) {
      return true;
    }
  };
  const ObjectProto = Object.prototype;
  const defineProperty = Object.defineProperty;
  const toStr = String;
  const objectIs = Object.is;
  const MakeFunction = Function;
  const ErrorCtor = Error;
  const apply = Reflect.apply;
  class NotDoneYet extends ErrorCtor {
    constructor(message: string) {
      super(message);
      this.name = "NotDoneYet";
    }
  }
  const WeakMapCtor = WeakMap;
  const weakGet = WeakMap.prototype.get;
  const weakSet = WeakMap.prototype.set;
  const strSlice = String.prototype.slice;
  const arrayJoin = Array.prototype.join;
  const MAX_ITEMS = 1_000_000;
  const MAX_DEPTH = 12;
  const MAX_STRING = 2_000;
  // A stack is only read for the cell's line number; a message is shown to the learner.
  const MAX_STACK = 4_000;
  // All answers of one exercise together: beyond this they are cut, so a learner cannot
  // flood the grader with data (the largest honest answer, a 784-16-16-10 network, is ~0.3 MB).
  const MAX_ANSWERS_CHARS = 16_000_000;

  function cut(s: string, max: number): string {
    return s.length > max ? apply(strSlice, s, [0, max]) + "… (cut: " + (s.length - max) + " more characters)" : s;
  }

  /**
   * JSON text of a tree the harness built itself (plain objects, arrays, primitives).
   * Never JSON.stringify on objects: it would call a toJSON the learner put on
   * Object.prototype or Array.prototype.
   */
  function ser(x: any): string {
    const t = typeof x;
    if (t === "string" || t === "number" || t === "boolean") return JSONstringify(x);
    if (x === null || t !== "object") return "null";
    if (isArray(x)) {
      // A vector of finite numbers (most answers, and every argument checked for changes) in one
      // builtin call: join writes a finite number as JSON does (ToString never asks the learner).
      let numbers = true;
      for (let i = 0; i < x.length && numbers; i++) {
        const v = x[i];
        numbers = typeof v === "number" && v - v === 0;
      }
      if (numbers) return "[" + apply(arrayJoin, x, [","]) + "]";
      let out = "[";
      for (let i = 0; i < x.length; i++) out += (i ? "," : "") + ser(x[i]);
      return out + "]";
    }
    const ks = keys(x);
    let out = "{";
    let first = true;
    for (let i = 0; i < ks.length; i++) {
      const v = x[ks[i]];
      if (v === undefined) continue;
      out += (first ? "" : ",") + JSONstringify(ks[i]) + ":" + ser(v);
      first = false;
    }
    return out + "}";
  }

  function ctorName(v: any): string {
    try {
      const p = getProto(v);
      const c = p && p.constructor;
      return c && typeof c.name === "string" ? c.name : "";
    } catch (e) {
      return "";
    }
  }

  function encode(v: any, depth: number, seen: any[], budget: { left: number; shared?: string; hole?: string }, path: string): any {
    const t = typeof v;
    if (t === "number") {
      if (v !== v) return { n: "NaN" };
      if (v === Infinity) return { n: "Infinity" };
      if (v === -Infinity) return { n: "-Infinity" };
      if (objectIs(v, -0)) return { n: "-0" };
      return { n: v };
    }
    if (t === "string") return { s: cut(v, MAX_STRING) };
    if (t === "boolean") return { b: v };
    if (t === "undefined") return { u: 1 };
    if (t === "bigint") return { big: toStr(v) };
    if (t === "symbol") return { sym: toStr(v.description) };
    if (t === "function") return { f: typeof v.name === "string" && v.name ? v.name : "(anonymous)" };
    if (v === null) return { z: 1 };
    if (depth > MAX_DEPTH) return { cut: "nested too deeply" };
    for (let i = 0; i < seen.length; i++) if (seen[i] === v) return { cut: "a cycle (an object that contains itself)" };
    seen[seen.length] = v;
    try {
      // mathjs matrices are accepted wherever an array is expected.
      if ((v.isMatrix === true || v.type === "DenseMatrix") && typeof v.toArray === "function") {
        const inner = encode(v.toArray(), depth, seen, budget, path);
        if (inner.a || inner.na) inner.from = "mathjs Matrix";
        return inner;
      }
      if (isArray(v) || (isView(v) && typeof v.length === "number")) {
        const n = v.length;
        if (n > budget.left) return { cut: "too large (" + n + " items)" };
        budget.left -= n;
        // Arrays of ordinary numbers (most answers: vectors, matrix rows) travel as plain JSON arrays.
        let plain = true;
        for (let i = 0; i < n && plain; i++) {
          const x = v[i];
          plain = typeof x === "number" && x - x === 0 && (x !== 0 || 1 / x > 0);
        }
        if (plain) {
          const na: number[] = [];
          for (let i = 0; i < n; i++) na[i] = v[i];
          return isArray(v) ? { na } : { na, typed: ctorName(v) };
        }
        const a: any[] = [];
        for (let i = 0; i < n; i++) {
          // An empty slot (new Array(n) never written there) reads as undefined: where the first one
          // is, is what tells it from an undefined that was written (a callback that returned nothing).
          if (budget.hole === undefined && isArray(v) && !(i in v)) budget.hole = path + "[" + i + "]";
          a[i] = encode(v[i], depth + 1, seen, budget, path + "[" + i + "]");
        }
        // Two places holding one array (Array(n).fill([])): a write to one row is a write to all.
        // Only the first such pair is reported; long lists are not searched (quadratic). Arrays
        // only: one object in two places is a graph's shared node (the Value a, in a + a).
        if (budget.shared === undefined && n <= 512) {
          for (let i = 0; i < n && budget.shared === undefined; i++) {
            const x = v[i];
            if (x === null || typeof x !== "object" || !(isArray(x) || isView(x))) continue;
            for (let j = i + 1; j < n; j++) {
              if (v[j] === x) {
                budget.shared = path + "[" + i + "] and " + path + "[" + j + "]";
                break;
              }
            }
          }
        }
        const out: any = { a };
        if (!isArray(v)) out.typed = ctorName(v);
        return out;
      }
      const ks = keys(v);
      // Own fields that do not enumerate (Object.defineProperties makes them so by default) are
      // what r.dW reads: read them too, on plain objects and the learner's class instances (not a
      // built-in's own, an Error's stack).
      const proto = getProto(v);
      const ctor = proto === null ? undefined : getOwn(proto, "constructor");
      if (proto === null || proto === ObjectProto || (ctor && typeof ctor.value === "function" && !isNative(ctor.value))) {
        const names = ownNames(v);
        for (let i = 0; i < names.length && ks.length <= budget.left; i++) if (names[i] !== "__proto__" && apply(arrayIndexOf, ks, [names[i]]) < 0) ks[ks.length] = names[i];
      }
      // A class's getters are part of what its instances show (r.dW reads one): read them too,
      // after the own fields. Not the built-ins' (Map's size): those are not the learner's answer.
      for (let p = getProto(v); p !== null && p !== ObjectProto && ks.length <= budget.left; p = getProto(p)) {
        const names = ownNames(p);
        for (let i = 0; i < names.length; i++) {
          const d = getOwn(p, names[i]);
          if (d && typeof d.get === "function" && names[i] !== "__proto__" && !isNative(d.get) && apply(arrayIndexOf, ks, [names[i]]) < 0) ks[ks.length] = names[i];
        }
      }
      if (ks.length > budget.left) return { cut: "too large (" + ks.length + " keys)" };
      budget.left -= ks.length;
      const o: any = {};
      for (let i = 0; i < ks.length; i++) o[ks[i]] = encode(v[ks[i]], depth + 1, seen, budget, path + "." + ks[i]);
      const cls = ctorName(v);
      const out: any = { o };
      if (cls && cls !== "Object") out.cls = cls;
      return out;
    } finally {
      seen.length = seen.length - 1;
    }
  }

  const factories: Record<string, (...args: number[]) => any> = {};
  function decodeArg(t: any): any {
    if ("n" in t) {
      const n = t.n;
      return n === "NaN" ? NaN : n === "Infinity" ? Infinity : n === "-Infinity" ? -Infinity : n === "-0" ? -0 : n;
    }
    if ("fn" in t) {
      if (!isArray(t.with)) return MakeFunction("return (" + t.fn + ");")();
      // A factory (FnArg's make): compiled once per sandbox, called for each argument's own function.
      const make = factories[t.fn] || (factories[t.fn] = MakeFunction("return (" + t.fn + ");")());
      return apply(make, undefined, t.with);
    }
    if ("na" in t) {
      const a: number[] = [];
      for (let i = 0; i < t.na.length; i++) a[i] = t.na[i];
      return a;
    }
    if ("a" in t) {
      const a: any[] = [];
      for (let i = 0; i < t.a.length; i++) a[i] = decodeArg(t.a[i]);
      return a;
    }
    if ("o" in t) {
      const o: any = {};
      const ks = keys(t.o);
      for (let i = 0; i < ks.length; i++) o[ks[i]] = decodeArg(t.o[ks[i]]);
      return o;
    }
    return t.json;
  }

  /**
   * Records with one \`id\` made one object (the first met), as a notebook's graph holds them: x
   * in x·(x + y) is one value, used twice. The arguments are the grader's own, just decoded (as
   * deep as decodeArg went).
   */
  function linkById(v: any, byId: any): any {
    if (v === null || typeof v !== "object") return v;
    if (isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = linkById(v[i], byId);
      return v;
    }
    const id = v.id;
    if (typeof id === "string") {
      if (byId[id] !== undefined) return byId[id];
      byId[id] = v;
    }
    const ks = keys(v);
    for (let i = 0; i < ks.length; i++) v[ks[i]] = linkById(v[ks[i]], byId);
    return v;
  }

  /** Fresh arguments from their tagged forms (which the harness keeps to itself: no call can change them). */
  function decodeAll(tagged: any[]): any[] {
    const args: any[] = [];
    for (let i = 0; i < tagged.length; i++) args[i] = decodeArg(tagged[i]);
    return args;
  }

  const nameOf = (f: any): string => (typeof f.name === "string" && f.name ? f.name : "(anonymous)");
  /** What encode names a function argument made from this source: the same for every one of them. */
  const fnNames: Record<string, string> = {};

  /**
   * Is `v`, an argument after the call, still what `t` (its tagged form) decoded to? True only
   * where encode would give both the same text: the same kinds, lengths, keys in the same order,
   * numbers (Object.is), strings, function names. Anything else (a changed prototype, something
   * that looks like a mathjs matrix, a function argument renamed) answers false, and the caller
   * compares the two encodings as before. Watching the arguments this way reads them once, with
   * no encoding: two encodings a call were a third of a class's time in the sandbox.
   */
  function unchanged(v: any, t: any): boolean {
    if ("n" in t) return typeof v === "number" && objectIs(v, decodeArg(t));
    if ("na" in t || "a" in t) {
      const items = "na" in t ? t.na : t.a;
      if (!isArray(v) || v.length !== items.length || v.isMatrix === true || v.type === "DenseMatrix") return false;
      if ("na" in t) {
        for (let i = 0; i < items.length; i++) if (!objectIs(v[i], items[i])) return false;
      } else {
        for (let i = 0; i < items.length; i++) if (!unchanged(v[i], items[i])) return false;
      }
      return true;
    }
    if ("o" in t) {
      if (v === null || typeof v !== "object" || isArray(v) || getProto(v) !== ObjectProto || v.isMatrix === true || v.type === "DenseMatrix") return false;
      const ks = keys(v);
      const tks = keys(t.o);
      if (ks.length !== tks.length) return false;
      for (let i = 0; i < ks.length; i++) if (ks[i] !== tks[i] || !unchanged(v[ks[i]], t.o[ks[i]])) return false;
      return true;
    }
    if ("fn" in t) return typeof v === "function" && nameOf(v) === (fnNames[t.fn] || (fnNames[t.fn] = nameOf(decodeArg(t))));
    const j = t.json;
    return j === null || typeof j !== "object" ? objectIs(v, j) : false;
  }

  /**
   * Write the values of `t` (a tagged tree) into `target`, the object an earlier call's argument
   * was decoded to, where the two have the same shape: the same arrays and records, refilled.
   * Where they differ (or the earlier call changed the shape), a fresh value takes its place.
   */
  function refill(target: any, t: any): any {
    if ("na" in t || "a" in t) {
      const items = "na" in t ? t.na : t.a;
      if (!isArray(target) || target.length !== items.length) return decodeArg(t);
      for (let i = 0; i < items.length; i++) target[i] = "na" in t ? items[i] : refill(target[i], items[i]);
      return target;
    }
    if ("o" in t) {
      if (target === null || typeof target !== "object" || isArray(target) || getProto(target) !== ObjectProto) return decodeArg(t);
      const ks = keys(t.o);
      const have = keys(target);
      if (have.length !== ks.length) return decodeArg(t);
      for (let i = 0; i < ks.length; i++) if (have[i] !== ks[i]) return decodeArg(t);
      for (let i = 0; i < ks.length; i++) target[ks[i]] = refill(target[ks[i]], t.o[ks[i]]);
      return target;
    }
    return decodeArg(t);
  }

  function describeError(e: any): any {
    try {
      if (e !== null && (typeof e === "object" || typeof e === "function")) {
        const stack = e.stack;
        return {
          name: cut(toStr(e.name === undefined ? "Error" : e.name), 200),
          message: cut(toStr(e.message === undefined ? e : e.message), MAX_STRING),
          stack: typeof stack === "string" ? cut(stack, MAX_STACK) : "",
        };
      }
      return { name: "thrown value", message: cut(toStr(e), MAX_STRING), stack: "" };
    } catch (inner) {
      return { name: "Error", message: "(an error that could not be read)", stack: "" };
    }
  }

  function safeEncode(v: any, sharing?: { shared?: string; hole?: string }): any {
    const budget: { left: number; shared?: string; hole?: string } = { left: MAX_ITEMS };
    try {
      const out = encode(v, 0, [], budget, "");
      if (sharing && budget.shared !== undefined) sharing.shared = budget.shared;
      if (sharing && budget.hole !== undefined) sharing.hole = budget.hole;
      return out;
    } catch (e) {
      return { cut: "reading it threw " + describeError(e).message };
    }
  }

  // One getter per name, made once: Function-made functions see the global scope,
  // including the cell's top-level const/let, without compiling a script per probe.
  const getters: Record<string, () => any> = {};
  function getter(name: string): () => any {
    return getters[name] || (getters[name] = MakeFunction("return " + name + ";") as () => any);
  }

  /** Stop keeping console output (set up by the sandbox; read as an own data property, so no getter runs). */
  function muteConsole(): void {
    const d = getOwn(g, "__bpMute");
    if (d && typeof d.value === "function") d.value();
  }

  // Answers so far of the current batch, so a batch cut short by the deadline keeps them,
  // and the characters they hold (the cap is the batch's, over all its calls).
  let done: string[] = [];
  let size = 0;
  /**
   * The objects earlier calls of this batch answered with (each answer and its items or fields,
   * by identity), with the call's arguments and the answer's encoding then. A function that
   * returns one array kept outside itself answers every call with that array: the next call
   * overwrites the answer before, which each answer's own encoding cannot show. Weakly held: an
   * answer nothing else keeps is let go (only an object the learner's code keeps can come back).
   */
  let answered: WeakMap<any, { probe: number; argsJson: string; fn: string; path: string; encoded: any }> = new WeakMapCtor();

  /**
   * Is `value` (or one of its first items or fields) an object an earlier call with other
   * arguments answered with, whose answer has changed since? Then that call's answer was
   * overwritten by this one: { probe, path, earlierPath } says where. Every object checked is
   * remembered for the calls after.
   */
  function reusedAnswer(value: any, encoded: any, probe: number, argsJson: string, fn: string): any {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return undefined;
    const parts: any[] = [[value, encoded, ""]];
    try {
      if ((isArray(value) || isView(value)) && encoded && isArray(encoded.a)) {
        for (let i = 0; i < encoded.a.length && i < 64; i++) parts[parts.length] = [value[i], encoded.a[i], "[" + i + "]"];
      } else if (encoded && encoded.o && !isArray(value)) {
        const ks = keys(encoded.o);
        for (let i = 0; i < ks.length && i < 64; i++) parts[parts.length] = [value[ks[i]], encoded.o[ks[i]], "." + ks[i]];
      }
    } catch (e) {
      // A getter that throws now: the encoding already said what it could.
    }
    let found: any;
    for (let i = 0; i < parts.length; i++) {
      const x = parts[i][0];
      const enc = parts[i][1];
      const path = parts[i][2];
      if (x === null || typeof x !== "object") continue;
      const before = apply(weakGet, answered, [x]);
      if (found === undefined && before && before.fn === fn && before.argsJson !== argsJson && ser(before.encoded) !== ser(enc)) {
        found = { probe: before.probe, path: path, earlierPath: before.path };
      }
      apply(weakSet, answered, [x, { probe, argsJson, fn, path, encoded: enc }]);
    }
    return found;
  }

  /** The answer that stands for one past the batch's cap (made once, not per probe). */
  const tooLarge = ser({ ok: true, value: { cut: "too large (the answers of this exercise exceed " + MAX_ANSWERS_CHARS + " characters)" } });

  const api = {
    /**
     * Answer a batch of probes given as JSON [{name, argsJson?}] (a call when argsJson is
     * present, else a read), as one JSON array. One entry into the sandbox per exercise,
     * not per probe: each timed entry costs a watchdog thread.
     */
    dispatchAll(input: string, offset?: number): string {
      const probes = JSONparse(input);
      // A batch may come in two calls (the first probe alone, under its own deadline, then the
      // rest): a call with an offset goes on with the batch the call before began.
      const at = offset === done.length ? offset : 0;
      if (at === 0) {
        done = [];
        size = 0;
        answered = new WeakMapCtor();
      }
      for (let i = 0; i < probes.length; i++) {
        const p = probes[i];
        if (p.quiet === true) muteConsole();
        const get = getter(p.name);
        let answer = size > MAX_ANSWERS_CHARS ? tooLarge : p.argsJson !== undefined ? api.call(get, p.argsJson, p.watch, at + i, p.name, p.beforeJson, p.linkIds) : api.read(get);
        // The cap holds after each answer too: one answer of a million numbers is cut, not sent.
        if (size + answer.length > MAX_ANSWERS_CHARS) answer = tooLarge;
        size += answer.length;
        done[at + i] = answer;
      }
      return api.partial();
    },
    /** After a timeout: the answers completed before it. */
    partial(): string {
      let out = "[";
      for (let i = 0; i < done.length; i++) out += (i ? "," : "") + done[i];
      return out + "]";
    },
    /** Call the function `get` returns with JSON-tagged args; answer as a JSON string. */
    call(get: () => any, argsJson: string, watch?: boolean, probe?: number, fnName?: string, beforeJson?: string, linkIds?: boolean): string {
      let fn: any;
      try {
        fn = get();
      } catch (e) {
        return ser({ ok: false, error: describeError(e), missing: true });
      }
      if (typeof fn !== "function") {
        return ser({ ok: false, notFunction: safeEncode(fn) });
      }
      const tagged = JSONparse(argsJson);
      let args: any[];
      // A call on the objects of the call before (beforeJson), refilled with this call's numbers:
      // what a caller that updates its network in place and asks again does. The answer before is
      // read at once (it may be, or hold, one of those objects).
      let before: string | undefined;
      if (typeof beforeJson === "string") {
        const first = decodeAll(JSONparse(beforeJson));
        try {
          before = ser(safeEncode(fn.apply(undefined, first)));
        } catch (e) {
          return ser({ ok: false, error: describeError(e) });
        }
        try {
          args = [];
          for (let i = 0; i < tagged.length; i++) args[i] = i < first.length ? refill(first[i], tagged[i]) : decodeArg(tagged[i]);
        } catch (e) {
          // Objects the first call froze (or guarded with setters) cannot be refilled: fresh ones then.
          args = decodeAll(tagged);
        }
      } else args = decodeAll(tagged);
      if (linkIds === true) {
        const byId = create(null);
        for (let i = 0; i < args.length; i++) args[i] = linkById(args[i], byId);
      }
      let value: any;
      try {
        value = fn.apply(undefined, args);
      } catch (e) {
        return ser({ ok: false, error: describeError(e) });
      }
      // Changed arguments, only when asked: what they were is decoded again from the same tagged
      // tree, and encoded with what they are now only where unchanged() cannot tell.
      let same = true;
      try {
        if (watch === true) for (let i = 0; i < tagged.length && same; i++) same = unchanged(args[i], tagged[i]);
      } catch (e) {
        // A getter or proxy the function left in an argument threw: the encodings say what happened.
        same = false;
      }
      const argsAfter = same ? undefined : safeEncode(args);
      const mutated = !same && ser(argsAfter) !== ser(safeEncode(decodeAll(tagged)));
      const sharing: { shared?: string; hole?: string } = {};
      const encoded = safeEncode(value, sharing);
      // On refilled objects an answer may rightly be one of them: not an answer reused.
      const reused = probe === undefined || before !== undefined ? undefined : reusedAnswer(value, encoded, probe, argsJson, fnName || "");
      const sameAsBefore = before !== undefined && ser(encoded) === before ? true : undefined;
      return ser({ ok: true, value: encoded, mutated, argsAfter: mutated ? argsAfter : undefined, shared: sharing.shared, hole: sharing.hole, reused, sameAsBefore });
    },
    /** Read the learner's value `name` (a const or let). */
    read(get: () => any): string {
      let v: any;
      try {
        v = get();
      } catch (e) {
        return ser({ ok: false, error: describeError(e), missing: true });
      }
      return ser({ ok: true, value: safeEncode(v) });
    },
    encode: safeEncode,
    /** Harness-made trees as JSON, without ever calling a learner's toJSON. */
    serialize: ser,
    describeError,
    /** The stub's way of saying "not written yet"; the grader recognises the name. */
    todo(id: string): never {
      // A subclass, so the name is in place when the stack is captured: errors leave an
      // isolate as copies of what V8 recorded then.
      throw new NotDoneYet('not done yet: replace the todo("' + id + '") call with your code');
    },
  };
  Object.freeze(api);
  defineProperty(g, "__bp", { value: api, writable: false, configurable: false, enumerable: false });
}
