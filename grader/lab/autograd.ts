// Chapter 5's pictures and the type of its values. A Value is plain data (no
// class, no closures), so one can cross from a learner's cell to the grader as
// it is: its id spells how it was made, which is also what identifies it.
// The pictures are SVG and HTML drawn here from live values: no script, so they
// show in untrusted notebooks and in nbconvert's HTML export alike.
import { display } from "./display";

/** A number that remembers how it was made: the operation, its inputs, and ∂(this)/∂(input i) in local[i]. */
export interface Value {
  id: string;
  op: string;
  data: number;
  inputs: Value[];
  local: number[];
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** 4 significant digits, and never "-0". */
function num(x: number | undefined): string {
  if (x === undefined) return "–";
  if (Object.is(x, -0) || x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(2) : String(Number(x.toPrecision(4)));
}

/**
 * Each value once (by id), the root first, then what it was made from, as read from
 * the root back (so not an order backward could use: a value shared by two others
 * can come before one of them). Drawing needs no order, only each value's column.
 */
function readBack(root: Value): Value[] {
  const byId = new Map<string, Value>();
  const pending = [root];
  while (pending.length > 0) {
    const v = pending.shift()!;
    if (byId.has(v.id)) continue;
    byId.set(v.id, v);
    pending.push(...v.inputs);
  }
  return [...byId.values()];
}

/** How far each value stands from the leaves: 0 for a leaf, else one more than its furthest input. */
function depths(values: Value[]): Map<string, number> {
  const depth = new Map<string, number>();
  const of = (v: Value): number => {
    let d = depth.get(v.id);
    if (d === undefined) depth.set(v.id, (d = v.inputs.reduce((m, u) => Math.max(m, of(u) + 1), 0)));
    return d;
  };
  values.forEach(of);
  return depth;
}

/**
 * The computation graph of `root` as SVG: one box per value (its operation or
 * leaf id, its data and its gradient from `grads`, the table backward returns),
 * an arrow from each input to the value made from it, labelled with the local
 * derivative. Columns: a value stands one column right of its furthest input.
 */
export function graphSvg(root: Value, grads: Record<string, number>, title: string): string {
  // Leaves on the left, the root on the right; each column top to bottom as read from the root.
  const order = readBack(root).reverse();
  const column = depths(order);
  // A leaf stands just left of the first value made from it, so its arrows stay short.
  const consumers = new Map<string, number>();
  for (const v of order) for (const u of v.inputs) consumers.set(u.id, Math.min(consumers.get(u.id) ?? Infinity, column.get(v.id)! - 1));
  for (const v of order) if (v.op === "leaf" && consumers.has(v.id)) column.set(v.id, consumers.get(v.id)!);
  const first = Math.min(...column.values());
  for (const [id, c] of column) column.set(id, c - first);
  const rows = new Map<string, number>();
  const used: number[] = [];
  for (const v of order) {
    const c = column.get(v.id)!;
    rows.set(v.id, (used[c] = (used[c] ?? 0) + 1) - 1);
  }
  const W = 176, H = 70, bw = 112, bh = 50, top = 70;
  const width = (used.length - 1) * W + bw + 20, height = top + Math.max(1, ...used.filter((n) => n > 0)) * H + 10;
  const at = (v: Value) => ({ x: 10 + column.get(v.id)! * W, y: top + rows.get(v.id)! * H });
  const edges: string[] = [];
  const boxes: string[] = [];
  for (const v of order) {
    const to = at(v);
    v.inputs.forEach((u, i) => {
      const from = at(u);
      const [x1, y1, x2, y2] = [from.x + bw, from.y + bh / 2, to.x, to.y + bh / 2];
      const ends = `data-from="${esc(u.id)}" data-to="${esc(v.id)}"`;
      if (column.get(v.id)! - column.get(u.id)! > 1) {
        // Across boxes in between: arc above them, or it would run hidden behind them.
        const yc = Math.min(from.y, to.y) - 0.45 * H;
        edges.push(`<path class="bp-edge" ${ends} d="M${x1},${y1} C${x1 + 40},${yc} ${x2 - 40},${yc} ${x2},${y2}" fill="none" stroke="#888" stroke-width="1.2" marker-end="url(#bp-arrow)"/>`);
        edges.push(`<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 8 + (3 * yc) / 4 - 3}" font-size="9" fill="#555" text-anchor="middle">∂ ${esc(num(v.local[i]))}</text>`);
      } else {
        edges.push(`<line class="bp-edge" ${ends} x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#888" stroke-width="1.2" marker-end="url(#bp-arrow)"/>`);
        edges.push(`<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 3}" font-size="9" fill="#555" text-anchor="middle">∂ ${esc(num(v.local[i]))}</text>`);
      }
    });
    const name = v.op === "leaf" ? v.id : v.op;
    const g = grads[v.id];
    boxes.push(
      `<g class="bp-node" data-id="${esc(v.id)}" data-value="${v.data}" data-grad="${g ?? ""}"><rect x="${to.x}" y="${to.y}" width="${bw}" height="${bh}" rx="8" fill="${v.op === "leaf" ? "#eef4fb" : "#fff"}" stroke="#333"/>` +
        `<text x="${to.x + bw / 2}" y="${to.y + 15}" font-size="12" font-weight="bold" text-anchor="middle">${esc(name.length > 14 ? name.slice(0, 13) + "…" : name)}</text>` +
        `<text x="${to.x + bw / 2}" y="${to.y + 30}" font-size="11" text-anchor="middle">data ${esc(num(v.data))}</text>` +
        `<text x="${to.x + bw / 2}" y="${to.y + 44}" font-size="11" text-anchor="middle" fill="#6a1b9a">grad ${esc(num(g))}</text></g>`,
    );
  }
  return `<svg class="bp-graph" data-title="${esc(title)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" font-family="sans-serif" role="img">
<title>${esc(title)}</title>
<defs><marker id="bp-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>
<text x="10" y="20" font-size="14" font-weight="bold">${esc(title)}</text>
${edges.join("\n")}
${boxes.join("\n")}
</svg>`;
}

/** Show the graph of `root` in the notebook (see graphSvg); plain lines elsewhere. */
export function drawGraph(root: Value, grads: Record<string, number>, title: string): void {
  const lines = readBack(root).map((v) => `${v.op === "leaf" ? v.id : v.op}: data ${num(v.data)}, grad ${num(grads[v.id])}`);
  display.html(graphSvg(root, grads, title), `${title}\n${lines.join("\n")}`);
}

/** One row of the index-form / vector-form picture: the same numbers computed both ways. */
export interface FormRow {
  index: string;
  vector: string;
  shape: string;
  fromIndex: number[][];
  fromVector: number[][];
}

function matrixHtml(m: number[][]): string {
  const cells = m.map((row) => `<tr>${row.map((x) => `<td style="padding:1px 5px;text-align:right;font-family:monospace">${esc(num(x))}</td>`).join("")}</tr>`).join("");
  return `<table style="border-left:2px solid #333;border-right:2px solid #333;border-collapse:collapse;display:inline-table">${cells}</table>`;
}

/**
 * Each sum over an index of chapter 3 next to the matrix product that computes it,
 * with both results drawn as matrices from live values and whether they agree.
 */
export function formsHtml(rows: FormRow[], title: string): string {
  const body = rows
    .map((r) => {
      const worst = Math.max(0, ...r.fromIndex.flatMap((row, i) => row.map((x, j) => Math.abs(x - (r.fromVector[i]?.[j] ?? NaN)))));
      const same = Number.isFinite(worst) ? (worst === 0 ? "equal" : `differ by ${num(worst)}`) : "shapes differ";
      return `<tr class="bp-form-row"><td style="padding:6px">${esc(r.index)}</td><td style="padding:6px">${matrixHtml(r.fromIndex)}</td><td style="padding:6px;font-size:18px">⟷</td><td style="padding:6px">${esc(r.vector)}<br><small>${esc(r.shape)}</small></td><td style="padding:6px">${matrixHtml(r.fromVector)}</td><td style="padding:6px">${same}</td></tr>`;
    })
    .join("\n");
  return `<div class="bp-forms" data-title="${esc(title)}"><p><b>${esc(title)}</b></p><table style="border-collapse:collapse"><tr><th>chapter 3: a sum over an index</th><th>its numbers</th><th></th><th>vector form</th><th>its numbers</th><th></th></tr>
${body}
</table></div>`;
}

export function drawForms(rows: FormRow[], title: string): void {
  display.html(formsHtml(rows, title), `${title}\n${rows.map((r) => `${r.index}  ⟷  ${r.vector} (${r.shape})`).join("\n")}`);
}
