// Finding reference answers in text: shared by the tests that prove none is shown
// where it must not be (given cells, the learner edition).
import * as ts from "typescript";

/** Code without comments or whitespace: formatting and comments cannot hide a copy. */
export function normalised(code: string): string {
  return code
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/[^\n]*/g, "")
    .replace(/\s+/g, "");
}

/** The solution regions of a master's exercise cell (whole-line and inline). */
export function solutionRegions(source: string): string[] {
  const regions: string[] = [];
  for (const m of source.matchAll(/\/\* BEGIN SOLUTION \*\/([\s\S]*?)\/\* END SOLUTION \*\//g)) regions.push(m[1]);
  const lines = source.split("\n");
  let inside: string[] | null = null;
  for (const line of lines) {
    if (/^\s*\/\/ BEGIN SOLUTION\s*$/.test(line)) inside = [];
    else if (/^\s*\/\/ END SOLUTION\s*$/.test(line)) {
      regions.push(inside!.join("\n"));
      inside = null;
    } else inside?.push(line);
  }
  return regions;
}

/** The text of every function body in `source` (declarations, expressions, arrows, methods), braces stripped. */
export function functionBodies(source: string): string[] {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const bodies: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const body = node.body as ts.Node;
      const text = body.getText(file);
      bodies.push(ts.isBlock(body) ? text.slice(1, -1) : text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return bodies;
}


/**
 * The shape of every function body in `source` with at least `minTokens` tokens: types
 * stripped (TypeScript compiled to JavaScript) and local names numbered in order of
 * first use, so a copy with other names or other type annotations has the same shape.
 * Property names (after a dot) and literals are kept: `v.inputs` stays `v.inputs`.
 */
export function functionShapes(source: string, minTokens = 25): string[] {
  const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: true } }).outputText;
  return functionBodies(js)
    .map((body) => {
      const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, body);
      const names = new Map<string, number>();
      const out: string[] = [];
      let previous = ts.SyntaxKind.Unknown;
      for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
        const text = scanner.getTokenText();
        if (kind === ts.SyntaxKind.Identifier && previous !== ts.SyntaxKind.DotToken && previous !== ts.SyntaxKind.QuestionDotToken) {
          if (!names.has(text)) names.set(text, names.size);
          out.push(`$${names.get(text)}`);
        } else out.push(text);
        previous = kind;
      }
      return out;
    })
    .filter((tokens) => tokens.length >= minTokens)
    .map((tokens) => tokens.join(" "));
}
