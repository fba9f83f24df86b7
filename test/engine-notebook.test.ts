// Reading a notebook (notebook.ts) and finding its exercise cells (cells.ts),
// in this process, on small notebooks written here: every way a file can be
// broken gives its own sentence, and every near-miss of a marker is named.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { editDistance, exerciseSource, findExerciseCells, firstLine, givenCells, headingAbove, headingText, markedCells, markedId, markerLine, MAX_CELL_PROBLEMS, MAX_HEADING_CHARS, withExerciseBody } from "../grader/engine/notebook/cells";
import { MAX_NOTEBOOK_BYTES, newCell, NotebookError, parseNotebook, readNotebook, readNotebookText, serializeNotebook, sourceText, toLines, withSource, writeNotebook, writeNotebookText, type Notebook, type NotebookJson } from "../grader/engine/notebook/notebook";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bp-notebook-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(content: string | Buffer): string {
  const f = path.join(dir, `nb${++n}.ipynb`);
  fs.writeFileSync(f, content);
  return f;
}

type RawCell = { cell_type: string; source: string | string[] };
const json = (cells: RawCell[], extra: Record<string, unknown> = {}) => JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "tslab" } }, cells, ...extra });
const code = (source: string | string[]): RawCell => ({ cell_type: "code", source });
const md = (source: string | string[]): RawCell => ({ cell_type: "markdown", source });

/** The NotebookError `f` throws, as [file, message]. */
function refusal(f: () => unknown): [string, string] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NotebookError);
    expect((e as NotebookError).name).toBe("NotebookError");
    return [(e as NotebookError).notebook, (e as NotebookError).message];
  }
  throw new Error("no NotebookError was thrown");
}

describe("readNotebook", () => {
  test("reads cells with their numbers, types and sources (lists of lines joined), and the metadata", () => {
    const f = file(json([md(["# Title\n", "text"]), code("const x = 1;"), { cell_type: "raw", source: [] }]));
    const nb = readNotebook(f);
    expect(nb.path).toBe(f);
    expect(nb.cells).toEqual([
      { number: 1, type: "markdown", source: "# Title\ntext" },
      { number: 2, type: "code", source: "const x = 1;" },
      { number: 3, type: "raw", source: "" },
    ]);
    expect(nb.metadata).toEqual({ kernelspec: { name: "tslab" } });
  });

  test("a notebook without metadata (or with metadata that is no object) reads as empty metadata", () => {
    expect(parseNotebook(JSON.stringify({ nbformat: 4, cells: [] }), "x").metadata).toEqual({});
    expect(parseNotebook(JSON.stringify({ nbformat: 4, cells: [], metadata: null }), "x").metadata).toEqual({});
    expect(parseNotebook(JSON.stringify({ nbformat: 4, cells: [], metadata: "m" }), "x").metadata).toEqual({});
  });

  test("never changes the file", () => {
    const text = json([code("// exercise: sigmoid\nfunction sigmoid(z: number) { return z; }")]);
    const f = file(text);
    const before = fs.statSync(f).mtimeMs;
    readNotebook(f);
    expect(fs.readFileSync(f, "utf8")).toBe(text);
    expect(fs.statSync(f).mtimeMs).toBe(before);
  });

  test("UTF-8 text, multi-byte characters included, is read whole", () => {
    const f = file(json([md("## Step 2 · σ′(z) → ✓")]));
    expect(readNotebook(f).cells[0].source).toBe("## Step 2 · σ′(z) → ✓");
  });

  test("a missing file, a folder, a symbolic link, a FIFO", () => {
    const missing = path.join(dir, "nope.ipynb");
    expect(refusal(() => readNotebook(missing))).toEqual([missing, "file not found"]);
    const folder = path.join(dir, "folder.ipynb");
    fs.mkdirSync(folder);
    expect(refusal(() => readNotebook(folder))).toEqual([folder, "is a folder, not a notebook"]);
    const link = path.join(dir, "link.ipynb");
    fs.symlinkSync(file(json([])), link);
    expect(refusal(() => readNotebook(link))[1]).toBe("is a symbolic link, not a notebook file: links in submissions are never followed, so it was not graded. Submit the notebook file itself");
    const fifo = path.join(dir, "fifo.ipynb");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    expect(refusal(() => readNotebook(fifo))).toEqual([fifo, "is not a regular file, so it was not graded"]);
  });

  test("a file over the size limit is refused unread, with its size and the way out", () => {
    const f = path.join(dir, "big.ipynb");
    // Sparse: the size is what counts, and nothing is read.
    fs.writeFileSync(f, "");
    fs.truncateSync(f, MAX_NOTEBOOK_BYTES + 1);
    expect(refusal(() => readNotebook(f))[1]).toBe(
      `is 20.0 MB (${MAX_NOTEBOOK_BYTES + 1} bytes), more than the 20.0 MB a notebook may be, so it was not graded: clear its outputs (Jupyter: Edit > Clear Outputs of All Cells) and save it again`,
    );
    // Exactly at the limit is read (and then found not to be JSON).
    fs.truncateSync(f, MAX_NOTEBOOK_BYTES);
    expect(refusal(() => readNotebook(f))[1]).toMatch(/^is not valid JSON/);
  });

  test("any other reason a file cannot be read is named by its code", () => {
    const under = path.join(file(json([])), "x.ipynb");
    expect(refusal(() => readNotebook(under))).toEqual([under, "cannot be read (ENOTDIR)"]);
    const long = path.join(dir, "n".repeat(300) + ".ipynb");
    expect(refusal(() => readNotebook(long))[1]).toBe("cannot be read (ENAMETOOLONG)");
  });
});

