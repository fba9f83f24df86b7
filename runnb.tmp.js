// Run a notebook's code cells up to a given index in one vm context (tslab-like), for profiling.
const ts = require("typescript"), vm = require("vm"), fs = require("fs");
const nb = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const upto = Number(process.argv[3] || 1e9), skip = new Set((process.argv[4] || "").split(",").filter(Boolean).map(Number));
const lab = require("/work/main/dist/grader/lab/index.js");
const ctx = vm.createContext({ console: { log: () => {} }, require, process, lab, performance, Date, setTimeout });
nb.cells.forEach((c, i) => {
  if (c.cell_type !== "code" || i > upto || skip.has(i)) return;
  let src = Array.isArray(c.source) ? c.source.join("") : c.source;
  src = src.replace(/import\s*\{([^}]*)\}\s*from\s*["']backprop-lab["'];?/g, (_, names) => `var {${names.replace(/type\s+\w+\s*,?/g, "")}} = lab;`);
  let js = ts.transpileModule(src, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  js = js.replace(/^(const|let) /gm, "var ");
  const t = performance.now();
  try { vm.runInContext(js, ctx, { filename: `cell${i}` }); } catch (e) { process.stderr.write(`cell ${i}: ${e.message}\n`); }
  const ms = performance.now() - t;
  if (ms > 200) process.stderr.write(`cell ${i}: ${ms.toFixed(0)} ms\n`);
});
