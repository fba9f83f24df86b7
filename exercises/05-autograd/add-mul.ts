import { call, exercise, expectValue, randomCases, type RandomCheck } from "../../grader/engine/authoring";
import { leaf, tAdd, tMul, valueArg, valuePlain } from "./graphs";
import { localSlopeCase, randomInput } from "./ops";

const x = leaf("x", 2);
const y = leaf("y", -3);
const zero = leaf("z", 0);

/** The cell with its two functions' bodies given: each mutant is one realistic mistake. */
const cell = (addBody: string, mulBody: string) => `function add(a: Value, b: Value): Value {
  return ${addBody};
}
function mul(a: Value, b: Value): Value {
  return ${mulBody};
}`;
const ADD = 'makeValue("+", [a, b], a.data + b.data, [1, 1])';
const MUL = 'makeValue("×", [a, b], a.data * b.data, [b.data, a.data])';

const slopes: RandomCheck = {
  expand: (rng) => ["add", "mul"].flatMap((fn) => Array.from({ length: 4 }, () => localSlopeCase(fn, [randomInput(rng, "a"), randomInput(rng, "b")], 2))),
};

export default exercise({
  id: "add-mul",
  title: "Values that remember how they were made: + and ×",
  points: 1,
  defines: ["add", "mul"],
  hints: [
    "Each returns makeValue(op, [a, b], data, local): op is \"+\" or \"×\", data is the result of the operation on a.data and b.data, and local holds ∂(result)/∂a and ∂(result)/∂b, in that order.",
    "For s = a + b, nudging a by ε moves s by ε, and the same for b. For p = a·b, nudging a by ε moves p by b·ε: each input's local derivative is the other input's data.",
  ],
  checks: [
    expectValue(call("add", valueArg(x), valueArg(y)), valuePlain(tAdd(x, y))),
    expectValue(call("mul", valueArg(x), valueArg(y)), valuePlain(tMul(x, y))),
    expectValue(call("mul", valueArg(x), valueArg(x)), valuePlain(tMul(x, x)), { label: "mul(x, x): one value used twice" }),
    // An input of 0: local derivatives written as out / a (algebraically b) are 0/0 there.
    expectValue(call("mul", valueArg(zero), valueArg(y)), valuePlain(tMul(zero, y)), { label: "mul(z, y) with z = 0: the local derivative for y is 0" }),
    expectValue(call("mul", valueArg(y), valueArg(zero)), valuePlain(tMul(y, zero)), { label: "mul(y, z) with z = 0" }),
    expectValue(call("add", valueArg(zero), valueArg(y)), valuePlain(tAdd(zero, y)), { label: "add(z, y) with z = 0" }),
    slopes,
    randomCases("add", { count: 10, args: (rng) => [valueArg(randomInput(rng, "a")), valueArg(randomInput(rng, "b"))], hidden: 2 }),
    randomCases("mul", { count: 10, args: (rng) => [valueArg(randomInput(rng, "a")), valueArg(randomInput(rng, "b"))], hidden: 2 }),
  ],
  mutants: {
    "× gives each input its own data as local derivative: ∂(a·b)/∂a is b, the other input": cell(ADD, 'makeValue("×", [a, b], a.data * b.data, [a.data, b.data])'),
    "× gets the local derivatives of +: [1, 1]": cell(ADD, 'makeValue("×", [a, b], a.data * b.data, [1, 1])'),
    "+ gives each input its data as local derivative: ∂(a + b)/∂a is 1": cell('makeValue("+", [a, b], a.data + b.data, [a.data, b.data])', MUL),
    "the value forgets what went in: its inputs are left empty": cell('makeValue("+", [], a.data + b.data, [1, 1])', 'makeValue("×", [], a.data * b.data, [b.data, a.data])'),
  },
  mistakeHints: {
    "× gives each input its own data as local derivative: ∂(a·b)/∂a is b, the other input": "Nudge a by ε: a·b becomes (a + ε)·b = a·b + b·ε. So the local derivative for a is b.data, and for b it is a.data.",
    "× gets the local derivatives of +: [1, 1]": "For a product, nudging a by ε moves a·b by b·ε, not by ε: local = [b.data, a.data].",
    "+ gives each input its data as local derivative: ∂(a + b)/∂a is 1": "Nudge a by ε: a + b moves by exactly ε, whatever the values. So local = [1, 1].",
    "the value forgets what went in: its inputs are left empty": "Pass [a, b] as makeValue's inputs: backward can only follow the inputs a value remembers.",
  },
});
