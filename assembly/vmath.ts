// Vector transcendental functions on f32x4, for the activation, softmax, loss and rnn kernels.
// Cephes-style: Cody-Waite range reduction + a short polynomial. Deterministic on the default
// build (plain mul+add); `madd` fuses only on the relaxed build. Accuracy (vs f64 Math.*, over
// the whole f32 range, measured by test/kernels/activation.test.ts): exp ≈ 1 ulp, log ≈ 1 ulp,
// expm1/sigmoid/softplus 2-3 ulp, tanh 3.5e-7 relative (≈ 5 ulp), Φ (for gelu) a few ulp.
// Special values follow IEEE: NaN in → NaN out, exp(+inf) = inf, exp(-inf) = 0, log(0) = -inf,
// log(x<0) = NaN; sigmoid and tanh saturate cleanly for any |x| (no inf/inf); sigmoid is 0
// below x = -88, where its value is under 7e-39.
//
// Constants live in memory cells read with `k(cell)` (v128.load32_splat) rather than as
// v128.const: V8 on x64 rebuilds every v128.const inside a loop with three shuffle-port
// instructions, which made exp about twice as slow; a splat-load is a single vbroadcastss.
import { madd } from './simd';

/** The 32-bit value stored at `cell`, in all four lanes. */
// @ts-ignore: decorator
@inline export function k(cell: usize): v128 { return v128.load32_splat(cell); }

// Shared cells.
export const ONE = memory.data<f32>([1.0]);
export const TWO = memory.data<f32>([2.0]);
export const HALF = memory.data<f32>([0.5]); // its bits, 0x3f000000, also build a mantissa in [0.5, 1)
export const MINUS_HALF = memory.data<f32>([-0.5]);
const SIGN_MASK = memory.data<i32>([<i32>0x80000000]);

// exp
const EXP_MIN = memory.data<f32>([-104.0]); // keeps n >= -150: the result has underflowed to 0
const EXP_MAX = memory.data<f32>([89.0]); // keeps n <= 129: the result has overflowed to inf
const LOG2E = memory.data<f32>([1.44269504088896341]);
const SHIFTER = memory.data<f32>([12582912.0]); // 1.5·2^23: x + SHIFTER rounds x to an integer
// -ln 2 split so that n * NEG_LN2_HI is exact in f32 for |n| < 2^15 (Cody-Waite).
const NEG_LN2_HI = memory.data<f32>([-0.693359375]);
const NEG_LN2_LO = memory.data<f32>([2.12194440e-4]);
// Cephes expf minimax coefficients for e^r on |r| <= ln2/2.
const EXP_P0 = memory.data<f32>([1.9875691500e-4]);
const EXP_P1 = memory.data<f32>([1.3981999507e-3]);
const EXP_P2 = memory.data<f32>([8.3334519073e-3]);
const EXP_P3 = memory.data<f32>([4.1665795894e-2]);
const EXP_P4 = memory.data<f32>([1.6666665459e-1]);
const EXP_P5 = memory.data<f32>([5.0000001201e-1]);

// e^r for r = x − n·ln2 (Cody-Waite in two parts; fn is n as a float), |r| <= ln2/2.
// @ts-ignore: decorator
@inline function exp_reduced(x: v128, fn: v128): v128 {
  let r = madd(fn, k(NEG_LN2_HI), x);
  r = madd(fn, k(NEG_LN2_LO), r);
  let p = madd(k(EXP_P0), r, k(EXP_P1));
  p = madd(p, r, k(EXP_P2));
  p = madd(p, r, k(EXP_P3));
  p = madd(p, r, k(EXP_P4));
  p = madd(p, r, k(EXP_P5));
  return f32x4.add(madd(f32x4.mul(p, r), r, r), k(ONE)); // p r² + r first, then + 1: one rounding of the big term
}

