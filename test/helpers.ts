// Shared by the tests: temp folders, notebook surgery, and running the real CLI.
import { course } from "../exercises";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { grade, resolveTargets, type GradeOptions } from "../grader/engine/grade";
import type { Report } from "../grader/engine/result";
import { withExerciseBody } from "../grader/engine/cells";
import { readNotebook, sourceText, writeNotebook, type CellJson, type NotebookJson } from "../grader/engine/notebook";

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

export function runCli(args: string[], opts: { cwd?: string } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: opts.cwd ?? root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
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
export const learner = (slug: string) => course.learnerPath(slug);
