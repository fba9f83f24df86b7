// Shared by the tests: temp folders, notebook surgery, and running the real CLI.
import { course } from "../exercises";
import { expectedLearner } from "../grader/build-notebooks";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { grade, resolveTargets, type GradeOptions } from "../grader/engine/grade";
import type { Report } from "../grader/engine/judge/result";
import { withExerciseBody } from "../grader/engine/notebook/cells";
import { readNotebook, sourceText, writeNotebook, type CellJson, type NotebookJson } from "../grader/engine/notebook/notebook";

export const root = course.root;
export const cli = path.join(root, "dist", "grader", "cli.js");

export function tempDir(prefix = "bp-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function sha(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

export function sourceOf(cell: Pick<CellJson, "source">): string {
  return sourceText(cell);
}

/** A copy of `notebookFile` with the cell of exercise `id` replaced by `body` (marker line kept). */
export function withExerciseCell(notebookFile: string, id: string, body: string, outFile: string): string {
  const nb = withExerciseBody(readNotebook(notebookFile).json, id, body);
  if (!nb) throw new Error(`no cell for ${id} in ${notebookFile}`);
  writeNotebook(outFile, nb);
  return outFile;
}

/** A copy of `notebookFile`, changed by `edit`, written to `outFile` (through the notebook model). */
export function editNotebook(notebookFile: string, outFile: string, edit: (nb: NotebookJson) => void): string {
  const nb = readNotebook(notebookFile).json;
  edit(nb);
  writeNotebook(outFile, nb);
  return outFile;
}

/** Packages the worker processes read: their permission model allows reads of the real path only, so a link would be refused. */
const READ_BY_WORKERS = new Set(["typescript", "isolated-vm", "mathjs"]);

/**
 * What `npm install` would put in `dir`/node_modules, without the network: links to this
 * repository's packages, copies of those the workers read. Never hard links: a new link
 * changes the file (its link count), and the tslab kernels of other tests watching it
 * would rebuild mid-cell.
 */
export function installModules(dir: string): void {
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(modules);
  for (const name of fs.readdirSync(path.join(root, "node_modules"))) {
    if (name === "backprop-lab" || name === ".cache" || name === ".jupyter-kernel") continue;
    const from = path.join(root, "node_modules", name);
    if (READ_BY_WORKERS.has(name)) fs.cpSync(from, path.join(modules, name), { recursive: true });
    else fs.symlinkSync(from, path.join(modules, name));
  }
  fs.symlinkSync(path.join("..", "grader", "lab"), path.join(modules, "backprop-lab"));
}

export async function gradePaths(paths: string[], options: GradeOptions = {}): Promise<Report> {
  const { targets, problems } = resolveTargets(course, paths);
  return grade(course, targets, options, problems);
}

/** The environment of a grading that must really run, not reuse the run's shared job results (global-setup.ts). */
/**
 * How long a hook that grades a large batch of cells (hundreds of jobs) may take. Generous on
 * purpose: on a machine loaded many times over (a whole suite beside CPU hogs) the batch is
 * slow, its verdicts are not (starved jobs are rerun with more time, see pool.ts); a short
 * hook limit would turn load into failures the grader never made.
 */
export const BATCH_HOOK_MS = 1_500_000;

export const UNSHARED = { BACKPROP_LAB_SHARED_JOBS: "" };

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: opts.cwd ?? root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...opts.env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A port the OS says is free (bound to port 0 on 127.0.0.1, then released), for servers that
 * cannot report the port they were given for port 0 (Jupyter Notebook 6 prints ":0"). Start
 * them with port retries and read the port they actually use from what they print.
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `test` where what it needs is here, else `test.skip`: a skip is counted and shown, never a
 * silent pass (a test that returns early passes), and `.ci/run` fails on any skip.
 */
export function testIf(available: boolean): jest.It {
  return available ? test : test.skip;
}

export const master = (slug: string) => course.masterPath(slug);

/**
 * The learner notebooks as the course ships them: what the masters produce, written under
 * test-output/ (inside the course, so tslab resolves `backprop-lab` from them). Tests never
 * read notebooks/, where a learner works; that notebooks/ as committed is what the masters
 * produce is strip.test.ts's job. Written whole and renamed into place: Jest's workers may
 * write the same bytes at once.
 */
let pristineDir: string | undefined;
export function pristineNotebooks(): string {
  if (pristineDir) return pristineDir;
  const dir = path.join(root, "test-output", "pristine", "notebooks");
  fs.mkdirSync(dir, { recursive: true });
  for (const c of course.chapters) {
    const file = path.join(dir, `${c.slug}.ipynb`);
    const text = expectedLearner(c.slug);
    if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === text) continue;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }
  return (pristineDir = dir);
}

/** A chapter's untouched learner notebook, as shipped (never the working copy in notebooks/). */
export const learner = (slug: string) => path.join(pristineNotebooks(), `${slug}.ipynb`);

/**
 * A copy of the course (built grader, exercises, solutions, figures, untouched learner notebooks) in a
 * temp folder, for the authoring commands that work on the course's own notebooks/
 * (build:notebooks). Its node_modules is a link to the course's, so it cannot grade: the
 * worker processes may read only the real paths of what they load.
 */
export function courseCopy(opts: { solutions?: boolean } = {}): string {
  const dir = tempDir("bp-course-");
  for (const part of ["dist", "exercises", "assets", "package.json", ...(opts.solutions === false ? [] : ["solutions"])]) {
    fs.cpSync(path.join(root, part), path.join(dir, part), { recursive: true });
  }
  fs.cpSync(pristineNotebooks(), path.join(dir, "notebooks"), { recursive: true });
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

