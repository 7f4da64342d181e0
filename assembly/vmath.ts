// Vector transcendental functions on f32x4, for the activation, softmax, loss and rnn kernels.
// Cephes-style: Cody-Waite range reduction + a short polynomial. Deterministic on the default
// build (plain mul+add); `madd` fuses only on the relaxed build. Accuracy (vs f64 Math.*, over
// the whole f32 range, measured by test/kernels/activation.test.ts): exp ≈ 1 ulp, log ≈ 1 ulp,
// expm1/tanh/sigmoid/softplus 2-3 ulp, Φ (for gelu) a few ulp.
// Special values follow IEEE: NaN in → NaN out, exp(+inf) = inf, exp(-inf) = 0, log(0) = -inf,
// log(x<0) = NaN; sigmoid and tanh saturate cleanly for any |x| (no inf/inf).
import { madd } from './simd';

// @ts-ignore: decorator
@inline function splat(v: f32): v128 { return f32x4.splat(v); }

const LOG2E: f32 = 1.44269504088896341;
// ln 2 split so that n * LN2_HI is exact in f32 for |n| < 2^15 (Cody-Waite).
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** e^x. Overflows to inf above ~88.72, underflows through the denormals to 0 below ~-103.97. */
// @ts-ignore: decorator
@inline export function exp_f32x4(x: v128): v128 {
  // Clamping keeps n in [-150, 129]; min/max propagate NaN, which then flows through unchanged.
  x = f32x4.min(f32x4.max(x, splat(-104.0)), splat(89.0));
  const fn = f32x4.nearest(f32x4.mul(x, splat(LOG2E)));
  let r = madd(fn, splat(-LN2_HI), x);
  r = madd(fn, splat(-LN2_LO), r);
  // e^r on |r| <= ln2/2 (Cephes expf minimax coefficients)
  let p = madd(splat(1.9875691500e-4), r, splat(1.3981999507e-3));
  p = madd(p, r, splat(8.3334519073e-3));
  p = madd(p, r, splat(4.1665795894e-2));
  p = madd(p, r, splat(1.6666665459e-1));
  p = madd(p, r, splat(5.0000001201e-1));
  p = f32x4.add(madd(f32x4.mul(p, r), r, r), splat(1.0)); // p r^2 + r first, then + 1: one rounding of the big term
  // 2^n as two factors 2^(n>>1) * 2^(n - n>>1), so that both are normal floats even when the
  // result is denormal or overflows: the final multiply rounds once, the way a libm does.
  const n = i32x4.trunc_sat_f32x4_s(fn);
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

/** e^x - 1, accurate near 0 (where exp(x) - 1 would cancel). */
// @ts-ignore: decorator
@inline export function expm1_f32x4(x: v128): v128 {
  // |x| < ln2/2: Taylor to x^7/7! (truncation < 2e-8 relative), else exp(x) - 1 (no cancellation).
  let p = madd(x, splat(1.0 / 5040.0), splat(1.0 / 720.0));
  p = madd(p, x, splat(1.0 / 120.0));
  p = madd(p, x, splat(1.0 / 24.0));
  p = madd(p, x, splat(1.0 / 6.0));
  p = madd(p, x, splat(0.5));
  const small = madd(f32x4.mul(p, x), x, x);
  const big = f32x4.sub(exp_f32x4(x), splat(1.0));
  return v128.bitselect(small, big, f32x4.lt(f32x4.abs(x), splat(0.34657359)));
}

const SQRT_HALF: f32 = 0.70710678118654752;

/** Natural logarithm; denormal inputs are handled exactly. */
// @ts-ignore: decorator
@inline export function log_f32x4(x: v128): v128 {
  // Scale denormals into the normal range first (x * 2^23, exponent - 23).
  const tiny = f32x4.lt(x, splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, splat(8388608.0)), x, tiny);
  // x = m * 2^e with m in [0.5, 1)
  let e = i32x4.sub(v128.and(i32x4.shr_u(xs, 23), i32x4.splat(0xff)), i32x4.splat(126));
  e = i32x4.add(e, v128.and(tiny, i32x4.splat(-23)));
  let m = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  // Keep m in [sqrt(1/2), sqrt(2)): below, double it and take one off the exponent. Then f = m - 1.
  const lowM = f32x4.lt(m, splat(SQRT_HALF));
  e = i32x4.add(e, lowM); // the mask is -1 where true
  m = f32x4.sub(v128.bitselect(f32x4.add(m, m), m, lowM), splat(1.0));
  const fe = f32x4.convert_i32x4_s(e);
  const z = f32x4.mul(m, m);
  // log(1+f) = f - f^2/2 + f^3 P(f)  (Cephes logf)
  let p = madd(splat(7.0376836292e-2), m, splat(-1.1514610310e-1));
  p = madd(p, m, splat(1.1676998740e-1));
  p = madd(p, m, splat(-1.2420140846e-1));
  p = madd(p, m, splat(1.4249322787e-1));
  p = madd(p, m, splat(-1.6668057665e-1));
  p = madd(p, m, splat(2.0000714765e-1));
  p = madd(p, m, splat(-2.4999993993e-1));
  p = madd(p, m, splat(3.3333331174e-1));
  let y = f32x4.mul(f32x4.mul(p, m), z);
  y = madd(fe, splat(LN2_LO), y);
  y = madd(z, splat(-0.5), y);
  let r = f32x4.add(m, y);
  r = madd(fe, splat(LN2_HI), r);
  // Special values: log(0) = -inf, log(x<0) = NaN, log(inf) = inf, NaN stays NaN.
  r = v128.bitselect(splat(-Infinity), r, f32x4.eq(x, splat(0.0)));
  r = v128.bitselect(splat(NaN), r, f32x4.lt(x, splat(0.0)));
  r = v128.bitselect(x, r, v128.or(f32x4.eq(x, splat(Infinity)), f32x4.ne(x, x)));
  return r;
}

