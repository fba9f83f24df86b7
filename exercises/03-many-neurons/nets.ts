// Random networks and a trusted forward pass, shared by the chapter 3 and 4 specs
// (the numeric-gradient checks need a cost that does not come from learner code).
import { gradientCheck, layerSizes, sigma, type Network, type RandomCheck, normal, randomInt, type Rng, type Arg } from "../../grader/engine/authoring";

/** A network as a probe argument (plain nested arrays travel to the sandbox as they are). */
export function netArg(net: Network): Arg {
  return net as unknown as Arg;
}

export function randomNet(rng: Rng, sizes: number[], scale = 1): Network {
  const weights: number[][][] = [];
  const biases: number[][] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    weights.push(Array.from({ length: sizes[l + 1] }, () => Array.from({ length: sizes[l] }, () => (normal(rng) * scale) / Math.sqrt(sizes[l]))));
    biases.push(Array.from({ length: sizes[l + 1] }, () => normal(rng) * scale));
  }
  return { weights, biases };
}

export function randomSizes(rng: Rng, layers = randomInt(rng, 2, 4), maxWidth = 6): number[] {
  return Array.from({ length: layers }, () => randomInt(rng, 1, maxWidth));
}

export function randomVector(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng());
}

export function oneHotVector(n: number, hot: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === hot ? 1 : 0));
}


export function trustedLayer(W: number[][], a: number[], b: number[]): number[] {
  return W.map((row, j) => sigma(row.reduce((s, w, k) => s + w * a[k], b[j])));
}

export function trustedOutput(net: Network, x: number[]): number[] {
  return net.weights.reduce((a, W, l) => trustedLayer(W, a, net.biases[l]), x);
}

export function quadraticCost(a: number[], y: number[]): number {
  return a.reduce((s, aj, j) => s + (aj - y[j]) ** 2, 0);
}

/** "layer 2, weight from neuron 3 to neuron 0", for gradient-check messages. */
export function describeWeight([l, j, k]: number[]): string {
  return `weights[${l}][${j}][${k}] (layer ${l + 1}, the weight from neuron ${k} to neuron ${j})`;
}

export function describeBias([l, j]: number[]): string {
  return `biases[${l}][${j}] (layer ${l + 1}, the bias of neuron ${j})`;
}

/** An output vector and a one-hot target of the same random length (1 to 10). */
export function randomOutputAndTarget(rng: Rng): Arg[] {
  const n = randomInt(rng, 1, 10);
  return [randomVector(rng, n), oneHotVector(n, randomInt(rng, 0, n - 1))];
}

/**
 * The same with a target anywhere in [0, 1], not only a digit's one-hot vector: the formulas hold
 * for any y_j, and code that treats y as a label (y[j] === 1 ? … : …) is right only on one-hot ones.
 */
export function randomOutputAndSoftTarget(rng: Rng): Arg[] {
  const n = randomInt(rng, 2, 10);
  return [randomVector(rng, n), randomVector(rng, n)];
}

/**
 * ∂C/∂w and ∂C/∂b of C = Σ_j (a_j − y_j)² for one example, by backpropagation:
 * trusted spec code for judges that must replay training (chapter 4) without
 * learner code. Written plainly, the same algorithm as the notes; test/orders.test.ts
 * finds it equal to the reference backprop to the last bit, and sgdStep within tolerance.
 */
export function trustedBackprop(net: Network, x: number[], y: number[]): Network {
  const L = net.weights.length;
  const as: number[][] = [x];
  for (let l = 0; l < L; l++) as.push(trustedLayer(net.weights[l], as[l], net.biases[l]));
  const weights: number[][][] = new Array(L);
  const biases: number[][] = new Array(L);
  let dCdA = as[L].map((a, j) => 2 * (a - y[j]));
  for (let l = L - 1; l >= 0; l--) {
    // σ′(z) = σ(z)(1 − σ(z)), and σ(z) is this layer's activation; the product taken as
    // the master's dC/da · σ′(z) takes it, so the result is its, bit for bit.
    const delta = dCdA.map((d, j) => d * (as[l + 1][j] * (1 - as[l + 1][j])));
    weights[l] = delta.map((dj) => as[l].map((ak) => dj * ak));
    biases[l] = delta;
    dCdA = as[l].map((_, k) => net.weights[l].reduce((s, row, j) => s + row[k] * delta[j], 0));
  }
  return { weights, biases };
}

