// gradcheck.ts as a spec would use it, on a small sigmoid network written here:
// right gradients pass; a wrong one is named (parameter, numeric and analytic
// value, per-layer table from the output down); gradients estimated by finite
// differences are told from backprop, and from backprop in single precision.
import { FINITE_DIFFERENCES, centredDifference, gradientAgrees, gradientCheck, publishedGradientCase, relativeError, slopeCheck, type GradientSpec } from "../grader/engine/judge/gradcheck";
import type { PublicCheck } from "../grader/engine/course/public-check";
import { makeRng } from "../grader/engine/course/rng";
import { SAME_OBJECTS_LABEL, type Answer, type Case, type Failure } from "../grader/engine/course/spec";
import type { Probe } from "../grader/engine/judge/outcome";
import type { Arg, Plain } from "../grader/engine/judge/values";

type Net = { weights: number[][][]; biases: number[][] };
const sigma = (z: number) => 1 / (1 + Math.exp(-z));

function forward(net: Net, x: number[]): { as: number[][]; zs: number[][] } {
  const as = [x];
  const zs: number[][] = [];
  net.weights.forEach((W, l) => {
    const z = W.map((row, j) => row.reduce((s, w, k) => s + w * as[l][k], net.biases[l][j]));
    zs.push(z);
    as.push(z.map(sigma));
  });
  return { as, zs };
}

const cost = (net: Net, x: number[], y: number[]) => forward(net, x).as.at(-1)!.reduce((s, a, j) => s + (a - y[j]) ** 2, 0);

/** Backprop, exact; `round` is applied to each δ (Math.fround: single precision). */
function backprop(net: Net, x: number[], y: number[], round: (v: number) => number = (v) => v): Net {
  const { as, zs } = forward(net, x);
  const L = net.weights.length;
  const dW: number[][][] = [];
  const dB: number[][] = [];
  let delta = as[L].map((a, j) => round(2 * (a - y[j]) * sigma(zs[L - 1][j]) * (1 - sigma(zs[L - 1][j]))));
  for (let l = L - 1; l >= 0; l--) {
    dB[l] = delta;
    dW[l] = delta.map((d) => as[l].map((a) => d * a));
    if (l > 0) {
      const below = as[l].map((_, k) => net.weights[l].reduce((s, row, j) => s + row[k] * delta[j], 0));
      delta = below.map((v, k) => round(v * sigma(zs[l - 1][k]) * (1 - sigma(zs[l - 1][k]))));
    }
  }
  return { weights: dW, biases: dB };
}

/** Gradients estimated by nudging each parameter: close to backprop's, exact nowhere. */
function finiteDifferences(net: Net, x: number[], y: number[]): Net {
  const h = 1e-5;
  const nudge = (pick: (n: Net) => number[], i: number) => {
    const at = (d: number) => {
      const copy = structuredClone(net);
      pick(copy)[i] += d;
      return cost(copy, x, y);
    };
    return (at(h) - at(-h)) / (2 * h);
  };
  return {
    weights: net.weights.map((W, l) => W.map((row, j) => row.map((_, k) => nudge((n) => n.weights[l][j], k)))),
    biases: net.biases.map((b, l) => b.map((_, j) => nudge((n) => n.biases[l], j))),
  };
}

const rand = (rng: () => number) => rng() * 2 - 1;
/** A 2-3-2 network, an input and a target. */
const netArgs = (rng: () => number): Arg[] => [
  { weights: [Array.from({ length: 3 }, () => [rand(rng), rand(rng)]), Array.from({ length: 2 }, () => [rand(rng), rand(rng), rand(rng)])], biases: [[rand(rng), rand(rng), rand(rng)], [rand(rng), rand(rng)]] },
  [rand(rng), rand(rng)],
  [rng(), rng()],
];

