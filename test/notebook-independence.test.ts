// One unsolved exercise never breaks the next exercise cell or its check in the
// notebook. In tslab a cell that throws (a todo() stub) declares nothing, so a
// later cell that names a value the stub should have defined (`aL`) fails with
// "Cannot find name". The grader is not affected (it supplies reference values);
// this is about what a learner sees in Jupyter. Values later exercises need come
// from given cells instead.
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { markedId } from "../grader/engine/notebook/cells";
import { readNotebook } from "../grader/engine/notebook/notebook";
import { course } from "../exercises";
import { editNotebook, learner, master, root, sourceOf } from "./helpers";
import { executeNotebook, joined, jupyterAvailable } from "./jupyter";

interface Code {
  number: number;
  source: string;
  exercise?: string;
  checks?: string;
}

function codeCells(file: string): Code[] {
  return readNotebook(file).cells.flatMap((c) => {
    if (c.type !== "code") return [];
    const source = c.source;
    return [{ number: c.number, source, exercise: markedId(source), checks: /^check\("([a-z0-9-]+)"/m.exec(source)?.[1] }];
  });
}

/** Top-level `const`/`let` names of a cell: values, which a throwing stub leaves undeclared (functions stay declared). */
function valueNames(source: string): string[] {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  return file.statements.flatMap((st) => (ts.isVariableStatement(st) ? st.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : [])) : []));
}

/** Names a cell uses without declaring them itself (a local `let dCdA` inside a function is its own). */
function identifiers(source: string): Set<string> {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const used = new Set<string>();
  const declared = new Set<string>();
  const visit = (n: ts.Node) => {
    if ((ts.isVariableDeclaration(n) || ts.isParameter(n)) && ts.isIdentifier(n.name)) declared.add(n.name.text);
    else if (ts.isIdentifier(n)) used.add(n.text);
    ts.forEachChild(n, visit);
  };
  visit(file);
  return new Set([...used].filter((name) => !declared.has(name)));
}

test.each(course.chapters.map((c) => c.slug))("%s: no exercise or check cell uses a value another exercise cell defines", (slug) => {
  const cells = codeCells(master(slug));
  const problems: string[] = [];
  for (const owner of cells.filter((c) => c.exercise)) {
    for (const name of valueNames(owner.source)) {
      for (const c of cells) {
        const other = c.exercise ?? c.checks;
        if (!other || other === owner.exercise) continue;
        if (identifiers(c.source).has(name)) problems.push(`cell ${c.number} (${other}) uses ${name}, which exercise ${owner.exercise} defines`);
      }
    }
  }
  expect(problems).toEqual([]);
});

const maybe = jupyterAvailable() ? test : test.skip;

maybe("chapter 1 in Jupyter with `activation` left as its stub: the cost cell runs and its check passes", () => {
  const stub = codeCells(learner("01-forward-pass")).find((c) => c.exercise === "activation")!.source;
  // Inside the course folder, so the notebook's `import ... from "backprop-lab"` resolves.
  const file = path.join(root, "test-output", "independence", "01-forward-pass.ipynb");
  editNotebook(master("01-forward-pass"), file, (nb) => {
    const cell = nb.cells.find((c) => sourceOf(c).startsWith("// exercise: activation\n"))!;
    cell.source = stub;
  });
  try {
    const run = executeNotebook(file, { allowErrors: true });
    const verdict = (id: string) => {
      const cell = run.cells.find((c) => c.source.startsWith(`check("${id}"`))!;
      const html = cell.outputs.map((o) => joined(o.data?.["text/html"])).join("");
      return /bp-passed/.test(html) ? "passed" : /bp-not-started/.test(html) ? "not started" : html.replace(/<[^>]+>/g, " ").slice(0, 300);
    };
    expect({ activation: verdict("activation"), cost: verdict("cost"), forward: verdict("forward") }).toEqual({ activation: "not started", cost: "passed", forward: "passed" });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}, 120_000);
