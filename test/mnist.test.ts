import {
  CostName, FastNet, OutputKind, costOf, createNet, evaluate, feedforward, fromNetwork, gradient, toNetwork,
  trainEpoch,
} from "../grader/lab/fastnet";
import { Digits, digitImage, loadMnist, oneHot, readIdx } from "../grader/lab/mnist";
import { Network } from "../grader/engine/course/network";
import { makeRng } from "../grader/engine/course/rng";

/** An idx file in memory: big-endian magic and dims, then `payload` bytes. */
function idxBuffer(magic: number, dims: number[], payload: number): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + payload);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  return bytes;
}

describe("readIdx", () => {
  test("reads a well-formed labels file", () => {
    const buffer = idxBuffer(0x801, [3], 3);
    buffer.set([7, 0, 9], 8);
    const idx = readIdx(buffer, "ok-labels");
    expect(idx.dims).toEqual([3]);
    expect(Array.from(idx.data)).toEqual([7, 0, 9]);
  });

  test("rejects a file with fewer data bytes than its header promises", () => {
    const truncated = idxBuffer(0x803, [2, 28, 28], 2 * 784 - 100);
    expect(() => readIdx(truncated, "short-images")).toThrow(/short-images: truncated.*1568.*1468/);
  });

  test("rejects a file cut off inside its header", () => {
    const cut = idxBuffer(0x803, [2, 28, 28], 0).subarray(0, 10);
    expect(() => readIdx(cut, "cut-header")).toThrow(/cut-header: truncated/);
  });

  test("rejects a wrong magic number", () => {
    const wrong = idxBuffer(0x802, [5], 5);
    expect(() => readIdx(wrong, "odd-file")).toThrow(/odd-file: wrong magic number 0x00000802/);
  });

  test("rejects an empty file", () => {
    expect(() => readIdx(new Uint8Array(0), "nothing")).toThrow(/nothing: the file is empty/);
  });
});

