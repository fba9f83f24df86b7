// The real thing a learner sees: the notebooks opened in Jupyter Notebook's web UI
// (Debian's jupyter-notebook), started as `npm run jupyter` starts it (serving
// notebooks/ only), in chromium with the network blocked. Chapter 1's first
// screen shows its figures (nothing 404s); chapter 2 runs all its cells: plots
// draw (plotly.js from node_modules, once), check() verdicts pass, formula
// feedback is typeset. The notebook files are never written. Skipped without
// the Notebook UI, except under CI.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { course } from "../exercises";
import { installKernel, jupyterEnv, jupyterLaunch } from "../grader/jupyter";
import { freePort, learner, master, root, sha, sourceOf, tempDir } from "./helpers";
import { underCI } from "./jupyter";

const CHROMIUM = "/usr/bin/chromium";
const hasNotebookUi = spawnSync("jupyter", ["notebook", "--version"], { env: jupyterEnv() }).status === 0;
if (underCI && !(hasNotebookUi && fs.existsSync(CHROMIUM))) throw new Error("CI must run the Notebook UI test: apt-get install jupyter-notebook chromium");
const maybe = hasNotebookUi && fs.existsSync(CHROMIUM) ? describe : describe.skip;

/**
 * Started as `npm run jupyter -- --no-browser --port=N` (plus no token) starts it: same folder, same
 * arguments. N is a port the OS said was free; if it was taken meanwhile Jupyter tries the next ones,
 * and the port it really listens on is read from what it prints.
 */
