// The fast trainer's layer kernels as WebAssembly SIMD, assembled to bytes here, from
// this file, when a workspace is made: no compiler, no binary in the repository.
//
// Each layer's weights live in kernels of their own. The input layer holds 12,544 of
// 784-16-16-10's 12,960 weights, so its two products (z = W x + b forward, and the
// weight gradient backward) are most of the arithmetic; the hidden layers' small products
// run in the same kernels because in TypeScript they still took a fifth of a step
// (TypeScript keeps the deltas between layers and everything else: fastnet.ts).
//
// Why WebAssembly: V8 compiles JavaScript arithmetic to one float64 operation at a time.
// WebAssembly's f64x2 instructions do two, with no bounds check per element. Each lane
// is an ordinary IEEE float64 multiply or add, never fused (WebAssembly forbids
// contracting a * b + c), so every output here is computed by the same operations, in
// the same order, as fastnet.ts's readable kernels and the course's reference backprop:
// bit for bit the same numbers (test/fastnet-exact.test.ts).
//
// Everything a kernel loops over (layer sizes, batch size) is a constant baked into the
// code, so one module is assembled per shape and cached.

// ---------------------------------------------------------------------------------
// A minimal assembler: only the instructions the kernels below use.

type Bytes = number[];

function uleb(n: number): Bytes {
  const out: Bytes = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): Bytes {
  const out: Bytes = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;

const simd = (op: number, ...rest: Bytes): Bytes => [0xfd, ...uleb(op), ...rest];
/** A memory operand: log2 of the alignment promised, then the constant offset added to the address. */
const mem = (align: number, offset: number): Bytes => [align, ...uleb(offset)];

const op = {
  get: (i: number): Bytes => [0x20, ...uleb(i)],
  set: (i: number): Bytes => [0x21, ...uleb(i)],
  i32: (n: number): Bytes => [0x41, ...sleb(n)],
  f64: (x: number): Bytes => [0x44, ...new Uint8Array(Float64Array.of(x).buffer)],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32LtU: [0x49],
  eqz: [0x45],
  i32GeU: [0x4f],
  i32And: [0x71],
  i32Load: (offset: number): Bytes => [0x28, ...mem(2, offset)],
  f64Load: (offset: number): Bytes => [0x2b, ...mem(3, offset)],
  f64Store: (offset: number): Bytes => [0x39, ...mem(3, offset)],
  f64Add: [0xa0],
  f64Sub: [0xa1],
  f64Mul: [0xa2],
  vLoad: (offset: number): Bytes => simd(0x00, ...mem(3, offset)),
  vStore: (offset: number): Bytes => simd(0x0b, ...mem(3, offset)),
  vLoadSplat: (offset: number): Bytes => simd(0x0a, ...mem(3, offset)),
  vLoadLane: (offset: number, lane: number): Bytes => simd(0x57, ...mem(3, offset), lane),
  vStoreLane: (offset: number, lane: number): Bytes => simd(0x5b, ...mem(3, offset), lane),
  vSplat: simd(0x14),
  vLane: (lane: number): Bytes => simd(0x21, lane),
  vZero: simd(0x0c, ...Array<number>(16).fill(0)),
  vOr: simd(0x50),
  vAnyTrue: simd(0x53),
  vAdd: simd(0xf0),
  vSub: simd(0xf1),
  vMul: simd(0xf2),
  brIf: (depth: number): Bytes => [0x0d, ...uleb(depth)],
  br: (depth: number): Bytes => [0x0c, ...uleb(depth)],
};

/** i = from; while (i < to) { body; i += step }, with `from`, `to` as code that leaves an i32. */
function loop(i: number, from: Bytes, to: Bytes, step: number, body: Bytes): Bytes {
  return [
    ...from, ...op.set(i),
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...op.get(i), ...to, ...op.i32GeU, ...op.brIf(1),
    ...body,
    ...op.get(i), ...op.i32(step), ...op.i32Add, ...op.set(i),
    ...op.br(0),
    0x0b, 0x0b, // end loop, end block
  ];
}

interface Func {
  name: string;
  params: number[];
  locals: number[];
  body: Bytes;
}

const vec = (items: Bytes[]): Bytes => [...uleb(items.length), ...items.flat()];
const str = (s: string): Bytes => vec([...Buffer.from(s, "utf8")].map((b) => [b]));
const section = (id: number, content: Bytes): Bytes => [id, ...uleb(content.length), ...content];

/**
 * A module importing its memory as env.memory and exporting `funcs` (no results). A shared
 * memory (`sharedPages`) must say so, with its size, in the import itself.
 */
function assemble(funcs: Func[], sharedPages?: number): Uint8Array {
  const limits = sharedPages === undefined ? [0x00, 0x00] : [0x03, ...uleb(sharedPages), ...uleb(sharedPages)];
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), 0]);
  const code = funcs.map((f) => {
    const body = [...vec(f.locals.map((t) => [1, t])), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec(types)),
    ...section(2, vec([[...str("env"), ...str("memory"), 0x02, ...limits]])),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(code)),
  ]);
}

