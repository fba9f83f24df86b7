// Turn probe outcomes into a verdict for one exercise. Pure: the same outcomes
// give the same result, whoever ran the code (a worker process or the notebook's kernel).
import { REFERENCE_TIME_FACTOR } from "../budget";
import { KERNEL_ONLY, WITHHELD, type Outcome } from "./outcome";
import { boundResult, type CaseFailure, type ExerciseResult, type Status } from "./result";
import type { Answer, Case, ExerciseSpec, Failure } from "../course/spec";
import { explain, judgeCase, type Explanation, type MistakeRun } from "./explain";
import { frozenBuiltinIn, type ParamNames, type Seen } from "./diagnose";
import { argForDisplay, argSource } from "./values";
import { DEFAULT_SEED } from "../course/cases";
import { show } from "./show";

export interface Ran {
  /** What running the cell itself threw, if anything. */
  cellError: Outcome | null;
  /** One outcome per probe, cases in order, probes in order within a case. */
  outcomes: Outcome[];
  console: string[];
  /** The learner's code as it ran (compiled): evidence for a cause, such as a `^` written for a power. */
  code?: string;
}

export interface Where {
  chapter: string;
  notebook: string;
  cell?: number;
  seed: number;
}

const MAX_FAILURES_SHOWN = 3;
/** A case's input is printed as a call when it is this short; longer ones are rebuilt with caseInput(). */
const MAX_INPUT_CHARS = 400;

/** The verdict, with every learner-made string in it bounded (see boundResult): every report is built from it. */
/** When nothing particular was found: what to do next, naming no mistake. */
export const GENERAL_NEXT_STEP =
  "Take the smallest failing input above, work the answer out by hand (or print each intermediate value with console.log in a cell) and find the first step where your numbers part from the expected ones.";

export function judge(spec: ExerciseSpec, cases: Case[], ran: Ran, reference: Answer[][] | null, where: Where, mistakes: () => MistakeRun[] = () => [], params: ParamNames = {}): ExerciseResult {
  return boundResult(judgeUnbounded(spec, cases, ran, reference, where, mistakes, params));
}

/** How big a case's input is, to show the smallest failing one first. */
function inputSize(c: Case): number {
  return JSON.stringify(c.probes.map((p) => (p.kind === "call" ? p.args.map(argForDisplay) : p.name)), (_k, v) => (typeof v === "number" ? 0 : v)).length;
}

