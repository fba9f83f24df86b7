// Answers typed as formulas ("2*(a - y)"), checked for equivalence with the
// expected formula by mathjs: symbolically where simplify() proves the
// difference is 0, numerically at seeded random points otherwise (and always
// when variables are tied, like a = σ(z)). mathjs takes ~1 s to load, so
// verdicts are cached on disk and mathjs is loaded only on a cache miss.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { makeRng } from "../lab/rng";
import { cacheDir } from "./paths";
import { closeEnough } from "./tolerance";

export interface FormulaSpec {
  /** The expected formula, in mathjs syntax. */
  expected: string;
  /** Free variables and the range to sample them from. */
  vars: Record<string, [number, number]>;
  /** Variables computed from others, e.g. { a: "sigma(z)" }: sampled consistently. */
  derived?: Record<string, string>;
}

export interface FormulaVerdict {
  ok: boolean;
  /** Why not, in one sentence (parse error with position, unknown variable, differs at a point). */
  why?: string;
  learnerTex?: string;
  expectedTex: string;
}

const CACHE_VERSION = "3";
const POINTS = 25;

type MathJs = typeof import("mathjs");
let mathjs: MathJs | null = null;
function math(): MathJs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  mathjs ??= require("mathjs") as MathJs;
  return mathjs;
}

const sigma = (z: number) => 1 / (1 + Math.exp(-z));
/** Functions a formula may use beyond mathjs' own (exp, log, sqrt, e, ...). */
const EXTRA = { sigma, σ: sigma, sigmoid: sigma };

export function compareFormula(learner: string, spec: FormulaSpec): FormulaVerdict {
  const key = createHash("sha256").update(JSON.stringify([CACHE_VERSION, learner, spec])).digest("hex");
  const file = path.join(cacheDir, "formulas", key + ".json");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as FormulaVerdict;
  } catch {
    const verdict = decide(learner, spec);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(verdict));
    } catch {
      // read-only checkout: no cache, same verdict
    }
    return verdict;
  }
}

function decide(learner: string, spec: FormulaSpec): FormulaVerdict {
  const m = math();
  const expectedNode = m.parse(spec.expected);
  const expectedTex = tidyTex(expectedNode.toTex());
  let node: import("mathjs").MathNode;
  try {
    node = m.parse(learner);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const at = /char (\d+)/.exec(msg);
    const pos = at ? Number(at[1]) : undefined;
    const pointer = pos !== undefined ? ` at character ${pos + 1}: ${learner.slice(0, pos)}⟨here⟩${learner.slice(pos)}` : "";
    return { ok: false, why: `the formula does not parse (${msg.replace(/ \(char \d+\)/, "")})${pointer}`, expectedTex };
  }
  const learnerTex = tidyTex(node.toTex());
  const known = new Set([...Object.keys(spec.vars), ...Object.keys(spec.derived ?? {})]);
  const unknown = node
    .filter((n) => (n as import("mathjs").SymbolNode).isSymbolNode === true)
    .map((n) => (n as import("mathjs").SymbolNode).name)
    .filter((name, i, all) => all.indexOf(name) === i)
    .filter((name) => !known.has(name) && !(name in EXTRA) && !(name in m));
  if (unknown.length > 0) {
    return { ok: false, why: `it uses ${unknown.join(", ")}, which ${unknown.length > 1 ? "are" : "is"} not among the variables ${[...known].join(", ")}`, learnerTex, expectedTex };
  }
  if (!spec.derived) {
    try {
      const difference = m.simplify(m.parse(`(${learner}) - (${spec.expected})`));
      if (difference.toString() === "0") return { ok: true, learnerTex, expectedTex };
    } catch {
      // simplify gives up on some forms: the numeric check decides
    }
  }
  const compiledLearner = node.compile();
  const compiledExpected = expectedNode.compile();
  const derived = Object.entries(spec.derived ?? {}).map(([name, expr]) => [name, m.parse(expr).compile()] as const);
  const rng = makeRng(0x5eed);
  for (let i = 0; i < POINTS; i++) {
    const scope: Record<string, unknown> = { ...EXTRA };
    for (const [name, [lo, hi]] of Object.entries(spec.vars)) scope[name] = lo + (hi - lo) * rng();
    for (const [name, c] of derived) scope[name] = c.evaluate(scope);
    let got: unknown;
    try {
      got = compiledLearner.evaluate({ ...scope });
    } catch (e) {
      return { ok: false, why: `it cannot be evaluated (${e instanceof Error ? e.message : String(e)})`, learnerTex, expectedTex };
    }
    const want = compiledExpected.evaluate({ ...scope }) as number;
    if (typeof got !== "number" || !closeEnough(got, want, { rel: 1e-9, abs: 1e-12 })) {
      const at = Object.keys(spec.vars).map((k) => `${k} = ${Number((scope[k] as number).toPrecision(4))}`).join(", ");
      return { ok: false, why: `it differs from the expected formula, e.g. at ${at} it gives ${typeof got === "number" ? Number(got.toPrecision(6)) : String(got)} instead of ${Number(want.toPrecision(6))}`, learnerTex, expectedTex };
    }
  }
  return { ok: true, learnerTex, expectedTex };
}

/** mathjs writes sigma(z) as \\mathrm{sigma}(z); learners read σ(z). */
function tidyTex(tex: string): string {
  return tex
    .replace(/\\mathrm\{(?:sigma|σ|sigmoid)\}/g, "\\sigma")
    .replace(/\baPrev\b/g, "a_{\\mathrm{prev}}")
    .trim();
}
