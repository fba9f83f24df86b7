// Given cells carry no reference answers: what a chapter is given from earlier
// course.chapters comes from the backprop-lab package (grader/lab/given.ts) as compiled
// functions, never as solution source in a notebook. And those functions agree
// exactly with the reference solutions (the masters' exercise cells) that define them.
import * as path from "node:path";
import * as vm from "node:vm";
import * as ts from "typescript";
import { firstLine, GIVEN_MARKER, markedId } from "../grader/engine/notebook/cells";
import { readNotebook } from "../grader/engine/notebook/notebook";
import { course } from "../exercises";
import * as lab from "../grader/lab";
import * as given from "../grader/lab/given";
import type { Network } from "../grader/engine/course/network";
import { makeRng, normal, randomInt, type Rng } from "../grader/engine/course/rng";
import { learner, master } from "./helpers";
import { functionBodies, normalised, solutionRegions } from "./leaks";

interface Code {
  file: string;
  number: number;
  source: string;
}

function codeCells(file: string): Code[] {
  return readNotebook(file).cells.flatMap((c) => (c.type === "code" ? [{ file: path.relative(process.cwd(), file), number: c.number, source: c.source }] : []));
}

const exerciseId = (c: Code) => markedId(c.source);
const isGiven = (c: Code) => GIVEN_MARKER.test(firstLine(c.source));

const slugs = course.chapters.map((c) => c.slug);
const allSpecs = course.chapters.flatMap((c) => c.exercises);
const masterCells = new Map(slugs.map((s) => [s, codeCells(master(s))]));
const learnerCells = new Map(slugs.map((s) => [s, codeCells(learner(s))]));

/** Every reference solution: exercise id -> its normalised solution regions. */
const solutions = new Map<string, string[]>();
/** Every reference exercise cell's source, by id. */
const referenceCell = new Map<string, string>();
for (const slug of slugs) {
  for (const c of masterCells.get(slug)!) {
    const id = exerciseId(c);
    if (!id) continue;
    referenceCell.set(id, c.source);
    solutions.set(id, solutionRegions(c.source).map(normalised).filter((r) => r.length > 0));
  }
}

/** Which exercise defines each name, and in which chapter. */
const definedBy = new Map<string, { id: string; chapter: number }>();
course.chapters.forEach((ch, i) => {
  for (const spec of ch.exercises) for (const name of spec.defines) definedBy.set(name, { id: spec.id, chapter: i });
});

/** Names a given cell imports from backprop-lab. */
function labImports(source: string): string[] {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names: string[] = [];
  for (const st of file.statements) {
    if (!ts.isImportDeclaration(st) || (st.moduleSpecifier as ts.StringLiteral).text !== "backprop-lab") continue;
    const bindings = st.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) if (!el.isTypeOnly) names.push((el.propertyName ?? el.name).text);
  }
  return names;
}

/** Top-level names a cell declares (functions, classes, variables). */
function declaredNames(source: string): string[] {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const names: string[] = [];
  for (const st of file.statements) {
    if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) names.push(st.name.text);
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
  }
  return names;
}

/** Cells holding a function whose body (normalised) is some exercise's reference solution. */
function bodyLeaks(cells: Code[]): string[] {
  const leaks: string[] = [];
  for (const c of cells) {
    for (const body of functionBodies(c.source).map(normalised)) {
      for (const [id, regions] of solutions) if (regions.includes(body)) leaks.push(`${c.file} cell ${c.number}: a function body is the solution of ${id}`);
    }
  }
  return leaks;
}

/** Cells whose code (normalised) contains some exercise's reference solution as text. */
function textLeaks(cells: Code[]): string[] {
  const leaks: string[] = [];
  for (const c of cells) {
    const code = normalised(c.source);
    for (const [id, regions] of solutions) {
      // Very short regions (`returnw*aPrev+b;`) are too generic to search for as text;
      // bodyLeaks covers them.
      if (regions.some((r) => r.length >= 24 && code.includes(r))) leaks.push(`${c.file} cell ${c.number}: contains the solution of ${id}`);
    }
  }
  return leaks;
}

