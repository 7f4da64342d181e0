// Activations and unary math, elementwise over n values, forward and backward.
// One numbering (`kind`) covers every function. act_forward_f32 / act_backward_f32 switch once on
// the kind and call that kind's own loop (act_<kind>_forward_f32 ...), specialised at compile time.
// The last 1-3 values go through the same vector code (a partial vector), so a value's result
// never depends on where it sits in the array.
// Backward accumulates dx += dy * f'(x). Most kinds read only the output y (so the forward may
// run in place, y == x); the ones that read the input x: swish, gelu, log, log1p, square, abs, hardTanh,
// and leakyRelu / elu with a negative alpha. Formulas and constants follow TensorFlow.js.
import { madd } from '../simd';
import { exp_f32x4, expm1_f32x4, log_f32x4, log1p_pos_f32x4, sigmoid_f32x4, tanh_f32x4,
         normal_cdf_f32x4, normal_pdf_f32x4, load_tail_f32x4, store_tail_f32x4 } from '../vmath';

import { forward_v, backward_v, splat, SELU_SCALE, SELU_SCALE_ALPHA, HARD_SIGMOID_SLOPE } from '../act_v';
// The numbering lives with the vector code in act_v.ts; it is exported from here as before.
import { ACT_LINEAR, ACT_SIGMOID, ACT_HARD_SIGMOID, ACT_TANH, ACT_RELU, ACT_RELU6, ACT_LEAKY_RELU, ACT_ELU, ACT_SELU, ACT_SOFTPLUS, ACT_SOFTSIGN, ACT_SWISH, ACT_GELU, ACT_STEP, ACT_SIGN, ACT_SOFTMAX, UNARY_EXP, UNARY_LOG, UNARY_SQRT, UNARY_SQUARE, UNARY_NEG, UNARY_ABS, ACT_HARD_TANH, UNARY_FLOOR, UNARY_CEIL, UNARY_ROUND, UNARY_TRUNC, UNARY_RECIPROCAL, UNARY_RSQRT, UNARY_LOG1P, UNARY_EXPM1 } from '../act_v';
export { ACT_LINEAR, ACT_SIGMOID, ACT_HARD_SIGMOID, ACT_TANH, ACT_RELU, ACT_RELU6, ACT_LEAKY_RELU, ACT_ELU, ACT_SELU, ACT_SOFTPLUS, ACT_SOFTSIGN, ACT_SWISH, ACT_GELU, ACT_STEP, ACT_SIGN, ACT_SOFTMAX, UNARY_EXP, UNARY_LOG, UNARY_SQRT, UNARY_SQUARE, UNARY_NEG, UNARY_ABS, ACT_HARD_TANH, UNARY_FLOOR, UNARY_CEIL, UNARY_ROUND, UNARY_TRUNC, UNARY_RECIPROCAL, UNARY_RSQRT, UNARY_LOG1P, UNARY_EXPM1 };

// @ts-ignore: decorator
@inline function forward_loop(y: usize, x: usize, n: i32, kind: i32, alpha: f32): void {
  const av = splat(alpha);
  let i = 0;
  // Two independent vectors per step: the transcendental kinds are latency-bound chains.
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const a = forward_v(kind, v128.load(x + o), av);
    const b = forward_v(kind, v128.load(x + o + 16), av);
    v128.store(y + o, a);
    v128.store(y + o + 16, b);
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, forward_v(kind, v128.load(x + o), av));
  }
  if (i < n) {
    const o = <usize>i << 2, rem = n - i, zero = splat(0);
    store_tail_f32x4(y + o, forward_v(kind, load_tail_f32x4(x + o, rem, zero), av), rem);
  }
}

