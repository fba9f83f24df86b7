// Feedback that is right and says why, on cells written the way learners write
// them: every mistake fails and is named on its `likely cause:` line (with the
// hint for that mistake), finite differences fail as such, honest variants pass,
// and the scorecard prints the cause, the paste-able input and how close it was.
import { ALIKE } from "../grader/engine/judge/explain";
import * as path from "node:path";
import { course } from "../exercises";
import { FIRST_ONLY, LEAVES_NEVER_LISTED } from "../exercises/05-autograd/graph-judges";
import type { GraphValue } from "../exercises/05-autograd/graphs";
import { DEFAULT_SEED, expandChecks } from "../grader/engine/course/cases";
import { FINITE_DIFFERENCES } from "../grader/engine/judge/gradcheck";
import { grade } from "../grader/engine/grade";
import type { ExerciseResult } from "../grader/engine/judge/result";
import type { Plain } from "../grader/engine/judge/values";
import { variants } from "./fixtures/variants";
import { BATCH_HOOK_MS, master, runCli, tempDir, withExerciseCell } from "./helpers";

let results: ExerciseResult[] = [];

beforeAll(async () => {
  const dir = tempDir();
  const targets = variants.map((v, i) => {
    const chapter = course.chapterOf(v.id)!;
    const file = withExerciseCell(master(chapter.slug), v.id, v.body, path.join(dir, String(i), `${chapter.slug}.ipynb`));
    return { file, chapter, only: [v.id] };
  });
  results = (await grade(course, targets)).results;
}, BATCH_HOOK_MS);

const mistakes = variants.filter((v) => !v.passes);

test.each(variants.filter((v) => v.passes).map((v) => [v.name, v] as const))("honest: %s gets full marks", (_name, v) => {
  const r = results[variants.indexOf(v)];
  expect([r.status, r.problem, r.failures[0]]).toEqual(["passed", undefined, undefined]);
});

const WRITTEN_OTHERWISE = new Set(["pls W not WT (own)", "gs uphill (own style)", "avg sums (own style)", "bp no bias grad (own)", "bp sigmaprime(a) (own)", "ng z(1-z) own", "sgd per example (own)", "ws no bias", "sig exp(z)", "sig naive overflow", "act z only", "cost abs", "cost half", "fwd no last sigma", "sp 1+", "relu abs", "ng no 2", "ng swapped", "ng dAPrev no w", "cf no x", "cg no sigma' hidden", "cg a_l+1", "gs in place", "pc no biases", "lf transposed", "nf no x", "cv mean", "dn gradient", "bp WT loops", "bp no sigma' hidden", "avg sum", "sgd uphill", "sgd sum", "te start net", "te per example", "acc count", "formula dC/da, sign flipped, written out", "formula dC/dw without σ′, in another order"]);

test.each(mistakes.map((v) => [v.name, v] as const))("mistake: %s fails and is named", (_name, v) => {
  const r = results[variants.indexOf(v)];
  expect(r.status).toBe("failed");
  expect(r.score).toBe(0);
  // Named as written where the cell's code holds the mistake's own lines; the others, written
  // in their own words (reviewed: each makes the declared mistake another way), as what their answers equal.
  const alike = WRITTEN_OTHERWISE.has(v.name);
  expect(r.likelyCause).toBe(alike ? ALIKE + v.cause : v.cause);
  // The hint shown is the one written for that mistake, when the spec has one.
  const fitting = course.spec(v.id)!.mistakeHints?.[v.cause!];
  if (fitting) expect(r.hint).toBe(alike ? `Where your code does that: ${fitting}` : fitting);
});

// Every mistake above must be named (stronger than the 80% the course promises); naming is
// only worth something if it is earned: a cell wrong in a way no known mistake describes gets
// no likely cause and the exercise's own hint, never the nearest label.
test("a wrong cell that makes none of the known mistakes gets no likely cause", async () => {
  const unknown = [
    { id: "sigmoid", body: "function sigmoid(z: number): number {\n  return 0.3 + 0.1 * Math.sin(3 * z) + 0.01 * z * z;\n}" },
    { id: "param-count", body: "function paramCount(sizes: number[]): number {\n  return sizes.reduce((s, n, i) => s + n * (i + 3) + 7 * i * i, 11);\n}" },
    { id: "d-cost-d-a", body: "function dCostDA(a: number, y: number): number {\n  return Math.cos(a) * y + a * a * a;\n}" },
  ];
  const dir = tempDir();
  const targets = unknown.map((u, i) => {
    const chapter = course.chapterOf(u.id)!;
    return { file: withExerciseCell(master(chapter.slug), u.id, u.body, path.join(dir, String(i), `${chapter.slug}.ipynb`)), chapter, only: [u.id] };
  });
  const graded = (await grade(course, targets)).results;
  expect(graded.map((r) => [r.id, r.status, r.likelyCause])).toEqual(unknown.map((u) => [u.id, "failed", undefined]));
  for (const r of graded) expect(course.spec(r.id)!.hints).toContain(r.hint);
});

test("finite differences fail every gradient exercise, with why backprop exists", () => {
  const fd = mistakes.filter((v) => v.cause === FINITE_DIFFERENCES);
  expect(new Set(fd.map((v) => v.id))).toEqual(new Set(["backprop", "previous-layer-sensitivity", "neuron-gradients", "chain-gradients"]));
  for (const v of fd) {
    const f = results[variants.indexOf(v)].failures[0];
    expect(f.why).toMatch(/finite differences give.*one forward and one backward pass.*two forward passes per parameter/);
  }
});

