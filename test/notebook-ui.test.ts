// The real thing a learner sees: the notebooks opened in Jupyter Notebook's web UI
// (Debian's jupyter-notebook), started as `npm run jupyter` starts it (serving
// notebooks/ only), in chromium with the network blocked. Chapter 1's first
// screen shows its figures (nothing 404s); chapter 2 runs all its cells: plots
// draw (plotly.js from node_modules, once), check() verdicts pass, formula
// feedback is typeset. The notebook files are never written. Skipped without
// the Notebook UI, except under CI.
// Layout is measured, not only photographed: every chapter's notation table
// keeps its formulas on one line each in a column of their own (MathJax 2.7
// breaks a formula it thinks is too wide for its cell), and a backprop failure's
// verdict, per-layer table included, breaks no word in the middle.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { course } from "../exercises";
import { installKernel, jupyterEnv, jupyterLaunch } from "../grader/jupyter";
import { freePort, learner, master, pristineNotebooks, root, sha, sourceOf, tempDir } from "./helpers";
import { underCI } from "./jupyter";
import { readNotebook } from "../grader/engine/notebook/notebook";

const CHROMIUM = "/usr/bin/chromium";
/**
 * How long a notebook's tslab kernel may take to start and connect: a wait, not a measurement.
 * On a slow 2-core machine running the rest of the suite beside this file it took over a minute.
 */
