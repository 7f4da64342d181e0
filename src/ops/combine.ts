// Ops that join, cut, repeat, reverse or surround tensors: stack, unstack, split, tile, reverse, pad,
// broadcastTo.
// All are data movement on the strided copy kernel (or slice); each backward moves the gradient
// back the same way with accumulation.
import { record } from '../autograd';
import { Tensor, Shape, shapeStr, sizeOf, TensorLike } from '../tensor';
import { k } from '../wasm';
import { copyStrided, normalizeAxis, slice, stridesOf, withInput, withInputs } from './shape';
import { accumulateReduced, broadcastShape, broadcastStrides } from './elementwise';

/** stack(tensors, axis = 0): joins same-shaped tensors along a new axis. */
export function stack(tensorsIn: TensorLike[], axis = 0): Tensor {
  if (!Array.isArray(tensorsIn) || tensorsIn.length === 0) throw new Error('stack: needs at least one tensor');
  return withInputs(tensorsIn, 'stack', (xs) => {
    const shape = xs[0].shape;
    if (xs.some((x) => x.rank !== shape.length || x.shape.some((d, i) => d !== shape[i]))) {
      throw new Error(`stack: all tensors must have the same shape (got ${xs.map((t) => shapeStr(t.shape)).join(' and ')})`);
    }
    const ax = normalizeAxis(axis, shape.length + 1, 'stack');
    const N = xs.length, outer = sizeOf(shape.slice(0, ax)), inner = sizeOf(shape.slice(ax));
    // y viewed as (outer, N, inner): input i fills y[:, i, :].
    const slab = [outer, inner], ySlab = [N * inner, 1], xSlab = [inner, 1];
    const y = Tensor.empty([...shape.slice(0, ax), N, ...shape.slice(ax)]);
    xs.forEach((x, i) => copyStrided(y, i * inner, ySlab, x, 0, xSlab, slab, false));
    return record(xs, y, (dy, dxs) => {
      dxs.forEach((dx, i) => { if (dx) copyStrided(dx, 0, xSlab, dy, i * inner, ySlab, slab, true); });
    });
  });
}

/** unstack(x, axis = 0): the tensors along one axis, each without that axis. */
export function unstack(xIn: TensorLike, axis = 0): Tensor[] {
  return withInput(xIn, 'unstack', (x) => {
    if (x.rank === 0) throw new Error('unstack: x must have at least one axis (got [])');
    const ax = normalizeAxis(axis, x.rank, 'unstack');
    const N = x.shape[ax], outer = sizeOf(x.shape.slice(0, ax)), inner = sizeOf(x.shape.slice(ax + 1));
    const outShape = x.shape.filter((_, i) => i !== ax);
    const slab = [outer, inner], xSlab = [N * inner, 1], ySlab = [inner, 1];
    return Array.from({ length: N }, (_, i) => {
      const y = Tensor.empty(outShape);
      copyStrided(y, 0, ySlab, x, i * inner, xSlab, slab, false);
      return record([x], y, (dy, [dx]) => { if (dx) copyStrided(dx, i * inner, xSlab, dy, 0, ySlab, slab, true); });
    });
  });
}

/**
 * split(x, numOrSizes, axis = 0): `n` equal pieces along `axis` (n must divide it), or pieces of
 * the given sizes (one of them may be -1: the rest).
 */
export function split(xIn: TensorLike, numOrSizes: number | number[], axis = 0): Tensor[] {
  return withInput(xIn, 'split', (x) => {
    if (x.rank === 0) throw new Error('split: x must have at least one axis (got [])');
    const ax = normalizeAxis(axis, x.rank, 'split');
    const total = x.shape[ax];
    let sizes: number[];
    if (typeof numOrSizes === 'number') {
      if (!Number.isInteger(numOrSizes) || numOrSizes <= 0 || total % numOrSizes !== 0) {
        throw new Error(`split: ${numOrSizes} pieces do not evenly divide axis ${ax} of ${shapeStr(x.shape)}`);
      }
      sizes = new Array(numOrSizes).fill(total / numOrSizes);
    } else {
      sizes = numOrSizes.slice();
      const free = sizes.indexOf(-1);
      if (free >= 0) sizes[free] = total - sizes.reduce((a, s, i) => (i === free ? a : a + s), 0);
      if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((a, s) => a + s, 0) !== total) {
        throw new Error(`split: sizes [${numOrSizes}] do not add up to axis ${ax} of ${shapeStr(x.shape)} (${total})`);
      }
    }
    let start = 0;
    return sizes.map((s) => {
      const begin = x.shape.map((_, d) => (d === ax ? start : 0));
      const size = x.shape.map((d, i) => (i === ax ? s : d));
      start += s;
      return slice(x, begin, size);
    });
  });
}