test("the scorecard prints the likely cause, a paste-able input, how many checks passed, and the layer table", () => {
  const v = variants.find((x) => x.name === "bp no bias grad (own)")!;
  const dir = tempDir();
  const file = withExerciseCell(master("03-many-neurons"), "backprop", v.body, path.join(dir, "03-many-neurons.ipynb"));
  const out = runCli([file, "backprop"]).stdout;
  // Its own code, not the declared mistake's lines: named as what its answers equal.
  expect(out).toMatch(/^ {2}likely cause: the answers are exactly those of this known mistake, which your code may reach another way: the bias gradients are missing \(left at zero\)$/m);
  expect(out).toMatch(/^ {2}paste: {4}(backprop\(\{ weights: \[\[\[|import \{ caseInput \} from "backprop-lab"; backprop\(\.\.\.caseInput\("backprop", \d+\)\))/m);
  const checks = expandChecks(course.spec("backprop")!, 1).filter((c) => !c.diagnostic).length;
  expect(out).toMatch(new RegExp(`^ {2}passed 0 of ${checks} checks$`, "m"));
  expect(out).toMatch(/layer \d \(output\): weights ✓ {2}biases ✗/);
  expect(out).toMatch(/first wrong layer counting from the output: layer \d/);
});

// topo-order's why for missing values comes from the answer: "only the first input" only when
// the order is exactly the chain of first inputs, else which values are missing and where.
describe("topo-order: why values are missing, said from the answer", () => {
  const cases = expandChecks(course.spec("topo-order")!, DEFAULT_SEED).filter((c) => !c.diagnostic);
  const rootOf = (c: (typeof cases)[number]) => (c.probes[0] as { args: unknown[] }).args[0] as GraphValue;
  /** Depth first with a visited set keyed by `key`, following the inputs `follow` picks, pushing what `keep` keeps. */
  const walk = (root: GraphValue, key: (v: GraphValue) => unknown, follow: (v: GraphValue) => GraphValue[] = (v) => v.inputs, keep: (v: GraphValue) => boolean = () => true): GraphValue[] => {
    const seen = new Set<unknown>();
    const order: GraphValue[] = [];
    const visit = (v: GraphValue) => {
      if (seen.has(key(v))) return;
      seen.add(key(v));
      follow(v).forEach(visit);
      if (keep(v)) order.push(v);
    };
    visit(root);
    return order;
  };
  const judged = (c: (typeof cases)[number], order: GraphValue[]) => c.judge([{ value: order as unknown as Plain, mutated: false }], []);
  const byId = (v: GraphValue) => v.id;
  const wrong = {
    "only the first input": (r: GraphValue) => walk(r, byId, (v) => v.inputs.slice(0, 1)),
    "only the last input": (r: GraphValue) => walk(r, byId, (v) => v.inputs.slice(-1)),
    "leaves never pushed": (r: GraphValue) => walk(r, byId, undefined, (v) => v.inputs.length > 0),
    "the root never pushed": (r: GraphValue) => walk(r, byId, undefined, (v) => v !== r),
    "visited keyed on data": (r: GraphValue) => walk(r, (v) => v.data),
    "visited keyed on op": (r: GraphValue) => walk(r, (v) => v.op),
  };

  test("the graphs include distinct values with equal data, which a visited set keyed on data fails", () => {
    const failed = cases.filter((c) => judged(c, wrong["visited keyed on data"](rootOf(c))));
    // (A random graph may hold equal data too: a + b and b + a, say.)
    expect(failed.map((c) => c.label)).toEqual(expect.arrayContaining([expect.stringMatching(/^topoOrder\(chapter 1's network/), expect.stringMatching(/^topoOrder\(x·\(x \+ y\) at x = y = 2\)/)]));
    for (const c of failed) expect(judged(c, wrong["visited keyed on data"](rootOf(c)))!.why).toMatch(/^\S+ is missing though it is the (first|second) input of .*\(its data, [-\d.]+, is that of \S+, which is listed/);
  });

  test.each(Object.keys(wrong))("%s: the why says only the first input only for the exact chain, and the cause only for a mistake the answer proves", (name) => {
    let failedCases = 0;
    for (const c of cases) {
      const order = wrong[name as keyof typeof wrong](rootOf(c));
      const f = judged(c, order);
      if (!f) continue;
      failedCases++;
      const chain = walk(rootOf(c), byId, (v) => v.inputs.slice(0, 1));
      const exactChain = order.map((v) => v.id).join() === chain.map((v) => v.id).join();
      expect([c.label, /not only the first/.test(f.why ?? "")]).toEqual([c.label, exactChain]);
      // A graph of one leaf gives [] for more than one mistake: it fits the cause without proving it.
      const lone = rootOf(c).inputs.length === 0;
      const leavesMissing = name === "leaves never pushed" || (name === "the root never pushed" && lone);
      expect([c.label, f.cause, f.fits]).toEqual([c.label, exactChain ? FIRST_ONLY : leavesMissing && !lone ? LEAVES_NEVER_LISTED : undefined, leavesMissing && lone ? LEAVES_NEVER_LISTED : undefined]);
    }
    expect(failedCases).toBeGreaterThan(0);
  });

  test("a lone leaf left out: the why names the root and the leaf, not the inputs", () => {
    const lone = cases.find((c) => rootOf(c).inputs.length === 0)!;
    const f = judged(lone, []);
    expect(f?.why).toBe("nothing is listed, not even x, the root and a leaf (a value with no inputs): the value topoOrder is given is listed, even when it has no inputs");
  });
});