const netSpec: GradientSpec = {
  fn: "backprop",
  args: netArgs,
  count: 4,
  hidden: 1,
  layered: true,
  fields: [
    { field: "weights", arg: 0, argKey: "weights", param: "weights" },
    { field: "biases", arg: 0, argKey: "biases", param: "biases" },
  ],
  cost: ([net, x, y]) => cost(net as Net, x as number[], y as number[]),
  describeArgs: () => "a 2-3-2 network",
};

const cases = gradientCheck(netSpec).expand(makeRng(3));
const argsOf = (c: Case) => (c.probes[0] as { args: Arg[] }).args as [Net, number[], number[]];
const answer = (value: unknown): Answer => ({ value: value as Plain, mutated: false });
/** The largest exact gradient of a case. */
const largestOf = (c: Case): number => {
  const g = backprop(...argsOf(c));
  return Math.max(...[...g.weights.flat(2), ...g.biases.flat()].map(Math.abs));
};
/** Judge `c` on the learner's gradients, with the exact ones as the reference. */
const judged = (c: Case, learner: (net: Net, x: number[], y: number[]) => unknown): Failure | null => {
  const [net, x, y] = argsOf(c);
  return c.judge([answer(learner(net, x, y))], [answer(backprop(net, x, y))]);
};

describe("gradientCheck: the cases", () => {
  test("count cases, the last `hidden` of them hidden, each one call of fn with its drawn arguments; before the hidden ones, calls that repeat a visible one's arguments but one", () => {
    const drawn = cases.filter((c) => !c.label.startsWith("another ") && !c.label.startsWith(SAME_OBJECTS_LABEL));
    expect(drawn.map((c) => c.hidden)).toEqual([false, false, false, true]);
    for (const c of cases) {
      expect(c.probes).toHaveLength(1);
      expect(c.probes[0]).toMatchObject({ kind: "call", fn: "backprop" });
      expect(c.label).toMatch(/^(another (first|second|third) argument, the rest as in an earlier check: |another `(weights|biases)` in the first argument, the rest as in an earlier check: |on the arrays of a call just before it, changed in place: )?gradient check of backprop\(a 2-3-2 network\)$/);
      expect(c.usesReference).toBe(true);
    }
    expect(argsOf(cases[0])).toEqual(netArgs(makeRng(3)));
    // Each repeats a visible drawn call's arguments but one, which another visible call gave.
    const again = cases.filter((c) => /^another (first|second|third) argument/.test(c.label));
    expect(again.length).toBeGreaterThan(0);
    expect(cases[cases.length - 1].hidden).toBe(true);
    const visible = drawn.filter((c) => !c.hidden).map(argsOf);
    for (const c of again) {
      const args = argsOf(c);
      const k = ["first", "second", "third"].indexOf(/^another (\w+)/.exec(c.label)![1]);
      expect(visible.some((v) => v.every((a, i) => i === k || JSON.stringify(a) === JSON.stringify(args[i])))).toBe(true);
      expect(visible.some((v) => JSON.stringify(v[k]) === JSON.stringify(args[k]))).toBe(true);
      expect(c.hidden).toBeFalsy();
    }
    // And calls that repeat one but a field of the network, which another visible call of that shape gave.
    const parts = cases.filter((c) => /^another `(weights|biases)`/.test(c.label));
    expect(parts.map((c) => /`(\w+)`/.exec(c.label)![1])).toEqual(["weights", "biases"]);
    for (const c of parts) {
      const f = /`(\w+)`/.exec(c.label)![1] as "weights" | "biases";
      const [net, ...rest] = argsOf(c) as [{ weights: unknown; biases: unknown }, ...unknown[]];
      const other = f === "weights" ? "biases" : "weights";
      expect(visible.some((v) => JSON.stringify([(v[0] as typeof net)[other], ...v.slice(1)]) === JSON.stringify([net[other], ...rest]))).toBe(true);
      expect(visible.some((v) => JSON.stringify((v[0] as typeof net)[f]) === JSON.stringify(net[f]))).toBe(true);
      expect(c.hidden).toBeFalsy();
    }
    // One call on the objects of a visible call made just before, refilled with another visible
    // call's numbers; then each of net, x and y (all three alike in shape) changed alone, the
    // other two refilled with the numbers they had.
    const refilled = cases.filter((c) => c.label.startsWith(SAME_OBJECTS_LABEL));
    expect(refilled).toHaveLength(4);
    const [probe, ...alone] = refilled.map((c) => c.probes[0] as Extract<Probe, { kind: "call" }>);
    expect(visible.map((v) => JSON.stringify(v))).toContain(JSON.stringify(probe.sameObjectsAs));
    expect(visible.map((v) => JSON.stringify(v))).toContain(JSON.stringify(probe.args));
    expect(JSON.stringify(probe.args)).not.toBe(JSON.stringify(probe.sameObjectsAs));
    alone.forEach((p, k) => {
      expect(JSON.stringify(p.sameObjectsAs)).toBe(JSON.stringify(probe.sameObjectsAs));
      expect(p.args.map((a, n) => JSON.stringify(a) === JSON.stringify((n === k ? probe.args : probe.sameObjectsAs!)[n]))).toEqual([true, true, true]);
    });
    const noHidden = gradientCheck({ ...netSpec, hidden: undefined }).expand(makeRng(3));
    expect(noHidden.every((c) => !c.hidden)).toBe(true);
  });

  test("without describeArgs the label shows the arguments", () => {
    const [c] = gradientCheck({ ...netSpec, count: 1, describeArgs: undefined, args: () => [{ weights: [[[1]]], biases: [[0]] }, [1], [0]] }).expand(makeRng(1));
    expect(c.label).toBe("gradient check of backprop({ weights: [[[…]]], biases: [[0]] }, [1], [0])");
  });
});