/** e^x. Overflows to inf above ~88.72, underflows through the denormals to 0 below ~-103.97. */
// @ts-ignore: decorator
@inline export function exp_f32x4(x: v128): v128 {
  // pmin/pmax return their first operand when it is NaN, so NaN flows through unchanged.
  x = f32x4.pmin(f32x4.pmax(x, k(EXP_MIN)), k(EXP_MAX));
  // n = round(x / ln2): after adding the shifter, the low mantissa bits of the sum hold n.
  const shifted = madd(x, k(LOG2E), k(SHIFTER));
  const p = exp_reduced(x, f32x4.sub(shifted, k(SHIFTER)));
  // 2^n as two factors 2^(n>>1) · 2^(n - n>>1), so that both are normal floats even when the
  // result is denormal or overflows: the last multiply rounds once, the way a libm does.
  const n = i32x4.sub(shifted, k(SHIFTER));
  const n1 = i32x4.shr_s(n, 1);
  const s1 = i32x4.add(i32x4.shl(n1, 23), k(ONE)); // bits of 2^n1 = n1 << 23 + bits of 1.0
  const s2 = i32x4.add(i32x4.shl(i32x4.sub(n, n1), 23), k(ONE));
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

// expm1: Taylor coefficients 1/7! .. 1/3!, and the switch-over |x| < ln2/2.
const INV_5040 = memory.data<f32>([1.0 / 5040.0]);
const INV_720 = memory.data<f32>([1.0 / 720.0]);
const INV_120 = memory.data<f32>([1.0 / 120.0]);
const INV_24 = memory.data<f32>([1.0 / 24.0]);
const INV_6 = memory.data<f32>([1.0 / 6.0]);
const HALF_LN2 = memory.data<f32>([0.34657359]);

/** e^x - 1, accurate near 0 (where exp(x) - 1 would cancel). */
// @ts-ignore: decorator
@inline export function expm1_f32x4(x: v128): v128 {
  // |x| < ln2/2: Taylor to x^7/7! (truncation < 2e-8 relative), else exp(x) - 1 (no cancellation).
  let p = madd(x, k(INV_5040), k(INV_720));
  p = madd(p, x, k(INV_120));
  p = madd(p, x, k(INV_24));
  p = madd(p, x, k(INV_6));
  p = madd(p, x, k(HALF));
  const small = madd(f32x4.mul(p, x), x, x);
  const big = f32x4.sub(exp_f32x4(x), k(ONE));
  return v128.bitselect(small, big, f32x4.lt(f32x4.abs(x), k(HALF_LN2)));
}

// log
const FLT_MIN = memory.data<f32>([1.17549435e-38]);
const TWO_POW_23 = memory.data<f32>([8388608.0]);
const MINUS_23 = memory.data<i32>([-23]);
const EXPONENT_BYTE = memory.data<i32>([0xff]);
const EXPONENT_BIAS = memory.data<i32>([126]); // for a mantissa in [0.5, 1)
const MANTISSA_MASK = memory.data<i32>([0x007fffff]);
const SQRT_HALF = memory.data<f32>([0.70710678118654752]);
const LN2_HI = memory.data<f32>([0.693359375]);
const LN2_LO = memory.data<f32>([-2.12194440e-4]);
const NEG_INF = memory.data<f32>([-Infinity]);
const POS_INF = memory.data<f32>([Infinity]);
const QNAN = memory.data<f32>([NaN]);
// Cephes logf: log(1+f) = f - f²/2 + f³ P(f) on f in [sqrt(1/2) - 1, sqrt(2) - 1).
const LOG_P0 = memory.data<f32>([7.0376836292e-2]);
const LOG_P1 = memory.data<f32>([-1.1514610310e-1]);
const LOG_P2 = memory.data<f32>([1.1676998740e-1]);
const LOG_P3 = memory.data<f32>([-1.2420140846e-1]);
const LOG_P4 = memory.data<f32>([1.4249322787e-1]);
const LOG_P5 = memory.data<f32>([-1.6668057665e-1]);
const LOG_P6 = memory.data<f32>([2.0000714765e-1]);
const LOG_P7 = memory.data<f32>([-2.4999993993e-1]);
const LOG_P8 = memory.data<f32>([3.3333331174e-1]);

/** Natural logarithm; denormal inputs are handled exactly. */
// @ts-ignore: decorator
@inline export function log_f32x4(x: v128): v128 {
  // Scale denormals into the normal range first (x · 2^23, exponent - 23).
  const tiny = f32x4.lt(x, k(FLT_MIN));
  const xs = v128.bitselect(f32x4.mul(x, k(TWO_POW_23)), x, tiny);
  // x = m · 2^e with m in [0.5, 1)
  let e = i32x4.sub(v128.and(i32x4.shr_u(xs, 23), k(EXPONENT_BYTE)), k(EXPONENT_BIAS));
  e = i32x4.add(e, v128.and(tiny, k(MINUS_23)));
  let m = v128.or(v128.and(xs, k(MANTISSA_MASK)), k(HALF));
  // Keep m in [sqrt(1/2), sqrt(2)): below, double it and take one off the exponent. Then f = m - 1.
  const lowM = f32x4.lt(m, k(SQRT_HALF));
  e = i32x4.add(e, lowM); // the mask is -1 where true
  m = f32x4.sub(v128.bitselect(f32x4.add(m, m), m, lowM), k(ONE));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(m, m);
  let p = madd(k(LOG_P0), m, k(LOG_P1));
  p = madd(p, m, k(LOG_P2));
  p = madd(p, m, k(LOG_P3));
  p = madd(p, m, k(LOG_P4));
  p = madd(p, m, k(LOG_P5));
  p = madd(p, m, k(LOG_P6));
  p = madd(p, m, k(LOG_P7));
  p = madd(p, m, k(LOG_P8));
  let y = f32x4.mul(f32x4.mul(p, m), z);
  y = madd(fe, k(LN2_LO), y);
  y = madd(z, k(MINUS_HALF), y);
  let r = f32x4.add(m, y);
  r = madd(fe, k(LN2_HI), r);
  // Special values: log(0) = -inf, log(x<0) = NaN, log(inf) = inf, NaN stays NaN.
  r = v128.bitselect(k(NEG_INF), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(k(QNAN), r, f32x4.lt(x, f32x4.splat(0)));
  r = v128.bitselect(x, r, v128.or(f32x4.eq(x, k(POS_INF)), f32x4.ne(x, x)));
  return r;
}

/** log(1 + u) for u >= 0, accurate for tiny u (Kahan's trick: log(w) · u / (w - 1), w = 1 + u). */
// @ts-ignore: decorator
@inline export function log1p_pos_f32x4(u: v128): v128 {
  const w = f32x4.add(u, k(ONE));
  const q = f32x4.div(f32x4.mul(log_f32x4(w), u), f32x4.sub(w, k(ONE)));
  return v128.bitselect(u, q, f32x4.eq(w, k(ONE)));
}

// sigmoid: a leaner e^v than exp_f32x4 for v = -x in [-86, 88], where 2^n (n in [-124, 127]) is
// one normal float, so no denormal or overflow handling is needed.
const SIG_MIN = memory.data<f32>([-88.0]); // below, 1 / (1 + e^88) ≈ 6e-39 or less: returns 0
const SIG_MAX = memory.data<f32>([86.0]); // above, 1 / (1 + e^-86) rounds to 1
const EXP_BIAS_FROM_SHIFTER = memory.data<i32>([127 - 0x4b400000]); // bits(SHIFTER + n) + this = n + 127

/** The logistic function 1 / (1 + e^-x): ~2 ulp, 0 below x = -88 (where it is under 7e-39). */
// @ts-ignore: decorator
@inline export function sigmoid_f32x4(x: v128): v128 {
  // pmin/pmax keep NaN (their first operand), which then flows through the arithmetic.
  const v = f32x4.neg(f32x4.pmin(f32x4.pmax(x, k(SIG_MIN)), k(SIG_MAX)));
  const shifted = madd(v, k(LOG2E), k(SHIFTER));
  const p = exp_reduced(v, f32x4.sub(shifted, k(SHIFTER)));
  const scale = i32x4.shl(i32x4.add(shifted, k(EXP_BIAS_FROM_SHIFTER)), 23); // 2^n
  const s = f32x4.div(k(ONE), f32x4.add(f32x4.mul(p, scale), k(ONE)));
  return v128.andnot(s, f32x4.lt(x, k(SIG_MIN))); // 0 below the range; NaN is not below it
}

/** |mag| with the sign of sgn (mag must be >= 0). */
// @ts-ignore: decorator
@inline export function copysign_f32x4(mag: v128, sgn: v128): v128 {
  return v128.bitselect(sgn, mag, k(SIGN_MASK));
}

// tanh(x) = x·P(x²)/Q(x²) on |x| <= 9 (beyond, tanh rounds to ±1 in f32): a 9/8-degree rational
// fitted for this library (iteratively reweighted least squares on the relative error, 2e-8 in
// exact arithmetic; 3.5e-7 ≈ 5 ulp with f32 rounding). One division and no exp: 2–3× faster
// than tanh from expm1, and the recurrent cells spend most of their time here.
const TANH_CAP = memory.data<f32>([9.0]);
const MINUS_TANH_CAP = memory.data<f32>([-9.0]);
const MINUS_ONE = memory.data<f32>([-1.0]);
const TANH_P0 = memory.data<f32>([0.9999999794908019]);
const TANH_P1 = memory.data<f32>([0.13381035693479243]);
const TANH_P2 = memory.data<f32>([0.0034955999279490625]);
const TANH_P3 = memory.data<f32>([2.0609270895135237e-05]);
const TANH_P4 = memory.data<f32>([1.335491223742283e-08]);
const TANH_Q1 = memory.data<f32>([0.467143512963274]);
const TANH_Q2 = memory.data<f32>([0.025877027454452844]);
const TANH_Q3 = memory.data<f32>([0.0003285653875140972]);
const TANH_Q4 = memory.data<f32>([7.776663159936905e-07]);

/** tanh(x) within 3.5e-7 relative; ±1 beyond |x| = 9, NaN stays NaN. */
// @ts-ignore: decorator
@inline export function tanh_f32x4(x: v128): v128 {
  const a = f32x4.pmin(f32x4.pmax(x, k(MINUS_TANH_CAP)), k(TANH_CAP));
  const t = f32x4.mul(a, a);
  let p = madd(k(TANH_P4), t, k(TANH_P3));
  p = madd(p, t, k(TANH_P2));
  p = madd(p, t, k(TANH_P1));
  p = madd(p, t, k(TANH_P0));
  let q = madd(k(TANH_Q4), t, k(TANH_Q3));
  q = madd(q, t, k(TANH_Q2));
  q = madd(q, t, k(TANH_Q1));
  q = madd(q, t, k(ONE));
  // Rounding can take the ratio a hair past 1 near the cap: clamp (NaN passes, first operand).
  return f32x4.pmin(f32x4.pmax(f32x4.div(f32x4.mul(a, p), q), k(MINUS_ONE)), k(ONE));
}

// Normal tail: t = 1 / (1 + a/(2√2)), and Numerical Recipes' erfcc coefficients.
const INV_2_SQRT2 = memory.data<f32>([0.35355339059327376]);
const HEAD_MASK = memory.data<i32>([<i32>0xfffff000]); // keeps 12 significant bits
const ERFC_P0 = memory.data<f32>([0.17087277]);
const ERFC_P1 = memory.data<f32>([-0.82215223]);
const ERFC_P2 = memory.data<f32>([1.48851587]);
const ERFC_P3 = memory.data<f32>([-1.13520398]);
const ERFC_P4 = memory.data<f32>([0.27886807]);
const ERFC_P5 = memory.data<f32>([-0.18628806]);
const ERFC_P6 = memory.data<f32>([0.09678418]);
const ERFC_P7 = memory.data<f32>([0.37409196]);
const ERFC_P8 = memory.data<f32>([1.00002368]);
const ERFC_P9 = memory.data<f32>([-1.26551223]);

/**
 * Φ(-a) = erfc(a/√2)/2 for a >= 0, the normal tail. Numerical Recipes' Chebyshev fit `erfcc`
 * (relative error < 1.1e-7 for every a): erfc(z) = t exp(-z² + P(t)), t = 1 / (1 + z/2).
 * Relative accuracy holds deep into the tail. z² = a²/2 is taken from a (not from a rounded
 * z = a/√2) and split as ah² + (a - ah)(a + ah) with ah² exact (ah keeps 12 significant bits):
 * a rounding error in the exponent would be amplified by exp.
 */
// @ts-ignore: decorator
@inline export function normal_tail_f32x4(a: v128): v128 {
  const t = f32x4.div(k(ONE), madd(a, k(INV_2_SQRT2), k(ONE)));
  let p = madd(k(ERFC_P0), t, k(ERFC_P1));
  p = madd(p, t, k(ERFC_P2));
  p = madd(p, t, k(ERFC_P3));
  p = madd(p, t, k(ERFC_P4));
  p = madd(p, t, k(ERFC_P5));
  p = madd(p, t, k(ERFC_P6));
  p = madd(p, t, k(ERFC_P7));
  p = madd(p, t, k(ERFC_P8));
  p = madd(p, t, k(ERFC_P9));
  const ah = v128.and(a, k(HEAD_MASK));
  const low = f32x4.mul(f32x4.mul(f32x4.sub(a, ah), f32x4.add(a, ah)), k(MINUS_HALF));
  const head = exp_f32x4(f32x4.mul(f32x4.mul(ah, ah), k(MINUS_HALF)));
  return f32x4.mul(f32x4.mul(f32x4.mul(t, k(HALF)), exp_f32x4(f32x4.add(p, low))), head);
}

// Cephes erff for |z| <= 1: erf(z) = z P(z²), relative error ~1e-9 before rounding.
const ERF_P0 = memory.data<f32>([7.853861353153693e-5]);
const ERF_P1 = memory.data<f32>([-8.010193625184903e-4]);
const ERF_P2 = memory.data<f32>([5.188327685732524e-3]);
const ERF_P3 = memory.data<f32>([-2.685381193529856e-2]);
const ERF_P4 = memory.data<f32>([1.128358514861418e-1]);
const ERF_P5 = memory.data<f32>([-3.761262582423300e-1]);
const ERF_P6 = memory.data<f32>([1.128379165726710]);

/** erf(z) for |z| <= 1. */
// @ts-ignore: decorator
@inline export function erf_small_f32x4(z: v128): v128 {
  const zz = f32x4.mul(z, z);
  let p = madd(k(ERF_P0), zz, k(ERF_P1));
  p = madd(p, zz, k(ERF_P2));
  p = madd(p, zz, k(ERF_P3));
  p = madd(p, zz, k(ERF_P4));
  p = madd(p, zz, k(ERF_P5));
  p = madd(p, zz, k(ERF_P6));
  return f32x4.mul(z, p);
}

/**
 * Φ(x), the standard normal CDF. Near 0 (|x|/√2 < 0.5): (1 + erf(x/√2)) / 2, where nothing
 * cancels; elsewhere the tail Φ(x) for x < 0 and 1 - Φ(-x) for x > 0, accurate far out.
 */
// @ts-ignore: decorator
@inline export function normal_cdf_f32x4(x: v128): v128 {
  const z = f32x4.mul(x, k(SQRT_HALF));
  const q = normal_tail_f32x4(f32x4.abs(x));
  const tail = v128.bitselect(f32x4.sub(k(ONE), q), q, f32x4.ge(x, f32x4.splat(0)));
  const center = madd(erf_small_f32x4(z), k(HALF), k(HALF));
  return v128.bitselect(center, tail, f32x4.lt(f32x4.abs(z), k(HALF)));
}

const INV_SQRT_2PI = memory.data<f32>([0.3989422804014327]);

/** φ(x) = e^(-x²/2) / √(2π), the standard normal density. */
// @ts-ignore: decorator
@inline export function normal_pdf_f32x4(x: v128): v128 {
  return f32x4.mul(exp_f32x4(f32x4.mul(f32x4.mul(x, x), k(MINUS_HALF))), k(INV_SQRT_2PI));
}

// ---- the 1-3 values after the last full vector of a row ----

/** Lanes 0..rem-1 from p (rem in 1..3), the other lanes from pad. Reads only the rem values. */
// @ts-ignore: decorator
@inline export function load_tail_f32x4(p: usize, rem: i32, pad: v128): v128 {
  let v = f32x4.replace_lane(pad, 0, load<f32>(p));
  if (rem > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (rem > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores lanes 0..rem-1 of v to p (rem in 1..3). */
// @ts-ignore: decorator
@inline export function store_tail_f32x4(p: usize, v: v128, rem: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (rem > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (rem > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
