// The arguments of each exercise's cases, as a tuple the function of the
// exercise takes: so the line a failure prints,
//   backprop(...caseInput("backprop", 7))
// type-checks in a notebook (tslab compiles every cell; spreading an unknown[]
// into a function of three parameters is a type error). Each tuple follows the
// exercise cell's stub in notebooks/ (parameter names and types), written
// structurally where a notebook type is not exported from here (Example).
// test/case-input.test.ts proves, for every exercise whose cases call a
// function, that the paste line compiles against the stub and the master, and
// that every case's arguments fit the tuple. A new exercise needs its entry here.
import type { Gradients, Network } from "../engine/course/network";
import type { Value } from "./autograd";

type Examples = { x: number[]; y: number[] }[];

export interface CaseInputs {
  "weighted-sum": [w: number, aPrev: number, b: number];
  sigmoid: [z: number];
  cost: [a: number, y: number];
  forward: [x: number, w1: number, b1: number, w2: number, b2: number];
  "d-cost-d-a": [a: number, y: number];
  "sigmoid-prime": [z: number];
  relu: [z: number];
  "relu-prime": [z: number];
  /** tanh and tanhPrime both take z. */
  tanh: [z: number];
  "numerical-derivative": [f: (x: number) => number, x: number, h?: number];
  "neuron-gradients": [w: number, aPrev: number, b: number, y: number];
  "chain-forward": [x: number, ws: number[], bs: number[]];
  "chain-gradients": [x: number, y: number, ws: number[], bs: number[]];
  "gradient-step": [params: number[], grads: number[], learningRate: number];
  "param-count": [sizes: number[]];
  "layer-forward": [W: number[][], aPrev: number[], b: number[]];
  "network-forward": [net: Network, x: number[]];
  "cost-vector": [a: number[], y: number[]];
  "desired-nudges": [a: number[], y: number[]];
  "previous-layer-sensitivity": [W: number[][], aPrev: number[], b: number[], y: number[]];
  backprop: [net: Network, x: number[], y: number[]];
  "average-gradients": [gs: Gradients[]];
  "mini-batches": [data: unknown[], batchSize: number, rng: () => number];
  "sgd-step": [net: Network, batch: Examples, learningRate: number];
  "train-epoch": [net: Network, data: Examples, batchSize: number, learningRate: number, rng: () => number];
  accuracy: [net: Network, data: Examples];
  softmax: [z: number[]];
  "softmax-cross-entropy-delta": [z: number[], y: number[]];
  /** add and mul both take two values. */
  "add-mul": [a: Value, b: Value];
  power: [a: Value, n: number];
  /** exp and sigma both take one value. */
  "exp-sigma": [a: Value];
  "topo-order": [root: Value];
  backward: [root: Value];
  "cost-111": [x: number, y: number, w1: number, b1: number, w2: number, b2: number];
  "autograd-backprop": [net: Network, x: number[], y: number[]];
  "vector-backprop": [net: Network, x: number[], y: number[]];
  "top-sensitive": [g: Gradients, n: number];
}

/** An exercise whose cases call a function (the others read a value: there is nothing to pass). */
export type CaseInputId = keyof CaseInputs;
