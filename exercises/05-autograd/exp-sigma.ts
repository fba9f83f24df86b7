import { call, exercise, expectValue, randomCases, type RandomCheck } from "../../grader/engine/authoring";
import { leaf, tExp, tSigma, valueArg, valuePlain } from "./graphs";
import { localSlopeCase, randomInput } from "./ops";

const cell = (expLocal: string, sigmaLocal: string) => `function exp(a: Value): Value {
  const e = Math.exp(a.data);
  return makeValue("exp", [a], e, [${expLocal}]);
}
function sigma(a: Value): Value {
  const s = sigmoid(a.data);
  return makeValue("σ", [a], s, [${sigmaLocal}]);
}`;
const EXP = "e";
const SIGMA = "s * (1 - s)";

const slopes: RandomCheck = {
  expand: (rng) => ["exp", "sigma"].flatMap((fn) => Array.from({ length: 4 }, () => localSlopeCase(fn, [randomInput(rng, "a")], 1))),
};

export default exercise({
  id: "exp-sigma",
  title: "exp and σ as values, with their local derivatives",
  points: 1,
  defines: ["exp", "sigma"],
  hints: [
    "exp(a) returns makeValue(\"exp\", [a], e, [local]) with e = Math.exp(a.data); sigma(a) returns makeValue(\"σ\", [a], s, [local]) with s = sigmoid(a.data). The local derivatives are chapter 2's: (eᵃ)′ = eᵃ, σ′ = σ(1 − σ).",
    "Both local derivatives can be written with the result itself: for exp it is e, for σ it is s·(1 − s), where s is the value's own data.",
  ],
  checks: [
    expectValue(call("exp", valueArg(leaf("a", 0))), valuePlain(tExp(leaf("a", 0)))),
    expectValue(call("sigma", valueArg(leaf("z", 0))), valuePlain(tSigma(leaf("z", 0)))),
    expectValue(call("sigma", valueArg(leaf("z", 2))), valuePlain(tSigma(leaf("z", 2)))),
    // Far out on both sides σ is 0 or 1 and its slope 0: forms through e^z or a quotient of exponentials give NaN there.
    expectValue(call("sigma", valueArg(leaf("z", -1000))), valuePlain(tSigma(leaf("z", -1000))), { label: "sigma(z = −1000): 0, slope 0" }),
    expectValue(call("sigma", valueArg(leaf("z", 1000))), valuePlain(tSigma(leaf("z", 1000))), { label: "sigma(z = 1000): 1, slope 0" }),
    slopes,
    randomCases("exp", { count: 10, hidden: 2, args: (rng) => [valueArg(randomInput(rng, "a"))] }),
    randomCases("sigma", { count: 10, hidden: 2, args: (rng) => [valueArg(randomInput(rng, "z", -6, 6))] }),
  ],
  mutants: {
    "exp's local derivative is 1, as if eᵃ grew like a": cell("1", SIGMA),
    "exp's local derivative is a.data instead of eᵃ": cell("a.data", SIGMA),
    "σ′ is taken at the output: σ′(σ(z)) instead of σ′(z)": cell(EXP, "sigmoidPrime(s)"),
    "σ's local derivative is σ(z) alone: the factor (1 − σ(z)) is missing": cell(EXP, "s"),
  },
  mistakeHints: {
    "exp's local derivative is 1, as if eᵃ grew like a": "eᵃ is its own derivative: nudging a by ε moves eᵃ by about eᵃ·ε. local = [e].",
    "exp's local derivative is a.data instead of eᵃ": "The derivative of eᵃ is eᵃ itself (the value's data), not a.",
    "σ′ is taken at the output: σ′(σ(z)) instead of σ′(z)": "sigmoidPrime takes z, the input: sigmoidPrime(a.data), or s·(1 − s) with s = σ(z) already computed.",
    "σ's local derivative is σ(z) alone: the factor (1 − σ(z)) is missing": "σ′(z) = σ(z)·(1 − σ(z)): s * (1 - s).",
  },
});
