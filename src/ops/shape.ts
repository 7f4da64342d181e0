// Shape ops: reshape, squeeze, expandDims, transpose, slice, concat, gather. reshape (and squeeze and
// expandDims, which call it) is a view with no copy; the others copy into a fresh tensor
// (copy_strided_f32 for the strided ones). Each backward adds the gradient back into its input.
import { record } from '../autograd';
import { Tensor, Shape, shapeStr, sizeOf, TensorLike, toTensor } from '../tensor';
import { k, malloc, heapI32 } from '../wasm';
import { withInts } from './scratch';

/** Row-major strides of a shape, in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) { s[d] = acc; acc *= shape[d]; }
  return s;
}

/**
 * fn(x) with x as a tensor. One made here from an array or number is freed when fn returns or
 * throws: the data-movement ops copy their input and their backward never reads it.
 */
export function withInput<T>(xIn: TensorLike, op: string, fn: (x: Tensor) => T): T {
  const { t, made } = toTensor(xIn, op);
  try {
    return fn(t);
  } finally {
    if (made) t.dispose();
  }
}

/** The same for a list of inputs (concat, stack). */
export function withInputs<T>(xsIn: TensorLike[], op: string, fn: (xs: Tensor[]) => T): T {
  const made: Tensor[] = [];
  try {
    return fn(xsIn.map((x) => { const r = toTensor(x, op); if (r.made) made.push(r.t); return r.t; }));
  } finally {
    for (const t of made) t.dispose();
  }
}

