// Answers typed as formulas ("3*(a + y)"), checked for equivalence with the
// expected formula by mathjs: symbolically where simplify() proves the
// difference is 0, numerically at seeded random points otherwise (and always
// when variables are tied, like a = σ(z)). mathjs takes ~1 s to load, so
// verdicts are cached on disk and mathjs is loaded only on a cache miss.
//
// This runs in the grader's own process, so a formula is bounded before mathjs
// does anything costly with it: at most MAX_CHARS characters before parsing;
// after parsing, only numbers, the spec's variables, e and pi, + - * / ^
// (unary - and +), parentheses and a few scalar functions (SAFE_FUNCTIONS), at
// most MAX_NODES nodes, calls nested at most MAX_CALL_DEPTH deep, and constant
// exponents at most MAX_EXPONENT in size.
// simplify() is slow on sums with many terms (30 powers of (a+y): > 5 min),
// so it runs only on differences of at most SIMPLIFY_MAX_NODES nodes with
// constant exponents; anything larger is decided by the numeric check alone.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { makeRng } from "../course/rng";
import { cacheDir } from "../paths";
import { closeEnough, DEFAULT_TOLERANCE } from "./tolerance";
import { sigma } from "../course/network";
import type { FormulaSamples } from "../course/public-check";

export interface FormulaSpec {
  /** The expected formula, in mathjs syntax. */
  expected: string;
  /** Free variables and the range to sample them from. */
  vars: Record<string, [number, number]>;
  /** Variables computed from others, e.g. { a: "sigma(z)" }: sampled consistently. */
  derived?: Record<string, string>;
  /**
   * The learner edition's form: `expected` is empty (it is the answer) and the formula is
   * checked by its values at these points, the same points the numeric check uses.
   */
  samples?: FormulaSamples;
}

export interface FormulaVerdict {
  ok: boolean;
  /** Why not, in one sentence (parse error with position, unknown variable, differs at a point). */
  why?: string;
  learnerTex?: string;
  expectedTex: string;
  /** Where it differs: the learner's value ÷ the expected one at each sample point where both are numbers and the expected is not 0. */
  ratios?: number[];
  /** Never evaluated (it does not parse, or uses what formulas may not): `why` says so, and nothing is known of its values. */
  notJudged?: true;
}

// v4: formulas are bounded (length, allowed nodes, exponents) before mathjs runs them. v6: pow(), square(), cube() and sech() and its kin are allowed. v7: a differing formula's ratios. v8: 1 where it is right. v9: sign() is allowed; a formula not evaluated says so.
export const CACHE_VERSION = "9";
const POINTS = 25;

/** Characters a formula may have; honest answers here have fewer than 60. */
const MAX_CHARS = 500;
/** Nodes of the parsed formula (parentheses included); honest answers have fewer than 40. */
const MAX_NODES = 200;
/**
 * Function calls inside function calls: mathjs' toTex() takes time doubling
 * with each level (exp of exp of ... 20 deep: 1.8 s; 16 deep: 0.15-0.2 s;
 * 8 deep: 1-3 ms); honest answers nest 2 deep at most (sqrt(exp(-z))).
 */
const MAX_CALL_DEPTH = 6;
/** Largest size of a constant exponent (a^2, e^-1, ...); honest answers use 2 or -1. */
const MAX_EXPONENT = 10;
/**
 * simplify() runs only when learner − expected has at most this many nodes
 * (parentheses not counted) and every exponent is a constant. Measured on the
 * worst forms found (random and hand-built, exponents up to 10): ≤ ~150 ms at
 * 16 nodes, ~300 ms at 20, ~400 ms at 27, and growing fast beyond.
 */
const SIMPLIFY_MAX_NODES = 16;

type MathJs = typeof import("mathjs");
type MathNode = import("mathjs").MathNode;
let mathjs: MathJs | null = null;
function math(): MathJs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  mathjs ??= require("mathjs") as MathJs;
  return mathjs;
}

/** Functions a formula may use beyond mathjs' own (exp, log, sqrt, e, ...). */
const EXTRA = { sigma, σ: sigma, sigmoid: sigma };

