// Binary elementwise ops with numpy broadcasting (tfjs' rules: shapes align on the right, a dim
// of 1 stretches). Comparisons give 0/1 float tensors and pass no gradient.
import { record } from '../autograd';
import { Tensor, Shape, shapeStr, TensorLike, toTensor, sizeOf, tidy } from '../tensor';
import { k, heapF32 } from '../wasm';
import { withInts } from './scratch';
import { UNARY_KIND, abs } from './activation';
import { withInput } from './shape';
// Kernel op codes: assembly/kernels/elementwise.ts's exports (generated at build time).
import { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MAX, OP_MIN, OP_POW, OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE, OP_SQDIFF,
  OP_MOD, OP_FLOORDIV, OP_AND, OP_OR } from '../kernels.generated';

const OP_NAMES: Record<number, string> = { [OP_ADD]: 'add', [OP_SUB]: 'sub', [OP_MUL]: 'mul', [OP_DIV]: 'div',
  [OP_MAX]: 'maximum', [OP_MIN]: 'minimum', [OP_POW]: 'pow', [OP_EQ]: 'equal', [OP_NE]: 'notEqual', [OP_GT]: 'greater',
  [OP_GE]: 'greaterEqual', [OP_LT]: 'less', [OP_LE]: 'lessEqual', [OP_SQDIFF]: 'squaredDifference', [OP_MOD]: 'mod',
  [OP_FLOORDIV]: 'floorDiv', [OP_AND]: 'logicalAnd', [OP_OR]: 'logicalOr' };
/** Piecewise-constant ops: their gradient is zero, so nothing is recorded. */
const NO_GRADIENT = new Set([OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE, OP_FLOORDIV, OP_AND, OP_OR]);

