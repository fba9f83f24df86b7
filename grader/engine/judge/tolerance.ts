// How close is close enough, decided once for the whole course.
//
// Learners compute the same formula in a different order than the reference
// (exp(z)/(1+exp(z)) instead of 1/(1+exp(-z)), a sum in another order), which
// moves results by a few units in the last place: ~1e-16 relative per
// operation, up to ~1e-13 after a few hundred operations. A real mistake
// (a sign, a missing square, a missing σ') moves them by 1e-3 or more. So the
// default accepts |actual - expected| <= ABS + REL * |expected| with REL = 1e-9
// (four orders of magnitude above rounding, six below any mistake) and
// ABS = 1e-12 for results near zero, where a relative error means nothing
// (σ(-30) ≈ 9e-14 computed as 1 - σ(30) is exactly 0 in float64).
// Worked values quoted from the notes are rounded to 4 decimals; those checks
// say so and use abs = 5e-5 (half a unit in the last quoted place).
export interface Tolerance {
  rel: number;
  abs: number;
}

export const DEFAULT_TOLERANCE: Tolerance = { rel: 1e-9, abs: 1e-12 };
export const QUOTED_4_DECIMALS: Tolerance = { rel: 0, abs: 5e-5 };

export function closeEnough(actual: number, expected: number, tol: Tolerance = DEFAULT_TOLERANCE): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  if (!Number.isFinite(actual)) return false;
  return Math.abs(actual - expected) <= tol.abs + tol.rel * Math.abs(expected);
}

