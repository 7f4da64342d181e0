// Fused losses: each forward writes the scalar mean loss, each backward adds dy·∂loss/∂yPred
// into dp in one pass. Sums are accumulated in f64 in a fixed order. Probabilities are clipped
// to [EPS, 1-EPS] as Keras and tfjs do; where the clip is active the gradient is zero (as for
// tf.clip_by_value).
import { at } from '../simd';

// Per-element losses: out = scale · Σ_i ℓ(t_i, p_i). The TS side picks scale (1/n for the
// mean-over-the-last-axis losses, 1/rows for KL divergence, which sums over the last axis).
export const LOSS_MSE = 0, LOSS_MAE = 1, LOSS_HUBER = 2, LOSS_HINGE = 3, LOSS_PERCEPTRON = 4,
  LOSS_BCE = 5, LOSS_BCE_LOGITS = 6, LOSS_KLD = 7;
// kinds up to here have SIMD forms; the rest need log/exp per element and run scalar
const LAST_SIMD_KIND = LOSS_PERCEPTRON;

const EPS: f32 = 1e-7;
const ONE_MINUS_EPS: f32 = 1 - 1e-7;

// @ts-ignore: decorator
@inline function clampf(v: f32, lo: f32, hi: f32): f32 { return v < lo ? lo : v > hi ? hi : v; }
// @ts-ignore: decorator
@inline function signf(v: f32): f32 { return v > 0 ? 1 : v < 0 ? -1 : 0; }

// Hinge and perceptron take ±1 labels; labels that are all 0/1 are mapped to ±1 (Keras 3 does this).
// @ts-ignore: decorator
@inline function signedLabel(t: f32, binary: i32): f32 { return binary ? t + t - 1 : t; }

// Returns 1 when every t:(n) is 0 or 1.
export function labels_are_binary(t: usize, n: i32): i32 {
  for (let i = 0; i < n; i++) {
    const v = load<f32>(at(t, i));
    if (v != 0 && v != 1) return 0;
  }
  return 1;
}

// @ts-ignore: decorator
@inline function lossAt(kind: i32, t: f32, p: f32, binary: i32): f32 {
  switch (kind) {
    case LOSS_MSE: { const e = p - t; return e * e; }
    case LOSS_MAE: return Mathf.abs(p - t);
    case LOSS_HUBER: { const e = p - t, a = Mathf.abs(e); return a <= 1 ? 0.5 * (e * e) : a - 0.5; }
    case LOSS_HINGE: { const m: f32 = 1 - signedLabel(t, binary) * p; return m > 0 ? m : 0; }
    case LOSS_PERCEPTRON: { const m = -(signedLabel(t, binary) * p); return m > 0 ? m : 0; }
    case LOSS_BCE: {
      const q = clampf(p, EPS, ONE_MINUS_EPS);
      return -(t * Mathf.log(q) + (1 - t) * Mathf.log(1 - q));
    }
    case LOSS_BCE_LOGITS: // max(x,0) - x·t + log(1 + e^-|x|): no overflow for any logit
      return (p > 0 ? p : 0) - p * t + Mathf.log1p(Mathf.exp(-Mathf.abs(p)));
    default: { // LOSS_KLD
      const tc = clampf(t, EPS, 1), q = clampf(p, EPS, 1);
      return tc * Mathf.log(tc / q);
    }
  }
}

// ∂ℓ/∂p
// @ts-ignore: decorator
@inline function gradAt(kind: i32, t: f32, p: f32, binary: i32): f32 {
  switch (kind) {
    case LOSS_MSE: { const e = p - t; return e + e; }
    case LOSS_MAE: return signf(p - t);
    case LOSS_HUBER: { const e = p - t; return Mathf.abs(e) <= 1 ? e : signf(e); }
    case LOSS_HINGE: { const y = signedLabel(t, binary); return y * p < 1 ? -y : 0; }
    // At y·p = 0 (the kink, where a zero-initialized perceptron starts) the subgradient is -y,
    // so the classic update also fires on points lying on the boundary.
    case LOSS_PERCEPTRON: { const y = signedLabel(t, binary); return y * p <= 0 ? -y : 0; }
    case LOSS_BCE:
      return p >= EPS && p <= ONE_MINUS_EPS ? (p - t) / (p * (1 - p)) : 0;
    case LOSS_BCE_LOGITS:
      return (p >= 0 ? 1 / (1 + Mathf.exp(-p)) : 1 - 1 / (1 + Mathf.exp(p))) - t;
    default: { // LOSS_KLD
      const tc = clampf(t, EPS, 1);
      return p >= EPS && p <= 1 ? -tc / p : 0;
    }
  }
}

