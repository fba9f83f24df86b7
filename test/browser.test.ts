// In a real browser (Debian's chromium through playwright-core, network
// blocked): chapters 2, 3 and 4, executed and exported to HTML, draw every
// plotly plot with its title and its data, and chapter 2 shows KaTeX-typeset
// formulas. Screenshots land in test-output/. The plots' layout is measured:
// no bars on a log axis, log axes labelled in powers of ten (not 1µ, 1n),
// every digit of a category axis labelled, and contour plots of two parameters
// drawn with one unit the same length on both axes.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { installKernel, jupyterEnv } from "../grader/jupyter";
import { master, root, tempDir } from "./helpers";
import { jupyterAvailable, underCI } from "./jupyter";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = fs.existsSync(CHROMIUM);
if (underCI && !haveChromium) throw new Error("CI must run the browser test, but /usr/bin/chromium is missing: apt-get install chromium");
const available = haveChromium && jupyterAvailable();
const maybe = available ? describe : describe.skip;
if (!available) console.warn("chromium or Jupyter missing: browser test skipped");

/** The pictures each chapter must at least draw (issue 13): a plot lost or left untitled fails here. */
const MIN_PLOTS: Record<string, number> = { "02-chain-rule": 6, "03-many-neurons": 5, "04-learning-from-data": 4 };

function exportHtml(slug: string): string {
  installKernel();
  const dir = tempDir("bp-html-");
  // BACKPROP_LAB_QUICK: chapter 4 trains on a small slice, as in the notebook tests.
  const r = spawnSync("jupyter", ["nbconvert", "--to", "html", "--execute", master(slug), "--output-dir", dir, "--output", slug, "--ExecutePreprocessor.timeout=300"], {
    env: { ...jupyterEnv(), BACKPROP_LAB_QUICK: "1" },
    cwd: path.dirname(master(slug)),
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`nbconvert --to html failed: ${r.stderr.slice(-2000)}`);
  return path.join(dir, `${slug}.html`);
}

interface DrawnPlot {
  /** The title plot() was given (the container's data-title). */
  wanted: string;
  /** The title plotly drew in the SVG. */
  drawn: string;
  /** Drawn marks: scatter/bar traces, heatmap images, contour paths. */
  marks: number;
  /** Paths with real geometry (a drawn line, bar or contour, not an empty group). */
  paths: number;
}

maybe.each(Object.keys(MIN_PLOTS))("%s exported to HTML, in chromium, offline", (slug) => {
  let browser: Browser;
  let html: string;
  const blocked: string[] = [];

  beforeAll(async () => {
    html = exportHtml(slug);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
  });

  test("every plot drew its title and its data; nothing was fetched", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.route(/^https?:/, (route) => {
      blocked.push(route.request().url());
      return route.abort();
    });
    // A multi-megabyte page with plotly.js: on one busy core loading it took over 30 s (seen red).
    await page.goto(`file://${html}`, { timeout: 240_000 });
    // One .bp-plot container per plot() call that ran; each must become a drawn plotly plot.
    const containers = await page.$$eval(".bp-plot", (els) => els.length);
    expect(containers).toBeGreaterThanOrEqual(MIN_PLOTS[slug]);
    await page.waitForFunction((n) => document.querySelectorAll(".bp-plot.js-plotly-plot .main-svg").length >= n, containers, { timeout: 60_000 });
    const drawn: DrawnPlot[] = await page.$$eval(".bp-plot", (plots) =>
      plots.map((p) => ({
        wanted: p.getAttribute("data-title") ?? "",
        drawn: (p.querySelector(".gtitle")?.textContent ?? "").trim(),
        marks: p.querySelectorAll(".cartesianlayer .trace, .heatmaplayer image, .contourlayer path, g.contour").length,
        paths: Array.from(p.querySelectorAll("path")).filter((e) => (e.getAttribute("d") ?? "").length > 20).length,
      })),
    );
    expect(drawn.length).toBe(containers);
    for (const d of drawn) {
      // plotly renders <sup> and similar as tspans: compare the text without tags.
      expect({ title: d.drawn }).toEqual({ title: d.wanted.replace(/<[^>]+>/g, "") });
      expect({ title: d.wanted, hasMarks: d.marks > 0, hasPaths: d.paths > 0 }).toEqual({ title: d.wanted, hasMarks: true, hasPaths: true });
    }
    if (slug === "02-chain-rule") {
      const formulas = await page.$$eval(".bp-verdict .katex math", (els) => els.map((e) => e.getBoundingClientRect().width));
      expect(formulas.length).toBeGreaterThanOrEqual(3); // the three formula exercises show the typeset answer
      for (const w of formulas) expect(w).toBeGreaterThan(5);
    }
    expect(blocked).toEqual([]);
    const facts = await page.$$eval(".bp-plot", measurePlots);
    fs.mkdirSync(path.join(root, "test-output"), { recursive: true });
    fs.writeFileSync(path.join(root, "test-output", `${slug}-plot-facts.json`), JSON.stringify(facts, null, 1));
    // Bars on a log axis: a bar's length then depends on where the axis starts, not on its value.
    expect(facts.filter((f) => f.barsOnLog).map((f) => f.title)).toEqual([]);
    // Log axes label powers of ten: an SI prefix (1µ, 1n, 1p, 1f) reads like a unit.
    expect(facts.flatMap((f) => f.logTickLabels.filter((t) => /\d\s*[µμmnpfkMG]$/.test(t)).map((t) => `${f.title}: ${t}`))).toEqual([]);
    expect(facts.filter((f) => f.logTickLabels.length > 0 && !f.logTickLabels.some((t) => /^10/.test(t) || t === "1")).map((f) => `${f.title}: ${f.logTickLabels.join(" ")}`)).toEqual([]);
    // Contours over two parameters: one unit as long on the y axis as on the x axis (the path of
    // gradient descent then crosses the contour lines at right angles, as it does).
    for (const f of facts.filter((p) => p.contour)) expect({ title: f.title, ratio: Number((f.pxPerUnitY / f.pxPerUnitX).toFixed(2)) }).toEqual({ title: f.title, ratio: 1 });
    if (slug === "03-many-neurons") {
      const bars = facts.find((f) => f.title.startsWith("A real 2 through the untrained network"));
      expect(bars?.xTickLabels).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
      // The tree one layer further back: its title adds the two paths.
      expect(facts.some((f) => /^One layer further back: ∂C\/∂a_k = -?[\d.]+ \+ \(-?[\d.]+\) = -?[\d.]+/.test(f.title))).toBe(true);
    }
    // Drawn plots no longer carry the "trust the notebook" line meant for when scripts cannot run.
    expect(await page.$$eval(".bp-plot .bp-untrusted", (els) => els.length)).toBe(0);

    const out = path.join(root, "test-output");
    fs.mkdirSync(out, { recursive: true });
    const plots = page.locator(".bp-plot");
    for (let i = 0; i < containers; i++) {
      await plots.nth(i).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(out, `${slug}-plot-${i}.png`) });
    }
    expect(fs.statSync(path.join(out, `${slug}-plot-0.png`)).size).toBeGreaterThan(10_000);
    if (slug === "02-chain-rule") {
      await page.locator(".bp-verdict .katex").last().scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(out, "02-chain-rule-formula.png") });
    }
  }, 480_000);

  test("where scripts cannot run (an untrusted notebook), every plot says in one line how to draw it", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.route(/^https?:/, (route) => route.abort());
    // A multi-megabyte page with plotly.js: on one busy core loading it took over 30 s (seen red).
    await page.goto(`file://${html}`, { timeout: 240_000 });
    const lines = await page.$$eval(".bp-plot", (plots) => plots.map((p) => (p.querySelector(".bp-untrusted")?.textContent ?? "").trim()));
    expect(lines.length).toBeGreaterThanOrEqual(MIN_PLOTS[slug]);
    for (const line of lines) expect(line).toMatch(/: this plot draws in a trusted notebook\. Run the cell again, or choose File > Trust Notebook/);
    await context.close();
  }, 300_000);
});

