// The numeric-gradient check as a grader feature: its thresholds, its kink
// handling, and messages that name the wrong parameter and the likely cause.
import * as path from "node:path";
import { centredDifference, gradientAgrees, relativeError } from "../grader/engine/judge/gradcheck";
import { course } from "../exercises";
import { gradePaths, master, tempDir, withExerciseCell } from "./helpers";

test("the thresholds are the documented ones: relative error 1e-6, or an absolute difference of 1e-8", () => {
  // Just inside and just outside each threshold, the other one out of play.
  expect(gradientAgrees(1, 1 + 0.9e-6)).toBe(true);
  expect(gradientAgrees(1, 1 + 1.1e-6)).toBe(false);
  expect(gradientAgrees(-250, -250 * (1 + 0.9e-6))).toBe(true);
  expect(gradientAgrees(-250, -250 * (1 + 1.1e-6))).toBe(false);
  expect(gradientAgrees(1e-9, 1e-9 + 0.9e-8)).toBe(true); // relative error ~0.9, but both ~0
  expect(gradientAgrees(1e-9, 1e-9 + 1.1e-8)).toBe(false);
  expect(gradientAgrees(0, -0.9e-8)).toBe(true);
  expect(gradientAgrees(0, -1.1e-8)).toBe(false);
  expect(relativeError(1, 1 + 1e-9)).toBeCloseTo(1e-9, 15);
  expect(relativeError(-2, 2)).toBe(2);
  expect(gradientAgrees(0.25, 0.25 * (1 + 1e-8))).toBe(true);
  expect(gradientAgrees(0.25, 0.125)).toBe(false); // a missing factor 2
  expect(gradientAgrees(1e-12, -3e-12)).toBe(true); // both ~0: noise, not a mistake
});

test("centred differences are accurate to ~1e-10 on smooth functions, and refuse kinks", () => {
  const sigma = (z: number) => 1 / (1 + Math.exp(-z));
  for (const z of [-3, -0.5, 0, 1, 4]) {
    const exact = sigma(z) * (1 - sigma(z));
    expect(relativeError(centredDifference(sigma, z)!, exact)).toBeLessThan(1e-8);
  }
  const relu = (z: number) => Math.max(0, z);
  expect(centredDifference(relu, 0)).toBeNull();
  expect(centredDifference(relu, 2e-6)).toBeNull(); // within h of the corner
  expect(centredDifference(relu, 0.5)).toBeCloseTo(1, 10);
});

async function gradeMutant(slug: string, id: string, what: string) {
  const dir = tempDir();
  const file = withExerciseCell(master(slug), id, course.spec(id)!.mutants[what], path.join(dir, `${slug}.ipynb`));
  return (await gradePaths([file], { only: [id] })).results[0];
}

test("a wrong chain gradient names the parameter, analytic, numeric and relative error, and which parameters were right", async () => {
  const r = await gradeMutant("02-chain-rule", "chain-gradients", "σ′ is missing in the layers before the last");
  expect(r.status).toBe("failed");
  const f = r.failures.find((x) => x.label.startsWith("gradient check of chainGradients("))!;
  expect(f.expected).toMatch(/^dWs\[\d\] ≈ \S+ \(numeric, centred difference\)$/);
  expect(f.actual).toMatch(/^dWs\[\d\] = \S+ \(analytic\), relative error \d\.\de[-+]\d+$/);
  expect(f.why).toMatch(/gradient with respect to ws\[\d\] is wrong/);
  expect(f.detail).toEqual(["right: none · wrong: dWs, dBs"]);
  expect(r.likelyCause).toBe("σ′ is missing in the layers before the last");
});

test("a backprop failure has a per-layer table and names the first wrong layer from the output", async () => {
  const r = await gradeMutant("03-many-neurons", "backprop", "σ′ is missing in the hidden layers: only the output layer multiplies by σ′(z)");
  const f = r.failures.find((x) => x.detail)!;
  const layers = f.detail!.length - 1;
  expect(layers).toBeGreaterThanOrEqual(2);
  // Only the output layer has its σ′: it is right, the one below it is the first wrong one.
  expect(f.detail![0]).toBe(`layer ${layers} (output): weights ✓  biases ✓`);
  expect(f.detail![1]).toBe(`layer ${layers - 1}: weights ✗  biases ✗`);
  expect(f.detail![layers]).toBe(`first wrong layer counting from the output: layer ${layers - 1} (weights[${layers - 2}], biases[${layers - 2}])`);
  expect(f.why).toMatch(new RegExp(`^the gradient with respect to (weights|biases)\\[${layers - 2}\\]`));
});

test("a factor speaks only when it explains every failing case", async () => {
  const half = "function dCostDA(a: number, y: number): number {\n  return a - y;\n}";
  const dir = tempDir();
  const r1 = (await gradePaths([withExerciseCell(master("02-chain-rule"), "d-cost-d-a", half, path.join(dir, "1", "02-chain-rule.ipynb"))], { only: ["d-cost-d-a"] })).results[0];
  expect(r1.likelyCause).toMatch(/factor 2/);
  // Half the value for a > y, the sign flipped otherwise: no single factor explains both, so none is named.
  const mixed = "function dCostDA(a: number, y: number): number {\n  return a > y ? a - y : -2 * (a - y);\n}";
  const r2 = (await gradePaths([withExerciseCell(master("02-chain-rule"), "d-cost-d-a", mixed, path.join(dir, "2", "02-chain-rule.ipynb"))], { only: ["d-cost-d-a"] })).results[0];
  expect(r2.status).toBe("failed");
  expect(r2.likelyCause).toBeUndefined();
});

test("an exact previous-layer sensitivity written another way passes on the seeds where its one sum nearly cancels", async () => {
  // σ′ as σ(z)·σ(−z), and the sum over j from the last neuron: exact, and closer to the true values
  // than the reference on these seeds (a 60-digit recomputation), where the case's one answer is
  // ~1e-5 from terms near 0.5 and rounding is 1e-11 of the answer.
  const body = `function previousLayerSensitivity(W: number[][], aPrev: number[], b: number[], y: number[]): number[] {
  const a = layerForward(W, aPrev, b);
  const z = W.map((row, j) => row.reduce((s, w, k) => s + w * aPrev[k], b[j]));
  const delta = z.map((zj, j) => sigmoid(zj) * sigmoid(-zj) * 2 * (a[j] - y[j]));
  return aPrev.map((_, k) => {
    let s = 0;
    for (let j = W.length - 1; j >= 0; j--) s += W[j][k] * delta[j];
    return s;
  });
}`;
  const file = withExerciseCell(master("03-many-neurons"), "previous-layer-sensitivity", body, path.join(tempDir(), "03-many-neurons.ipynb"));
  for (const seed of [78271, 94220, 24089]) {
    const r = (await gradePaths([file], { seed })).results.find((x) => x.id === "previous-layer-sensitivity")!;
    expect([seed, r.status, r.failures[0]?.actual]).toEqual([seed, "passed", undefined]);
  }
});
