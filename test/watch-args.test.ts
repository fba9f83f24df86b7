// A watched call says whether the learner's function changed its arguments. The harness
// compares the arguments after the call with the tree it decoded them from, and encodes
// both only where that comparison cannot tell: every change the encoding shows must still
// be seen, and nothing else.
import { compileCell } from "../grader/engine/compile/compile";
import { FnArg, type Arg } from "../grader/engine/judge/values";
import type { Outcome } from "../grader/engine/judge/outcome";
import { isolateAvailable, type BoundaryKind } from "../grader/engine/run/realm";
import { Sandbox, toWire } from "../grader/engine/run/sandbox";

const LEARNER = `
function touch(how: string, a: any, rng: any): number {
  switch (how) {
    case "nothing": break;
    case "read everything": JSON.stringify(a); Object.keys(a.o); break;
    case "call the rng": rng(); rng(); break;
    case "same value written back": a.xs[1] = a.xs[1]; a.o.k = a.o.k; break;
    case "a number": a.xs[1] = 2.5000000000000004; break;
    case "0 made -0": a.xs[0] = -0; break;
    case "NaN made a number": a.weird[0] = 0; break;
    case "a push": a.xs.push(1); break;
    case "a nested number": a.rows[1][0] = 9; break;
    case "a key added": a.o.extra = 1; break;
    case "a key set to undefined": a.o.k = undefined; break;
    case "keys in another order": { const k = a.o.k; delete a.o.k; a.o.k = k; break; }
    case "a prototype": Object.setPrototypeOf(a.o, Map.prototype); break;
    case "looks like a mathjs matrix": a.rows.isMatrix = true; a.rows.toArray = () => [[0]]; break;
    case "a string": a.o.name = "other"; break;
    case "the rng renamed": Object.defineProperty(rng, "name", { value: "mine" }); break;
    case "an array made an object": a.rows[0] = { 0: 1, 1: 2 }; break;
    case "a getter that throws": Object.defineProperty(a.o, "k", { get() { throw new Error("no"); }, enumerable: true }); break;
    case "a proxy that throws": a.o = new Proxy({}, { ownKeys() { throw new Error("no"); }, getPrototypeOf() { throw new Error("no"); } }); break;
  }
  return 1;
}`;

const cases: [string, boolean][] = [
  ["nothing", false],
  ["read everything", false],
  ["call the rng", false],
  ["same value written back", false],
  ["a number", true],
  ["0 made -0", true],
  ["NaN made a number", true],
  ["a push", true],
  ["a nested number", true],
  ["a key added", true],
  ["a key set to undefined", true],
  ["keys in another order", true],
  ["a prototype", true],
  ["looks like a mathjs matrix", true],
  ["a string", true],
  ["the rng renamed", true],
  ["an array made an object", true],
  ["a getter that throws", true],
  ["a proxy that throws", true],
];

const data: Arg = { xs: [0, 2.5, 3], rows: [[1, 2], [3, 4]], weird: [NaN, -0, Infinity], o: { k: 1, name: "net" } };
const rng = new FnArg("(s) => () => (s = (s * 16807) % 2147483647) / 2147483647", "rng(seed 7)", [7]);

const realms: BoundaryKind[] = isolateAvailable() ? ["isolate", "vm"] : ["vm"];

describe.each(realms)("a watched call in the %s realm", (realm) => {
  test.each(cases)("%s: changed = %s", (how, changed) => {
    const sandbox = new Sandbox(5000, realm);
    try {
      const compiled = compileCell(LEARNER);
      if (!compiled.ok) throw new Error(compiled.problems[0].message);
      const learner = { compiled: compiled.compiled, filename: "cell" };
      const { cellError, outcomes } = sandbox.runCell(learner, [toWire({ kind: "call", fn: "touch", args: [how, data, rng], watch: true })]);
      expect(cellError).toBeNull();
      const o = outcomes[0] as Extract<Outcome, { status: "ok" }>;
      expect([o.status, o.mutated]).toEqual(["ok", changed]);
      // What the learner's function left is shown as it is after the call (an argument that
      // throws when read has nothing to show).
      if (changed && !how.includes("throws")) expect(o.argsAfter).toBeDefined();
    } finally {
      sandbox.dispose();
    }
  });
});
