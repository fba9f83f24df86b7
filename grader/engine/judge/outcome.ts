// What running one probe (a call or a read) of learner code produced.
import type { Arg, Plain } from "./values";

/**
 * A call (with `watch`: report whether it changed its arguments) or a read of a value. With
 * `sameObjectsAs`, the function is first called with those arguments, and then, for the answer,
 * with the very same arrays and records refilled in place with `args`' numbers (a caller that
 * updates its network in place and asks again): see harness.ts.
 */
/**
 * `linkIds`: records of the arguments with one `id` reach the function as one object, as a
 * notebook's graph holds them (x in x·(x + y) is one value, made once by leaf and used twice);
 * otherwise every argument is a tree of its own copies.
 */
export type Probe = { kind: "call"; fn: string; args: Arg[]; watch?: boolean; sameObjectsAs?: Arg[]; linkIds?: true } | { kind: "read"; name: string };

/** The error name of a call of a function the exercise withholds (spec.withholds): its message says why. */
export const WITHHELD = "NotInThisExercise";

/** What a lab helper only the notebook's kernel has (loadMnist) says while grading, after its name: judge.ts reads it as a demo line. */
export const KERNEL_ONLY = ' from "backprop-lab" is not available while grading';

export interface ErrorInfo {
  name: string;
  message: string;
  /** Line in the learner's cell (1-based) where it was thrown, when we can tell. */
  line?: number;
}

export type Outcome =
  /**
   * `reused`: the answer, or its part at `path`, is the very object that probe `probe` of the same
   * batch (a call with other arguments) answered with (at `earlierPath`), and that earlier answer
   * has changed since: this call overwrote it. `sameAsBefore`: a call with `sameObjectsAs` gave
   * exactly what the call before it, on the same objects with other numbers, gave.
   */
  | { status: "ok"; value: Plain; mutated: boolean; argsAfter?: Plain[]; shared?: string; hole?: string; reused?: { probe: number; path: string; earlierPath: string }; sameAsBefore?: true }
  | { status: "threw"; error: ErrorInfo }
  | { status: "missing"; name: string; error: ErrorInfo }
  | { status: "not-a-function"; name: string; value: Plain }
  /** `stuck`: stopped at the short limit of class grading, having answered nothing (see budget.ts). */
  | { status: "timeout"; ms: number; stuck?: boolean }
  | { status: "crashed"; why: string };