// ---------------------------------------------------------------------------------
// A layer's kernels
//
// Lanes hold the two neurons of a row pair (2q, 2q+1): the kernels keep W and its
// gradient with each pair's rows interleaved, pair[q][k] = (W[2q][k], W[2q+1][k]), so one
// 16-byte load brings both, and each lane's sum runs over k (forward) or over the
// examples (gradient) in the reference's order. An odd last row is paired with a row
// of padding whose results are never stored.

/** Where each buffer sits in the kernels' memory, in bytes; every buffer 16-byte aligned. */
export interface Layout {
  fanIn: number;
  fanOut: number;
  batch: number;
  /** Examples are taken in pairs for the forward pass; an odd batch gets a padding example. */
  pairs: number;
  /** Pairs of rows (neurons): ceil(fanOut / 2). */
  rowPairs: number;
  /** Values per input row: fanIn rounded up to whole chunks of columns, the padding 0. */
  stride: number;
  weights: number;
  biases: number;
  input: number;
  z: number;
  delta: number;
  grad: number;
  pairRuns: number;
  pairRunEnds: number;
  batchRuns: number;
  /** Bytes from one input buffer to the next (a helper thread has two: it loads one while the other trains). */
  inputBytes: number;
  /** Forward passes never straddle this row pair (where two threads split the layer). */
  splitAt: number;
  bytes: number;
}

/** Columns tested for zeros at once when looking for runs to skip: 4 columns of 2 examples, 4 loads. */
const CHUNK = 4;

function layoutFor(fanIn: number, fanOut: number, batch: number, inputBuffers = 1, splitAt = Math.ceil(fanOut / 2)): Layout {
  const pairs = Math.ceil(batch / 2);
  const rowPairs = Math.ceil(fanOut / 2);
  const stride = Math.ceil(fanIn / CHUNK) * CHUNK;
  let at = 0;
  const take = (bytes: number): number => {
    const start = at;
    at += Math.ceil(bytes / 16) * 16;
    return start;
  };
  return {
    fanIn, fanOut, batch, pairs, rowPairs, stride,
    weights: take(16 * rowPairs * fanIn),
    biases: take(16 * rowPairs),
    input: take(8 * 2 * pairs * stride * inputBuffers),
    z: take(8 * 2 * pairs * fanOut),
    // one spare value: the padding lane of an odd last row pair reads one past the batch
    delta: take(8 * (batch * fanOut + 1)),
    grad: take(16 * rowPairs * fanIn),
    pairRuns: take(4 * pairs * (fanIn + 2)),
    pairRunEnds: take(4 * pairs),
    batchRuns: take(4 * (fanIn + 2)),
    inputBytes: 8 * 2 * pairs * stride,
    splitAt,
    bytes: at,
  };
}

/** Row pairs per pass of the forward kernel: two examples times this many pairs = 8 accumulators. */
const ROW_PAIRS_PER_PASS = 4;

/** Code leaving the byte offset of an i32 entry `index` (a local) of the table at `table`. */
const i32At = (index: number, table: number, plus = 0): Bytes => [...op.get(index), ...op.i32(2), ...op.i32Shl, ...op.i32Load(table + plus)];

/**
 * forward(pairs, from, to): z[b][j] = biases[j] + sum_k W[j][k] x[b][k], k ascending over
 * the runs of examples pair p, for the first `pairs` pairs: the lane of row j holds exactly
 * the reference's sequential sum. A padding example's z is computed and never read. Only
 * the passes whose first row pair is in [from, to) run: two threads can share a layer's
 * rows, split at L.splitAt, where no pass straddles. `base`: the input buffer, in bytes.
 */
