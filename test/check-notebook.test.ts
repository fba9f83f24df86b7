// In real Jupyter: notebooks with planted mistakes (and the cancel-out pair, a
// wrong sigmoidPrime that a wrong neuronGradients compensates) run top to
// bottom, and every check cell's verdict is the grader's verdict on the same
// file, exercise by exercise.
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import { grade } from "../grader/engine/grade";
import { master, root, withExerciseCell } from "./helpers";
import { executeNotebook, joined, jupyterAvailable } from "./jupyter";

const available = jupyterAvailable();
const maybe = available ? test : test.skip;

/**
 * A copy of a master with some exercise cells replaced. It lives under the project
 * (git-ignored), because tslab resolves `import … from "backprop-lab"` from the
 * notebook's folder without following symlinks.
 */
function planted(slug: string, cells: Record<string, string>): string {
  const parent = path.join(root, ".test-notebooks");
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, `${slug}-`));
  made.push(dir);
  let file = master(slug);
  for (const [id, body] of Object.entries(cells)) file = withExerciseCell(file, id, body, path.join(dir, `${slug}.ipynb`));
  return file;
}

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

const mutant = (id: string, pick: RegExp) => {
  const spec = course.spec(id)!;
  const label = Object.keys(spec.mutants).find((m) => pick.test(m))!;
  return spec.mutants[label];
};

const PLANTS: Record<string, Record<string, string>> = {
  "02-chain-rule": {
    // The cancel-out pair: right together in a kernel that used the learner's own σ′, both wrong.
    "sigmoid-prime": "function sigmoidPrime(a: number): number {\n  return a * (1 - a);\n}",
    "neuron-gradients": "function neuronGradients(w: number, aPrev: number, b: number, y: number): { dW: number; dB: number; dAPrev: number } {\n  const a = sigmoid(weightedSum(w, aPrev, b));\n  const delta = sigmoidPrime(a) * dCostDA(a, y);\n  return { dW: aPrev * delta, dB: delta, dAPrev: w * delta };\n}",
    relu: mutant("relu", /absolute/),
    "chain-gradients": mutant("chain-gradients", /off by one/),
  },
  "03-many-neurons": {
    // Correct, and built on an earlier exercise's function.
    "previous-layer-sensitivity": "function previousLayerSensitivity(W: number[][], aPrev: number[], b: number[], y: number[]): number[] {\n  const a = layerForward(W, aPrev, b);\n  const z = W.map((row, j) => row.reduce((s, w, k) => s + w * aPrev[k], b[j]));\n  return aPrev.map((_, k) => W.reduce((s, row, j) => s + row[k] * sigmoidPrime(z[j]) * 2 * (a[j] - y[j]), 0));\n}",
    backprop: mutant("backprop", /W instead of Wᵀ/),
    "layer-forward": mutant("layer-forward", /transposed/),
  },
};

describe.each(Object.keys(PLANTS))("%s with planted mistakes, in Jupyter", (slug) => {
  maybe("every check cell shows the grader's verdict for its exercise", async () => {
    const chapter = course.chapters.find((c) => c.slug === slug)!;
    const file = planted(slug, PLANTS[slug]);
    const graded = await grade(course, [{ file, chapter }]);
    const run = executeNotebook(file, { allowErrors: true });
    const seen: Record<string, string> = {};
    for (const c of run.cells) {
      const id = /^check\("([a-z0-9-]+)"/m.exec(c.source)?.[1];
      if (!id) continue;
      const html = c.outputs.map((o) => joined(o.data?.["text/html"])).join("");
      const status = /bp-verdict bp-([a-z-]+)/.exec(html)?.[1] ?? "no verdict";
      const points = /(\d+)\/(\d+) points?/.exec(html)?.[1] ?? "0";
      seen[id] = `${status} ${points}`;
    }
    const expected = Object.fromEntries(graded.results.map((r) => [r.id, `${r.status} ${r.score}`]));
    expect(seen).toEqual(expected);
    for (const id of Object.keys(PLANTS[slug])) expect([id, seen[id]]).toEqual([id, id === "previous-layer-sensitivity" ? expect.stringMatching(/^passed/) : expect.stringMatching(/^failed/)]);
  }, 240_000);
});
