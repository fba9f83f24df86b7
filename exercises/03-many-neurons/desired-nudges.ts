import { call, exercise, expectValue, randomCases } from "../../grader/engine/authoring";
import { randomOutputAndSoftTarget, randomOutputAndTarget } from "./nets";

export default exercise({
  id: "desired-nudges",
  title: "Which way should each output move?",
  points: 1,
  defines: ["desiredNudges"],
  hints: [
    "The nudge each output neuron wants is the negative gradient of the cost: −∂C/∂a_j = −2(a_j − y_j).",
    "Worked value: a = [0.2, 0.9] and y = [0, 1] give −2(0.2 − 0) = −0.4 and −2(0.9 − 1) = 0.2, so [−0.4, 0.2]: the correct digit's neuron (y_j = 1) is pushed up, the others down.",
  ],
  checks: [
    expectValue(call("desiredNudges", [0.2, 0.9], [0, 1]), [-0.4, 0.2]),
    // Two outputs with the same value: each still has its own target (y[j], not the y of the first equal a).
    expectValue(call("desiredNudges", [0.5, 0.5, 0.25], [1, 0, 0]), [1, -1, -0.5], { label: "desiredNudges([0.5, 0.5, 0.25], [1, 0, 0]): two outputs equal, their targets not" }),
    randomCases("desiredNudges", {
      count: 50,
      args: randomOutputAndTarget,
      hidden: 5,
    }),
    randomCases("desiredNudges", { count: 8, args: randomOutputAndSoftTarget, hidden: 2 }),
  ],
  mutants: {
    "the gradient, not its negative: every nudge points the wrong way": "function desiredNudges(a: number[], y: number[]): number[] {\n  return a.map((aj, j) => 2 * (aj - y[j]));\n}",
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": "function desiredNudges(a: number[], y: number[]): number[] {\n  return a.map((aj, j) => y[j] - aj);\n}",
    "the cost of each output, −(a − y)², not its slope": "function desiredNudges(a: number[], y: number[]): number[] {\n  return a.map((aj, j) => -((aj - y[j]) ** 2));\n}",
    "no brackets: -2 * a - y computes −2a − y, not −2(a − y)": "function desiredNudges(a: number[], y: number[]): number[] {\n  return a.map((aj, j) => -2 * aj - y[j]);\n}",
    "writes the nudges into a, changing the caller's array": "function desiredNudges(a: number[], y: number[]): number[] {\n  for (let j = 0; j < a.length; j++) a[j] = -2 * (a[j] - y[j]);\n  return a;\n}",
  },
  mistakeHints: {
    "the gradient, not its negative: every nudge points the wrong way": "∂C/∂a points uphill, towards a bigger cost; the nudge is its negative, −2(a_j − y_j), which pushes a_j towards y_j.",
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": "C = (a − y)², so ∂C/∂a = 2(a − y): the nudge is −2(a_j − y_j), keep the 2.",
    "the cost of each output, −(a − y)², not its slope": "The nudge is the slope of the cost, −∂C/∂a_j = −2(a_j − y_j), not the cost (a_j − y_j)² itself.",
    "no brackets: -2 * a - y computes −2a − y, not −2(a − y)": "Multiplication binds before subtraction: -2 * a - y is (−2a) − y. Put the difference in brackets: -2 * (a[j] - y[j]).",
    "writes the nudges into a, changing the caller's array": "Writing a[j] = … changes the array the caller passed in (the network's outputs). Build a new array instead, e.g. with a.map(…).",
  },
});
