// The activation functions on one f32x4 vector, forward and backward, with their numbering
// (`kind`): shared by the activation kernels (kernels/activation.ts) and the recurrent cells
// (kernels/rnn.ts). Not a kernel family: assembly/index.ts does not export this file, so these
// v128 helpers never become wasm exports (kernels/activation.ts re-exports the numbering).
import { madd } from './simd';
import { exp_f32x4, expm1_f32x4, log_f32x4, log1p_pos_f32x4, sigmoid_f32x4, tanh_f32x4,
         normal_cdf_f32x4, normal_pdf_f32x4 } from './vmath';

export const ACT_LINEAR = 0, ACT_SIGMOID = 1, ACT_HARD_SIGMOID = 2, ACT_TANH = 3, ACT_RELU = 4,
  ACT_RELU6 = 5, ACT_LEAKY_RELU = 6, ACT_ELU = 7, ACT_SELU = 8, ACT_SOFTPLUS = 9, ACT_SOFTSIGN = 10,
  ACT_SWISH = 11, ACT_GELU = 12, ACT_STEP = 13, ACT_SIGN = 14;
// Softmax is per row (kernels/softmax.ts); it has a number so that one kind names any activation.
export const ACT_SOFTMAX = 15;
export const UNARY_EXP = 16, UNARY_LOG = 17, UNARY_SQRT = 18, UNARY_SQUARE = 19, UNARY_NEG = 20,
  UNARY_ABS = 21;
// clip(x, -1, 1). Not a layer activation: its gradient, dy where |x| <= 1, is the clipped
// straight-through estimator that step and sign layers may use in place of their zero gradient.
export const ACT_HARD_TANH = 22;
// More of tfjs' unary math. floor, ceil, round (half to even, as tf.round) and trunc (the cast to
// int32) have a zero gradient.
export const UNARY_FLOOR = 23, UNARY_CEIL = 24, UNARY_ROUND = 25, UNARY_TRUNC = 26, UNARY_RECIPROCAL = 27,
  UNARY_RSQRT = 28, UNARY_LOG1P = 29, UNARY_EXPM1 = 30;

// SELU constants (Klambauer et al. 2017), as tfjs writes them.
export const SELU_SCALE: f32 = 1.0507009873554804934193349852946;
export const SELU_SCALE_ALPHA: f32 = 1.7580993408473768599402175208123;
export const HARD_SIGMOID_SLOPE: f32 = 0.2; // tfjs/Keras 2: clip(0.2 x + 0.5, 0, 1)

// @ts-ignore: decorator
@inline export function splat(v: f32): v128 { return f32x4.splat(v); }

// f(x); alpha is leakyRelu's slope, elu's alpha, swish's beta.
// @ts-ignore: decorator
@inline export function forward_v(kind: i32, x: v128, alpha: v128): v128 {
  const zero = splat(0), one = splat(1);
  switch (kind) {
    case ACT_SIGMOID: return sigmoid_f32x4(x);
    case ACT_HARD_SIGMOID: // (x + 2.5) * 0.2: the cancellation near -2.5 is then exact (Sterbenz)
      return f32x4.min(f32x4.max(f32x4.mul(f32x4.add(x, splat(2.5)), splat(HARD_SIGMOID_SLOPE)), zero), one);
    case ACT_TANH: return tanh_f32x4(x);
    // pmax(x, 0) is x unless x < 0 (NaN stays), one instruction where f32x4.max takes several;
    // adding +0 turns -0 into +0, so the result is max(x, 0) bit for bit.
    case ACT_RELU: return f32x4.add(f32x4.pmax(x, zero), zero);
    case ACT_RELU6: return f32x4.min(f32x4.max(x, zero), splat(6));
    case ACT_LEAKY_RELU: return v128.bitselect(x, f32x4.mul(x, alpha), f32x4.gt(x, zero));
    case ACT_ELU: return v128.bitselect(x, f32x4.mul(alpha, expm1_f32x4(x)), f32x4.gt(x, zero));
    case ACT_SELU:
      return v128.bitselect(f32x4.mul(x, splat(SELU_SCALE)), f32x4.mul(expm1_f32x4(x), splat(SELU_SCALE_ALPHA)),
                            f32x4.gt(x, zero));
    case ACT_SOFTPLUS: // max(x, 0) + log(1 + e^-|x|): no overflow, accurate in both tails
      return f32x4.add(f32x4.max(x, zero), log1p_pos_f32x4(exp_f32x4(f32x4.neg(f32x4.abs(x)))));
    case ACT_SOFTSIGN: return f32x4.div(x, f32x4.add(f32x4.abs(x), one));
    case ACT_SWISH: return f32x4.mul(x, sigmoid_f32x4(f32x4.mul(alpha, x)));
    case ACT_GELU: return f32x4.mul(x, normal_cdf_f32x4(x));
    case ACT_STEP: // 1 where x > 0, else 0; NaN stays NaN (tf.step)
      return v128.bitselect(x, v128.and(f32x4.gt(x, zero), one), f32x4.ne(x, x));
    case ACT_SIGN: return v128.or(v128.and(f32x4.gt(x, zero), one), v128.and(f32x4.lt(x, zero), splat(-1)));
    case UNARY_EXP: return exp_f32x4(x);
    case UNARY_LOG: return log_f32x4(x);
    case UNARY_SQRT: return f32x4.sqrt(x);
    case UNARY_SQUARE: return f32x4.mul(x, x);
    case UNARY_NEG: return f32x4.neg(x);
    case UNARY_ABS: return f32x4.abs(x);
    case ACT_HARD_TANH: return f32x4.min(f32x4.max(x, splat(-1)), one);
    case UNARY_FLOOR: return f32x4.floor(x);
    case UNARY_CEIL: return f32x4.ceil(x);
    case UNARY_ROUND: return f32x4.nearest(x);
    case UNARY_TRUNC: return f32x4.add(f32x4.trunc(x), zero); // + 0 turns -0 into 0, as an int32 would
    case UNARY_RECIPROCAL: return f32x4.div(one, x);
    case UNARY_RSQRT: return f32x4.div(one, f32x4.sqrt(x));
    case UNARY_LOG1P: { // log(u)·x/(u-1) with u = 1 + x cancels u's rounding (x where u == 1, log(u) at ∞)
      const u = f32x4.add(one, x), l = log_f32x4(u);
      const fixed = f32x4.div(f32x4.mul(l, x), f32x4.sub(u, one));
      return v128.bitselect(x, v128.bitselect(l, fixed, f32x4.eq(u, splat(Infinity))), f32x4.eq(u, one));
    }
    case UNARY_EXPM1: return expm1_f32x4(x);
    default: return x; // linear
  }
}

