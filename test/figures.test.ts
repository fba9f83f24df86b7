// The course's pictures, without a browser: what plot() sends to the page (plotly
// embedded once, small, offline; log axes in powers of ten; no bars on a log axis)
// and how the masters use colour (red and blue mean a sign, and every picture that
// uses them says so in its caption). What the browser draws is test/browser.test.ts.
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { course } from "../exercises";
import { COLORWAY, plotHtml, plotlyScript } from "../grader/lab/plot";
import { master, sourceOf } from "./helpers";

const spec = (html: string): { data: Record<string, unknown>[]; layout: Record<string, Record<string, unknown>> } => JSON.parse(/var spec = (.*);\n/.exec(html)![1]);

describe("plot()", () => {
  test("embeds plotly's cartesian bundle once, gzipped: under 0.75 MB, and it unpacks to the bundle itself", () => {
    const script = plotlyScript();
    expect(script.length).toBeLessThan(750_000);
    expect(script.split("plotly.js v").length - 1).toBe(1);
    const base64 = /atob\("([A-Za-z0-9+/=]+)"\)/.exec(script)![1];
    const bundle = fs.readFileSync(require.resolve("plotly.js-cartesian-dist-min/plotly-cartesian.min.js"));
    expect(zlib.gunzipSync(Buffer.from(base64, "base64")).equals(bundle)).toBe(true);
    // Nothing is fetched: no URL to load a script from.
    expect(/src=|import\(|https?:\/\//.test(script.replace(base64, ""))).toBe(false);
    expect(plotHtml("t", [{ x: [1], y: [1] }], {}, { embedPlotly: true })).toContain(script);
    expect(plotHtml("t", [{ x: [1], y: [1] }], {}, { embedPlotly: false })).not.toContain("plotly.js v");
  });

  test("a log axis labels its ticks in powers of ten unless told otherwise; a linear one is left alone", () => {
    const layout = spec(plotHtml("t", [{ y: [1e-9, 1] }], { yaxis: { title: "cost (log scale)", type: "log" }, xaxis: { title: "step" } }, { embedPlotly: false })).layout;
    expect(layout.yaxis).toMatchObject({ type: "log", exponentformat: "power", title: { text: "cost (log scale)" } });
    expect(layout.xaxis.exponentformat).toBeUndefined();
    const own = spec(plotHtml("t", [{ y: [1] }], { yaxis: { type: "log", exponentformat: "e" } }, { embedPlotly: false })).layout;
    expect(own.yaxis.exponentformat).toBe("e");
  });

  test("refuses bars on a log axis, saying what to draw instead; markers there and bars on a linear axis are fine", () => {
    const bars = [{ type: "bar", x: ["a", "b"], y: [0.4, 400], name: "time" }];
    expect(() => plotHtml("t", bars, { yaxis: { type: "log" } }, { embedPlotly: false })).toThrow(/bar trace "time" is on a log axis \(yaxis\).*markers/);
    expect(() => plotHtml("t", [{ ...bars[0], orientation: "h", x: [0.4, 400], y: ["a", "b"] }], { xaxis: { type: "log" } }, { embedPlotly: false })).toThrow(/xaxis/);
    expect(() => plotHtml("t", [{ ...bars[0], yaxis: "y2" }], { yaxis2: { type: "log" } }, { embedPlotly: false })).toThrow(/yaxis2/);
    expect(() => plotHtml("t", [{ ...bars[0], type: "scatter", mode: "markers" }], { yaxis: { type: "log" } }, { embedPlotly: false })).not.toThrow();
    expect(() => plotHtml("t", bars, { yaxis: { title: "time (ms)" } }, { embedPlotly: false })).not.toThrow();
  });

  test("the default colours of lines and bars leave red and blue to signs", () => {
    const layout = spec(plotHtml("t", [{ y: [1] }], {}, { embedPlotly: false })).layout as unknown as { colorway: string[] };
    expect(layout.colorway).toEqual(COLORWAY);
    // Hue in degrees and saturation of a #rrggbb colour.
    const hsl = (hex: string): { h: number; s: number } => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
      const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min;
      const h = d === 0 ? 0 : max === r ? 60 * (((g - b) / d + 6) % 6) : max === g ? 60 * ((b - r) / d + 2) : 60 * ((r - g) / d + 4);
      return { h, s: d === 0 ? 0 : d / (1 - Math.abs(max + min - 1)) };
    };
    // Nothing red (hue within 15° of 0) or blue (195°–255°) and saturated enough to read as either.
    const redOrBlue = COLORWAY.filter((c) => {
      const { h, s } = hsl(c);
      return s > 0.4 && (h < 15 || h > 345 || (h > 195 && h < 255));
    });
    expect(hsl("#c62828").h).toBeLessThan(15);
    expect(hsl("#1565c0").h).toBeGreaterThan(195);
    expect(redOrBlue).toEqual([]);
  });
});

describe.each(course.chapters.map((c) => c.slug))("%s's pictures", (slug) => {
  const cells = (JSON.parse(fs.readFileSync(master(slug), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] }).cells;

  test("every picture that colours by sign (red, blue) says what red and blue mean in its caption", () => {
    const missing: string[] = [];
    cells.forEach((c, i) => {
      const code = sourceOf(c);
      if (c.cell_type !== "code" || !/\b(plot|showImages)\(/.test(code) || !/#c62828|#1565c0|signed:\s*true/i.test(code)) return;
      let j = i - 1;
      while (j >= 0 && cells[j].cell_type !== "markdown") j--;
      const caption = j >= 0 ? sourceOf(cells[j]).toLowerCase() : "";
      if (!/\bred\b/.test(caption) || !/\bblue\b/.test(caption)) missing.push(`cell ${i + 1}: ${code.split("\n").find((l) => /plot\(|showImages\(/.test(l))?.trim().slice(0, 60)}`);
    });
    expect(missing).toEqual([]);
  });

  test("no picture uses plotly's default red or blue for something other than a sign", () => {
    const off = cells.filter((c) => c.cell_type === "code" && /#1f77b4|#d62728/i.test(sourceOf(c))).map((c) => sourceOf(c).slice(0, 60));
    expect(off).toEqual([]);
  });
});
