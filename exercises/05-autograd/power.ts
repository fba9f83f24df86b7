import { call, exercise, expectValue, randomCases, type RandomCheck, randomInt, uniform } from "../../grader/engine/authoring";
import { leaf, tPow, valueArg, valuePlain } from "./graphs";
import { localSlopeCase, randomInput } from "./ops";

const POWER = (data: string, local: string) => `function power(a: Value, n: number): Value {
  return makeValue(\`^\${n}\`, [a], ${data}, [${local}]);
}`;

/** Whole and fractional exponents, negative ones too; a fractional power only of a positive value. */
const exponent = (rng: () => number, positive: boolean) => (positive && randomInt(rng, 0, 2) === 0 ? 0.5 : [2, 3, 4, -1, -2][randomInt(rng, 0, 4)]);

const slopes: RandomCheck = {
  expand: (rng) =>
    Array.from({ length: 6 }, () => {
      const a = leaf("a", uniform(rng, 0.3, 2.5));
      return localSlopeCase("power", [a, exponent(rng, true)], 1);
    }),
};

export default exercise({
  id: "power",
  title: "Power: aⁿ and its local derivative",
  points: 1,
  defines: ["power"],
  hints: [
    "Return makeValue(`^${n}`, [a], data, [local]): data is a.data raised to n (a.data ** n), local is the power rule's d(aⁿ)/da at a.data.",
    "The power rule: d(aⁿ)/da = n·aⁿ⁻¹. For n = 2 at a = 3: data 9, local 6.",
  ],
  checks: [
    expectValue(call("power", valueArg(leaf("a", 3)), 2), valuePlain(tPow(leaf("a", 3), 2))),
    expectValue(call("power", valueArg(leaf("a", 2)), 3), valuePlain(tPow(leaf("a", 2), 3))),
    expectValue(call("power", valueArg(leaf("a", 4)), -1), valuePlain(tPow(leaf("a", 4), -1)), { label: "power(a = 4, -1): 1/a" }),
    // At a = 0 the slope is a number (0 for n = 2, 1 for n = 1): a rule written as n·aⁿ / a gives 0/0 there.
    expectValue(call("power", valueArg(leaf("a", 0)), 2), valuePlain(tPow(leaf("a", 0), 2)), { label: "power(a = 0, 2): slope 0" }),
    expectValue(call("power", valueArg(leaf("a", 0)), 1), valuePlain(tPow(leaf("a", 0), 1)), { label: "power(a = 0, 1): slope 1" }),
    // A negative base: the slope n·aⁿ⁻¹ keeps its sign (−4 at a = −2, n = 2), which |a|ⁿ⁻¹ loses.
    expectValue(call("power", valueArg(leaf("a", -2)), 2), valuePlain(tPow(leaf("a", -2), 2)), { label: "power(a = −2, 2): slope −4, a negative base" }),
    expectValue(call("power", valueArg(leaf("a", -2)), 3), valuePlain(tPow(leaf("a", -2), 3)), { label: "power(a = −2, 3): slope 12" }),
    slopes,
    randomCases("power", {
      count: 12,
      hidden: 2,
      args: (rng) => {
        const a = randomInput(rng, "a", 0.2, 3);
        return [valueArg(a), exponent(rng, a.data > 0)];
      },
    }),
  ],
  mutants: {
    "the power rule without lowering the power: n·aⁿ instead of n·aⁿ⁻¹": POWER("a.data ** n", "n * a.data ** n"),
    "the power rule without the factor n: aⁿ⁻¹ instead of n·aⁿ⁻¹": POWER("a.data ** n", "a.data ** (n - 1)"),
    "data is a·n, not a to the power n": POWER("a.data * n", "n * a.data ** (n - 1)"),
    "the local derivative is taken at the result: n·(aⁿ)ⁿ⁻¹ instead of n·aⁿ⁻¹": POWER("a.data ** n", "n * (a.data ** n) ** (n - 1)"),
  },
  mistakeHints: {
    "the power rule without lowering the power: n·aⁿ instead of n·aⁿ⁻¹": "d(aⁿ)/da = n·aⁿ⁻¹: the exponent goes down by one (a² has slope 2a, not 2a²).",
    "the power rule without the factor n: aⁿ⁻¹ instead of n·aⁿ⁻¹": "The exponent comes down as a factor: d(a³)/da = 3a², not a².",
    "data is a·n, not a to the power n": "In TypeScript a to the power n is a.data ** n (or Math.pow(a.data, n)); a.data * n multiplies.",
    "the local derivative is taken at the result: n·(aⁿ)ⁿ⁻¹ instead of n·aⁿ⁻¹": "The local derivative is evaluated at the input a.data, not at the value just computed.",
  },
});
