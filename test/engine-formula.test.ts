// formula.ts beyond the hostile inputs (formula-hostile.test.ts): the formula as
// typeset for the learner, derived variables, the learner edition's stored
// sample values, and the verdict cache.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { CACHE_VERSION, compareFormula, formulaSamples, formulasAgree, formulaValues, type FormulaSpec } from "../grader/engine/judge/formula";
import { cacheDir } from "../grader/engine/paths";

// A fresh verdict cache, so every verdict here is decided, not read back.
jest.mock("../grader/engine/paths", () => {
  const actual = jest.requireActual("../grader/engine/paths");
  const fs = jest.requireActual("node:fs");
  const os = jest.requireActual("node:os");
  const path = jest.requireActual("node:path");
  return { ...actual, cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), "bp-formula-")) };
});
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

const sigma = (z: number) => 1 / (1 + Math.exp(-z));
const dCdA: FormulaSpec = { expected: "2*(a - y)", vars: { a: [0, 1], y: [0, 1] } };
const dAdZ: FormulaSpec = { expected: "sigma(z) * (1 - sigma(z))", vars: { z: [-4, 4] } };
const dCdW: FormulaSpec = { expected: "aPrev * sigma(z) * (1 - sigma(z)) * 2 * (a - y)", vars: { aPrev: [0, 1], z: [-3, 3], y: [0, 1] }, derived: { a: "sigma(z)" } };

/** The verdict with the TeX's spaces taken out: mathjs' spacing is not ours to test. */
const tight = <V extends { learnerTex?: string; expectedTex: string }>(v: V): V => ({
  ...v,
  expectedTex: v.expectedTex.replace(/\s+/g, ""),
  ...(v.learnerTex !== undefined ? { learnerTex: v.learnerTex.replace(/\s+/g, "") } : {}),
});

describe("typesetting", () => {
  test("both formulas as TeX, σ and a_prev written as a learner reads them", () => {
    expect(tight(compareFormula("2*(a - y)", dCdA))).toEqual({ ok: true, learnerTex: "2\\cdot\\left(a-y\\right)", expectedTex: "2\\cdot\\left(a-y\\right)" });
    const v = compareFormula("sigmoid(z) * (1 - σ(z))", dAdZ);
    expect(v.ok).toBe(true);
    expect(tight(v).learnerTex).toBe("\\sigma\\left(z\\right)\\cdot\\left(1-\\sigma\\left(z\\right)\\right)");
    expect(tight(v).expectedTex).toBe("\\sigma\\left(z\\right)\\cdot\\left(1-\\sigma\\left(z\\right)\\right)");
    expect(tight(compareFormula("aPrev * 2 * (a - y) * a * (1 - a)", dCdW)).learnerTex).toMatch(/^a_\{\\mathrm\{prev\}\}\\cdot2/);
    // mathjs starts a variable's TeX with a space; the verdict's TeX has none at either end.
    expect(compareFormula("a", { expected: "y", vars: { a: [0, 1], y: [0, 1] } })).toMatchObject({ learnerTex: "a", expectedTex: "y" });
    // Only the whole name: aPrevious is another variable, left as written.
    expect(compareFormula("aPrevious", dCdW).learnerTex).not.toMatch(/prev\}/);
  });

  test("a failure keeps both formulas typeset, unless the learner's did not parse", () => {
    const v = compareFormula("a - y", dCdA);
    expect(tight(v)).toMatchObject({ ok: false, learnerTex: "a-y", expectedTex: "2\\cdot\\left(a-y\\right)" });
    const broken = compareFormula("2*(a", dCdA);
    expect(broken.learnerTex).toBeUndefined();
    expect(tight(broken).expectedTex).toBe("2\\cdot\\left(a-y\\right)");
  });
});

