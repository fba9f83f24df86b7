import { exercise } from "../../grader/engine/authoring";
import { networkArgs, networkGradientCheck } from "../03-many-neurons/nets";

// Small networks: a value's id spells its whole expression, so ids (and the time to build
// them) grow with width to the power of depth; these stay within the time limit on a busy machine.
const SHAPES = [[1, 1, 1], [2, 3, 2], [3, 3, 3], [2, 3, 2, 1]];

const cell = (body: string) => `function costGraph(net: Network, x: number[], y: number[]): Value {
${body}
}
function autogradBackprop(net: Network, x: number[], y: number[]): Gradients {
  const g = backward(costGraph(net, x, y));
  return {
    weights: net.weights.map((W, l) => W.map((row, j) => row.map((_, k) => g[weightId(l, j, k)] ?? 0))),
    biases: net.biases.map((b, l) => b.map((_, j) => g[biasId(l, j)] ?? 0)),
  };
}`;

interface Parts {
  input?: string;
  bias?: string;
  neuron?: string;
  /** Output j's term of the cost, given the code of j and of the leaf id "-y[j]". */
  miss?: (j: string, id: string) => string;
}

const SQUARED_MISS = (j: string, id: string) => `power(add(as[${j}], leaf(${id}, -y[${j}])), 2)`;

/** The master's graph with one part changed. */
const graph = (p: Parts) =>
  cell(`  let as: Value[] = x.map((xk, k) => leaf(\`x[\${k}]\`, xk));
  net.weights.forEach((W, l) => {
    const prev = ${p.input ?? "as"};
    as = W.map((row, j) => {
      let z = ${p.bias ?? "leaf(biasId(l, j), net.biases[l][j])"};
      row.forEach((w, k) => {
        z = add(z, mul(leaf(weightId(l, j, k), w), prev[k]));
      });
      return ${p.neuron ?? "sigma(z)"};
    });
  });
  let cost = ${(p.miss ?? SQUARED_MISS)("0", '"-y[0]"')};
  for (let j = 1; j < as.length; j++) cost = add(cost, ${(p.miss ?? SQUARED_MISS)("j", "`-y[${j}]`")});
  return cost;`);

export default exercise({
  id: "autograd-backprop",
  title: "A whole network as a graph: autograd against backprop",
  points: 2,
  defines: ["autogradBackprop"],
  withholds: {
    backprop: "the gradients come from the graph: build costGraph from Values and run backward on it (the answers are checked against backprop)",
  },
  hints: [
    "Leaves for the inputs x[k]; then for each layer l and neuron j: z starts as the leaf biasId(l, j) and adds mul(leaf(weightId(l, j, k), w), a_k) for every k, where a_k is the previous layer's value (a Value, not a number); the neuron is sigma(z). The cost adds power(add(a_j, leaf(\"-y[j]\", -y[j])), 2) over the outputs. autogradBackprop runs backward on that cost and maps net.weights and net.biases to the table's entries at weightId(l, j, k) and biasId(l, j).",
    "Try the smallest network first, 1-1: z = b + w·x, a = σ(z), C = (a − y)². The table backward returns must hold ∂C/∂w under weightId(0, 0, 0) and ∂C/∂b under biasId(0, 0), and the readout must look them up under exactly the ids the leaves were given. Then compare layer by layer with chapter 3's backprop on the failing input above.",
  ],
  checks: [
    networkGradientCheck("autogradBackprop", 10, 2, networkArgs(SHAPES, 1, 3, 3)),
  ],
  mutants: {
    "the previous layer's activations are new leaves holding their numbers: the graph is cut, and no gradient reaches the earlier layers": graph({ input: "as.map((a, k) => leaf(`a${l}[${k}]`, a.data))" }),
    "the hidden neurons have no σ: only the output layer squashes": graph({ neuron: "l === net.weights.length - 1 ? sigma(z) : z" }),
    "the bias leaves are missing: z starts from 0, so no bias gets a gradient": graph({ bias: 'leaf("zero", 0)' }),
    "the cost is not squared: C = Σ (a − y)": graph({ miss: (j, id) => `add(as[${j}], leaf(${id}, -y[${j}]))` }),
  },
  mistakeHints: {
    "the previous layer's activations are new leaves holding their numbers: the graph is cut, and no gradient reaches the earlier layers": "Use the previous layer's Values themselves as inputs (as[k]), not leaf(..., as[k].data): a gradient flows only along the inputs a value remembers.",
    "the hidden neurons have no σ: only the output layer squashes": "Every neuron, hidden or output, is sigma(z).",
    "the bias leaves are missing: z starts from 0, so no bias gets a gradient": "Start each z from its bias, a leaf with the id biasId(l, j): z = b_j + Σ_k w_jk a_k, and the readout finds the bias gradient by that id.",
    "the cost is not squared: C = Σ (a − y)": "Each output's miss is squared: power(add(a_j, -y_j), 2).",
  },
});
