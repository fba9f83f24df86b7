import { call, exercise, expectValue, matchesReference, randomCases, read, QUOTED_4_DECIMALS } from "../../grader/engine/authoring";

const COST = (expr: string, costL = "cost(aLGiven, y)") => `function cost(a: number, y: number): number {\n  return ${expr};\n}\nconst costL: number = ${costL};`;

export default exercise({
  id: "cost",
  title: "Cost C = (a − y)² for one training example",
  points: 2,
  defines: ["cost", "costL"],
  hints: [
    "The cost is the square of (activation minus wanted output); costL applies it to the given aLGiven (the example's activation) and y.",
    "C = (a − y)²: subtract, then square the difference. For example cost(0.75, 1) = (−0.25)² = 0.0625, and costL ≈ 0.0601 for aL ≈ 0.7549 and y = 1.",
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
    "forgets the square": COST("a - y", "cost(aL, y)"),
    "absolute value instead of square": COST("Math.abs(a - y)", "cost(aL, y)"),
    "halves it (Nielsen's ½ convention)": COST("0.5 * (a - y) ** 2", "cost(aL, y)"),
    "squares a and y separately: a² − y²": COST("a ** 2 - y ** 2"),
    "the derivative 2(a − y) instead of the cost": COST("2 * (a - y)"),
    "`^` is XOR in TypeScript, not a power: (a − y) ^ 2 is not (a − y)²": COST("(a - y) ^ 2"),
    "precedence: a - y ** 2 squares only y, not the difference": COST("a - y ** 2"),
    "Math.pow(a − y, 1/2) is a square root, not a square": COST("Math.pow(a - y, 1 / 2)"),
  },
  mistakeHints: {
    "forgets the square": "The cost squares the difference: (a - y) ** 2. Squaring makes every miss count as positive, and big misses count much more than small ones.",
    "absolute value instead of square": "Our cost is the square (a - y) ** 2, not |a − y|. Both are 0 at a = y, but the square is smooth there and its derivative 2(a − y) shrinks as you get close.",
    "halves it (Nielsen's ½ convention)": "This course uses C = (a − y)², without the ½ that Nielsen's book puts in front: return (a - y) ** 2.",
    "squares a and y separately: a² − y²": "Square the difference, not each term: (a - y) ** 2. a² − y² is a different number (it can even be negative).",
    "the derivative 2(a − y) instead of the cost": "This exercise wants the cost itself, (a − y)²; its derivative 2(a − y) comes in chapter 2.",
    "`^` is XOR in TypeScript, not a power: (a − y) ^ 2 is not (a − y)²": "In TypeScript `^` is bitwise XOR: it cuts the numbers to whole integers and mixes their bits. Square with (a - y) ** 2, or (a - y) * (a - y).",
    "precedence: a - y ** 2 squares only y, not the difference": "** binds tighter than -, so a - y ** 2 is a − y². Bracket the difference before squaring: (a - y) ** 2.",
    "Math.pow(a − y, 1/2) is a square root, not a square": "The second argument of Math.pow is the exponent: a square is Math.pow(a - y, 2). An exponent of 1/2 takes the square root, which is NaN for a negative difference.",
  },
});
