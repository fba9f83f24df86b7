// The chapters run top to bottom in real Jupyter with the tslab kernel; the
// check cells show the same verdicts as the grader.
import * as fs from "node:fs";
import { chapters } from "../grader/engine/course";
import { learner, master, sha } from "./helpers";
import { executeNotebook, joined, jupyterAvailable } from "./jupyter";

const available = jupyterAvailable();
const maybe = available ? describe : describe.skip;
if (!available) console.warn("Jupyter (nbconvert) not found: notebook execution tests skipped");

maybe.each(chapters.map((c) => c.slug))("%s in Jupyter", (slug) => {
  test("the solved master runs top to bottom; every check cell shows a pass", () => {
    const before = sha(master(slug));
    const run = executeNotebook(master(slug));
    expect(sha(master(slug))).toBe(before);
    expect({ code: run.code, stderr: run.code === 0 ? "" : run.stderr.slice(-2000) }).toEqual({ code: 0, stderr: "" });
    const errors = run.cells.flatMap((c) => c.outputs.filter((o) => o.output_type === "error").map((o) => `cell ${c.number}: ${o.evalue}`));
    expect(errors).toEqual([]);
    const checkCells = run.cells.filter((c) => /^check\(/m.test(c.source));
    expect(checkCells.length).toBe(chapters.find((c) => c.slug === slug)!.exercises.length);
    for (const c of checkCells) {
      const html = c.outputs.map((o) => joined(o.data?.["text/html"])).join("");
      expect([c.number, html]).toEqual([c.number, expect.stringContaining("bp-verdict bp-passed")]);
    }
    // Plots carry plotly.js exactly once per notebook, never from a CDN.
    const all = fs.readFileSync(run.outFile, "utf8");
    expect(all.split("plotly.js v").length - 1).toBe(1);
    expect(all).not.toMatch(/<script[^>]+src=\\?"https?:|<link[^>]+href=\\?"https?:/);
  });

  test("the learner notebook runs until its first stub, whose check says 'not started'", () => {
    const run = executeNotebook(learner(slug), { allowErrors: true });
    const firstError = run.cells.find((c) => c.outputs.some((o) => o.output_type === "error"));
    if (firstError) {
      const e = firstError.outputs.find((o) => o.output_type === "error")!;
      expect(`${e.ename}: ${e.evalue}`).toMatch(/NotDoneYet: not done yet: replace the todo\("[a-z0-9-]+"\) call with your code/);
    }
    const firstCheck = run.cells.find((c) => /^check\(/m.test(c.source))!;
    const html = firstCheck.outputs.map((o) => joined(o.data?.["text/html"])).join("");
    expect(html).toContain("bp-verdict bp-not-started");
    expect(html).toContain("Hint:");
  });
});