// @ts-ignore: decorator
@inline function lossV(kind: i32, t: v128, p: v128): v128 {
  const one = f32x4.splat(1), half = f32x4.splat(0.5), zero = f32x4.splat(0);
  const e = f32x4.sub(p, t);
  switch (kind) {
    case LOSS_MSE: return f32x4.mul(e, e);
    case LOSS_MAE: return f32x4.abs(e);
    case LOSS_HUBER: {
      const a = f32x4.abs(e);
      return v128.bitselect(f32x4.mul(half, f32x4.mul(e, e)), f32x4.sub(a, half), f32x4.le(a, one));
    }
    case LOSS_HINGE: return f32x4.max(f32x4.sub(one, f32x4.mul(t, p)), zero);
    default: return f32x4.max(f32x4.neg(f32x4.mul(t, p)), zero); // LOSS_PERCEPTRON
  }
}

// @ts-ignore: decorator
@inline function gradV(kind: i32, t: v128, p: v128): v128 {
  const one = f32x4.splat(1), zero = f32x4.splat(0);
  const e = f32x4.sub(p, t);
  const sign = f32x4.sub(v128.and(f32x4.gt(e, zero), one), v128.and(f32x4.lt(e, zero), one));
  switch (kind) {
    case LOSS_MSE: return f32x4.add(e, e);
    case LOSS_MAE: return sign;
    case LOSS_HUBER: return v128.bitselect(e, sign, f32x4.le(f32x4.abs(e), one));
    case LOSS_HINGE: return v128.and(f32x4.lt(f32x4.mul(t, p), one), f32x4.neg(t));
    default: return v128.and(f32x4.le(f32x4.mul(t, p), zero), f32x4.neg(t)); // LOSS_PERCEPTRON
  }
}

// @ts-ignore: decorator
@inline function signedLabelsV(t: v128, binary: i32): v128 {
  return binary ? f32x4.sub(f32x4.add(t, t), f32x4.splat(1)) : t;
}

// Σ ℓ(t, p) over n elements, f64, in a fixed order (SIMD lanes for the simple kinds, then the tail).
// @ts-ignore: decorator
@inline function lossSum(t: usize, p: usize, n: i32, kind: i32, binary: i32): f64 {
  let s: f64 = 0;
  let i = 0;
  if (kind <= LAST_SIMD_KIND) {
    const signed = kind == LOSS_HINGE || kind == LOSS_PERCEPTRON;
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      let tv = v128.load(at(t, i));
      if (signed) tv = signedLabelsV(tv, binary);
      const l = lossV(kind, tv, v128.load(at(p, i)));
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(l));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(f32x4.shuffle(l, l, 2, 3, 0, 1)));
    }
    s = f64x2.extract_lane(lo, 0) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 1);
  }
  for (; i < n; i++) s += <f64>lossAt(kind, load<f32>(at(t, i)), load<f32>(at(p, i)), binary);
  return s;
}

// @ts-ignore: decorator
@inline function lossSumRef(t: usize, p: usize, n: i32, kind: i32, binary: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += <f64>lossAt(kind, load<f32>(at(t, i)), load<f32>(at(p, i)), binary);
  return s;
}