/** The functions a formula may call, with how many arguments: all scalar, all cheap. */
const SAFE_FUNCTIONS: Record<string, [min: number, max: number]> = {
  exp: [1, 1],
  log: [1, 2],
  log2: [1, 1],
  log10: [1, 1],
  sqrt: [1, 1],
  abs: [1, 1],
  sign: [1, 1],
  sin: [1, 1],
  cos: [1, 1],
  tan: [1, 1],
  sinh: [1, 1],
  cosh: [1, 1],
  tanh: [1, 1],
  sech: [1, 1],
  csch: [1, 1],
  coth: [1, 1],
  sec: [1, 1],
  csc: [1, 1],
  cot: [1, 1],
  cbrt: [1, 1],
  expm1: [1, 1],
  log1p: [1, 1],
  sigma: [1, 1],
  σ: [1, 1],
  sigmoid: [1, 1],
  max: [1, 4],
  min: [1, 4],
};
/** Constants a formula may name (unless a variable has the name). */
const SAFE_CONSTANTS = new Set(["e", "pi", "E", "PI"]);
/** Operators allowed, by mathjs function name. */
const SAFE_OPERATORS = new Set(["add", "subtract", "multiply", "divide", "pow", "unaryMinus", "unaryPlus"]);

const cacheFile = (...keyParts: unknown[]): string => path.join(cacheDir, "formulas", createHash("sha256").update(JSON.stringify([CACHE_VERSION, ...keyParts])).digest("hex") + ".json");

function remember(file: string, value: unknown): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written whole then renamed, so a concurrent reader never sees half a verdict.
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(value));
    fs.renameSync(tmp, file);
  } catch {
    // read-only checkout: no cache, same verdict
  }
}

export function compareFormula(learner: string, spec: FormulaSpec): FormulaVerdict {
  const file = cacheFile(learner, spec);
  const cached = readCached(file);
  if (cached) return cached;
  const verdict = decide(learner, spec);
  remember(file, verdict);
  return verdict;
}

/**
 * Whether formula `a` is formula `b` for `f`'s variables, remembered like a verdict. `b` is a
 * declared mistake's formula, which may itself not parse ("a bracket is left open"): then they
 * differ. Remembered either way: a comparison that threw was decided again in every class run,
 * and loading mathjs for it cost the grading process ~0.6 s.
 */
export function formulasAgree(a: string, b: string, f: FormulaSpec): boolean {
  const file = cacheFile("agree", a, b, f);
  try {
    const known: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    if (typeof known === "boolean") return known;
  } catch {
    // not decided yet
  }
  let agree: boolean;
  try {
    // decide, not compareFormula: this answer is what is kept, not a verdict file beside it.
    agree = decide(a, { ...f, expected: b }).ok;
  } catch {
    agree = false;
  }
  remember(file, agree);
  return agree;
}

/** A cached verdict, or null when there is none or it is not a verdict (then it is decided again). */
function readCached(file: string): FormulaVerdict | null {
  let v: unknown;
  try {
    v = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null) return null;
  const r = v as Record<string, unknown>;
  const optString = (x: unknown) => x === undefined || typeof x === "string";
  if (typeof r.ok !== "boolean" || typeof r.expectedTex !== "string" || !optString(r.why) || !optString(r.learnerTex)) return null;
  if (r.ok === false && typeof r.why !== "string") return null;
  const ratios = Array.isArray(r.ratios) && r.ratios.every((x) => typeof x === "number" && Number.isFinite(x)) ? { ratios: r.ratios as number[] } : {};
  // Every field of a verdict is read back: one left out here makes a cached verdict say less than a fresh one.
  return { ok: r.ok, why: r.why as string | undefined, learnerTex: r.learnerTex as string | undefined, expectedTex: r.expectedTex, ...ratios, ...(r.notJudged === true ? { notJudged: true as const } : {}) };
}

/** The points the numeric check samples (seeded, the same for every learner), derived variables included. */
function samplePoints(spec: FormulaSpec): Record<string, number>[] {
  const m = math();
  const derived = Object.entries(spec.derived ?? {}).map(([name, expr]) => [name, m.parse(expr).compile()] as const);
  const rng = makeRng(0x5eed);
  return Array.from({ length: POINTS }, () => {
    const scope: Record<string, unknown> = { ...EXTRA };
    for (const [name, [lo, hi]] of Object.entries(spec.vars)) scope[name] = lo + (hi - lo) * rng();
    for (const [name, c] of derived) scope[name] = c.evaluate(scope);
    return Object.fromEntries(Object.keys({ ...spec.vars, ...(spec.derived ?? {}) }).map((k) => [k, scope[k] as number]));
  });
}