// @ts-ignore: decorator
@inline function backward_loop(dx: usize, dy: usize, x: usize, y: usize, n: i32, kind: i32, alpha: f32): void {
  const av = splat(alpha);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2, o2 = o + 16;
    const a = backward_v(kind, v128.load(dy + o), v128.load(x + o), v128.load(y + o), av);
    const b = backward_v(kind, v128.load(dy + o2), v128.load(x + o2), v128.load(y + o2), av);
    v128.store(dx + o, f32x4.add(v128.load(dx + o), a));
    v128.store(dx + o2, f32x4.add(v128.load(dx + o2), b));
  }
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, f32x4.add(v128.load(dx + o),
      backward_v(kind, v128.load(dy + o), v128.load(x + o), v128.load(y + o), av)));
  }
  if (i < n) {
    const o = <usize>i << 2, rem = n - i, zero = splat(0);
    const g = backward_v(kind, load_tail_f32x4(dy + o, rem, zero), load_tail_f32x4(x + o, rem, zero),
                         load_tail_f32x4(y + o, rem, zero), av);
    store_tail_f32x4(dx + o, f32x4.add(load_tail_f32x4(dx + o, rem, zero), g), rem);
  }
}

// One exported function per kind. Exported functions are neither inlined nor merged by binaryen:
// with the loops inlined into one dispatcher, binaryen folded them back into a single loop that
// switches on the kind for every vector. Same arguments as act_forward_f32 / act_backward_f32.
export function act_linear_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_LINEAR, alpha);
}
export function act_sigmoid_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_SIGMOID, alpha);
}
export function act_hard_sigmoid_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_HARD_SIGMOID, alpha);
}
export function act_tanh_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_TANH, alpha);
}
export function act_relu_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_RELU, alpha);
}
export function act_relu6_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_RELU6, alpha);
}
export function act_leaky_relu_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_LEAKY_RELU, alpha);
}
export function act_elu_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_ELU, alpha);
}
export function act_selu_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_SELU, alpha);
}
export function act_softplus_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_SOFTPLUS, alpha);
}
export function act_softsign_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_SOFTSIGN, alpha);
}
export function act_swish_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_SWISH, alpha);
}
export function act_gelu_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_GELU, alpha);
}
export function act_step_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_STEP, alpha);
}
export function act_sign_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_SIGN, alpha);
}
export function act_exp_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_EXP, alpha);
}
export function act_log_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_LOG, alpha);
}
export function act_sqrt_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_SQRT, alpha);
}
export function act_square_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_SQUARE, alpha);
}
export function act_neg_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_NEG, alpha);
}
export function act_abs_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_ABS, alpha);
}
export function act_hard_tanh_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, ACT_HARD_TANH, alpha);
}
export function act_floor_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_FLOOR, alpha);
}
export function act_ceil_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_CEIL, alpha);
}
export function act_round_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_ROUND, alpha);
}
export function act_trunc_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_TRUNC, alpha);
}
export function act_reciprocal_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_RECIPROCAL, alpha);
}
export function act_rsqrt_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_RSQRT, alpha);
}
export function act_log1p_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_LOG1P, alpha);
}
export function act_expm1_forward_f32(y: usize, x: usize, n: i32, alpha: f32): void {
  forward_loop(y, x, n, UNARY_EXPM1, alpha);
}
export function act_linear_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_LINEAR, alpha);
}
export function act_sigmoid_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_SIGMOID, alpha);
}
export function act_hard_sigmoid_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_HARD_SIGMOID, alpha);
}
export function act_tanh_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_TANH, alpha);
}
export function act_relu_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_RELU, alpha);
}
export function act_relu6_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_RELU6, alpha);
}
export function act_leaky_relu_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, alpha >= 0 ? y : x, y, n, ACT_LEAKY_RELU, alpha);
}
export function act_elu_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, alpha >= 0 ? y : x, y, n, ACT_ELU, alpha);
}
export function act_selu_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_SELU, alpha);
}
export function act_softplus_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_SOFTPLUS, alpha);
}
export function act_softsign_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_SOFTSIGN, alpha);
}
export function act_swish_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_SWISH, alpha);
}
export function act_gelu_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_GELU, alpha);
}
export function act_exp_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, UNARY_EXP, alpha);
}
export function act_log_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, UNARY_LOG, alpha);
}
export function act_sqrt_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, UNARY_SQRT, alpha);
}
export function act_square_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, UNARY_SQUARE, alpha);
}
export function act_neg_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, UNARY_NEG, alpha);
}
export function act_abs_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, UNARY_ABS, alpha);
}
export function act_hard_tanh_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, ACT_HARD_TANH, alpha);
}

