import { call, exercise, expectValue, matchesReference, randomCases, read } from "../../grader/engine/spec";
import { QUOTED_4_DECIMALS } from "../../grader/engine/tolerance";

export default exercise({
  id: "cost",
  title: "Cost C = (a − y)² for one training example",
  points: 2,
  defines: ["cost", "costL"],
  hints: [
    "The cost is the square of (activation minus wanted output); costL applies it to the given aLGiven (the example's activation) and y.",
    "Square the difference, don't take its absolute value or forget the square. costL should be about 0.0601 for aL ≈ 0.7549 and y = 1.",
  ],
  checks: [
    expectValue(call("cost", 0.75, 1), 0.0625),
    expectValue(call("cost", 1, 1), 0),
    expectValue(call("cost", 0, 1), 1),
    expectValue(read("costL"), 0.0601, { tol: QUOTED_4_DECIMALS, label: "costL ≈ 0.0601 (quoted to 4 decimals)" }),
    matchesReference(read("costL"), { label: "costL = (aL − 1)² to full precision" }),
    randomCases("cost", {
      count: 60,
      args: (rng) => [rng(), rng() < 0.5 ? 0 : 1],
      edge: [[0.2, 0.7], [0.9, 0.1], [-1, 1], [3, -2]],
      hidden: 5,
    }),
  ],
  mutants: {
    "forgets the square": "function cost(a: number, y: number): number {\n  return a - y;\n}\nconst costL: number = cost(aL, y);",
    "absolute value instead of square": "function cost(a: number, y: number): number {\n  return Math.abs(a - y);\n}\nconst costL: number = cost(aL, y);",
    "halves it (Nielsen's ½ convention)": "function cost(a: number, y: number): number {\n  return 0.5 * (a - y) ** 2;\n}\nconst costL: number = cost(aL, y);",
    "squares a and y separately: a² − y²": "function cost(a: number, y: number): number {\n  return a ** 2 - y ** 2;\n}\nconst costL: number = cost(aLGiven, y);",
    "the derivative 2(a − y) instead of the cost": "function cost(a: number, y: number): number {\n  return 2 * (a - y);\n}\nconst costL: number = cost(aLGiven, y);",
  },
});