function forwardKernel(L: Layout): Func {
  const [pairs, from, to, base] = [0, 1, 2, 3];
  const [p, t, tEnd, k8, kEnd8, x0, k16] = [4, 5, 6, 7, 8, 9, 10];
  const [xa, xb, w] = [11, 12, 13];
  const acc = 14; // acc + 2i: example 2p, acc + 2i + 1: example 2p + 1, for row pair i of the pass
  const passes: Bytes = [];
  const starts: number[] = [];
  for (let q = 0; q < L.splitAt; q += ROW_PAIRS_PER_PASS) starts.push(q);
  for (let q = L.splitAt; q < L.rowPairs; q += ROW_PAIRS_PER_PASS) starts.push(q);
  for (const first of starts) {
    const count = Math.min(ROW_PAIRS_PER_PASS, (first < L.splitAt ? L.splitAt : L.rowPairs) - first);
    const init: Bytes = [];
    const step: Bytes = [
      ...op.get(x0), ...op.get(k8), ...op.i32Add, ...op.vLoadSplat(L.input), ...op.set(xa),
      ...op.get(x0), ...op.get(k8), ...op.i32Add, ...op.vLoadSplat(L.input + 8 * L.stride), ...op.set(xb),
    ];
    const store: Bytes = [];
    for (let i = 0; i < count; i++) {
      const q = first + i;
      init.push(...op.i32(0), ...op.vLoad(L.biases + 16 * q), ...op.set(acc + 2 * i));
      init.push(...op.i32(0), ...op.vLoad(L.biases + 16 * q), ...op.set(acc + 2 * i + 1));
      step.push(
        ...op.get(k16), ...op.vLoad(L.weights + 16 * q * L.fanIn), ...op.set(w),
        ...op.get(acc + 2 * i), ...op.get(w), ...op.get(xa), ...op.vMul, ...op.vAdd, ...op.set(acc + 2 * i),
        ...op.get(acc + 2 * i + 1), ...op.get(w), ...op.get(xb), ...op.vMul, ...op.vAdd, ...op.set(acc + 2 * i + 1),
      );
      const whole = 2 * q + 1 < L.fanOut;
      for (const example of [0, 1]) {
        // z row 2p + example starts at p * 2 * fanOut * 8 + example * fanOut * 8.
        const at = L.z + 8 * (example * L.fanOut + 2 * q);
        store.push(...op.get(p), ...op.i32(16 * L.fanOut), ...op.i32Mul, ...op.get(acc + 2 * i + example), ...(whole ? op.vStore(at) : op.vStoreLane(at, 0)));
      }
    }
    const runs = loop(t, [...op.get(p), ...op.i32(L.fanIn + 2), ...op.i32Mul], op.get(tEnd), 2, [
      ...i32At(t, L.pairRuns, 4), ...op.i32(3), ...op.i32Shl, ...op.set(kEnd8),
      ...loop(k8, [...i32At(t, L.pairRuns), ...op.i32(3), ...op.i32Shl], op.get(kEnd8), 8, [
        ...op.get(k8), ...op.i32(1), ...op.i32Shl, ...op.set(k16),
        ...step,
      ]),
    ]);
    const wanted = [...op.i32(first), ...op.get(from), ...op.i32GeU, ...op.i32(first), ...op.get(to), ...op.i32LtU, ...op.i32And];
    passes.push(...wanted, 0x04, 0x40 /* if */, ...init, ...runs, ...store, 0x0b);
  }
  const body = loop(p, op.i32(0), op.get(pairs), 1, [
    ...op.get(p), ...op.i32(16 * L.stride), ...op.i32Mul, ...op.get(base), ...op.i32Add, ...op.set(x0),
    ...i32At(p, L.pairRunEnds), ...op.set(tEnd),
    ...passes,
  ]);
  return { name: "forward", params: [I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32, I32, I32, V128, V128, V128, ...Array<number>(2 * ROW_PAIRS_PER_PASS).fill(V128)], body };
}

/**
 * The weight gradient over the batch's runs of columns; columns outside them (every
 * example's x is 0 there) get +0. grad[j][k] = sum_b delta[b][j] x[b][k], b ascending
 * from the first example's product (no 0 + first, which would turn -0 into +0).
 * gradient(runs) for a whole batch keeps the batch's deltas in registers;
 * gradientOf(runs, m), for an epoch's short last batch, loads them as it goes.
 */
