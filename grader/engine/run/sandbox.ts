// One sandbox = one fresh realm (a V8 isolate of its own, see realm.ts) for one
// exercise. Learner code gets no require, no process, no timers: only what is
// defined here, inside the realm. Running the learner's cell and answering its
// probes have a deadline enforced by V8, so an infinite loop costs one exercise;
// trusted set-up (given cells, reference code) runs without one. Everything
// that crosses back is a string the harness made; the worker process around
// it (pool.ts) is the second line of defence.
import { installHarness } from "./harness";
import { createRealm, mathjsScript, MEMORY_LIMIT_MB, STARVED_SHARE, type BoundaryKind, type Realm, type RealmFailure } from "./realm";
import type { Compiled } from "../compile/compile";
import { KERNEL_ONLY, type ErrorInfo, type Outcome, type Probe } from "../judge/outcome";
import { capText, MAX_MESSAGE_CHARS } from "../judge/result";
import { STUCK_GROWTH_MB, WINDOW_CLOSED, WINDOW_LIFTED, WINDOW_OPEN, WINDOW_SPENT, type WindowNote } from "./window";
import { decode, encodeArg, type Tagged } from "../judge/values";

/** A probe ready to cross into a sandbox (and a worker process): arguments already encoded as JSON. */
export interface WireProbe {
  name: string;
  /** Present for a call, absent for reading a value. */
  argsJson?: string;
  watch?: boolean;
  /** A hidden check: from here on, console output is not kept. */
  quiet?: boolean;
  /** Probe's sameObjectsAs, encoded as argsJson is. */
  beforeJson?: string;
  /** Probe's linkIds. */
  linkIds?: true;
}

export function toWire(p: Probe): WireProbe {
  if (p.kind === "read") return { name: p.name };
  return { name: p.fn, argsJson: JSON.stringify(p.args.map(encodeArg)), watch: p.watch, ...(p.sameObjectsAs ? { beforeJson: JSON.stringify(p.sameObjectsAs.map(encodeArg)) } : {}), ...(p.linkIds ? { linkIds: true as const } : {}) };
}

export interface Piece {
  compiled: Compiled;
  /** Name in stack traces; errors thrown from the learner piece are mapped back to cell lines. */
  filename: string;
}

/** Harness and globals for a fresh sandbox, as one script text (the realm keeps V8's code cache for it). */
let setupSource: string | null = null;
function setupScript(): string {
  setupSource ??= `(${installHarness.toString()})(globalThis);${SETUP}`;
  return setupSource;
}

