// The learner edition's given.ts (`npm run build:learner` puts this file in its
// place): what a chapter is given from earlier chapters is the learner's OWN
// answer to those exercises, run from their notebooks (own.ts), because the
// learner edition holds no reference implementation of any exercise. So in
// chapter 3, `sigmoid` is your chapter 1 sigmoid: a mistake there shows here too
// (official grading gives every cell the reference versions instead).
// Same names and types as the instructor's given.ts (test/learner-edition.test.ts checks).
import type { Gradients, Network } from "../engine/course/network";
import { ownFunction } from "./own";

/** Chapter 1, exercise weighted-sum: z = w·a + b (your answer). */
export const weightedSum = ownFunction<(w: number, aPrev: number, b: number) => number>("weightedSum");
/** Chapter 1, exercise sigmoid: σ(z) = 1 / (1 + e^(−z)) (your answer). */
export const sigmoid = ownFunction<(z: number) => number>("sigmoid");
/** Chapter 2, exercise sigmoid-prime: σ′(z) = σ(z)(1 − σ(z)) (your answer). */
export const sigmoidPrime = ownFunction<(z: number) => number>("sigmoidPrime");
/** Chapter 3, exercise layer-forward: σ(W a + b) for one layer (your answer). */
export const layerForward = ownFunction<(W: number[][], aPrev: number[], b: number[]) => number[]>("layerForward");
/** Chapter 3, exercise network-forward: the activations of every layer, input first (your answer). */
export const networkForward = ownFunction<(net: Network, x: number[]) => number[][]>("networkForward");
/** Chapter 3, exercise backprop: dC/dw and dC/db of C = Σ_j (a_j − y_j)² for one example (your answer). */
export const backprop = ownFunction<(net: Network, x: number[], y: number[]) => Gradients>("backprop");