describe("no notebook shows a reference answer outside its exercise cell", () => {
  test("every exercise has a reference solution to look for", () => {
    expect(allSpecs.filter((s) => !solutions.get(s.id)?.length).map((s) => s.id)).toEqual([]);
  });

  test.each(slugs)("%s: no learner code cell holds a function whose body is a reference solution", (slug) => {
    expect(bodyLeaks(learnerCells.get(slug)!)).toEqual([]);
  });

  test.each(slugs)("%s: no learner non-exercise cell contains a reference solution's code", (slug) => {
    expect(textLeaks(learnerCells.get(slug)!.filter((c) => !exerciseId(c)))).toEqual([]);
  });

  test("both detectors catch a given cell that pastes reference solutions (as the given cells once did)", () => {
    // What chapter 4's given cell used to be: chapter 3's answers, markers removed, reformatted.
    const pasted = ["sigmoid", "sigmoid-prime", "layer-forward", "network-forward", "backprop"]
      .map((id) => referenceCell.get(id)!.split("\n").slice(1).filter((l) => !/SOLUTION/.test(l)).join("\n  "))
      .join("\n");
    const cell: Code = { file: "pasted.ipynb", number: 3, source: `// given: chapter 3's forward pass and backprop\n${pasted}` };
    expect(bodyLeaks([cell])).toEqual(["sigmoid", "sigmoid-prime", "layer-forward", "network-forward", "backprop"].map((id) => `pasted.ipynb cell 3: a function body is the solution of ${id}`));
    expect(textLeaks([cell])).toEqual(["sigmoid", "sigmoid-prime", "layer-forward", "network-forward", "backprop"].map((id) => `pasted.ipynb cell 3: contains the solution of ${id}`));
  });

  test.each(slugs)("%s: given cells (master and learner) define no name an exercise defines", (slug) => {
    const found: string[] = [];
    for (const cells of [masterCells.get(slug)!, learnerCells.get(slug)!]) {
      for (const c of cells.filter(isGiven)) {
        for (const name of declaredNames(c.source)) if (definedBy.has(name)) found.push(`${c.file} cell ${c.number}: defines ${name} (exercise ${definedBy.get(name)!.id})`);
        for (const m of c.source.matchAll(/\bfunction\s+(\w+)/g)) if (definedBy.has(m[1])) found.push(`${c.file} cell ${c.number}: function ${m[1]}`);
      }
    }
    expect(found).toEqual([]);
  });

  test.each(slugs)("%s: what a given cell imports from backprop-lab is an earlier chapter's exercise, exported by the lab", (slug) => {
    const chapter = slugs.indexOf(slug);
    const problems: string[] = [];
    for (const c of masterCells.get(slug)!.filter(isGiven)) {
      for (const name of labImports(c.source)) {
        const by = definedBy.get(name);
        if (!(name in lab)) problems.push(`${name} is not exported by backprop-lab`);
        if (!by) problems.push(`${name} is defined by no exercise (the grader resolves given imports to reference solutions)`);
        else if (by.chapter >= chapter) problems.push(`${name} is exercise ${by.id} of chapter ${by.chapter + 1}, not an earlier chapter`);
      }
    }
    expect(problems).toEqual([]);
  });

  test("the master and learner given cells are identical", () => {
    for (const slug of slugs) {
      expect(learnerCells.get(slug)!.filter(isGiven).map((c) => c.source)).toEqual(masterCells.get(slug)!.filter(isGiven).map((c) => c.source));
    }
  });
});

// The exercises whose answers the lab gives, in the order their cells may use each other.
const GIVEN_IDS = ["weighted-sum", "sigmoid", "sigmoid-prime", "layer-forward", "network-forward", "backprop"];

/** The reference solutions, each cell compiled from the master and run in one fresh context. */
function referenceFunctions(): Record<string, (...args: never[]) => unknown> {
  const context = vm.createContext({});
  for (const id of GIVEN_IDS) {
    const js = ts.transpileModule(referenceCell.get(id)!, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS } }).outputText;
    vm.runInContext(js, context, { filename: `reference-${id}` });
  }
  return context as Record<string, (...args: never[]) => unknown>;
}

function vector(rng: Rng, n: number, scale = 1): number[] {
  return Array.from({ length: n }, () => scale * normal(rng));
}

function randomNetwork(rng: Rng, sizes: number[], scale = 1): Network {
  return {
    weights: sizes.slice(1).map((n, l) => Array.from({ length: n }, () => vector(rng, sizes[l], scale))),
    biases: sizes.slice(1).map((n) => vector(rng, n, scale)),
  };
}

function randomSizes(rng: Rng): number[] {
  return Array.from({ length: randomInt(rng, 2, 5) }, () => randomInt(rng, 1, 9));
}

