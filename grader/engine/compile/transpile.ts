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

/**
 * How many `async (` (or `async <T>(`) may be open inside one another. TypeScript's parser tries
 * each as an arrow function's parameters first and backs off: its time doubles with every level
 * (16 levels 0.2 s, 18 levels 0.6 s, 21 levels 10 s on the grading machine), so a 200-character
 * cell could hold a compiler for minutes. Honest code nests two or three.
 */
export const MAX_ASYNC_NESTING = 10;

/** The deepest nesting of `async (` openings in `source` (a linear scan of its text). */
export function asyncNesting(source: string): number {
  const open: boolean[] = [];
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "(") {
      let j = i - 1;
      while (j >= 0 && /\s/.test(source[j])) j--;
      if (source[j] === ">") {
        const lt = source.lastIndexOf("<", j);
        if (lt >= 0 && j - lt < 200) j = lt - 1;
        while (j >= 0 && /\s/.test(source[j])) j--;
      }
      const isAsync = j >= 4 && source.slice(j - 4, j + 1) === "async" && (j < 5 || !/[\w$]/.test(source[j - 5]));
      open.push(isAsync);
      if (isAsync) deepest = Math.max(deepest, ++depth);
    } else if (ch === ")" && open.length > 0) {
      if (open.pop()) depth--;
    }
  }
  return deepest;
}

/** The compiler on one cell; what it throws (a stack overflow on deep nesting) becomes a syntax problem. */
export function transpileSafely(source: string): CompileResult {
  const nesting = asyncNesting(source);
  if (nesting > MAX_ASYNC_NESTING) {
    const message = `${nesting} calls of the form async (…) are nested in one another: the compiler's time doubles with each one past a few, so more than ${MAX_ASYNC_NESTING} are refused. Give the inner ones names of their own`;
    return { ok: false, problems: [{ line: 1, column: 1, whole: true, message }] };
  }
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
  // TypeScript's parser says what is wrong with a cell, in its words and at its place, on every
  // path below: these are the diagnostics transpileModule reports (the syntactic ones).
  // No parent pointers (a third of the parse's time): nothing below walks up the tree.
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const problems = syntaxProblems(ts, file);
  if (problems.length > 0) return { ok: false, problems };
  const names = topLevelNames(ts, file);
  return (plainCell(ts, file) ? stripTypes(ts, file, names) : undefined) ?? emitWithTypeScript(ts, source, names);
}

function syntaxProblems(ts: typeof import("typescript"), file: import("typescript").SourceFile): SyntaxProblem[] {
  // parseDiagnostics is what program.getSyntacticDiagnostics returns for a .ts file (not in the typings).
  const diagnostics = (file as unknown as { parseDiagnostics?: import("typescript").Diagnostic[] }).parseDiagnostics ?? [];
  return diagnostics
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (d.start === undefined) return { line: 1, column: 1, message };
      const { line, character } = file.getLineAndCharacterOfPosition(d.start);
      return { line: line + 1, column: character + 1, message };
    });
}

/**
 * The fast path is for cells whose JavaScript is the TypeScript with the types taken out: no
 * imports or exports (module interop), nothing TypeScript or the ES2022 target rewrites into
 * other code (enums, namespaces, decorators, parameter properties, `using`, `accessor`,
 * `import x =`, `export =`). That is nearly every learner cell; the rest go to TypeScript's
 * own emitter. test/transpile.test.ts checks both give the same program on every cell of the course.
 */
function plainCell(ts: typeof import("typescript"), file: import("typescript").SourceFile): boolean {
  if (ts.isExternalModule(file)) return false;
  const K = ts.SyntaxKind;
  const rewritten = new Set([K.EnumDeclaration, K.ModuleDeclaration, K.ImportEqualsDeclaration, K.ExportAssignment, K.Decorator, K.ImportDeclaration, K.ExportDeclaration, K.AccessorKeyword, K.ImportKeyword]);
  let plain = true;
  const visit = (node: import("typescript").Node): void => {
    if (!plain) return;
    if (rewritten.has(node.kind)) plain = false;
    else if (ts.isConstructorDeclaration(node) && node.parameters.some((p) => ts.getModifiers(p)?.length)) plain = false;
    else if (ts.isVariableDeclarationList(node) && usingDeclaration(ts, node)) plain = false;
    else ts.forEachChild(node, visit);
    // Modifiers are children too (accessor, export): forEachChild visits them.
  };
  visit(file);
  return plain;
}

/** `using` and `await using` (AwaitUsing is Const | Using in the flags: compared, not tested bit by bit). */
function usingDeclaration(ts: typeof import("typescript"), list: import("typescript").VariableDeclarationList): boolean {
  const kind = list.flags & ts.NodeFlags.BlockScoped;
  return kind === ts.NodeFlags.Using || kind === ts.NodeFlags.AwaitUsing;
}