/** Does compiled cell code import mathjs? Then its sandbox gets the library first. */
export function importsMathjs(js: string): boolean {
  // The compiler spaces its output (`require ( "mathjs" )`); a learner may write either quote.
  return /\brequire\s*\(\s*["']mathjs["']\s*\)/.test(js);
}

/** The lab's oneHot (grader/lab/mnist.ts), as source for the sandbox: test/bad-input.test.ts holds the two to the same answers. */
export const ONE_HOT = `function oneHot(label) {
    if (!Number.isInteger(label) || label < 0 || label > 9) throw new RangeError("label " + label + " is not a digit 0..9");
    const y = new Array(10).fill(0);
    y[label] = 1;
    return y;
  }`;

/** The console's last line once hidden checks start: their output could print their inputs. */
export const HIDDEN_CONSOLE_NOTE = "(console output of the hidden checks is not shown)";

/** What the lab gives the notebooks that only shows something (see SETUP). */
const DISPLAY_ONLY = ["check", "plot", "drawGraph", "drawForms", "showImages"];
/**
 * What the lab gives the notebooks that has no value while grading (it reads files, or is the
 * notebook kernel's): named as such when a cell uses it, instead of "is not defined".
 */
const LAB_ELSEWHERE = ["loadMnist", "digitImage", "checkResult", "caseInput", "graphSvg", "formsHtml", "imagesHtml"];

/** Modules an exercise cell may import while grading; anything else is refused with a message. */
const STUB_MODULES = `
  const noop = () => {};
  return {
    tslab: { display: { html: noop, markdown: noop, latex: noop, text: noop, svg: noop, png: noop, jpeg: noop, javascript: noop, raw: noop }, newDisplay: () => ({ html: noop, markdown: noop, text: noop, raw: noop }) },
    // A given cell's imports are earlier answers, published as globals by the reference set-up.
    // A name with no value while grading (loadMnist reads files) says so where it is called.
    "backprop-lab": new Proxy({ todo: globalThis.__bp.todo }, {
      get: (t, k) =>
        k in t
          ? t[k]
          : (...args) => {
              if (typeof globalThis[k] === "function") return globalThis[k](...args);
              throw elsewhere(String(k));
            },
    }),
    get mathjs() {
      if (globalThis.__mathjs) return globalThis.__mathjs;
      const e = new NamedError("ImportNotAllowed", 'mathjs is not loaded in this sandbox: import it with import * as math from "mathjs" in the exercise cell itself');
      throw e;
    },
  };
`;

const SETUP = `
(function (g) {
  // An error's name set after it is made does not cross from the isolate (the host sees
  // "Error"); set in the constructor, it does: the cell's own top-level call of process.exit or
  // loadMnist is then named as such.
  class NamedError extends Error {
    constructor(name, message) {
      super(message);
      this.name = name;
    }
  }
  const modules = (function () { ${STUB_MODULES} })();
  const lines = [];
  let size = 0;
  let muted = false;
  function log(...parts) {
    if (size > 20000 || muted) return;
    const text = parts.map((p) => (typeof p === "string" ? p : (() => { try { return JSON.stringify(p); } catch (e) { return String(p); } })())).join(" ");
    size += text.length;
    lines.push(text);
  }
  // Every method the notebook's console has: a cell that times itself (console.time) or asserts
  // (console.assert) runs as it does there. What they print is kept like log's.
  const counts = Object.create(null);
  const started = Object.create(null);
  const now = () => (g.performance && typeof g.performance.now === "function" ? g.performance.now() : Date.now());
  const quiet = () => {};
  const consoleStub = {
    log, info: log, warn: log, error: log, debug: log, table: log, dir: log, dirxml: log, trace: log,
    assert: (ok, ...parts) => { if (!ok) log("Assertion failed" + (parts.length ? ":" : ""), ...parts); },
    count: (label = "default") => { counts[label] = (counts[label] || 0) + 1; log(label + ": " + counts[label]); },
    countReset: (label = "default") => { counts[label] = 0; },
    time: (label = "default") => { started[label] = now(); },
    timeLog: (label = "default", ...parts) => { if (label in started) log(label + ": " + (now() - started[label]) + " ms", ...parts); },
    timeEnd: (label = "default") => { if (label in started) { log(label + ": " + (now() - started[label]) + " ms"); delete started[label]; } },
    group: quiet, groupCollapsed: quiet, groupEnd: quiet, clear: quiet, profile: quiet, profileEnd: quiet, timeStamp: quiet,
  };
  function exitCalled(what) {
    const e = new NamedError("ExitCalled", what + " was called: the grader ignores it and grades the rest; remove it from the exercise cell");
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
    const e = new NamedError("ImportNotAllowed", 'import of "' + name + '" is not available while grading: each exercise cell runs on its own, without files or other modules');
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
  // The notebooks' first cell imports these from "backprop-lab", and a cell may call them at
  // its top level (check its own answer, plot it). A graded cell runs without that first cell,
  // and all they do is show something: here they show nothing, and the answer is graded.
  for (const name of ${JSON.stringify(DISPLAY_ONLY)}) Object.defineProperty(g, name, { ...hidden, value: function () { return undefined; } });
  Object.defineProperty(g, "liveOutput", { ...hidden, value: function () { return { html: function () {} }; } });
  function elsewhere(name) {
    const e = new NamedError("ImportNotAllowed", name + ${JSON.stringify(KERNEL_ONLY)} + ': each exercise cell runs on its own, without files or the notebook kernel; call it in a cell of its own, outside the exercise cell');
    return e;
  }
  // Imported by the notebook's first cell, used by a cell without importing it again: the same
  // message as an import of it in the cell (a cell may still define its own of that name).
  for (const name of ${JSON.stringify(LAB_ELSEWHERE)}) {
    Object.defineProperty(g, name, { ...hidden, value: function () { throw elsewhere(name); } });
  }
  // The one pure helper of that import a cell may use in its answer: the lab's own (mnist.ts).
  Object.defineProperty(g, "oneHot", { ...hidden, value: ${ONE_HOT} });
  // isolated-vm 5 on Node 20 publishes Math.E under a garbled name: a cell that writes
  // Math.E must get e, as it does in the notebook.
  if (typeof Math.E !== "number") Object.defineProperty(Math, "E", { value: 2.718281828459045, writable: false, enumerable: false, configurable: false });
  // What a notebook's Node gives a pure function and V8 alone does not: structuredClone
  // (a deep copy: learners copy a network with it). Same semantics for what a cell can
  // build: plain objects, arrays, typed arrays, Map, Set, Date, cycles kept; functions refused.
  // A cell that times itself (performance.now(), as chapter 3 does) keeps working.
  if (typeof g.performance !== "object") {
    const origin = Date.now();
    const entry = (name, startTime, duration, entryType) => ({ name, entryType, startTime, duration });
    const marks = Object.create(null);
    Object.defineProperty(g, "performance", { ...hidden, value: {
      now: () => Date.now() - origin, timeOrigin: origin,
      mark: (name) => entry(name, (marks[name] = Date.now() - origin), 0, "mark"),
      measure: (name, from, to) => { const a = from in marks ? marks[from] : 0; const b = to in marks ? marks[to] : Date.now() - origin; return entry(name, a, b - a, "measure"); },
      clearMarks: () => {}, clearMeasures: () => {}, getEntries: () => [], getEntriesByName: () => [], getEntriesByType: () => [],
    } });
  }
  // The rest of what a notebook's Node has and a demo line in an exercise cell may use (a
  // timer, a UUID, base64, text bytes, process timings). Timers never fire here: only the
  // answer is graded. Names a cell cannot use while grading (Buffer, URL, fetch, files) stay
  // undefined and the verdict says so.
  const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const nodeLike = {
    global: g,
    setTimeout: () => 0, setInterval: () => 0, setImmediate: () => 0, clearTimeout: () => {}, clearInterval: () => {}, clearImmediate: () => {},
    queueMicrotask: (f) => { Promise.resolve().then(() => f()); },
    btoa: (text) => {
      const abc = B64;
      const t = String(text);
      let out = "";
      for (let i = 0; i < t.length; i += 3) {
        const n = (t.charCodeAt(i) << 16) | ((t.charCodeAt(i + 1) || 0) << 8) | (t.charCodeAt(i + 2) || 0);
        out += abc[(n >> 18) & 63] + abc[(n >> 12) & 63] + (i + 1 < t.length ? abc[(n >> 6) & 63] : "=") + (i + 2 < t.length ? abc[n & 63] : "=");
      }
      return out;
    },
    atob: (b64) => {
      const abc = B64;
      const t = String(b64).replace(/[=\\s]/g, "");
      let out = "";
      for (let i = 0; i < t.length; i += 4) {
        const n = (abc.indexOf(t[i]) << 18) | (abc.indexOf(t[i + 1]) << 12) | ((abc.indexOf(t[i + 2]) & 63) << 6) | (abc.indexOf(t[i + 3]) & 63);
        out += String.fromCharCode((n >> 16) & 255) + (i + 2 < t.length ? String.fromCharCode((n >> 8) & 255) : "") + (i + 3 < t.length ? String.fromCharCode(n & 255) : "");
      }
      return out;
    },
    TextEncoder: class TextEncoder { get encoding() { return "utf-8"; } encode(text = "") { return Uint8Array.from(unescape(encodeURIComponent(String(text))), (c) => c.charCodeAt(0)); } },
    TextDecoder: class TextDecoder { get encoding() { return "utf-8"; } decode(bytes = new Uint8Array(0)) { let s = ""; for (const b of new Uint8Array(bytes.buffer ? bytes.buffer : bytes, bytes.byteOffset || 0, bytes.byteLength === undefined ? bytes.length : bytes.byteLength)) s += String.fromCharCode(b); return decodeURIComponent(escape(s)); } },
    crypto: {
      getRandomValues: (a) => { for (let i = 0; i < a.length; i++) a[i] = Math.floor(Math.random() * 256); return a; },
      randomUUID: () => "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => ((c === "x" ? Math.random() * 16 : 8 + Math.random() * 4) | 0).toString(16)),
    },
  };
  for (const name of Object.keys(nodeLike)) if (!(name in g)) Object.defineProperty(g, name, { ...hidden, value: nodeLike[name] });
  const hrtime = (prev) => { const t = g.performance.now(); const s = Math.floor(t / 1000); const ns = Math.round((t - s * 1000) * 1e6); return prev ? [s - prev[0], ns - prev[1]] : [s, ns]; };
  hrtime.bigint = () => BigInt(Math.round(g.performance.now() * 1e6));
  Object.assign(processStub, {
    hrtime, uptime: () => g.performance.now() / 1000, version: "v20", versions: {},
    memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }),
    cpuUsage: () => ({ user: 0, system: 0 }),
    nextTick: (f, ...args) => { Promise.resolve().then(() => f(...args)); },
    on: () => processStub, once: () => processStub, off: () => processStub, emitWarning: () => {},
  });
  if (typeof g.structuredClone !== "function") {
    const clone = (v, seen) => {
      if (v === null || typeof v !== "object") {
        if (typeof v === "function" || typeof v === "symbol") {
          const e = new NamedError("DataCloneError", String(typeof v === "function" ? (v.name || "function") : "symbol") + " could not be cloned.");
          throw e;
        }
        return v;
      }
      if (seen.has(v)) return seen.get(v);
      let out;
      if (Array.isArray(v)) {
        out = new Array(v.length);
        seen.set(v, out);
        for (let i = 0; i < v.length; i++) if (i in v) out[i] = clone(v[i], seen);
        return out;
      }
      if (ArrayBuffer.isView(v)) { out = v.slice(); seen.set(v, out); return out; }
      if (v instanceof Date) { out = new Date(v.getTime()); seen.set(v, out); return out; }
      if (v instanceof Map) { out = new Map(); seen.set(v, out); for (const [k, x] of v) out.set(clone(k, seen), clone(x, seen)); return out; }
      if (v instanceof Set) { out = new Set(); seen.set(v, out); for (const x of v) out.add(clone(x, seen)); return out; }
      out = {};
      seen.set(v, out);
      for (const k of Object.keys(v)) out[k] = clone(v[k], seen);
      return out;
    };
    Object.defineProperty(g, "structuredClone", { ...hidden, value: function structuredClone(value) { return clone(value, new Map()); } });
  }
  // Math.random is seeded (the same stream in every sandbox): a cell that uses it gives the
  // same answers on every run, so a failure can be replayed and two runs of a class agree.
  let seed = 0x9e3779b9;
  Object.defineProperty(Math, "random", { ...hidden, value: function random() {
    seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
    return seed / 4294967296;
  } });
  Object.defineProperty(g, "__bpMute", { value: () => { if (!muted) { muted = true; lines.push(${JSON.stringify(HIDDEN_CONSOLE_NOTE)}); } }, writable: false, configurable: false, enumerable: false });
  // Console lines leave as one JSON string made by the harness's own serializer.
  const serialize = g.__bp.serialize;
  Object.defineProperty(g, "__bpConsole", { value: () => serialize(lines.length > 50 ? lines.slice(0, 50).concat(muted ? [${JSON.stringify(HIDDEN_CONSOLE_NOTE)}] : []) : lines), writable: false, configurable: false, enumerable: false });
})(globalThis);
`;

/**
 * Run after trusted set-up, before any learner code: the learner's cell finds the
 * language's shared objects frozen, so nothing the harness, the probes or the
 * reference functions use can be redefined (an accessor on Array.prototype[0]
 * would see the harness write its answers; a wrapped Array.prototype.map would be
 * handed a reference's own callbacks, whose source toString prints). The same
 * idea as SES's lockdown(), done in place: ses itself is a 400 KB bundle per isolate.
 * Assigning to a name an intrinsic prototype also has (err.name = "X",
 * obj.toString = f) would then throw, so those few are made accessors that define
 * the property on the object itself, as ses's override taming does.
 * Memory the heap limit does not see is taken away: growable ArrayBuffers, shared
 * memory, WebAssembly memory, and Atomics.waitAsync with them; and FinalizationRegistry.
 */
const HARDEN = `
(function (g) {
  "use strict";
  const { defineProperty, getOwnPropertyDescriptor, getPrototypeOf, freeze, isFrozen } = Object;
  const ownKeys = Reflect.ownKeys;
  try { delete ArrayBuffer.prototype.resize; } catch (e) {}
  // FinalizationRegistry too: its callbacks run when the collector gets to them, which can be
  // during a later job of the same isolate (realm.ts keeps one per learner between jobs).
  for (const name of ["SharedArrayBuffer", "WebAssembly", "Atomics", "FinalizationRegistry"]) {
    try { delete g[name]; } catch (e) {}
  }
  function tame(obj, key) {
    const d = getOwnPropertyDescriptor(obj, key);
    if (!d || !("value" in d) || !d.configurable) return;
    const value = d.value;
    defineProperty(obj, key, {
      get() { return value; },
      set(v) {
        if (this === obj) throw new TypeError("Cannot assign to read only property '" + String(key) + "' of a built-in object");
        defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
      },
      enumerable: d.enumerable,
      configurable: false,
    });
  }
  const errors = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError];
  if (typeof AggregateError === "function") errors.push(AggregateError);
  for (const E of errors) for (const k of ["name", "message", "constructor", "toString"]) tame(E.prototype, k);
  for (const k of ["constructor", "toString", "valueOf", "toLocaleString", "hasOwnProperty", "isPrototypeOf", "propertyIsEnumerable"]) tame(Object.prototype, k);
  for (const k of ["constructor", "toString", "call", "apply", "bind"]) tame(Function.prototype, k);
  // Not Array.prototype.constructor: redefining it ends V8's array-species protector for the
  // whole process, not just this context, and every map, filter and slice of the host (a
  // notebook's kernel after check(), the grader judging) then looks up the species: nested
  // maps 7-18 times slower. Frozen below with the rest, it stays a data property.
  tame(Array.prototype, "toString");
  const seen = new Set();
  function harden(o) {
    if ((typeof o !== "object" && typeof o !== "function") || o === null || seen.has(o)) return;
    seen.add(o);
    freeze(o);
    for (const k of ownKeys(o)) {
      const d = getOwnPropertyDescriptor(o, k);
      if (!d) continue;
      if ("value" in d) harden(d.value);
      else { harden(d.get); harden(d.set); }
    }
    harden(getPrototypeOf(o));
  }
  const names = ["Object", "Function", "Array", "Number", "Boolean", "String", "Symbol", "BigInt", "Date", "Promise", "RegExp",
    "Error", "AggregateError", "EvalError", "RangeError", "ReferenceError", "SyntaxError", "TypeError", "URIError",
    "JSON", "Math", "Reflect", "Proxy", "Intl", "ArrayBuffer", "DataView", "Map", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry",
    "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
    "parseInt", "parseFloat", "isNaN", "isFinite", "encodeURIComponent", "decodeURIComponent", "encodeURI", "decodeURI", "escape", "unescape", "eval", "structuredClone"];
  for (const name of names) if (name in g) harden(g[name]);
  // Intrinsics no global names: iterators, generators, async functions.
  harden(getPrototypeOf(function* () {}));
  harden(getPrototypeOf(async function () {}));
  harden(getPrototypeOf(async function* () {}));
  harden(getPrototypeOf([][Symbol.iterator]()));
  harden(getPrototypeOf(new Map()[Symbol.iterator]()));
  harden(getPrototypeOf(new Set()[Symbol.iterator]()));
  harden(getPrototypeOf(""[Symbol.iterator]()));
  harden(getPrototypeOf(/a/[Symbol.matchAll]("")));
})(globalThis);
`;

/**
 * CPU time of this process (ms). The realm runs synchronously on this thread, one job at a time,
 * so it is the learner code's CPU time (isolated-vm's own cpuTime counts wall time).
 */
function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export class Sandbox {
  private readonly realm: Realm;
  /** The isolate served an earlier job of the same owner. */
  get reusedIsolate(): boolean {
    return this.realm.reused === true;
  }
  private spentMs = 0;
  private cpuSpentMs = 0;
  private cpuAtStart: number | undefined;
  /**
   * A deadline passed before the learner's code had had its time in CPU (STARVED_SHARE of
   * it): the machine was busy. The job is run again with more time (see pool.ts), so a
   * verdict never depends on the load of the machine.
   */
  starved = false;
  /** A deadline stopped learner code: the isolate may hold work it left queued, so it serves no later job. */
  private timedOut = false;
  /** How many probes the harness answered before the deadline (or a crash) stopped it. */
  answered = 0;

  constructor(
    private readonly budgetMs: number,
    kind: BoundaryKind,
    owner?: string,
  ) {
    this.realm = createRealm(kind, owner);
    const failed = this.realm.run(setupScript(), "harness");
    this.cpuAtStart = undefined;
    if (failed) throw new Error(`sandbox set-up failed: ${failed.kind}`);
  }

  /** Freeze the intrinsics (see HARDEN): after trusted set-up, before learner code. */
  harden(): void {
    const failed = this.realm.run(HARDEN, "harden");
    if (failed) throw new Error(`hardening the sandbox failed: ${failed.kind === "threw" ? String((failed.error as Error)?.message ?? failed.error) : failed.kind}`);
  }

  loadMathjs(): void {
    const failed = this.realm.run(mathjsScript(), "mathjs");
    if (failed) throw new Error(`loading mathjs failed: ${failed.kind}`);
  }

  /** Wall-clock time the learner's code has had so far (its cell and its probes). */
  get usedMs(): number {
    return this.spentMs;
  }

  /** CPU time this process spent on it (the same on a busy machine: what the short limit is measured in, see window.ts). */
  get cpuUsedMs(): number {
    return this.cpuSpentMs;
  }

  get timeLeftMs(): number {
    return Math.max(1, Math.ceil(this.budgetMs - this.spentMs));
  }

  /**
   * Run a compiled piece (prelude or learner cell); returns the error it threw, if any.
   * Trusted set-up (given cells, reference code) runs before any learner code and
   * without a deadline; the pool's hard deadline still bounds the whole job.
   */
  run(piece: Piece, trusted = false): Outcome | null {
    if (!trusted) this.cpuAtStart ??= processCpuMs();
    const failed = this.charged(() => this.realm.run(piece.compiled.js, piece.filename, trusted ? undefined : this.timeLeftMs), !trusted);
    return failed ? this.failure(failed, piece) : null;
  }

  /** Time (wall-clock, and CPU for learner code) charged to the learner while `work` runs. */
  private charged<T>(work: () => T, learnerCode = true): T {
    const started = performance.now();
    const cpuBefore = processCpuMs();
    try {
      return work();
    } finally {
      this.spentMs += performance.now() - started;
      if (learnerCode) this.cpuSpentMs += processCpuMs() - cpuBefore;
    }
  }

  private async chargedAsync<T>(work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const cpuBefore = processCpuMs();
    try {
      return await work();
    } finally {
      this.spentMs += performance.now() - started;
      this.cpuSpentMs += processCpuMs() - cpuBefore;
    }
  }

  /** Live values of this process as globals, in place of what a cell would define (vm realm only: see Realm.define). */
  provide(values: ReadonlyMap<string, unknown>): void {
    const define = this.realm.define?.bind(this.realm);
    if (!define) throw new Error("live values can be judged in the vm realm only");
    for (const [name, value] of values) define(name, value);
  }

  /**
   * Run the learner's cell and answer a batch of probes. Answers come back as JSON text, so no
   * live object leaves the sandbox. A cell that ran the isolate out of memory leaves nothing to ask.
   * `live`: values of this process judged in place of what the cell defines (see provide).
   */
  runCell(learner: Piece, probes: WireProbe[], live?: ReadonlyMap<string, unknown>): { cellError: Outcome | null; outcomes: Outcome[] } {
    const cellError = this.run(learner);
    if (live && !cellError) this.provide(live);
    return { cellError, outcomes: cellError?.status === "crashed" ? probes.map(() => cellError) : this.probeAll(probes, learner) };
  }

  /**
   * Class grading's short limit (Job.firstAnswerMs): the learner's cell must run and the first
   * probe be answered within `windowMs` of this process's CPU time, or the job stops there as
   * stuck; once the first probe is answered, the rest have the whole time left. The cell and the
   * first probe run without blocking this thread, which reads the process's CPU time meanwhile
   * and stops the isolate when the window is used up: the worker process lives on (a new one
   * costs about 0.1 s of CPU, once per stuck cell of a class). `onChange` tells the worker's
   * parent when the window opens, closes, or is used up: it holds the process to the same window,
   * a little longer, and stops it soon after a window used up, for what V8 cannot interrupt (window.ts). A stuck job answers as the parent's stop
   * does: every outcome stuck, no console output.
   */
  async runWindowed(learner: Piece, probes: WireProbe[], windowMs: number, onChange: (note: WindowNote) => void): Promise<{ cellError: Outcome | null; outcomes: Outcome[]; windowGrowthKb?: number }> {
    checkNames(probes);
    this.cpuAtStart ??= processCpuMs();
    const stop = this.realm.stop?.bind(this.realm);
    onChange(WINDOW_OPEN);
    const cpuAtOpen = processCpuMs();
    const rssAtOpen = process.memoryUsage.rss();
    const watch = stop
      ? setInterval(() => {
          if (processCpuMs() - cpuAtOpen < windowMs) return;
          clearInterval(watch);
          // Filling memory: on to the whole limit, from where it is (window.ts).
          if (process.memoryUsage.rss() - rssAtOpen > STUCK_GROWTH_MB * 1024 * 1024) {
            onChange(WINDOW_LIFTED);
            return;
          }
          stop();
          // A stopped isolate answers within a few ms; one that has not is inside something V8
          // cannot interrupt (a fill of a huge array): the parent is asked to stop the process now.
          setTimeout(() => {
            if (running) onChange(WINDOW_SPENT);
          }, STOP_GRACE_MS);
        }, SELF_WATCH_POLL_MS)
      : undefined;
    let cellError: Outcome | null;
    let state: BatchState | undefined;
    let running = true;
    try {
      const realm = this.realm;
      const failed = await this.chargedAsync(async () => (realm.runAsync ? realm.runAsync(learner.compiled.js, learner.filename, this.timeLeftMs) : realm.run(learner.compiled.js, learner.filename, this.timeLeftMs)));
      cellError = failed ? this.failure(failed, learner, windowMs) : null;
      if (cellError?.status !== "crashed" && !isStuck(cellError) && probes.length > 0) {
        const first = wire(probes.slice(0, 1), 0);
        state = { text: "", stopped: null };
        const answered = await this.chargedAsync(async () => (realm.evalStringAsync ? realm.evalStringAsync(first, this.timeLeftMs) : realm.evalString(first, this.timeLeftMs)));
        this.took(answered, state, learner, windowMs);
      }
    } finally {
      running = false;
      clearInterval(watch);
    }
    const stuck = isStuck(cellError) ? cellError : isStuck(state?.stopped) ? state?.stopped : undefined;
    // How much this process grew meanwhile: a cell that was filling memory is judged at the whole limit (pool.ts).
    if (stuck) return { cellError: stuck, outcomes: probes.map(() => stuck), windowGrowthKb: Math.round((process.memoryUsage.rss() - rssAtOpen) / 1024) };
    onChange(WINDOW_CLOSED);
    const crashed = cellError?.status === "crashed" ? cellError : undefined;
    if (crashed) return { cellError: crashed, outcomes: probes.map(() => crashed) };
    if (!state) return { cellError, outcomes: [] };
    if (!state.stopped && probes.length > 1) this.batch(probes.slice(1), 1, state, learner);
    return { cellError, outcomes: this.outcomes(probes, state, learner) };
  }

  /**
   * Run a batch of probes. Answers come back as JSON text, so no live object leaves the sandbox.
   */
  probeAll(probes: WireProbe[], learner: Piece): Outcome[] {
    checkNames(probes);
    if (probes.length === 0) return [];
    const state: BatchState = { text: "", stopped: null };
    this.batch(probes, 0, state, learner);
    return this.outcomes(probes, state, learner);
  }

  /** Ask the harness for the answers to `part` (probes from `offset` on), under the time left. */
  private batch(part: WireProbe[], offset: number, state: BatchState, learner: Piece): void {
    this.took(
      this.charged(() => this.realm.evalString(wire(part, offset), this.timeLeftMs)),
      state,
      learner,
    );
  }

  /** Keep the harness's answers; after a deadline (or a crash), what was answered before it. */
  private took(answered: { value: string } | RealmFailure, state: BatchState, learner: Piece, windowMs?: number): void {
    if ("value" in answered) {
      state.text = answered.value;
      return;
    }
    state.stopped = this.failure(answered, learner, windowMs);
    // The rest share its fate. A stopped or exhausted isolate has nothing more to say.
    if (answered.kind === "timeout" || answered.kind === "threw") {
      const partial = this.realm.evalString("__bp.partial()", 1000);
      if ("value" in partial) state.text = partial.value;
    }
  }

  /** Outcomes in the order of the probes, from the answers the harness gave. */
  private outcomes(probes: WireProbe[], state: BatchState, learner: Piece): Outcome[] {
    const raw = parseRaw(state.text);
    this.answered = Math.min(raw.length, probes.length);
    const cut = state.stopped;
    // Every answer in, and still the deadline passed: work the cell left running (promise
    // callbacks that never end) would hang a real kernel, so it fails the exercise too.
    if (cut?.status === "timeout" && raw.length === probes.length) return probes.map(() => cut);
    return probes.map((p, i) => (i < raw.length ? readAnswer(raw[i], p.name, learner) : (cut ?? { status: "crashed", why: "the harness gave no answer" })));
  }

  consoleOutput(): string[] {
    const r = this.realm.evalString("__bpConsole()", 1000);
    if (!("value" in r)) return [];
    try {
      const lines: unknown = JSON.parse(r.value);
      // The first 50 lines, and the note that hidden checks' output is left out wherever it fell
      // (__bpConsole adds it after the 50th).
      return Array.isArray(lines) ? lines.slice(0, lines[50] === HIDDEN_CONSOLE_NOTE ? 51 : 50).map((l) => bounded(l, MAX_MESSAGE_CHARS)) : [];
    } catch {
      return [];
    }
  }

  dispose(): void {
    // A job that used up its time may have left work queued in its isolate (promise
    // callbacks that never end): its isolate serves no later job, whatever the realm saw.
    this.realm.dispose(this.spentMs < this.budgetMs && !this.starved && !this.timedOut);
  }

  private failure(f: RealmFailure, piece: Piece, windowMs?: number): Outcome {
    if (f.kind === "stopped") {
      this.timedOut = true;
      return { status: "timeout", ms: Math.round(windowMs ?? this.budgetMs), stuck: true };
    }
    if (f.kind === "timeout") {
      this.timedOut = true;
      const now = processCpuMs();
      if (now !== undefined && this.cpuAtStart !== undefined && now - this.cpuAtStart < this.budgetMs * STARVED_SHARE) this.starved = true;
      return { status: "timeout", ms: Math.round(this.budgetMs) };
    }
    if (f.kind === "memory") return { status: "crashed", why: `it used more than ${MEMORY_LIMIT_MB} MB of memory` };
    return { status: "threw", error: mapError(readError(f.error), piece) };
  }
}

interface BatchState {
  /** The harness's answers so far, as its JSON text. */
  text: string;
  /** Why the batch stopped early (a deadline, a crash), if it did. */
  stopped: Outcome | null;
}

/** How often the worker reads its own CPU time while a window is open (runWindowed). */
const SELF_WATCH_POLL_MS = 5;
/** How long a stopped isolate has to give its run back before the worker asks to be stopped (see runWindowed). */
const STOP_GRACE_MS = 10;

/** A batch goes in as a string literal inside the script: no host object is handed over. */
function wire(part: WireProbe[], offset: number): string {
  // Functions an exercise withholds (course/reference.ts withheldPiece) stop working from here on.
  return `(typeof __armWithheld === "function" && __armWithheld(), __bp.dispatchAll(${JSON.stringify(JSON.stringify(part))}, ${offset}))`;
}

const isStuck = (o: Outcome | null | undefined): o is Outcome => o?.status === "timeout" && o.stuck === true;

function checkNames(probes: WireProbe[]): void {
  for (const p of probes) if (!/^[A-Za-z_$][\w$]*$/.test(p.name)) throw new Error(`spec error: bad identifier ${p.name}`);
}

/** The harness's answers; a learner who broke the harness gets no answers, never a crash of ours. */
function parseRaw(text: string): RawAnswer[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed.map((a) => (typeof a === "object" && a !== null ? (a as RawAnswer) : { ok: false, error: { name: "Error", message: "unreadable answer" } })) : [];
  } catch {
    return [];
  }
}

/** One answer of the harness, as it encodes it (see harness.ts). */
interface RawAnswer {
  ok: boolean;
  value?: Tagged;
  mutated?: boolean;
  argsAfter?: Tagged;
  /** Where two places of the answer hold one and the same array or object ("[0] and [1]"). */
  shared?: string;
  /** Where the answer's first empty slot is (an array place never written), as "[2]" or ".weights[0][1]". */
  hole?: string;
  /** The answer (or a part) is an object an earlier call with other arguments answered with, changed since (harness.ts reusedAnswer). */
  reused?: { probe?: unknown; path?: unknown; earlierPath?: unknown };
  /** A call on refilled objects answered exactly as the call before it on them (harness.ts). */
  sameAsBefore?: boolean;
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
  try {
    return answerOutcome(r, name, learner);
  } catch {
    return { status: "crashed", why: "the worker process gave an answer that could not be read" };
  }
}

function answerOutcome(r: RawAnswer, name: string, learner?: Piece): Outcome {
  if (r.notFunction) return { status: "not-a-function", name, value: decode(r.notFunction) };
  if (r.error) {
    r.error = { name: bounded(r.error.name, 200), message: bounded(r.error.message, MAX_MESSAGE_CHARS), stack: bounded(r.error.stack, 4000) };
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
    ...(typeof r.shared === "string" ? { shared: capText(r.shared, 200) } : {}),
    ...(typeof r.hole === "string" ? { hole: capText(r.hole, 200) } : {}),
    ...(reusedOf(r.reused) ?? {}),
    ...(r.sameAsBefore === true ? { sameAsBefore: true as const } : {}),
  };
}

/** What the harness says of a reused answer, if it is what the harness writes (a learner may have broken it). */
function reusedOf(r: RawAnswer["reused"]): { reused: { probe: number; path: string; earlierPath: string } } | undefined {
  if (r === null || typeof r !== "object") return undefined;
  const { probe, path, earlierPath } = r;
  if (typeof probe !== "number" || !Number.isInteger(probe) || probe < 0 || typeof path !== "string" || typeof earlierPath !== "string") return undefined;
  return { reused: { probe, path: capText(path, 200), earlierPath: capText(earlierPath, 200) } };
}

function readError(e: unknown): ErrorInfo & { stack?: string } {
  try {
    if (typeof e === "object" && e !== null) {
      const o = e as { name?: unknown; message?: unknown; stack?: unknown };
      return { name: bounded(o.name ?? "Error", 200), message: bounded(o.message ?? "", MAX_MESSAGE_CHARS), stack: bounded(o.stack, 4000) };
    }
    return { name: "thrown value", message: bounded(e, MAX_MESSAGE_CHARS) };
  } catch {
    return { name: "Error", message: "(an error that could not be read)" };
  }
}

/** A value from the sandbox as a bounded string; never an object's own toString. */
function bounded(v: unknown, max: number): string {
  return capText(typeof v === "string" ? v : v === undefined || v === null || typeof v === "object" ? "" : String(v), max);
}

/**
 * `X is not a function` where the cell adds X to a built-in prototype: in the notebook that
 * works, while grading the built-ins are frozen (one cell may not change what the course's code
 * and the harness use) and the assignment did nothing. Said, so the learner is not left guessing.
 */
function frozenBuiltinNote(info: ErrorInfo, js: string): string {
  const m = info.name === "TypeError" ? /(?:^|\.)([A-Za-z_$][\w$]*) is not a function/.exec(info.message) : null;
  if (!m) return "";
  const name = m[1].replace(/[$]/g, "\\$&");
  // The compiled cell has its tokens apart ("Array . prototype . argmax ="): spaces are allowed around every dot.
  const builtins = "(Array|Object|Number|String|Function|Math|Map|Set|Float64Array|Float32Array)";
  const adds = new RegExp(`\\b${builtins}\\s*\\.\\s*prototype\\s*\\.\\s*${name}\\s*=(?!=)|defineProperty\\s*\\(\\s*${builtins}\\s*\\.\\s*prototype\\s*,\\s*["'\`]${name}["'\`]`).exec(js);
  if (!adds) return "";
  return ` (the cell adds ${m[1]} to ${adds[1] ?? adds[2]}.prototype: while grading, JavaScript's built-in objects are frozen, so that did nothing; write ${m[1]} as a function of its own, e.g. ${m[1]}(v))`;
}

/** Find the learner cell's line in a stack trace and translate it through the source map. */
function mapError(info: ErrorInfo & { stack?: string }, piece: Piece): ErrorInfo {
  const out: ErrorInfo = { name: info.name, message: info.message + frozenBuiltinNote(info, piece.compiled.js) };
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
