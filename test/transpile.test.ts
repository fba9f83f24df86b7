// The compiler's fast path (types stripped in place, transpile.ts) must give the program
// TypeScript's own emitter gives, on every cell we know: the course's cells (masters and
// learner notebooks), every declared mistake, every cell of the learner corpora, and the
// TypeScript constructs the fast path leaves to TypeScript. "The same program": both outputs
// printed by TypeScript's printer without comments are equal, after two differences that are
// no difference (an empty class member `;`, parentheses around a name).
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { asyncNesting, MAX_ASYNC_NESTING, transpileSafely } from "../grader/engine/compile/transpile";
import { course } from "../exercises";
import { corpusCh12 } from "./fixtures/corpus-ch12";
import { corpusCh34 } from "./fixtures/corpus-ch34";
import { corpusCh5 } from "./fixtures/corpus-ch5";
import { corpusSecond } from "./fixtures/corpus-second";
import { corpusThird } from "./fixtures/corpus-third";

const root = path.join(__dirname, "..");

function notebookCells(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith(".ipynb"))
    .flatMap((f) => (JSON.parse(fs.readFileSync(path.join(root, dir, f), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] }).cells)
    .filter((c) => c.cell_type === "code")
    .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
}

const noDifference: ts.TransformerFactory<ts.SourceFile> = (context) => {
  const visit = (node: ts.Node): ts.Node | undefined => {
    if (ts.isSemicolonClassElement(node)) return undefined;
    if (ts.isParenthesizedExpression(node) && ts.isIdentifier(node.expression)) return node.expression;
    return ts.visitEachChild(node, visit, context);
  };
  return (file) => ts.visitNode(file, visit) as ts.SourceFile;
};

/** A program as TypeScript's printer writes it, comments left out. */
function program(js: string): string {
  const file = ts.createSourceFile("cell.js", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const [out] = ts.transform(file, [noDifference]).transformed;
  return ts.createPrinter({ removeComments: true }).printFile(out);
}

function typescriptEmit(source: string): string {
  return ts.transpileModule(source, { fileName: "cell.ts", compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true, removeComments: true } }).outputText;
}

/** Constructs the fast path must leave to TypeScript (or get exactly right). */
const constructs = [
  "class B { constructor(private a: number, readonly b = 2) {} }",
  "enum Color { Red, Green = 4 }\nconst c = Color.Green;",
  "const enum K { A = 1 }\nlet k = K.A;",
  "namespace N { export const x = 1; }\nlet y = N.x;",
  "import * as math from 'mathjs';\nexport const m = math.sqrt(4);",
  "const p = import('mathjs');",
  "class D { accessor v = 1; }",
  "function f() { using r = { [Symbol.dispose]() {} }; return 1; }",
  "class A { declare x: number; y!: number; z?: string; static s: number = 1; #p = 2; [k: string]: unknown; m?(): void; get q(): number { return this.#p; } }",
  "abstract class E { abstract z: number; abstract m(): void; n() { return 1; } }",
  "function g<T>(x: T): T { return x; }\nconst h = g<number>;\nconst i = <any>h;\nconst j = (h as unknown as () => void)!;",
  "let s = `a ${ 1 + /*c*/ 2 } b // not a comment\n  c`; const r = /\\/\\/x/g; // comment\nlet t = 'x' /* y */ + \"z\";",
  "x = 5 // sloppy mode: no 'use strict' added\nvar q = this\n/** doc */ function w() { return /* a */ 1 }\n// end",
  "let a = 1\n;[a] = [2]\nconst b = a\n(function () {})",
  "function ret() {\n  return /* a comment with a\n line break */ 1\n}",
  "label: for (const v of [1, 2]) { if (v satisfies number) continue label; }\ntype T = { a: number };\ninterface I { b: T }\ndeclare const d: I;",
  "function over(a: number): number;\nfunction over(a: string): string;\nfunction over(a: any) { return a; }",
  // What the scanner reads apart from the parser: `>` in shifts and type arguments, a regular
  // expression that starts like `/=`, templates inside templates with braces in their holes.
  "let a = 8 >> 1 >>> 1; a >>= 1; a >>>= 1; const ok = a >= 2;\nconst m: Map<string, Array<Array<number>>> = new Map();\nconst d = a / 2 / 3, r = /=+/g.test('==');",
  "const t = `a${ `b${ { c: 1 }.c }` }d${ [1].map((x) => { return `${x}`; }) }e`;\nconst u = `${'}'}` + `}{`;",
];