function gradientKernel(L: Layout, short: boolean, fused = false): Func {
  // fused (training's whole batches): params runCount, m (unused), keep, step, from, to,
  // inputBase; each column's sum goes straight into the update W = keep * W - step * grad
  // instead of into grad, for the row pairs [from, to) (two threads can share a layer's
  // rows), reading the batch from the input buffer at inputBase (bytes). The others read
  // every row pair from the first input buffer.
  const P = fused ? 7 : 2;
  const [runCount, m, keep, step, from, to, inputBase] = [0, 1, 2, 3, 4, 5, 6];
  const [q, t, k8, e8, row, prev, b, kx] = [P, P + 1, P + 2, P + 3, P + 4, P + 5, P + 6, P + 7];
  const acc = P + 8;
  const [vKeep, vStep] = [P + 9, P + 10];
  const d = fused ? P + 11 : P + 9; // whole batch: d + b holds (delta[b][2q], delta[b][2q + 1])
  const at = (k: number): Bytes => [...op.get(row), ...op.get(k), ...op.i32(1), ...op.i32Shl, ...op.i32Add]; // grad pair q, column k
  // The sum of a column (code leaving a vector) stored as the gradient, or applied to the weights.
  const put = (k: number, sum: Bytes): Bytes =>
    fused
      ? [...at(k), ...op.get(vKeep), ...at(k), ...op.vLoad(L.weights), ...op.vMul, ...op.get(vStep), ...sum, ...op.vMul, ...op.vSub, ...op.vStore(L.weights)]
      : [...at(k), ...sum, ...op.vStore(L.grad)];
  const zeroUpTo = (end: Bytes): Bytes => loop(prev, op.get(prev), end, 8, put(prev, op.vZero));
  const deltaPair = (example: Bytes): Bytes => [...example, ...op.i32(L.fanOut), ...op.i32Mul, ...op.get(q), ...op.i32(1), ...op.i32Shl, ...op.i32Add, ...op.i32(3), ...op.i32Shl, ...op.vLoad(L.delta)];
  const x = (example: number): Bytes => [...op.get(kx), ...op.vLoadSplat(L.input + 8 * example * L.stride)];
  const columnX: Bytes = fused ? [...op.get(k8), ...op.get(inputBase), ...op.i32Add, ...op.set(kx)] : [...op.get(k8), ...op.set(kx)];
  let column: Bytes;
  const setup: Bytes = [];
  if (short) {
    column = [
      ...deltaPair(op.i32(0)), ...x(0), ...op.vMul, ...op.set(acc),
      ...loop(b, op.i32(1), op.get(m), 1, [
        ...op.get(acc), ...deltaPair(op.get(b)),
        ...op.get(b), ...op.i32(8 * L.stride), ...op.i32Mul, ...op.get(kx), ...op.i32Add, ...op.vLoadSplat(L.input),
        ...op.vMul, ...op.vAdd, ...op.set(acc),
      ]),
      ...put(k8, op.get(acc)),
    ];
  } else {
    for (let e = 0; e < L.batch; e++) setup.push(...deltaPair(op.i32(e)), ...op.set(d + e));
    const sum: Bytes = [];
    for (let e = 0; e < L.batch; e++) sum.push(...op.get(d + e), ...x(e), ...op.vMul, ...(e > 0 ? op.vAdd : []));
    column = put(k8, sum);
  }
  const body = loop(q, fused ? op.get(from) : op.i32(0), fused ? op.get(to) : op.i32(L.rowPairs), 1, [
    ...(fused ? [...op.get(keep), ...op.vSplat, ...op.set(vKeep), ...op.get(step), ...op.vSplat, ...op.set(vStep)] : []),
    ...setup,
    ...op.get(q), ...op.i32(16 * L.fanIn), ...op.i32Mul, ...op.set(row),
    ...op.i32(0), ...op.set(prev),
    ...loop(t, op.i32(0), op.get(runCount), 2, [
      ...i32At(t, L.batchRuns), ...op.i32(3), ...op.i32Shl, ...op.set(k8),
      ...i32At(t, L.batchRuns, 4), ...op.i32(3), ...op.i32Shl, ...op.set(e8),
      ...zeroUpTo(op.get(k8)),
      ...loop(k8, op.get(k8), op.get(e8), 8, [...columnX, ...column]),
      ...op.get(e8), ...op.set(prev),
    ]),
    ...zeroUpTo(op.i32(8 * L.fanIn)),
  ]);
  return {
    name: fused ? "gradientStep" : short ? "gradientOf" : "gradient",
    params: fused ? [I32, I32, F64, F64, I32, I32, I32] : [I32, I32],
    locals: [I32, I32, I32, I32, I32, I32, I32, I32, V128, ...(fused ? [V128, V128] : []), ...(short ? [] : Array<number>(L.batch).fill(V128))],
    body,
  };
}