/** log(1 + u) for u >= 0, accurate for tiny u (Kahan's trick: log(w) * u / (w - 1), w = 1 + u). */
// @ts-ignore: decorator
@inline export function log1p_pos_f32x4(u: v128): v128 {
  const w = f32x4.add(u, splat(1.0));
  const q = f32x4.div(f32x4.mul(log_f32x4(w), u), f32x4.sub(w, splat(1.0)));
  return v128.bitselect(u, q, f32x4.eq(w, splat(1.0)));
}

/** The logistic function 1 / (1 + e^-x), computed from e^-|x| so it never overflows. */
// @ts-ignore: decorator
@inline export function sigmoid_f32x4(x: v128): v128 {
  const e = exp_f32x4(f32x4.neg(f32x4.abs(x)));
  const d = f32x4.div(splat(1.0), f32x4.add(e, splat(1.0)));
  return v128.bitselect(d, f32x4.mul(e, d), f32x4.ge(x, splat(0.0)));
}

/** sigmoid(-x) = 1 - sigmoid(x), without the cancellation of the subtraction. */
// @ts-ignore: decorator
@inline export function sigmoid_neg_f32x4(x: v128): v128 {
  return sigmoid_f32x4(f32x4.neg(x));
}

// @ts-ignore: decorator
@inline export function copysign_f32x4(mag: v128, sgn: v128): v128 {
  return v128.bitselect(sgn, mag, i32x4.splat(<i32>0x80000000));
}

/** tanh(x) = sign(x) * em / (em + 2), em = expm1(2|x|); |x| is capped at 10 where tanh is 1 in f32. */
// @ts-ignore: decorator
@inline export function tanh_f32x4(x: v128): v128 {
  const a = f32x4.min(f32x4.abs(x), splat(10.0));
  const em = expm1_f32x4(f32x4.add(a, a));
  return copysign_f32x4(f32x4.div(em, f32x4.add(em, splat(2.0))), x);
}

/**
 * Φ(-a) = erfc(a/√2)/2 for a >= 0, the normal tail. Numerical Recipes' Chebyshev fit `erfcc`
 * (relative error < 1.1e-7 for every a): erfc(z) = t exp(-z^2 + P(t)), t = 1 / (1 + z/2).
 * Relative accuracy holds deep into the tail. z^2 = a^2/2 is taken from a (not from a rounded
 * z = a/√2) and split as ah^2 + (a - ah)(a + ah) with ah^2 exact (ah keeps 12 significant bits):
 * a rounding error in the exponent would be amplified by exp.
 */
// @ts-ignore: decorator
@inline export function normal_tail_f32x4(a: v128): v128 {
  const t = f32x4.div(splat(1.0), madd(a, splat(0.35355339059327376), splat(1.0)));
  let p = madd(splat(0.17087277), t, splat(-0.82215223));
  p = madd(p, t, splat(1.48851587));
  p = madd(p, t, splat(-1.13520398));
  p = madd(p, t, splat(0.27886807));
  p = madd(p, t, splat(-0.18628806));
  p = madd(p, t, splat(0.09678418));
  p = madd(p, t, splat(0.37409196));
  p = madd(p, t, splat(1.00002368));
  p = madd(p, t, splat(-1.26551223));
  const ah = v128.and(a, i32x4.splat(<i32>0xfffff000));
  const low = f32x4.mul(f32x4.mul(f32x4.sub(a, ah), f32x4.add(a, ah)), splat(-0.5));
  const head = exp_f32x4(f32x4.mul(f32x4.mul(ah, ah), splat(-0.5)));
  return f32x4.mul(f32x4.mul(f32x4.mul(t, splat(0.5)), exp_f32x4(f32x4.add(p, low))), head);
}

/** erf(z) for |z| <= 1: z P(z^2) (Cephes erff, relative error ~1e-9 before rounding). */
// @ts-ignore: decorator
@inline export function erf_small_f32x4(z: v128): v128 {
  const zz = f32x4.mul(z, z);
  let p = madd(splat(7.853861353153693e-5), zz, splat(-8.010193625184903e-4));
  p = madd(p, zz, splat(5.188327685732524e-3));
  p = madd(p, zz, splat(-2.685381193529856e-2));
  p = madd(p, zz, splat(1.128358514861418e-1));
  p = madd(p, zz, splat(-3.761262582423300e-1));
  p = madd(p, zz, splat(1.128379165726710));
  return f32x4.mul(z, p);
}

/**
 * Φ(x), the standard normal CDF. Near 0 (|x|/√2 < 0.5): (1 + erf(x/√2)) / 2, where nothing
 * cancels; elsewhere the tail Φ(x) for x < 0 and 1 - Φ(-x) for x > 0, accurate far out.
 */
// @ts-ignore: decorator
@inline export function normal_cdf_f32x4(x: v128): v128 {
  const z = f32x4.mul(x, splat(SQRT_HALF));
  const q = normal_tail_f32x4(f32x4.abs(x));
  const tail = v128.bitselect(f32x4.sub(splat(1.0), q), q, f32x4.ge(x, splat(0.0)));
  const center = madd(erf_small_f32x4(z), splat(0.5), splat(0.5));
  return v128.bitselect(center, tail, f32x4.lt(f32x4.abs(z), splat(0.5)));
}

/** φ(x) = e^(-x²/2) / √(2π), the standard normal density. */
// @ts-ignore: decorator
@inline export function normal_pdf_f32x4(x: v128): v128 {
  return f32x4.mul(exp_f32x4(f32x4.mul(f32x4.mul(x, x), splat(-0.5))), splat(0.3989422804014327));
}
