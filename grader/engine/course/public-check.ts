// A check as data, for the learner edition (published.ts). A spec's checks are
// closures over trusted course code: a forward pass for the gradient checks,
// the expected formula, the case generators. None of that may reach learners,
// so a case that can be judged without it says how, as plain data: "the answer
// equals this stored reference answer", "these stored centred differences",
// "this formula's values at these points", or "this named public judge". A case
// without such a description stays on the instructor's side (official grading
// runs it; the learner edition does not have it).
import type { Probe } from "../judge/outcome";
import type { Tolerance } from "../judge/tolerance";
import type { Plain } from "../judge/values";

/** A gradient field as data: which argument (or key of it) the field differentiates. */
export interface PublicGradientField {
  field: string;
  arg: number;
  param: string;
  argKey?: string;
}

/** A formula's expected values at fixed points: enough to check one, never the formula itself. */
export interface FormulaSamples {
  /** Each point: every variable's value, derived ones included. */
  points: Record<string, number>[];
  values: number[];
}

export type PublicCheck =
  /** The answer equals the reference's answer (stored with the data). */
  | { kind: "reference"; label: string; probe: Probe; tol?: Tolerance }
  /** The answer equals a value written in the spec (a worked value of the notes). */
  | { kind: "value"; label: string; probe: Probe; expected: Plain; tol?: Tolerance }
  /** Gradients compared with centred differences computed when the edition was built. */
  | { kind: "gradient"; label: string; probe: Probe; fields: PublicGradientField[]; layered: boolean; numeric: (number | null)[]; termScale?: number }
  /** A formula typed as a string, checked at the sample points. */
  | { kind: "formula"; label: string; name: string; vars: Record<string, [number, number]>; derived?: Record<string, string>; samples: FormulaSamples }
  /** A property of the answers judged by a public judge (a function that holds no answer), by name. */
  | { kind: "judge"; label: string; probes: Probe[]; judge: string; params: PublicParam[] };

/** What a public judge is given: plain JSON (numbers, lists, records such as a network). */
export type PublicParam = null | boolean | number | string | PublicParam[] | { [key: string]: PublicParam };
