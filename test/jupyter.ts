// Run a notebook in real Jupyter with this project's tslab kernel, into a temp
// folder (the notebook itself is never written). Skipped where Jupyter is
// absent, except under CI, where a missing Jupyter is a failure.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { installKernel, jupyterEnv } from "../grader/jupyter";
import { tempDir } from "./helpers";
import { readNotebook, sourceText } from "../grader/engine/notebook/notebook";

export const underCI = Boolean(process.env.CI);

export function jupyterAvailable(): boolean {
  const r = spawnSync("jupyter", ["nbconvert", "--version"], { env: jupyterEnv() });
  if (r.status === 0) return true;
  if (underCI) throw new Error("CI must run the notebooks, but `jupyter nbconvert` is missing: apt-get install jupyter-nbconvert jupyter-client python3-ipykernel");
  return false;
}

let kernelReady = false;

export interface OutputCell {
  number: number;
  source: string;
  outputs: { output_type: string; text?: string | string[]; data?: Record<string, string | string[]>; ename?: string; evalue?: string; traceback?: string[] }[];
}

export function executeNotebook(file: string, opts: { allowErrors?: boolean; timeoutS?: number } = {}): { code: number; stderr: string; cells: OutputCell[]; outFile: string } {
  if (!kernelReady) {
    installKernel();
    kernelReady = true;
  }
  const dir = tempDir("bp-nb-");
  const name = path.basename(file, ".ipynb") + ".executed.ipynb";
  const args = ["nbconvert", "--to", "notebook", "--execute", file, "--output-dir", dir, "--output", name, `--ExecutePreprocessor.timeout=${opts.timeoutS ?? 300}`];
  if (opts.allowErrors) args.push("--allow-errors");
  // Run from the notebook's folder, as Jupyter does, so relative paths resolve the same.
  // BACKPROP_LAB_QUICK: chapter 4 trains on a small slice of MNIST so the suite stays fast.
  const r = spawnSync("jupyter", args, { env: { ...jupyterEnv(), BACKPROP_LAB_QUICK: "1" }, cwd: path.dirname(file), encoding: "utf8" });
  const outFile = path.join(dir, name);
  const cells: OutputCell[] = [];
  if (fs.existsSync(outFile)) {
    // Executed notebooks hold a few MB of plotly.js: well under the model's size limit.
    readNotebook(outFile).json.cells.forEach((c, i) => {
      if (c.cell_type === "code") cells.push({ number: i + 1, source: sourceText(c), outputs: (c.outputs ?? []) as OutputCell["outputs"] });
    });
  }
  return { code: r.status ?? -1, stderr: r.stderr, cells, outFile };
}

export function joined(v: string | string[] | undefined): string {
  return Array.isArray(v) ? v.join("") : (v ?? "");
}
