// The one seeded random stream behind init, dropout and shuffling, and the random tensors.
//
// The generator is Philox4x32-10, counter-based (assembly/kernels/random.ts has the formula): a draw
// is fixed by a 64-bit key and the 64-bit counter where it starts, so the same seed gives the same
// bits in every runtime. The global stream keys Philox with the seed and hands each draw a fresh
// counter range; a draw given its own `seed` uses that seed as key from counter 0 instead and leaves
// the global stream untouched. Without setSeed() the seed is DEFAULT_SEED, so runs are reproducible
// by default too.
import { record, recording } from './autograd';
import { Tensor, Shape, TensorLike, checkShape, toTensor, shapeStr } from './tensor';
import { heapI32, k, malloc } from './wasm';

export const DEFAULT_SEED = 0;
const TWO_POW_32 = 4294967296;

let seed = DEFAULT_SEED;
let key: [number, number] = keyOf(DEFAULT_SEED);
let counter = 0;

/** Where a draw reads the stream: Philox key and starting counter, split into u32 halves for wasm. */
export interface Draw { k0: number; k1: number; ctrLo: number; ctrHi: number }

function keyOf(s: number): [number, number] {
  const lo = ((s % TWO_POW_32) + TWO_POW_32) % TWO_POW_32;
  return [lo, (Math.floor(s / TWO_POW_32) % TWO_POW_32) >>> 0];
}

function checkSeed(s: unknown, where: string): number {
  if (typeof s !== 'number' || !Number.isSafeInteger(s)) {
    throw new Error(`${where}: seed must be an integer (got ${typeof s === 'number' ? s : typeof s})`);
  }
  return s;
}

/** Restarts the global stream: every later random draw (init, dropout, shuffle) follows `s`. */
export function setSeed(s: number): void {
  seed = checkSeed(s, 'setSeed');
  key = keyOf(seed);
  counter = 0;
}

/** The seed the global stream was last started with. */
export function getSeed(): number { return seed; }

function drawAt(streamKey: [number, number], at: number): Draw {
  return { k0: streamKey[0], k1: streamKey[1], ctrLo: at % TWO_POW_32, ctrHi: Math.floor(at / TWO_POW_32) };
}
/** Positions a draw of n takes: a multiple of 4, so every draw starts on a Philox block (the kernels' SIMD path). */
const blockRounded = (n: number) => Math.ceil(n / 4) * 4;

/**
 * A stream of its own, keyed by a seed and moving on with every draw, apart from the global one:
 * what a layer's `seed` option gives (Keras 3's SeedGenerator): the same masks for the same seed
 * whatever setSeed says, and a fresh mask on every call.
 */
export class SeedStream {
  private readonly key: [number, number];
  private counter = 0;
  constructor(readonly seed: number, where: string) { this.key = keyOf(checkSeed(seed, where)); }
  next(n: number): Draw {
    const d = drawAt(this.key, this.counter);
    this.counter += blockRounded(n);
    return d;
  }
}

/**
 * Reserves n stream positions. With a `drawSeed` the draw is keyed by it from counter 0 (and the
 * global stream does not move); with a SeedStream it takes that stream's next positions; otherwise
 * the global stream's.
 */
export function nextDraw(n: number, drawSeed?: number | SeedStream | null, where = 'random'): Draw {
  if (drawSeed instanceof SeedStream) return drawSeed.next(n);
  if (drawSeed !== undefined && drawSeed !== null) {
    const [k0, k1] = keyOf(checkSeed(drawSeed, where));
    return { k0, k1, ctrLo: 0, ctrHi: 0 };
  }
  const d = drawAt(key, counter);
  counter += blockRounded(n);
  return d;
}