// dy * f'(x), from whichever of x (input) and y (output) gives it cheaply and accurately.
// @ts-ignore: decorator
@inline export function backward_v(kind: i32, dy: v128, x: v128, y: v128, alpha: v128): v128 {
  const zero = splat(0), one = splat(1);
  switch (kind) {
    case ACT_SIGMOID: return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(one, y)));
    case ACT_HARD_SIGMOID:
      return v128.and(f32x4.mul(dy, splat(HARD_SIGMOID_SLOPE)), v128.and(f32x4.gt(y, zero), f32x4.lt(y, one)));
    case ACT_TANH: return f32x4.mul(dy, f32x4.sub(one, f32x4.mul(y, y)));
    case ACT_RELU: return v128.and(dy, f32x4.gt(y, zero));
    case ACT_RELU6: return v128.and(dy, v128.and(f32x4.gt(y, zero), f32x4.lt(y, splat(6))));
    // leakyRelu and elu only need the input's sign. With alpha >= 0 the output has it, so their
    // exported loops pass y as `x` then, and the input may have been overwritten (in-place forward).
    case ACT_LEAKY_RELU: return v128.bitselect(dy, f32x4.mul(dy, alpha), f32x4.gt(x, zero));
    case ACT_ELU: // x <= 0: alpha e^x = y + alpha
      return v128.bitselect(dy, f32x4.mul(dy, f32x4.add(y, alpha)), f32x4.gt(x, zero));
    case ACT_SELU:
      return v128.bitselect(f32x4.mul(dy, splat(SELU_SCALE)), f32x4.mul(dy, f32x4.add(y, splat(SELU_SCALE_ALPHA))),
                            f32x4.gt(y, zero));
    case ACT_SOFTPLUS: // sigmoid(x) = 1 - e^-y
      return f32x4.mul(dy, f32x4.neg(expm1_f32x4(f32x4.neg(y))));
    case ACT_SOFTSIGN: { // 1 / (1 + |x|)^2 = (1 - |y|)^2
      const t = f32x4.sub(one, f32x4.abs(y));
      return f32x4.mul(dy, f32x4.mul(t, t));
    }
    case ACT_SWISH: { // s + z s (1 - s), z = beta x, s = sigmoid(z)
      // s and 1 - s from one exp, each without cancellation: e = e^-|z|, 1/(1+e) and e/(1+e).
      const z = f32x4.mul(alpha, x);
      const e = exp_f32x4(f32x4.neg(f32x4.abs(z)));
      const d = f32x4.div(one, f32x4.add(e, one)), ed = f32x4.mul(e, d);
      const pos = f32x4.ge(z, zero);
      const s = v128.bitselect(d, ed, pos), c = v128.bitselect(ed, d, pos);
      return f32x4.mul(dy, madd(f32x4.mul(z, s), c, s));
    }
    case ACT_GELU: return f32x4.mul(dy, madd(x, normal_pdf_f32x4(x), normal_cdf_f32x4(x)));
    case UNARY_EXP: return f32x4.mul(dy, y);
    case UNARY_LOG: return f32x4.div(dy, x);
    case UNARY_SQRT: return f32x4.div(dy, f32x4.add(y, y));
    case UNARY_SQUARE: return f32x4.mul(dy, f32x4.add(x, x));
    case UNARY_NEG: return f32x4.neg(dy);
    case UNARY_ABS: return v128.or(v128.and(dy, f32x4.gt(x, zero)), v128.and(f32x4.neg(dy), f32x4.lt(x, zero)));
    case ACT_HARD_TANH: return v128.and(dy, f32x4.le(f32x4.abs(x), one)); // from x: |x| = 1 passes
    case UNARY_RECIPROCAL: return f32x4.neg(f32x4.mul(dy, f32x4.mul(y, y)));
    case UNARY_RSQRT: return f32x4.mul(f32x4.mul(dy, splat(-0.5)), f32x4.mul(y, f32x4.mul(y, y)));
    case UNARY_LOG1P: return f32x4.div(dy, f32x4.add(one, x));
    case UNARY_EXPM1: return f32x4.mul(dy, f32x4.add(y, one));
    default: return dy; // linear
  }
}