function judgeUnbounded(spec: ExerciseSpec, cases: Case[], ran: Ran, reference: Answer[][] | null, where: Where, mistakes: () => MistakeRun[], params: ParamNames): ExerciseResult {
  const base = resultBase(spec, where, ran.console);
  const checks = cases.filter((c) => !c.diagnostic);
  base.checks.total = checks.length;
  base.checks.hidden = checks.filter((c) => c.hidden).length;

  // A demo line calling a lab helper that only the notebook's kernel has (loadMnist) stops the
  // rest of the cell's top-level code while grading, not the functions above it: the checks
  // still ran, and they decide, as the notebook would with the helper there.
  const skippedDemo = ran.cellError && labHelperOnly(ran.cellError) ? ran.cellError : undefined;
  if (ran.cellError && !skippedDemo) {
    const e = ran.cellError;
    if (isNotDone(e)) return notStarted(base, spec);
    const r = fail(base, describeOutcome(e), lineOf(e));
    // The cell stopped before any function was checked: the exercise's hints are about the maths, which nothing has judged.
    const name = e.status === "threw" ? undefinedName(e.error) : undefined;
    const frozen = e.status === "threw" && ran.code !== undefined ? frozenBuiltinIn(ran.code, [e.error.message]) : undefined;
    if (e.status === "timeout" && !e.stuck) {
      r.hint = "The cell's own top-level code did not finish in time, before any function was checked: a loop that never ends, or a long demo (a check over thousands of weights, a training run). Grading runs the whole cell first; a long demo can go into a cell of its own, below the exercise cell.";
    } else if (e.status === "threw" && e.error.name === "SyntaxError" && /await is only valid/.test(e.error.message)) {
      r.hint = "Top-level await runs in the notebook, but grading runs each exercise cell as a plain script, where it cannot: compute the answer without await (the exercise's functions are synchronous), and keep an awaited demo in a cell of its own.";
    } else if (e.status === "threw" && e.error.name === "ImportNotAllowed") {
      r.hint = "The message says what is missing while grading. The exercise's functions compute their answers from their arguments alone; a line that loads or shows something with it can go into a cell of its own, below the exercise cell.";
    } else if (frozen) {
      r.likelyCause = frozen.cause;
      r.hint = frozen.hint;
    } else if (name !== undefined && NODE_ONLY.has(name)) {
      r.hint = `An exercise function computes its answer from its arguments alone, without \`${name}\`; a line that only shows something with it can go into a cell of its own, below the exercise cell.`;
    } else if (name !== undefined) {
      r.hint = `\`${name}\` is not defined when this cell runs on its own, as the grader runs it (with the course's given values and earlier answers, without the notebook's other cells): define it in this cell, or move the line that uses it into a cell of its own.`;
    }
    return r;
  }
  const failures: CaseFailure[] = [];
  // Which case each failure came from: its paste-able input is built only for the few shown.
  const caseOf = new Map<CaseFailure, number>();
  const seen: Seen[] = [];
  let passed = 0;
  let notDone = 0;
  let firstProblem: { message: string; line?: number } | undefined;
  let offset = 0;
  // Which case each probe of the batch belongs to: a reused answer names the earlier call's case.
  const caseOfProbe = cases.flatMap((c, i) => c.probes.map(() => i));
  cases.forEach((c, i) => {
    const outs = ran.outcomes.slice(offset, offset + c.probes.length);
    offset += c.probes.length;
    const ref = reference ? reference[i] : [];
    if (c.diagnostic) {
      // Evidence only: a diagnostic probe never counts (one cut short by the deadline says so in its outcome).
      seen.push({ case: c, outcomes: outs, reference: ref, verdict: "passed" });
      return;
    }
    const broken = outs.find((o) => o.status !== "ok");
    if (broken) {
      if (isNotDone(broken)) notDone++;
      firstProblem ??= { message: describeOutcome(broken), line: lineOf(broken) };
      const f: CaseFailure = { label: c.label, expected: "an answer", actual: describeOutcome(broken), hidden: c.hidden };
      caseOf.set(f, i);
      failures.push(f);
      seen.push({ case: c, outcomes: outs, reference: ref, verdict: "broken" });
      if (c.hidden) base.checks.hiddenFailed++;
      return;
    }
    const answers = outs.map((o) => o as Extract<Outcome, { status: "ok" }>);
    const judged = judgeCase(c, outs, ref, params);
    const v = judged === "passed" ? (reusedFailure(answers, (k) => cases[caseOfProbe[k]]) ?? judged) : judged;
    const f = typeof v === "object" ? v : null;
    const shown = c.shown?.(answers);
    if (shown) (base.shown ??= []).push(shown);
    seen.push({ case: c, outcomes: outs, reference: ref, verdict: v });
    if (f) {
      const { ratios: _ratios, cause: _cause, causeHint: _causeHint, causeYields: _causeYields, fits: _fits, ...shownFailure } = f;
      const failure: CaseFailure = { label: c.label, ...shownFailure, hidden: c.hidden };
      caseOf.set(failure, i);
      failures.push(failure);
      if (c.hidden) base.checks.hiddenFailed++;
    } else passed++;
  });
  base.checks.passed = passed;
  if (notDone > 0 && passed === 0) return notStarted(base, spec);
  if (passed === checks.length) {
    base.status = "passed";
    base.score = spec.points;
    return base;
  }
  // Visible failures first, the smallest input first: they are the ones a learner can act on.
  const bySize = (fs: CaseFailure[]) => fs.map((f) => ({ f, size: inputSize(cases[caseOf.get(f)!]) })).sort((a, b) => a.size - b.size).map((x) => x.f);
  base.failures = [...bySize(failures.filter((f) => !f.hidden)), ...failures.filter((f) => f.hidden)].slice(0, MAX_FAILURES_SHOWN);
  for (const f of base.failures) {
    const input = f.hidden ? undefined : reproduce(spec, cases[caseOf.get(f)!], caseOf.get(f)!, where.seed);
    if (input) f.input = input;
  }
  const allBroken = failures.length === checks.length && firstProblem;
  // When every case broke the same way (a timeout, a throw), say it once instead of per case.
  if (allBroken && failures.every((f) => f.actual === failures[0].actual)) base.failures = [];
  const explanation = explainSafely(seen, mistakes, params, ran.code);
  if (explanation) base.likelyCause = explanation.cause;
  fail(base, allBroken ? firstProblem!.message : undefined, allBroken ? firstProblem!.line : undefined);
  // A hint names a particular mistake only when that mistake was found; otherwise it is general.
  const mistakeHint = explanation?.mistake ? spec.mistakeHints?.[explanation.mistake] : undefined;
  const fitting = explanation?.mistake ? (mistakeHint && explanation.alike ? `Where your code does that: ${mistakeHint}` : mistakeHint) : explanation?.hint;
  base.hint = fitting ?? (allBroken ? spec.hints[0] : (spec.hints[1] ?? GENERAL_NEXT_STEP));
  if (skippedDemo) {
    const at = lineOf(skippedDemo);
    base.problem ??= `${describeOutcome(skippedDemo)}; grading went on without the rest of the cell's top-level code${at ? ` (from line ${at})` : ""}, which may be what these checks miss`;
    base.line ??= at;
    base.hint = `${base.hint} ${LAB_HELPER_HINT}`;
  }
  return base;
}

