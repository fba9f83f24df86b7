// A helper process that answers one request at a time, under a deadline, and
// can do nothing else: Node's permission model (no file writes, reads only of
// the listed paths, no child processes, no worker threads), an empty
// environment, a heap ceiling. Sandboxes (learner code) and the compiler
// (learner source) both run in one. If it overruns its deadline or dies (out
// of memory, a crash, a learner who somehow took it over and exited), the
// request fails with the reason and the next request gets a fresh process.
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installRoot } from "../paths";
import { WINDOW_CLOSED, WINDOW_LIFTED, WINDOW_OPEN, WINDOW_POLL_MS, WINDOW_SPENT } from "./window";

export interface ChildKind {
  /** Compiled entry file under dist/grader/engine (e.g. "run/worker.js"). */
  entry: string;
  /** Paths the process may read (files or folders); nothing else. */
  reads: string[];
  /** The process loads a native addon (isolated-vm). */
  addons: boolean;
  heapMb: number;
  /** V8 options of the process (see pool.ts's WORKER_V8_FLAGS). */
  v8Flags?: string[];
  /** A cap on the process's virtual address space (RLIMIT_AS), where prlimit exists: the memory limit holds whatever V8 does. */
  addressSpaceMb?: number;
  /** Start the process without a network (a network namespace of its own with nothing in it), where that can be done. */
  noNetwork?: boolean;
  /**
   * Stop a request early, as at its deadline, once the process has grown by more than this
   * (MB of resident memory over what it held when the request began), where /proc can say.
   */
  growthLimitMb?: number;
  /**
   * A lower scheduling priority (a nice value, 1-19): the process gets the CPU when the
   * grading workers leave it free. See compile-pool.ts for why the compilers run so.
   */
  nice?: number;
}

/**
 * The address-space cap (RLIMIT_AS) of a helper process (the compiler's too). Most of a worker's virtual size is
 * reservations, not memory: measured on Linux x64 with Node 20, 1.27 GB for a worker with a
 * plain cell, 1.61 GB with mathjs loaded, 1.97 GB with an isolate at its 256 MB limit (the
 * worker dies at a 1.6 GB cap then). 3 GB leaves a gigabyte over the largest seen and keeps
 * whatever V8 or a native library might do within a bound the machine can hold.
 */
export const WORKER_ADDRESS_SPACE_MB = 3072;

/** A deadline answer carries the process's resident memory when it was stopped (Linux; absent elsewhere). */
export type ChildAnswer<T> =
  | { ok: true; value: T; cpuMs?: number }
  /** `windowed`: stopped because the request's window stayed open too long (window.ts); `windowCpuMs` is the CPU it had in that time. */
  | { ok: false; why: "timeout"; rssKb?: number; cpuMs?: number; grew?: boolean; windowed?: boolean; windowCpuMs?: number; growthKb?: number; windowGrowthKb?: number }
  | { ok: false; why: "died"; oom: boolean; detail: string };

/**
 * CPU time a process has used, in ms, from /proc (Linux; undefined elsewhere). Counted in
 * USER_HZ ticks, which Linux fixes at 100 per second for every program that reads /proc.
 */
function cpuMsOf(pid: number | undefined): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name in parentheses may hold spaces: the fields that follow start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process in KB, from /proc (Linux); undefined where it cannot be read. */
function residentKb(pid: number | undefined): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The compiled engine folder, every stage's folder under it (this file is in its run/): the
 * worker process runs compiled JS, also under Jest, and imports from more than one stage.
 */
function engineDir(): string {
  if (fs.existsSync(path.join(__dirname, "child.js"))) return path.dirname(__dirname);
  const built = path.join(installRoot, "dist", "grader", "engine");
  if (!fs.existsSync(path.join(built, "run", "child.js"))) throw new Error("backprop-lab: dist/ is missing; run `npm run build` first");
  return built;
}

/**
 * Node's permission model for a helper process: it may read `reads` and load
 * addons if asked; it may not write files, start processes or worker threads.
 */
