// Plots with plotly.js, offline. The 4.8 MB library is embedded in the first
// plot's output of each kernel session, never fetched from a CDN and never
// once per plot; later plots wait for window.Plotly. Outputs are HTML with a
// script, which Jupyter runs in trusted notebooks (cells you run yourself are
// trusted), VS Code runs in its output view, and nbconvert's HTML export keeps.
import * as fs from "node:fs";
import { display } from "./display";

export type Trace = Record<string, unknown> & { x?: unknown[]; y?: unknown[]; z?: unknown[]; name?: string; type?: string };
export type Layout = Record<string, unknown> & { title?: string | { text: string } };

let plotlyEmbedded = false;
let counter = 0;

function plotlyScript(): string {
  const file = require.resolve("plotly.js-dist-min/plotly.min.js");
  // "</script" inside the library would end our tag early; it does not occur, but be safe.
  return fs.readFileSync(file, "utf8").replace(/<\/script/gi, "<\\/script");
}

/** Build the HTML for one plot; exported for tests and for reports. */
export function plotHtml(traces: Trace[], layout: Layout = {}, opts: { embedPlotly: boolean; id?: string }): string {
  const id = opts.id ?? `bp-plot-${process.pid}-${++counter}`;
  const fullLayout = { margin: { t: 40, r: 20, b: 45, l: 55 }, height: 360, ...layout };
  const spec = JSON.stringify({ data: traces, layout: fullLayout, config: { responsive: true, displaylogo: false } }).replace(/<\//g, "<\\/");
  const library = opts.embedPlotly ? `<script type="text/javascript">${plotlyScript()}</script>` : "";
  return `${library}<div id="${id}" class="bp-plot" style="width:100%;min-height:${fullLayout.height}px"></div>
<script type="text/javascript">
(function () {
  var spec = ${spec};
  var tries = 0;
  function draw() {
    var el = document.getElementById(${JSON.stringify(id)});
    if (!el) return;
    if (window.Plotly) { window.Plotly.newPlot(el, spec.data, spec.layout, spec.config); return; }
    if (++tries < 100) { setTimeout(draw, 100); return; }
    el.textContent = "plotly.js is not loaded: run the notebook's first plot cell again (Kernel > Restart & Run All).";
  }
  draw();
})();
</script>`;
}

/** Draw a plotly chart under the cell, e.g. plot([{ x: zs, y: zs.map(sigmoid), name: "σ" }], { title: "Sigmoid" }). */
export function plot(traces: Trace[], layout: Layout = {}): void {
  const html = plotHtml(traces, layout, { embedPlotly: !plotlyEmbedded });
  plotlyEmbedded = true;
  const title = typeof layout.title === "string" ? layout.title : layout.title?.text ?? "plot";
  display.html(html, `[plot: ${title}]`);
}
