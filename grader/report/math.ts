// TeX to HTML with KaTeX, as MathML: the browser typesets it natively, so a
// verdict needs no stylesheet or fonts (katex.css with its fonts inlined would
// add ~370 KB to every notebook that shows one formula) and nothing is fetched.
import katex from "katex";

export function texToHtml(tex: string, displayMode = false): string {
  return katex.renderToString(tex, { output: "mathml", throwOnError: false, displayMode });
}