export function act_reciprocal_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, UNARY_RECIPROCAL, alpha);
}
export function act_rsqrt_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, UNARY_RSQRT, alpha);
}
export function act_log1p_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, UNARY_LOG1P, alpha);
}
export function act_expm1_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, alpha: f32): void {
  backward_loop(dx, dy, x, y, n, UNARY_EXPM1, alpha);
}

// y:(n) = f(x:(n)); y may equal x.
export function act_forward_f32(y: usize, x: usize, n: i32, kind: i32, alpha: f32): void {
  switch (kind) {
    case ACT_SIGMOID: act_sigmoid_forward_f32(y, x, n, alpha); break;
    case ACT_HARD_SIGMOID: act_hard_sigmoid_forward_f32(y, x, n, alpha); break;
    case ACT_TANH: act_tanh_forward_f32(y, x, n, alpha); break;
    case ACT_RELU: act_relu_forward_f32(y, x, n, alpha); break;
    case ACT_RELU6: act_relu6_forward_f32(y, x, n, alpha); break;
    case ACT_LEAKY_RELU: act_leaky_relu_forward_f32(y, x, n, alpha); break;
    case ACT_ELU: act_elu_forward_f32(y, x, n, alpha); break;
    case ACT_SELU: act_selu_forward_f32(y, x, n, alpha); break;
    case ACT_SOFTPLUS: act_softplus_forward_f32(y, x, n, alpha); break;
    case ACT_SOFTSIGN: act_softsign_forward_f32(y, x, n, alpha); break;
    case ACT_SWISH: act_swish_forward_f32(y, x, n, alpha); break;
    case ACT_GELU: act_gelu_forward_f32(y, x, n, alpha); break;
    case ACT_STEP: act_step_forward_f32(y, x, n, alpha); break;
    case ACT_SIGN: act_sign_forward_f32(y, x, n, alpha); break;
    case UNARY_EXP: act_exp_forward_f32(y, x, n, alpha); break;
    case UNARY_LOG: act_log_forward_f32(y, x, n, alpha); break;
    case UNARY_SQRT: act_sqrt_forward_f32(y, x, n, alpha); break;
    case UNARY_SQUARE: act_square_forward_f32(y, x, n, alpha); break;
    case UNARY_NEG: act_neg_forward_f32(y, x, n, alpha); break;
    case UNARY_ABS: act_abs_forward_f32(y, x, n, alpha); break;
    case ACT_HARD_TANH: act_hard_tanh_forward_f32(y, x, n, alpha); break;
    case UNARY_FLOOR: act_floor_forward_f32(y, x, n, alpha); break;
    case UNARY_CEIL: act_ceil_forward_f32(y, x, n, alpha); break;
    case UNARY_ROUND: act_round_forward_f32(y, x, n, alpha); break;
    case UNARY_TRUNC: act_trunc_forward_f32(y, x, n, alpha); break;
    case UNARY_RECIPROCAL: act_reciprocal_forward_f32(y, x, n, alpha); break;
    case UNARY_RSQRT: act_rsqrt_forward_f32(y, x, n, alpha); break;
    case UNARY_LOG1P: act_log1p_forward_f32(y, x, n, alpha); break;
    case UNARY_EXPM1: act_expm1_forward_f32(y, x, n, alpha); break;
    default: act_linear_forward_f32(y, x, n, alpha); // a copy (nothing to do in place)
  }
}

