// check(id, ...values) in the notebook: the same specs, cases, seed and judge
// as `npm run grade`, run on the values the learner just defined in the
// kernel. Hidden cases are left to grading and the verdict says so.
import { expandChecks } from "../engine/cases";
import { specById, allSpecs } from "../engine/course";
import { DEFAULT_SEED } from "../engine/grade";
import { installHarness } from "../engine/harness";
import { judge, resultBase, withStatus } from "../engine/judge";
import type { Outcome } from "../engine/outcome";
import { referenceAnswers } from "../engine/reference";
import type { ExerciseResult } from "../engine/result";
import { parseAnswer, toWire } from "../engine/sandbox";
import { verdictHtml } from "../report/html";
import { display } from "./display";

interface Harness {
  call(get: () => unknown, argsJson: string, watch?: boolean): string;
  read(get: () => unknown): string;
}

let harness: Harness | null = null;
function localHarness(): Harness {
  if (!harness) {
    const holder: { __bp?: Harness } = {};
    installHarness(holder);
    harness = holder.__bp!;
  }
  return harness;
}

/** Grade the given values against exercise `id`; returns the verdict without displaying it. */
export function checkResult(id: string, ...values: unknown[]): ExerciseResult {
  const spec = specById(id);
  if (!spec) {
    const r = resultBase({ id, title: id, points: 0, defines: [], hints: [`exercise ids are: ${allSpecs.map((s) => s.id).join(", ")}`], checks: [], mutants: {} }, { chapter: "", notebook: "", seed: DEFAULT_SEED });
    return withStatus(r, "error", `there is no exercise "${id}"`);
  }
  if (values.length < spec.defines.length) {
    const r = resultBase(spec, { chapter: "", notebook: "this notebook", seed: DEFAULT_SEED });
    return withStatus(r, "failed", `check needs ${spec.defines.join(" and ")}: write check("${id}", ${spec.defines.join(", ")})`);
  }
  const visible = expandChecks(spec, DEFAULT_SEED).filter((c) => !c.hidden);
  const h = localHarness();
  const named = new Map(spec.defines.map((name, i) => [name, values[i]] as const));
  const outcomes: Outcome[] = visible.flatMap((c) =>
    c.probes.map((p) => {
      const w = toWire(p);
      const get = () => named.get(w.name);
      return parseAnswer(w.argsJson !== undefined ? h.call(get, w.argsJson, w.watch) : h.read(get), w.name);
    }),
  );
  const reference = visible.some((c) => c.usesReference) ? referenceAnswers(spec, visible) : null;
  const result = judge(spec, visible, { cellError: null, outcomes, console: [] }, reference, { chapter: "", notebook: "this notebook", seed: DEFAULT_SEED });
  // The local run skipped hidden cases; report them as pending, not as passed.
  result.checks.hidden = expandChecks(spec, DEFAULT_SEED).length - visible.length;
  result.checks.total = visible.length + result.checks.hidden;
  return result;
}

/** Show the verdict for exercise `id` right under the cell, e.g. check("sigmoid", sigmoid). */
export function check(id: string, ...values: unknown[]): void {
  const result = checkResult(id, ...values);
  display.html(verdictHtml(result, { localCheck: true }), `${result.id}: ${result.status}${result.problem ? ` — ${result.problem}` : ""}`);
}
