// The numeric-gradient check as a grader feature: its thresholds, its kink
// handling, and messages that name the wrong parameter and the likely cause.
import * as path from "node:path";
import { ABS_TOLERANCE, centredDifference, gradientAgrees, REL_TOLERANCE, relativeError } from "../grader/engine/gradcheck";
import { specById } from "../grader/engine/course";
import { gradePaths, master, tempDir, withExerciseCell } from "./helpers";

test("the thresholds are the documented ones", () => {
  expect(REL_TOLERANCE).toBe(1e-6);
  expect(ABS_TOLERANCE).toBe(1e-8);
  expect(relativeError(1, 1 + 1e-9)).toBeLessThan(REL_TOLERANCE);
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
  const file = withExerciseCell(master(slug), id, specById(id)!.mutants[what], path.join(dir, `${slug}.ipynb`));
  return (await gradePaths([file], { only: [id] })).results[0];
}

test("a wrong chain gradient names the parameter, analytic, numeric and relative error", async () => {
  const r = await gradeMutant("02-chain-rule", "chain-gradients", "drops σ′ in the layers before the last");
  expect(r.status).toBe("failed");
  const f = r.failures.find((x) => x.label.startsWith("gradient check of chainGradients("))!;
  expect(f.expected).toMatch(/^dWs\[\d\] ≈ \S+ \(numeric, centred difference\)$/);
  expect(f.actual).toMatch(/^dWs\[\d\] = \S+ \(analytic\), relative error \d\.\de[-+]\d+$/);
  expect(f.why).toMatch(/gradient with respect to ws\[\d\] is wrong/);
});

test("a missing factor 2 is recognised as the likely cause", async () => {
  const r = await gradeMutant("02-chain-rule", "chain-gradients", "forgets the factor 2");
  expect(r.failures.find((x) => x.label.startsWith("gradient check"))!.why).toMatch(/; likely cause: half the true gradient: is the factor 2 of ∂C\/∂a = 2\(a − y\) missing\?/);
});

test("a missing σ′ is recognised by the spec's own diagnosis", async () => {
  const r = await gradeMutant("02-chain-rule", "neuron-gradients", "forgets σ′(z)");
  expect(r.failures.find((f) => !f.hidden && f.why?.includes("likely cause"))?.why).toBe("the gradient with respect to w is wrong; likely cause: the factor σ′(z) is missing");
});