describe("gradientCheck: the verdict", () => {
  test("backprop's gradients pass", () => {
    for (const c of cases) expect(judged(c, backprop)).toBeNull();
  });

  test("a field missing from the result", () => {
    expect(judged(cases[0], (net, x, y) => ({ weights: backprop(net, x, y).weights }))).toEqual({
      expected: "a result with a `biases` field",
      actual: expect.stringMatching(/^\{ weights: /),
      why: "the result has no `biases`: return { weights, biases }",
    });
    expect(judged(cases[0], () => 7)).toMatchObject({ expected: "a result with a `weights` field", actual: "7" });
    expect(judged(cases[0], () => null)).toMatchObject({ expected: "a result with a `weights` field", actual: "null" });
  });

  test("a gradient of the wrong shape, before any value", () => {
    const f = judged(cases[0], (net, x, y) => {
      const g = backprop(net, x, y);
      return { weights: g.weights, biases: [g.biases[0].slice(1), g.biases[1]] };
    });
    expect(f).toEqual({
      expected: "biases[0]: 3 items",
      actual: "biases[0]: 2 items",
      why: "the shape is wrong: expected 3 numbers, got 2 numbers; the gradient has one number per parameter, in the shape of biases",
    });
  });

  test("a wrong gradient names its parameter, numeric and analytic values, the layer table, and the ratios", () => {
    // σ′ forgotten in the hidden layer: the output layer is right, the hidden one wrong.
    const noHiddenPrime = (net: Net, x: number[], y: number[]) => {
      const g = backprop(net, x, y);
      const { zs } = forward(net, x);
      const prime = (z: number) => sigma(z) * (1 - sigma(z));
      return { weights: [g.weights[0].map((row, j) => row.map((w) => w / prime(zs[0][j]))), g.weights[1]], biases: [g.biases[0].map((b, j) => b / prime(zs[0][j])), g.biases[1]] };
    };
    const c = cases[0];
    const f = judged(c, noHiddenPrime)!;
    const [net, x, y] = argsOf(c);
    const wrong = noHiddenPrime(net, x, y).weights[0][0][0];
    const numeric = centredDifference((v) => cost({ ...net, weights: [[[v, net.weights[0][0][1]], ...net.weights[0].slice(1)], net.weights[1]] }, x, y), net.weights[0][0][0])!;
    expect(f.why).toBe("the gradient with respect to weights[0][0][0] is wrong");
    expect(f.expected).toBe(`weights[0][0][0] ≈ ${Number(numeric.toPrecision(10))}${Number(numeric.toPrecision(10)) === numeric ? "" : "…"} (numeric, centred difference)`);
    expect(f.actual).toBe(`weights[0][0][0] = ${Number(wrong.toPrecision(10))}… (analytic), relative error ${relativeError(wrong, numeric).toExponential(1)}`);
    expect(f.detail).toEqual(["layer 2 (output): weights ✓  biases ✓", "layer 1: weights ✗  biases ✗", "first wrong layer counting from the output: layer 1 (weights[0], biases[0])"]);
    // One ratio per wrong parameter (6 weights, 3 biases), each learner/reference.
    expect(f.ratios).toHaveLength(9);
    expect(f.ratios![0]).toBeCloseTo(wrong / backprop(net, x, y).weights[0][0][0], 12);
    expect(f.cause).toBeUndefined();
  });

  test("the first wrong layer is counted from the output", () => {
    const bothWrong = (net: Net, x: number[], y: number[]) => {
      const g = backprop(net, x, y);
      return { weights: g.weights.map((W) => W.map((row) => row.map((w) => -w))), biases: g.biases };
    };
    const f = judged(cases[1], bothWrong)!;
    expect(f.why).toMatch(/^the gradient with respect to weights\[1\]/);
    expect(f.detail).toEqual(["layer 2 (output): weights ✗  biases ✓", "layer 1: weights ✗  biases ✓", "first wrong layer counting from the output: layer 2 (weights[1], biases[1])"]);
    expect(f.ratios!.every((r) => Math.abs(r + 1) < 1e-9)).toBe(true);
  });

  test("a gradient that is no number says so, and gives no ratios", () => {
    const f = judged(cases[0], (net, x, y) => {
      const g = backprop(net, x, y);
      const weights = structuredClone(g.weights) as unknown as Plain[][][];
      weights[1][1][2] = "0.1";
      return { weights, biases: g.biases };
    })!;
    expect(f.actual).toBe('weights[1][1][2] = "0.1": should be a number');
    expect(f.ratios).toBeUndefined();
  });

  test("NaN is a wrong gradient, and no ratio", () => {
    const f = judged(cases[0], (net, x, y) => {
      const g = backprop(net, x, y);
      g.biases[0][1] = NaN;
      return g;
    })!;
    expect(f.why).toBe("the gradient with respect to biases[0][1] is wrong");
    expect(f.ratios).toBeUndefined();
    // With another wrong gradient that has a ratio: still none, as a factor must explain every wrong number.
    const two = judged(cases[0], (net, x, y) => {
      const g = backprop(net, x, y);
      g.biases[0][1] = NaN;
      g.biases[1][0] *= 2;
      return g;
    })!;
    expect(two.ratios).toBeUndefined();
  });

  test("finite differences: close to every gradient, exact nowhere, and named as such", () => {
    const f = judged(cases[0], finiteDifferences)!;
    expect(f.cause).toBe(FINITE_DIFFERENCES);
    expect(FINITE_DIFFERENCES).toBe("close to the right gradients but not exact: estimated by nudging each parameter and re-running the forward pass (finite differences), or changed by a small amount on the way, where backpropagation computes them exactly");
    expect(f.expected).toMatch(/^(weights|biases)\[\d\](\[\d\])* = \S+ \(exact, by backpropagation\)$/);
    expect(f.actual).toMatch(/: off by \d\.\de-\d+ of the largest gradient$/);
    expect(f.why).toBe(
      "close to every gradient, but not exact: that is what finite differences give (or a small amount added on the way, or digits lost by rounding on the way). Backpropagation gets all 17 gradients exactly from one forward and one backward pass; nudging each parameter needs two forward passes per parameter (34 here, 26,004 per example for the 784-16-16-10 digit network), which is why training would take hours",
    );
  });

  test("backprop in single precision: not exact either, but not called finite differences", () => {
    const f = judged(cases[0], (net, x, y) => backprop(net, x, y, Math.fround))!;
    expect(f).not.toBeNull();
    expect(f.cause).toBeUndefined();
    expect(f.why).toBe("the gradients follow backprop's structure exactly but lose digits: the arithmetic is less precise than JavaScript's numbers");
    expect(f.expected).toMatch(/^(weights|biases)\[\d\](\[\d\])* = \S+ \(exact, by backpropagation\)$/);
    // The worst miss, as a fraction of the largest gradient.
    const [net, x, y] = argsOf(cases[0]);
    const flat = (g: Net) => [...g.weights.flat(2), ...g.biases.flat()];
    const exact = flat(backprop(net, x, y));
    const worst = Math.max(...flat(backprop(net, x, y, Math.fround)).map((v, i) => Math.abs(v - exact[i])));
    expect(f.actual.endsWith(`: off by ${(worst / Math.max(...exact.map(Math.abs))).toExponential(1)} of the largest gradient`)).toBe(true);
  });

  test("the exactness bound: 1e-12 of the largest gradient passes, more does not", () => {
    const scaled = (by: number) => (net: Net, x: number[], y: number[]) => {
      const g = backprop(net, x, y);
      const largest = Math.max(...[...g.weights.flat(2), ...g.biases.flat()].map(Math.abs));
      g.biases[1][0] += by * largest;
      return g;
    };
    expect(judged(cases[0], scaled(0.5e-12))).toBeNull();
    expect(judged(cases[0], scaled(5e-12))?.cause).toBe(FINITE_DIFFERENCES);
    // Beyond 1e-3 of the largest gradient it is a wrong gradient, not an estimate.
    expect(judged(cases[0], scaled(2e-3))?.why).toBe("the gradient with respect to biases[1][0] is wrong");
  });

  test("with termScale, exactness is measured against the terms a gradient sums: a cancelled sum's rounding passes, an estimate does not", () => {
    // The same case, its terms said to be 1,000 times the largest gradient (a sum that cancels).
    const [c] = gradientCheck({ ...netSpec, termScale: () => 1000 * largestOf(cases[0]) }).expand(makeRng(3));
    const off = (by: number) => (net: Net, x: number[], y: number[]) => {
      const g = backprop(net, x, y);
      g.biases[1][0] += by * largestOf(cases[0]);
      return g;
    };
    // 5e-12 of the gradient is 5e-15 of the terms: rounding, not an estimate.
    expect(judged(c, off(5e-12))).toBeNull();
    expect(judged(cases[0], off(5e-12))?.cause).toBe(FINITE_DIFFERENCES);
    // Finite differences are still off by more than 1e-12 of the terms.
    expect(judged(c, off(5e-9))?.cause).toBe(FINITE_DIFFERENCES);
    // Published with the learner edition, as a number.
    const published = c.publish!() as Extract<PublicCheck, { kind: "gradient" }>;
    expect(published.termScale).toBe(1000 * largestOf(cases[0]));
    expect(publishedGradientCase(published).judge([answer(off(5e-12)(...argsOf(c)))], [answer(backprop(...argsOf(c)))])).toBeNull();
  });
});

describe("one-field gradients and kinks", () => {
  /** f(w, b) = Σ relu(w_i) + b²: a kink where w_i = 0. */
  const relu: GradientSpec = {
    fn: "grad",
    args: () => [[0, 0.5, -0.5], 2],
    count: 1,
    fields: [{ field: "", arg: 0, param: "w" }],
    cost: ([w, b]) => (w as number[]).reduce((s, v) => s + Math.max(0, v), 0) + (b as number) ** 2,
  };
  const [c] = gradientCheck(relu).expand(makeRng(1));
  const run = (value: unknown) => c.judge([answer(value)], [answer([0, 1, 0])]);

  test("the result itself is the gradient; a parameter on a kink is not checked", () => {
    expect(run([0, 1, 0])).toBeNull();
    expect(run([123, 1, 0])).toBeNull();
    expect(run([0, 1, 1])).toMatchObject({ why: "the gradient with respect to w[2] is wrong", expected: "result[2] ≈ 0 (numeric, centred difference)" });
    // One field: no summary line.
    expect(run([0, 1, 1])!.detail).toBeUndefined();
    // Not even a near miss on a kink counts: it is not compared with the exact gradient either.
    expect(run([1e-4, 1, 0])).toBeNull();
    // The shape is named for the result itself.
    expect(run([0, 1])).toMatchObject({ expected: "result: 3 items", actual: "result: 2 items" });
  });

  test("a gradient written as text is wrong, even when it reads as the right number or a near one", () => {
    expect(run([0, "1", 0])).toMatchObject({ actual: 'result[1] = "1": should be a number', why: "the gradient with respect to w[1] is wrong" });
    const near = run([0, "1.0005", 0])!;
    expect(near.actual).toBe('result[1] = "1.0005": should be a number');
    expect(near.cause).toBeUndefined();
  });

  test("a field summary says which fields are right and which wrong", () => {
    const two: GradientSpec = { ...relu, fields: [{ field: "dW", arg: 0, param: "w" }, { field: "dB", arg: 1, param: "b" }] };
    const [t] = gradientCheck(two).expand(makeRng(1));
    const ref = answer({ dW: [0, 1, 0], dB: 4 });
    expect(t.judge([answer({ dW: [0, 1, 0], dB: 4 })], [ref])).toBeNull();
    expect(t.judge([answer({ dW: [0, 1, 0], dB: 2 })], [ref])!.detail).toEqual(["right: dW · wrong: dB"]);
    expect(t.judge([answer({ dW: [0, 2, 0], dB: 2 })], [ref])!.detail).toEqual(["right: none · wrong: dW, dB"]);
    expect(t.judge([answer({ dW: [0, 1, 0], dB: 2 })], [ref])!.why).toBe("the gradient with respect to b is wrong");
  });

  test("the bounds between exact, estimated and wrong, met exactly", () => {
    // The reference's largest gradient is 1, so the bounds are 1e-12 and 1e-3 themselves.
    const judgeAgainst = (value: number[]) => c.judge([answer(value)], [answer([0, 1, 0])]);
    expect(judgeAgainst([0, 1, 1e-12])).toBeNull();
    expect(judgeAgainst([0, 1, 1e-3])?.cause).toBe(FINITE_DIFFERENCES);
    expect(judgeAgainst([0, 1, 1e-3])?.actual).toBe("result[2] = 0.001: off by 1.0e-3 of the largest gradient");
    expect(judgeAgainst([0, 1, 1.1e-3])).toMatchObject({ why: "the gradient with respect to w[2] is wrong" });
  });

  test("the miss is said as a fraction of the largest gradient", () => {
    // f(w) = w0² + w1² at (1, 2): gradients 2 and 4; 2^-8 off the 4 is 2^-10 of it.
    const [sq] = gradientCheck({ fn: "g", args: () => [[1, 2]], count: 1, fields: [{ field: "", arg: 0, param: "w" }], cost: ([w]) => (w as number[])[0] ** 2 + (w as number[])[1] ** 2 }).expand(makeRng(1));
    const f = sq.judge([answer([2, 4 + 2 ** -8])], [answer([2, 4])])!;
    expect(f.cause).toBe(FINITE_DIFFERENCES);
    expect(f.expected).toBe("result[1] = 4 (exact, by backpropagation)");
    expect(f.actual).toBe("result[1] = 4.00390625: off by 9.8e-4 of the largest gradient");
    // Equal misses: the first parameter is named.
    expect(sq.judge([answer([2 + 2 ** -8, 4 + 2 ** -8])], [answer([2, 4])])!.expected).toBe("result[0] = 2 (exact, by backpropagation)");
    // A reference gradient that is not finite does not set the scale.
    expect(sq.judge([answer([2, 4 + 2 ** -8])], [answer([NaN, 4])])?.cause).toBe(FINITE_DIFFERENCES);
  });

  test("a parameter is nudged in a copy: another argument that is the same array keeps its value", () => {
    // cost(a, b) = a0 * b1, with a and b one array [1, 2]: ∂/∂a = [b1, 0] = [2, 0].
    const [c] = gradientCheck({ fn: "g", args: () => { const w = [1, 2]; return [w, w]; }, count: 1, fields: [{ field: "", arg: 0, param: "a" }], cost: ([a, b]) => (a as number[])[0] * (b as number[])[1] }).expand(makeRng(1));
    expect(c.judge([answer([2, 0])], [answer([2, 0])])).toBeNull();
    expect(c.judge([answer([2, 1])], [answer([2, 0])])).toMatchObject({ why: "the gradient with respect to a[1] is wrong" });
  });

  test("what is no number in a parameter list is no parameter", () => {
    const [c] = gradientCheck({ fn: "g", args: () => [[3, null]], count: 1, fields: [{ field: "", arg: 0, param: "w" }], cost: ([w]) => (w as number[])[0] ** 2 }).expand(makeRng(1));
    expect(c.judge([answer([6, null])], [answer([6, null])])).toBeNull();
    expect((c.publish!() as Extract<PublicCheck, { kind: "gradient" }>).numeric).toHaveLength(1);
  });

  test("a field summary lists every right and every wrong field", () => {
    const [c] = gradientCheck({ fn: "g", args: () => [[1], [2], [3]], count: 1, fields: ["a", "b", "c"].map((field, arg) => ({ field, arg, param: field })), cost: (xs) => xs.reduce((s: number, x) => s + (x as number[])[0] ** 2, 0) }).expand(makeRng(1));
    const ref = answer({ a: [2], b: [4], c: [6] });
    expect(c.judge([answer({ a: [2], b: [4], c: [7] })], [ref])!.detail).toEqual(["right: a, b · wrong: c"]);
    expect(c.judge([answer({ a: [3], b: [5], c: [6] })], [ref])!.detail).toEqual(["right: c · wrong: a, b"]);
  });

  test("describe says where a parameter is in words", () => {
    const described: GradientSpec = { ...relu, fields: [{ field: "", arg: 0, param: "w", describe: (i) => `input ${i[0] + 1}` }] };
    const [d] = gradientCheck(described).expand(makeRng(1));
    expect(d.judge([answer([0, 1, 1])], [answer([0, 1, 0])])!.why).toBe("the gradient with respect to input 3 is wrong");
  });
});

describe("the learner edition's gradient case", () => {
  test("published with its centred differences, it judges as the original does", () => {
    const c = cases[0];
    const published = c.publish!() as Extract<PublicCheck, { kind: "gradient" }>;
    expect(published).toMatchObject({ kind: "gradient", label: c.label, layered: true, fields: [{ field: "weights", arg: 0, param: "weights", argKey: "weights" }, { field: "biases", arg: 0, param: "biases", argKey: "biases" }] });
    expect(published.numeric).toHaveLength(17);
    const again = publishedGradientCase(JSON.parse(JSON.stringify(published)));
    expect(again.hidden).toBe(false);
    for (const learner of [backprop, finiteDifferences, (n: Net, x: number[], y: number[]) => ({ ...backprop(n, x, y), biases: [[0, 0, 0], [0, 0]] })]) {
      expect(judged(again, learner)).toEqual(judged(c, learner));
    }
  });

  test("fields without argKey are published without one", () => {
    const [c] = gradientCheck({ fn: "g", args: () => [[1, 2]], count: 1, fields: [{ field: "", arg: 0, param: "w" }], cost: ([w]) => (w as number[])[0] ** 2 }).expand(makeRng(1));
    const p = c.publish!() as Extract<PublicCheck, { kind: "gradient" }>;
    expect(p.fields).toEqual([{ field: "", arg: 0, param: "w" }]);
    expect(p.layered).toBe(false);
    expect(p.numeric[0]).toBeCloseTo(2, 8);
    expect(p.numeric[1]).toBeCloseTo(0, 8);
  });

  test("stored differences that do not fit the parameters are a course error", () => {
    const published = cases[0].publish!() as Extract<PublicCheck, { kind: "gradient" }>;
    const broken = publishedGradientCase({ ...published, numeric: published.numeric.slice(1) });
    expect(() => judged(broken, backprop)).toThrow(`gradient check ${published.label}: 16 stored differences for 17 parameters`);
    expect(() => publishedGradientCase({ ...published, probe: { kind: "read", name: "backprop" } })).toThrow(`gradient check ${published.label}: not a call`);
  });
});

describe("the numeric tools", () => {
  test("gradientAgrees: relative 1e-6 or absolute 1e-8", () => {
    expect(gradientAgrees(1, 1 + 0.9e-6)).toBe(true);
    expect(gradientAgrees(1, 1 + 1.1e-6)).toBe(false);
    // Exactly 1e-6 relative (1 in a million, far above the absolute bound) agrees.
    expect(gradientAgrees(1e6, 1e6 - 1)).toBe(true);
    expect(gradientAgrees(1e-9, 1e-9 + 1e-8)).toBe(true);
    expect(gradientAgrees(1e-9, 1e-9 + 1.1e-8)).toBe(false);
    expect(relativeError(0, 0)).toBe(0);
    expect(relativeError(1e-13, 0)).toBe(0.1);
    expect(relativeError(-3, 1)).toBe(4 / 3);
  });

  test("centredDifference: the slope, or null on a kink", () => {
    expect(centredDifference((x) => x * x, 3)).toBeCloseTo(6, 8);
    expect(centredDifference((x) => Math.abs(x), 0)).toBeNull();
    // A bend of 1e-3 of the slope is still smooth enough; more is a kink.
    expect(centredDifference((x) => (x > 0 ? 1.0009 * x : x), 0)).not.toBeNull();
    expect(centredDifference((x) => (x > 0 ? 1.0011 * x : x), 0)).toBeNull();
    // Scaled by the slope when it is large.
    expect(centredDifference((x) => (x > 0 ? 1000.9 * x : 1000 * x), 0)).not.toBeNull();
    expect(centredDifference((x) => (x > 0 ? 1001.1 * x : 1000 * x), 0)).toBeNull();
    // The step is the one given: a step of 0.5 sees x² bend as much as a kink.
    expect(centredDifference((x) => x * x, 1, 0.5)).toBeNull();
    expect(centredDifference((x) => 3 * x, 1, 0.5)).toBeCloseTo(3, 12);
    // A bend of exactly 1e-3 of the slope (1000 one side, 999 the other) is still smooth.
    expect(centredDifference((x) => (x > 0 ? 1000 * x : 999 * x), 0, 0.5)).toBe(999.5);
  });

  test("slopeCheck: the learner's derivative against the measured slope", () => {
    const cube = slopeCheck("dCube", (z) => z ** 3, "cube", 3, (rng) => 1 + rng());
    const expanded = cube.expand(makeRng(2));
    expect(expanded).toHaveLength(3);
    for (const c of expanded) {
      const z = (c.probes[0] as { args: number[] }).args[0];
      expect(c.label).toMatch(/^dCube\(\S+\) ≈ \(cube\(z\+h\) − cube\(z−h\)\) \/ 2h$/);
      expect(c.judge([answer(3 * z * z)], [])).toBeNull();
      const f = c.judge([answer(2 * z * z)], [])!;
      expect(f.expected).toMatch(/^≈ \S+ \(numeric slope of cube\)$/);
      expect(f.actual).toMatch(/^\S+, relative error 3\.3e-1$/);
      expect(c.judge([answer("x")], [])).toMatchObject({ actual: '"x"' });
      // The right slope written as text is no slope.
      expect(c.judge([answer(String(3 * z * z))], [])).not.toBeNull();
    }
  });
});
