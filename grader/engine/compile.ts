// Compile one notebook cell from TypeScript to JavaScript, keeping enough of the
// source map to point an error at the learner's own line. Only syntax is
// checked (like `tsc --isolatedModules`): type errors do not cost points, the
// checks on returned values catch what matters. TypeScript takes ~0.5 s to load,
// so results are cached on disk by content hash and the compiler is loaded only
// on a cache miss.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { cacheDir as cacheRoot } from "./paths";

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
}

export type CompileResult = { ok: true; compiled: Compiled } | { ok: false; problems: SyntaxProblem[] };

const CACHE_VERSION = "2";
const cacheDir = path.join(cacheRoot, "compiled");
const memory = new Map<string, CompileResult>();

export function compileCell(source: string): CompileResult {
  const key = createHash("sha256").update(CACHE_VERSION).update("\0").update(source).digest("hex");
  const remembered = memory.get(key);
  if (remembered) return remembered;
  const file = path.join(cacheDir, key.slice(0, 2), key + ".json");
  let result: CompileResult | undefined;
  try {
    result = JSON.parse(fs.readFileSync(file, "utf8")) as CompileResult;
  } catch {
    result = transpile(source);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(result));
    } catch {
      // A read-only checkout still grades; it just compiles every time.
    }
  }
  memory.set(key, result);
  return result;
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
export function lineMapFrom(mappings: string): number[] {
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
