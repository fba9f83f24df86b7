// The course registry: chapters in order, each with the ids of its exercises
// in order. Exercise <id> of chapter <slug> is specified in
// exercises/<slug>/<id>.ts; its solution is a cell of solutions/<slug>.ipynb,
// its stub a cell of notebooks/<slug>.ipynb. Adding an exercise: one spec
// file, one id below, and the master's cells (npm run new-exercise does all three).
import { courseRootOf, makeCourse, type ExerciseSpec } from "../grader/engine/authoring";

export const FORMAT_VERSION = 1;

export const course = makeCourse(
  // The course folder is this registry's: found from its own place, never from the current folder.
  courseRootOf(__dirname),
  FORMAT_VERSION,
  [
    {
      slug: "01-forward-pass",
      title: "The forward pass of a 1-1-1 network",
      ids: ["weighted-sum", "sigmoid", "activation", "cost", "forward"],
    },
    {
      slug: "02-chain-rule",
      title: "Derivatives, the chain rule and gradient descent",
      ids: ["d-cost-d-a", "sigmoid-prime", "relu", "relu-prime", "tanh", "numerical-derivative", "formula-dc-da", "formula-da-dz", "formula-dc-dw", "neuron-gradients", "chain-forward", "chain-gradients", "gradient-step"],
    },
    {
      slug: "03-many-neurons",
      title: "Many neurons per layer: backpropagation for a whole network",
      ids: ["param-count", "layer-forward", "network-forward", "cost-vector", "desired-nudges", "previous-layer-sensitivity", "backprop"],
    },
    {
      slug: "04-learning-from-data",
      title: "Learning from data: averaging, mini-batches, SGD and real digits",
      ids: ["average-gradients", "mini-batches", "sgd-step", "train-epoch", "accuracy", "softmax", "softmax-cross-entropy-delta"],
    },
    {
      slug: "05-autograd",
      title: "Backprop as a graph: your own autograd",
      ids: ["add-mul", "power", "exp-sigma", "topo-order", "backward", "cost-111", "autograd-backprop", "vector-backprop", "top-sensitive"],
    },
  ],
  // Spec files are found from their ids, so the list above is the only place an exercise is registered.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (slug, id) => (require(`./${slug}/${id}`) as { default: ExerciseSpec }).default,
);