/** One step of gradient descent on the batch's average gradient: a new network, `net` is left as it was. */
export function trustedSgdStep(net: Network, batch: { x: number[]; y: number[] }[], learningRate: number): Network {
  const gs = batch.map((e) => trustedBackprop(net, e.x, e.y));
  const n = gs.length;
  return {
    weights: net.weights.map((W, l) => W.map((row, j) => row.map((w, k) => w - learningRate * (gs.reduce((s, g) => s + g.weights[l][j][k], 0) / n)))),
    biases: net.biases.map((b, l) => b.map((v, j) => v - learningRate * (gs.reduce((s, g) => s + g.biases[l][j], 0) / n))),
  };
}

/**
 * The arguments of a whole-network gradient (net, x, one-hot y): a network of one of
 * `shapes`, or, `randomPicks` times in (shapes.length + randomPicks + 1), one of random
 * depth (2 to `maxLayers` layers) and width (up to `maxWidth`).
 */
export function networkArgs(shapes: number[][], randomPicks: number, maxLayers: number, maxWidth: number): (rng: Rng) => Arg[] {
  return (rng) => {
    const pick = randomInt(rng, 0, shapes.length + randomPicks);
    const sizes = pick < shapes.length ? shapes[pick] : randomSizes(rng, randomInt(rng, 2, maxLayers), maxWidth);
    const out = sizes[sizes.length - 1];
    return [netArg(randomNet(rng, sizes, 1.5)), randomVector(rng, sizes[0]), oneHotVector(out, randomInt(rng, 0, out - 1))];
  };
}

/**
 * A nearly trained example: the target a hair (0.005 to 0.03) from the network's own output, so
 * every |a − y| is small. Code that stops early when the error looks small (returns zero
 * gradients below some |a − y|) fails here; the gradients are small but not zero.
 */
export function nearTargetArgs(shapes: number[][]): (rng: Rng) => Arg[] {
  return (rng) => {
    const sizes = shapes[randomInt(rng, 0, shapes.length - 1)];
    const net = randomNet(rng, sizes, 1.5);
    const x = randomVector(rng, sizes[0]);
    const y = trustedOutput(net as unknown as Network, x).map((a) => {
      const off = (0.005 + 0.025 * rng()) * (rng() < 0.5 ? -1 : 1);
      return Math.min(0.999, Math.max(0.001, a + off));
    });
    return [netArg(net), x, y];
  };
}

/**
 * `fn(net, x, y)` must return ∂C/∂weights and ∂C/∂biases of C = Σ_j (a_j − y_j)² for one
 * example, checked against centred differences of the trusted forward pass, layer by layer
 * (chapter 3's backprop, chapter 5's autograd and vector forms all answer this).
 */
export function networkGradientCheck(fn: string, count: number, hidden: number, args: (rng: Rng) => Arg[]): RandomCheck {
  return gradientCheck({
    fn,
    count,
    hidden,
    args,
    fields: [
      { field: "weights", arg: 0, argKey: "weights", param: "weights", describe: describeWeight },
      { field: "biases", arg: 0, argKey: "biases", param: "biases", describe: describeBias },
    ],
    describeArgs: ([net]) => `a ${layerSizes(net as unknown as Network).join("-")} network`,
    layered: true,
    cost: ([net, x, y]) => quadraticCost(trustedOutput(net as unknown as Network, x as number[]), y as number[]),
  });
}
