// One source of truth: learner notebooks are exactly what their masters produce.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expectedLearner, firstDifference, learnerWork } from "../grader/build-notebooks";
import { course } from "../exercises";
import { cleanMaster, embedFigures, stripCell, StripError, type ReadFigure } from "../grader/strip";
import { learner, master, root } from "./helpers";
import { readNotebook } from "../grader/engine/notebook/notebook";

// These guard authoring: notebooks/ as the course ships it is what the masters produce. A
// learner works in notebooks/, so where the working copy holds work in exercise cells, the
// copy git holds (HEAD) is the one checked; an author's stale notebook (no work in it) is
// checked as it is. Without git, a learner's copy fails by design: the message says so, and
// never suggests a command that would overwrite the work (build:notebooks refuses to,
// anyway). Every message is a line or two: never a diff of whole notebooks, whose outputs
// can hold megabytes of plotly.js.
const slugs = course.chapters.map((c) => c.slug);
const rel = (file: string): string => path.relative(root, file);

/** notebooks/<slug>.ipynb as shipped: the working copy, or git's when the working copy holds a learner's work. */
function shipped(slug: string): { text: string; work: string[]; from: string } {
  const file = course.learnerPath(slug);
  const have = fs.readFileSync(file, "utf8");
  const want = expectedLearner(slug);
  const work = have === want ? [] : learnerWork(have, want);
  if (work.length === 0) return { text: have, work, from: rel(file) };
  const git = spawnSync("git", ["show", `HEAD:${rel(file)}`], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return git.status === 0 ? { text: git.stdout, work: [], from: `${rel(file)} as git holds it (HEAD)` } : { text: have, work, from: rel(file) };
}

test.each(slugs)("course authors: notebooks/%s.ipynb is what its master produces", (slug) => {
  const { text: have, work, from } = shipped(slug);
  const want = expectedLearner(slug);
  const problem =
    have === want
      ? null
      : `${from} differs from what ${rel(master(slug))} produces: ${firstDifference(have, want)}. ` +
        (work.length
          ? `It holds work in ${work.join(", ")}: if you are a learner, this test is for course authors and failing is expected; grade your work with npm run grade.`
          : "Course authors: regenerate it with npm run build:notebooks.");
  expect(problem).toBeNull();
});

test.each(slugs)("course authors: solutions/%s.ipynb is stored without outputs", (slug) => {
  const text = fs.readFileSync(master(slug), "utf8");
  const clean = cleanMaster(text);
  expect(text === clean ? null : `${rel(master(slug))} carries outputs or execution counts (${firstDifference(text, clean)}); course authors: npm run build:notebooks clears them`).toBeNull();
});

test.each(slugs)("course authors: notebooks/%s.ipynb keeps no solution code", (slug) => {
  const { text, from } = shipped(slug);
  const at = text.indexOf("SOLUTION");
  expect(at < 0 ? null : `${from} contains a solution marker: …${text.slice(Math.max(0, at - 80), at + 40)}…`).toBeNull();
});

describe("stripCell", () => {
  test("a whole-line region becomes a todo() return at the same indent", () => {
    const src = "// exercise: x\nfunction f(a: number): number {\n    // BEGIN SOLUTION\n    return a * 2;\n    // END SOLUTION\n}";
    expect(stripCell(src, "x", "t")).toBe('// exercise: x\nfunction f(a: number): number {\n    return todo("x"); // replace this line with your code\n}');
  });

  test("an inline region becomes a todo() call", () => {
    expect(stripCell("const aL: number = /* BEGIN SOLUTION */ sigmoid(1) /* END SOLUTION */;", "activation", "t")).toBe('const aL: number = todo("activation");');
  });

  test("unclosed and stray markers are errors naming the cell", () => {
    expect(() => stripCell("// BEGIN SOLUTION\nreturn 1;", "x", "nb cell 3")).toThrow(new StripError("nb cell 3: BEGIN SOLUTION is never closed by END SOLUTION"));
    expect(() => stripCell("return 1;\n// END SOLUTION", "x", "nb cell 3")).toThrow(/END SOLUTION without BEGIN SOLUTION/);
  });
});

test.each(slugs)("notebooks/%s.ipynb needs no file next to it: every figure is embedded", (slug) => {
  const markdown = readNotebook(learner(slug)).cells.filter((c) => c.type === "markdown").map((c) => c.source);
  const links = markdown.flatMap((m) => [...m.matchAll(/!\[[^\]]*\]\(\s*([^)\s]+)|<img\b[^>]*?\ssrc\s*=\s*["']([^"']*)/gi)].map((x) => (x[1] ?? x[2]).slice(0, 40)));
  expect(links.filter((l) => !/^(data:image\/|https?:)/.test(l))).toEqual([]);
});

describe("embedFigures", () => {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
  const read: ReadFigure = (link) => (link === "../assets/a.svg" ? { mime: "image/svg+xml", data: Buffer.from(svg) } : null);
  const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;

  test("a markdown image becomes an <img> with a data URL (markdown-it refuses data:image/svg+xml links); its alt text is escaped", () => {
    expect(embedFigures('Look:\n\n![a "net" <1>](../assets/a.svg)\n\nmore', read, "t")).toBe(`Look:\n\n<img src="${dataUrl}" alt="a &quot;net&quot; &lt;1&gt;">\n\nmore`);
  });

  test("an <img> tag keeps its other attributes", () => {
    expect(embedFigures("<img width=\"300\" src='../assets/a.svg' alt=\"x\">", read, "t")).toBe(`<img width="300" src='${dataUrl}' alt="x">`);
  });

  test("links that need no file are left alone", () => {
    const text = "![w](https://example.org/a.svg) ![d](data:image/png;base64,AA==) ![p](attachment:p.png) [a link](../assets/a.svg)";
    expect(embedFigures(text, read, "t")).toBe(text);
  });

  test("a missing figure is an error naming the cell and the link", () => {
    expect(() => embedFigures("![x](../assets/gone.svg)", read, "solutions/01.ipynb cell 4")).toThrow(new StripError("solutions/01.ipynb cell 4: the figure ../assets/gone.svg is not there (a figure is linked relative to the master, e.g. ../assets/name.svg)"));
  });
});
