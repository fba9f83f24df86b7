// The paste line a failure prints, `backprop(...caseInput("backprop", 7))`,
// compiles in a notebook as printed: caseInput is typed per exercise
// (grader/lab/case-inputs.ts). Proved with tslab's own TypeScript and compiler
// options against what a notebook sees (the built `backprop-lab` types), for
// every exercise whose cases call a function, next to the stub a learner starts
// from and next to the master's answer; every case's arguments fit the type;
// and the line runs in a real tslab kernel.
import * as fs from "node:fs";
import * as path from "node:path";
import type * as TS from "typescript";
import { course } from "../exercises";
import { DEFAULT_SEED } from "../grader/engine/course/cases";
import { casesFor } from "../grader/engine/stages";
import { argSource } from "../grader/engine/judge/values";
import { checkResult } from "../grader/lab/check";
import { backprop as referenceBackprop } from "../grader/lab/given";
import { learner, master, root } from "./helpers";
import { executeNotebook, joined, jupyterAvailable } from "./jupyter";
import { markedId } from "../grader/engine/notebook/cells";
import { newCell, readNotebook, writeNotebook, type NotebookJson } from "../grader/engine/notebook/notebook";

// The compiler tslab 1.0.22 bundles (TypeScript 5.0.4), not the project's own.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ts = require("@tslab/typescript-for-tslab") as typeof TS;

/** As tslab compiles a cell (converter.js): not strict, Node10 resolution, ES2022, skipLibCheck. */
const TSLAB_OPTIONS: TS.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  esModuleInterop: true,
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2022.d.ts"],
  skipLibCheck: true,
  noEmit: true,
  types: [],
};

/** The line judge.ts prints for case n of exercise id (see reproduce there). */
const pasteLine = (fn: string, id: string, n: number): string => `import { caseInput } from "backprop-lab"; ${fn}(...caseInput("${id}", ${n}))`;

interface Virtual {
  name: string;
  text: string;
  /** Where the line under test starts: diagnostics before it belong to the notebook, not to it. */
  from: number;
}

/**
 * Type-check virtual files placed in notebooks/ (so `backprop-lab` resolves as
 * in a notebook: node_modules/backprop-lab, its built .d.ts). Returns the
 * diagnostics at or after each file's `from`, as "file: message".
 */
