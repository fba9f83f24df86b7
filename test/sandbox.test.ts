// What learner code may use while graded: mathjs (its matrices are accepted
// and converted), console output (kept, shown with failures); and `--watch`.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { cli, gradePaths, master, root, tempDir, withExerciseCell } from "./helpers";

test("a layer written with mathjs matrices, returning a Matrix, is accepted", async () => {
  const body = `import * as math from "mathjs";
function layerForward(W: number[][], aPrev: number[], b: number[]): number[] {
  const z = math.add(math.multiply(math.matrix(W), math.matrix(aPrev)), math.matrix(b));
  return math.map(z, (v: number) => 1 / (1 + Math.exp(-v))) as unknown as number[];
}`;
  const dir = tempDir();
  const file = withExerciseCell(master("03-many-neurons"), "layer-forward", body, path.join(dir, "03-many-neurons.ipynb"));
  const r = (await gradePaths([file], { only: ["layer-forward"] })).results[0];
  expect([r.status, r.problem]).toEqual(["passed", undefined]);
});

test("mathjs is not available to a cell that did not import it", async () => {
  const body = "function paramCount(sizes: number[]): number {\n  return (globalThis as any).math.sum(sizes);\n}";
  const dir = tempDir();
  const file = withExerciseCell(master("03-many-neurons"), "param-count", body, path.join(dir, "03-many-neurons.ipynb"));
  const r = (await gradePaths([file], { only: ["param-count"] })).results[0];
  expect(r.status).toBe("failed");
});

test("console output of a failing exercise is kept for the report", async () => {
  const body = 'function sigmoid(z: number): number {\n  console.log("z is", z);\n  return 0.5;\n}';
  const dir = tempDir();
  const file = withExerciseCell(master("01-forward-pass"), "sigmoid", body, path.join(dir, "01-forward-pass.ipynb"));
  const r = (await gradePaths([file], { only: ["sigmoid"] })).results[0];
  expect(r.status).toBe("failed");
  expect(r.console[0]).toBe("z is 0");
});

test("--watch grades again when a notebook is saved", async () => {
  const dir = tempDir();
  const file = path.join(dir, "01-forward-pass.ipynb");
  fs.copyFileSync(path.join(root, "notebooks", "01-forward-pass.ipynb"), file);
  const child = spawn(process.execPath, [cli, file, "weighted-sum", "--watch"], { env: { ...process.env, NO_COLOR: "1" } });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const waitFor = async (re: RegExp) => {
    for (let i = 0; i < 200 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    return re.test(out);
  };
  try {
    expect(await waitFor(/weighted-sum\s+0\/1\s+not started[\s\S]*Watching/)).toBe(true);
    // Save the way Jupyter does: write a temporary file, then rename it over the notebook.
    withExerciseCell(master("01-forward-pass"), "weighted-sum", "function weightedSum(w: number, aPrev: number, b: number): number {\n  return w * aPrev + b;\n}", `${file}.tmp`);
    fs.renameSync(`${file}.tmp`, file);
    expect(await waitFor(/weighted-sum\s+1\/1\s+passed/)).toBe(true);
  } finally {
    child.kill();
  }
}, 30_000);
