// In a real browser (Debian's chromium through playwright-core, network
// blocked): the executed chapter exported to HTML draws its plotly plots and
// shows KaTeX-typeset formulas. A screenshot lands in test-output/.
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

function exportHtml(slug: string): string {
  installKernel();
  const dir = tempDir("bp-html-");
  const r = spawnSync("jupyter", ["nbconvert", "--to", "html", "--execute", master(slug), "--output-dir", dir, "--output", slug], { env: jupyterEnv(), cwd: path.dirname(master(slug)), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`nbconvert --to html failed: ${r.stderr.slice(-2000)}`);
  return path.join(dir, `${slug}.html`);
}

maybe("02-chain-rule exported to HTML, in chromium, offline", () => {
  let browser: Browser;
  let html: string;
  const blocked: string[] = [];

  beforeAll(async () => {
    html = exportHtml("02-chain-rule");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  test("plots drew with data, formulas are typeset by KaTeX, nothing was fetched", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.route(/^https?:/, (route) => {
      blocked.push(route.request().url());
      return route.abort();
    });
    await page.goto(`file://${html}`);
    const plotCells = (fs.readFileSync(master("02-chain-rule"), "utf8").match(/plot\(\\n|plot\(\[/g) ?? []).length;
    await page.waitForFunction((n) => document.querySelectorAll(".js-plotly-plot .main-svg").length >= n, plotCells, { timeout: 30_000 });
    const drawn = await page.$$eval(".js-plotly-plot", (plots) =>
      plots.map((p) => ({
        traces: p.querySelectorAll("g.trace, g.contour, .scatterlayer .trace").length,
        paths: Array.from(p.querySelectorAll("path")).filter((e) => (e.getAttribute("d") ?? "").length > 20).length,
      })),
    );
    expect(drawn.length).toBe(plotCells);
    for (const d of drawn) {
      expect(d.traces).toBeGreaterThan(0);
      expect(d.paths).toBeGreaterThan(0);
    }
    const formulas = await page.$$eval(".bp-verdict .katex math", (els) => els.map((e) => e.getBoundingClientRect().width));
    expect(formulas.length).toBeGreaterThanOrEqual(3); // the three formula exercises show the typeset answer
    for (const w of formulas) expect(w).toBeGreaterThan(5);
    expect(blocked).toEqual([]);

    const out = path.join(root, "test-output");
    fs.mkdirSync(out, { recursive: true });
    const firstPlot = page.locator(".js-plotly-plot").first();
    await firstPlot.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(out, "02-chain-rule-plot.png") });
    await page.locator(".bp-verdict .katex").last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(out, "02-chain-rule-formula.png") });
    expect(fs.statSync(path.join(out, "02-chain-rule-plot.png")).size).toBeGreaterThan(10_000);
  }, 120_000);
});