/** tile(x, reps): repeats x reps[d] times along each axis d (reps has one entry per axis). */
export function tile(xIn: TensorLike, reps: number[]): Tensor {
  return withInput(xIn, 'tile', (x) => {
    if (!Array.isArray(reps) || reps.length !== x.rank || reps.some((r) => !Number.isInteger(r) || r < 0)) {
      throw new Error(`tile: reps [${reps}] must be ${x.rank} non-negative integers, one per axis of ${shapeStr(x.shape)}`);
    }
    const outShape = x.shape.map((d, i) => d * reps[i]);
    // The index space (reps0, d0, reps1, d1, …): the output walks it contiguously, x ignores the reps.
    const yStrides = stridesOf(outShape), xStrides = stridesOf(x.shape);
    const space = x.shape.flatMap((d, i) => [reps[i], d]);
    const ys = x.shape.flatMap((d, i) => [d * yStrides[i], yStrides[i]]);
    const xs = x.shape.flatMap((_, i) => [0, xStrides[i]]);
    const y = Tensor.empty(outShape);
    copyStrided(y, 0, ys, x, 0, xs, space, false);
    return record([x], y, (dy, [dx]) => { if (dx) copyStrided(dx, 0, xs, dy, 0, ys, space, true); });
  });
}

/** reverse(x, axis?): x with the order along the given axes (all by default) reversed. */
export function reverse(xIn: TensorLike, axis?: number | number[]): Tensor {
  return withInput(xIn, 'reverse', (x) => {
    const axes = axis === undefined ? x.shape.map((_, i) => i)
      : (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis(a, x.rank, 'reverse'));
    if (new Set(axes).size !== axes.length) throw new Error(`reverse: axis [${axis}] repeats an axis of ${shapeStr(x.shape)}`);
    // Read x from the far end of each reversed axis with a negative stride.
    const yStrides = stridesOf(x.shape);
    const xs = yStrides.map((s, d) => (axes.includes(d) ? -s : s));
    const start = x.size === 0 ? 0 : axes.reduce((acc, d) => acc + (x.shape[d] - 1) * yStrides[d], 0);
    const y = Tensor.empty(x.shape);
    copyStrided(y, 0, yStrides, x, start, xs, x.shape, false);
    return record([x], y, (dy, [dx]) => { if (dx) copyStrided(dx, start, xs, dy, 0, yStrides, x.shape, true); });
  });
}

/**
 * pad(x, paddings, constantValue = 0): paddings[d] = [before, after] elements added on axis d,
 * filled with constantValue.
 */
export function pad(xIn: TensorLike, paddings: Array<[number, number]> | number[][], constantValue = 0): Tensor {
  return withInput(xIn, 'pad', (x) => {
    const ok = Array.isArray(paddings) && paddings.length === x.rank &&
      paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
    if (!ok) {
      throw new Error(`pad: paddings ${JSON.stringify(paddings)} must be ${x.rank} pairs [before, after] of non-negative integers for ${shapeStr(x.shape)}`);
    }
    if (typeof constantValue !== 'number') throw new Error(`pad: constantValue must be a number (got ${typeof constantValue})`);
    const outShape = x.shape.map((d, i) => paddings[i][0] + d + paddings[i][1]);
    const yStrides = stridesOf(outShape), xStrides = stridesOf(x.shape);
    const offset = paddings.reduce((acc, p, d) => acc + p[0] * yStrides[d], 0);
    const y = Tensor.empty(outShape);
    k().fill_f32(y.ptr, y.size, constantValue);
    copyStrided(y, offset, yStrides, x, 0, xStrides, x.shape, false);
    return record([x], y, (dy, [dx]) => { if (dx) copyStrided(dx, 0, xStrides, dy, offset, yStrides, x.shape, true); });
  });
}

/** x's values repeated along the axes where it broadcasts to `shape`; no tape. */
export function expandTo(x: Tensor, shape: Shape): Tensor {
  const y = Tensor.empty(shape);
  if (shape.length === 0 || x.size === y.size) k().copy_f32(y.ptr, x.ptr, y.size);
  else copyStrided(y, 0, stridesOf(shape), x, 0, broadcastStrides(x.shape, shape), shape.slice(), false);
  return y;
}

/** broadcastTo(x, shape): x repeated along the axes of size 1 (or missing on the left) to `shape`. */
export function broadcastTo(xIn: TensorLike, shape: Shape): Tensor {
  return withInput(xIn, 'broadcastTo', (x) => {
    const target = shape.slice();
    const ok = target.length >= x.rank && broadcastShape(x.shape, target, 'broadcastTo').every((d, i) => d === target[i]);
    if (!ok) throw new Error(`broadcastTo: cannot broadcast ${shapeStr(x.shape)} to ${shapeStr(target)}`);
    const y = expandTo(x, target);
    return record([x], y, (dy, [dx]) => { if (dx) accumulateReduced(dx, dy); });
  });
}
