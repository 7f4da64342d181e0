// Reductions: sum, mean, max, min over any set of axes, and argMax / argMin. The kernels reduce the middle axis
// of an (outer, reduced, inner) view; reduced axes that are not adjacent are first transposed
// to the end (a differentiable transpose, so gradients compose).
import { record, recording } from '../autograd';
import { Tensor, shapeStr, sizeOf, TensorLike, toTensor } from '../tensor';
import { k } from '../wasm';
import { normalizeAxis, transpose } from './shape';

/** The reduced axes, sorted and unique; undefined means all of them. */
function resolveAxes(axis: number | number[] | undefined, shape: number[], op: string): number[] {
  const rank = shape.length;
  if (axis === undefined || axis === null) return [...Array(rank).keys()];
  const list = (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis(a, rank, op));
  if (new Set(list).size !== list.length) throw new Error(`${op}: axis [${axis}] repeats an axis of ${shapeStr(shape)}`);
  return list.sort((a, b) => a - b);
}

interface Plan {
  x: Tensor;            // the input, transposed when the axes were not adjacent
  O: number; R: number; I: number;
  outShape: number[];   // with keepDims applied
}

/** Brings the reduced axes together and computes the (O, R, I) view and the output shape. */
function plan(xIn: TensorLike, axis: number | number[] | undefined, keepDims: boolean, op: string): Plan {
  const { t: x0 } = toTensor(xIn, op);
  const shape = x0.shape;
  const axes = resolveAxes(axis, shape, op);
  const outShape = keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
  if (axes.length === 0) return { x: x0, O: x0.size, R: 1, I: 1, outShape };
  const adjacent = axes[axes.length - 1] - axes[0] === axes.length - 1;
  let x = x0, first = axes[0], last = axes[axes.length - 1];
  if (!adjacent) {
    const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
    x = transpose(x0, [...kept, ...axes]);
    first = kept.length; last = shape.length - 1;
  }
  const s = x.shape;
  return { x, O: sizeOf(s.slice(0, first)), R: sizeOf(s.slice(first, last + 1)), I: sizeOf(s.slice(last + 1)), outShape };
}

/** A transposed copy made only for the kernel can go at once unless a tape may still refer to it. */
function release(p: Plan, original: TensorLike): void {
  if (p.x !== original && !recording()) p.x.dispose();
}

function sumLike(xIn: TensorLike, axis: number | number[] | undefined, keepDims: boolean, op: 'sum' | 'mean'): Tensor {
  const p = plan(xIn, axis, keepDims, op);
  const { x, O, R, I } = p;
  const scale = op === 'mean' ? 1 / R : 1;
  const y = Tensor.empty(p.outShape);
  k().sum_forward(y.ptr, x.ptr, O, R, I, scale);
  const out = record([x], y, (dy, [dx]) => { if (dx) k().sum_backward(dx.ptr, dy.ptr, O, R, I, scale); });
  release(p, xIn);
  return out;
}

/** sum(x, axis?, keepDims?): axis is a number or a list (negative counts from the end); none = all. */
export function sum(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  return sumLike(x, axis, keepDims, 'sum');
}

/** mean(x, axis?, keepDims?): like sum, divided by the number of reduced elements. */
export function mean(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  return sumLike(x, axis, keepDims, 'mean');
}

/** max or min over the plan's axes; the gradient goes to the first extreme element. */
function extreme(xIn: TensorLike, axis: number | number[] | undefined, keepDims: boolean, op: 'max' | 'min'): Tensor {
  const p = plan(xIn, axis, keepDims, op);
  const { x, O, R, I } = p;
  if (R === 0) throw new Error(`${op}: cannot reduce an empty axis of ${shapeStr(x.shape)}`);
  const y = Tensor.empty(p.outShape);
  const arg = Tensor.empty(p.outShape);
  k()[`${op}_forward`](y.ptr, arg.ptr, x.ptr, O, R, I);
  const out = record([x], y, (dy, [dx]) => { if (dx) k().max_backward(dx.ptr, dy.ptr, arg.ptr, O, R, I); });
  if (!out.requiresGrad) arg.dispose();
  release(p, xIn);
  return out;
}

/** max(x, axis?, keepDims?). The gradient goes to the first maximal element along the reduced axes. */
export function max(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  return extreme(x, axis, keepDims, 'max');
}

/** min(x, axis?, keepDims?). The gradient goes to the first minimal element along the reduced axes. */
export function min(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  return extreme(x, axis, keepDims, 'min');
}

/** The index of the first maximum (or minimum) along one axis, as float32. No gradient. */
function argExtreme(xIn: TensorLike, axis: number, op: 'argMax' | 'argMin'): Tensor {
  const { t: x, made } = toTensor(xIn, op);
  try {
    if (x.rank === 0) throw new Error(`${op}: needs at least one axis (got [])`);
    const ax = normalizeAxis(axis, x.rank, op);
    const R = x.shape[ax];
    if (R === 0) throw new Error(`${op}: cannot reduce an empty axis of ${shapeStr(x.shape)}`);
    const outShape = x.shape.filter((_, i) => i !== ax);
    const values = Tensor.empty(outShape);
    const arg = Tensor.empty(outShape);
    const kernel = op === 'argMax' ? k().max_forward : k().min_forward;
    kernel(values.ptr, arg.ptr, x.ptr, sizeOf(x.shape.slice(0, ax)), R, sizeOf(x.shape.slice(ax + 1)));
    values.dispose();
    return arg;
  } finally {
    if (made) x.dispose();
  }
}

/** argMax(x, axis = 0): the index of the first maximum along one axis (negative counts from the end), as float32. */
export function argMax(x: TensorLike, axis = 0): Tensor { return argExtreme(x, axis, 'argMax'); }

/** argMin(x, axis = 0): the index of the first minimum along one axis, as float32. */
export function argMin(x: TensorLike, axis = 0): Tensor { return argExtreme(x, axis, 'argMin'); }
