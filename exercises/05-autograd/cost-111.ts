import { gradientCheck, normal, uniform, call, exercise, expectValue, randomCases, sigma, type Arg } from "../../grader/engine/authoring";

/** C = (σ(w2·σ(w1·x + b1) + b2) − y)², chapter 1's network, computed plainly (trusted spec code). */
function trustedCost([x, y, w1, b1, w2, b2]: Arg[]): number {
  const [nx, ny, nw1, nb1, nw2, nb2] = [x, y, w1, b1, w2, b2].map(Number);
  return (sigma(nw2 * sigma(nw1 * nx + nb1) + nb2) - ny) ** 2;
}

const args = (rng: () => number): Arg[] => [uniform(rng, 0, 1), Math.round(uniform(rng, 0, 1)), normal(rng) * 1.5, normal(rng), normal(rng) * 1.5, normal(rng)];

/** The cell with the graph's body given: the readout below it is the cell's own, as in the master. */
const cell = (body: string) => `function costGraph111(x: number, y: number, w1: number, b1: number, w2: number, b2: number): Value {
${body}
}
function costGradients111(x: number, y: number, w1: number, b1: number, w2: number, b2: number): { cost: number; dw1: number; db1: number; dw2: number; db2: number } {
  const root = costGraph111(x, y, w1, b1, w2, b2);
  const g = backward(root);
  return { cost: root.data, dw1: g["w1"], db1: g["b1"], dw2: g["w2"], db2: g["b2"] };
}`;
const HIDDEN = '  const hidden = sigma(add(mul(leaf("w1", w1), leaf("x", x)), leaf("b1", b1)));';
const OUTPUT = '  const output = sigma(add(mul(leaf("w2", w2), hidden), leaf("b2", b2)));';

export default exercise({
  id: "cost-111",
  title: "Chapter 1's network as a graph",
  points: 1,
  defines: ["costGradients111"],
  withholds: {
    backprop: "the gradients come from the graph: build it from Values and run backward on it (the answers are checked against backprop)",
    chainGradients: "the gradients come from the graph: build it from Values and run backward on it (the answers are checked against chapter 2's chain rule)",
  },
  hints: [
    "Build it the way chapter 1 computes it: hidden = σ(w1·x + b1), output = σ(w2·hidden + b2), cost = (output − y)². Make each number a leaf with the id of its name (\"w1\", \"b1\", \"x\", ...), combine them with add, mul, sigma and power, and subtract y by adding a leaf holding −y. costGradients111 then runs backward on that root and returns { cost: root.data, dw1: g[\"w1\"], ... } from the table g.",
    "For x = 1, y = 0 and every weight and bias 0, each neuron outputs σ(0) = 0.5, so the cost is 0.25 and ∂C/∂b2 = 2·0.5·0.25 = 0.25.",
  ],
  checks: [
    expectValue(call("costGradients111", 1, 0, 0, 0, 0, 0), { cost: 0.25, dw1: 0, db1: 0, dw2: 0.125, db2: 0.25 }, { label: "costGradients111(x = 1, y = 0, every weight and bias 0)" }),
    randomCases("costGradients111", { count: 12, hidden: 2, args }),
    // Targets between 0 and 1 too: the cost (a − y)² takes any desired output, and code that
    // turns y into a 0/1 label (y > 0 ? 1 : 0) is right only on labels.
    randomCases("costGradients111", { count: 4, hidden: 1, args: (rng) => args(rng).map((v, i) => (i === 1 ? Math.round(uniform(rng, 0.05, 0.95) * 100) / 100 : v)) }),
    gradientCheck({
      fn: "costGradients111",
      count: 8,
      args,
      fields: [
        { field: "dw1", arg: 2, param: "w1" },
        { field: "db1", arg: 3, param: "b1" },
        { field: "dw2", arg: 4, param: "w2" },
        { field: "db2", arg: 5, param: "b2" },
      ],
      cost: trustedCost,
    }),
  ],
  mutants: {
    "the cost is not squared: C = a − y": cell(`${HIDDEN}\n${OUTPUT}\n  return add(output, leaf("-y", -y));`),
    "y is added instead of subtracted: (a + y)²": cell(`${HIDDEN}\n${OUTPUT}\n  return power(add(output, leaf("y", y)), 2);`),
    "the hidden neuron has no σ: its weighted sum goes on as it is": cell(`  const hidden = add(mul(leaf("w1", w1), leaf("x", x)), leaf("b1", b1));\n${OUTPUT}\n  return power(add(output, leaf("-y", -y)), 2);`),
    "the gradients of w1 and b1 come back undefined: backward never reached leaves with the ids \"w1\" and \"b1\" (the hidden neuron computed with plain numbers and put in a leaf, or its leaves named otherwise)": cell(`  const hidden = leaf("a1", sigmoid(w1 * x + b1));\n${OUTPUT}\n  return power(add(output, leaf("-y", -y)), 2);`),
    "the bias is inside the product: w·(x + b) instead of w·x + b": cell(`  const hidden = sigma(mul(leaf("w1", w1), add(leaf("x", x), leaf("b1", b1))));\n  const output = sigma(mul(leaf("w2", w2), add(hidden, leaf("b2", b2))));\n  return power(add(output, leaf("-y", -y)), 2);`),
  },
  mistakeHints: {
    "the cost is not squared: C = a − y": "The cost is the square of the miss: power(difference, 2).",
    "y is added instead of subtracted: (a + y)²": "To subtract y, add a leaf holding −y: add(output, leaf(\"-y\", -y)).",
    "the hidden neuron has no σ: its weighted sum goes on as it is": "Each neuron squashes its weighted sum: hidden = sigma(add(mul(w1, x), b1)).",
    "the gradients of w1 and b1 come back undefined: backward never reached leaves with the ids \"w1\" and \"b1\" (the hidden neuron computed with plain numbers and put in a leaf, or its leaves named otherwise)": "backward reaches only what the graph remembers, and you read its result by id: build the hidden neuron from values, sigma(add(mul(leaf(\"w1\", w1), leaf(\"x\", x)), leaf(\"b1\", b1))), not from numbers put in a leaf, and give each leaf the id you read back (\"w1\", \"b1\").",
    "the bias is inside the product: w·(x + b) instead of w·x + b": "Multiply first, then add the bias: add(mul(w, x), b).",
  },
});