describe("the lab's given functions agree with the reference solutions", () => {
  const ref = referenceFunctions();
  const EXTREMES = [0, -0, 1, -1, 1e-300, -1e-300, 30, -30, 40, -40, 700, -700, 710, -710, 1000, -1000, Infinity, -Infinity, NaN];

  test("each given function is what an exercise defines, exported by the lab under that name", () => {
    const ids = Object.keys(given).map((name) => definedBy.get(name)?.id);
    expect(ids.sort()).toEqual([...GIVEN_IDS].sort());
    // "../grader/lab" is the package notebooks import: its package.json main, the compiled dist/.
    const net: Network = { weights: [[[0.5, -1]], [[2], [-3]]], biases: [[0.1], [0.2, -0.3]] };
    const probes: Record<string, unknown[]> = { weightedSum: [0.5, 0.25, 1], sigmoid: [0.3], sigmoidPrime: [-0.7], layerForward: [net.weights[0], [1, 2], net.biases[0]], networkForward: [net, [1, 2]], backprop: [net, [1, 2], [0, 1]] };
    for (const [name, f] of Object.entries(given)) {
      const exported = (lab as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
      expect([name, typeof exported]).toEqual([name, "function"]);
      expect(exported(...probes[name])).toEqual((f as (...args: unknown[]) => unknown)(...probes[name]));
    }
  });

  test("printing a given function shows no source", () => {
    for (const f of Object.values(given)) expect(String(f)).toContain("[native code]");
  });

  test("weightedSum and sigmoid (chapter 1), sigmoidPrime (chapter 2): edge and 200 seeded random inputs, exactly", () => {
    const rng = makeRng(20240601);
    const zs = [...EXTREMES, ...Array.from({ length: 200 }, () => normal(rng) * 10 ** randomInt(rng, -3, 3))];
    for (const z of zs) {
      expect(given.sigmoid(z)).toEqual(ref.sigmoid(z as never));
      expect(given.sigmoidPrime(z)).toEqual(ref.sigmoidPrime(z as never));
    }
    for (let i = 0; i < 200; i++) {
      const args = i < EXTREMES.length ? ([EXTREMES[i], EXTREMES[(i * 7) % EXTREMES.length], EXTREMES[(i * 3) % EXTREMES.length]] as const) : ([normal(rng) * 5, normal(rng), normal(rng) * 5] as const);
      expect(given.weightedSum(...args)).toEqual(ref.weightedSum(...(args as unknown as never[])));
    }
  });

  test("layerForward (chapter 3): 200 seeded random layers, exactly", () => {
    const rng = makeRng(7);
    for (let i = 0; i < 200; i++) {
      const n = randomInt(rng, i === 0 ? 0 : 1, 12);
      const m = randomInt(rng, 1, 12);
      const scale = i % 10 === 0 ? 100 : 1;
      const W = Array.from({ length: n }, () => vector(rng, m, scale));
      const a = vector(rng, m);
      const b = vector(rng, n, scale);
      const args = [JSON.parse(JSON.stringify(W)), [...a], [...b]] as [number[][], number[], number[]];
      expect(given.layerForward(W, a, b)).toEqual(ref.layerForward(...(args as unknown as never[])));
      expect([W, a, b]).toEqual(args); // the inputs are left as they were
    }
  });

  test("networkForward and backprop (chapter 3): 200 seeded random networks, exactly", () => {
    const rng = makeRng(3);
    const shapes = [[3, 4, 2], [5, 3, 3, 2], [2, 8, 8, 8, 1], [784, 16, 16, 10], [1, 1]];
    for (let i = 0; i < 200; i++) {
      const sizes = i < shapes.length ? shapes[i] : randomSizes(rng);
      const net = randomNetwork(rng, sizes, i % 10 === 9 ? 20 : 1);
      const x = sizes[0] === 784 ? Array.from({ length: 784 }, () => rng()) : vector(rng, sizes[0]);
      const y = i % 2 ? Array.from({ length: sizes[sizes.length - 1] }, () => rng()) : Array.from({ length: sizes[sizes.length - 1] }, (_, j) => (j === 0 ? 1 : 0));
      const copy = JSON.parse(JSON.stringify({ net, x, y })) as { net: Network; x: number[]; y: number[] };
      expect(given.networkForward(net, x)).toEqual(ref.networkForward(copy.net as never, copy.x as never));
      expect(given.backprop(net, x, y)).toEqual(ref.backprop(copy.net as never, copy.x as never, copy.y as never));
      expect({ net, x, y }).toEqual(copy); // the inputs are left as they were
    }
  });

  test("networkForward and backprop of one shape, called again and again with other networks, give each call its own answer", () => {
    // The lab keeps one workspace per shape between calls: nothing of an earlier call may show.
    const rng = makeRng(11);
    const nets = [randomNetwork(rng, [6, 4, 3]), randomNetwork(rng, [6, 4, 3], 20)];
    for (let i = 0; i < 20; i++) {
      const net = nets[i % 2];
      const x = i % 3 === 0 ? [0, 0, 0, 0, 0, 0] : vector(rng, 6);
      const y = Array.from({ length: 3 }, () => rng());
      expect(given.backprop(net, x, y)).toEqual(ref.backprop(net as never, x as never, y as never));
      expect(given.networkForward(net, x)).toEqual(ref.networkForward(net as never, x as never));
    }
  });
});