// dp:(n) += coef · ∂ℓ/∂p
// @ts-ignore: decorator
@inline function gradAdd(dp: usize, t: usize, p: usize, n: i32, kind: i32, binary: i32, coef: f32): void {
  let i = 0;
  if (kind <= LAST_SIMD_KIND) {
    const signed = kind == LOSS_HINGE || kind == LOSS_PERCEPTRON;
    const cv = f32x4.splat(coef);
    for (; i + 4 <= n; i += 4) {
      let tv = v128.load(at(t, i));
      if (signed) tv = signedLabelsV(tv, binary);
      const g = gradV(kind, tv, v128.load(at(p, i)));
      v128.store(at(dp, i), f32x4.add(v128.load(at(dp, i)), f32x4.mul(g, cv)));
    }
  }
  for (; i < n; i++) {
    store<f32>(at(dp, i), load<f32>(at(dp, i)) + gradAt(kind, load<f32>(at(t, i)), load<f32>(at(p, i)), binary) * coef);
  }
}

// @ts-ignore: decorator
@inline function gradAddRef(dp: usize, t: usize, p: usize, n: i32, kind: i32, binary: i32, coef: f32): void {
  for (let i = 0; i < n; i++) {
    store<f32>(at(dp, i), load<f32>(at(dp, i)) + gradAt(kind, load<f32>(at(t, i)), load<f32>(at(p, i)), binary) * coef);
  }
}

// out:(1) = scale · Σ ℓ(t, p)   t:(n) p:(n); binary: labels_are_binary(t) for hinge/perceptron
export function elementwise_loss_forward(out: usize, t: usize, p: usize, n: i32, kind: i32, binary: i32, scale: f64): void {
  store<f32>(out, <f32>(lossSum(t, p, n, kind, binary) * scale));
}

export function elementwise_loss_forward_ref(out: usize, t: usize, p: usize, n: i32, kind: i32, binary: i32, scale: f64): void {
  store<f32>(out, <f32>(lossSumRef(t, p, n, kind, binary) * scale));
}

// dp:(n) += dy[0] · scale · ∂ℓ/∂p   t:(n) p:(n) dy:(1)
export function elementwise_loss_backward(dp: usize, t: usize, p: usize, dy: usize, n: i32, kind: i32, binary: i32, scale: f64): void {
  gradAdd(dp, t, p, n, kind, binary, <f32>(<f64>load<f32>(dy) * scale));
}

export function elementwise_loss_backward_ref(dp: usize, t: usize, p: usize, dy: usize, n: i32, kind: i32, binary: i32, scale: f64): void {
  gradAddRef(dp, t, p, n, kind, binary, <f32>(<f64>load<f32>(dy) * scale));
}

// Sample-weighted (Keras sample_weight): sample s holds `per` consecutive elements and weight w[s].
// out:(1) = scale · Σ_s w_s · Σ_{its elements} ℓ(t, p)   t,p:(samples·per) w:(samples)
export function elementwise_loss_weighted_forward(out: usize, t: usize, p: usize, w: usize, samples: i32, per: i32,
                                                  kind: i32, binary: i32, scale: f64): void {
  let s: f64 = 0;
  for (let r = 0; r < samples; r++) {
    const o = r * per;
    s += <f64>load<f32>(at(w, r)) * lossSum(at(t, o), at(p, o), per, kind, binary);
  }
  store<f32>(out, <f32>(s * scale));
}

export function elementwise_loss_weighted_forward_ref(out: usize, t: usize, p: usize, w: usize, samples: i32, per: i32,
                                                      kind: i32, binary: i32, scale: f64): void {
  let s: f64 = 0;
  for (let r = 0; r < samples; r++) {
    const o = r * per;
    s += <f64>load<f32>(at(w, r)) * lossSumRef(at(t, o), at(p, o), per, kind, binary);
  }
  store<f32>(out, <f32>(s * scale));
}

// dp += dy[0] · scale · w_s · ∂ℓ/∂p over each sample's elements
export function elementwise_loss_weighted_backward(dp: usize, t: usize, p: usize, w: usize, dy: usize, samples: i32, per: i32,
                                                   kind: i32, binary: i32, scale: f64): void {
  const d = <f64>load<f32>(dy) * scale;
  for (let r = 0; r < samples; r++) {
    const o = r * per;
    gradAdd(at(dp, o), at(t, o), at(p, o), per, kind, binary, <f32>(d * <f64>load<f32>(at(w, r))));
  }
}

