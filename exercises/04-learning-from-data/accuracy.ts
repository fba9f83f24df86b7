import { call, exercise, matchesReference, randomCases } from "../../grader/engine/spec";
import { randomInt } from "../../grader/engine/rng";
import { netArg, randomNet, randomSizes } from "../03-many-neurons/nets";
import { asArg, randomExamples } from "./data";

export default exercise({
  id: "accuracy",
  title: "Accuracy: how often the biggest output is the right digit",
  points: 1,
  defines: ["accuracy"],
  hints: [
    "For each example, the prediction is the index of the largest output activation (arg-max); it is right when it equals the index of the 1 in y.",
    "Return a fraction between 0 and 1 (right answers divided by the number of examples), not a count.",
  ],
  checks: [
    matchesReference(call("accuracy", { weights: [[[1, -1], [-1, 1]]], biases: [[0, 0]] }, asArg([{ x: [1, 0], y: [1, 0] }, { x: [0, 1], y: [0, 1] }, { x: [1, 0], y: [0, 1] }])), { label: "accuracy of a 2-2 network on 3 examples (2 right)" }),
    randomCases("accuracy", {
      count: 50,
      args: (rng) => {
        const sizes = randomSizes(rng, randomInt(rng, 2, 3), 6);
        sizes[sizes.length - 1] = Math.max(2, sizes[sizes.length - 1]);
        return [netArg(randomNet(rng, sizes, 2)), asArg(randomExamples(rng, randomInt(rng, 1, 20), sizes[0], sizes[sizes.length - 1]))];
      },
      pure: true,
      hidden: 5,
    }),
  ],
  mutants: {
    "counts instead of a fraction": "function accuracy(net: Network, data: Example[]): number {\n  const argMax = (v: number[]) => v.indexOf(Math.max(...v));\n  return data.filter((e) => argMax(networkForward(net, e.x)[net.weights.length]) === argMax(e.y)).length;\n}",
    "arg-min instead of arg-max": "function accuracy(net: Network, data: Example[]): number {\n  const argMin = (v: number[]) => v.indexOf(Math.min(...v));\n  const argMax = (v: number[]) => v.indexOf(Math.max(...v));\n  return data.filter((e) => argMin(networkForward(net, e.x)[net.weights.length]) === argMax(e.y)).length / data.length;\n}",
    "compares the output's largest value with y's index: a_max === argmax(y)": "function accuracy(net: Network, data: Example[]): number {\n  const argMax = (v: number[]) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);\n  const right = data.filter((e) => Math.max(...networkForward(net, e.x)[net.weights.length]) === argMax(e.y)).length;\n  return right / data.length;\n}",
    "a percentage (0 to 100) instead of a fraction": "function accuracy(net: Network, data: Example[]): number {\n  const argMax = (v: number[]) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);\n  const right = data.filter((e) => argMax(networkForward(net, e.x)[net.weights.length]) === argMax(e.y)).length;\n  return (100 * right) / data.length;\n}",
  },
});
