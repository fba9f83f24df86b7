// `npm run jupyter`: register this project's tslab kernel (into node_modules,
// not your home folder) and start Jupyter on notebooks/. The learner sees the
// course, not solutions/ next to it: the answers are one `--solution` away once
// earned, never one click away in the file browser.
// `npm run jupyter -- --install-only` registers the kernel and stops (used by tests, CI and VS Code users).
// `npm run jupyter -- --authoring` is for course authors: it serves the course folder, so the
// masters in solutions/ open, with their figures (../assets/) drawn.
// Any other arguments go to Jupyter (e.g. --no-browser, --port 8899).
import { spawnSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { course } from "../exercises";
import type { Course } from "./engine/course/course";
import { installRoot } from "./engine/paths";

export const kernelPrefix = path.join(installRoot, "node_modules", ".jupyter-kernel");
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

/**
 * Whether the kernel is registered already, for this very tslab. Installing
 * again rewrites the same files: skipping it starts Jupyter faster and keeps
 * two starts at once (tests run in parallel) from writing them together.
 */
export function kernelInstalled(): boolean {
  try {
    const spec = JSON.parse(fs.readFileSync(path.join(jupyterPath, "kernels", "tslab", "kernel.json"), "utf8")) as { argv?: unknown[] };
    return spec.argv?.[0] === path.join(installRoot, "node_modules", ".bin", "tslab");
  } catch {
    return false;
  }
}

export function installKernel(): void {
  if (kernelInstalled()) return;
  const env = jupyterEnv();
  const python = pythonWithIpykernel(env);
  if (!python) throw new Error("no python with ipykernel found; install it with: sudo apt-get install python3-ipykernel (or pip install ipykernel)");
  const tslab = path.join(installRoot, "node_modules", ".bin", "tslab");
  // Race-free: install into a private folder, then move each kernel into place in one
  // rename. Two processes installing at once (test workers) never leave a half-written
  // kernel.json for a third to find; the loser of a rename finds the winner's kernel.
  fs.mkdirSync(path.dirname(kernelPrefix), { recursive: true });
  const staging = fs.mkdtempSync(`${kernelPrefix}.staging-`);
  try {
    const r = spawnSync(tslab, ["install", `--python=${python}`, `--binary=${tslab}`, `--prefix=${staging}`], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`tslab install failed: ${r.stderr || r.stdout}`);
    const from = path.join(staging, "share", "jupyter", "kernels");
    const to = path.join(jupyterPath, "kernels");
    fs.mkdirSync(to, { recursive: true });
    for (const kernel of fs.readdirSync(from)) {
      const target = path.join(to, kernel);
      // A stale kernel (another checkout's tslab path) is removed first, then replaced.
      if (kernel === "tslab" && fs.existsSync(target) && !kernelInstalled()) fs.rmSync(target, { recursive: true, force: true });
      try {
        fs.renameSync(path.join(from, kernel), target);
      } catch (e) {
        if (!fs.existsSync(path.join(target, "kernel.json"))) throw e;
      }
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  if (!kernelInstalled()) throw new Error(`tslab install did not register the kernel in ${jupyterPath}`);
}

const MISSING = `Jupyter is not installed. Install it, then run npm run jupyter again:
  Debian/Ubuntu:  sudo apt-get install jupyter-notebook python3-ipykernel
  with pip:       pip install notebook ipykernel
  VS Code:        open a notebook in notebooks/ and pick the "TypeScript" (tslab) kernel
                  after running: npm run jupyter -- --install-only`;

/**
 * The arguments Jupyter is started with. As root (containers, some cloud
 * machines) Jupyter refuses to start without --allow-root; running as root is
 * the caller's choice already made, so we pass it rather than fail.
 */
export function jupyterArgs(sub: string, argv: string[], isRoot = process.getuid?.() === 0, of: Course = course): string[] {
  const passed = argv.filter((a) => a !== "--install-only" && a !== "--authoring");
  const root = isRoot && !passed.includes("--allow-root") ? ["--allow-root"] : [];
  return [sub, "--notebook-dir", servedFolder(argv, of), ...root, ...passed];
}

/** What Jupyter serves: notebooks/ for learners; for authors (--authoring) the course folder, masters and figures included. */
export function servedFolder(argv: string[], of: Course = course): string {
  return argv.includes("--authoring") ? of.root : of.notebooksDir;
}

/**
 * How `npm run jupyter` starts Jupyter: the command's arguments, its folder and
 * its environment. The UI tests start it from here too, so they see what a
 * learner sees (only notebooks/ is served), in a copy of the course (`of`) whose notebooks
 * are untouched, never the learner's working copy.
 */
export function jupyterLaunch(sub: string, argv: string[], of: Course = course): { args: string[]; cwd: string; env: NodeJS.ProcessEnv } {
  return { args: jupyterArgs(sub, argv, undefined, of), cwd: servedFolder(argv, of), env: jupyterEnv() };
}

function main(argv: string[]): number {
  const missing = course.problem();
  if (missing) {
    process.stderr.write(`${missing}\n`);
    return 2;
  }
  const env = jupyterEnv();
  try {
    installKernel();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${MISSING}\n`);
    return 1;
  }
  console.log(`TypeScript kernel "tslab" registered in ${path.relative(installRoot, jupyterPath)}`);
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
  const served = servedFolder(argv);
  if (!fs.existsSync(served)) {
    process.stderr.write(`${served} is missing: the course's notebooks live there (restore them with git checkout -- notebooks)\n`);
    return 2;
  }
  const launch = jupyterLaunch(sub, argv);
  const child = spawn(jupyter, launch.args, { env: launch.env, stdio: "inherit", cwd: launch.cwd });
  // Ctrl+C reaches Jupyter from the terminal itself (it then asks whether to stop): we wait
  // for its answer instead of dying under it. Being stopped otherwise (a test, a closed
  // terminal) stops Jupyter too, instead of leaving it serving.
  process.on("SIGINT", () => {});
  for (const signal of ["SIGTERM", "SIGHUP"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
  return -1;
}

if (require.main === module) {
  const code = main(process.argv.slice(2));
  if (code >= 0) process.exit(code);
}
