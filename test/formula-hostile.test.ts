// Formula answers run inside the grader's own process, so a hostile string must
// get a clear "no" quickly instead of exhausting memory (ones(30000, 30000)) or
// keeping simplify() busy for minutes (a sum of 30 powers). Honest answers, in
// all their usual spellings, still pass.
import * as fs from "node:fs";
import * as path from "node:path";
import { compareFormula, type FormulaSpec } from "../grader/engine/judge/formula";
import { cacheDir } from "../grader/engine/paths";

// A fresh verdict cache, so every verdict here is decided, not read back.
jest.mock("../grader/engine/paths", () => {
  const actual = jest.requireActual("../grader/engine/paths");
  const fs = jest.requireActual("node:fs");
  const os = jest.requireActual("node:os");
  const path = jest.requireActual("node:path");
  return { ...actual, cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), "bp-formula-")) };
});
// simplify() counted, to show which formulas reach the symbolic path.
jest.mock("mathjs", () => {
  const actual = jest.requireActual("mathjs");
  return { ...actual, simplify: jest.fn(actual.simplify) };
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const simplify = (require("mathjs") as { simplify: jest.Mock }).simplify;

const dCdA: FormulaSpec = { expected: "2*(a - y)", vars: { a: [0, 1], y: [0, 1] } };
const dAdZ: FormulaSpec = { expected: "sigma(z) * (1 - sigma(z))", vars: { z: [-4, 4] } };
const dCdW: FormulaSpec = { expected: "aPrev * sigma(z) * (1 - sigma(z)) * 2 * (a - y)", vars: { aPrev: [0, 1], z: [-3, 3], y: [0, 1] }, derived: { a: "sigma(z)" } };

const powers = (n: number, k = (i: number) => i + 1) => Array.from({ length: n }, (_, i) => `(a+y)^${k(i)}`).join(" + ");

afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));
beforeEach(() => simplify.mockClear());

