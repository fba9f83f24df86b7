// The course registry: chapters in order, each with its exercises in order.
// Ids are unique across the course; notebooks are `notebooks/<slug>.ipynb`,
// their solved masters `solutions/<slug>.ipynb`.
import type { ExerciseSpec } from "../grader/engine/spec";
import weightedSum from "./01-forward-pass/weighted-sum";
import sigmoid from "./01-forward-pass/sigmoid";
import activation from "./01-forward-pass/activation";
import cost from "./01-forward-pass/cost";
import forward from "./01-forward-pass/forward";
import dCostDA from "./02-chain-rule/d-cost-d-a";
import sigmoidPrime from "./02-chain-rule/sigmoid-prime";
import relu from "./02-chain-rule/relu";
import reluPrime from "./02-chain-rule/relu-prime";
import numericalDerivative from "./02-chain-rule/numerical-derivative";
import neuronGradients from "./02-chain-rule/neuron-gradients";
import chainForward from "./02-chain-rule/chain-forward";
import chainGradients from "./02-chain-rule/chain-gradients";
import gradientStep from "./02-chain-rule/gradient-step";
import { formulaDaDz, formulaDcDa, formulaDcDw } from "./02-chain-rule/formulas";
import paramCount from "./03-many-neurons/param-count";
import layerForward from "./03-many-neurons/layer-forward";
import networkForward from "./03-many-neurons/network-forward";
import costVector from "./03-many-neurons/cost-vector";
import desiredNudges from "./03-many-neurons/desired-nudges";
import previousLayerSensitivity from "./03-many-neurons/previous-layer-sensitivity";
import backprop from "./03-many-neurons/backprop";
import averageGradients from "./04-learning-from-data/average-gradients";
import miniBatches from "./04-learning-from-data/mini-batches";
import sgdStep from "./04-learning-from-data/sgd-step";
import trainEpoch from "./04-learning-from-data/train-epoch";
import accuracy from "./04-learning-from-data/accuracy";
import tanh from "./02-chain-rule/tanh";
import softmax from "./04-learning-from-data/softmax";
import softmaxCrossEntropyDelta from "./04-learning-from-data/softmax-cross-entropy-delta";

export const FORMAT_VERSION = 1;

export interface Chapter {
  slug: string;
  title: string;
  exercises: ExerciseSpec[];
}

export const chapters: Chapter[] = [
  {
    slug: "01-forward-pass",
    title: "The forward pass of a 1-1-1 network",
    exercises: [weightedSum, sigmoid, activation, cost, forward],
  },
  {
    slug: "02-chain-rule",
    title: "Derivatives, the chain rule and gradient descent",
    exercises: [dCostDA, sigmoidPrime, relu, reluPrime, tanh, numericalDerivative, formulaDcDa, formulaDaDz, formulaDcDw, neuronGradients, chainForward, chainGradients, gradientStep],
  },
  {
    slug: "03-many-neurons",
    title: "Many neurons per layer: backpropagation for a whole network",
    exercises: [paramCount, layerForward, networkForward, costVector, desiredNudges, previousLayerSensitivity, backprop],
  },
  {
    slug: "04-learning-from-data",
    title: "Learning from data: averaging, mini-batches, SGD and real digits",
    exercises: [averageGradients, miniBatches, sgdStep, trainEpoch, accuracy, softmax, softmaxCrossEntropyDelta],
  },
];