export function elementwise_loss_weighted_backward_ref(dp: usize, t: usize, p: usize, w: usize, dy: usize, samples: i32, per: i32,
                                                       kind: i32, binary: i32, scale: f64): void {
  const d = <f64>load<f32>(dy) * scale;
  for (let r = 0; r < samples; r++) {
    const o = r * per;
    gradAddRef(at(dp, o), at(t, o), at(p, o), per, kind, binary, <f32>(d * <f64>load<f32>(at(w, r))));
  }
}

// Per-sample weights from class weights (Keras class_weight): the class of row r is argmax of
// y's row when cols > 1 (one-hot), else round(y[r]) (sparse or binary labels); w[r] = table[class].
// Returns the first row whose class is outside [0, nTable), or -1.   w:(rows) y:(rows,cols) table:(nTable)
export function class_sample_weights(w: usize, y: usize, table: usize, rows: i32, cols: i32, nTable: i32): i32 {
  for (let r = 0; r < rows; r++) {
    let c: i32;
    if (cols > 1) {
      const yr = at(y, r * cols);
      c = 0;
      for (let j = 1; j < cols; j++) if (load<f32>(at(yr, j)) > load<f32>(at(yr, c))) c = j;
    } else {
      const v = Mathf.round(load<f32>(at(y, r)));
      if (!(v >= 0 && v < <f32>nTable)) return r;
      c = <i32>v;
    }
    if (c >= nTable) return r;
    store<f32>(at(w, r), load<f32>(at(table, c)));
  }
  return -1;
}

// Cross-entropy over the last axis. t:(rows,cols) targets, or with sparse != 0 t:(rows) class
// indices stored as f32; p:(rows,cols) probabilities, or logits when fromLogits != 0.
// Probabilities are first normalized per row (p / Σp, as Keras and tfjs do), then clipped.

// @ts-ignore: decorator
@inline function target(t: usize, r: i32, j: i32, cols: i32, sparse: i32): f32 {
  if (sparse) return <i32>load<f32>(at(t, r)) == j ? 1 : 0;
  return load<f32>(at(t, r * cols + j));
}

// Returns the first row whose sparse label is not an integer in [0, cols), or -1 when all are.
export function sparse_labels_check(t: usize, rows: i32, cols: i32): i32 {
  for (let r = 0; r < rows; r++) {
    const v = load<f32>(at(t, r));
    if (!(v >= 0 && v < <f32>cols && Mathf.floor(v) == v)) return r;
  }
  return -1;
}

// @ts-ignore: decorator
@inline function rowMax(x: usize, n: i32): f32 {
  let m = load<f32>(x);
  for (let j = 1; j < n; j++) m = Mathf.max(m, load<f32>(at(x, j)));
  return m;
}

// @ts-ignore: decorator
@inline function rowSum(x: usize, n: i32): f32 {
  let s: f32 = 0;
  for (let j = 0; j < n; j++) s += load<f32>(at(x, j));
  return s;
}

// −Σ_j t_j log q_j of row r, q = softmax(p) (logits) or clip(p / Σp) (probabilities)
// @ts-ignore: decorator
@inline function ceRow(t: usize, p: usize, r: i32, cols: i32, sparse: i32, fromLogits: i32): f64 {
  const pr = at(p, r * cols);
  let row: f64 = 0;
  if (fromLogits) {
    // Σ_j t_j (lse − x_j), with lse = m + log Σ e^(x−m)
    const m = rowMax(pr, cols);
    let z: f32 = 0;
    for (let j = 0; j < cols; j++) z += Mathf.exp(load<f32>(at(pr, j)) - m);
    const lse = m + Mathf.log(z);
    for (let j = 0; j < cols; j++) {
      const tj = target(t, r, j, cols, sparse);
      if (tj != 0) row += <f64>(tj * (lse - load<f32>(at(pr, j))));
    }
  } else {
    const s = rowSum(pr, cols);
    for (let j = 0; j < cols; j++) {
      const tj = target(t, r, j, cols, sparse);
      if (tj != 0) row -= <f64>(tj * Mathf.log(clampf(load<f32>(at(pr, j)) / s, EPS, ONE_MINUS_EPS)));
    }
  }
  return row;
}