async function startNotebookServer(): Promise<{ server: ChildProcess; port: number }> {
  installKernel();
  const launch = jupyterLaunch("notebook", ["--no-browser", `--port=${await freePort()}`, "--port-retries=50", "--NotebookApp.token=", "--NotebookApp.password=", "--NotebookApp.disable_check_xsrf=True"]);
  // Its own process group, so stopping it also stops the kernels it started.
  const server = spawn("jupyter", launch.args, { env: launch.env, cwd: launch.cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let log = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jupyter notebook did not start:\n${log}`)), 60_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      const m = /is running at:?\s*\n?.*?https?:\/\/[^:/\s]+:(\d+)\//.exec(log) ?? (/is running at/.test(log) ? /https?:\/\/(?:127\.0\.0\.1|localhost|\[?[\w:.]+\]?):(\d+)\//.exec(log) : null);
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

type NotebookWindow = {
  Jupyter?: {
    notebook?: {
      dirty: boolean;
      kernel?: { is_connected(): boolean; info_reply?: { language_info?: unknown } };
      execute_all_cells(): void;
      set_autosave_interval(ms: number): void;
      get_cells(): { cell_type: string; get_text(): string; set_text(text: string): void }[];
    };
  };
};

maybe("the notebooks in Jupyter Notebook's UI, started as npm run jupyter starts it", () => {
  let port = 0;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    ({ server, port } = await startNotebookServer());
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await shutdown(port, server);
  }, 30_000);

  /** A page whose requests outside the server are blocked and listed in `external`. */
  async function offlinePage(): Promise<{ page: Page; external: string[] }> {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const external: string[] = [];
    await page.route(/^https?:/, (route) => {
      const url = route.request().url();
      if (url.startsWith(`http://127.0.0.1:${port}/`) || url.startsWith(`http://localhost:${port}/`)) return route.continue();
      external.push(url);
      return route.abort();
    });
    return { page, external };
  }

  test("chapter 1's first screen shows its figures: no image 404s, every figure drawn", async () => {
    const file = learner("01-forward-pass");
    const before = { sha: sha(file), mtime: fs.statSync(file).mtimeMs };
    // As many figures as the master links (in its markdown).
    const masterMarkdown = (JSON.parse(fs.readFileSync(master("01-forward-pass"), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] }).cells
      .filter((c) => c.cell_type === "markdown")
      .map(sourceOf)
      .join("\n");
    const figures = (masterMarkdown.match(/!\[[^\]]*\]\(|<img\b/g) ?? []).length;
    expect(figures).toBeGreaterThanOrEqual(2);
    const { page, external } = await offlinePage();
    const failed: string[] = [];
    page.on("response", (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.request().resourceType()} ${r.url()}`);
    });
    page.on("requestfailed", (r) => {
      if (r.resourceType() === "image") failed.push(`failed image ${r.url()}`);
    });
    await page.goto(`http://127.0.0.1:${port}/notebooks/${path.basename(file)}`, { timeout: 240_000 });
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.is_connected() === true, null, { timeout: 60_000 });
    await page.waitForFunction(
      (n) => {
        const images = Array.from(document.querySelectorAll<HTMLImageElement>(".text_cell_render img"));
        return images.length >= n && images.every((img) => img.complete);
      },
      figures,
      { timeout: 30_000 },
    );
    const images = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>(".text_cell_render img")).map((img) => ({ alt: img.alt, scheme: (img.getAttribute("src") ?? "").split(/[:,;]/)[0], drawn: img.naturalWidth > 0 && img.getBoundingClientRect().width > 100 })),
    );
    expect(images.length).toBe(figures);
    expect(images.filter((img) => !img.drawn)).toEqual([]);
    // Embedded in the notebook: nothing to fetch, wherever the notebook is opened.
    expect(images.map((img) => img.scheme)).toEqual(images.map(() => "data"));
    expect(failed.filter((f) => / image |\.svg|\.png/.test(f))).toEqual([]);
    expect(external).toEqual([]);
    fs.mkdirSync(path.join(root, "test-output"), { recursive: true });
    await page.locator(".text_cell_render img").first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(root, "test-output", "01-forward-pass-figures-notebook-ui.png") });
    await page.close();
    expect({ sha: sha(file), mtime: fs.statSync(file).mtimeMs }).toEqual(before);
  }, 360_000);

  test("chapter 1 exported by nbconvert (lab template) shows its figures from the HTML file alone", async () => {
    const dir = tempDir("bp-html-");
    const r = spawnSync("jupyter", ["nbconvert", "--to", "html", "--template", "lab", learner("01-forward-pass"), "--output-dir", dir], { env: jupyterEnv(), encoding: "utf8" });
    expect({ code: r.status, stderr: r.status === 0 ? "" : r.stderr.slice(-2000) }).toEqual({ code: 0, stderr: "" });
    const html = path.join(dir, "01-forward-pass.html");
    const { page, external } = await offlinePage();
    const failed: string[] = [];
    page.on("requestfailed", (req) => {
      if (req.resourceType() === "image") failed.push(req.url());
    });
    await page.goto(`file://${html}`, { timeout: 240_000 });
    await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete), null, { timeout: 30_000 });
    const images = await page.evaluate(() => Array.from(document.images).map((img) => ({ alt: img.alt, drawn: img.naturalWidth > 0 })));
    expect(images.length).toBeGreaterThanOrEqual(2);
    expect(images.filter((img) => !img.drawn)).toEqual([]);
    expect(failed).toEqual([]);
    // The lab template links MathJax and require.js from a CDN: blocked here, and not figures.
    expect(external.filter((u) => /\.(svg|png|jpe?g|gif|webp)(\?|$)/i.test(u))).toEqual([]);
    await page.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  test("every figure in assets/ draws its text inside its own frame", async () => {
    const page = await browser!.newPage();
    const outside: string[] = [];
    for (const name of fs.readdirSync(path.join(root, "assets")).filter((f) => f.endsWith(".svg"))) {
      await page.setContent(fs.readFileSync(path.join(root, "assets", name), "utf8"));
      const cut = await page.evaluate(() => {
        const box = document.querySelector("svg")!.viewBox.baseVal;
        return Array.from(document.querySelectorAll("text"))
          .filter((t) => {
            const b = t.getBBox();
            return b.x < box.x || b.y < box.y || b.x + b.width > box.x + box.width || b.y + b.height > box.y + box.height;
          })
          .map((t) => (t.textContent ?? "").slice(0, 40));
      });
      outside.push(...cut.map((t) => `${name}: "${t}"`));
    }
    await page.close();
    expect(outside).toEqual([]);
  });

  test("chapter 2 runs in the UI: plots, verdicts and formulas show offline", async () => {
    // The learner notebook, opened from notebooks/ as a learner opens it; its exercise
    // cells are then filled in the page with the master's answers (never saved: the
    // file on disk stays as it is).
    const file = learner("02-chain-rule");
    const before = { sha: sha(file), mtime: fs.statSync(file).mtimeMs };
    const solved = (JSON.parse(fs.readFileSync(master("02-chain-rule"), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] }).cells;
    const { page, external } = await offlinePage();
    await page.goto(`http://127.0.0.1:${port}/notebooks/${path.basename(file)}`, { timeout: 240_000 });
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.is_connected() === true, null, { timeout: 60_000 });
    // Opening must not mark the notebook modified: Notebook 6 replaces metadata.language_info with the
    // kernel's kernel_info_reply and sets the dirty flag when they differ (issue 12, "clean opening").
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.info_reply?.language_info !== undefined, null, { timeout: 60_000 });
    const opened = await page.evaluate(() => {
      const nb = (window as unknown as NotebookWindow).Jupyter!.notebook!;
      return { dirty: nb.dirty, reported: nb.kernel!.info_reply!.language_info };
    });
    // What the notebook file stores is exactly what the kernel reports (the page's copy is already replaced by now).
    const stored = (JSON.parse(fs.readFileSync(file, "utf8")) as { metadata: { language_info?: unknown } }).metadata.language_info;
    expect(stored).toEqual(opened.reported);
    expect(opened.dirty).toBe(false);
    const filled = await page.evaluate((cells) => {
      const nb = (window as unknown as NotebookWindow).Jupyter!.notebook!;
      nb.set_autosave_interval(0); // the page's notebook is never saved over the learner's file
      const mine = nb.get_cells();
      if (mine.length !== cells.length) return `the page has ${mine.length} cells, the master ${cells.length}`;
      cells.forEach((c, i) => {
        if (mine[i].cell_type === "code" && mine[i].get_text() !== c) mine[i].set_text(c);
      });
      return null;
    }, solved.map(sourceOf));
    expect(filled).toBeNull();
    await page.evaluate(() => (window as unknown as NotebookWindow).Jupyter!.notebook!.execute_all_cells());
    const exercises = course.chapters.find((c) => c.slug === "02-chain-rule")!.exercises.length;
    // One drawn plot per call of plot() or the chapter's drawTree() with a literal title (helpers pass theirs on as a variable).
    const code = solved
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
    fs.mkdirSync(path.join(root, "test-output"), { recursive: true });
    await page.screenshot({ path: path.join(root, "test-output", "02-chain-rule-notebook-ui.png") });
    await page.close();
    expect({ sha: sha(file), mtime: fs.statSync(file).mtimeMs }).toEqual(before);
  }, 600_000);
});
