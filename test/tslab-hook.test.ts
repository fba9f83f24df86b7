// The kernel hooks (grader/lab/kernel.ts) patch tslab's internals, so they are
// only as good as the match between the tslab installed and the one they were
// written against. These tests fail when an install brings another tslab, and
// show what check() says, instead of a verdict, in a kernel whose tslab differs.
import * as fs from "node:fs";
import * as path from "node:path";
import type { ExerciseResult } from "../grader/engine/judge/result";
import { TSLAB_VERSION, tslabInternalsAt, tslabMismatch, type TslabInternals } from "../grader/lab/kernel";
import { root } from "./helpers";

const jupyterJs = require.resolve("tslab/dist/jupyter.js", { paths: [root] });
const installed = (): TslabInternals => tslabInternalsAt(jupyterJs, require(jupyterJs));

test("package.json pins tslab exactly at the version the hooks were written for, and that version is locked and installed", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const lock = JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
  const onDisk = JSON.parse(fs.readFileSync(path.join(root, "node_modules/tslab/package.json"), "utf8")) as { version: string };
  expect([pkg.dependencies.tslab, lock.packages["node_modules/tslab"].version, onDisk.version]).toEqual([TSLAB_VERSION, TSLAB_VERSION, TSLAB_VERSION]);
});

test("the installed tslab has every internal the hooks patch", () => {
  expect(tslabMismatch(installed())).toBeUndefined();
});

describe("a tslab that no longer matches is named in one line that says what to do", () => {
  const oneLine = (s: string | undefined): string => {
    expect(s).toBeDefined();
    expect(s).not.toContain("\n");
    expect(s).toContain("npm install");
    return s!;
  };

  test("another version", () => {
    const line = oneLine(tslabMismatch({ ...installed(), version: "1.0.23" }));
    expect(line).toContain("tslab 1.0.23");
    expect(line).toContain(`tslab ${TSLAB_VERSION}`);
  });

  test("an unreadable version", () => {
    expect(oneLine(tslabMismatch({ ...installed(), version: undefined }))).toContain("unknown version");
  });

  test("the execute handler renamed, or no longer executing req.code", () => {
    class Renamed {
      async handleExecute(req: { code: string }): Promise<string> {
        return req.code;
      }
    }
    class Other {
      async handleExecuteImpl(req: { source: string }): Promise<string> {
        return req.source;
      }
    }
    for (const JupyterHandlerImpl of [Renamed, Other]) expect(oneLine(tslabMismatch({ ...installed(), jupyter: { JupyterHandlerImpl } }))).toContain("handleExecuteImpl");
    expect(oneLine(tslabMismatch({ ...installed(), jupyter: {} }))).toContain("handleExecuteImpl");
  });

  test("an executor that no longer runs cells through the vm module object", () => {
    const destructured = installed().executorSource!.replace(/vm_1\.default\.runInThisContext\(/g, "runInThisContext(");
    expect(oneLine(tslabMismatch({ ...installed(), executorSource: destructured }))).toContain("vm.runInThisContext");
    expect(oneLine(tslabMismatch({ ...installed(), executorSource: undefined }))).toContain("vm.runInThisContext");
  });
});

describe("check() in a kernel", () => {
  const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

  /** A fresh lab (module state is per kernel session) whose kernel hook saw `found`. */
  function labSeeing(found: TslabInternals): { hooked: boolean; checkResult: (id: string, ...v: unknown[]) => ExerciseResult } {
    let lab: { hooked: boolean; checkResult: (id: string, ...v: unknown[]) => ExerciseResult } | undefined;
    jest.isolateModules(() => {
      const kernel = require("../grader/lab/kernel") as typeof import("../grader/lab/kernel");
      const hooked = kernel.watchKernelCells(found); // before check.ts, whose import would look for the kernel's own
      lab = { hooked, checkResult: (require("../grader/lab/check") as typeof import("../grader/lab/check")).checkResult };
    });
    return lab!;
  }

  test("with another tslab: no verdict on the values passed in, the one line instead", () => {
    const found = { ...installed(), version: "1.0.23" };
    const lab = labSeeing(found);
    expect(lab.hooked).toBe(false);
    const r = lab.checkResult("sigmoid", sigmoid);
    expect([r.status, r.problem, r.score]).toEqual(["error", tslabMismatch(found), 0]);
  });

  test("with the installed tslab: hooked, and check() grades as it always did", () => {
    // A fresh copy of tslab's module (isolateModules), so patching its class touches nothing else.
    let found: TslabInternals | undefined;
    jest.isolateModules(() => {
      found = tslabInternalsAt(jupyterJs, require(jupyterJs));
    });
    const lab = labSeeing(found!);
    expect(lab.hooked).toBe(true);
    expect(lab.checkResult("sigmoid", sigmoid).status).toBe("passed");
  });
});
