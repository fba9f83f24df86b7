// Plots with plotly.js, offline. The library is embedded in the first plot's
// output of each kernel session, never fetched from a CDN and never once per
// plot; later plots wait for window.Plotly. It is plotly's cartesian bundle
// (scatter, bar, heatmap, contour: all the course draws), gzipped and base64'd
// into the page and unpacked there by the browser's DecompressionStream: about
// 0.7 MB per saved notebook instead of the full 4.8 MB bundle, so a notebook
// with every plot drawn stays far below the grader's size cap. Outputs are HTML
// with a script, which Jupyter runs in trusted notebooks (cells you run
// yourself are trusted), VS Code runs in its output view, and nbconvert's HTML
// export keeps.
//
// Every plot has a title: plot(title, traces, layout) takes it as its first,
// required argument, because plotly.js 4 silently ignores `layout.title` given as
// a plain string (it wants { text }). Axis titles may be written as plain strings
// ("z (weighted input)") for the same reason: they are wrapped into { text } here.
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { display } from "./display";

export type Trace = Record<string, unknown> & { x?: unknown[]; y?: unknown[]; z?: unknown[]; name?: string; type?: string };
/** An axis; `title` is its label, with units where it has any ("time (s)"). */
export type Axis = Record<string, unknown> & { title?: string | { text: string } };
/** Everything but the title, which is plot()'s first argument. */
export type Layout = Record<string, unknown> & { title?: never; xaxis?: Axis; yaxis?: Axis; yaxis2?: Axis };

/**
 * Red and blue mean a sign everywhere in the course (red: positive, "raise it"; blue:
 * negative, "lower it"), in heatmaps, signed images and weight drawings alike. So the
 * colours plotly gives lines and bars by default leave both out (its own start with
 * blue and include red).
 */
