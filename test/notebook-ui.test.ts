// The real thing a learner sees: chapter 2 opened in Jupyter Notebook's web UI
// (Debian's jupyter-notebook), all cells run, in chromium with the network
// blocked. Plots draw (plotly.js from node_modules, once), check() verdicts
// pass, formula feedback is typeset. Skipped without the Notebook UI, except under CI.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium } from "playwright-core";
import { course } from "../exercises";
import { installKernel, jupyterEnv } from "../grader/jupyter";
import { freePort, master, root, sourceOf } from "./helpers";
import { underCI } from "./jupyter";

const CHROMIUM = "/usr/bin/chromium";
const hasNotebookUi = spawnSync("jupyter", ["notebook", "--version"], { env: jupyterEnv() }).status === 0;
if (underCI && !(hasNotebookUi && fs.existsSync(CHROMIUM))) throw new Error("CI must run the Notebook UI test: apt-get install jupyter-notebook chromium");
const maybe = hasNotebookUi && fs.existsSync(CHROMIUM) ? test : test.skip;

/** The server and the port it listens on: one the OS said was free, or a later one if that was taken meanwhile. */
async function startNotebookServer(): Promise<{ server: ChildProcess; port: number }> {
  installKernel();
  // Its own process group, so stopping it also stops the kernels it started.
  const server = spawn("jupyter", ["notebook", "--no-browser", `--port=${await freePort()}`, "--port-retries=50", "--ip=127.0.0.1", "--allow-root", "--NotebookApp.token=", "--NotebookApp.password=", "--NotebookApp.disable_check_xsrf=True", `--notebook-dir=${root}`], { env: jupyterEnv(), stdio: ["ignore", "pipe", "pipe"], detached: true });
  let log = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jupyter notebook did not start:\n${log}`)), 60_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      const m = /is running at:?\s*\n?.*?http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    server.stdout?.on("data", onData);
    server.stderr?.on("data", onData);
  });
  return { server, port };
}

/** Shut the kernels down through the server's API (they run in a session of their own), then the server. */
async function shutdown(port: number, server: ChildProcess): Promise<void> {
  try {
    const kernels = (await (await fetch(`http://127.0.0.1:${port}/api/kernels`)).json()) as { id: string }[];
    await Promise.all(kernels.map((k) => fetch(`http://127.0.0.1:${port}/api/kernels/${k.id}`, { method: "DELETE" })));
  } finally {
    stop(server);
  }
}

function stop(server: ChildProcess): void {
  server.stdout?.destroy();
  server.stderr?.destroy();
  try {
    process.kill(-server.pid!, "SIGKILL");
  } catch {
    // already gone
  }
}

maybe("chapter 2 runs in Jupyter Notebook's UI: plots, verdicts and formulas show offline", async () => {
  // Inside the course folder, so the notebook's `import ... from "backprop-lab"` resolves.
  const dir = path.join(root, "test-output", "ui");
  fs.mkdirSync(dir, { recursive: true });
  const copy = path.join(dir, "02-chain-rule.ipynb");
  fs.copyFileSync(master("02-chain-rule"), copy);
  const { server, port } = await startNotebookServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const external: string[] = [];
    await page.route(/^https?:/, (route) => {
      const url = route.request().url();
      if (url.startsWith(`http://127.0.0.1:${port}/`) || url.startsWith(`http://localhost:${port}/`)) return route.continue();
      external.push(url);
      return route.abort();
    });
    await page.goto(`http://127.0.0.1:${port}/notebooks/${path.relative(root, copy)}`, { timeout: 240_000 });
    type NotebookWindow = {
      Jupyter?: { notebook?: { dirty: boolean; kernel?: { is_connected(): boolean; info_reply?: { language_info?: unknown } }; execute_all_cells(): void } };
    };
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.is_connected() === true, null, { timeout: 60_000 });
    // Opening must not mark the notebook modified: Notebook 6 replaces metadata.language_info with the
    // kernel's kernel_info_reply and sets the dirty flag when they differ (issue 12, "clean opening").
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.info_reply?.language_info !== undefined, null, { timeout: 60_000 });
    const opened = await page.evaluate(() => {
      const nb = (window as unknown as NotebookWindow).Jupyter!.notebook!;
      return { dirty: nb.dirty, reported: nb.kernel!.info_reply!.language_info };
    });
    // What the notebook file stores is exactly what the kernel reports (the page's copy is already replaced by now).
    const stored = (JSON.parse(fs.readFileSync(copy, "utf8")) as { metadata: { language_info?: unknown } }).metadata.language_info;
    expect(stored).toEqual(opened.reported);
    expect(opened.dirty).toBe(false);
    await page.evaluate(() => (window as unknown as NotebookWindow).Jupyter!.notebook!.execute_all_cells());
    const exercises = course.chapters.find((c) => c.slug === "02-chain-rule")!.exercises.length;
    // One drawn plot per call of plot() or the chapter's drawTree() with a literal title (helpers pass theirs on as a variable).
    const code = (JSON.parse(fs.readFileSync(copy, "utf8")) as { cells: { cell_type: string; source: string | string[] }[] }).cells
      .filter((c) => c.cell_type === "code")
      .map(sourceOf)
      .join("\n");
    const plots = (code.match(/\b(plot|drawTree)\(\s*["`]/g) ?? []).length;
    // Plotly draws asynchronously: wait until every plot holds a drawn trace.
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll(".bp-verdict").length >= n.exercises &&
        Array.from(document.querySelectorAll(".js-plotly-plot")).filter((p) => p.querySelector("g.trace, g.contour, .contourlayer path")).length >= n.plots,
      { exercises, plots },
      { timeout: 120_000 },
    );
    const seen = await page.evaluate(() => ({
      passed: document.querySelectorAll(".bp-verdict.bp-passed").length,
      plotsWithData: Array.from(document.querySelectorAll(".js-plotly-plot")).filter((p) => p.querySelector("g.trace, g.contour, .contourlayer path")).length,
      formulas: document.querySelectorAll(".bp-verdict .katex math").length,
      plotlyCopies: Array.from(document.querySelectorAll("script")).filter((s) => (s.textContent ?? "").includes("plotly.js v")).length,
    }));
    expect(plots).toBeGreaterThanOrEqual(6);
    expect(seen).toEqual({ passed: exercises, plotsWithData: plots, formulas: 3, plotlyCopies: 1 });
    expect(external).toEqual([]);
    await page.locator(".js-plotly-plot").nth(3).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(root, "test-output", "02-chain-rule-notebook-ui.png") });
  } finally {
    await browser.close();
    await shutdown(port, server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);