describe("parseNotebook: each broken file gets its own sentence", () => {
  test.each<[string, string, string]>([
    ["empty", "", "the file is empty (0 cells): was it saved while Jupyter was still writing it? Restore it from git or from Jupyter's checkpoints"],
    ["only white space", " \n\t", "the file is empty (0 cells): was it saved while Jupyter was still writing it? Restore it from git or from Jupyter's checkpoints"],
    ["JSON but an array", "[1]", "is JSON but not a notebook (expected an object with `cells`)"],
    ["JSON but null", "null", "is JSON but not a notebook (expected an object with `cells`)"],
    ["JSON but a number", "4", "is JSON but not a notebook (expected an object with `cells`)"],
    ["nbformat 3", JSON.stringify({ nbformat: 3, cells: [] }), "has nbformat 3; only nbformat 4 notebooks can be graded"],
    ["no nbformat", JSON.stringify({ cells: [] }), "has nbformat undefined; only nbformat 4 notebooks can be graded"],
    ["nbformat as text", JSON.stringify({ nbformat: "4", cells: [] }), 'has nbformat "4"; only nbformat 4 notebooks can be graded'],
    ["no cells", JSON.stringify({ nbformat: 4 }), "has no `cells` list"],
    ["cells not a list", JSON.stringify({ nbformat: 4, cells: {} }), "has no `cells` list"],
    ["a cell that is no object", JSON.stringify({ nbformat: 4, cells: [{ cell_type: "code", source: "" }, 7] }), "cell 2 is not an object"],
    ["a null cell", JSON.stringify({ nbformat: 4, cells: [null] }), "cell 1 is not an object"],
    ["an unknown cell type", JSON.stringify({ nbformat: 4, cells: [{ cell_type: "heading", source: "" }] }), 'cell 1 has an unknown cell_type "heading"'],
    ["a cell without a type", JSON.stringify({ nbformat: 4, cells: [{ source: "" }] }), "cell 1 has an unknown cell_type undefined"],
    ["a source that is a number", JSON.stringify({ nbformat: 4, cells: [{ cell_type: "code", source: 1 }] }), "cell 1 has a source that is neither text nor a list of lines"],
    ["a source list with a number", JSON.stringify({ nbformat: 4, cells: [{ cell_type: "code", source: ["a", 1] }] }), "cell 1 has a source that is neither text nor a list of lines"],
    ["no source", JSON.stringify({ nbformat: 4, cells: [{ cell_type: "markdown" }] }), "cell 1 has a source that is neither text nor a list of lines"],
  ])("%s", (_, text, message) => {
    expect(refusal(() => parseNotebook(text, "n.ipynb"))).toEqual(["n.ipynb", message]);
  });

  /** The parser's own message for `text`: ours must carry it. */
  const parserSays = (text: string): string => {
    try {
      JSON.parse(text);
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error("valid JSON");
  };

  test("invalid JSON names the line of the file where it breaks, not the character position", () => {
    const text = '{\n  "nbformat": 4\n  "cells": []\n}';
    const said = parserSays(text);
    expect(said).toMatch(/ in JSON at position \d+/);
    const [, message] = refusal(() => parseNotebook(text, "n.ipynb"));
    expect(message).toBe(`is not valid JSON (${said.replace(/ in JSON at position.*$/, "")} at line 3 of the file); a notebook edited outside Jupyter can break this way: restore it from git or checkpoints`);
  });

  test("a break within the first ten characters is placed too", () => {
    const text = '{\n,"cells": []}';
    const said = parserSays(text);
    expect(said).toMatch(/ in JSON at position \d$/);
    expect(refusal(() => parseNotebook(text, "n.ipynb"))[1]).toBe(`is not valid JSON (${said.replace(/ in JSON at position.*$/, "")} at line 2 of the file); a notebook edited outside Jupyter can break this way: restore it from git or checkpoints`);
  });

  test("invalid JSON whose message has no position keeps the parser's message", () => {
    const text = '{"cells": [,]}';
    const said = parserSays(text);
    expect(said).not.toMatch(/position/);
    expect(refusal(() => parseNotebook(text, "n.ipynb"))[1]).toBe(`is not valid JSON (${said}); a notebook edited outside Jupyter can break this way: restore it from git or checkpoints`);
  });
});

describe("writing: cells and documents as Jupyter stores them", () => {
  test("toLines: lines keep their \\n, all but the last; no empty line is stored", () => {
    expect(toLines("a\nb")).toEqual(["a\n", "b"]);
    expect(toLines("a\nb\n")).toEqual(["a\n", "b\n"]);
    expect(toLines("a\n\nb")).toEqual(["a\n", "\n", "b"]);
    expect(toLines("one line")).toEqual(["one line"]);
    expect(toLines("")).toEqual([]);
    // Joined again, the lines are the source.
    for (const s of ["a\nb", "x\n\n", "\n", "const a = 1;\r\nb"]) expect(toLines(s).join("")).toBe(s);
  });

  test("sourceText reads either way nbformat stores a source", () => {
    expect(sourceText({ source: ["a\n", "b"] })).toBe("a\nb");
    expect(sourceText({ source: "a\nb" })).toBe("a\nb");
    expect(sourceText({ source: [] })).toBe("");
  });

  test("withSource: a copy with the new source as lines, every other field kept, the original untouched", () => {
    const cell = { cell_type: "code" as const, id: "c1", metadata: { tags: ["x"] }, outputs: [{ output_type: "stream" }], execution_count: 3, source: "old" };
    expect(withSource(cell, "new\nbody")).toEqual({ ...cell, source: ["new\n", "body"] });
    expect(cell.source).toBe("old");
  });

  test("newCell: a code cell with no outputs yet, or a markdown cell", () => {
    expect(newCell("code", "x\ny", "id1")).toEqual({ cell_type: "code", execution_count: null, id: "id1", metadata: {}, outputs: [], source: ["x\n", "y"] });
    expect(newCell("markdown", "# T", "id2")).toEqual({ cell_type: "markdown", id: "id2", metadata: {}, source: ["# T"] });
  });

  const doc: NotebookJson = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [newCell("code", "a", "c")] };

  test("serializeNotebook: one-space indent and a final newline, as Jupyter writes", () => {
    expect(serializeNotebook(doc)).toBe(JSON.stringify(doc, null, 1) + "\n");
    expect(serializeNotebook(doc)).toMatch(/^\{\n "nbformat": 4,\n/);
    expect(serializeNotebook(doc).endsWith("}\n")).toBe(true);
  });

  test("writeNotebook makes the folder and writes what serializeNotebook gives; readNotebook reads it back", () => {
    const f = path.join(dir, "new", "deeper", "w.ipynb");
    writeNotebook(f, doc);
    expect(fs.readFileSync(f, "utf8")).toBe(serializeNotebook(doc));
    expect(readNotebook(f).cells).toEqual([{ number: 1, type: "code", source: "a" }]);
  });

  test("readNotebookText and writeNotebookText: the text byte for byte, null when there is no file", () => {
    const f = path.join(dir, "text", "deeper", "t.ipynb");
    expect(readNotebookText(f)).toBeNull();
    writeNotebookText(f, "σ text\n");
    expect(readNotebookText(f)).toBe("σ text\n");
  });
});

/** A notebook in memory: cells numbered as readNotebook numbers them. */
function notebook(cells: [Notebook["cells"][number]["type"], string][]): Notebook {
  return { path: "n.ipynb", metadata: {}, cells: cells.map(([type, source], i) => ({ number: i + 1, type, source })), json: { nbformat: 4, metadata: {}, cells: cells.map(([type, source]) => ({ cell_type: type, source })) } };
}

const IDS = ["sigmoid", "weighted-sum", "cost"];

describe("findExerciseCells", () => {
  test("finds each marked code cell, keeping its whole source", () => {
    const nb = notebook([
      ["markdown", "# Chapter"],
      ["code", "// exercise: sigmoid\nfunction sigmoid(z: number) {\n  return z;\n}"],
      ["code", "const x = 1;"],
      ["code", "// exercise: cost\r\nfunction cost() {}"],
    ]);
    const found = findExerciseCells(nb, IDS);
    expect(found.problems).toEqual([]);
    expect([...found.byId.keys()]).toEqual(["sigmoid", "cost"]);
    expect(found.byId.get("sigmoid")).toEqual({ id: "sigmoid", cell: nb.cells[1], source: nb.cells[1].source });
    expect(found.byId.get("cost")!.cell.number).toBe(4);
  });

  test("past MAX_CELL_PROBLEMS the problems are counted, not listed; a duplicate past it still stops its id", () => {
    const cells: ["code" | "markdown" | "raw", string][] = [["markdown", "## Top"]];
    for (let i = 0; i < 30_000; i++) cells.push(["markdown", "x"], ["code", "const a = 1;\n// exercise: q"]);
    cells.push(["code", "// exercise: sigmoid\nfunction sigmoid() {}"], ["code", "// exercise: sigmoid\nfunction sigmoid() {}"]);
    const nb = notebook(cells);
    const found = findExerciseCells(nb, IDS);
    expect(found.problems).toHaveLength(MAX_CELL_PROBLEMS + 1);
    expect(found.problems.at(-1)).toEqual({ cell: 60_003, message: "and 29951 more problems with exercise markers like those above, not listed (the last in this cell)" });
    expect(found.byId.has("sigmoid")).toBe(false);
    // The heading above is read from one pass over the notebook, kept with it.
    expect(headingAbove(nb, 60_003)).toBe("Top");
  });

  test("a marker in a markdown or raw cell is not an exercise cell, and no problem either", () => {
    const found = findExerciseCells(notebook([["markdown", "// exercise: sigmoid"], ["raw", "// exercise: cost"]]), IDS);
    expect(found.byId.size).toBe(0);
    expect(found.problems).toEqual([]);
  });

  test("the marker must be the whole first line: trailing spaces are allowed, anything else is not", () => {
    expect(findExerciseCells(notebook([["code", "// exercise: sigmoid  \t\nx"]]), IDS).byId.has("sigmoid")).toBe(true);
    expect(markedId("// exercise: sigmoid x")).toBeUndefined();
    expect(markedId(" // exercise: sigmoid")).toBeUndefined();
    expect(markedId("// exercise: Sigmoid")).toBeUndefined();
    expect(markedId("// exercise: weighted-sum2")).toBe("weighted-sum2");
    // A carriage return ends the marker line only at its end (\r\n); inside the line it is no part of an id.
    expect(markedId("// exercise: sigmoid\r\nx")).toBe("sigmoid");
    expect(markedId("// exercise: sig\rmoid")).toBeUndefined();
  });

  test("a marker below the first line is named, with its line and the exact marker to write", () => {
    const found = findExerciseCells(notebook([["code", "const a = 1;\n\n// exercise: sigmoid\nfunction sigmoid() {}"]]), IDS);
    expect(found.byId.size).toBe(0);
    expect(found.problems).toEqual([
      { cell: 1, id: "sigmoid", message: "line 3 looks like an exercise marker, but the marker must be the cell's first line, written exactly `// exercise: sigmoid`" },
    ]);
  });

  test("a loosely written marker on the first line is named too; an unknown id is not claimed", () => {
    const found = findExerciseCells(notebook([["code", "//Exercise : Sigmoid\nx"], ["code", "  // exercise:sigmoid"], ["code", "// exercise: nothing-like-it!"]]), IDS);
    expect(found.problems).toEqual([
      { cell: 1, id: undefined, message: "line 1 looks like an exercise marker, but the marker must be the cell's first line, written exactly `// exercise: sigmoid`" },
      { cell: 2, id: "sigmoid", message: "line 1 looks like an exercise marker, but the marker must be the cell's first line, written exactly `// exercise: sigmoid`" },
      { cell: 3, id: undefined, message: "line 1 looks like an exercise marker, but the marker must be the cell's first line, written exactly `// exercise: nothing-like-it!`" },
    ]);
  });

  test("a very long loose id is cut in the message", () => {
    const long = "x".repeat(100);
    const [p] = findExerciseCells(notebook([["code", `x\n// exercise: ${long}`]]), IDS).problems;
    expect(p.message).toBe(`line 2 looks like an exercise marker, but the marker must be the cell's first line, written exactly \`// exercise: ${"x".repeat(60)}…\``);
    // 60 characters are quoted whole.
    const [whole] = findExerciseCells(notebook([["code", `x\n// exercise: ${"y".repeat(60)}`]]), IDS).problems;
    expect(whole.message).toBe(`line 2 looks like an exercise marker, but the marker must be the cell's first line, written exactly \`// exercise: ${"y".repeat(60)}\``);
  });

  test("a comment after code on its line is no marker, loose or not", () => {
    expect(findExerciseCells(notebook([["code", "const a = 1; // exercise: sigmoid"], ["code", "x\nf(); // Exercise: cost"]]), IDS).problems).toEqual([]);
  });

  test("an unknown id, with the nearest known one when it is close", () => {
    const found = findExerciseCells(notebook([["code", "// exercise: sigmod"], ["code", "// exercise: weigted-sum"], ["code", "// exercise: backprop"], ["code", "// exercise: cots"]]), IDS);
    expect(found.byId.size).toBe(0);
    expect(found.problems).toEqual([
      { cell: 1, message: 'unknown exercise id "sigmod" (did you mean "sigmoid"?)' },
      { cell: 2, message: 'unknown exercise id "weigted-sum" (did you mean "weighted-sum"?)' },
      { cell: 3, message: 'unknown exercise id "backprop"' },
      { cell: 4, message: 'unknown exercise id "cots" (did you mean "cost"?)' },
    ]);
  });

  test("the nearest id is within 2 edits, and the first of equally near ones", () => {
    const ids = ["abcd", "abce", "wxyz"];
    const msg = (id: string) => findExerciseCells(notebook([["code", `// exercise: ${id}`]]), ids).problems[0].message;
    expect(msg("abxx")).toBe('unknown exercise id "abxx" (did you mean "abcd"?)');
    expect(msg("abc")).toBe('unknown exercise id "abc" (did you mean "abcd"?)');
    expect(msg("axxx")).toBe('unknown exercise id "axxx"');
    expect(msg("wxyzab")).toBe('unknown exercise id "wxyzab" (did you mean "wxyz"?)');
  });

  test("an unknown id too long to quote is cut, and no near id is looked for", () => {
    const long = "a".repeat(61);
    const [p] = findExerciseCells(notebook([["code", `// exercise: ${long}`]]), [long.slice(0, 60) + "b"]).problems;
    expect(p.message).toBe(`unknown exercise id "${"a".repeat(60)}…"`);
    const sixty = "a".repeat(60);
    expect(findExerciseCells(notebook([["code", `// exercise: ${sixty}`]]), [sixty + "b"]).problems[0].message).toBe(`unknown exercise id "${sixty}" (did you mean "${sixty}b"?)`);
  });

  test("the same id twice: neither is graded, and the second says where the first is", () => {
    const nb = notebook([
      ["markdown", "intro"],
      ["markdown", "## Step 2 · Squashing"],
      ["code", "// exercise: sigmoid\na"],
      ["markdown", "## Step 3"],
      ["code", "// exercise: sigmoid\nb"],
      ["code", "// exercise: cost\nc"],
    ]);
    const found = findExerciseCells(nb, IDS);
    expect([...found.byId.keys()]).toEqual(["cost"]);
    expect(found.problems).toEqual([
      { cell: 5, id: "sigmoid", message: 'a second cell marked `// exercise: sigmoid` (the first is under "Step 2 · Squashing"); keep one, so the grader knows which to grade' },
    ]);
    const noHeading = findExerciseCells(notebook([["code", "// exercise: cost\na"], ["code", "// exercise: cost\nb"]]), IDS);
    expect(noHeading.problems[0].message).toBe("a second cell marked `// exercise: cost` (the first is further up); keep one, so the grader knows which to grade");
    expect(noHeading.byId.size).toBe(0);
  });

  test("a misplaced marker of an id found elsewhere does not cost that exercise", () => {
    const found = findExerciseCells(notebook([["code", "// exercise: sigmoid\na"], ["code", "x\n// exercise: sigmoid"]]), IDS);
    expect([...found.byId.keys()]).toEqual(["sigmoid"]);
    expect(found.problems).toHaveLength(1);
  });
});

describe("marked cells, for the writers", () => {
  test("markerLine and exerciseSource: the marker as the first line, then the body", () => {
    expect(markerLine("cost")).toBe("// exercise: cost");
    expect(exerciseSource("cost", "return 1;")).toBe("// exercise: cost\nreturn 1;");
    expect(markedId(exerciseSource("weighted-sum", "x"))).toBe("weighted-sum");
  });

  test("markedCells: each id's first marked code cell, any id, nothing else", () => {
    const nb = notebook([
      ["markdown", "// exercise: sigmoid"],
      ["code", "// exercise: sigmoid\na"],
      ["code", "// exercise: not-a-known-id\nb"],
      ["code", "// exercise: sigmoid\nc"],
      ["code", "x\n// exercise: cost"],
    ]);
    const byId = markedCells(nb);
    expect([...byId.keys()]).toEqual(["sigmoid", "not-a-known-id"]);
    expect(byId.get("sigmoid")).toBe(nb.cells[1]);
    expect(byId.get("not-a-known-id")).toBe(nb.cells[2]);
  });

  test("withExerciseBody: a copy with the marked code cell's body replaced, everything else kept", () => {
    const json: NotebookJson = {
      nbformat: 4,
      metadata: { k: 1 },
      cells: [
        { cell_type: "markdown", source: ["// exercise: cost\n", "text"] },
        { cell_type: "code", id: "a", metadata: { m: true }, outputs: [1], source: ["// exercise: sigmoid\n", "old"] },
        { cell_type: "code", id: "b", source: ["// exercise: cost\n", "old cost"] },
      ],
    };
    const before = structuredClone(json);
    const out = withExerciseBody(json, "cost", "new\nbody")!;
    expect(out.cells[2]).toEqual({ cell_type: "code", id: "b", source: ["// exercise: cost\n", "new\n", "body"] });
    expect(out.cells.slice(0, 2)).toEqual(json.cells.slice(0, 2));
    expect(out.metadata).toEqual({ k: 1 });
    // The document given is left as it was.
    expect(json).toEqual(before);
    expect(withExerciseBody(json, "sigmoid", "s")!.cells[1]).toEqual({ cell_type: "code", id: "a", metadata: { m: true }, outputs: [1], source: ["// exercise: sigmoid\n", "s"] });
    // The first cell too.
    expect(withExerciseBody({ ...json, cells: json.cells.slice(1) }, "sigmoid", "t")!.cells[0].source).toEqual(["// exercise: sigmoid\n", "t"]);
    // A marker only in markdown, or no marker at all: null.
    const mdOnly: NotebookJson = { nbformat: 4, metadata: {}, cells: [json.cells[0]] };
    expect(withExerciseBody(mdOnly, "cost", "x")).toBeNull();
    expect(withExerciseBody(json, "weighted-sum", "x")).toBeNull();
  });
});

describe("small helpers the reports use", () => {
  test("firstLine", () => {
    expect(firstLine("a\nb\nc")).toBe("a");
    expect(firstLine("only")).toBe("only");
    expect(firstLine("\nb")).toBe("");
  });

  test("givenCells: code cells whose first line starts with // given", () => {
    const nb = notebook([["code", "// given\nconst a = 1;"], ["code", "// given values\nx"], ["markdown", "// given\n"], ["code", "x\n// given"], ["code", "// givens\n"]]);
    expect(givenCells(nb).map((c) => c.number)).toEqual([1, 2]);
    // The marker starts the line: a comment after code is no marker.
    expect(givenCells(notebook([["code", "const a = 1; // given\nx"]]))).toEqual([]);
  });

  test("editDistance", () => {
    expect(editDistance("", "")).toBe(0);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("", "ab")).toBe(2);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("sigmoid", "sigmoid")).toBe(0);
    expect(editDistance("ab", "ba")).toBe(2);
    expect(editDistance("abc", "abd")).toBe(1);
    expect(editDistance("abc", "xabc")).toBe(1);
  });
});