/**
 * findRuns(m): for each pair of the first m examples (an odd last one paired with itself),
 * the runs [start, end) of columns where either is not 0, into pairRuns and pairRunEnds,
 * in whole chunks of CHUNK columns (a chunk with one non-zero value is kept whole: its
 * zeros add w * 0, nothing), so each test is 4 vector loads and no branch per column.
 */
function findRunsKernel(L: Layout): Func {
  const [m, base, p, x0, x1, k8, t] = [0, 1, 2, 3, 4, 5, 6]; // base: the input buffer, in bytes
  const end8 = op.i32(8 * L.stride);
  // The chunk's 4 columns are two vectors per example: OR all four, test for any bit set.
  const nonzero: Bytes = ([[x0, 0], [x0, 16], [x1, 0], [x1, 16]] as const).flatMap(([x, offset], i) => [
    ...op.get(x), ...op.get(k8), ...op.i32Add, ...op.vLoad(L.input + offset), ...(i > 0 ? op.vOr : []),
  ]);
  nonzero.push(...op.vAnyTrue); // any bit set: -0 counts as non-zero, which only means it is computed
  // A run's end never reaches into the padding columns, whose weights do not exist.
  const record = (clamp: boolean): Bytes => [
    ...op.get(t), ...op.i32(2), ...op.i32Shl,
    ...(clamp ? [...op.get(k8), ...op.i32(8 * L.fanIn), ...op.get(k8), ...op.i32(8 * L.fanIn), ...op.i32LtU, 0x1b /* select */] : op.get(k8)),
    ...op.i32(3), 0x76 /* i32.shr_u */, 0x36, ...mem(2, L.pairRuns), // i32.store
    ...op.get(t), ...op.i32(1), ...op.i32Add, ...op.set(t),
  ];
  const next: Bytes = [...op.get(k8), ...op.i32(8 * CHUNK), ...op.i32Add, ...op.set(k8)];
  const body = loop(p, op.i32(0), [...op.get(m), ...op.i32(1), ...op.i32Add, ...op.i32(1), 0x76], 1, [
    ...op.get(p), ...op.i32(16 * L.stride), ...op.i32Mul, ...op.get(base), ...op.i32Add, ...op.set(x0),
    // the second example, or the first again when it is the odd last one
    ...op.get(x0), ...op.i32(8 * L.stride), ...op.i32Add, ...op.get(x0),
    ...op.get(p), ...op.i32(1), ...op.i32Shl, ...op.i32(1), ...op.i32Add, ...op.get(m), 0x48 /* i32.lt_s */, 0x1b /* select */, ...op.set(x1),
    ...op.get(p), ...op.i32(L.fanIn + 2), ...op.i32Mul, ...op.set(t),
    ...op.i32(0), ...op.set(k8),
    0x02, 0x40, 0x03, 0x40, // block $done, loop $run
    0x02, 0x40, 0x03, 0x40, // block $found, loop $skip: past the zero chunks
    ...op.get(k8), ...end8, ...op.i32GeU, ...op.brIf(3),
    ...nonzero, ...op.brIf(1),
    ...next, ...op.br(0),
    0x0b, 0x0b,
    ...record(false),
    0x02, 0x40, 0x03, 0x40, // block $end, loop $inRun: past the non-zero chunks
    ...op.get(k8), ...end8, ...op.i32GeU, ...op.brIf(1),
    ...nonzero, ...op.eqz, ...op.brIf(1),
    ...next, ...op.br(0),
    0x0b, 0x0b,
    ...record(true),
    ...op.br(0),
    0x0b, 0x0b,
    ...op.get(p), ...op.i32(2), ...op.i32Shl, ...op.get(t), 0x36, ...mem(2, L.pairRunEnds),
  ]);
  return { name: "findRuns", params: [I32, I32], locals: [I32, I32, I32, I32, I32], body };
}