const cells: { name: string; source: string }[] = [
  ...notebookCells("solutions").map((source, i) => ({ name: `solutions cell ${i}`, source })),
  ...notebookCells("notebooks").map((source, i) => ({ name: `notebooks cell ${i}`, source })),
  ...course.specs.flatMap((s) => Object.entries(s.mutants).map(([label, source]) => ({ name: `${s.id} mistake "${label}"`, source }))),
  ...[...corpusCh12, ...corpusCh34, ...corpusCh5, ...corpusSecond, ...corpusThird].map((e) => ({ name: `corpus "${e.name}"`, source: e.body })),
  ...constructs.map((source, i) => ({ name: `construct ${i}`, source })),
];

describe("the fast compile path", () => {
  it(`gives TypeScript's program on all ${cells.length} known cells`, () => {
    const differ: string[] = [];
    for (const { name, source } of cells) {
      const r = transpileSafely(source);
      if (!r.ok) continue;
      if (program(r.compiled.js) !== program(typescriptEmit(source))) differ.push(name);
    }
    expect(differ).toEqual([]);
    expect(cells.length).toBeGreaterThan(1000);
  });

  it("keeps every line where it was, and drops comments and spacing", () => {
    const r = transpileSafely("function f(x: number): number {   // twice\n  return x * 2 /* doubled */\n}\n// learner 7\n");
    if (!r.ok) throw new Error("did not compile");
    expect(r.compiled.lineMap).toEqual([1, 2, 3, 4, 5]);
    expect(r.compiled.names).toEqual(["f"]);
    const lines = r.compiled.js.split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[1].trim()).toBe("return x * 2");
    expect(r.compiled.js).not.toMatch(/twice|doubled|learner|number/);
  });

  it("compiles cells that differ only in comments and spacing to the same code (graded once)", () => {
    const a = transpileSafely("function f(x: number) {\n  return x + 1; // mine\n}\n// learner 1");
    const b = transpileSafely("function f(x:number){\n    return x+1;\n}\n/* learner 2 */");
    expect(a.ok && a.compiled.js).toBe(b.ok && b.compiled.js);
    // Another line layout is other code (its lines are what errors are reported against).
    const c = transpileSafely("function f(x: number) { return x + 1; }\n// learner 3");
    expect(a.ok && a.compiled.js).not.toBe(c.ok && c.compiled.js);
  });

  it("reports syntax errors in TypeScript's words, at the learner's place", () => {
    expect(transpileSafely("const a = 1;\nfunction (((")).toEqual({ ok: false, problems: expect.arrayContaining([{ line: 2, column: 10, message: "Identifier expected." }]) });
  });
});

test("async ( nested past the limit is refused at once, saying why; honest nesting compiles", () => {
  // TypeScript's parser doubles its time with each `async (` nested in another (21 levels: ~10 s).
  // Refused before TypeScript parses it: at 40 levels the parser would not finish within the test's time.
  const nested = (d: number) => `const q = ${"async (".repeat(d)}a${")".repeat(d)};`;
  const refused = transpileSafely(nested(40));
  expect(refused.ok).toBe(false);
  expect(!refused.ok && refused.problems[0].message).toMatch(/^40 calls of the form async \(…\) are nested in one another/);
  expect(asyncNesting(nested(MAX_ASYNC_NESTING))).toBe(MAX_ASYNC_NESTING);
  expect(asyncNesting("const f = async <T,>(x: T) => x;\nconst g = async (x: number) => { await h(async (y) => y); };\nasync function k(a = async (b) => b) {}")).toBe(1);
  expect(asyncNesting("g(async (a = async (b) => b) => a);")).toBe(2);
  expect(transpileSafely("const f = async (x: number) => { await Promise.all([1].map(async (y) => y)); };").ok).toBe(true);
});
