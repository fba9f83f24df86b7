// values.ts: what crosses between learner code and the checker. Arguments go in
// through encodeArg and the harness (the same one every sandbox installs), answers
// come back through decode; these tests send values the whole way round, so a
// tag read or written wrong shows as a value that came back different.
import { installHarness } from "../grader/engine/run/harness";
import { parseAnswer } from "../grader/engine/run/sandbox";
import { argForDisplay, argSource, decode, encodeArg, FnArg, FunctionValue, Unreadable, type Arg, type Plain, type Tagged } from "../grader/engine/judge/values";

interface Harness {
  call(get: () => unknown, argsJson: string, watch?: boolean): string;
  read(get: () => unknown): string;
}
const holder: { __bp?: Harness } = {};
installHarness(holder);
const harness = holder.__bp!;

/** Call `fn` on `args` as a sandbox would, and read its answer as the checker does. */
function roundTrip(fn: (...xs: unknown[]) => unknown, args: Arg[]) {
  const outcome = parseAnswer(harness.call(() => fn, JSON.stringify(args.map(encodeArg)), true), "f");
  if (outcome.status !== "ok") throw new Error(`harness said ${outcome.status}`);
  return outcome;
}

/** What a value reads as on the checker's side when learner code returns it. */
const valueOf = (v: unknown): Plain => {
  const o = parseAnswer(harness.read(() => v), "v");
  if (o.status !== "ok") throw new Error(`harness said ${o.status}`);
  return o.value;
};

describe("arguments reach learner code as they were written", () => {
  test.each<[string, Arg]>([
    ["a plain number", 0.25],
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["-Infinity", -Infinity],
    ["a string", "abc"],
    ["a boolean", false],
    ["null", null],
    ["a list of finite numbers", [1, -2.5, 3e-9]],
    ["a list holding NaN", [1, NaN]],
    ["a list holding -0", [1, -0]],
    ["a list holding Infinity", [Infinity, 2]],
    ["nested lists", [[1, 2], [3, [4]]]],
    ["a record", { weights: [[1]], biases: [[-0]], name: "net" }],
    ["an empty list", []],
    ["an empty record", {}],
  ])("%s", (_, arg) => {
    const seen: unknown[] = [];
    roundTrip((x) => seen.push(x), [arg]);
    expect(seen).toHaveLength(1);
    expect(Object.is(seen[0], arg) || JSON.stringify(seen[0], keepSpecial) === JSON.stringify(arg, keepSpecial)).toBe(true);
  });

  test("-0 arrives as -0, not 0 (a learner's Object.is or 1/x can tell)", () => {
    const seen: unknown[] = [];
    roundTrip((x, y) => seen.push(x, y), [-0, [-0]]);
    expect(Object.is(seen[0], -0)).toBe(true);
    expect(Object.is((seen[1] as number[])[0], -0)).toBe(true);
  });

  test("a function argument is created from its source inside the realm", () => {
    let got: unknown;
    roundTrip((f) => (got = (f as (x: number) => number)(3)), [new FnArg("(x) => x * x", "x => x²")]);
    expect(got).toBe(9);
  });

  test("the encoding: plain number lists travel as one array, everything else tagged", () => {
    expect(encodeArg([1, 2])).toEqual({ na: [1, 2] });
    expect(encodeArg([1, -0])).toEqual({ a: [{ n: 1 }, { n: "-0" }] });
    expect(encodeArg([1, NaN])).toEqual({ a: [{ n: 1 }, { n: "NaN" }] });
    expect(encodeArg([[1]])).toEqual({ a: [{ na: [1] }] });
    expect(encodeArg(-0)).toEqual({ n: "-0" });
    expect(encodeArg(0)).toEqual({ n: 0 });
    expect(encodeArg(null)).toEqual({ json: null });
    expect(encodeArg("s")).toEqual({ json: "s" });
    expect(encodeArg({ a: 1 })).toEqual({ o: { a: { n: 1 } } });
    expect(encodeArg(new FnArg("x => x", "id"))).toEqual({ fn: "x => x" });
  });
});