export function workerExecArgv(reads: string[], addons = false): string[] {
  return ["--experimental-permission", ...reads.map((p) => `--allow-fs-read=${p}`), ...(addons ? ["--allow-addons"] : []), "--no-warnings"];
}

let prlimitPath: string | null | undefined;
/** util-linux's prlimit, when the system has it. */
function PRLIMIT(): string | null {
  if (prlimitPath === undefined) prlimitPath = ["/usr/bin/prlimit", "/bin/prlimit"].find((p) => fs.existsSync(p)) ?? null;
  return prlimitPath;
}

let unshareWorks: { path: string } | { why: string } | undefined;
/**
 * util-linux's unshare, when it can give a process a network namespace of its own (as root,
 * or where unprivileged user namespaces are allowed): tried once, with `true`, and the reason
 * kept when it cannot (then the process has the host's network, and networkIsolation() says why).
 */
function UNSHARE(): { path: string } | { why: string } {
  if (unshareWorks) return unshareWorks;
  const bin = ["/usr/bin/unshare", "/bin/unshare"].find((p) => fs.existsSync(p));
  if (process.platform !== "linux") unshareWorks = { why: `network namespaces are Linux's (this is ${process.platform})` };
  else if (!bin) unshareWorks = { why: "util-linux's unshare is not installed" };
  else {
    const r = spawnSync(bin, [...UNSHARE_ARGS, "true"], { stdio: "ignore", timeout: 10_000 });
    unshareWorks = r.status === 0 ? { path: bin } : { why: `unshare --net is refused here (${r.error ? r.error.message : `exit code ${r.status}`}): it needs root or unprivileged user namespaces` };
  }
  return unshareWorks;
}

/** As root a plain new network namespace; otherwise one inside a user namespace of our own, mapping us to root there. */
const UNSHARE_ARGS = process.getuid?.() === 0 ? ["--net"] : ["--net", "--map-root-user"];

/** Whether worker processes start without a network, and if not, why (for the README's claim and the tests). */
export function networkIsolation(): { isolated: true } | { isolated: false; why: string } {
  const u = UNSHARE();
  return "path" in u ? { isolated: true } : { isolated: false, why: u.why };
}

/**
 * The command line that starts a helper process: node with its permission flags, wrapped in
 * prlimit (no core dumps; an address-space cap) and unshare (no network) where they exist.
 */
export function launchCommand(kind: ChildKind, argv: string[]): { execPath: string; execArgv: string[] } | { execArgv: string[] } {
  const prefix: string[] = [];
  const prlimit = PRLIMIT();
  // No core dumps (an aborted isolate would leave 60 MB files behind), and where asked a cap on
  // the address space: whatever V8 or a native library allocates, the process cannot map more.
  if (prlimit) prefix.push(prlimit, "--core=0", ...(kind.addressSpaceMb ? [`--as=${kind.addressSpaceMb * 1024 * 1024}`] : []), "--");
  const unshare = kind.noNetwork ? UNSHARE() : undefined;
  if (unshare && "path" in unshare) prefix.push(unshare.path, ...UNSHARE_ARGS, "--");
  if (prefix.length === 0) return { execArgv: argv };
  return { execPath: prefix[0], execArgv: [...prefix.slice(1), process.execPath, ...argv] };
}

export class Child {
  private process: ChildProcess | null = null;
  private stderr = "";
  /** Peak memory reported by the process (for `npm run bench`). */
  peakRssKb = 0;

  constructor(private readonly kind: ChildKind) {}