const KERNEL_START_MS = 180_000;
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
  // As `npm run jupyter` starts it, on the course whose notebooks/ are the untouched ones the
  // masters produce (test-output/pristine/notebooks): a learner's work in notebooks/ never
  // changes what these tests open, and the files they check for changes are the ones served.
  const pristine = course.at(path.dirname(pristineNotebooks()));
  const launch = jupyterLaunch("notebook", ["--no-browser", `--port=${await freePort()}`, "--port-retries=50", "--NotebookApp.token=", "--NotebookApp.password=", "--NotebookApp.disable_check_xsrf=True"], pristine);
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
    const masterMarkdown = readNotebook(master("01-forward-pass"))
      .cells.filter((c) => c.type === "markdown")
      .map((c) => c.source)
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
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.is_connected() === true, null, { timeout: KERNEL_START_MS });
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

  test("every figure in assets/ draws its text inside its own frame, with a margin", async () => {
    const page = await browser!.newPage();
    const outside: string[] = [];
    for (const name of fs.readdirSync(path.join(root, "assets")).filter((f) => f.endsWith(".svg"))) {
      await page.setContent(fs.readFileSync(path.join(root, "assets", name), "utf8"));
      const cut = await page.evaluate(() => {
        const box = document.querySelector("svg")!.viewBox.baseVal;
        return Array.from(document.querySelectorAll("text"))
          .filter((t) => {
            const b = t.getBBox();
            // A margin of 8 units: the text's font may be wider where the figure is shown (an <img> uses the system's fonts).
            const m = 8;
            return b.x < box.x + m || b.y < box.y + m || b.x + b.width > box.x + box.width - m || b.y + b.height > box.y + box.height - m;
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
    const solved = readNotebook(master("02-chain-rule")).json.cells;
    const { page, external } = await offlinePage();
    await page.goto(`http://127.0.0.1:${port}/notebooks/${path.basename(file)}`, { timeout: 240_000 });
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.is_connected() === true, null, { timeout: KERNEL_START_MS });
    // Opening must not mark the notebook modified: Notebook 6 replaces metadata.language_info with the
    // kernel's kernel_info_reply and sets the dirty flag when they differ (issue 12, "clean opening").
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.info_reply?.language_info !== undefined, null, { timeout: KERNEL_START_MS });
    const opened = await page.evaluate(() => {
      const nb = (window as unknown as NotebookWindow).Jupyter!.notebook!;
      return { dirty: nb.dirty, reported: nb.kernel!.info_reply!.language_info };
    });
    // What the notebook file stores is exactly what the kernel reports (the page's copy is already replaced by now).
    const stored = readNotebook(file).metadata.language_info;
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
    // Plotly draws asynchronously: wait until every plot holds a drawn trace, and every verdict
    // (the three formulas' with their typeset formula) is in: on a loaded machine one formula's
    // verdict was seen missing at the moment of counting, once.
    await page.waitForFunction(
      (n) =>
        document.querySelectorAll(".bp-verdict.bp-passed").length >= n.exercises &&
        document.querySelectorAll(".bp-verdict .katex math").length >= 3 &&
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

  /** The master's code cells typed into the opened learner notebook (never saved), `edit` applied to each. */
  async function fillFromMaster(page: Page, slug: string, edit: (source: string) => string = (x) => x): Promise<void> {
    const solved = (JSON.parse(fs.readFileSync(master(slug), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] }).cells;
    const filled = await page.evaluate((cells) => {
      const nb = (window as unknown as NotebookWindow).Jupyter!.notebook!;
      nb.set_autosave_interval(0); // the page's notebook is never saved over the learner's file
      const mine = nb.get_cells();
      if (mine.length !== cells.length) return `the page has ${mine.length} cells, the master ${cells.length}`;
      cells.forEach((c, i) => {
        if (mine[i].cell_type === "code" && mine[i].get_text() !== c) mine[i].set_text(c);
      });
      return null;
    }, solved.map((c) => (c.cell_type === "code" ? edit(sourceOf(c)) : sourceOf(c))));
    expect(filled).toBeNull();
  }

  async function openLearner(page: Page, slug: string): Promise<void> {
    // Notebook 6's page is heavy: on one busy core loading it took over 30 s.
    await page.goto(`http://127.0.0.1:${port}/notebooks/${path.basename(learner(slug))}`, { timeout: 240_000 });
    await page.waitForFunction(() => (window as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.is_connected() === true, null, { timeout: 120_000 });
  }

  test.each(course.chapters.map((c) => c.slug))("%s: the notation table keeps math in its own column, one line per formula, no column squeezed", async (slug) => {
    const { page, external } = await offlinePage();
    await openLearner(page, slug);
    // MathJax has typeset every formula of the first table (its queue is empty and the table holds typeset math).
    await page.waitForFunction(
      () => {
        const mj = (window as unknown as { MathJax?: { Hub?: { queue?: { pending: number; running: number } } } }).MathJax;
        const table = document.querySelector(".text_cell_render table");
        return mj?.Hub?.queue?.pending === 0 && mj.Hub.queue.running === 0 && table !== null && table.querySelectorAll(".MathJax").length > 0 && table.querySelectorAll(".MathJax_Processing, .MathJax_Preview:not(:empty)").length === 0;
      },
      null,
      { timeout: 120_000 },
    );
    const table = page.locator(".text_cell_render table").first();
    await table.scrollIntoViewIfNeeded();
    fs.mkdirSync(path.join(root, "test-output"), { recursive: true });
    await table.screenshot({ path: path.join(root, "test-output", `${slug}-notation-notebook-ui.png`) });
    const layout = await table.evaluate(measureNotationTable);
    await page.close();
    // Three columns in every row: no stray fourth cell swallowed from the text after the table.
    expect(layout.columnsPerRow).toEqual(layout.columnsPerRow.map(() => 3));
    expect(layout.header).toEqual(["math", "code", expect.any(String)]);
    // MathJax marks a formula it broke over several lines "FullWidth"; none may be broken.
    expect(layout.brokenFormulas).toEqual([]);
    // Each formula of the math column is one line tall and stays inside its cell.
    expect(layout.tallFormulas).toEqual([]);
    expect(layout.formulasOutsideTheirCell).toEqual([]);
    expect(layout.formulasInMathColumn).toBeGreaterThanOrEqual(layout.columnsPerRow.length - 1);
    // The last column reads as sentences: at most two lines a cell, never one word a line.
    expect(layout.lastColumnLines.filter((c) => c.lines > 2)).toEqual([]);
    expect(layout.wordsBroken).toEqual([]);
    expect(external).toEqual([]);
  }, 360_000);

  test("a backprop failure's verdict in chapter 3: its tables readable, the per-layer table one line per layer, no word broken mid-word", async () => {
    const file = learner("03-many-neurons");
    const before = { sha: sha(file), mtime: fs.statSync(file).mtimeMs };
    const { page, external } = await offlinePage();
    await openLearner(page, "03-many-neurons");
    // The master's answers, except backprop's propagation forgets σ′: the output layer is right, the layers before it wrong.
    const right = "const delta = W.map((row, j) => dCdA[j] * sigmoidPrime(row.reduce((z, w, k) => z + w * aIn[k], net.biases[l][j])));";
    const wrong = "const delta = W.map((row, j) => dCdA[j] * (l === L - 1 ? sigmoidPrime(row.reduce((z, w, k) => z + w * aIn[k], net.biases[l][j])) : 1));";
    expect(fs.readFileSync(master("03-many-neurons"), "utf8")).toContain(JSON.stringify(right).slice(1, -1));
    await fillFromMaster(page, "03-many-neurons", (source) => source.replace(right, wrong));
    await page.evaluate(() => (window as unknown as NotebookWindow).Jupyter!.notebook!.execute_all_cells());
    const exercises = course.chapters.find((c) => c.slug === "03-many-neurons")!.exercises.length;
    await page.waitForFunction((n) => document.querySelectorAll(".bp-verdict").length >= n, exercises, { timeout: 360_000 });
    const verdict = page.locator(".bp-verdict.bp-failed").first();
    await expect(verdict.textContent()).resolves.toContain("backprop");
    await verdict.scrollIntoViewIfNeeded();
    fs.mkdirSync(path.join(root, "test-output"), { recursive: true });
    await verdict.screenshot({ path: path.join(root, "test-output", "03-backprop-failure-notebook-ui.png") });
    const layout = await page.evaluate(measureVerdicts);
    await page.close();
    expect(layout.failed).toBe(1);
    expect(layout.passed).toBe(exercises - 1);
    // The per-layer table: one rendered line per line of text (layers and the "first wrong layer" line).
    expect(layout.layerTable).not.toBeNull();
    expect(layout.layerTable!.text).toMatch(/layer 1: weights ✗ {2}biases ✗/);
    expect(layout.layerTable!.renderedLines).toBe(layout.layerTable!.textLines);
    // The failure table: no column squeezed below a readable width, no word broken mid-word.
    expect(layout.narrowColumns).toEqual([]);
    expect(layout.wordsBroken).toEqual([]);
    expect(external).toEqual([]);
    expect({ sha: sha(file), mtime: fs.statSync(file).mtimeMs }).toEqual(before);
  }, 600_000);
});

// The two functions below run in the page: evaluate() sends a function's source alone, so
// each holds its own helpers. A word (two letters or more) broken over two lines is one whose
// text range has boxes on two lines.

/** Runs in the page: layout facts of a notation table. */
function measureNotationTable(table: HTMLTableElement): {
  columnsPerRow: number[];
  header: string[];
  brokenFormulas: string[];
  tallFormulas: string[];
  formulasOutsideTheirCell: string[];
  formulasInMathColumn: number;
  lastColumnLines: { text: string; lines: number }[];
  wordsBroken: string[];
} {
  const rows = Array.from(table.rows);
  const tex = (mj: Element): string => mj.getAttribute("data-mathml")?.replace(/<[^>]+>/g, "").slice(0, 40) ?? (mj.textContent ?? "").slice(0, 40);
  const brokenFormulas: string[] = [];
  const tallFormulas: string[] = [];
  const outside: string[] = [];
  let inMath = 0;
  for (const row of rows.slice(1)) {
    const cell = row.cells[0];
    if (!cell) continue;
    const box = cell.getBoundingClientRect();
    const fontPx = parseFloat(getComputedStyle(cell).fontSize);
    for (const mj of Array.from(cell.querySelectorAll(".MathJax"))) {
      inMath++;
      const r = mj.getBoundingClientRect();
      if (mj.classList.contains("MathJax_FullWidth")) brokenFormulas.push(tex(mj));
      // One line of math with sub- and superscripts (or a small fraction) is under 3 em.
      if (r.height > 3 * fontPx) tallFormulas.push(`${tex(mj)} (${Math.round(r.height)} px)`);
      if (r.left < box.left - 1 || r.right > box.right + 1) outside.push(tex(mj));
    }
  }
  for (const mj of Array.from(table.querySelectorAll(".MathJax_FullWidth"))) if (!brokenFormulas.includes(tex(mj))) brokenFormulas.push(tex(mj));
  const lines = (el: Element): number => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0).map((r) => r.top).sort((a, b) => a - b);
    let n = 0;
    let last = -Infinity;
    for (const t of tops) {
      // A formula's boxes sit a few pixels above or below the text's: a new line starts a line-height lower.
      if (t - last > 10) n++;
      last = t;
    }
    return n;
  };
  const wordsBroken: string[] = [];
  const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement?.closest(".MathJax, .MathJax_Preview, script")) continue;
    const text = node.textContent ?? "";
    for (const m of text.matchAll(/\S{2,}/g)) {
      const range = document.createRange();
      range.setStart(node, m.index!);
      range.setEnd(node, m.index! + m[0].length);
      const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) wordsBroken.push(m[0]);
    }
  }
  return {
    columnsPerRow: rows.map((r) => r.cells.length),
    header: Array.from(rows[0].cells).map((c) => (c.textContent ?? "").trim()),
    brokenFormulas,
    tallFormulas,
    formulasOutsideTheirCell: outside,
    formulasInMathColumn: inMath,
    lastColumnLines: rows.slice(1).map((r) => ({ text: (r.cells[r.cells.length - 1].textContent ?? "").slice(0, 50), lines: lines(r.cells[r.cells.length - 1]) })),
    wordsBroken,
  };
}