export const COLORWAY = ["#37474f", "#ef6c00", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e63", "#9e9d24"];

let plotlyEmbedded = false;
let counter = 0;

const BUNDLE = "plotly.js-cartesian-dist-min";
let packed: string | null = null;

/**
 * The script that defines window.Plotly: the bundle gzipped, as base64, unpacked in the
 * browser. Its first line names the version ("plotly.js v4.1.1"), once per notebook.
 */
export function plotlyScript(): string {
  if (packed !== null) return packed;
  const dir = require.resolve(`${BUNDLE}/package.json`).replace(/package\.json$/, "");
  const version = (JSON.parse(fs.readFileSync(`${dir}package.json`, "utf8")) as { version: string }).version;
  const base64 = zlib.gzipSync(fs.readFileSync(`${dir}plotly-cartesian.min.js`), { level: 9 }).toString("base64");
  // A <script> element made from the unpacked text runs in the page's global scope,
  // where the bundle sets window.Plotly (it has no AMD branch, so require.js in
  // Notebook 6 does not capture it).
  packed = `/* plotly.js v${version}, cartesian bundle, gzip + base64 (unpacked below; nothing is fetched) */
(function () {
  if (window.Plotly || window.bpPlotlyLoading) return;
  if (typeof DecompressionStream === "undefined") { window.bpPlotlyMissing = "this browser cannot unpack plotly.js (it has no DecompressionStream): open the notebook in a current Chrome, Firefox, Safari or VS Code"; return; }
  window.bpPlotlyLoading = true;
  var bin = atob("${base64}");
  var bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text().then(function (code) {
    var s = document.createElement("script");
    s.text = code;
    document.head.appendChild(s);
  }).catch(function (e) { window.bpPlotlyMissing = "plotly.js could not be unpacked: " + e; })
    .finally(function () { window.bpPlotlyLoading = false; });
})();`;
  return packed;
}

/**
 * Plain-string axis titles become { text } (plotly.js 4 ignores plain strings), and
 * every axis grows its margin to fit its tick labels (automargin), so a long or
 * rotated tick label never runs into the axis title. A log axis labels its ticks
 * as powers of ten (10⁻⁶, not plotly's SI "1µ"): a cost of 1µ reads as a unit.
 */
function withAxisTitles(layout: Layout): Record<string, unknown> {
  const out: Record<string, unknown> = { ...layout };
  for (const [key, value] of Object.entries(layout)) {
    if (!/^[xy]axis\d*$/.test(key) || value === null || typeof value !== "object") continue;
    const axis = value as Axis;
    const log = axis.type === "log" ? { exponentformat: "power" } : {};
    out[key] = { automargin: true, ...log, ...axis, ...(typeof axis.title === "string" ? { title: { text: axis.title } } : {}) };
  }
  return out;
}

/** The layout key of a trace's axis: "x" → "xaxis", "y2" → "yaxis2". */
const axisKey = (ref: unknown, letter: "x" | "y"): string => `${letter}axis${typeof ref === "string" ? ref.slice(1) : ""}`;

/**
 * A bar's length means its value only on an axis that starts at 0: on a log axis it
 * depends on where the axis happens to start, so a 1000× ratio can look like 2×.
 * Refused, with what to draw instead.
 */
function barsOnLogAxis(traces: Trace[], layout: Layout): string | null {
  for (const t of traces) {
    if (t.type !== "bar") continue;
    const valueAxis = t.orientation === "h" ? axisKey(t.xaxis, "x") : axisKey(t.yaxis, "y");
    const axis = layout[valueAxis] as Axis | undefined;
    if (axis?.type === "log") return `plot(): the bar trace${t.name ? ` "${t.name}"` : ""} is on a log axis (${valueAxis}), where a bar's length means nothing; draw markers (mode: "markers") on the log axis, or bars on a linear one`;
  }
  return null;
}

/** Build the HTML for one plot; exported for tests and for reports. */
export function plotHtml(title: string, traces: Trace[], layout: Layout = {}, opts: { embedPlotly: boolean; id?: string }): string {
  const misleading = barsOnLogAxis(traces, layout);
  if (misleading) throw new TypeError(misleading);
  const id = opts.id ?? `bp-plot-${process.pid}-${++counter}`;
  const fullLayout = { margin: { t: 56, r: 20, b: 50, l: 60 }, height: 360, colorway: COLORWAY, ...withAxisTitles(layout), title: { text: title } };
  const spec = JSON.stringify({ data: traces, layout: fullLayout, config: { responsive: true, displaylogo: false } }).replace(/<\//g, "<\\/");
  const library = opts.embedPlotly ? `<script type="text/javascript">${plotlyScript()}</script>` : "";
  // data-title lets a test (and a screen reader's user) know what the plot is meant to show.
  // The text inside shows only where the script cannot run: Jupyter runs scripts in a
  // notebook it trusts, and a notebook edited outside Jupyter is no longer trusted.
  return `${library}<div id="${id}" class="bp-plot" data-title="${escapeAttr(title)}" style="width:100%;min-height:${fullLayout.height}px"><p class="bp-untrusted">${escapeAttr(title)}: this plot draws in a trusted notebook. Run the cell again, or choose File &gt; Trust Notebook (JupyterLab: the command "Trust Notebook").</p></div>
<script type="text/javascript">
(function () {
  var spec = ${spec};
  var tries = 0;
  function draw() {
    var el = document.getElementById(${JSON.stringify(id)});
    if (!el) return;
    if (window.Plotly) { el.textContent = ""; window.Plotly.newPlot(el, spec.data, spec.layout, spec.config); return; }
    if (window.bpPlotlyMissing) { el.textContent = window.bpPlotlyMissing; return; }
    // While the library is being unpacked, wait as long as it takes (a busy machine); else give up after 10 s.
    if (window.bpPlotlyLoading || ++tries < 100) { setTimeout(draw, 100); return; }
    el.textContent = "plotly.js is not loaded: run the notebook's first plot cell again (Kernel > Restart & Run All).";
  }
  draw();
})();
</script>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Draw a plotly chart under the cell:
 *   plot("The sigmoid", [{ x: zs, y: zs.map(sigmoid), name: "σ(z)" }], { xaxis: { title: "z" }, yaxis: { title: "σ(z)" } })
 */
export function plot(title: string, traces: Trace[], layout: Layout = {}): void {
  if (typeof title !== "string" || title.trim() === "") throw new TypeError("plot(title, traces, layout): the first argument is the plot's title, a non-empty string");
  const html = plotHtml(title, traces, layout, { embedPlotly: !plotlyEmbedded });
  plotlyEmbedded = true;
  display.html(html, `[plot: ${title}]`);
}