/**
 * Types out, nothing else changed (sucrase's TypeScript transform keeps every line where it
 * was, so a line of the result is that line of the cell). Comments and the spacing between
 * tokens are normalised first, as TypeScript's emitter does: cells that differ only in them
 * compile to the same code (and are graded once), and no comment reaches the sandbox.
 * Undefined if the result does not keep the cell's lines (never seen): the slow path then.
 */
function stripTypes(ts: typeof import("typescript"), file: import("typescript").SourceFile, names: string[]): CompileResult | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { transform } = require("sucrase") as typeof import("sucrase");
  const normal = normaliseTrivia(ts, file);
  let js: string;
  try {
    js = transform(normal, { transforms: ["typescript"], disableESTransforms: true }).code;
  } catch {
    return undefined;
  }
  const lines = normal.split("\n").length;
  if (js.split("\n").length !== lines) return undefined;
  return { ok: true, compiled: { js, lineMap: Array.from({ length: lines }, (_, i) => i + 1), names } };
}

/**
 * The cell's text with what lies between two tokens (whitespace, comments) made the same for
 * every cell: the line breaks it held (automatic semicolons depend on them, and lines must stay
 * where they are), else one space. Tokens (strings, templates, regular expressions) are kept as
 * they are. Read with TypeScript's scanner, not the tree's children (which builds a node for
 * every token: two thirds of a cell's compile time). The scanner alone cannot tell a regular
 * expression from a division, nor where a template goes on after `}`, without the parser: the
 * tree says where each regular expression starts, and a stack of open braces says which `}`
 * closes a template's `${`. It reads `>` one character at a time (the parser joins `>>` when it
 * is a shift): every `>` is read again as the longest token there, so `a >> b` stays one token.
 * A token never loses a character or gains a space inside it; two tokens the parser splits
 * (`>>` closing two type arguments) are kept as they were written, side by side.
 */
function normaliseTrivia(ts: typeof import("typescript"), file: import("typescript").SourceFile): string {
  const text = file.text;
  const K = ts.SyntaxKind;
  const regexStarts = new Set<number>();
  const findRegex = (node: import("typescript").Node): void => {
    if (node.kind === K.RegularExpressionLiteral) regexStarts.add(node.getStart(file));
    else ts.forEachChild(node, findRegex);
  };
  findRegex(file);
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, true, ts.LanguageVariant.Standard, text);
  /** What each open `{` or `${` is: true for a template's. */
  const braces: boolean[] = [];
  const parts: string[] = [];
  let at = 0;
  const gap = (start: number): void => {
    let breaks = 0;
    for (let i = text.indexOf("\n", at); i !== -1 && i < start; i = text.indexOf("\n", i + 1)) breaks++;
    // Keep a gap's line breaks; else one space between two tokens, whether there was any or not:
    // a space never joins tokens or splits one, so the code is the same (none before the first token).
    parts.push(breaks > 0 ? "\n".repeat(breaks) : at > 0 ? " " : "");
  };
  for (let token = scanner.scan(); token !== K.EndOfFileToken; token = scanner.scan()) {
    const start = scanner.getTokenStart();
    if ((token === K.SlashToken || token === K.SlashEqualsToken) && regexStarts.has(start)) token = scanner.reScanSlashToken();
    else if (token === K.GreaterThanToken) token = scanner.reScanGreaterToken();
    else if (token === K.CloseBraceToken && braces[braces.length - 1]) token = scanner.reScanTemplateToken(false);
    if (token === K.OpenBraceToken || token === K.TemplateHead) braces.push(token === K.TemplateHead);
    else if (token === K.CloseBraceToken || token === K.TemplateTail) braces.pop();
    gap(start);
    parts.push(text.slice(start, scanner.getTokenEnd()));
    at = scanner.getTokenEnd();
  }
  gap(text.length);
  return parts.join("");
}

/** TypeScript's own emitter, for cells with module syntax or TypeScript-only runtime constructs. */
function emitWithTypeScript(ts: typeof import("typescript"), source: string, names: string[]): CompileResult {
  const out = ts.transpileModule(source, {
    fileName: "cell.ts",
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      sourceMap: true,
      esModuleInterop: true,
      // As tslab compiles a cell: a decorator gets (target, key, descriptor), not TC39's (value, context).
      experimentalDecorators: true,
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
  return { ok: true, compiled: { js, lineMap: lineMapFrom(mappings), names } };
}

function topLevelNames(ts: typeof import("typescript"), file: import("typescript").SourceFile): string[] {
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