/** Resolves a possibly negative axis against a rank; throws naming the op otherwise. */
export function normalizeAxis(axis: number, rank: number, op: string): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new Error(`${op}: axis ${axis} is out of range for rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * dst (=|+=) src over `shape`, with arbitrary element strides on both sides (offsets in elements).
 * Rank 0 is treated as one element.
 */
export function copyStrided(dst: Tensor, dstOffset: number, dstStride: number[], src: Tensor, srcOffset: number,
                     srcStride: number[], shape: number[], accumulate: boolean): void {
  if (sizeOf(shape) === 0) return;
  if (shape.length === 0) { shape = [1]; dstStride = [1]; srcStride = [1]; }
  const rank = shape.length;
  withInts([shape, dstStride, srcStride, new Array(rank).fill(0)], (sp, ds, ss, idx) =>
    k().copy_strided_f32(dst.ptr + dstOffset * 4, src.ptr + srcOffset * 4, rank, sp, ds, ss, idx, accumulate ? 1 : 0));
}

/**
 * reshape(x, shape): the same elements in a new shape; one dimension may be -1 (inferred). The
 * result is a view sharing x's memory (as tf.reshape shares its data): either can be disposed
 * first; the memory is freed with the last of them. Writing into one is seen through the other.
 */
export function reshape(xIn: TensorLike, shape: Shape): Tensor {
  return withInput(xIn, 'reshape', (x) => {
    const out = shape.slice();
    const unknown = out.indexOf(-1);
    if (out.some((d, i) => !(Number.isInteger(d) && (d >= 0 || (d === -1 && i === unknown))))) {
      throw new Error(`reshape: invalid target shape ${shapeStr(shape)} (at most one -1, others non-negative integers)`);
    }
    if (unknown >= 0) {
      const known = sizeOf(out.filter((_, i) => i !== unknown));
      if (known === 0 || x.size % known !== 0) {
        throw new Error(`reshape: cannot reshape ${shapeStr(x.shape)} (${x.size} elements) into ${shapeStr(shape)}`);
      }
      out[unknown] = x.size / known;
    }
    if (sizeOf(out) !== x.size) {
      throw new Error(`reshape: cannot reshape ${shapeStr(x.shape)} (${x.size} elements) into ${shapeStr(shape)} (${sizeOf(out)} elements)`);
    }
    return record([x], Tensor.view(x, out), (dy, [dx]) => { if (dx) k().axpy_f32(dx.ptr, dy.ptr, 1, dx.size); });
  });
}

/** transpose(x, perm?): y.shape[d] = x.shape[perm[d]]; perm defaults to reversing the axes. */
export function transpose(xIn: TensorLike, perm?: number[]): Tensor {
  return withInput(xIn, 'transpose', (x) => {
    const rank = x.rank;
    const p = perm ? perm.map((a) => (Number.isInteger(a) && a < 0 ? a + rank : a)) : [...Array(rank).keys()].reverse();
    const isPerm = p.length === rank && p.every((a) => Number.isInteger(a) && a >= 0 && a < rank) && new Set(p).size === rank;
    if (!isPerm) throw new Error(`transpose: perm [${perm}] is not a permutation of the axes of ${shapeStr(x.shape)}`);
    const outShape = p.map((a) => x.shape[a]);
    const xStrides = stridesOf(x.shape);
    const readStrides = p.map((a) => xStrides[a]);
    const yStrides = stridesOf(outShape);
    const y = Tensor.empty(outShape);
    if (swapsLastTwo(p)) {
      // (B, R, C) → (B, C, R): the blocked kernel, which with accumulate is also the backward.
      const R = x.shape[rank - 2], C = x.shape[rank - 1], B = x.size / Math.max(R * C, 1);
      k().transpose_2d_f32(y.ptr, x.ptr, B, R, C, 0);
      return record([x], y, (dy, [dx]) => { if (dx) k().transpose_2d_f32(dx.ptr, dy.ptr, B, C, R, 1); });
    }
    copyStrided(y, 0, yStrides, x, 0, readStrides, outShape, false);
    return record([x], y, (dy, [dx]) => {
      if (dx) copyStrided(dx, 0, readStrides, dy, 0, yStrides, outShape, true);
    });
  });
}

/** perm = [0, 1, ..., rank-1, rank-2]: only the last two axes trade places. */
function swapsLastTwo(perm: number[]): boolean {
  const n = perm.length;
  return n >= 2 && perm[n - 1] === n - 2 && perm[n - 2] === n - 1 && perm.slice(0, -2).every((a, i) => a === i);
}

/** slice(x, begin, size): the block starting at `begin`; a size of -1 runs to the end of that axis. */
export function slice(xIn: TensorLike, begin: number | number[], size?: number | number[]): Tensor {
  return withInput(xIn, 'slice', (x) => {
    const rank = x.rank;
    const b = typeof begin === 'number' ? [begin] : begin.slice();
    const s = size === undefined ? [] : typeof size === 'number' ? [size] : size.slice();
    if (b.length > rank || s.length > rank) {
      throw new Error(`slice: begin [${b}] / size [${s}] have more entries than the rank of ${shapeStr(x.shape)}`);
    }
    const outShape: number[] = [];
    for (let d = 0; d < rank; d++) {
      const bd = b[d] ?? 0;
      let sd = s[d] ?? -1;
      if (sd === -1) sd = x.shape[d] - bd;
      if (!Number.isInteger(bd) || !Number.isInteger(sd) || bd < 0 || sd < 0 || bd + sd > x.shape[d]) {
        throw new Error(`slice: begin [${b}] and size [${s}] do not fit in ${shapeStr(x.shape)} (axis ${d})`);
      }
      b[d] = bd;
      outShape.push(sd);
    }
    const xStrides = stridesOf(x.shape);
    const offset = b.reduce((acc, bd, d) => acc + bd * xStrides[d], 0);
    const yStrides = stridesOf(outShape);
    const y = Tensor.empty(outShape);
    copyStrided(y, 0, yStrides, x, offset, xStrides, outShape, false);
    return record([x], y, (dy, [dx]) => {
      if (dx) copyStrided(dx, offset, xStrides, dy, 0, yStrides, outShape, true);
    });
  });
}

/** concat(tensors, axis = 0): joins tensors whose shapes agree except along `axis`. */
export function concat(tensorsIn: TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensorsIn) || tensorsIn.length === 0) throw new Error('concat: needs at least one tensor');
  return withInputs(tensorsIn, 'concat', (xs) => {
    const rank = xs[0].rank;
    if (rank === 0) throw new Error('concat: cannot concatenate scalars (rank 0)');
    const ax = normalizeAxis(axis, rank, 'concat');
    for (const x of xs) {
      if (x.rank !== rank || x.shape.some((d, i) => i !== ax && d !== xs[0].shape[i])) {
        throw new Error(`concat: shapes must match except along axis ${ax} (got ${xs.map((t) => shapeStr(t.shape)).join(' and ')})`);
      }
    }
    const outShape = xs[0].shape.slice();
    outShape[ax] = xs.reduce((acc, x) => acc + x.shape[ax], 0);
    // As (outer, axis·inner) blocks: input i fills columns [start_i, start_i + width_i) of each row.
    const outer = sizeOf(outShape.slice(0, ax));
    const rowLen = sizeOf(outShape.slice(ax));
    const widths = xs.map((x) => x.size / Math.max(outer, 1));
    const starts = widths.map((_, i) => widths.slice(0, i).reduce((a, w) => a + w, 0));
    const y = Tensor.empty(outShape);
    xs.forEach((x, i) => copyStrided(y, starts[i], [rowLen, 1], x, 0, [widths[i], 1], [outer, widths[i]], false));
    return record(xs, y, (dy, dxs) => {
      dxs.forEach((dx, i) => { if (dx) copyStrided(dx, 0, [widths[i], 1], dy, starts[i], [rowLen, 1], [outer, widths[i]], true); });
    });
  });
}

/** squeeze(x, axis?): drops the given axes of size 1, or every axis of size 1. */
export function squeeze(xIn: TensorLike, axis?: number | number[]): Tensor {
  return withInput(xIn, 'squeeze', (x) => {
    const axes = axis === undefined ? x.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)
      : (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis(a, x.rank, 'squeeze'));
    for (const a of axes) {
      if (x.shape[a] !== 1) throw new Error(`squeeze: axis ${a} of ${shapeStr(x.shape)} has size ${x.shape[a]}, not 1`);
    }
    return reshape(x, x.shape.filter((_, i) => !axes.includes(i)));
  });
}

/** expandDims(x, axis = 0): inserts an axis of size 1 at `axis` (in [-rank-1, rank]). */
export function expandDims(xIn: TensorLike, axis = 0): Tensor {
  return withInput(xIn, 'expandDims', (x) => {
    const ax = normalizeAxis(axis, x.rank + 1, 'expandDims');
    return reshape(x, [...x.shape.slice(0, ax), 1, ...x.shape.slice(ax)]);
  });
}

/** Integer indices from an array, a typed array or a tensor, each checked against [0, n). */
function checkedIndices(indices: TensorLike, n: number, op: string, where: string): { flat: Int32Array; shape: number[] } {
  let values: ArrayLike<number>, shape: number[];
  if (indices instanceof Tensor) { values = indices.dataSync(); shape = indices.shape; }
  else if (ArrayBuffer.isView(indices)) { values = indices as unknown as ArrayLike<number>; shape = [values.length]; }
  else {
    const t = toTensor(indices, op).t;
    values = t.dataSync(); shape = t.shape;
    t.dispose();
  }
  const flat = Int32Array.from(values);
  for (let i = 0; i < flat.length; i++) {
    if (!(flat[i] >= 0 && flat[i] < n) || flat[i] !== values[i]) {
      throw new Error(`${op}: index ${values[i]} at position ${i} is out of range for ${where}`);
    }
  }
  return { flat, shape };
}

/** y = x with `axis` replaced by the picked positions: y.shape = x.shape[:axis] + [M] + x.shape[axis+1:]. */
function gatherAxis(x: Tensor, idx: Int32Array, ax: number, outShape: number[]): Tensor {
  const O = sizeOf(x.shape.slice(0, ax)), N = x.shape[ax], I = sizeOf(x.shape.slice(ax + 1)), M = idx.length;
  const y = Tensor.empty(outShape);
  withIndices(idx, (p) => k().gather_forward(y.ptr, x.ptr, p, O, N, M, I));
  return record([x], y, (dy, [dx]) => {
    if (dx) withIndices(idx, (p) => k().gather_backward(dx.ptr, dy.ptr, p, O, N, M, I));
  });
}

/**
 * gather(x, indices, axis = 0): slices of x along `axis` at the given integer positions (repeats
 * allowed); indices may have any shape, which replaces that axis (tf.gather; batchDims must be 0). The gradient
 * scatter-adds back into the picked slices.
 */
export function gather(xIn: TensorLike, indices: TensorLike, axis = 0, batchDims = 0): Tensor {
  if (batchDims !== 0) throw new Error(`gather: batchDims other than 0 is not supported (got ${batchDims})`);
  return withInput(xIn, 'gather', (x) => {
    if (x.rank === 0) throw new Error('gather: x must have at least one axis (got [])');
    const ax = normalizeAxis(axis, x.rank, 'gather');
    const { flat, shape } = checkedIndices(indices, x.shape[ax], 'gather', `axis ${ax} of ${shapeStr(x.shape)}`);
    return gatherAxis(x, flat, ax, [...x.shape.slice(0, ax), ...shape, ...x.shape.slice(ax + 1)]);
  });
}

/**
 * gatherRows(x, indices): rows of the first axis of x, in the order of `indices` (repeats allowed).
 * Used for shuffled mini-batches; the gradient scatter-adds back into the picked rows.
 */
export function gatherRows(xIn: TensorLike, indices: Int32Array | number[]): Tensor {
  return withInput(xIn, 'gatherRows', (x) => {
    if (x.rank === 0) throw new Error('gatherRows: x must have at least one axis (got [])');
    const { flat } = checkedIndices(Array.from(indices), x.shape[0], 'gatherRows', shapeStr(x.shape));
    return gatherAxis(x, flat, 0, [flat.length, ...x.shape.slice(1)]);
  });
}

/** Index lists can outnumber withInts' small blocks: they get their own short-lived buffer. */
function withIndices(idx: Int32Array, fn: (ptr: number) => void): void {
  const p = malloc(idx.length * 4);
  try {
    heapI32().set(idx, p >>> 2);
    fn(p);
  } finally {
    k().free(p);
  }
}
