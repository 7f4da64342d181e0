// Reductions built from other ops, so their gradients come from the ops' own: logSumExp, moments,
// norm. No kernel of their own; the intermediate tensors go at once unless a tape may need them.
import { recording } from '../autograd';
import { Tensor, TensorLike, tidy, shapeStr } from '../tensor';
import { sub, add } from './elementwise';
import { sum, mean, max, min } from './reduce';
import { exp, log, square, sqrt, abs } from './activation';
import { reshape, withInput } from './shape';

type Axis = number | number[];

/** Runs a composition of ops; outside a tape its intermediates are freed at once (tidy). */
function composed<T extends Tensor | { [k: string]: Tensor }>(fn: () => T): T { return recording() ? fn() : tidy(fn); }

/** log(Σ exp(x)) over the axes, computed stably (the maximum is taken out first). */
export function logSumExp(xIn: TensorLike, axis?: Axis, keepDims = false): Tensor {
  return withInput(xIn, 'logSumExp', (x) => composed(() => {
    const m = max(x, axis, true);
    const s = sum(exp(sub(x, m)), axis, keepDims);
    return add(log(s), reshape(m, s.shape));
  }));
}

/** { mean, variance } over the axes (the population variance, as tf.moments). */
export function moments(xIn: TensorLike, axis?: Axis, keepDims = false): { mean: Tensor; variance: Tensor } {
  return withInput(xIn, 'moments', (x) => composed(() => {
    const m = mean(x, axis, true);
    const variance = mean(square(sub(x, m)), axis, keepDims);
    return { mean: keepDims ? m : reshape(m, variance.shape), variance };
  }));
}

/**
 * norm(x, ord = 'euclidean', axis?, keepDims?): the vector norm over the axes (all by default):
 * 'euclidean' / 'fro' / 2 is sqrt(Σ x²), 1 is Σ |x|, Infinity is max |x|, -Infinity is min |x|.
 */
export function norm(xIn: TensorLike, ord: number | 'euclidean' | 'fro' = 'euclidean', axis?: Axis, keepDims = false): Tensor {
  return withInput(xIn, 'norm', (x) => {
    if (Array.isArray(axis) && axis.length > 1 && ord !== 'fro' && ord !== 'euclidean') {
      throw new Error(`norm: matrix norms other than 'fro'/'euclidean' are not supported (ord ${ord}, axis [${axis}] of ${shapeStr(x.shape)})`);
    }
    return composed(() => {
      switch (ord) {
        case 'euclidean': case 'fro': case 2: return sqrt(sum(square(x), axis, keepDims));
        case 1: return sum(abs(x), axis, keepDims);
        case Infinity: return max(abs(x), axis, keepDims);
        case -Infinity: return min(abs(x), axis, keepDims);
        default: throw new Error(`norm: ord must be 'euclidean', 'fro', 1, 2, Infinity or -Infinity (got ${ord})`);
      }
    });
  });
}