/** The expected formula's values at the sample points: what the learner edition stores instead of the formula. */
export function formulaSamples(spec: FormulaSpec): FormulaSamples {
  const expected = math().parse(spec.expected).compile();
  const points = samplePoints(spec);
  return { points, values: points.map((p) => expected.evaluate({ ...EXTRA, ...p }) as number) };
}

/**
 * A course formula's values at `points` (a declared mistake's formula, while publishing
 * the learner edition), or null when it does not parse or evaluate to numbers there.
 */
export function formulaValues(formula: string, points: Record<string, number>[]): number[] | null {
  try {
    const compiled = math().parse(formula).compile();
    const values = points.map((p) => compiled.evaluate({ ...EXTRA, ...p }) as unknown);
    return values.every((v) => typeof v === "number") ? (values as number[]) : null;
  } catch {
    return null;
  }
}

function decide(learner: string, spec: FormulaSpec): FormulaVerdict {
  const m = math();
  // Without the expected formula (the learner edition) there is nothing to typeset for it.
  const expectedNode = spec.samples ? null : m.parse(spec.expected);
  const expectedTex = expectedNode ? tidyTex(expectedNode.toTex()) : "";
  const known = new Set([...Object.keys(spec.vars), ...Object.keys(spec.derived ?? {})]);
  if (learner.length > MAX_CHARS) {
    return { ok: false, why: `the formula is too long (${learner.length} characters; at most ${MAX_CHARS})`, expectedTex };
  }
  let node: MathNode;
  try {
    node = m.parse(learner);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // mathjs counts characters from 1; pos counts from 0.
    const at = /char (\d+)/.exec(msg);
    const pos = at ? Number(at[1]) - 1 : undefined;
    const pointer = pos !== undefined ? ` at character ${pos + 1}: ${learner.slice(0, pos)}⟨here⟩${learner.slice(pos)}` : "";
    return { ok: false, why: `the formula does not parse (${msg.replace(/ \(char \d+\)/, "")})${pointer}`, expectedTex, notJudged: true };
  }
  // pow(a, b), square(a) and cube(a) are ^ written as a function: the same limits on the exponent.
  node = asPowers(node);
  const checked = check(node, known);
  if ("problem" in checked) {
    // Something not allowed says what is; a limit (size, exponent, arguments) speaks for itself.
    const why = `the formula ${checked.problem}` + (/may not/.test(checked.problem) ? `: use only ${allowed(known)}` : "");
    return { ok: false, why, expectedTex, notJudged: true };
  }
  const learnerTex = tidyTex(node.toTex());
  if (checked.unknown.length > 0) {
    const unknown = checked.unknown;
    return { ok: false, why: `it uses ${unknown.join(", ")}, which ${unknown.length > 1 ? "are" : "is"} not among the variables ${[...known].join(", ")}`, learnerTex, expectedTex, notJudged: true };
  }
  if (expectedNode && !spec.derived && checked.constantExponents) {
    const difference = new m.OperatorNode("-", "subtract", [node, expectedNode]);
    if (countNodes(difference) <= SIMPLIFY_MAX_NODES) {
      try {
        if (m.simplify(difference).toString() === "0") return { ok: true, learnerTex, expectedTex };
      } catch {
        // simplify gives up on some forms: the numeric check decides
      }
    }
  }
  const compiledLearner = node.compile();
  const compiledExpected = expectedNode?.compile();
  const points = spec.samples?.points ?? samplePoints(spec);
  for (const [i, point] of points.entries()) {
    const scope: Record<string, unknown> = { ...EXTRA, ...point };
    let got: unknown;
    try {
      got = compiledLearner.evaluate({ ...scope });
    } catch (e) {
      return { ok: false, why: `it cannot be evaluated (${e instanceof Error ? e.message : String(e)})`, learnerTex, expectedTex };
    }
    const want = compiledExpected ? (compiledExpected.evaluate({ ...scope }) as number) : spec.samples!.values[i];
    if (typeof got !== "number" || !closeEnough(got, want, DEFAULT_TOLERANCE)) {
      const at = Object.keys(spec.vars).map((k) => `${k} = ${Number((scope[k] as number).toPrecision(4))}`).join(", ");
      // The ratio at every point, for a factor or sign the whole formula is off by (diagnose.ts
      // constantFactor). Points where it is right give 1: a formula right at some points and
      // −1 × right at others (2·|a − y|) is off by no one factor.
      const ratios = points.flatMap((p, j) => {
        try {
          const g: unknown = compiledLearner.evaluate({ ...EXTRA, ...p });
          const w = compiledExpected ? (compiledExpected.evaluate({ ...EXTRA, ...p }) as number) : spec.samples!.values[j];
          if (typeof g !== "number" || typeof w !== "number" || !Number.isFinite(g) || w === 0) return [];
          return closeEnough(g, w, DEFAULT_TOLERANCE) ? [1] : [g / w];
        } catch {
          return [];
        }
      });
      return { ok: false, why: `it differs from the expected formula, e.g. at ${at} it gives ${typeof got === "number" ? Number(got.toPrecision(6)) : String(got)} instead of ${Number(want.toPrecision(6))}`, learnerTex, expectedTex, ...(ratios.length > 0 ? { ratios } : {}) };
    }
  }
  return { ok: true, learnerTex, expectedTex };
}