/** update(keep, step): W = keep * W - step * grad, two weights at a time (the same formula as fastnet's applyGradients). */
function updateKernel(L: Layout): Func {
  const [keep, step, i, vKeep, vStep] = [0, 1, 2, 3, 4];
  return {
    name: "update",
    params: [F64, F64],
    locals: [I32, V128, V128],
    body: [
      ...op.get(keep), ...op.vSplat, ...op.set(vKeep),
      ...op.get(step), ...op.vSplat, ...op.set(vStep),
      ...loop(i, op.i32(0), op.i32(16 * L.rowPairs * L.fanIn), 16, [
        ...op.get(i),
        ...op.get(vKeep), ...op.get(i), ...op.vLoad(L.weights), ...op.vMul,
        ...op.get(vStep), ...op.get(i), ...op.vLoad(L.grad), ...op.vMul,
        ...op.vSub,
        ...op.vStore(L.weights),
      ]),
    ],
  };
}

/** Row j's values, from the interleaved layout, into out[j*fanIn ..] (or the reverse with `into` false). */
function interleave(pairsOfRows: Float64Array, rows: Float64Array, fanIn: number, fanOut: number, toPairs: boolean): void {
  for (let j = 0; j < fanOut; j++) {
    const base = (j >> 1) * 2 * fanIn + (j & 1);
    const r = j * fanIn;
    if (toPairs) for (let k = 0; k < fanIn; k++) pairsOfRows[base + 2 * k] = rows[r + k];
    else for (let k = 0; k < fanIn; k++) rows[r + k] = pairsOfRows[base + 2 * k];
  }
}

export interface LayerKernels {
  readonly fanIn: number;
  readonly fanOut: number;
  readonly batch: number;
  /** The weights, each pair of rows interleaved: W[j][k] at (j >> 1) * 2 * fanIn + 2 * k + (j & 1). */
  readonly weights: Float64Array;
  /** The biases (one per neuron, plus padding). */
  readonly biases: Float64Array;
  /** Example b at [b*inputStride, b*inputStride + fanIn); the rest of each row stays 0. */
  readonly input: Float64Array;
  readonly inputStride: number;
  /** z of example b at [b*fanOut, ...). */
  readonly z: Float64Array;
  readonly delta: Float64Array;
  /** Runs [start, end) of columns per pair of examples p: from p*(fanIn+2) up to pairRunEnds[p]. */
  readonly pairRuns: Int32Array;
  readonly pairRunEnds: Int32Array;
  /** Runs [start, end) of columns for the whole batch: the first runCount entries. */
  readonly batchRuns: Int32Array;
  /** Copies weights in fastnet's layout (row j = neuron j) into the kernels' memory. */
  setWeights(rows: Float64Array): void;
  /** Copies the kernels' weights out, in fastnet's layout. */
  getWeights(rows: Float64Array): void;
  /** Copies the last weight gradient out, in fastnet's layout. */
  getGradient(rows: Float64Array): void;
  /** Row pairs (neurons 2q, 2q + 1): ceil(fanOut / 2). */
  readonly rowPairs: number;
  /**
   * z for the first `pairs` pairs of examples (pairs = ceil(m / 2)); with a range, only
   * for the row pairs [from, to), which must start and end where a forward pass does
   * (0, the split point the kernels were made for, or rowPairs).
   */
  forward(pairs: number, from?: number, to?: number): void;
  /** The weight gradient of a whole batch, over batchRuns[0 .. runCount). */
  gradient(runCount: number): void;
  /** The weight gradient of the first m examples only (m < batch). */
  gradientOf(runCount: number, m: number): void;
  /**
   * gradient(runCount) then update(keep, step) in one pass, the gradient never stored (training
   * uses it: once the deltas below are computed, a step reads nothing else of the layer).
   */
  gradientStep(runCount: number, keep: number, step: number, from?: number, to?: number): void;
  update(keep: number, step: number): void;
  /** Where each buffer sits in the kernels' memory (the same for every kernels of this shape). */
  readonly layout: Layout;
  /** For a helper thread (shared memory only): the module and memory to run the same kernels on. */
  readonly shared?: { module: WasmModule; memory: WasmMemory };
  /** pairRuns and pairRunEnds for the first m examples: where either example of a pair is not 0. */
  findRuns(m: number): void;
}

