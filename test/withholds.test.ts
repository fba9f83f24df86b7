// An exercise that computes what an earlier one did, another way (autograd-backprop is backprop
// by graph), withholds that earlier function: a cell that calls it fails with why, in official
// grading (reference versions) as in the learner edition (the learner's own earlier cells).
import * as path from "node:path";
import { course } from "../exercises";
import * as fs from "node:fs";
import { gradePaths, master, sourceOf, tempDir, withExerciseCell } from "./helpers";

const SLUG = "05-autograd";

/** The master's cell of `id`, without its marker line. */
function sourceOfMaster(id: string): string {
  const nb = JSON.parse(fs.readFileSync(master(SLUG), "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
  const cell = nb.cells.find((c) => c.cell_type === "code" && sourceOf(c).startsWith(`// exercise: ${id}\n`))!;
  return sourceOf(cell).split("\n").slice(1).join("\n");
}

async function gradeCell(id: string, body: string) {
  const file = withExerciseCell(master(SLUG), id, body, path.join(tempDir(), `${SLUG}.ipynb`));
  const report = await gradePaths([file], { only: [id] });
  return report.results.find((r) => r.id === id)!;
}

test("every withheld name is a function an earlier exercise defines", () => {
  for (const spec of course.specs) {
    const earlier = new Set(course.earlier(spec).flatMap((s) => s.defines));
    for (const name of Object.keys(spec.withholds ?? {})) expect([spec.id, name, earlier.has(name)]).toEqual([spec.id, name, true]);
  }
  expect(Object.keys(course.spec("vector-backprop")!.withholds ?? {})).toEqual(expect.arrayContaining(["backprop", "autogradBackprop"]));
});

test.each([
  ["vector-backprop", "const backpropVector = backprop;", "backprop"],
  ["vector-backprop", "function backpropVector(net: Network, x: number[], y: number[]): Gradients {\n  return autogradBackprop(net, x, y);\n}", "autogradBackprop"],
  ["autograd-backprop", "function costGraph(net: Network, x: number[], y: number[]): Value {\n  return leaf(\"c\", 0);\n}\nfunction autogradBackprop(net: Network, x: number[], y: number[]): Gradients {\n  return backprop(net, x, y);\n}", "backprop"],
  [
    "cost-111",
    "function costGraph111(x: number, y: number, w1: number, b1: number, w2: number, b2: number): Value {\n  return leaf(\"c\", 0);\n}\nfunction costGradients111(x: number, y: number, w1: number, b1: number, w2: number, b2: number) {\n  const g = chainGradients(x, y, w1, b1, w2, b2);\n  return { cost: 0, ...g };\n}",
    "chainGradients",
  ],
  // Through a function that calls the withheld one: one sgdStep with a learning rate of −2¹⁰⁰⁰
  // gives 2¹⁰⁰⁰ times backprop's gradient exactly (w + 2¹⁰⁰⁰·g rounds to 2¹⁰⁰⁰·g).
  [
    "vector-backprop",
    "function backpropVector(net: Network, x: number[], y: number[]): Gradients {\n  const L = 2 ** 1000;\n  const up = sgdStep(net, [{ x, y }], -L);\n  return { weights: up.weights.map((W) => W.map((r) => r.map((v) => v / L))), biases: up.biases.map((b) => b.map((v) => v / L)) };\n}",
    "sgdStep",
  ],
  [
    "autograd-backprop",
    "function costGraph(net: Network, x: number[], y: number[]): Value {\n  return leaf(\"c\", 0);\n}\nfunction autogradBackprop(net: Network, x: number[], y: number[]): Gradients {\n  const L = 2 ** 1000;\n  const up = trainEpoch(net, [{ x, y }], 1, -L, () => 0.5);\n  return { weights: up.weights.map((W) => W.map((r) => r.map((v) => v / L))), biases: up.biases.map((b) => b.map((v) => v / L)) };\n}",
    "trainEpoch",
  ],
] as const)("%s answered by calling an earlier exercise's function (%#): it fails, saying why", async (id, body, name) => {
  const r = await gradeCell(id, body);
  expect(r.status).toBe("failed");
  const said = [r.problem ?? "", ...r.failures.map((f) => f.actual)].join("\n");
  expect(said).toContain(`${name} is not available in exercise ${id}: `);
});

test("the cell's own top-level code may still call a withheld function (a demo comparing with backprop); the checks may not", async () => {
  const demo = "import { backprop } from \"backprop-lab\";\nconst net = { weights: [[[0.5]], [[0.5]]], biases: [[1], [1]] };\nconsole.log(backprop(net, [0.25], [1]));";
  expect(course.spec("vector-backprop")!.withholds?.backprop).toBeDefined();
  const ok = await gradeCell("vector-backprop", `${sourceOfMaster("vector-backprop")}\n${demo}`);
  expect([ok.status, ok.problem]).toEqual(["passed", undefined]);
  const alias = await gradeCell("vector-backprop", `const backpropVector = backprop;\n${demo}`);
  expect(alias.status).toBe("failed");
});