  private start(): ChildProcess {
    const dir = engineDir();
    const reads = [dir, ...this.kind.reads];
    const argv = [...workerExecArgv(reads, this.kind.addons), `--max-old-space-size=${this.kind.heapMb}`, ...(this.kind.v8Flags ?? [])];
    const child = fork(path.join(dir, this.kind.entry), [], {
      ...launchCommand(this.kind, argv),
      env: {},
      cwd: dir,
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    if (this.kind.nice && child.pid !== undefined) {
      try {
        // The wrappers (prlimit, unshare) exec in place: the pid is the node process's, and exec keeps the nice value.
        os.setPriority(child.pid, this.kind.nice);
      } catch {
        // Not allowed here: the process runs at the grader's priority, and only speed differs.
      }
    }
    this.stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      if (this.stderr.length < 20_000) this.stderr += d.toString();
    });
    // An idle helper never keeps the grader alive; it ends when the grader does.
    // An IPC error (a channel closed under a send, say) is a process that stopped answering: the
    // request's deadline or exit handler deals with it; as an unhandled event it would end the grader.
    child.on("error", () => {});
    child.unref();
    (child.stderr as { unref?: () => void } | null)?.unref?.();
    (child.channel as { unref?: () => void } | undefined)?.unref?.();
    // A process that ends between requests (one started early by warm(), say) is started again by the next.
    child.once("exit", () => {
      if (this.process === child) this.process = null;
    });
    this.process = child;
    return child;
  }

  /** The CPU time the running process has used so far, in ms (undefined: not running, or not Linux). */
  cpuMs(): number | undefined {
    return this.process ? cpuMsOf(this.process.pid) : undefined;
  }

  /** Start the process if it is not running, without a request. */
  warm(): void {
    if (!this.process) this.start();
  }

  /** Requests wait their turn: the process answers one at a time, in order. */
  private turn: Promise<unknown> = Promise.resolve();
  private seq = 0;

  /**
   * `windowMs`: once the process notes that the request's window is open (window.ts), it must
   * note it closed within this much CPU time, or it is stopped there.
   */
  request<T>(message: import("node:child_process").Serializable, deadlineMs: number, windowMs?: number): Promise<ChildAnswer<T>> {
    const mine = this.turn.then(() => this.send<T>(message, deadlineMs, windowMs));
    this.turn = mine;
    return mine;
  }

