// What a chapter is given from earlier chapters: working versions of functions
// that earlier exercises ask the learner to write. A notebook imports them
// (`import { sigmoid, sigmoidPrime } from "backprop-lab";`) instead of carrying
// their source in a given cell, so a later chapter's notebook never shows an
// earlier chapter's answer. The grader resolves the same import to the reference
// solutions of the exercises that define these names (exercises/**: `defines`);
// test/given.test.ts proves both agree on seeded random inputs.
//
// Each is exported bound, so printing it in a notebook (`backprop.toString()`)
// shows "[native code]" rather than a solution to paste. Keep this file free of
// imports other than types: every notebook loads the lab.
import type { Gradients, Network } from "../engine/network";

function hide<F extends (...args: never[]) => unknown>(f: F): F {
  return f.bind(null) as F;
}

function sigmoidOf(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

function weightedSumOf(w: number, aPrev: number, b: number): number {
  return w * aPrev + b;
}

function sigmoidPrimeOf(z: number): number {
  const s = sigmoidOf(z);
  return s * (1 - s);
}

/** z_j = b_j + Σ_k W[j][k] a_k, summed in k order. */
function weightedSums(W: number[][], aPrev: number[], b: number[]): number[] {
  const z = new Array<number>(W.length);
  for (let j = 0; j < W.length; j++) {
    const row = W[j];
    let s = b[j];
    for (let k = 0; k < row.length; k++) s += row[k] * aPrev[k];
    z[j] = s;
  }
  return z;
}

function layerForwardOf(W: number[][], aPrev: number[], b: number[]): number[] {
  return weightedSums(W, aPrev, b).map(sigmoidOf);
}

function networkForwardOf(net: Network, x: number[]): number[][] {
  const activations: number[][] = [x];
  for (let l = 0; l < net.weights.length; l++) activations.push(layerForwardOf(net.weights[l], activations[l], net.biases[l]));
  return activations;
}

function backpropOf(net: Network, x: number[], y: number[]): Gradients {
  const activations = networkForwardOf(net, x);
  const layers = net.weights.length;
  const weights: number[][][] = new Array(layers);
  const biases: number[][] = new Array(layers);
  const out = activations[layers];
  let dCdA = new Array<number>(out.length);
  for (let j = 0; j < out.length; j++) dCdA[j] = 2 * (out[j] - y[j]);
  for (let l = layers - 1; l >= 0; l--) {
    const W = net.weights[l];
    const aIn = activations[l];
    const z = weightedSums(W, aIn, net.biases[l]);
    const delta = new Array<number>(W.length);
    for (let j = 0; j < W.length; j++) delta[j] = dCdA[j] * sigmoidPrimeOf(z[j]);
    weights[l] = W.map((row, j) => row.map((_, k) => delta[j] * aIn[k]));
    biases[l] = delta;
    const back = new Array<number>(aIn.length);
    for (let k = 0; k < aIn.length; k++) {
      let s = 0;
      for (let j = 0; j < W.length; j++) s += W[j][k] * delta[j];
      back[k] = s;
    }
    dCdA = back;
  }
  return { weights, biases };
}

/** Chapter 1, exercise weighted-sum: z = w·a + b. */
export const weightedSum: (w: number, aPrev: number, b: number) => number = hide(weightedSumOf);
/** Chapter 1, exercise sigmoid: σ(z) = 1 / (1 + e^(−z)). */
export const sigmoid: (z: number) => number = hide(sigmoidOf);
/** Chapter 2, exercise sigmoid-prime: σ′(z) = σ(z)(1 − σ(z)). */
export const sigmoidPrime: (z: number) => number = hide(sigmoidPrimeOf);
/** Chapter 3, exercise layer-forward: σ(W a + b) for one layer. */
export const layerForward: (W: number[][], aPrev: number[], b: number[]) => number[] = hide(layerForwardOf);
/** Chapter 3, exercise network-forward: the activations of every layer, input first. */
export const networkForward: (net: Network, x: number[]) => number[][] = hide(networkForwardOf);
/** Chapter 3, exercise backprop: dC/dw and dC/db of C = Σ_j (a_j − y_j)² for one example. */
export const backprop: (net: Network, x: number[], y: number[]) => Gradients = hide(backpropOf);