// The few WebAssembly APIs used, typed here: the project's TypeScript libs hold no
// WebAssembly declarations, and the grader's sandbox removes the global altogether.
export interface WasmModule {
  readonly kind?: "module";
}
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface Wasm {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The kernels' exports, as a helper thread calls them too (threads.ts). */
export interface KernelExports {
  forward(pairs: number, from: number, to: number, inputBase: number): void;
  gradient(runCount: number, unused: number): void;
  gradientOf(runCount: number, m: number): void;
  gradientStep(runCount: number, unused: number, keep: number, step: number, from: number, to: number, inputBase: number): void;
  update(keep: number, step: number): void;
  findRuns(m: number, inputBase: number): void;
}
const wasm = (globalThis as { WebAssembly?: Wasm }).WebAssembly;

const modules = new Map<string, WasmModule>();

/** Whether this JavaScript engine runs WebAssembly SIMD (Node 16.4 and later do). */
export const simdAvailable: boolean = (() => {
  try {
    return wasm !== undefined && wasm.validate(assemble([updateKernel(layoutFor(2, 1, 1))]));
  } catch {
    return false;
  }
})();

/**
 * Kernels for a layer of fanIn -> fanOut neurons and batches of up to `batch` examples, in
 * their own memory; with `split`, a SharedArrayBuffer memory that a helper thread can run
 * the same kernels on, the layer's row pairs split at `split.at` between them, and room
 * for a second input buffer (see threads.ts).
 */
export function layerKernels(fanIn: number, fanOut: number, batch: number, split?: { at: number }): LayerKernels {
  if (!wasm || !simdAvailable) throw new Error("this JavaScript engine has no WebAssembly SIMD");
  const shared = split !== undefined;
  const L = layoutFor(fanIn, fanOut, batch, shared ? 2 : 1, split?.at);
  const pages = Math.ceil(L.bytes / 65536) || 1;
  const key = `${fanIn}-${fanOut}-${batch}${shared ? `-shared-${split.at}` : ""}`;
  let module = modules.get(key);
  if (!module) {
    const funcs = [forwardKernel(L), gradientKernel(L, false), gradientKernel(L, true), gradientKernel(L, false, true), updateKernel(L), findRunsKernel(L)];
    module = new wasm.Module(assemble(funcs, shared ? pages : undefined));
    modules.set(key, module);
  }
  const memory = new wasm.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
  const kernels = new wasm.Instance(module, { env: { memory } }).exports as KernelExports;
  const f64 = (at: number, n: number): Float64Array => new Float64Array(memory.buffer, at, n);
  const i32 = (at: number, n: number): Int32Array => new Int32Array(memory.buffer, at, n);
  const weights = f64(L.weights, 2 * L.rowPairs * fanIn);
  const grad = f64(L.grad, 2 * L.rowPairs * fanIn);
  return {
    fanIn, fanOut, batch,
    weights,
    biases: f64(L.biases, 2 * L.rowPairs),
    input: f64(L.input, 2 * L.pairs * L.stride),
    inputStride: L.stride,
    z: f64(L.z, 2 * L.pairs * fanOut),
    delta: f64(L.delta, batch * fanOut + 1),
    pairRuns: i32(L.pairRuns, L.pairs * (fanIn + 2)),
    pairRunEnds: i32(L.pairRunEnds, L.pairs),
    batchRuns: i32(L.batchRuns, fanIn + 2),
    setWeights: (rows) => interleave(weights, rows, fanIn, fanOut, true),
    getWeights: (rows) => interleave(weights, rows, fanIn, fanOut, false),
    getGradient: (rows) => interleave(grad, rows, fanIn, fanOut, false),
    rowPairs: L.rowPairs,
    forward: (pairs, from = 0, to = L.rowPairs) => kernels.forward(pairs, from, to, 0),
    gradient: (runCount) => kernels.gradient(runCount, batch),
    gradientOf: kernels.gradientOf,
    gradientStep: (runCount, keep, step, from = 0, to = L.rowPairs) => kernels.gradientStep(runCount, batch, keep, step, from, to, 0),
    update: kernels.update,
    findRuns: (m) => kernels.findRuns(m, 0),
    layout: L,
    shared: shared ? { module, memory } : undefined,
  };
}
