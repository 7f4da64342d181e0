// Selection ops: where (pick by a condition), clipByValue, topk. Kernels: assembly/kernels/select.ts.
import { record } from '../autograd';
import { Tensor, shapeStr, sizeOf, tensor, TensorLike, toTensor } from '../tensor';
import { k } from '../wasm';
import { accumulateReduced, broadcastShape } from './elementwise';
import { expandTo } from './combine';

/**
 * where(condition, a, b): a where condition is nonzero, else b. The three broadcast together
 * (tfjs' rule). The gradient goes to a where the condition holds and to b elsewhere; none to it.
 */
export function where(conditionIn: TensorLike, aIn: TensorLike, bIn: TensorLike): Tensor {
  const made: Tensor[] = [];
  let keepMade = false;
  const take = (x: TensorLike) => { const r = toTensor(x, 'where'); if (r.made) made.push(r.t); return r.t; };
  try {
    const c = take(conditionIn), a = take(aIn), b = take(bIn);
    const outShape = broadcastShape(broadcastShape(c.shape, a.shape, 'where'), b.shape, 'where');
    const full = (x: Tensor) => (x.size === sizeOf(outShape) ? x : expandTo(x, outShape));
    const cf = full(c), af = full(a), bf = full(b);
    const y = Tensor.empty(outShape);
    k().where_f32(y.ptr, cf.ptr, af.ptr, bf.ptr, y.size);
    for (const [f, x] of [[af, a], [bf, b]]) if (f !== x) f.dispose();
    const out = record([a, b], y, (dy, [da, db]) => {
      const K = k();
      const to = (d: Tensor | null, when: number) => {
        if (!d) return;
        if (d.size === dy.size) { K.where_backward_f32(d.ptr, dy.ptr, cf.ptr, dy.size, when); return; }
        const g = Tensor.zeros(dy.shape);
        K.where_backward_f32(g.ptr, dy.ptr, cf.ptr, dy.size, when);
        accumulateReduced(d, g);
      };
      to(da, 1);
      to(db, 0);
    });
    keepMade = out.requiresGrad; // the backward reads cf (and c when cf is c)
    if (cf !== c && !keepMade) cf.dispose();
    return out;
  } finally {
    if (!keepMade) for (const t of made) t.dispose();
  }
}

/** clipByValue(x, min, max): each value clamped into [min, max]; the gradient passes where min <= x <= max. */
export function clipByValue(xIn: TensorLike, lo: number, hi: number): Tensor {
  if (typeof lo !== 'number' || typeof hi !== 'number' || !(lo <= hi)) {
    throw new Error(`clipByValue: needs numbers min <= max (got ${lo} and ${hi})`);
  }
  const { t: x, made } = toTensor(xIn, 'clipByValue');
  const y = Tensor.empty(x.shape);
  k().clip_forward_f32(y.ptr, x.ptr, x.size, lo, hi);
  const out = record([x], y, (dy, [dx]) => { if (dx) k().clip_backward_f32(dx.ptr, dy.ptr, x.ptr, x.size, lo, hi); });
  if (made) x.dispose();
  return out;
}

/**
 * topk(x, k = 1, sorted = true): the k largest values along the last axis and their positions
 * (as float32), largest first, equal values by position. The order is always sorted (tfjs leaves
 * it unspecified when sorted is false). NaN values are not ordered. The values carry a gradient
 * back to the picked positions.
 */
export function topk(xIn: TensorLike, kIn = 1, sorted = true): { values: Tensor; indices: Tensor } {
  const { t: x, made } = toTensor(xIn, 'topk');
  try {
    if (x.rank === 0) throw new Error('topk: x must have at least one axis (got [])');
    const n = x.shape[x.rank - 1];
    if (!Number.isInteger(kIn) || kIn < 0 || kIn > n) {
      throw new Error(`topk: k must be an integer in [0, ${n}] for ${shapeStr(x.shape)} (got ${kIn})`);
    }
    if (typeof sorted !== 'boolean') throw new Error(`topk: sorted must be a boolean (got ${typeof sorted})`);
    const rows = n === 0 ? 0 : x.size / n;
    const outShape = [...x.shape.slice(0, -1), kIn];
    const values = Tensor.empty(outShape), indices = Tensor.empty(outShape);
    k().topk_forward(values.ptr, indices.ptr, x.ptr, rows, n, kIn);
    let picked = indices;
    record([x], values, (dy, [dx]) => { if (dx) k().topk_backward(dx.ptr, dy.ptr, picked.ptr, rows, n, kIn); });
    // The backward reads its own copy of the positions: the caller may dispose `indices` first.
    if (values.requiresGrad) picked = tensor(indices);
    return { values, indices };
  } finally {
    if (made) x.dispose();
  }
}
