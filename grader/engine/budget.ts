// A learner's budget in class grading: a wall-clock cap on all the work one
// learner's files cause (reading, parsing, compiling, running, judging,
// reporting). Each piece of that work is charged as it is done, for as long as
// it takes; time spent waiting for a turn behind other learners' work is not
// charged, so a hostile neighbour never spends an honest learner's budget.
// Work that could run past the budget (a job in a worker, a cell in the
// compiler) is given at most what is left and stopped there. Once the budget
// is spent, nothing more of that learner is started: the learner gets what was
// graded, the rest is "not graded", and the class run goes on.

/** Honest learners need about a second of work, 20 s under heavy load; a learner 50x slower than the reference everywhere, under load, still fits. */
export const DEFAULT_LEARNER_BUDGET_MS = 120_000;

/**
 * Class grading runs each job first under a time limit in proportion to the reference
 * solution's own time on the exercise's first check, measured in the same worker processes at
 * the same time (so a loaded machine stretches both): this many times the reference's time,
 * never under the floor below, never over the exercise's own limit. A run stopped there runs
 * again with the exercise's own limit when it answered any check, or when its cell's own
 * top-level code was what ran long (pool.ts): so the one verdict given at this limit is for a
 * cell that answered not even its first check in 100 times the reference's time on it (and
 * at least the floor). Honest code 20-50 times slower than the reference (mathjs matrices, a
 * structuredClone per step, naive loops, recursion) answers it well inside; what does not is
 * a loop that never ends, and stopping it here instead of at the full limit is what keeps a
 * class with hostile learners fast: most first checks take the reference well under a
 * millisecond, so such a loop costs the floor.
 */
export const REFERENCE_TIME_FACTOR = 100;
/** The short limit's floor: start-up costs that the reference does not pay (mathjs's first call, V8 warming up) fit in it many times. */
export const SHORT_LIMIT_FLOOR_MS = 250;

/** Less than this left is nothing worth starting: a job this short would only say "stopped". */
const MIN_SLICE_MS = 50;

/** A piece of work started under a budget (see Budget.start). */
export interface Slice {
  /** The most this piece may take (ms): what was left of the budget when it started, or less if asked for less. */
  readonly grantedMs: number;
  readonly startedAt: number;
}

export class Budget {
  private spent = 0;
  /** Work under way elsewhere (a job in a worker, a cell in the compiler): charged as it runs. */
  private readonly running = new Set<Slice>();
  /** Something of this learner was not graded, or was stopped early, because the budget ran out. */
  stopped = false;

  constructor(readonly ms: number) {}

  /** Time charged so far, work under way included. */
  get spentMs(): number {
    const now = performance.now();
    let s = this.spent;
    for (const r of this.running) s += now - r.startedAt;
    return s;
  }

  get leftMs(): number {
    return this.ms - this.spentMs;
  }

  get exhausted(): boolean {
    return this.leftMs < MIN_SLICE_MS;
  }

  markStopped(): void {
    this.stopped = true;
  }

  /** Charge a piece of synchronous work in this process (reading, parsing, judging) for its wall-clock time. */
  time<T>(work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.spent += performance.now() - started;
    }
  }

  /**
   * Start a piece of work elsewhere (a job in a worker, a cell in the compiler) that wants up to
   * `wantMs`: it may take at most what is left now. Null when nothing worth starting is left
   * (the budget is then marked stopped). Pieces running side by side (two worker lanes) are each
   * charged for their own time, so together they may pass the budget by what each was given.
   */
  start(wantMs: number): Slice | null {
    if (this.exhausted) {
      this.stopped = true;
      return null;
    }
    const slice = { grantedMs: Math.min(wantMs, this.leftMs), startedAt: performance.now() };
    this.running.add(slice);
    return slice;
  }

  /**
   * The piece of work ended: charge its wall-clock time, or `chargedMs` when the piece ran at a
   * lower priority (a compile: its wall-clock time includes waiting behind the worker processes,
   * which is other learners' work) and what it cost is known (its process's CPU time).
   */
  finish(slice: Slice, chargedMs?: number): void {
    if (!this.running.delete(slice)) return;
    const wall = performance.now() - slice.startedAt;
    this.spent += chargedMs !== undefined ? Math.min(wall, chargedMs) : wall;
  }

  /** The message a learner and the instructor read when this budget ran out. */
  message(notGraded: string[]): string {
    const secs = Math.round(this.ms / 1000);
    const what = notGraded.length ? `these exercises were not graded: ${notGraded.join(", ")}` : "the exercise running when it ran out was not graded";
    return `grading stopped after ${secs} s: the work this learner's notebooks caused (reading, compiling, running and judging their cells) reached the ${secs} s each learner gets, so that no submission can hold up a class; ${what}. Everything else was graded as usual`;
  }
}