/** A formula with pow(a, b), square(a) and cube(a) written as a ^ b, a ^ 2 and a ^ 3 (mathjs' own meaning of them). */
function asPowers(root: MathNode): MathNode {
  const m = math();
  return root.transform((n) => {
    const f = n as MathNode & { fn?: MathNode & { name?: string }; args?: MathNode[] };
    if (n.type !== "FunctionNode" || f.fn?.type !== "SymbolNode" || !f.args) return n;
    const exponent = { square: 2, cube: 3 }[f.fn.name as string];
    if (f.fn.name === "pow" && f.args.length === 2) return new m.OperatorNode("^", "pow", [asPowers(f.args[0]), asPowers(f.args[1])]);
    if (exponent !== undefined && f.args.length === 1) return new m.OperatorNode("^", "pow", [asPowers(f.args[0]), new m.ConstantNode(exponent)]);
    return n;
  });
}

/** What a formula may contain, for messages. */
function allowed(known: Set<string>): string {
  return `+ - * / ^ (or pow, square, cube), parentheses, numbers, the variables ${[...known].join(", ")}, e, pi and ${Object.keys(SAFE_FUNCTIONS).join(", ")}`;
}

/** Nodes that simplify() works on (parentheses are dropped first). */
function countNodes(node: MathNode): number {
  let n = 0;
  node.traverse((x) => {
    if (!(x as import("mathjs").ParenthesisNode).isParenthesisNode) n++;
  });
  return n;
}

type Checked = { problem: string } | { unknown: string[]; constantExponents: boolean };

/**
 * Walks the parsed formula: the first thing it may not contain (as "the
 * formula <problem>"), or else the symbols that are no variable and whether
 * every exponent is a constant.
 */
