// Swish with a learned beta, y = x·sigmoid(beta·x). Its forward and dx are the activation kernels
// (kind swish, alpha = beta); this family adds the one thing they lack, the gradient of beta, a
// reduction over every element: dbeta[0] += Σ dy·x²·s(1 - s), s = sigmoid(beta·x).
import { madd, hsum } from '../simd';
import { exp_f32x4, load_tail_f32x4 } from '../vmath';

// s(1 - s) = e / (1 + e)² with e = e^-|z|: symmetric in z, one exp, no cancellation.
// @ts-ignore: decorator
@inline function sigmoid_slope_v(z: v128): v128 {
  const e = exp_f32x4(f32x4.neg(f32x4.abs(z)));
  const d = f32x4.div(f32x4.splat(1), f32x4.add(e, f32x4.splat(1)));
  return f32x4.mul(f32x4.mul(e, d), d);
}

// dbeta:(1) dy:(n) x:(n); beta is the current value. Accumulates.
export function swish_beta_grad_f32(dbeta: usize, dy: usize, x: usize, n: i32, beta: f32): void {
  const bv = f32x4.splat(beta), zero = f32x4.splat(0);
  // Two accumulators: independent exp chains per step, summed in a fixed order (deterministic).
  let acc0 = zero, acc1 = zero;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const x0 = v128.load(x + o), x1 = v128.load(x + o + 16);
    acc0 = madd(f32x4.mul(v128.load(dy + o), f32x4.mul(x0, x0)), sigmoid_slope_v(f32x4.mul(bv, x0)), acc0);
    acc1 = madd(f32x4.mul(v128.load(dy + o + 16), f32x4.mul(x1, x1)), sigmoid_slope_v(f32x4.mul(bv, x1)), acc1);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const x0 = v128.load(x + o);
    acc0 = madd(f32x4.mul(v128.load(dy + o), f32x4.mul(x0, x0)), sigmoid_slope_v(f32x4.mul(bv, x0)), acc0);
  }
  if (i < n) { // zero-padded lanes contribute x² = 0
    const o = <usize>i << 2, rem = n - i;
    const x0 = load_tail_f32x4(x + o, rem, zero);
    acc1 = madd(f32x4.mul(load_tail_f32x4(dy + o, rem, zero), f32x4.mul(x0, x0)), sigmoid_slope_v(f32x4.mul(bv, x0)), acc1);
  }
  store<f32>(dbeta, load<f32>(dbeta) + hsum(f32x4.add(acc0, acc1)));
}

// Scalar twin, in f64 with the runtime's Math.
export function swish_beta_grad_f32_ref(dbeta: usize, dy: usize, x: usize, n: i32, beta: f32): void {
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const xv = <f64>load<f32>(x + o);
    const e = Math.exp(-Math.abs(<f64>beta * xv));
    sum += <f64>load<f32>(dy + o) * xv * xv * e / ((1 + e) * (1 + e));
  }
  store<f32>(dbeta, <f32>(<f64>load<f32>(dbeta) + sum));
}
