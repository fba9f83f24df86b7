// The plain shape of a fully connected network, as the notebooks and the grader see it.

/**
 * weights[l][j][k] connects neuron k of layer l to neuron j of layer l+1, so row j of
 * weights[l] holds neuron j's incoming weights and z = W a + b reads as in the notes.
 * biases[l][j] belongs to neuron j of layer l+1 (the input layer has none).
 */
export interface Network {
  weights: number[][][];
  biases: number[][];
}

/** dC/dw and dC/db, laid out exactly like the Network they belong to. */
export type Gradients = Network;

/** Layer sizes [inputs, hidden..., outputs] read off the weight shapes. */
export function layerSizes(net: Network): number[] {
  if (net.weights.length === 0) throw new Error("a network needs at least one weight layer");
  return [net.weights[0][0]?.length ?? 0, ...net.weights.map((w) => w.length)];
}

/** σ(z) = 1 / (1 + e^(−z)), for trusted spec code (costs of gradient checks, formulas); never shown to learners. */
export function sigma(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