export function broadcastShape(a: Shape, b: Shape, op: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = new Array(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${op}: shapes ${shapeStr(a)} and ${shapeStr(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Row-major strides of `shape` aligned right to `outShape`, with 0 on broadcast dims. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const rank = outShape.length;
  const strides = new Array(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const o = rank - shape.length + i;
    strides[o] = shape[i] === 1 && outShape[o] !== 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

function isRowBroadcast(big: Shape, small: Shape): boolean {
  const cols = big[big.length - 1];
  return big.length >= 1 && sizeOf(small) === cols && small[small.length - 1] === cols && small.length <= big.length;
}

/** Raw forward: y = a op b with broadcasting into a new tensor of the broadcast shape. */
function forward(op: number, a: Tensor, b: Tensor, outShape: number[]): Tensor {
  const y = Tensor.empty(outShape);
  const K = k();
  if (a.size === y.size && b.size === y.size) K.binary_f32_simd(y.ptr, a.ptr, b.ptr, y.size, op);
  else if (b.size === 1 && a.size === y.size) K.binary_scalar_f32(y.ptr, a.ptr, heapF32()[b.ptr >>> 2], y.size, op, 0);
  else if (a.size === 1 && b.size === y.size) K.binary_scalar_f32(y.ptr, b.ptr, heapF32()[a.ptr >>> 2], y.size, op, 1);
  else if (a.size === y.size && isRowBroadcast(outShape, b.shape)) {
    const cols = outShape[outShape.length - 1];
    K.binary_row_f32(y.ptr, a.ptr, b.ptr, y.size / cols, cols, op);
  } else {
    const rank = outShape.length;
    withInts([outShape, broadcastStrides(a.shape, outShape), broadcastStrides(b.shape, outShape), new Array(rank).fill(0)],
      (sp, as, bs, idx) => K.binary_bcast_f32(y.ptr, a.ptr, b.ptr, op, rank, sp, as, bs, idx));
  }
  return y;
}

/** dx (shape of x) += g (shape outShape), summing over the dims x was broadcast along. */
export function accumulateReduced(dx: Tensor, g: Tensor): void {
  const K = k();
  if (dx.size === g.size) { K.axpy_f32(dx.ptr, g.ptr, 1, g.size); return; }
  const rank = g.rank;
  withInts([g.shape, broadcastStrides(dx.shape, g.shape), new Array(rank).fill(0)],
    (sp, xs, idx) => K.sum_to_f32(dx.ptr, g.ptr, rank, sp, xs, idx));
}

function binary(op: number, aIn: TensorLike, bIn: TensorLike): Tensor {
  const name = OP_NAMES[op];
  const { t: a, made: madeA } = toTensor(aIn, name);
  let b: Tensor, madeB = false, outShape: number[];
  try {
    ({ t: b, made: madeB } = toTensor(bIn, name));
    outShape = broadcastShape(a.shape, b.shape, name);
  } catch (e) {
    if (madeA) a.dispose();
    if (madeB) b!.dispose();
    throw e;
  }
  const y = forward(op, a, b, outShape);
  const out = NO_GRADIENT.has(op) ? y : record([a, b], y, (dy, [da, db]) => {
    const K = k();
    const grad = (d: Tensor | null, make: () => Tensor) => {
      if (!d) return;
      const g = make();
      accumulateReduced(d, g);
    };
    switch (op) {
      case OP_ADD: grad(da, () => dy); grad(db, () => dy); break;
      case OP_SUB: grad(da, () => dy); grad(db, () => forward(OP_MUL, dy, scalarT(-1), dy.shape)); break;
      case OP_MUL:
        grad(da, () => forward(OP_MUL, dy, b, dy.shape));
        grad(db, () => forward(OP_MUL, dy, a, dy.shape));
        break;
      case OP_DIV:
        grad(da, () => forward(OP_DIV, dy, b, dy.shape));
        // d(a/b)/db = -a/b² = -y/b
        grad(db, () => { const t = forward(OP_DIV, y, b, dy.shape); K.binary_f32_simd(t.ptr, t.ptr, dy.ptr, t.size, OP_MUL);
          K.binary_scalar_f32(t.ptr, t.ptr, -1, t.size, OP_MUL, 0); return t; });
        break;
      case OP_MAX: case OP_MIN: {
        // tfjs: maximum sends dy to a where a >= b, else to b; minimum where a <= b, else to b.
        const toA = forward(op === OP_MAX ? OP_GE : OP_LE, a, b, dy.shape);
        grad(da, () => forward(OP_MUL, dy, toA, dy.shape));
        grad(db, () => { const t = forward(OP_MUL, dy, toA, dy.shape); K.binary_f32_simd(t.ptr, dy.ptr, t.ptr, t.size, OP_SUB); return t; });
        break;
      }
      case OP_POW:
        // d/da = b·a^(b-1); d/db = a^b·log(a) where a > 0, else 0 (as tfjs).
        grad(da, () => {
          const t = forward(OP_POW, a, forward(OP_SUB, b, scalarT(1), b.shape), dy.shape);
          K.binary_f32_simd(t.ptr, t.ptr, dy.ptr, t.size, OP_MUL);
          return forward(OP_MUL, t, b, dy.shape);
        });
        grad(db, () => {
          const logA = Tensor.empty(a.shape);
          K.act_forward_f32(logA.ptr, a.ptr, a.size, UNARY_KIND.log, 0);
          const positive = forward(OP_GT, a, scalarT(0), a.shape);
          K.where_f32(logA.ptr, positive.ptr, logA.ptr, Tensor.zeros(a.shape).ptr, a.size);
          const t = forward(OP_MUL, y, logA, dy.shape);
          K.binary_f32_simd(t.ptr, t.ptr, dy.ptr, t.size, OP_MUL);
          return t;
        });
        break;
      case OP_MOD: // a mod b = a - floor(a/b)·b: d/da = 1, d/db = -floor(a/b) (as tfjs)
        grad(da, () => dy);
        grad(db, () => {
          const t = forward(OP_FLOORDIV, a, b, dy.shape);
          K.binary_f32_simd(t.ptr, t.ptr, dy.ptr, t.size, OP_MUL);
          K.binary_scalar_f32(t.ptr, t.ptr, -1, t.size, OP_MUL, 0);
          return t;
        });
        break;
      case OP_SQDIFF: {
        const t = forward(OP_SUB, a, b, dy.shape);
        K.binary_f32_simd(t.ptr, t.ptr, dy.ptr, t.size, OP_MUL);
        grad(da, () => forward(OP_MUL, t, scalarT(2), dy.shape));
        grad(db, () => forward(OP_MUL, t, scalarT(-2), dy.shape));
        break;
      }
    }
  });
  // A tensor made here from a number or array never requires a gradient; unless the tape's
  // backward reads it, it can go now.
  if (!out.requiresGrad) {
    if (madeA) a.dispose();
    if (madeB) b.dispose();
  }
  return out;
}

function scalarT(v: number): Tensor {
  const t = Tensor.empty([]);
  k().fill_f32(t.ptr, 1, v);
  return t;
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binary(OP_ADD, a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary(OP_SUB, a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary(OP_MUL, a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => binary(OP_DIV, a, b);
/** Elementwise larger of a and b (NaN propagates); the gradient goes to a where a >= b, else to b. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary(OP_MAX, a, b);
/** Elementwise smaller of a and b (NaN propagates); the gradient goes to a where a <= b, else to b. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary(OP_MIN, a, b);
/** a^b elementwise (Math.pow's rules: a negative base needs an integer exponent, else NaN). */
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary(OP_POW, a, b);
/** (a - b)² elementwise. */
export const squaredDifference = (a: TensorLike, b: TensorLike): Tensor => binary(OP_SQDIFF, a, b);
/** 1 where a == b, else 0. */
export const equal = (a: TensorLike, b: TensorLike): Tensor => binary(OP_EQ, a, b);
/** 1 where a != b (and where either is NaN), else 0. */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binary(OP_NE, a, b);
/** 1 where a > b, else 0. */
export const greater = (a: TensorLike, b: TensorLike): Tensor => binary(OP_GT, a, b);
/** 1 where a >= b, else 0. */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binary(OP_GE, a, b);
/** 1 where a < b, else 0. */
export const less = (a: TensorLike, b: TensorLike): Tensor => binary(OP_LT, a, b);
/** 1 where a <= b, else 0. */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binary(OP_LE, a, b);
/** The remainder of a / b with the sign of b (tf.mod, Python's %). */
export const mod = (a: TensorLike, b: TensorLike): Tensor => binary(OP_MOD, a, b);
/** floor(a / b); zero gradient. A zero divisor gives ±Infinity or NaN (tfjs returns int32, where they become 0). */
export const floorDiv = (a: TensorLike, b: TensorLike): Tensor => binary(OP_FLOORDIV, a, b);
/** 1 where both a and b are nonzero, else 0. */
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => binary(OP_AND, a, b);
/** 1 where a or b is nonzero, else 0. */
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => binary(OP_OR, a, b);
/** 1 where exactly one of a and b is nonzero, else 0. */
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => tidy(() => notEqual(notEqual(a, 0), notEqual(b, 0)));
/** 1 where x is 0, else 0. */
export const logicalNot = (x: TensorLike): Tensor => equal(x, 0);
/** 1 where x is NaN, else 0. */
export const isNaN = (x: TensorLike): Tensor => withInput(x, 'isNaN', (t) => notEqual(t, t));
/** 1 where x is ±Infinity, else 0. */
export const isInf = (x: TensorLike): Tensor => tidy(() => equal(abs(x), Infinity));
/** 1 where x is neither NaN nor ±Infinity, else 0. */
export const isFinite = (x: TensorLike): Tensor => tidy(() => less(abs(x), Infinity));