describe("headings", () => {
  test.each<[string, string | undefined]>([
    ["# Title", "Title"],
    ["## Step 2 · Sigmoid ##", "Step 2 · Sigmoid"],
    ["###### Six", "Six"],
    ["####### Seven", undefined],
    ["#NoSpace", undefined],
    ["   # Three spaces", "Three spaces"],
    ["    # Four spaces is code", undefined],
    ["#", undefined],
    ["#   ", undefined],
    ["# ##", undefined],
    ["#\tTab", "Tab"],
    ["#\fForm feed", "Form feed"],
    ["#\vVertical tab", "Vertical tab"],
    ["# Trailing \t\f\v", "Trailing"],
    ["# Closed \f#\v", "Closed"],
    ["# Title #  ", "Title"],
    ["# C# and F#", "C# and F#"],
    ["# Chapter 5 #5 ##", "Chapter 5 #5"],
    ["# Title\rrest", "Title"],
    ["text # not a heading", undefined],
    ["", undefined],
  ])("headingText(%j)", (line, text) => {
    expect(headingText(line)).toBe(text);
  });

  test("a long heading is cut at MAX_HEADING_CHARS", () => {
    expect(headingText("# " + "h".repeat(MAX_HEADING_CHARS))).toBe("h".repeat(MAX_HEADING_CHARS));
    expect(headingText("# " + "h".repeat(MAX_HEADING_CHARS + 1))).toBe("h".repeat(MAX_HEADING_CHARS) + "…");
    expect(headingText("# " + "h".repeat(MAX_HEADING_CHARS + 5) + " #")).toBe("h".repeat(MAX_HEADING_CHARS) + "…");
  });

  test("headingAbove: the last heading of the nearest markdown cell above that has one", () => {
    const nb = notebook([
      ["markdown", "# Chapter\n## Step 1"],
      ["code", "a"],
      ["markdown", "## Step 2\ntext\n### Step 2b\nmore"],
      ["markdown", "no heading here"],
      ["code", "// exercise: sigmoid"],
      ["code", "# not markdown"],
    ]);
    expect(headingAbove(nb, 5)).toBe("Step 2b");
    expect(headingAbove(nb, 6)).toBe("Step 2b");
    expect(headingAbove(nb, 3)).toBe("Step 1");
    expect(headingAbove(nb, 2)).toBe("Step 1");
    expect(headingAbove(nb, 1)).toBeUndefined();
    // A number past the end looks at every cell.
    expect(headingAbove(nb, 99)).toBe("Step 2b");
  });
});
