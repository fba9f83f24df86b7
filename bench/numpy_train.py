"""numpy baseline for bench/train.ts: the same 784-16-16-10 sigmoid net, quadratic
cost C = sum_j (a_j - y_j)^2, SGD with mini-batches of 10, each mini-batch done as
matrix ops over the batch (Nielsen's network2 "matrix" style), timed on real MNIST.

Usage: numpy_train.py DATA_DIR EPOCHS SEED [ETA]   (ETA defaults to 3)
Prints one JSON line: {"examples_per_second": ..., "epoch_seconds": [...], "accuracy": ...}
"""
import json
import sys
import time

import numpy as np


def read_idx(path, magic):
    raw = np.fromfile(path, dtype=np.uint8)
    found = int.from_bytes(raw[:4].tobytes(), "big")
    if found != magic:
        raise ValueError(f"{path}: magic {found:#010x}, expected {magic:#010x}")
    ndim = magic & 0xFF
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i].tobytes(), "big") for i in range(ndim)]
    return raw[4 + 4 * ndim:].reshape(dims)


def load(data_dir, prefix):
    images = read_idx(f"{data_dir}/{prefix}-images-idx3-ubyte", 0x803)
    labels = read_idx(f"{data_dir}/{prefix}-labels-idx1-ubyte", 0x801)
    return images.reshape(len(images), 784).astype(np.float64) / 255.0, labels.astype(np.int64)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def main():
    data_dir, epochs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    eta = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0
    sizes, batch = [784, 16, 16, 10], 10
    train_x, train_y = load(data_dir, "train")
    test_x, test_y = load(data_dir, "t10k")
    targets = np.eye(10)[train_y]  # one-hot rows, built once so the loop only indexes

    rng = np.random.default_rng(seed)
    # Rows are examples, so W is stored (fan_in, fan_out) and a layer is A @ W + b.
    weights = [rng.standard_normal((n_in, n_out)) / np.sqrt(n_in) for n_in, n_out in zip(sizes, sizes[1:])]
    biases = [rng.standard_normal(n_out) for n_out in sizes[1:]]

    n = len(train_x)
    epoch_seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(n)
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            activations = [train_x[idx]]
            for w, b in zip(weights, biases):
                activations.append(sigmoid(activations[-1] @ w + b))
            a = activations[-1]
            delta = 2.0 * (a - targets[idx]) * a * (1.0 - a)
            step = eta / len(idx)
            for layer in range(len(weights) - 1, -1, -1):
                grad_w = activations[layer].T @ delta
                grad_b = delta.sum(axis=0)
                if layer > 0:
                    prev = activations[layer]
                    delta = (delta @ weights[layer].T) * prev * (1.0 - prev)
                weights[layer] -= step * grad_w
                biases[layer] -= step * grad_b
        epoch_seconds.append(time.perf_counter() - start)

    a = test_x
    for w, b in zip(weights, biases):
        a = sigmoid(a @ w + b)
    accuracy = float(np.mean(a.argmax(axis=1) == test_y))
    print(json.dumps({
        "examples_per_second": n * epochs / sum(epoch_seconds),
        "epoch_seconds": epoch_seconds,
        "accuracy": accuracy,
    }))


if __name__ == "__main__":
    main()