/** Runs in the page: layout facts of the check() verdicts. */
function measureVerdicts(): { passed: number; failed: number; layerTable: { text: string; textLines: number; renderedLines: number } | null; narrowColumns: string[]; wordsBroken: string[] } {
  const failed = Array.from(document.querySelectorAll(".bp-verdict.bp-failed"));
  const lines = (el: Element): number => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0).map((r) => r.top).sort((a, b) => a - b);
    let n = 0;
    let last = -Infinity;
    for (const t of tops) {
      if (t - last > 4) n++;
      last = t;
    }
    return n;
  };
  const pre = failed.map((v) => v.querySelector("pre")).find((p) => p !== null) ?? null;
  const narrow: string[] = [];
  const wordsBroken: string[] = [];
  for (const v of failed) {
    for (const th of Array.from(v.querySelectorAll("table tr:first-child th"))) {
      const w = th.getBoundingClientRect().width;
      // A column narrower than about ten characters squeezes its numbers onto a line each.
      if ((th.textContent ?? "").trim() && w < 80) narrow.push(`${(th.textContent ?? "").trim()}: ${Math.round(w)} px`);
    }
    const walker = document.createTreeWalker(v, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest(".katex")) continue;
      const text = node.textContent ?? "";
      for (const m of text.matchAll(/\S{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, m.index!);
        range.setEnd(node, m.index! + m[0].length);
        const tops = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) wordsBroken.push(m[0]);
      }
    }
  }
  return {
    passed: document.querySelectorAll(".bp-verdict.bp-passed").length,
    failed: failed.length,
    layerTable: pre ? { text: pre.textContent ?? "", textLines: (pre.textContent ?? "").split("\n").filter((l) => l.trim()).length, renderedLines: lines(pre) } : null,
    narrowColumns: narrow,
    wordsBroken,
  };
}
