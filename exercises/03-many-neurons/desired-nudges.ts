import { call, exercise, expectValue, randomCases } from "../../grader/engine/spec";
import { randomOutputAndTarget } from "./nets";

export default exercise({
  id: "desired-nudges",
  title: "Which way should each output move?",
  points: 1,
  defines: ["desiredNudges"],
  hints: [
    "The nudge each output neuron wants is the negative gradient of the cost: −∂C/∂a_j = −2(a_j − y_j).",
    "The sign matters: the correct digit's neuron (y_j = 1) should be pushed up (a positive nudge), all others down.",
  ],
  checks: [
    expectValue(call("desiredNudges", [0.2, 0.9], [0, 1]), [-0.4, 0.2]),
    randomCases("desiredNudges", {
      count: 50,
      args: randomOutputAndTarget,
      pure: true,
      hidden: 5,
    }),
  ],
  mutants: {
    "the gradient, not its negative: every nudge points the wrong way": "function desiredNudges(a: number[], y: number[]): number[] {\n  return a.map((aj, j) => 2 * (aj - y[j]));\n}",
    "the factor 2 of ∂C/∂a = 2(a − y) is missing": "function desiredNudges(a: number[], y: number[]): number[] {\n  return a.map((aj, j) => y[j] - aj);\n}",
    "the cost of each output, −(a − y)², not its slope": "function desiredNudges(a: number[], y: number[]): number[] {\n  return a.map((aj, j) => -((aj - y[j]) ** 2));\n}",
  },
});
