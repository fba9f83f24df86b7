// One sandbox = one fresh V8 context (its own Math, JSON, Array...) for one
// exercise. Learner code gets no require, no process, no timers: only what is
// defined here. Running the learner's cell and answering its probes have a
// deadline enforced by V8 (vm timeout), so an infinite loop costs one exercise;
// trusted set-up (given cells, reference code) runs without one. The worker
// thread around it (pool.ts) is the second line of defence for memory blow-ups.
import * as fs from "node:fs";
import * as vm from "node:vm";
import { installHarness } from "./harness";
import type { Compiled } from "./compile";
import type { ErrorInfo, Outcome, Probe } from "./outcome";
import { decode, encodeArg, type Tagged } from "./values";

/** A probe ready to cross a thread boundary: arguments already encoded as JSON. */
export interface WireProbe {
  name: string;
  /** Present for a call, absent for reading a value. */
  argsJson?: string;
  watch?: boolean;
}

export function toWire(p: Probe): WireProbe {
  return p.kind === "call" ? { name: p.fn, argsJson: JSON.stringify(p.args.map(encodeArg)), watch: p.watch } : { name: p.name };
}

export interface Piece {
  compiled: Compiled;
  /** Name in stack traces; errors thrown from the learner piece are mapped back to cell lines. */
  filename: string;
}

/** mathjs for cells that import it: its browser bundle, compiled once per thread, run in each sandbox that needs it. */
let mathjsScript: vm.Script | null = null;
function mathjsBundle(): vm.Script {
  if (!mathjsScript) {
    const file = require.resolve("mathjs/lib/browser/math.js");
    const source = fs.readFileSync(file, "utf8");
    // The bundle is UMD: give it a private module object so it does not touch the cell's exports.
    mathjsScript = new vm.Script(`(function () { var module = { exports: {} }; var exports = module.exports;\n${source}\n;Object.defineProperty(globalThis, "__mathjs", { value: module.exports }); })();`, { filename: "mathjs" });
  }
  return mathjsScript;
}

/** Harness and globals for a fresh sandbox: compiled once per thread (compiling it per sandbox cost ~3 ms). */
let setup: vm.Script | null = null;
function setupScript(): vm.Script {
  setup ??= new vm.Script(`(${installHarness.toString()})(globalThis);${SETUP}`, { filename: "harness" });
  return setup;
}

const trustedScripts = new Map<string, vm.Script>();
function scriptFor(piece: Piece): vm.Script {
  let s = trustedScripts.get(piece.compiled.js);
  if (!s) {
    s = new vm.Script(piece.compiled.js, { filename: piece.filename });
    trustedScripts.set(piece.compiled.js, s);
  }
  return s;
}

/** The one script every probe runs: compiled once per thread, not once per probe. */
let dispatch: vm.Script | null = null;
function dispatchScript(): vm.Script {
  dispatch ??= new vm.Script("__bp.dispatchAll(__bpIn)", { filename: "grader" });
  return dispatch;
}

/** Does compiled cell code import mathjs? Then its sandbox gets the library first. */
export function importsMathjs(js: string): boolean {
  return /require\("mathjs"\)/.test(js);
}

/** Modules an exercise cell may import while grading; anything else is refused with a message. */
const STUB_MODULES = `
  const noop = () => {};
  return {
    tslab: { display: { html: noop, markdown: noop, latex: noop, text: noop, svg: noop, png: noop, jpeg: noop, javascript: noop, raw: noop }, newDisplay: () => ({ html: noop, markdown: noop, text: noop, raw: noop }) },
    "backprop-lab": new Proxy({ todo: globalThis.__bp.todo }, { get: (t, k) => (k in t ? t[k] : noop) }),
    get mathjs() {
      if (globalThis.__mathjs) return globalThis.__mathjs;
      const e = new Error('mathjs is not loaded in this sandbox: import it with import * as math from "mathjs" in the exercise cell itself');
      e.name = "ImportNotAllowed";
      throw e;
    },
  };
`;

