import { randomInt, call, exercise, expectValue, randomCases } from "../../grader/engine/authoring";
import { netArg, randomNet, randomSizes } from "../03-many-neurons/nets";

const SMALL = {
  weights: [[[0.5, -2]], [[0.1], [-0.03]]],
  biases: [[1.5], [0.2, 0.7]],
};

/**
 * A gradient of exactly 0 (a weight from a black pixel, in the notebook's digit): it ranks
 * last, and is still a parameter. One zero only, so ties do not decide the order.
 */
const ONE_ZERO = {
  weights: [[[0.5, 0]]],
  biases: [[-1]],
};

/** The cell with the sort's comparison and the entry's number given. */
const cell = (compare: string, entry = "d", biases = true) => `function topSensitive(g: Gradients, n: number): { name: string; gradient: number }[] {
  const all: { name: string; gradient: number }[] = [];
  g.weights.forEach((W, l) => W.forEach((row, j) => row.forEach((d, k) => all.push({ name: \`weights[\${l}][\${j}][\${k}]\`, gradient: ${entry} }))));
  ${biases ? "" : "// "}g.biases.forEach((b, l) => b.forEach((d, j) => all.push({ name: \`biases[\${l}][\${j}]\`, gradient: ${entry} })));
  return all.sort((p, q) => ${compare}).slice(0, n);
}`;
const BY_SIZE = "Math.abs(q.gradient) - Math.abs(p.gradient)";

/** Sizes of several digit counts and an exponent: compared as strings, "9" > "30" > "2e-7" > "100". */
const DIGITS = {
  weights: [[[100, 9], [10, -30]]],
  biases: [[2e-7, 0.5]],
};

export default exercise({
  id: "top-sensitive",
  title: "Which parameters matter most: ranking by |gradient|",
  points: 1,
  defines: ["topSensitive"],
  hints: [
    "List every weight and bias as { name, gradient } (name like \"weights[1][0][3]\" or \"biases[0][2]\", gradient the signed number), sort by the size of the gradient, largest first (Math.abs), and keep the first n.",
    "Rank by the size of the gradient, |gradient|, largest first, with a comparator that compares numbers: sort((p, q) => Math.abs(q.gradient) - Math.abs(p.gradient)). Keep each entry's signed gradient, and list the biases beside the weights.",
  ],
  checks: [
    expectValue(call("topSensitive", netArg(SMALL), 3), [
      { name: "weights[0][0][1]", gradient: -2 },
      { name: "biases[0][0]", gradient: 1.5 },
      { name: "biases[1][1]", gradient: 0.7 },
    ]),
    // None asked for: none (slice(0, n || all.length) gives all of them).
    expectValue(call("topSensitive", netArg(SMALL), 0), [], { label: "topSensitive(7 parameters, 0): none" }),
    // More asked for than there are parameters: all of them, and nothing else.
    expectValue(
      call("topSensitive", netArg(SMALL), 10),
      [
        { name: "weights[0][0][1]", gradient: -2 },
        { name: "biases[0][0]", gradient: 1.5 },
        { name: "biases[1][1]", gradient: 0.7 },
        { name: "weights[0][0][0]", gradient: 0.5 },
        { name: "biases[1][0]", gradient: 0.2 },
        { name: "weights[1][0][0]", gradient: 0.1 },
        { name: "weights[1][1][0]", gradient: -0.03 },
      ],
      { label: "topSensitive(7 parameters, 10): all 7" },
    ),
    expectValue(
      call("topSensitive", netArg(ONE_ZERO), 3),
      [
        { name: "biases[0][0]", gradient: -1 },
        { name: "weights[0][0][0]", gradient: 0.5 },
        { name: "weights[0][0][1]", gradient: 0 },
      ],
      { label: "topSensitive(3 parameters, one gradient exactly 0, 3): all 3, the 0 last" },
    ),
    expectValue(call("topSensitive", netArg(DIGITS), 4), [
      { name: "weights[0][0][0]", gradient: 100 },
      { name: "weights[0][1][1]", gradient: -30 },
      { name: "weights[0][1][0]", gradient: 10 },
      { name: "weights[0][0][1]", gradient: 9 },
    ]),
    randomCases("topSensitive", {
      count: 12,
      hidden: 2,
      args: (rng) => {
        const sizes = randomSizes(rng, randomInt(rng, 2, 4), 6);
        return [netArg(randomNet(rng, sizes, 1)), randomInt(rng, 1, 6)];
      },
    }),
  ],
  mutants: {
    "ranks by the signed gradient: the most negative ones, which matter as much, come last": cell("q.gradient - p.gradient"),
    "smallest first: the least sensitive parameters are returned": cell("Math.abs(p.gradient) - Math.abs(q.gradient)"),
    "the gradient is returned without its sign (|gradient|)": cell(BY_SIZE, "Math.abs(d)"),
    "the biases are left out of the ranking": cell(BY_SIZE, "d", false),
    "sort() without a comparator: the sizes are compared as strings (\"9\" before \"30\", \"2e-7\" before \"100\")": `function topSensitive(g: Gradients, n: number): { name: string; gradient: number }[] {
  const all: { name: string; gradient: number }[] = [];
  g.weights.forEach((W, l) => W.forEach((row, j) => row.forEach((d, k) => all.push({ name: \`weights[\${l}][\${j}][\${k}]\`, gradient: d }))));
  g.biases.forEach((b, l) => b.forEach((d, j) => all.push({ name: \`biases[\${l}][\${j}]\`, gradient: d })));
  const sizes = all.map((p) => Math.abs(p.gradient)).sort().reverse();
  return sizes.slice(0, n).map((size) => all.find((p) => Math.abs(p.gradient) === size)!);
}`,
  },
  mistakeHints: {
    "ranks by the signed gradient: the most negative ones, which matter as much, come last": "Sort by Math.abs(gradient): a gradient of −3 moves the cost as much as +3, in the other direction.",
    "smallest first: the least sensitive parameters are returned": "Largest first: sort((p, q) => Math.abs(q.gradient) - Math.abs(p.gradient)).",
    "the gradient is returned without its sign (|gradient|)": "Rank by the size, but keep the signed gradient in each entry: its sign says which way the parameter should move.",
    "the biases are left out of the ranking": "Biases are parameters too: list every biases[l][j] next to the weights.",
    "sort() without a comparator: the sizes are compared as strings (\"9\" before \"30\", \"2e-7\" before \"100\")": "sort() with no comparator turns numbers into strings and orders them character by character. Give it one that compares numbers: sort((p, q) => Math.abs(q.gradient) - Math.abs(p.gradient)).",
  },
});