describe("answers reach the checker as learner code returned them", () => {
  test("numbers, special ones included", () => {
    expect(valueOf(0.5)).toBe(0.5);
    expect(valueOf(NaN)).toBeNaN();
    expect(valueOf(Infinity)).toBe(Infinity);
    expect(valueOf(-Infinity)).toBe(-Infinity);
    expect(Object.is(valueOf(-0), -0)).toBe(true);
    expect(Object.is(valueOf(0), 0)).toBe(true);
  });

  test("strings, booleans, undefined, null, bigints", () => {
    expect(valueOf("0.5")).toBe("0.5");
    expect(valueOf(true)).toBe(true);
    expect(valueOf(false)).toBe(false);
    expect(valueOf(undefined)).toBeUndefined();
    expect(valueOf(null)).toBeNull();
    expect(valueOf(12345678901234567890n)).toBe(12345678901234567890n);
  });

  test("a function is known by its name only", () => {
    const v = valueOf(function sigmoid() {});
    expect(v).toBeInstanceOf(FunctionValue);
    expect((v as FunctionValue).name).toBe("sigmoid");
  });

  test("a symbol is unreadable, and says which", () => {
    const v = valueOf(Symbol("s"));
    expect(v).toBeInstanceOf(Unreadable);
    expect((v as Unreadable).why).toBe("a symbol (s)");
  });

  test("lists, typed arrays, nested lists and records", () => {
    expect(valueOf([1, "a", null])).toEqual([1, "a", null]);
    expect(valueOf(new Float64Array([1, 2]))).toEqual([1, 2]);
    expect(valueOf([[1, 2], [3]])).toEqual([[1, 2], [3]]);
    expect(valueOf({ dW: [1], dB: { x: 2 } })).toEqual({ dW: [1], dB: { x: 2 } });
  });

  test("an instance of a class shows its fields and its class's getters (r.dW reads one), not a built-in's", () => {
    class Grads {
      constructor(private readonly delta: number) {}
      get dW(): number {
        return 2 * this.delta;
      }
      get dB(): number {
        return this.delta;
      }
    }
    class More extends Grads {
      get dAPrev(): number {
        return -1;
      }
    }
    expect(valueOf(new More(0.5))).toEqual({ delta: 0.5, dAPrev: -1, dW: 1, dB: 0.5 });
    // Map's size is a getter of a built-in: a Map shows as before, with no size field.
    expect(valueOf(new Map([[1, 2]]))).toEqual({});
  });

  test("own fields that do not enumerate (Object.defineProperties) are read, not a built-in's own (an Error's stack)", () => {
    const r = Object.defineProperties({}, { dW: { value: 1 }, dB: { get: () => 2 } });
    expect(valueOf(r)).toEqual({ dW: 1, dB: 2 });
    expect(valueOf(Object.defineProperty(Object.create(null), "x", { value: [3] }))).toEqual({ x: [3] });
    class Grads {
      constructor() {
        Object.defineProperty(this, "dW", { value: 4 });
      }
    }
    expect(valueOf(new Grads())).toEqual({ dW: 4 });
    expect(Object.keys(valueOf(new RangeError("m")) as object)).not.toContain("stack");
  });

  test("a cyclic answer is unreadable, with the reason", () => {
    const a: unknown[] = [];
    a.push(a);
    const v = valueOf(a) as Plain[];
    expect(v[0]).toBeInstanceOf(Unreadable);
    expect((v[0] as Unreadable).why).toBe("a cycle (an object that contains itself)");
  });

  test("decode reads each tag on its own", () => {
    const cases: [Tagged, Plain][] = [
      [{ n: 2 }, 2],
      [{ n: "NaN" }, NaN],
      [{ n: "Infinity" }, Infinity],
      [{ n: "-Infinity" }, -Infinity],
      [{ s: "x" }, "x"],
      [{ b: true }, true],
      [{ u: 1 }, undefined],
      [{ z: 1 }, null],
      [{ big: "7" }, 7n],
      [{ a: [{ n: 1 }, { s: "a" }] }, [1, "a"]],
      [{ na: [1, 2] }, [1, 2]],
      [{ o: { k: { b: false } } }, { k: false }],
    ];
    for (const [t, v] of cases) expect([t, decode(t)]).toEqual([t, v]);
    expect(Object.is(decode({ n: "-0" }), -0)).toBe(true);
    expect(decode({ f: "g" })).toEqual(new FunctionValue("g"));
    expect(decode({ cut: "too large" })).toEqual(new Unreadable("too large"));
    expect(decode({ sym: "Symbol()" })).toEqual(new Unreadable("a symbol (Symbol())"));
  });

  test("a learner's own field named __proto__ stays a field: it does not become the decoded object's prototype", () => {
    // JSON.parse('{"__proto__": {"weights": 1}}') in a cell makes such a field, and encode reads own keys.
    const v = decode(JSON.parse('{"o": {"__proto__": {"o": {"weights": {"n": 1}}}}}') as Tagged) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect((v as { weights?: unknown }).weights).toBeUndefined();
  });
});

describe("arguments in messages", () => {
  test("argForDisplay shows a function argument by its label, inside lists and records too", () => {
    const f = new FnArg("(x) => x ** 3", "x => x³");
    expect(argForDisplay(f)).toEqual(new FunctionValue("x => x³"));
    expect(argForDisplay([1, f])).toEqual([1, new FunctionValue("x => x³")]);
    expect(argForDisplay({ f, n: 2, s: "a", z: null })).toEqual({ f: new FunctionValue("x => x³"), n: 2, s: "a", z: null });
    expect(argForDisplay(null)).toBeNull();
  });

  test("argSource writes arguments as source a learner can paste, exactly", () => {
    expect(argSource(0.1)).toBe("0.1");
    expect(argSource(-0)).toBe("-0");
    expect(argSource(0)).toBe("0");
    expect(argSource(NaN)).toBe("NaN");
    expect(argSource(-Infinity)).toBe("-Infinity");
    expect(argSource("a\"b")).toBe('"a\\"b"');
    expect(argSource(null)).toBe("null");
    expect(argSource(true)).toBe("true");
    expect(argSource([1, [2, 3]])).toBe("[1, [2, 3]]");
    expect(argSource([])).toBe("[]");
    expect(argSource(new FnArg("(x) => x ** 3", "x => x³"))).toBe("(x) => x ** 3");
    expect(argSource({ weights: [1], biases: [2] })).toBe("{ weights: [1], biases: [2] }");
    // Keys that are not identifiers are quoted.
    expect(argSource({ "a-b": 1, _x$1: 2, "1a": 3 })).toBe('{ "a-b": 1, _x$1: 2, "1a": 3 }');
  });

  test("argSource output evaluates back to the same argument", () => {
    const args: Arg[] = [[0.1, -0, 1e-300], { w: [[1.5]], "b c": -2 }, "q", null];
    for (const a of args) {
      const back = new Function(`return (${argSource(a)});`)() as unknown;
      expect(JSON.stringify(back, keepSpecial)).toBe(JSON.stringify(a, keepSpecial));
    }
  });
});

/** JSON.stringify that keeps -0, NaN and infinities apart. */
function keepSpecial(_k: string, v: unknown): unknown {
  if (typeof v !== "number") return v;
  if (Object.is(v, -0)) return "-0";
  return Number.isFinite(v) ? v : String(v);
}