const SETUP = `
(function (g) {
  const modules = (function () { ${STUB_MODULES} })();
  const lines = [];
  let size = 0;
  function log(...parts) {
    if (size > 20000) return;
    const text = parts.map((p) => (typeof p === "string" ? p : (() => { try { return JSON.stringify(p); } catch (e) { return String(p); } })())).join(" ");
    size += text.length;
    lines.push(text);
  }
  const consoleStub = { log, info: log, warn: log, error: log, debug: log, table: log, dir: log };
  function exitCalled(what) {
    const e = new Error(what + " was called: the grader ignores it and grades the rest; remove it from the exercise cell");
    e.name = "ExitCalled";
    throw e;
  }
  const processStub = {
    exit: (code) => exitCalled("process.exit(" + (code === undefined ? "" : code) + ")"),
    abort: () => exitCalled("process.abort()"),
    kill: () => exitCalled("process.kill()"),
    env: {}, argv: [], platform: "sandbox",
    stdout: { write: (s) => { log(String(s)); return true; } },
    stderr: { write: (s) => { log(String(s)); return true; } },
  };
  function requireStub(name) {
    if (Object.prototype.hasOwnProperty.call(modules, name)) return modules[name];
    const e = new Error('import of "' + name + '" is not available while grading: each exercise cell runs on its own, without files or other modules');
    e.name = "ImportNotAllowed";
    throw e;
  }
  const exportsObject = {};
  const hidden = { configurable: true, writable: true, enumerable: false };
  Object.defineProperty(g, "console", { ...hidden, value: consoleStub });
  Object.defineProperty(g, "process", { ...hidden, value: processStub });
  Object.defineProperty(g, "require", { ...hidden, value: requireStub });
  Object.defineProperty(g, "exports", { ...hidden, value: exportsObject });
  Object.defineProperty(g, "module", { ...hidden, value: { exports: exportsObject } });
  Object.defineProperty(g, "todo", { ...hidden, value: g.__bp.todo });
  Object.defineProperty(g, "__consoleLines", { value: lines });
  // The probe mailbox: written from outside as a plain string, fixed so cells cannot trap it.
  Object.defineProperty(g, "__bpIn", { value: "", writable: true, configurable: false, enumerable: false });
})(globalThis);
`;

export class Sandbox {
  private readonly context: vm.Context;
  private spentMs = 0;

  constructor(private readonly budgetMs: number) {
    this.context = vm.createContext(Object.create(null), {
      codeGeneration: { strings: true, wasm: false },
      // Promise callbacks run inside the same deadline instead of escaping it.
      microtaskMode: "afterEvaluate",
    });
    setupScript().runInContext(this.context);
  }

  loadMathjs(): void {
    mathjsBundle().runInContext(this.context);
  }

  get timeLeftMs(): number {
    return Math.max(1, Math.ceil(this.budgetMs - this.spentMs));
  }

  /**
   * Run a compiled piece (prelude or learner cell); returns the error it threw, if any.
   * Trusted set-up (given cells, reference code) is compiled once per thread and run
   * without a deadline: every deadline costs V8 a watchdog thread.
   */
  run(piece: Piece, trusted = false): Outcome | null {
    const started = performance.now();
    try {
      if (trusted) scriptFor(piece).runInContext(this.context);
      else new vm.Script(piece.compiled.js, { filename: piece.filename }).runInContext(this.context, { timeout: this.timeLeftMs });
      return null;
    } catch (e) {
      return this.failure(e, piece);
    } finally {
      this.spentMs += performance.now() - started;
    }
  }