// dx:(n) += dy:(n) * f'(x:(n)), given the input x and the output y = f(x).
export function act_backward_f32(dx: usize, dy: usize, x: usize, y: usize, n: i32, kind: i32, alpha: f32): void {
  switch (kind) {
    case ACT_SIGMOID: act_sigmoid_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_HARD_SIGMOID: act_hard_sigmoid_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_TANH: act_tanh_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_RELU: act_relu_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_RELU6: act_relu6_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_LEAKY_RELU: act_leaky_relu_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_ELU: act_elu_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_SELU: act_selu_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_SOFTPLUS: act_softplus_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_SOFTSIGN: act_softsign_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_SWISH: act_swish_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_GELU: act_gelu_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_STEP: case ACT_SIGN: case UNARY_FLOOR: case UNARY_CEIL: case UNARY_ROUND: case UNARY_TRUNC: break; // zero gradient
    case UNARY_EXP: act_exp_backward_f32(dx, dy, x, y, n, alpha); break;
    case UNARY_LOG: act_log_backward_f32(dx, dy, x, y, n, alpha); break;
    case UNARY_SQRT: act_sqrt_backward_f32(dx, dy, x, y, n, alpha); break;
    case UNARY_SQUARE: act_square_backward_f32(dx, dy, x, y, n, alpha); break;
    case UNARY_NEG: act_neg_backward_f32(dx, dy, x, y, n, alpha); break;
    case UNARY_ABS: act_abs_backward_f32(dx, dy, x, y, n, alpha); break;
    case ACT_HARD_TANH: act_hard_tanh_backward_f32(dx, dy, x, y, n, alpha); break;
    case UNARY_RECIPROCAL: act_reciprocal_backward_f32(dx, dy, x, y, n, alpha); break;
    case UNARY_RSQRT: act_rsqrt_backward_f32(dx, dy, x, y, n, alpha); break;
    case UNARY_LOG1P: act_log1p_backward_f32(dx, dy, x, y, n, alpha); break;
    case UNARY_EXPM1: act_expm1_backward_f32(dx, dy, x, y, n, alpha); break;
    default: act_linear_backward_f32(dx, dy, x, y, n, alpha);
  }
}

// ---- scalar references, in f64 with the runtime's Math (not the vector polynomials) ----

// Φ(x) via the same erfc fit as the vector code (AssemblyScript has no erf), in f64.
function normal_cdf_ref(x: f64): f64 {
  const z = Math.abs(x) * Math.SQRT1_2;
  const t = 1 / (1 + 0.5 * z);
  const p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const half = 0.5 * t * Math.exp(p - z * z);
  return x >= 0 ? 1 - half : half;
}