// row r of dp += coef · ∂/∂p of ceRow
// @ts-ignore: decorator
@inline function ceRowBackward(dp: usize, t: usize, p: usize, r: i32, cols: i32, sparse: i32, fromLogits: i32, coef: f32): void {
  const pr = at(p, r * cols), dr = at(dp, r * cols);
  if (fromLogits) {
    // ∂/∂x_k = softmax_k · Σt − t_k
    const m = rowMax(pr, cols);
    let z: f32 = 0, tsum: f32 = 0;
    for (let j = 0; j < cols; j++) {
      z += Mathf.exp(load<f32>(at(pr, j)) - m);
      tsum += target(t, r, j, cols, sparse);
    }
    const w = tsum / z;
    for (let j = 0; j < cols; j++) {
      const g = Mathf.exp(load<f32>(at(pr, j)) - m) * w - target(t, r, j, cols, sparse);
      store<f32>(at(dr, j), load<f32>(at(dr, j)) + g * coef);
    }
  } else {
    // With q = p/S and g_j = −t_j/q_j where the clip is inactive (0 elsewhere):
    // ∂/∂p_k = (g_k − Σ_j g_j q_j) / S, and Σ_j g_j q_j = −Σ_{unclipped j} t_j.
    const s = rowSum(pr, cols);
    let gq: f32 = 0;
    for (let j = 0; j < cols; j++) {
      const q = load<f32>(at(pr, j)) / s;
      if (q >= EPS && q <= ONE_MINUS_EPS) gq -= target(t, r, j, cols, sparse);
    }
    for (let j = 0; j < cols; j++) {
      const q = load<f32>(at(pr, j)) / s;
      const gk: f32 = q >= EPS && q <= ONE_MINUS_EPS ? -target(t, r, j, cols, sparse) / q : 0;
      store<f32>(at(dr, j), load<f32>(at(dr, j)) + (gk - gq) / s * coef);
    }
  }
}

// out:(1) = scale · Σ_rows −Σ_j t_j log q_j, q = softmax(p) (logits) or clip(p / Σp) (probabilities)
export function crossentropy_forward(out: usize, t: usize, p: usize, rows: i32, cols: i32, sparse: i32, fromLogits: i32, scale: f64): void {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) total += ceRow(t, p, r, cols, sparse, fromLogits);
  store<f32>(out, <f32>(total * scale));
}

// dp:(rows,cols) += dy[0] · scale · ∂/∂p of the row losses above
export function crossentropy_backward(dp: usize, t: usize, p: usize, dy: usize, rows: i32, cols: i32, sparse: i32, fromLogits: i32, scale: f64): void {
  const coef = <f32>(<f64>load<f32>(dy) * scale);
  for (let r = 0; r < rows; r++) ceRowBackward(dp, t, p, r, cols, sparse, fromLogits, coef);
}

// Sample-weighted: row r belongs to sample r / rowsPerSample, of weight w[that sample].
// out:(1) = scale · Σ_rows w · (−Σ_j t_j log q_j)   w:(rows / rowsPerSample)
export function crossentropy_weighted_forward(out: usize, t: usize, p: usize, w: usize, rows: i32, cols: i32, rowsPerSample: i32,
                                              sparse: i32, fromLogits: i32, scale: f64): void {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) total += <f64>load<f32>(at(w, r / rowsPerSample)) * ceRow(t, p, r, cols, sparse, fromLogits);
  store<f32>(out, <f32>(total * scale));
}

export function crossentropy_weighted_backward(dp: usize, t: usize, p: usize, w: usize, dy: usize, rows: i32, cols: i32,
                                               rowsPerSample: i32, sparse: i32, fromLogits: i32, scale: f64): void {
  const d = <f64>load<f32>(dy) * scale;
  for (let r = 0; r < rows; r++) {
    ceRowBackward(dp, t, p, r, cols, sparse, fromLogits, <f32>(d * <f64>load<f32>(at(w, r / rowsPerSample))));
  }
}