function checkFinite(v: number, what: string, where: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${where}: ${what} must be a finite number (got ${v})`);
}

// In-place fills, shared by the public draws and the initializers.

export function fillUniform(t: Tensor, minval: number, maxval: number, drawSeed?: number | null, where = 'randomUniform'): void {
  checkFinite(minval, 'minval', where);
  checkFinite(maxval, 'maxval', where);
  if (!(minval <= maxval)) throw new Error(`${where}: minval must not exceed maxval (got ${minval} and ${maxval})`);
  const d = nextDraw(t.size, drawSeed, where);
  k().random_uniform_f32(t.ptr, t.size, d.k0, d.k1, d.ctrLo, d.ctrHi, minval, maxval);
}

function checkNormal(mean: number, stddev: number, where: string): void {
  checkFinite(mean, 'mean', where);
  checkFinite(stddev, 'stddev', where);
  if (stddev < 0) throw new Error(`${where}: stddev must be >= 0 (got ${stddev})`);
}

export function fillNormal(t: Tensor, mean: number, stddev: number, drawSeed?: number | null, where = 'randomNormal'): void {
  checkNormal(mean, stddev, where);
  const d = nextDraw(t.size, drawSeed, where);
  k().random_normal_f32(t.ptr, t.size, d.k0, d.k1, d.ctrLo, d.ctrHi, mean, stddev);
}

/** Normal draws, each beyond 2 standard deviations from the mean redrawn. */
export function fillTruncatedNormal(t: Tensor, mean: number, stddev: number, drawSeed?: number | null, where = 'truncatedNormal'): void {
  checkNormal(mean, stddev, where);
  const d = nextDraw(t.size, drawSeed, where);
  k().truncated_normal_f32(t.ptr, t.size, d.k0, d.k1, d.ctrLo, d.ctrHi, mean, stddev);
}

function drawTensor(shape: Shape, where: string, fill: (t: Tensor) => void): Tensor {
  checkShape(shape, where);
  const t = Tensor.empty(shape);
  try { fill(t); } catch (e) { t.dispose(); throw e; }
  return t;
}

export interface UniformOptions { minval?: number; maxval?: number; seed?: number | null }
export interface NormalOptions { mean?: number; stddev?: number; seed?: number | null }

/** Uniform values in [minval, maxval) (default [0, 1)). */
export function randomUniform(shape: Shape, { minval = 0, maxval = 1, seed: s }: UniformOptions = {}): Tensor {
  return drawTensor(shape, 'randomUniform', (t) => fillUniform(t, minval, maxval, s));
}

/** Normal values (default mean 0, stddev 1). */
export function randomNormal(shape: Shape, { mean = 0, stddev = 1, seed: s }: NormalOptions = {}): Tensor {
  return drawTensor(shape, 'randomNormal', (t) => fillNormal(t, mean, stddev, s));
}

/** Normal values with those beyond 2 stddev of the mean redrawn (as tf.truncatedNormal). */
export function truncatedNormal(shape: Shape, { mean = 0, stddev = 1, seed: s }: NormalOptions = {}): Tensor {
  return drawTensor(shape, 'truncatedNormal', (t) => fillTruncatedNormal(t, mean, stddev, s));
}

/** Copies small int arrays into wasm for one kernel call. */
function withIntBuffer<T>(n: number, fn: (ptr: number) => T): T {
  const ptr = malloc(n * 4);
  try { return fn(ptr); } finally { k().free(ptr); }
}

/** One-hot rows: [labels.length, depth], 1 at each label's column. */
export function oneHot(labels: Int32Array | readonly number[], depth: number): Tensor {
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`oneHot: depth must be a positive integer (got ${depth})`);
  if (!(labels instanceof Int32Array) && !Array.isArray(labels)) {
    throw new Error('oneHot: labels must be an Int32Array or an array of integers');
  }
  const badLabel = (i: number) => new Error(`oneHot: label ${labels[i]} at index ${i} is ` +
    `${Number.isInteger(labels[i]) ? 'outside' : 'not an integer in'} [0, ${depth})`);
  if (Array.isArray(labels)) {
    // checked here: copying into an Int32Array would truncate 1.5 to 1 and wrap 2³² to 0
    const i = labels.findIndex((v) => !(Number.isInteger(v) && v >= 0 && v < depth));
    if (i >= 0) throw badLabel(i);
  }
  const n = labels.length;
  const y = Tensor.empty([n, depth]);
  const bad = withIntBuffer(n, (ptr) => {
    heapI32().set(labels, ptr >>> 2);
    return k().one_hot_f32(y.ptr, ptr, n, depth) as number;
  });
  if (bad >= 0) {
    y.dispose();
    throw badLabel(bad);
  }
  return y;
}

/** A seeded random permutation of 0..n-1 (Fisher–Yates in wasm), e.g. for shuffling batches. */
export function shuffledIndices(n: number, drawSeed?: number | null): Int32Array {
  if (!Number.isInteger(n) || n < 0) throw new Error(`shuffledIndices: n must be a non-negative integer (got ${n})`);
  const d = nextDraw(Math.max(n - 1, 0), drawSeed, 'shuffledIndices');
  return withIntBuffer(n, (ptr) => {
    k().shuffle_indices_i32(ptr, n, d.k0, d.k1, d.ctrLo, d.ctrHi);
    return heapI32().slice(ptr >>> 2, (ptr >>> 2) + n);
  });
}

/**
 * Inverted dropout: each element is zeroed with probability `rate`, the rest scaled by 1/(1-rate)
 * so the expectation is unchanged. Differentiable; the mask drawn here is the one the backward uses.
 */
export function dropout(xIn: TensorLike, rate: number, seedArg?: number | SeedStream | null): Tensor {
  const { t: x } = toTensor(xIn, 'dropout');
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new Error(`dropout: rate must be in [0, 1) (got ${rate}) for input ${shapeStr(x.shape)}`);
  }
  const d = nextDraw(x.size, seedArg, 'dropout');
  const y = Tensor.empty(x.shape);
  const mask = recording() && x.requiresGrad ? Tensor.empty(x.shape) : null;
  k().dropout_mask_forward(y.ptr, mask ? mask.ptr : 0, x.ptr, x.size, rate, d.k0, d.k1, d.ctrLo, d.ctrHi);
  if (!mask) return y;
  return record([x], y, (dy, [dx]) => {
    if (dx) k().dropout_backward(dx.ptr, dy.ptr, mask.ptr, dx.size);
  });
}