/**
 * A right answer that is the very object an earlier call with other arguments answered with (a
 * buffer kept outside the function, refilled on each call): that earlier answer is gone, as a
 * caller that kept it finds out (network-forward keeps every layer's activations).
 */
function reusedFailure(answers: Extract<Outcome, { status: "ok" }>[], caseAt: (probe: number) => Case | undefined): Failure | null {
  const a = answers.find((x) => x.reused);
  if (!a?.reused) return null;
  const earlier = caseAt(a.reused.probe);
  const part = (path: string) => (path === "" ? "answer" : `answer's ${path}`);
  const which = earlier ? `the call ${earlier.label}` : "an earlier call";
  return {
    expected: "a new array or object from each call",
    actual: `this ${part(a.reused.path)} is the same object as ${which} gave as its ${part(a.reused.earlierPath).replace(/^answer's /, "")}; that earlier answer changed when this call ran`,
    why: "one array or object kept outside the function and refilled on every call: make it inside the function, so each call returns its own",
    cause: REUSED_ANSWER,
    causeHint: "Create the answer inside the function (const out = [] or new Array(n) there, not above it), so that every call returns a new one and an answer a caller keeps stays as it was.",
  };
}

export const REUSED_ANSWER = "each call returns the same array or object, refilled: the next call overwrites the answer before (one kept outside the function)";

const LAB_HELPER_HINT = "Move the line that calls a notebook helper (loadMnist, digitImage…) into a cell of its own, below the exercise cell: while grading, the cell's top-level code stops there.";

/** Thrown by a lab helper the grader does not provide (sandbox.ts LAB_ELSEWHERE): a demo line, not the exercise. */
function labHelperOnly(o: Outcome): boolean {
  return o.status === "threw" && o.error.name === "ImportNotAllowed" && o.error.message.includes(KERNEL_ONLY);
}

/** An explanation is a bonus: whatever goes wrong while looking for one never costs the verdict. */
function explainSafely(seen: Seen[], mistakes: () => MistakeRun[], params: ParamNames, code?: string): Explanation | undefined {
  try {
    return explain(seen, mistakes, params, code);
  } catch {
    return undefined;
  }
}