interface PlotFacts {
  title: string;
  barsOnLog: boolean;
  logTickLabels: string[];
  xTickLabels: string[];
  contour: boolean;
  pxPerUnitX: number;
  pxPerUnitY: number;
}

/** Runs in the page (evaluate sends this function's source alone): what each drawn plot shows, read from its SVG. */
function measurePlots(plots: Element[]): PlotFacts[] {
  const num = (t: string): number => Number(t.replace(/\u2212/g, "-").replace(/,/g, ""));
  // A tick's place along its axis, from its transform ("translate(x,y)").
  const at = (tick: Element, i: 0 | 1): number => {
    const t = tick.getAttribute("transform") ?? tick.querySelector("text")?.getAttribute("transform") ?? "";
    return Number(/translate\(([-\d.e]+)[,\s]\s*([-\d.e]+)\)/.exec(t)?.[i + 1] ?? NaN);
  };
  // Pixels per unit from the first and last numeric tick of an axis.
  const scale = (ticks: Element[], i: 0 | 1): number => {
    const known = ticks.map((t) => ({ v: num(t.textContent ?? ""), p: at(t, i) })).filter((t) => Number.isFinite(t.v) && Number.isFinite(t.p));
    if (known.length < 2) return NaN;
    const [a, b] = [known[0], known[known.length - 1]];
    return Math.abs((b.p - a.p) / (b.v - a.v));
  };
  return plots.map((p) => {
    const title = (p.querySelector(".gtitle")?.textContent ?? "").trim();
    const gd = p as unknown as { _fullLayout?: Record<string, { type?: string } | undefined>; _fullData?: { type?: string; yaxis?: string; xaxis?: string; orientation?: string }[] };
    const axisType = (key: string): string | undefined => gd._fullLayout?.[key]?.type;
    const axisOf = (ref: string | undefined, letter: "x" | "y"): string => `${letter}axis${ref && ref.length > 1 ? ref.slice(1) : ""}`;
    const barsOnLog = (gd._fullData ?? []).some((t) => t.type === "bar" && axisType(t.orientation === "h" ? axisOf(t.xaxis, "x") : axisOf(t.yaxis, "y")) === "log");
    const logTickLabels = ["x", "y"].flatMap((letter) =>
      axisType(`${letter}axis`) === "log" ? Array.from(p.querySelectorAll(`.${letter}axislayer-above .${letter}tick text`)).map((t) => (t.textContent ?? "").trim()) : [],
    );
    return {
      title,
      barsOnLog,
      logTickLabels,
      xTickLabels: Array.from(p.querySelectorAll(".xaxislayer-above .xtick text")).map((t) => (t.textContent ?? "").trim()),
      contour: p.querySelector(".contourlayer path") !== null,
      pxPerUnitX: scale(Array.from(p.querySelectorAll(".xaxislayer-above g.xtick")), 0),
      pxPerUnitY: scale(Array.from(p.querySelectorAll(".yaxislayer-above g.ytick")), 1),
    };
  });
}