function check(root: MathNode, known: Set<string>): Checked {
  let nodes = 0;
  const unknown: string[] = [];
  let constantExponents = true;
  const show = (n: MathNode) => {
    const s = n.toString();
    return s.length > 40 ? s.slice(0, 37) + "..." : s;
  };
  // Returns a problem, or whether the subtree is a constant (no variables).
  const walk = (n: MathNode, calls = 0): string | boolean => {
    if (++nodes > MAX_NODES) return `is too long (more than ${MAX_NODES} numbers, variables, operations and parentheses; at most ${MAX_NODES})`;
    const any = n as MathNode & Record<string, unknown>;
    switch (n.type) {
      case "ConstantNode": {
        const value = any.value;
        if (typeof value === "number") return true;
        if (typeof value === "string") return `uses a string (${show(n)}), which formulas here may not use`;
        return `uses ${String(value)}, which formulas here may not use`;
      }
      case "SymbolNode": {
        const name = any.name as string;
        if (known.has(name)) return false;
        if (SAFE_CONSTANTS.has(name)) return true;
        if (!unknown.includes(name)) unknown.push(name);
        return false;
      }
      case "ParenthesisNode":
        return walk(any.content as MathNode, calls);
      case "OperatorNode": {
        const fn = any.fn as string;
        if (!SAFE_OPERATORS.has(fn)) return `uses the operator ${String(any.op)} (${fn}), which formulas here may not use`;
        const args = any.args as MathNode[];
        const constants: boolean[] = [];
        for (const a of args) {
          const r = walk(a, calls);
          if (typeof r === "string") return r;
          constants.push(r);
        }
        if (fn === "pow") {
          const exponent = args[1];
          if (!constants[1]) {
            constantExponents = false;
          } else {
            let value: unknown;
            try {
              value = exponent.compile().evaluate({});
            } catch {
              value = undefined;
            }
            if (typeof value !== "number" || !(Math.abs(value) <= MAX_EXPONENT)) {
              return `uses the exponent ${show(exponent)}${typeof value === "number" && exponent.type !== "ConstantNode" ? ` (= ${Number(value.toPrecision(4))})` : ""}, which is too large: exponents here are at most ${MAX_EXPONENT} in size`;
            }
          }
        }
        return constants.every(Boolean);
      }
      case "FunctionNode": {
        const fnNode = any.fn as MathNode & { name?: string };
        const args = any.args as MathNode[];
        if (fnNode.type !== "SymbolNode") return `calls ${show(fnNode)} as a function, which formulas here may not do`;
        const name = fnNode.name as string;
        const arity = Object.prototype.hasOwnProperty.call(SAFE_FUNCTIONS, name) ? SAFE_FUNCTIONS[name] : undefined;
        const powerArity = ({ pow: 2, square: 1, cube: 1 } as Record<string, number>)[name];
        // asPowers rewrote every call of these with the right number of arguments.
        if (powerArity !== undefined) return `calls ${name}() with ${args.length} argument${args.length === 1 ? "" : "s"} (it takes ${powerArity})`;
        if (!arity) {
          if (known.has(name)) return `uses ${name}(...), which reads as calling a function ${name}: write ${name}*(...) to multiply`;
          return `uses ${name}(), which formulas here may not use`;
        }
        if (args.length < arity[0] || args.length > arity[1]) {
          const want = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} to ${arity[1]}`;
          return `calls ${name}() with ${args.length} argument${args.length === 1 ? "" : "s"} (it takes ${want})`;
        }
        if (calls + 1 > MAX_CALL_DEPTH) return `nests function calls too deeply (more than ${MAX_CALL_DEPTH} inside one another)`;
        let constant = true;
        for (const a of args) {
          const r = walk(a, calls + 1);
          if (typeof r === "string") return r;
          constant &&= r;
        }
        return constant;
      }
      case "ArrayNode":
        return "uses a matrix or list ([...]), which formulas here may not use";
      case "AccessorNode":
      case "IndexNode":
        return "uses indexing or a property (x[...] or x.y), which formulas here may not use";
      case "AssignmentNode":
        return "assigns a variable (=), which formulas here may not do";
      case "FunctionAssignmentNode":
        return "defines a function (f(x) = ...), which formulas here may not do";
      case "BlockNode":
        return "has several statements (separated by ; or a line break), which formulas here may not have";
      case "ObjectNode":
        return "uses an object ({...}), which formulas here may not use";
      case "RangeNode":
        return "uses a range (:), which formulas here may not use";
      case "ConditionalNode":
        return "uses a condition (? :), which formulas here may not use";
      case "RelationalNode":
        return "uses a comparison, which formulas here may not use";
      default:
        return `uses a ${n.type}, which formulas here may not use`;
    }
  };
  const r = walk(root);
  if (typeof r === "string") return { problem: r };
  return { unknown, constantExponents };
}

/** mathjs writes sigma(z) as \\mathrm{sigma}(z); learners read σ(z). */
function tidyTex(tex: string): string {
  return tex
    .replace(/\\mathrm\{(?:sigma|σ|sigmoid)\}/g, "\\sigma")
    .replace(/\baPrev\b/g, "a_{\\mathrm{prev}}")
    .trim();
}