function sigmoid_ref(x: f64): f64 {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function forward_s(kind: i32, x: f64, alpha: f64): f64 {
  switch (kind) {
    case ACT_SIGMOID: return sigmoid_ref(x);
    case ACT_HARD_SIGMOID: return Math.min(Math.max(0.2 * x + 0.5, 0), 1);
    case ACT_TANH: return Math.tanh(x);
    case ACT_RELU: return x > 0 ? x : (x == x ? 0 : x);
    case ACT_RELU6: return x > 6 ? 6 : x > 0 ? x : (x == x ? 0 : x);
    case ACT_LEAKY_RELU: return x > 0 ? x : alpha * x;
    case ACT_ELU: return x > 0 ? x : alpha * Math.expm1(x);
    case ACT_SELU: return x > 0 ? <f64>SELU_SCALE * x : <f64>SELU_SCALE_ALPHA * Math.expm1(x);
    case ACT_SOFTPLUS: return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    case ACT_SOFTSIGN: return x / (1 + Math.abs(x));
    case ACT_SWISH: return x * sigmoid_ref(alpha * x);
    case ACT_GELU: return x * normal_cdf_ref(x);
    case ACT_STEP: return x > 0 ? 1 : (x == x ? 0 : x);
    case ACT_SIGN: return x > 0 ? 1 : x < 0 ? -1 : 0;
    case UNARY_EXP: return Math.exp(x);
    case UNARY_LOG: return Math.log(x);
    case UNARY_SQRT: return Math.sqrt(x);
    case UNARY_SQUARE: return x * x;
    case UNARY_NEG: return -x;
    case UNARY_ABS: return Math.abs(x);
    case ACT_HARD_TANH: return Math.min(Math.max(x, -1), 1);
    case UNARY_FLOOR: return Math.floor(x);
    case UNARY_CEIL: return Math.ceil(x);
    case UNARY_ROUND: return nearest<f64>(x);
    case UNARY_TRUNC: return Math.trunc(x) + 0;
    case UNARY_RECIPROCAL: return 1 / x;
    case UNARY_RSQRT: return 1 / Math.sqrt(x);
    case UNARY_LOG1P: return Math.log1p(x);
    case UNARY_EXPM1: return Math.expm1(x);
    default: return x;
  }
}

function backward_s(kind: i32, dy: f64, x: f64, y: f64, alpha: f64): f64 {
  switch (kind) {
    case ACT_SIGMOID: return dy * y * (1 - y);
    case ACT_HARD_SIGMOID: return y > 0 && y < 1 ? dy * 0.2 : 0;
    case ACT_TANH: return dy * (1 - y * y);
    case ACT_RELU: return y > 0 ? dy : 0;
    case ACT_RELU6: return y > 0 && y < 6 ? dy : 0;
    case ACT_LEAKY_RELU: return (alpha >= 0 ? y > 0 : x > 0) ? dy : dy * alpha;
    case ACT_ELU: return (alpha >= 0 ? y > 0 : x > 0) ? dy : dy * (y + alpha);
    case ACT_SELU: return y > 0 ? dy * <f64>SELU_SCALE : dy * (y + <f64>SELU_SCALE_ALPHA);
    case ACT_SOFTPLUS: return -dy * Math.expm1(-y);
    case ACT_SOFTSIGN: { const t = 1 - Math.abs(y); return dy * t * t; }
    case ACT_SWISH: { const z = alpha * x, s = sigmoid_ref(z); return dy * (s + z * s * sigmoid_ref(-z)); }
    case ACT_GELU: return dy * (normal_cdf_ref(x) + x * Math.exp(-0.5 * x * x) * 0.3989422804014327);
    case ACT_STEP: case ACT_SIGN: case UNARY_FLOOR: case UNARY_CEIL: case UNARY_ROUND: case UNARY_TRUNC: return 0;
    case UNARY_EXP: return dy * y;
    case UNARY_LOG: return dy / x;
    case UNARY_SQRT: return dy / (2 * y);
    case UNARY_SQUARE: return dy * 2 * x;
    case UNARY_NEG: return -dy;
    case UNARY_ABS: return x > 0 ? dy : x < 0 ? -dy : 0;
    case ACT_HARD_TANH: return Math.abs(x) <= 1 ? dy : 0;
    case UNARY_RECIPROCAL: return -dy * y * y;
    case UNARY_RSQRT: return -0.5 * dy * y * y * y;
    case UNARY_LOG1P: return dy / (1 + x);
    case UNARY_EXPM1: return dy * (y + 1);
    default: return dy;
  }
}

export function act_forward_f32_ref(y: usize, x: usize, n: i32, kind: i32, alpha: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, <f32>forward_s(kind, load<f32>(x + o), alpha));
  }
}

export function act_backward_f32_ref(dx: usize, dy: usize, x: usize, y: usize, n: i32, kind: i32, alpha: f32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const g = backward_s(kind, load<f32>(dy + o), load<f32>(x + o), load<f32>(y + o), alpha);
    store<f32>(dx + o, <f32>(<f64>load<f32>(dx + o) + g));
  }
}
