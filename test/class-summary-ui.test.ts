// The class summary as an instructor sees it: summary.html opened in chromium at 1280 px.
// Its text comes from learners (failure messages, file names) and from the specs (hidden
// check labels), so the longest of each is put in and the page must stay readable: no word
// broken in the middle, no column squeezed to a word a line, nothing wider than the window.
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium } from "playwright-core";
import { course } from "../exercises";
import type { ExerciseResult, Report } from "../grader/engine/judge/result";
import { classSummaryHtml, summarize } from "../grader/report/class-summary";
import { root } from "./helpers";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = fs.existsSync(CHROMIUM);
if (process.env.CI === "true" && !haveChromium) throw new Error("CI must run the class summary's browser test, but /usr/bin/chromium is missing: apt-get install chromium");
const maybe = haveChromium ? test : test.skip;

const LONG_WHY =
  "the shape is wrong: expected 3 rows of 3, got 1 rows of 1 (a list of weights per neuron of the next layer, each as long as the layer before it: weights[j][k] connects neuron k to neuron j)";

function result(specIndex: number, learner: number): ExerciseResult {
  const spec = course.specs[specIndex];
  const status: ExerciseResult["status"] = (learner + specIndex) % 4 === 0 ? "passed" : (learner + specIndex) % 4 === 1 ? "not-started" : "failed";
  return {
    id: spec.id,
    title: spec.title,
    chapter: course.chapterOf(spec.id)!.slug,
    notebook: `${course.chapterOf(spec.id)!.slug}.ipynb`,
    points: spec.points,
    score: status === "passed" ? spec.points : 0,
    status,
    checks: { total: 20, passed: status === "passed" ? 20 : 12, hidden: 5, hiddenFailed: status === "failed" ? 2 : 0 },
    failures:
      status === "failed"
        ? [
            { label: `${spec.id}(${"0.123456789, ".repeat(6)}…)`, expected: "0.5", actual: "NaN", why: learner % 2 ? LONG_WHY : undefined },
            { label: `hidden: ${spec.title}, a random network of three layers, seed ${learner}`, expected: "", actual: "", hidden: true },
          ]
        : [],
    hint: "",
    seed: 1,
    console: [],
  };
}

function report(learner: number): Report {
  const results = course.specs.map((_, i) => result(i, learner));
  const problems = learner === 3 ? [{ notebook: `/class/learner-${learner}/04-learning-from-data.ipynb`, message: "the file is empty (0 bytes): not a notebook; open it in Jupyter and save it again" }] : [];
  return { results, problems, score: results.reduce((s, r) => s + r.score, 0), maxScore: course.specs.reduce((s, x) => s + x.points, 0), seed: 1 };
}

maybe("summary.html at 1280 px: no word broken mid-word, no squeezed column, nothing wider than the window", async () => {
  const learners = Array.from({ length: 12 }, (_, i) => ({ report: report(i), learner: { name: `learner-${String(i + 1).padStart(3, "0")}-with-a-rather-long-folder-name`, dir: `/class/learner-${i}` } }));
  const html = classSummaryHtml(summarize(course.specs, learners));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const external: string[] = [];
    await page.route(/^(?!data:|about:)/, (route) => {
      external.push(route.request().url());
      return route.abort();
    });
    await page.setContent(html);
    const layout = await page.evaluate(() => {
      const wordsBroken: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? "";
        // A break after a hyphen ("mini-" / "batch") is typography, not a word cut: hyphens part words here.
        for (const m of text.matchAll(/[^\s-]{2,}/g)) {
          const range = document.createRange();
          range.setStart(node, m.index!);
          range.setEnd(node, m.index! + m[0].length);
          const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) wordsBroken.push(m[0]);
        }
      }
      const narrow = Array.from(document.querySelectorAll("th"))
        .filter((th) => (th.textContent ?? "").trim() && th.getBoundingClientRect().width < 40)
        .map((th) => `${(th.textContent ?? "").trim()}: ${Math.round(th.getBoundingClientRect().width)} px`);
      return { wordsBroken, narrow, width: document.documentElement.scrollWidth, rows: document.querySelectorAll("tr").length };
    });
    fs.mkdirSync(path.join(root, "test-output"), { recursive: true });
    await page.screenshot({ path: path.join(root, "test-output", "class-summary.png"), fullPage: true });
    // One row per exercise at least, and the not-graded learner listed.
    expect(layout.rows).toBeGreaterThan(course.specs.length);
    expect(await page.textContent("body")).toContain("04-learning-from-data.ipynb");
    expect(layout.wordsBroken).toEqual([]);
    expect(layout.narrow).toEqual([]);
    expect(layout.width).toBeLessThanOrEqual(1280);
    expect(external).toEqual([]);
  } finally {
    await browser.close();
  }
}, 120_000);