describe("hostile formulas get a clear no, without simplify()", () => {
  const cases: [string, string, RegExp][] = [
    ["a matrix of 900 million ones", "2*(a - y) + sum(ones(30000, 30000)) - 900000000", /^the formula uses sum\(\), which formulas here may not use: use only \+ - \* \/ \^ \(or pow, square, cube\), parentheses, numbers, the variables a, y, e, pi and exp, log, .*sigma/],
    ["a sum of 30 powers", powers(30), /^the formula uses the exponent 11, which is too large: exponents here are at most 10 in size$/],
    ["a sum of 24 powers", powers(24), /exponent 11, which is too large/],
    ["100,000 terms", Array.from({ length: 100_000 }, (_, i) => `${i}*a`).join(" + "), /^the formula is too long \(988887 characters; at most 500\)$/],
    ["1000 nested calls", "exp(".repeat(1000) + "a" + ")".repeat(1000), /^the formula is too long \(5001 characters; at most 500\)$/],
    ["a function definition", "f(x)=x", /^the formula defines a function \(f\(x\) = \.\.\.\), which formulas here may not do: use only/],
    ["a list", "[1,2]", /^the formula uses a matrix or list \(\[\.\.\.\]\)/],
    ["a string", '"a" ', /^the formula uses a string \("a"\)/],
    ["import()", "import({x: 1})", /^the formula uses import\(\), which formulas here may not use/],
    ["evaluate()", 'evaluate("sum(ones(30000, 30000))")', /^the formula uses evaluate\(\), which formulas here may not use/],
    ["a huge constant power", "1e308^1e308", /^the formula uses the exponent 1e\+308, which is too large/],
    ["a huge power of a variable", "a^1e9", /^the formula uses the exponent 1e\+9, which is too large/],
    ["a tower of powers", "a^(2^(2^2))", /^the formula uses the exponent \(2 \^ \(2 \^ 2\)\) \(= 16\), which is too large: exponents here are at most 10 in size$/],
    ["an assignment", "a = 2*(a - y)", /^the formula assigns a variable/],
    ["two statements", "x = 1; 2*(a - y)", /^the formula has several statements/],
    ["a property", "a.constructor", /^the formula uses indexing or a property/],
    ["indexing", "a[1]", /^the formula uses indexing or a property/],
    ["an object", "{a: 1}", /^the formula uses an object/],
    ["a range", "1:100000000", /^the formula uses a range/],
    ["a condition", "a > y ? a : y", /^the formula uses a condition \(\? :\), which formulas here may not use/],
    ["a chain of comparisons", "a < y < 1", /^the formula uses a comparison, which formulas here may not use: use only \+ - /],
    ["a forbidden call among allowed arguments", "max(a, f(y))", /^the formula uses f\(\), which formulas here may not use: use only \+ - /],
    ["a comparison", "2*(a - y) + (a > y)", /^the formula uses the operator > \(larger\), which formulas here may not use/],
    ["a factorial", "170!", /^the formula uses the operator ! \(factorial\)/],
    ["true", "true", /^the formula uses true, which formulas here may not use/],
    ["a call through parentheses", "(sigma)(a)", /^it uses sigma, which is not among the variables a, y$/],
    ["a unit", "2*(a - y) cm", /^it uses cm, which is not among the variables a, y$/],
    ["mathjs' own constants", "2*(a - y) + 0*i", /^it uses i, which is not among the variables a, y$/],
    ["a variable called like a function", "2a(1 - y)", /^the formula uses a\(\.\.\.\), which reads as calling a function a: write a\*\(\.\.\.\) to multiply$/],
    ["sigma of two arguments", "sigma(a, y)", /^the formula calls sigma\(\) with 2 arguments \(it takes 1\)$/],
    ["499 unary minuses", "-".repeat(499) + "a", /^the formula is too long \(more than 200 numbers, variables, operations and parentheses; at most 200\)$/],
    ["249 nested parentheses", "(".repeat(249) + "a" + ")".repeat(249), /^the formula is too long \(more than 200/],
    ["250 terms", Array.from({ length: 250 }, () => "a").join("+"), /^the formula is too long \(more than 200/],
  ];
  test.each(cases)("%s", (_, learner, why) => {
    const v = compareFormula(learner, dCdA);
    expect(v.ok).toBe(false);
    expect(v.why).toMatch(why);
    expect(v.expectedTex).toMatch(/^2\\cdot\\left\(\s*a-\s*y\\right\)$/);
    expect(simplify).not.toHaveBeenCalled();
  });

  test("a long sum within every limit is decided numerically, simplify() not attempted", () => {
    const learner = powers(20, (i) => (i % 10) + 1);
    expect(learner.length).toBeLessThanOrEqual(500);
    const v = compareFormula(learner, dCdA);
    expect(v).toMatchObject({ ok: false, why: expect.stringMatching(/^it differs from the expected formula, e\.g\. at a = [\d.]+, y = [\d.]+ it gives/) });
    expect(simplify).not.toHaveBeenCalled();
  });

  test("calls nested more than 6 deep are refused before toTex(), whose time doubles with each level", () => {
    const v = compareFormula("exp(".repeat(90) + "a" + ")".repeat(90), dCdA);
    expect(v).toMatchObject({ ok: false, why: "the formula nests function calls too deeply (more than 6 inside one another)" });
    expect(v.learnerTex).toBeUndefined();
    expect(compareFormula("2*(a - y) + 0*" + "sin(".repeat(7) + "a" + ")".repeat(7), dCdA).why).toMatch(/too deeply/);
    expect(compareFormula("2*(a - y) + 0*" + "sin(".repeat(6) + "a" + ")".repeat(6), dCdA).ok).toBe(true);
    expect(simplify).not.toHaveBeenCalled();
  });
});

describe("honest answers still pass", () => {
  test.each(["2*(a-y)", "+2*(a - y)", "2a - 2y", "(a-y)*2", "2(a - y)", "2*a - 2*y", "-2*(y - a)", "(a - y) + (a - y)", "2 * (a - y)^1", "a*2 - y*2", "4*(a - y)/2"])("∂C/∂a as %s", (learner) => {
    expect(compareFormula(learner, dCdA)).toMatchObject({ ok: true, learnerTex: expect.any(String) });
  });

  test.each(["sigma(z)*(1-sigma(z))", "σ(z) * (1 - σ(z))", "sigmoid(z) - sigmoid(z)^2", "exp(-z)/(1+exp(-z))^2", "1/(1+e^(-z)) * (1 - 1/(1+e^(-z)))", "exp(z)/(1+exp(z))^2"])("∂a/∂z as %s", (learner) => {
    expect(compareFormula(learner, dAdZ).ok).toBe(true);
  });

  test.each(["aPrev * a * (1 - a) * 2 * (a - y)", "2*(a - y) * a*(1-a) * aPrev", "2 aPrev*(a - y) sigma(z) (1 - sigma(z))", "aPrev*exp(-z)/(1+exp(-z))^2*2*(a-y)"])("∂C/∂w as %s (a = σ(z))", (learner) => {
    expect(compareFormula(learner, dCdW).ok).toBe(true);
  });

  test("a short answer is proved by simplify(); a longer one by the numbers alone", () => {
    expect(compareFormula("-2y + 2a", dCdA).ok).toBe(true);
    expect(simplify).toHaveBeenCalledTimes(1);
    simplify.mockClear();
    expect(compareFormula("exp(-z) / (1 + exp(-z))^2", dAdZ).ok).toBe(true);
    expect(simplify).not.toHaveBeenCalled();
  });

  test("simplify() runs on differences of up to 16 nodes, parentheses not counted, and its proof wins over rounding", () => {
    // 2(a - y) + 1e17 - 1e17 is 0 or ±16 in floating point: only simplify() sees it equals 2(a - y).
    expect(compareFormula("2*(a - y) + 1e17 - 1e17", dCdA).ok).toBe(true); // 15 nodes with the expected formula and the minus
    expect(compareFormula("2*(a - y) + 1e17 + -1e17", dCdA).ok).toBe(true); // 16 nodes
    expect(compareFormula("(2*(a - y) + 1e17) - 1e17", dCdA).ok).toBe(true); // 15 nodes and a pair of parentheses
    simplify.mockClear();
    expect(compareFormula("((((2a - 2y))))", dCdA).ok).toBe(true); // 13 nodes and 5 pairs of parentheses (the expected formula's included)
    expect(simplify).toHaveBeenCalledTimes(1);
  });

  test("simplify() is not tried when an exponent is a variable", () => {
    expect(compareFormula("a^y", { expected: "a^y", vars: { a: [1, 2], y: [0, 1] } }).ok).toBe(true);
    expect(simplify).not.toHaveBeenCalled();
  });

  test("200 numbers, variables, operations and parentheses are allowed, 201 are not", () => {
    const terms = "+0*a".repeat(48);
    expect(compareFormula(`((2*(a - y)${terms}))`, dCdA).ok).toBe(true);
    expect(compareFormula(`(((2*(a - y)${terms})))`, dCdA).why).toBe("the formula is too long (more than 200 numbers, variables, operations and parentheses; at most 200)");
  });

  test("the course's mutants still fail, with the reasons they had", () => {
    expect(compareFormula("a - y", dCdA)).toMatchObject({ ok: false, why: expect.stringMatching(/^it differs from the expected formula/) });
    expect(compareFormula("2*(y - a)", dCdA)).toMatchObject({ ok: false, why: expect.stringMatching(/^it differs from the expected formula/) });
    expect(compareFormula("2*(a - y", dCdA)).toMatchObject({ ok: false, why: expect.stringMatching(/^the formula does not parse .* at character 9: 2\*\(a - y⟨here⟩$/) });
    expect(compareFormula("sigma(z) * (1 + sigma(z))", dAdZ).ok).toBe(false);
    expect(compareFormula("2*(a - y) * aPrev", dCdW).ok).toBe(false);
    expect(compareFormula("2*(a - x)", dCdA)).toMatchObject({ ok: false, why: "it uses x, which is not among the variables a, y" });
  });
});

test("a damaged cache entry is decided again, not believed", () => {
  const learner = "2*(a - y) - a";
  const first = compareFormula(learner, dCdA);
  expect(first.ok).toBe(false);
  const dir = path.join(cacheDir, "formulas");
  const entries = fs.readdirSync(dir);
  expect(entries.every((f) => f.endsWith(".json"))).toBe(true); // no temporary files left behind
  for (const f of entries) fs.writeFileSync(path.join(dir, f), JSON.stringify({ ok: "yes" }));
  expect(compareFormula(learner, dCdA)).toEqual(first);
  for (const f of entries) fs.writeFileSync(path.join(dir, f), "{ half a verd");
  expect(compareFormula(learner, dCdA)).toEqual(first);
  expect(compareFormula("2*(a - y)", dCdA).ok).toBe(true);
});