describe("the real MNIST files", () => {
  let train: Digits;
  let testSet: Digits;
  beforeAll(() => {
    ({ train, test: testSet } = loadMnist());
  });

  test("have 60000 training and 10000 test digits of 28x28", () => {
    expect([train.count, testSet.count]).toEqual([60000, 10000]);
    expect(train.pixels.length).toBe(60000 * 784);
    expect(testSet.labels.length).toBe(10000);
    expect([train.rows, train.cols]).toEqual([28, 28]);
  });

  test("labels are the digits 0-9, each one present", () => {
    for (const d of [train, testSet]) {
      const seen = new Set(d.labels);
      expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    // The first training digits of MNIST are well known: 5 0 4 1 9.
    expect(Array.from(train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });

  test("pixels are scaled to [0, 1] and use the whole range", () => {
    let min = Infinity;
    let max = -Infinity;
    for (const p of testSet.pixels) {
      if (p < min) min = p;
      if (p > max) max = p;
    }
    expect([min, max]).toEqual([0, 1]);
  });

  test("digitImage is a 784-pixel view, oneHot a target vector", () => {
    const image = digitImage(testSet, 3);
    expect(image.length).toBe(784);
    expect(image.buffer).toBe(testSet.pixels.buffer);
    expect(image[0]).toBe(testSet.pixels[3 * 784]);
    expect(oneHot(2)).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => digitImage(testSet, 10000)).toThrow(RangeError);
    expect(() => oneHot(10)).toThrow(RangeError);
  });

  test("a small net trained on a few hundred digits does far better than chance", () => {
    const few = loadMnist({ trainLimit: 500, testLimit: 500 });
    const rng = makeRng(7);
    const net = createNet([784, 16, 10], rng);
    const before = evaluate(net, few.test).accuracy;
    for (let epoch = 0; epoch < 15; epoch++) {
      trainEpoch(net, few.train, { learningRate: 1.5, cost: "quadratic", batchSize: 10, rng });
    }
    const after = evaluate(net, few.test);
    expect(after.accuracy).toBeGreaterThan(0.7); // chance is 0.1
    expect(after.accuracy).toBeGreaterThan(before + 0.4);
  });

  test("skipping all-zero pixel columns gives exactly the dense result", () => {
    const few = loadMnist({ trainLimit: 201, testLimit: 1 }); // odd: the last batch has 1 digit
    const trainWith = (skipZeroInputs: boolean): FastNet => {
      const rng = makeRng(3);
      const net = createNet([784, 5, 10], rng);
      trainEpoch(net, few.train, { learningRate: 1, cost: "quadratic", batchSize: 10, rng, skipZeroInputs });
      return net;
    };
    expect(toNetwork(trainWith(true))).toEqual(toNetwork(trainWith(false)));
  });
});

describe("fastnet backprop", () => {
  /** Norm-wise relative error, so tiny entries cannot blow it up. */
  function relativeError(numeric: number[], analytic: number[]): number {
    let diff = 0;
    let size = 0;
    numeric.forEach((n, i) => {
      diff += (n - analytic[i]) ** 2;
      size += n * n + analytic[i] * analytic[i];
    });
    return size === 0 ? 0 : Math.sqrt(diff) / Math.sqrt(size);
  }

  /** Centred differences of C over every weight and bias, by nudging the flat arrays in place. */
  function numericGradient(net: FastNet, x: number[], y: number[], cost: CostName): { w: number[][]; b: number[][] } {
    const h = 1e-5;
    const nudge = (params: Float64Array): number[] =>
      Array.from(params, (_, i) => {
        const keep = params[i];
        params[i] = keep + h;
        const up = costOf(net, x, y, cost);
        params[i] = keep - h;
        const down = costOf(net, x, y, cost);
        params[i] = keep;
        return (up - down) / (2 * h);
      });
    return { w: net.weights.map(nudge), b: net.biases.map(nudge) };
  }

  const cases: Array<[OutputKind, CostName, (rng: () => number, n: number) => number[]]> = [
    ["sigmoid", "quadratic", (rng, n) => Array.from({ length: n }, () => rng())],
    ["sigmoid", "cross-entropy", (rng, n) => Array.from({ length: n }, () => rng())],
    // softmax + log-likelihood needs y to sum to 1 for delta = a - y
    ["softmax", "cross-entropy", (rng, n) => {
      const y = Array.from({ length: n }, () => rng());
      const sum = y.reduce((s, v) => s + v, 0);
      return y.map((v) => v / sum);
    }],
  ];

  test.each(cases)("%s output, %s cost: matches centred differences to 1e-6", (output, cost, target) => {
    const rng = makeRng(42);
    const net = createNet([5, 4, 3, 3], rng, output);
    // Zeros in x exercise the kernels' skipping of all-zero input columns.
    const x = [0, rng() * 2 - 1, 0, 0, rng() * 2 - 1];
    const y = target(rng, 3);
    const analytic = gradient(net, x, y, cost);
    const numeric = numericGradient(net, x, y, cost);
    net.weights.forEach((_, l) => {
      expect(relativeError(numeric.w[l], analytic.weights[l].flat())).toBeLessThanOrEqual(1e-6);
      expect(relativeError(numeric.b[l], analytic.biases[l])).toBeLessThanOrEqual(1e-6);
    });
  });

  test("the nested Network reads weights[l][j][k] as neuron k of layer l to neuron j of layer l+1", () => {
    const network: Network = {
      weights: [[[1, 0], [0, -1], [2, 3]]], // 2 inputs -> 3 outputs
      biases: [[0, 0, -1]],
    };
    const net = fromNetwork(network);
    expect(net.sizes).toEqual([2, 3]);
    const a = feedforward(net, [0.5, 0.25]);
    const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
    expect(Array.from(a)).toEqual([sigmoid(0.5), sigmoid(-0.25), sigmoid(2 * 0.5 + 3 * 0.25 - 1)]);
    expect(toNetwork(net)).toEqual(network);
  });
});
