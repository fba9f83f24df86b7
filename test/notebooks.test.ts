// The course.chapters run top to bottom in real Jupyter with the tslab kernel; the
// check cells show the same verdicts as the grader.
import * as fs from "node:fs";
import { course } from "../exercises";
import { learner, master, sha } from "./helpers";
import { notWrittenYet } from "../grader/lab/errors";
import { executeNotebook, joined, jupyterAvailable } from "./jupyter";

const available = jupyterAvailable();
const maybe = available ? describe : describe.skip;
if (!available) console.warn("Jupyter (nbconvert) not found: notebook execution tests skipped");

maybe.each(course.chapters.map((c) => c.slug))("%s in Jupyter", (slug) => {
  test("the solved master runs top to bottom; every check cell shows a pass", () => {
    const before = sha(master(slug));
    const run = executeNotebook(master(slug));
    expect(sha(master(slug))).toBe(before);
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr.slice(-2000) }).toEqual({ code: 0, stderr: "" });
    const errors = run.cells.flatMap((c) => c.outputs.filter((o) => o.output_type === "error").map((o) => `cell ${c.number}: ${o.evalue}`));
    expect(errors).toEqual([]);
    const checkCells = run.cells.filter((c) => /^check\(/m.test(c.source));
    expect(checkCells.length).toBe(course.chapters.find((c) => c.slug === slug)!.exercises.length);
    for (const c of checkCells) {
      const html = c.outputs.map((o) => joined(o.data?.["text/html"])).join("");
      expect([c.number, html]).toEqual([c.number, expect.stringContaining("bp-verdict bp-passed")]);
    }
    // Plots carry plotly.js exactly once per notebook, never from a CDN.
    // Matches, not the notebook, are what a failure prints: an executed notebook holds megabytes of plotly.js.
    const all = fs.readFileSync(run.outFile, "utf8");
    expect(all.split("plotly.js v").length - 1).toBe(1);
    // Saved with every plot drawn, a notebook stays small (issue 23: it was about 5 MB with the whole
    // plotly.js in it): at most 1.5 MB, under a tenth of the grader's 20 MB cap.
    expect({ bytes: fs.statSync(run.outFile).size, under: fs.statSync(run.outFile).size <= 1.5e6 }).toEqual({ bytes: expect.any(Number), under: true });
    expect(/<script[^>]+src=\\?"https?:[^"\\]*|<link[^>]+href=\\?"https?:[^"\\]*/.exec(all)?.[0] ?? null).toBeNull();
  });

  test("Run All on the untouched learner notebook names every unsolved exercise in one line, with no stack trace and no path inside the grader", () => {
    const chapter = course.chapters.find((c) => c.slug === slug)!;
    const run = executeNotebook(learner(slug), { allowErrors: true });
    const printed = run.cells.flatMap((c) =>
      c.outputs.map((o) => ({ cell: c.number, text: [joined(o.text), joined(o.data?.["text/plain"]), o.ename ?? "", o.evalue ?? "", ...(o.traceback ?? [])].join("\n") })),
    );
    // Nothing of Node, tslab or the grader: no stack frames, none of their files.
    const leaks = printed.filter((p) => /^\s+at \S|dist\/grader|grader\/lab|node_modules|evalmachine|node:internal|tslab\/dist/m.test(p.text)).map((p) => `cell ${p.cell}: ${p.text.slice(0, 300)}`);
    expect(leaks).toEqual([]);
    // An unsolved exercise is named in the one line of issue 12, or by its check's "not started" verdict.
    const lines = printed.flatMap((p) => p.text.split("\n")).filter((l) => l.includes("not written yet"));
    for (const l of lines) expect(l).toMatch(/^([a-z0-9-]+) is not written yet: replace todo\("\1"\) in the cell marked \/\/ exercise: \1$/);
    const verdict = (id: string): string => run.cells.filter((c) => c.source.startsWith(`check("${id}"`)).flatMap((c) => c.outputs.map((o) => joined(o.data?.["text/html"]))).join("");
    // The untouched notebook as shipped (never a learner's copy): every exercise is a stub, every one named.
    const unnamed = chapter.exercises.map((s) => s.id).filter((id) => !lines.includes(notWrittenYet(id)) && !verdict(id).includes("bp-not-started"));
    expect(unnamed).toEqual([]);
    // Run All went on to the end (tslab aborts the cells queued behind a failed one): every check cell shows a verdict.
    const silent = run.cells.filter((c) => /^check\(/m.test(c.source) && !c.outputs.some((o) => joined(o.data?.["text/html"]).includes("bp-verdict"))).map((c) => c.number);
    expect(silent).toEqual([]);
  });
});