describe("the verdict", () => {
  test("where it differs: the point, the learner's value and the expected one, rounded for reading", () => {
    // A formula no other test here decides, so this verdict is decided here, not read from the cache.
    const v = compareFormula("a - y + 0", dCdA);
    const m = /^it differs from the expected formula, e\.g\. at a = (\S+), y = (\S+) it gives (\S+) instead of (\S+)$/.exec(v.why!);
    expect(m).not.toBeNull();
    const [a, y, got, want] = m!.slice(1).map(Number);
    expect(got).toBeCloseTo(a - y, 3);
    expect(want).toBeCloseTo(2 * (a - y), 3);
    expect(m![1].replace(/^-?0\./, "").length).toBeLessThanOrEqual(4);
    // Both values are given to 6 significant digits.
    expect(Number(Number(m![3]).toPrecision(6))).toBe(Number(m![3]));
  });

  test("derived variables are computed from the others, and named only in the list of variables", () => {
    expect(compareFormula("aPrev * a * (1 - a) * 2 * (a - y)", dCdW).ok).toBe(true);
    const wrong = compareFormula("aPrev * a * 2 * (a - y)", dCdW);
    expect(wrong.why).toMatch(/^it differs from the expected formula, e\.g\. at aPrev = \S+, z = \S+, y = \S+ it gives/);
    expect(compareFormula("b * a", dCdW).why).toBe("it uses b, which is not among the variables aPrev, z, y, a");
  });

  test("a formula that does not parse: mathjs' reason, and the character it stopped at, counted from 1", () => {
    // mathjs counts from 1: the stray ) is the 10th character, and the pointer stands before it.
    expect(compareFormula("2*(a - y))", dCdA).why).toBe("the formula does not parse (Unexpected operator )) at character 10: 2*(a - y)⟨here⟩)");
    // At the end: one past the last character; positions of two digits are read whole.
    expect(compareFormula("2*(a - y) + 3*(a", dCdA).why).toBe("the formula does not parse (Parenthesis ) expected) at character 17: 2*(a - y) + 3*(a⟨here⟩");
    // A reason without a position: no pointer.
    expect(compareFormula("0x", dCdA).why).toBe('the formula does not parse (String "0x" is not a valid number)');
  });

  test("several unknown names, each once", () => {
    expect(compareFormula("x * x + q", dCdA).why).toBe("it uses x, q, which are not among the variables a, y");
  });

  test("a formula that cannot be evaluated, or is no number, says so", () => {
    expect(compareFormula("log(a, 1)", dCdA).why).toMatch(/^it (cannot be evaluated \(|differs from the expected formula)/);
    // mathjs refuses the maximum of a complex number (the square root of a negative one).
    expect(compareFormula("max(sqrt(-1 - a), 1)", dCdA)).toMatchObject({
      ok: false,
      why: expect.stringMatching(/^it cannot be evaluated \(Cannot calculate max, no ordering relation is defined for complex numbers/),
      learnerTex: expect.stringContaining("\\max"),
    });
    expect(compareFormula("sqrt(-1 - a)", dCdA).why).toMatch(/^it differs from the expected formula, e\.g\. at a = \S+, y = \S+ it gives .+ instead of \S+$/);
  });

  test("what a formula may not contain is listed with what it may", () => {
    expect(compareFormula("f(a)", dCdA).why).toBe("the formula uses f(), which formulas here may not use: use only + - * / ^ (or pow, square, cube), parentheses, numbers, the variables a, y, e, pi and exp, log, log2, log10, sqrt, abs, sign, sin, cos, tan, sinh, cosh, tanh, sech, csch, coth, sec, csc, cot, cbrt, expm1, log1p, sigma, σ, sigmoid, max, min");
    // A limit speaks for itself.
    expect(compareFormula("max(a, y, a, y, a)", dCdA).why).toBe("the formula calls max() with 5 arguments (it takes 1 to 4)");
    expect(compareFormula("exp()", dCdA).why).toBe("the formula calls exp() with 0 arguments (it takes 1)");
    expect(compareFormula("exp(a, y)", dCdA).why).toBe("the formula calls exp() with 2 arguments (it takes 1)");
    expect(compareFormula("max(a)", dCdA).ok).toBe(false);
    expect(compareFormula("2*max(a, y) - 2*y", { ...dCdA, vars: { a: [1, 2], y: [0, 0.5] } }).ok).toBe(true);
  });

  test("pow(), square() and cube() are ^ as a function, with its limit on the exponent; sech() and its kin are functions like tanh()", () => {
    const daDz = { expected: "sigma(z) * (1 - sigma(z))", vars: { z: [-4, 4] as [number, number] } };
    expect(compareFormula("exp(-z) * pow(1 + exp(-z), -2)", daDz).ok).toBe(true);
    expect(compareFormula("sigma(z) - square(sigma(z))", daDz).ok).toBe(true);
    expect(compareFormula("sech(z / 2)^2 / 4", daDz).ok).toBe(true);
    expect(compareFormula("2 * cube(a - y) / square(a - y)", dCdA).ok).toBe(true);
    expect(compareFormula("pow(a - y, 2)", dCdA)).toMatchObject({ ok: false, why: expect.stringMatching(/^it differs from the expected formula/) });
    expect(compareFormula("pow(a, 20)", dCdA).why).toBe("the formula uses the exponent 20, which is too large: exponents here are at most 10 in size");
    expect(compareFormula("pow(a)", dCdA).why).toBe("the formula calls pow() with 1 argument (it takes 2)");
    expect(compareFormula("square(a, y)", dCdA).why).toBe("the formula calls square() with 2 arguments (it takes 1)");
  });

  test("what is refused is shown, cut to 40 characters", () => {
    const x38 = "x".repeat(38);
    expect(compareFormula(`"${x38}"`, dCdA).why).toMatch(new RegExp(`^the formula uses a string \\("${x38}"\\), which formulas here may not use: use only `));
    expect(compareFormula("a^(" + Array(14).fill("1").join("+") + ")", dCdA).why).toBe("the formula uses the exponent (1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + ... (= 14), which is too large: exponents here are at most 10 in size");
  });

  test("only a name can be called", () => {
    expect(compareFormula("a.b(1)", dCdA).why).toMatch(/^the formula calls a\.b as a function, which formulas here may not do: use only \+ - /);
  });

  test("constants may be named, unless a variable has the name", () => {
    expect(compareFormula("2*(a - y) + 0*pi + 0*e + 0*PI + 0*E", dCdA).ok).toBe(true);
    expect(compareFormula("2*(e - y)", { expected: "2*(e - y)", vars: { e: [0, 1], y: [0, 1] } }).ok).toBe(true);
  });

  test("exponents: constants up to 10 in size, any variable exponent", () => {
    expect(compareFormula("2*(a - y)^1 + 0*a^10 + 0*a^-10", dCdA).ok).toBe(true);
    expect(compareFormula("a^-11", dCdA).why).toBe("the formula uses the exponent -11 (= -11), which is too large: exponents here are at most 10 in size");
    expect(compareFormula("a^(5+6)", dCdA).why).toBe("the formula uses the exponent (5 + 6) (= 11), which is too large: exponents here are at most 10 in size");
    expect(compareFormula("2*(a - y) + 0*a^y", dCdA).ok).toBe(true);
    expect(compareFormula("a^(1/0)", dCdA).why).toMatch(/^the formula uses the exponent \(1 \/ 0\) \(= Infinity\), which is too large/);
    // A constant is what has no variable in it: named constants and functions of constants are...
    expect(compareFormula("a^(4*pi)", dCdA).why).toBe("the formula uses the exponent (4 * pi) (= 12.57), which is too large: exponents here are at most 10 in size");
    expect(compareFormula("a^exp(3)", dCdA).why).toBe("the formula uses the exponent exp(3) (= 20.09), which is too large: exponents here are at most 10 in size");
    // ... a sum or a call with a variable anywhere in it is not, and an unknown name is named as such.
    expect(compareFormula("2*(a - y) + 0*a^(y + 1)", dCdA).ok).toBe(true);
    expect(compareFormula("2*(a - y) + 0*a^exp(y)", dCdA).ok).toBe(true);
    expect(compareFormula("a^q", dCdA).why).toBe("it uses q, which is not among the variables a, y");
    // A constant exponent that is no real number has no size, and is refused.
    expect(compareFormula("a^sqrt(-1)", dCdA).why).toBe("the formula uses the exponent sqrt(-1), which is too large: exponents here are at most 10 in size");
    expect(compareFormula("a^(sqrt(-4) * sqrt(-4))", dCdA).why).toBe("the formula uses the exponent (sqrt(-4) * sqrt(-4)), which is too large: exponents here are at most 10 in size");
    expect(compareFormula("a^max(sqrt(-1), 1)", dCdA).why).toBe("the formula uses the exponent max(sqrt(-1), 1), which is too large: exponents here are at most 10 in size");
  });

  test("each function takes the number of arguments it is listed with", () => {
    for (const f of ["exp", "log2", "log10", "sqrt", "abs", "sin", "cos", "tan", "sinh", "cosh", "tanh", "sigma", "σ", "sigmoid"]) {
      expect([f, compareFormula(`${f}(a, y)`, dCdA).why]).toEqual([f, `the formula calls ${f}() with 2 arguments (it takes 1)`]);
    }
    expect(compareFormula("log(a, y, a)", dCdA).why).toBe("the formula calls log() with 3 arguments (it takes 1 to 2)");
    for (const f of ["max", "min"]) expect(compareFormula(`${f}(a, y, a, y, a)`, dCdA).why).toBe(`the formula calls ${f}() with 5 arguments (it takes 1 to 4)`);
    expect(compareFormula("exp()", dCdA).why).toBe("the formula calls exp() with 0 arguments (it takes 1)");
  });

  test("a function name that is a variable is taken for a missing *", () => {
    expect(compareFormula("y(a)", dCdA).why).toBe("the formula uses y(...), which reads as calling a function y: write y*(...) to multiply");
  });
});

describe("the learner edition: values at stored points instead of the formula", () => {
  test("formulaSamples: 25 seeded points in the ranges, derived variables included, and the expected values there", () => {
    const s = formulaSamples(dCdW);
    expect(s.points).toHaveLength(25);
    expect(formulaSamples(dCdW)).toEqual(s);
    for (const [i, p] of s.points.entries()) {
      expect(Object.keys(p)).toEqual(["aPrev", "z", "y", "a"]);
      expect(p.aPrev).toBeGreaterThanOrEqual(0);
      expect(p.aPrev).toBeLessThan(1);
      expect(p.z).toBeGreaterThanOrEqual(-3);
      expect(p.z).toBeLessThan(3);
      expect(p.a).toBeCloseTo(sigma(p.z), 14);
      expect(s.values[i]).toBeCloseTo(p.aPrev * sigma(p.z) * (1 - sigma(p.z)) * 2 * (p.a - p.y), 12);
    }
    expect(new Set(s.points.map((p) => p.z)).size).toBe(25);
  });

  test("judged on the stored values: right passes, wrong fails, nothing typesets the expected formula", () => {
    const samples = formulaSamples(dCdA);
    const spec = { vars: dCdA.vars, expected: "", samples };
    expect(compareFormula("2a - 2y", spec)).toMatchObject({ ok: true, expectedTex: "" });
    expect(compareFormula("a - y", spec)).toMatchObject({ ok: false, expectedTex: "", why: expect.stringMatching(/^it differs from the expected formula, e\.g\. at a = /) });
    // Only the stored values count: change one and the right formula fails there.
    const tampered = { ...spec, samples: { points: samples.points, values: samples.values.map((v, i) => (i === 3 ? v + 1 : v)) } };
    expect(compareFormula("2*(a - y)", tampered).ok).toBe(false);
  });

  test("formulaValues: a formula's values at points, or null when it does not give numbers", () => {
    const points = [{ a: 1, y: 0 }, { a: 0.5, y: 0.25 }];
    expect(formulaValues("2*(a - y)", points)).toEqual([2, 0.5]);
    expect(formulaValues("sigma(a)", [{ a: 0 }])).toEqual([0.5]);
    expect(formulaValues("2*(a", points)).toBeNull();
    expect(formulaValues("[a, y]", points)).toBeNull();
    expect(formulaValues("q", points)).toBeNull();
    // Numbers at every point, not only at some.
    expect(formulaValues("sqrt(a)", [{ a: 1 }, { a: -1 }])).toBeNull();
  });
});

describe("the verdict cache", () => {
  test("a verdict is written once, whole, and read back instead of decided again", () => {
    const dir = path.join(cacheDir, "formulas");
    const before = fs.existsSync(dir) ? fs.readdirSync(dir).length : 0;
    const v = compareFormula("2*a - 2*y + 0", dCdA);
    const files = fs.readdirSync(dir);
    expect(files).toHaveLength(before + 1);
    const written = files.map((f) => path.join(dir, f)).find((f) => JSON.parse(fs.readFileSync(f, "utf8")).learnerTex === v.learnerTex)!;
    expect(JSON.parse(fs.readFileSync(written, "utf8"))).toEqual(v);
    // Its name is the hash of the cache's version, the formula and the spec: a new version reads none of an older one's verdicts.
    expect(path.basename(written)).toBe(createHash("sha256").update(JSON.stringify([CACHE_VERSION, "2*a - 2*y + 0", dCdA])).digest("hex") + ".json");
    // A stored verdict is believed when it is a verdict: change it and the change is read back.
    const planted = { ok: false, why: "planted", learnerTex: "x", expectedTex: "y" };
    fs.writeFileSync(written, JSON.stringify(planted));
    expect(compareFormula("2*a - 2*y + 0", dCdA)).toEqual(planted);
    // A passing verdict needs no reason and no learner TeX.
    fs.writeFileSync(written, JSON.stringify({ ok: true, expectedTex: "planted" }));
    expect(compareFormula("2*a - 2*y + 0", dCdA)).toEqual({ ok: true, why: undefined, learnerTex: undefined, expectedTex: "planted" });
    // ok must be a boolean, whatever else the entry holds.
    fs.writeFileSync(written, JSON.stringify({ ok: "yes", why: "w", expectedTex: "y" }));
    expect(compareFormula("2*a - 2*y + 0", dCdA)).toEqual(v);
    // A verdict without a reason for failing is not one.
    fs.writeFileSync(written, JSON.stringify({ ok: false, expectedTex: "y" }));
    expect(compareFormula("2*a - 2*y + 0", dCdA)).toEqual(v);
    for (const bad of [null, 3, { ok: true }, { ok: true, expectedTex: 1 }, { ok: true, expectedTex: "", why: 2 }, { ok: true, expectedTex: "", learnerTex: 2 }]) {
      fs.writeFileSync(written, JSON.stringify(bad));
      expect(compareFormula("2*a - 2*y + 0", dCdA)).toEqual(v);
    }
    // Another formula or another spec is another entry.
    compareFormula("2*a - 2*y + 0", { ...dCdA, vars: { a: [0, 2], y: [0, 1] } });
    expect(fs.readdirSync(dir)).toHaveLength(before + 2);
    expect(fs.readdirSync(dir).every((f) => /^[0-9a-f]{64}\.json$/.test(f))).toBe(true);
  });

  test("a learner's formula against a declared mistake's that does not parse: they differ, and that is remembered too", () => {
    // Such a comparison threw inside the verdict, so it was decided again (mathjs loaded for it) in every class run.
    const dir = path.join(cacheDir, "formulas");
    const before = fs.existsSync(dir) ? fs.readdirSync(dir).length : 0;
    expect(formulasAgree("2*(a - y)^2", "2 * (a - y", dCdA)).toBe(false);
    const written = path.join(dir, createHash("sha256").update(JSON.stringify([CACHE_VERSION, "agree", "2*(a - y)^2", "2 * (a - y", dCdA])).digest("hex") + ".json");
    expect(JSON.parse(fs.readFileSync(written, "utf8"))).toBe(false);
    expect(fs.readdirSync(dir)).toHaveLength(before + 1);
    // Read back, not decided again: what the entry says is the answer.
    fs.writeFileSync(written, "true");
    expect(formulasAgree("2*(a - y)^2", "2 * (a - y", dCdA)).toBe(true);
    // Two formulas that are the same for these variables agree.
    expect(formulasAgree("2*a - 2*y", "2*(a - y)", dCdA)).toBe(true);
    expect(formulasAgree("2*a - y", "2*(a - y)", dCdA)).toBe(false);
  });

  test("a verdict read back says all that the fresh one said, the ratios and that it was never evaluated included", () => {
    for (const formula of ["2 * (a - y", "2 * Math.pow(a - y, 1)", "2 * w", "3 * (a - y) + 0"]) {
      const fresh = compareFormula(formula, dCdA);
      expect([formula, compareFormula(formula, dCdA)]).toEqual([formula, fresh]);
    }
    expect(compareFormula("2 * (a - y", dCdA).notJudged).toBe(true);
    expect(compareFormula("3 * (a - y) + 0", dCdA).ratios?.length).toBeGreaterThan(0);
  });
});
