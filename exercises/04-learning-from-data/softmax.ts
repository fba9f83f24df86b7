import { call, exercise, expectValue, randomCases, relation, normal, randomInt, type Rng, show } from "../../grader/engine/authoring";

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
    "The steps: m = the largest entry of z; e_j = Math.exp(z_j − m) for every j; return a new array of e_j / Σ_k e_k. Worked value: softmax([1, 2, 3]) ≈ [0.0900, 0.2447, 0.6652].",
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
      // [1000, -1000]: a shift by the mean still overflows. The last four: entries whose order as text is not their
      // order as numbers, far enough apart (more than 709) that a max found by sort() without a comparator overflows exp.
      edge: [[[-1000, -1000, -999]], [[0, 0, 0, 0]], [[709, 710]], [[1e-9, -1e-9]], [[1000, -1000]], [[1000, 200]], [[-5, 900, 95]], [[100, 1000, 20]], [[-1, -800]]],
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
    "changes the caller's z: writes into z itself (the max subtracted, the entries sorted or replaced) instead of a new array": softmaxMutant(
      "  const top = Math.max(...z);\n  for (let j = 0; j < z.length; j++) z[j] = Math.exp(z[j] - top);\n  const sum = z.reduce((s, v) => s + v, 0);\n  return z.map((v) => v / sum);",
    ),
    "finds the max with sort() and no comparator: it sorts as text, so 200 comes after 1000 and exp overflows": softmaxMutant(
      "  const top = z.slice().sort()[z.length - 1];\n  const e = z.map((v) => Math.exp(v - top));\n  const sum = e.reduce((s, v) => s + v, 0);\n  return e.map((v) => v / sum);",
    ),
    "subtracts the mean of z instead of the largest: still overflows when one entry is far above the mean": softmaxMutant(
      "  const mean = z.reduce((s, v) => s + v, 0) / z.length;\n  const e = z.map((v) => Math.exp(v - mean));\n  const sum = e.reduce((s, v) => s + v, 0);\n  return e.map((v) => v / sum);",
    ),
    "subtracts the max in the numerators but not in the sum: divides e^(z_j − max) by Σ e^(z_k)": softmaxMutant(
      "  const top = Math.max(...z);\n  const sum = z.reduce((s, v) => s + Math.exp(v), 0);\n  return z.map((v) => Math.exp(v - top) / sum);",
    ),
  },
  mistakeHints: {
    "subtracts nothing before exp: overflows for large inputs": "Math.exp(710) is Infinity and Infinity / Infinity is NaN: subtract the largest z from every entry before exp. The factor e^(−max) cancels, so the result is the same.",
    "subtracts the smallest z instead of the largest: still overflows": "Subtracting the smallest z leaves the others positive, and e^(big) still overflows: subtract the largest, Math.max(...z), so every exponent is ≤ 0.",
    "divides by the largest exp instead of the sum: outputs do not add up to 1": "After exp, divide every e_j by the sum Σ_k e_k, so the outputs add up to 1.",
    "normalises z itself, no exp: z_j / Σ z_k": "Softmax takes e^(z_j) first: e^(z_j) / Σ_k e^(z_k). Dividing z by its sum can give negative outputs or divide by 0.",
    "changes the caller's z: writes into z itself (the max subtracted, the entries sorted or replaced) instead of a new array": "Writing into z (z[j] = …, z.sort()) changes the caller's array: find the max with Math.max(...z) and compute the exps into a new array, e.g. with z.map(…).",
    "finds the max with sort() and no comparator: it sorts as text, so 200 comes after 1000 and exp overflows": "sort() without a comparator orders numbers as text (\"1000\" before \"200\"), so its last entry need not be the largest. Use Math.max(...z).",
    "subtracts the mean of z instead of the largest: still overflows when one entry is far above the mean": "Only the largest z makes every exponent ≤ 0: subtract Math.max(...z). With the mean, an entry far above it still gives e^(big) = Infinity.",
    "subtracts the max in the numerators but not in the sum: divides e^(z_j − max) by Σ e^(z_k)": "Top and bottom must be scaled alike: take the sum of the same e_j = Math.exp(z_j − max) you divide, Σ_k e_k.",
  },
});
