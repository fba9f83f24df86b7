// `npm run jupyter`: register this project's tslab kernel (into node_modules,
// not your home folder) and start Jupyter in the course folder.
// `npm run jupyter -- --install-only` registers the kernel and stops (used by tests and CI).
import { spawnSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "./engine/paths";

export const kernelPrefix = path.join(repoRoot, "node_modules", ".jupyter-kernel");
export const jupyterPath = path.join(kernelPrefix, "share", "jupyter");

/** Debian's jupyter needs Debian's python; a pyenv python3 earlier on PATH would shadow it. */
export function jupyterEnv(): NodeJS.ProcessEnv {
  const sep = path.delimiter;
  return {
    ...process.env,
    PATH: ["/usr/bin", process.env.PATH ?? ""].join(sep),
    JUPYTER_PATH: [jupyterPath, process.env.JUPYTER_PATH ?? ""].filter(Boolean).join(sep),
  };
}

function which(cmd: string, env: NodeJS.ProcessEnv): string | null {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { env, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function pythonWithIpykernel(env: NodeJS.ProcessEnv): string | null {
  for (const py of ["/usr/bin/python3", "python3", "python"]) {
    const r = spawnSync(py, ["-c", "import ipykernel"], { env });
    if (r.status === 0) return py;
  }
  return null;
}

export function installKernel(): void {
  const env = jupyterEnv();
  const python = pythonWithIpykernel(env);
  if (!python) throw new Error("no python with ipykernel found; install it with: sudo apt-get install python3-ipykernel (or pip install ipykernel)");
  const tslab = path.join(repoRoot, "node_modules", ".bin", "tslab");
  const r = spawnSync(tslab, ["install", `--python=${python}`, `--binary=${tslab}`, `--prefix=${kernelPrefix}`], { env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tslab install failed: ${r.stderr || r.stdout}`);
}

const MISSING = `Jupyter is not installed. Install it, then run npm run jupyter again:
  Debian/Ubuntu:  sudo apt-get install jupyter-notebook python3-ipykernel
  with pip:       pip install notebook ipykernel
  VS Code:        open a notebook in notebooks/ and pick the "TypeScript" (tslab) kernel
                  after running: npm run jupyter -- --install-only`;

function main(argv: string[]): number {
  const env = jupyterEnv();
  try {
    installKernel();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${MISSING}\n`);
    return 1;
  }
  console.log(`TypeScript kernel "tslab" registered in ${path.relative(repoRoot, jupyterPath)}`);
  if (argv.includes("--install-only")) return 0;
  const jupyter = which("jupyter", env);
  if (!jupyter) {
    process.stderr.write(MISSING + "\n");
    return 1;
  }
  const sub = ["lab", "notebook"].find((s) => spawnSync(jupyter, [s, "--version"], { env }).status === 0);
  if (!sub) {
    process.stderr.write(`Found ${jupyter}, but neither \`jupyter lab\` nor \`jupyter notebook\`.\n\n${MISSING.replace("Jupyter is not installed", "Jupyter Notebook or JupyterLab is not installed")}\n`);
    return 1;
  }
  fs.mkdirSync(kernelPrefix, { recursive: true });
  const child = spawn(jupyter, [sub, "--notebook-dir", repoRoot, ...argv.filter((a) => a !== "--install-only")], { env, stdio: "inherit", cwd: repoRoot });
  child.on("exit", (code) => process.exit(code ?? 0));
  return -1;
}

if (require.main === module) {
  const code = main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
}
