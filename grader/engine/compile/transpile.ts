// The TypeScript compiler on one cell: syntax only (like `tsc --isolatedModules`),
// plus enough of the source map to point an error at the learner's own line.
// No imports but TypeScript itself: this file also runs in the compiler process,
// which may read nothing else.

export interface Compiled {
  js: string;
  /** lineMap[generatedLine - 1] = original line (1-based), or 0 where unknown. */
  lineMap: number[];
  /** Names the cell declares at top level (functions, consts, lets, vars, classes). */
  names: string[];
}

export interface SyntaxProblem {
  line: number; // 1-based, within the cell
  column: number; // 1-based
  message: string;
  /** About the cell as a whole (too long, too deep for the compiler), not a place in it. */
  whole?: boolean;
  /** The compiler timed out or died: not a property of the cell alone, so not cached. */
  transient?: boolean;
  /** Not compiled because the learner's grading budget ran out (class grading): not graded. */
  budget?: boolean;
}

export type CompileResult = { ok: true; compiled: Compiled } | { ok: false; problems: SyntaxProblem[] };

/** The compiler on one cell; what it throws (a stack overflow on deep nesting) becomes a syntax problem. */
export function transpileSafely(source: string): CompileResult {
  try {
    return transpile(source);
  } catch (e) {
    const overflow = e instanceof RangeError;
    const message = overflow ? "the cell is nested too deeply for the compiler (a stack overflow): simplify the expression" : `the compiler failed on this cell: ${e instanceof Error ? e.message.slice(0, 300) : "unknown error"}`;
    return { ok: false, problems: [{ line: 1, column: 1, whole: true, message }] };
  }
}

function transpile(source: string): CompileResult {
  // Loaded here, not at the top: a warm cache never pays for the compiler.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  const out = ts.transpileModule(source, {
    fileName: "cell.ts",
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      sourceMap: true,
      esModuleInterop: true,
      // Reference cells run in sandboxes: their comments (// BEGIN SOLUTION ...) need not travel.
      removeComments: true,
    },
  });
  const problems: SyntaxProblem[] = [];
  for (const d of out.diagnostics ?? []) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (d.file && d.start !== undefined) {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      problems.push({ line: line + 1, column: character + 1, message });
    } else {
      problems.push({ line: 1, column: 1, message });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const js = out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
  const mappings = out.sourceMapText ? (JSON.parse(out.sourceMapText) as { mappings: string }).mappings : "";
  return { ok: true, compiled: { js, lineMap: lineMapFrom(mappings), names: topLevelNames(ts, source) } };
}

function topLevelNames(ts: typeof import("typescript"), source: string): string[] {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names: string[] = [];
  for (const st of file.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) names.push(st.name.text);
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    }
  }
  return names;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decode just the original-line field of a source map: one entry per generated line. */
function lineMapFrom(mappings: string): number[] {
  const map: number[] = [];
  let originalLine = 0;
  for (const lineText of mappings.split(";")) {
    let first = 0;
    for (const segment of lineText.split(",")) {
      if (!segment) continue;
      const fields = decodeVlq(segment);
      if (fields.length >= 4) {
        originalLine += fields[2];
        if (!first) first = originalLine + 1;
      }
    }
    map.push(first);
  }
  return map;
}

function decodeVlq(segment: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = BASE64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}