  private send<T>(message: import("node:child_process").Serializable, deadlineMs: number, windowMs?: number): Promise<ChildAnswer<T>> {
    const child = this.process ?? this.start();
    const cpuAtStart = cpuMsOf(child.pid);
    const rssAtStart = this.kind.growthLimitMb !== undefined ? residentKb(child.pid) : undefined;
    return new Promise((resolve) => {
      let window: { timer: NodeJS.Timeout; cpuAtOpen: number | undefined; rssAtOpen: number | undefined } | undefined;
      const stop = (how: { grew?: boolean; windowed?: boolean } = {}): void => {
        const cpuAtOpen = window?.cpuAtOpen;
        const rssAtOpen = window?.rssAtOpen;
        cleanup();
        const rssKb = residentKb(child.pid);
        const cpuNow = cpuMsOf(child.pid);
        this.kill();
        const since = (at: number | undefined): number | undefined => (cpuNow !== undefined && at !== undefined ? cpuNow - at : undefined);
        const grownSince = (at: number | undefined): number | undefined => (rssKb !== undefined && at !== undefined ? rssKb - at : undefined);
        // Growth while the window was open decides whether a stuck cell is judged there (pool.ts).
        resolve({ ok: false, why: "timeout", rssKb, cpuMs: since(cpuAtStart), growthKb: grownSince(rssAtStart), ...(how.grew ? { grew: true } : {}), ...(how.windowed ? { windowed: true, windowCpuMs: since(cpuAtOpen), windowGrowthKb: grownSince(rssAtOpen) } : {}) });
      };
      const timer = setTimeout(() => stop(), deadlineMs);
      const openWindow = (): void => {
        if (windowMs === undefined || window) return;
        const cpuAtOpen = cpuMsOf(child.pid);
        const rssAtOpen = residentKb(child.pid);
        const openedAt = performance.now();
        // The window is CPU time the process has had since it opened (wall-clock time where /proc
        // cannot say): on a busy machine it lasts longer, and the verdict is the same.
        const used = (): number => {
          const now = cpuAtOpen !== undefined ? cpuMsOf(child.pid) : undefined;
          return now !== undefined && cpuAtOpen !== undefined ? now - cpuAtOpen : performance.now() - openedAt;
        };
        const watch = setInterval(() => {
          if (used() < windowMs) return;
          clearInterval(watch);
          // A note already in the pipe is read in the poll phase, before setImmediate's: a busy
          // grader does not stop a process that closed its window in time.
          setImmediate(() => {
            if (window) stop({ windowed: true });
          });
        }, WINDOW_POLL_MS);
        window = { timer: watch, cpuAtOpen, rssAtOpen };
      };
      const closeWindow = (): void => {
        if (window) clearInterval(window.timer);
        window = undefined;
      };
      // The worker used up the window and could not stop its code. A forged note only gets its own job stopped as stuck.
      const windowSpent = (): void => {
        if (window) stop({ windowed: true });
      };
      // What V8 cannot interrupt may also not stop growing (a fill of a huge sparse array runs past
      // the time limit while the isolate nears its memory limit): stopped as soon as it has grown
      // past what the isolate may hold, not at the deadline.
      const watch =
        rssAtStart !== undefined
          ? setInterval(() => {
              const now = residentKb(child.pid);
              if (now !== undefined && now - rssAtStart > this.kind.growthLimitMb! * 1024) stop({ grew: true });
            }, 100)
          : undefined;
      const seq = ++this.seq;
      const onMessage = (m: { seq: number; value: T; maxRssKb?: number; note?: unknown }) => {
        // A note on the way, not the answer. A forged one can only lift the short limit to the whole one.
        if (m && m.seq === seq && "note" in m) {
          if (m.note === WINDOW_OPEN) openWindow();
          else if (m.note === WINDOW_CLOSED || m.note === WINDOW_LIFTED) closeWindow();
          else if (m.note === WINDOW_SPENT) windowSpent();
          return;
        }
        cleanup();
        // An answer to another request (never expected: requests take turns) is no answer.
        if (!m || m.seq !== seq) {
          this.kill();
          resolve({ ok: false, why: "died", oom: false, detail: "an answer out of turn" });
          return;
        }
        this.peakRssKb = Math.max(this.peakRssKb, m.maxRssKb ?? 0);
        const cpuNow = cpuMsOf(child.pid);
        resolve({ ok: true, value: m.value, ...(cpuNow !== undefined && cpuAtStart !== undefined ? { cpuMs: cpuNow - cpuAtStart } : {}) });
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        cleanup();
        this.process = null;
        // What V8 printed as it died may still be in the pipe: read it all before deciding
        // (otherwise the same submission is "out of memory" in one run and not in the next).
        const decide = (): void => {
          // Node prints "heap out of memory"; an isolate past its limit in one allocation makes
          // V8 abort with only its GC trace and heap statistics ("is_heap_oom = 1").
          const oom = /out of memory|heap limit|allocation failed|is_heap_oom = 1/i.test(this.stderr);
          resolve({ ok: false, why: "died", oom, detail: signal ?? `exit code ${code}` });
        };
        const err = child.stderr;
        if (!err || err.readableEnded || err.destroyed) decide();
        else {
          const fallback = setTimeout(decide, 1000);
          err.once("close", () => {
            clearTimeout(fallback);
            decide();
          });
        }
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        closeWindow();
        if (watch) clearInterval(watch);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.on("exit", onExit);
      child.send({ seq, message });
    });
  }

  kill(): void {
    const p = this.process;
    this.process = null;
    if (p) {
      p.removeAllListeners();
      // The channel may be closing on its own at this moment (the process ended, or a large answer
      // was cut off): Node then reports ERR_IPC_DISCONNECTED as an 'error' event, which with no
      // listener would end the grader. Nothing is left to hear from this process.
      p.on("error", () => {});
      // Messages of the same chunk as the one being handled are already on their way (Node reads a
      // whole chunk, then delivers each message on a later tick): with no listener Node would queue
      // them on the channel, which disconnect() has just set to null, and throw past every handler.
      p.on("message", () => {});
      if (p.connected) p.disconnect();
      p.kill("SIGKILL");
    }
  }
}