  /** Run a batch of probes. Answers come back as JSON text, so no live object leaves the sandbox. */
  probeAll(probes: WireProbe[], learner: Piece): Outcome[] {
    for (const p of probes) if (!/^[A-Za-z_$][\w$]*$/.test(p.name)) throw new Error(`spec error: bad identifier ${p.name}`);
    if (probes.length === 0) return [];
    let answers: unknown;
    let stopped: Outcome | null = null;
    const started = performance.now();
    try {
      (this.context as { __bpIn: string }).__bpIn = JSON.stringify(probes);
      answers = dispatchScript().runInContext(this.context, { timeout: this.timeLeftMs });
    } catch (e) {
      stopped = this.failure(e, learner);
      // Keep what was answered before the deadline (or the crash); the rest share its fate.
      answers = vm.runInContext("__bp.partial()", this.context, { timeout: 1000 });
    } finally {
      this.spentMs += performance.now() - started;
    }
    const raw = typeof answers === "string" ? (JSON.parse(answers) as RawAnswer[]) : [];
    // Every answer in, and still the deadline passed: work the cell left running (promise
    // callbacks that never end) would hang a real kernel, so it fails the exercise too.
    if (stopped?.status === "timeout" && raw.length === probes.length) return probes.map(() => stopped!);
    return probes.map((p, i) => (i < raw.length ? readAnswer(raw[i], p.name, learner) : (stopped ?? { status: "crashed", why: "the harness gave no answer" })));
  }

  consoleOutput(): string[] {
    return (vm.runInContext("__consoleLines.slice(0, 50)", this.context) as string[]).map(String);
  }

  private failure(e: unknown, piece: Piece): Outcome {
    if (isTimeout(e)) return { status: "timeout", ms: Math.round(this.budgetMs) };
    // Errors from the learner's realm are not instanceof our Error; read them defensively.
    const info = readError(e);
    return { status: "threw", error: mapError(info, piece) };
  }
}

/** One answer of the harness, as it encodes it (see harness.ts). */
interface RawAnswer {
  ok: boolean;
  value?: Tagged;
  mutated?: boolean;
  argsAfter?: Tagged;
  error?: ErrorInfo & { stack?: string };
  missing?: boolean;
  notFunction?: Tagged;
}

/** Read the harness's JSON answer (from a sandbox or from the notebook's own realm). */
export function parseAnswer(answer: unknown, name: string, learner?: Piece): Outcome {
  if (typeof answer !== "string") return { status: "crashed", why: "the harness gave no answer" };
  return readAnswer(JSON.parse(answer) as RawAnswer, name, learner);
}

function readAnswer(r: RawAnswer, name: string, learner?: Piece): Outcome {
  if (r.notFunction) return { status: "not-a-function", name, value: decode(r.notFunction) };
  if (r.error) {
    const error = learner ? mapError(r.error, learner) : { name: r.error.name, message: r.error.message };
    if (r.missing && error.name === "ReferenceError" && error.message.includes(name)) return { status: "missing", name, error };
    return { status: "threw", error };
  }
  const argsAfter = r.argsAfter ? decode(r.argsAfter) : undefined;
  return {
    status: "ok",
    value: decode(r.value ?? { u: 1 }),
    mutated: r.mutated === true,
    argsAfter: Array.isArray(argsAfter) ? argsAfter : undefined,
  };
}

function isTimeout(e: unknown): boolean {
  return (
    typeof e === "object" && e !== null && (e as { code?: unknown }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT"
  );
}

function readError(e: unknown): ErrorInfo & { stack?: string } {
  try {
    if (typeof e === "object" && e !== null) {
      const o = e as { name?: unknown; message?: unknown; stack?: unknown };
      return { name: String(o.name ?? "Error"), message: String(o.message ?? ""), stack: typeof o.stack === "string" ? o.stack : "" };
    }
    return { name: "thrown value", message: String(e) };
  } catch {
    return { name: "Error", message: "(an error that could not be read)" };
  }
}

/** Find the learner cell's line in a stack trace and translate it through the source map. */
function mapError(info: ErrorInfo & { stack?: string }, piece: Piece): ErrorInfo {
  const out: ErrorInfo = { name: info.name, message: info.message };
  const stack = info.stack ?? "";
  const escaped = piece.filename.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`${escaped}:(\\d+)(?::\\d+)?`).exec(stack);
  if (m) {
    const generated = Number(m[1]);
    const original = piece.compiled.lineMap[generated - 1];
    if (original) out.line = original;
  }
  return out;
}
