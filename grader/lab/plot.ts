// Plots with plotly.js, offline. The 4.8 MB library is embedded in the first
// plot's output of each kernel session, never fetched from a CDN and never
// once per plot; later plots wait for window.Plotly. Outputs are HTML with a
// script, which Jupyter runs in trusted notebooks (cells you run yourself are
// trusted), VS Code runs in its output view, and nbconvert's HTML export keeps.
//
// Every plot has a title: plot(title, traces, layout) takes it as its first,
// required argument, because plotly.js 4 silently ignores `layout.title` given as
// a plain string (it wants { text }). Axis titles may be written as plain strings
// ("z (weighted input)") for the same reason: they are wrapped into { text } here.
import * as fs from "node:fs";
import { display } from "./display";

export type Trace = Record<string, unknown> & { x?: unknown[]; y?: unknown[]; z?: unknown[]; name?: string; type?: string };
/** An axis; `title` is its label, with units where it has any ("time (s)"). */
export type Axis = Record<string, unknown> & { title?: string | { text: string } };
/** Everything but the title, which is plot()'s first argument. */
export type Layout = Record<string, unknown> & { title?: never; xaxis?: Axis; yaxis?: Axis; yaxis2?: Axis };

let plotlyEmbedded = false;
let counter = 0;

function plotlyScript(): string {
  const file = require.resolve("plotly.js-dist-min/plotly.min.js");
  // "</script" inside the library would end our tag early; it does not occur, but be safe.
  return fs.readFileSync(file, "utf8").replace(/<\/script/gi, "<\\/script");
}

/**
 * Plain-string axis titles become { text } (plotly.js 4 ignores plain strings), and
 * every axis grows its margin to fit its tick labels (automargin), so a long or
 * rotated tick label never runs into the axis title.
 */
function withAxisTitles(layout: Layout): Record<string, unknown> {
  const out: Record<string, unknown> = { ...layout };
  for (const [key, value] of Object.entries(layout)) {
    if (!/^[xy]axis\d*$/.test(key) || value === null || typeof value !== "object") continue;
    const axis = value as Axis;
    out[key] = { automargin: true, ...axis, ...(typeof axis.title === "string" ? { title: { text: axis.title } } : {}) };
  }
  return out;
}

/** Build the HTML for one plot; exported for tests and for reports. */
export function plotHtml(title: string, traces: Trace[], layout: Layout = {}, opts: { embedPlotly: boolean; id?: string }): string {
  const id = opts.id ?? `bp-plot-${process.pid}-${++counter}`;
  const fullLayout = { margin: { t: 56, r: 20, b: 50, l: 60 }, height: 360, ...withAxisTitles(layout), title: { text: title } };
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
    if (++tries < 100) { setTimeout(draw, 100); return; }
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
