import { call, exercise, expectValue, randomCases } from "../../grader/engine/spec";

export default exercise({
  id: "d-cost-d-a",
  title: "∂C/∂a: how the cost reacts to the activation",
  points: 1,
  defines: ["dCostDA"],
  hints: [
    "Differentiate C = (a − y)² with respect to a: the power rule brings the 2 down.",
    "It is 2(a − y): the factor 2 stays (our cost has no ½ in front), and the sign follows a − y, not y − a.",
  ],
  checks: [
    expectValue(call("dCostDA", 0.75, 1), -0.5),
    expectValue(call("dCostDA", 1, 1), 0),
    randomCases("dCostDA", { count: 60, args: (rng) => [rng(), rng() < 0.5 ? 0 : 1], edge: [[0, 0], [0, 1], [1, 0], [0.5, 0.5]], hidden: 5 }),
  ],
  mutants: {
    "forgets the factor 2": "function dCostDA(a: number, y: number): number {\n  return a - y;\n}",
    "flips the sign": "function dCostDA(a: number, y: number): number {\n  return 2 * (y - a);\n}",
    "the cost (a − y)² itself, not its derivative": "function dCostDA(a: number, y: number): number {\n  return (a - y) ** 2;\n}",
    "y is left out: 2a": "function dCostDA(a: number, y: number): number {\n  return 2 * a;\n}",
  },
});
