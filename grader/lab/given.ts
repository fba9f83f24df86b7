// What a chapter is given from earlier chapters: working versions of functions
// that earlier exercises ask the learner to write. A notebook imports them
// (`import { sigmoid, sigmoidPrime } from "backprop-lab";`) instead of carrying
// their source in a given cell, so a later chapter's notebook never shows an
// earlier chapter's answer. The grader resolves the same import to the reference
// solutions of the exercises that define these names (exercises/**: `defines`);
// test/given.test.ts proves both agree exactly on seeded random inputs.
//
// The network functions are the fast trainer's own code (fastnet.ts), run on one
// example with every input column computed: the course has one implementation of
// what learners never write. Here it only gets the notebooks' nested arrays.
//
// Each is exported bound, so printing it in a notebook (`backprop.toString()`)
// shows "[native code]" rather than a solution to paste.
import { sigma as sigmoidOf, type Gradients, type Network } from "../engine/course/network";
import { activations, gradient, type FastNet } from "./fastnet";

function hide<F extends (...args: never[]) => unknown>(f: F): F {
  return f.bind(null) as F;
}

function weightedSumOf(w: number, aPrev: number, b: number): number {
  return w * aPrev + b;
}

function sigmoidPrimeOf(z: number): number {
  const s = sigmoidOf(z);
  return s * (1 - s);
}

/**
 * The net as flat arrays, checked: a row of the wrong length would silently shift every
 * later row in the flat layout, so it is named instead.
 */
function flat(net: Network, inputs: number, what: string): FastNet {
  const sizes = [inputs, ...net.weights.map((W) => W.length)];
  const weights = net.weights.map((W, l) => {
    const n = sizes[l];
    const w = new Float64Array(sizes[l + 1] * n);
    W.forEach((row, j) => {
      if (row.length !== n) throw new Error(`${what}: weights[${l}][${j}] has ${row.length} weights, but layer ${l} has ${n} ${l === 0 ? "inputs" : "neurons"}`);
      // An element at a time, not w.set(row): set() from an array made in a notebook's kernel
      // took 26 ns an element, most of chapter 4's training time. The same conversion (ToNumber).
      for (let k = 0, at = j * n; k < n; k++, at++) w[at] = row[k];
    });
    return w;
  });
  const biases = net.biases.map((b, l) => {
    if (b.length !== sizes[l + 1]) throw new Error(`${what}: biases[${l}] has ${b.length} biases, but layer ${l + 1} has ${sizes[l + 1]} neurons`);
    return Float64Array.from(b);
  });
  if (biases.length !== weights.length) throw new Error(`${what}: ${weights.length} weight layers but ${biases.length} bias layers`);
  return { sizes, output: "sigmoid", weights, biases };
}

function layerForwardOf(W: number[][], aPrev: number[], b: number[]): number[] {
  return activations(flat({ weights: [W], biases: [b] }, aPrev.length, "layerForward"), aPrev)[1];
}

function networkForwardOf(net: Network, x: number[]): number[][] {
  const as = activations(flat(net, x.length, "networkForward"), x);
  as[0] = x; // the input itself, as the reference returns it
  return as;
}

function backpropOf(net: Network, x: number[], y: number[]): Gradients {
  return gradient(flat(net, x.length, "backprop"), x, y, "quadratic", "js", false);
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
