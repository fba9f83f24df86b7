import { call, exercise, expectValue, randomCases, relation } from "../../grader/engine/spec";
import { normal, randomInt, type Rng } from "../../grader/engine/rng";
import { show } from "../../grader/engine/show";

/** A random weighted-input vector of 1 to 10 entries; now and then a huge one, where a naive exp overflows. */
export function randomZ(rng: Rng): number[] {
  const n = randomInt(rng, 1, 10);
  const scale = rng() < 0.2 ? 400 : 5;
  return Array.from({ length: n }, () => normal(rng) * scale);
}

const softmaxMutant = (body: string) => `function softmax(z: number[]): number[] {\n${body}\n}`;

export default exercise({
  id: "softmax",
  title: "Softmax outputs, computed without overflow",
  points: 2,
  defines: ["softmax"],
  hints: [
    "softmax(z)_j = e^(z_j) / Σ_k e^(z_k): every output is positive and they add up to 1. Subtract the largest z from every entry before taking exp: the result is the same, and exp never overflows.",
    "Math.exp(1000) is Infinity, and Infinity / Infinity is NaN: subtract max(z) (not the min, not the mean) first. Divide by the sum of the exps, and return a new array (leave z as it is).",
  ],
  checks: [
    expectValue(call("softmax", [0, 0]), [0.5, 0.5]),
    expectValue(call("softmax", [1, 2, 3]), [0.09003057317038046, 0.24472847105479764, 0.6652409557748219]),
    expectValue(call("softmax", [7]), [1], { label: "softmax([7]) = [1]: one output takes all" }),
    expectValue(call("softmax", [1000, 1000]), [0.5, 0.5], { label: "softmax([1000, 1000]) = [0.5, 0.5], not NaN" }),
    expectValue(call("softmax", [800, 799, -800]), [0.7310585786300049, 0.2689414213699951, 0], { label: "softmax([800, 799, -800]), not NaN" }),
    relation("the outputs of softmax([3, -1, 0.5, 2]) are positive and add up to 1", [call("softmax", [3, -1, 0.5, 2])], ([a]) => {
      const ok = Array.isArray(a) && a.length === 4 && a.every((v) => typeof v === "number" && v > 0) && Math.abs((a as number[]).reduce((s, v) => s + v, 0) - 1) < 1e-12;
      return ok ? null : { expected: "four positive numbers adding up to 1", actual: show(a) };
    }),
    randomCases("softmax", {
      count: 60,
      args: (rng) => [randomZ(rng)],
      edge: [[[-1000, -1000, -999]], [[0, 0, 0, 0]], [[709, 710]], [[1e-9, -1e-9]]],
      pure: true,
      hidden: 5,
    }),
  ],
  mutants: {
    "subtracts nothing before exp: overflows for large inputs": softmaxMutant(
      "  const e = z.map((v) => Math.exp(v));\n  const sum = e.reduce((s, v) => s + v, 0);\n  return e.map((v) => v / sum);",
    ),
    "subtracts the smallest z instead of the largest: still overflows": softmaxMutant(
      "  const low = Math.min(...z);\n  const e = z.map((v) => Math.exp(v - low));\n  const sum = e.reduce((s, v) => s + v, 0);\n  return e.map((v) => v / sum);",
    ),
    "divides by the largest exp instead of the sum: outputs do not add up to 1": softmaxMutant(
      "  const top = Math.max(...z);\n  return z.map((v) => Math.exp(v - top));",
    ),
    "normalises z itself, no exp: z_j / Σ z_k": softmaxMutant("  const sum = z.reduce((s, v) => s + v, 0);\n  return z.map((v) => v / sum);"),
    "subtracts the max in place: changes the caller's z": softmaxMutant(
      "  const top = Math.max(...z);\n  for (let j = 0; j < z.length; j++) z[j] = Math.exp(z[j] - top);\n  const sum = z.reduce((s, v) => s + v, 0);\n  return z.map((v) => v / sum);",
    ),
  },
});