/** The case as a call to paste into a cell: its numbers when short, else a call that rebuilds them from the seed. */
function reproduce(spec: ExerciseSpec, c: Case, index: number, seed: number): string | undefined {
  if (c.probes.length !== 1) return undefined;
  const p = c.probes[0];
  if (p.kind !== "call") return undefined;
  const direct = `${p.fn}(${p.args.map(argSource).join(", ")})`;
  if (direct.length <= MAX_INPUT_CHARS) return direct;
  return `import { caseInput } from "backprop-lab"; ${p.fn}(...caseInput("${spec.id}", ${index + 1}${seed === DEFAULT_SEED ? "" : `, ${seed}`}))`;
}

export function resultBase(spec: ExerciseSpec, where: Where, consoleLines: string[] = []): ExerciseResult {
  return {
    id: spec.id,
    title: spec.title,
    chapter: where.chapter,
    notebook: where.notebook,
    cell: where.cell,
    points: spec.points,
    score: 0,
    status: "failed",
    checks: { total: 0, passed: 0, hidden: 0, hiddenFailed: 0 },
    failures: [],
    hint: spec.hints[0],
    seed: where.seed,
    console: consoleLines,
  };
}

function notStarted(r: ExerciseResult, spec: ExerciseSpec): ExerciseResult {
  r.status = "not-started";
  r.problem = `not done yet: write your code where the cell calls todo("${spec.id}")`;
  r.failures = [];
  return r;
}

function fail(r: ExerciseResult, problem: string | undefined, line: number | undefined): ExerciseResult {
  r.status = "failed";
  r.score = 0;
  if (problem) r.problem = problem;
  if (line) r.line = line;
  return r;
}

export function withStatus(r: ExerciseResult, status: Status, problem: string): ExerciseResult {
  r.status = status;
  r.score = 0;
  r.problem = problem;
  return boundResult(r);
}

function isNotDone(o: Outcome): boolean {
  return o.status === "threw" && o.error.name === "NotDoneYet";
}

function lineOf(o: Outcome): number | undefined {
  return o.status === "threw" || o.status === "missing" ? o.error.line : undefined;
}

/**
 * What a notebook's Node has and grading does not: said plainly, so honest code that leans on it
 * is not taken for a typo (sandbox.ts gives structuredClone, timers, crypto, base64, text bytes, `global`).
 */
const NODE_ONLY = new Set(["fetch", "Buffer", "URL", "URLSearchParams", "AbortController", "Blob", "__dirname", "__filename"]);

/** The name a ReferenceError says is not defined. */
function undefinedName(e: { name: string; message: string }): string | undefined {
  return e.name === "ReferenceError" ? /^(\S+) is not defined/.exec(e.message)?.[1] : undefined;
}

function notProvided(e: { name: string; message: string }): string {
  const name = undefinedName(e);
  return name !== undefined && NODE_ONLY.has(name) ? `: the grader runs each exercise cell on its own, without Node's \`${name}\` (the notebook has it)` : "";
}

export function describeOutcome(o: Outcome): string {
  switch (o.status) {
    case "ok":
      return show(o.value);
    case "threw":
      if (o.error.name === "ExitCalled") return o.error.message;
      if (o.error.name === "ImportNotAllowed" || o.error.name === WITHHELD) return o.error.message;
      if (o.error.name === "NotDoneYet") return "not done yet (the stub's todo() is still there)";
      return `threw ${o.error.name}: ${o.error.message}${o.error.line ? ` (line ${o.error.line} of the cell)` : ""}${notProvided(o.error)}`;
    case "missing":
      return `\`${o.name}\` is not defined in the exercise cell. The grader runs each exercise cell on its own: define \`${o.name}\` in this cell, with this exact name`;
    case "not-a-function":
      return `\`${o.name}\` should be a function, but it is ${show(o.value)}`;
    case "timeout":
      // A stuck run's limit depends on the machine's speed at that moment: its words do not (a regrade gives the same report).
      if (o.stuck) return `stopped without finishing: running the cell and answering its first check took over ${REFERENCE_TIME_FACTOR} times what the reference solution takes for both: is there a loop that never ends?`;
      return `stopped after ${(o.ms / 1000).toFixed(1)} s without finishing: is there a loop that never ends?`;
    case "crashed":
      return `stopped: ${o.why}`;
  }
}