function diagnose(files: Virtual[], options: TS.CompilerOptions): string[] {
  const byName = new Map(files.map((f) => [path.join(root, "notebooks", ".paste-check", f.name), f]));
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, lang, ...rest) => {
    const v = byName.get(name);
    return v ? ts.createSourceFile(name, v.text, lang) : getSourceFile.call(host, name, lang, ...rest);
  };
  host.fileExists = (name) => byName.has(name) || fileExists.call(host, name);
  host.readFile = (name) => byName.get(name)?.text ?? readFile.call(host, name);
  const program = ts.createProgram([...byName.keys()], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && byName.has(d.file.fileName) && (d.start ?? 0) >= byName.get(d.file.fileName)!.from)
    .map((d) => `${byName.get(d.file!.fileName)!.name}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

/** For each exercise whose cases call a function: the functions called, with the first case calling each. */
const called = course.specs
  .map((spec) => {
    const first = new Map<string, number>();
    casesFor(spec, DEFAULT_SEED).cases.forEach((c, i) => {
      const p = c.probes[0];
      if (p?.kind === "call" && !first.has(p.fn)) first.set(p.fn, i + 1);
    });
    return { spec, first };
  })
  .filter((e) => e.first.size > 0);

/** A notebook's import lines (all from its code cells) and its exercise cells by id. */
function readNotebookCells(file: string): { imports: string; cells: Map<string, string> } {
  const code = readNotebook(file).cells.filter((c) => c.type === "code").map((c) => c.source);
  const imports = code
    .flatMap((s) => s.split("\n"))
    .filter((l) => /^import\b/.test(l))
    .join("\n");
  const cells = new Map<string, string>();
  for (const s of code) {
    const id = markedId(s);
    if (id !== undefined) cells.set(id, s);
  }
  return { imports, cells };
}

test("built: the lab's types are what notebooks compile against", () => {
  // The virtual notebook files below resolve `backprop-lab` to dist/ (npm test builds it first).
  expect(fs.existsSync(path.join(root, "dist", "grader", "lab", "case-inputs.d.ts"))).toBe(true);
});

test.each(["learner stub", "master"] as const)("every printed paste line compiles in a notebook cell next to the %s, with tslab's compiler", (which) => {
  const files: Virtual[] = [];
  const missing: string[] = [];
  for (const { spec, first } of called) {
    const slug = course.chapterOf(spec.id)!.slug;
    const { imports, cells } = readNotebookCells(which === "master" ? master(slug) : learner(slug));
    const cell = cells.get(spec.id);
    if (!cell) {
      missing.push(spec.id);
      continue;
    }
    // The chapter's imports and the exercise cell, then each paste line on its own (one import of caseInput per file).
    const before = `${imports}\n${cell}\n`;
    for (const [fn, n] of first) files.push({ name: `${spec.id}-${fn}.ts`, text: before + pasteLine(fn, spec.id, n) + "\n", from: before.length });
  }
  expect(missing).toEqual([]);
  expect(files.length).toBeGreaterThanOrEqual(called.length);
  // A failure names the exercise: a new one needs its argument tuple in grader/lab/case-inputs.ts.
  expect(diagnose(files, TSLAB_OPTIONS)).toEqual([]);
}, 60_000);

test("the line the grader prints for a long failing input is one of them, and compiles as printed", () => {
  // A backprop right on small networks and wrong on large ones: its failures are printed with caseInput.
  const r = checkResult("backprop", (net: { weights: number[][][] }, x: number[], y: number[]) => {
    const g = referenceBackprop(net as Parameters<typeof referenceBackprop>[0], x, y);
    if (JSON.stringify(net).length > 300) g.biases[0][0] += 1;
    return g;
  });
  const printed = r.failures.map((f) => f.input).filter((i): i is string => i?.includes("caseInput") === true);
  expect(printed.length).toBeGreaterThan(0);
  expect(printed[0]).toMatch(/^import \{ caseInput \} from "backprop-lab"; backprop\(\.\.\.caseInput\("backprop", \d+\)\)$/);
  const { imports, cells } = readNotebookCells(learner("03-many-neurons"));
  const before = `${imports}\n${cells.get("backprop")}\n`;
  expect(diagnose([{ name: "printed.ts", text: before + printed[0] + "\n", from: before.length }], TSLAB_OPTIONS)).toEqual([]);
});

test("a spread of unknown[] is what failed before: the check would catch it", () => {
  const before = 'import { todo } from "backprop-lab";\nfunction backprop(net: { weights: number[][][] }, x: number[], y: number[]): number { return todo("backprop"); }\ndeclare const args: unknown[];\n';
  expect(diagnose([{ name: "untyped.ts", text: before + "backprop(...args);\n", from: before.length }], TSLAB_OPTIONS)).toEqual([expect.stringContaining("A spread argument must either have a tuple type or be passed to a rest parameter")]);
});

test("every case's arguments fit its exercise's tuple (strict)", () => {
  const lines = ['import type { CaseInputs } from "backprop-lab";'];
  for (const { spec } of called) {
    casesFor(spec, DEFAULT_SEED).cases.forEach((c, i) => {
      c.probes.forEach((p, k) => {
        if (p.kind === "call") lines.push(`const case_${lines.length}: CaseInputs[${JSON.stringify(spec.id)}] = [${p.args.map(argSource).join(", ")}]; // ${spec.id} case ${i + 1} probe ${k + 1}`);
      });
    });
  }
  const text = lines.join("\n") + "\n";
  const problems = diagnose([{ name: "values.ts", text, from: 0 }], { ...TSLAB_OPTIONS, strict: true, noUnusedLocals: false });
  // Name the case, not a position in a generated file.
  expect(problems.map((p) => p.slice(0, 300))).toEqual([]);
  expect(lines.length).toBeGreaterThan(called.length);
}, 60_000);

const available = jupyterAvailable();
(available ? test : test.skip)(
  "pasted into a real tslab kernel, the printed line runs after the learner's backprop",
  () => {
    const { cells } = readNotebookCells(master("03-many-neurons"));
    const nb: NotebookJson = {
      cells: [
        newCell("code", 'import { type Network, type Gradients, networkForward, sigmoidPrime } from "backprop-lab";', "c1"),
        newCell("code", cells.get("backprop")!, "c2"),
        newCell("code", pasteLine("backprop", "backprop", 7), "c3"),
        newCell("code", "function numericalDerivative(f: (x: number) => number, x: number, h = 1e-5): number {\n  return (f(x + h) - f(x - h)) / (2 * h);\n}", "c4"),
        // A second paste in the same session (caseInput imported again), a function argument rebuilt from its source.
        newCell("code", pasteLine("numericalDerivative", "numerical-derivative", 1), "c5"),
      ],
      metadata: { kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    // Inside the course folder, so `backprop-lab` resolves as it does for a learner's notebook.
    const file = path.join(root, "test-output", `paste-${process.pid}`, "paste.ipynb");
    writeNotebook(file, nb);
    try {
      const run = executeNotebook(file, { allowErrors: true, timeoutS: 120 });
      expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr.slice(-2000) }).toEqual({ code: 0, stderr: "" });
      const outputs = (n: number) => run.cells[n].outputs as { output_type: string; name?: string; text?: string | string[]; evalue?: string }[];
      const printed = (n: number) => outputs(n).map((o) => `${o.output_type}:${o.name ?? ""}:${joined(o.text)}${o.evalue ?? ""}`).join("\n");
      // No type error, no runtime error: the gradients of case 7, printed as the cell's last expression.
      expect(outputs(2).filter((o) => o.output_type === "error" || o.name === "stderr")).toEqual([]);
      expect(printed(2)).toMatch(/weights: \[/);
      expect(outputs(4).filter((o) => o.output_type === "error" || o.name === "stderr")).toEqual([]);
      expect(printed(4)).toMatch(/stdout:[\d.]+/);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  },
  180_000,
);
