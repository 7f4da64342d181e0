// Optimizer updates over whole arenas: p (parameters), g (gradients) and the optimizer's state
// buffers share one layout, so one call updates a whole model. All updates are in place.
// Each SIMD kernel's scalar tail and its `_ref` twin run the same @inline per-element step, so the
// two agree bit for bit on the default build (the relaxed build fuses multiply-adds in the SIMD body).
// Formulas follow tfjs-core's optimizers unless a comment says otherwise (see src/optimizers/).
import { hsum, madd } from '../simd';

// ---- plain SGD ------------------------------------------------------------------------------
// p:(n) -= lr * g:(n)

// @ts-ignore: decorator
@inline function sgd_step(p: usize, g: usize, lr: f32): void {
  store<f32>(p, load<f32>(p) - lr * load<f32>(g));
}

export function sgd_update(p: usize, g: usize, n: i32, lr: f32): void {
  const nlr = f32x4.splat(-lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(p + o, madd(v128.load(g + o), nlr, v128.load(p + o)));
  }
  for (; i < n; i++) { const o = <usize>i << 2; sgd_step(p + o, g + o, lr); }
}

export function sgd_update_ref(p: usize, g: usize, n: i32, lr: f32): void {
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; sgd_step(p + o, g + o, lr); }
}

// ---- momentum (tfjs MomentumOptimizer) --------------------------------------------------------
// vel = momentum*vel + g;  p -= lr*vel,  or with Nesterov  p -= lr*(g + momentum*vel)
// p:(n) g:(n) vel:(n)

// @ts-ignore: decorator
@inline function momentum_step(p: usize, g: usize, vel: usize, lr: f32, mu: f32, nesterov: bool): void {
  const gi = load<f32>(g);
  const v = mu * load<f32>(vel) + gi;
  store<f32>(vel, v);
  store<f32>(p, load<f32>(p) - lr * (nesterov ? gi + mu * v : v));
}

export function momentum_update(p: usize, g: usize, vel: usize, n: i32, lr: f32, momentum: f32, nesterov: i32): void {
  const nlr = f32x4.splat(-lr), mu = f32x4.splat(momentum);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    const v = madd(mu, v128.load(vel + o), gv);
    v128.store(vel + o, v);
    const step = nesterov ? madd(mu, v, gv) : v;
    v128.store(p + o, madd(step, nlr, v128.load(p + o)));
  }
  for (; i < n; i++) { const o = <usize>i << 2; momentum_step(p + o, g + o, vel + o, lr, momentum, nesterov != 0); }
}

export function momentum_update_ref(p: usize, g: usize, vel: usize, n: i32, lr: f32, momentum: f32, nesterov: i32): void {
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; momentum_step(p + o, g + o, vel + o, lr, momentum, nesterov != 0); }
}

// ---- Adagrad ----------------------------------------------------------------------------------
// acc += g²;  p -= lr * g / sqrt(acc + eps)          p:(n) g:(n) acc:(n)

// @ts-ignore: decorator
@inline function adagrad_step(p: usize, g: usize, acc: usize, lr: f32, eps: f32): void {
  const gi = load<f32>(g);
  const a = load<f32>(acc) + gi * gi;
  store<f32>(acc, a);
  store<f32>(p, load<f32>(p) - lr * gi / Mathf.sqrt(a + eps));
}

export function adagrad_update(p: usize, g: usize, acc: usize, n: i32, lr: f32, eps: f32): void {
  const lrv = f32x4.splat(lr), epsv = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    const a = madd(gv, gv, v128.load(acc + o));
    v128.store(acc + o, a);
    const step = f32x4.div(f32x4.mul(lrv, gv), f32x4.sqrt(f32x4.add(a, epsv)));
    v128.store(p + o, f32x4.sub(v128.load(p + o), step));
  }
  for (; i < n; i++) { const o = <usize>i << 2; adagrad_step(p + o, g + o, acc + o, lr, eps); }
}

export function adagrad_update_ref(p: usize, g: usize, acc: usize, n: i32, lr: f32, eps: f32): void {
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; adagrad_step(p + o, g + o, acc + o, lr, eps); }
}

// ---- Adadelta (as tfjs-core computes it) ------------------------------------------------------
// upd = sqrt(accU + eps) / sqrt(accG + eps) * g     (accG BEFORE this step's update, as tfjs does;
// accG = rho*accG + (1-rho)*g²                        Keras uses the updated accG: see optimizers/)
// accU = rho*accU + (1-rho)*upd²;  p -= lr*upd        p:(n) g:(n) accG:(n) accU:(n)

// @ts-ignore: decorator
@inline function adadelta_step(p: usize, g: usize, accG: usize, accU: usize, lr: f32, rho: f32, eps: f32): void {
  const gi = load<f32>(g), ag = load<f32>(accG), au = load<f32>(accU);
  const upd = Mathf.sqrt(au + eps) / Mathf.sqrt(ag + eps) * gi;
  store<f32>(accG, rho * ag + (1 - rho) * (gi * gi));
  store<f32>(accU, rho * au + (1 - rho) * (upd * upd));
  store<f32>(p, load<f32>(p) - lr * upd);
}

export function adadelta_update(p: usize, g: usize, accG: usize, accU: usize, n: i32, lr: f32, rho: f32, eps: f32): void {
  const nlr = f32x4.splat(-lr), rhov = f32x4.splat(rho), crho = f32x4.splat(1 - rho), epsv = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o), ag = v128.load(accG + o), au = v128.load(accU + o);
    const upd = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(au, epsv)), f32x4.sqrt(f32x4.add(ag, epsv))), gv);
    v128.store(accG + o, madd(rhov, ag, f32x4.mul(crho, f32x4.mul(gv, gv))));
    v128.store(accU + o, madd(rhov, au, f32x4.mul(crho, f32x4.mul(upd, upd))));
    v128.store(p + o, madd(upd, nlr, v128.load(p + o)));
  }
  for (; i < n; i++) { const o = <usize>i << 2; adadelta_step(p + o, g + o, accG + o, accU + o, lr, rho, eps); }
}

export function adadelta_update_ref(p: usize, g: usize, accG: usize, accU: usize, n: i32, lr: f32, rho: f32, eps: f32): void {
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; adadelta_step(p + o, g + o, accG + o, accU + o, lr, rho, eps); }
}

// ---- RMSProp ----------------------------------------------------------------------------------
// ms = rho*ms + (1-rho)*g²;  centered: mg = rho*mg + (1-rho)*g,  den = ms - mg² + eps  (Keras; tfjs
// subtracts eps there, which can take the root of a negative), else den = ms + eps;
// mom = momentum*mom + lr*g/sqrt(den);  p -= mom.
// p:(n) g:(n) ms:(n) mom:(n) mg:(n) (mg is read only when centered)

// @ts-ignore: decorator
@inline function rmsprop_step(p: usize, g: usize, ms: usize, mom: usize, mg: usize,
                              lr: f32, rho: f32, momentum: f32, eps: f32, centered: bool): void {
  const gi = load<f32>(g);
  const s = rho * load<f32>(ms) + (1 - rho) * (gi * gi);
  store<f32>(ms, s);
  let den = s + eps;
  if (centered) {
    const a = rho * load<f32>(mg) + (1 - rho) * gi;
    store<f32>(mg, a);
    den = s - a * a + eps;
  }
  const m = momentum * load<f32>(mom) + lr * gi / Mathf.sqrt(den);
  store<f32>(mom, m);
  store<f32>(p, load<f32>(p) - m);
}

export function rmsprop_update(p: usize, g: usize, ms: usize, mom: usize, mg: usize, n: i32,
                               lr: f32, rho: f32, momentum: f32, eps: f32, centered: i32): void {
  const lrv = f32x4.splat(lr), rhov = f32x4.splat(rho), crho = f32x4.splat(1 - rho);
  const muv = f32x4.splat(momentum), epsv = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    const s = madd(rhov, v128.load(ms + o), f32x4.mul(crho, f32x4.mul(gv, gv)));
    v128.store(ms + o, s);
    let den = f32x4.add(s, epsv);
    if (centered) {
      const a = madd(rhov, v128.load(mg + o), f32x4.mul(crho, gv));
      v128.store(mg + o, a);
      den = f32x4.add(f32x4.sub(s, f32x4.mul(a, a)), epsv);
    }
    const m = madd(muv, v128.load(mom + o), f32x4.div(f32x4.mul(lrv, gv), f32x4.sqrt(den)));
    v128.store(mom + o, m);
    v128.store(p + o, f32x4.sub(v128.load(p + o), m));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    rmsprop_step(p + o, g + o, ms + o, mom + o, mg + o, lr, rho, momentum, eps, centered != 0);
  }
}

export function rmsprop_update_ref(p: usize, g: usize, ms: usize, mom: usize, mg: usize, n: i32,
                                   lr: f32, rho: f32, momentum: f32, eps: f32, centered: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    rmsprop_step(p + o, g + o, ms + o, mom + o, mg + o, lr, rho, momentum, eps, centered != 0);
  }
}

// ---- Adam family ------------------------------------------------------------------------------
// The shared core: m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g²;  p = keep*p - alpha * m / (sqrt(v) + epsHat)
// (keep = 1 - lr*weightDecay folds AdamW's decoupled decay into the same pass; 1 for Adam, exact).
// tfjs' form  lr * m̂/(sqrt(v̂) + eps)  with m̂ = m/(1-b1^t), v̂ = v/(1-b2^t) is the same number with
// alpha = lr*sqrt(1-b2^t)/(1-b1^t) and epsHat = eps*sqrt(1-b2^t); Keras adds eps to sqrt(v) itself.

// @ts-ignore: decorator
@inline function adam_step(p: usize, g: usize, m: usize, v: usize, alpha: f32, b1: f32, b2: f32, epsHat: f32, keep: f32): void {
  const gi = load<f32>(g);
  const mi = b1 * load<f32>(m) + (1 - b1) * gi;
  const vi = b2 * load<f32>(v) + (1 - b2) * (gi * gi);
  store<f32>(m, mi);
  store<f32>(v, vi);
  store<f32>(p, keep * load<f32>(p) - alpha * mi / (Mathf.sqrt(vi) + epsHat));
}

// @ts-ignore: decorator
@inline function adam_core(p: usize, g: usize, m: usize, v: usize, n: i32, alpha: f32, b1: f32, b2: f32, epsHat: f32, keep: f32): void {
  const keepv = f32x4.splat(keep), alphav = f32x4.splat(alpha), b1v = f32x4.splat(b1), c1v = f32x4.splat(1 - b1);
  const b2v = f32x4.splat(b2), c2v = f32x4.splat(1 - b2), epsv = f32x4.splat(epsHat);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    const mi = madd(b1v, v128.load(m + o), f32x4.mul(c1v, gv));
    const vi = madd(b2v, v128.load(v + o), f32x4.mul(c2v, f32x4.mul(gv, gv)));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f32x4.div(f32x4.mul(alphav, mi), f32x4.add(f32x4.sqrt(vi), epsv));
    v128.store(p + o, f32x4.sub(f32x4.mul(keepv, v128.load(p + o)), step));
  }
  for (; i < n; i++) { const o = <usize>i << 2; adam_step(p + o, g + o, m + o, v + o, alpha, b1, b2, epsHat, keep); }
}

// @ts-ignore: decorator
@inline function adam_core_ref(p: usize, g: usize, m: usize, v: usize, n: i32, alpha: f32, b1: f32, b2: f32, epsHat: f32, keep: f32): void {
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; adam_step(p + o, g + o, m + o, v + o, alpha, b1, b2, epsHat, keep); }
}

// 1 - beta^step in f64: the bias correction after `step` updates (step counts from 1).
// @ts-ignore: decorator
@inline function bias_correction(beta: f32, step: i32): f64 {
  return 1.0 - Math.pow(<f64>beta, <f64>step);
}

// Adam as tfjs-core computes it (eps added to sqrt of the bias-corrected v).
// p:(n) g:(n) m:(n) v:(n); step = 1 on the first update.
export function adam_update(p: usize, g: usize, m: usize, v: usize, n: i32,
                            lr: f32, beta1: f32, beta2: f32, eps: f32, step: i32): void {
  const c2 = Math.sqrt(bias_correction(beta2, step));
  adam_core(p, g, m, v, n, <f32>(<f64>lr * c2 / bias_correction(beta1, step)), beta1, beta2, <f32>(<f64>eps * c2), 1);
}

export function adam_update_ref(p: usize, g: usize, m: usize, v: usize, n: i32,
                                lr: f32, beta1: f32, beta2: f32, eps: f32, step: i32): void {
  const c2 = Math.sqrt(bias_correction(beta2, step));
  adam_core_ref(p, g, m, v, n, <f32>(<f64>lr * c2 / bias_correction(beta1, step)), beta1, beta2, <f32>(<f64>eps * c2), 1);
}

// AdamW as Keras 3 computes it: decoupled decay p -= lr*weightDecay*p, then Keras' Adam step
// (alpha = lr*sqrt(1-b2^t)/(1-b1^t), eps added to sqrt(v) without bias correction), in one pass.
// p:(n) g:(n) m:(n) v:(n)
export function adamw_update(p: usize, g: usize, m: usize, v: usize, n: i32,
                             lr: f32, beta1: f32, beta2: f32, eps: f32, step: i32, weightDecay: f32): void {
  const alpha = <f32>(<f64>lr * Math.sqrt(bias_correction(beta2, step)) / bias_correction(beta1, step));
  adam_core(p, g, m, v, n, alpha, beta1, beta2, eps, 1 - lr * weightDecay);
}

export function adamw_update_ref(p: usize, g: usize, m: usize, v: usize, n: i32,
                                 lr: f32, beta1: f32, beta2: f32, eps: f32, step: i32, weightDecay: f32): void {
  const alpha = <f32>(<f64>lr * Math.sqrt(bias_correction(beta2, step)) / bias_correction(beta1, step));
  adam_core_ref(p, g, m, v, n, alpha, beta1, beta2, eps, 1 - lr * weightDecay);
}

// Adamax: m = b1*m + (1-b1)*g;  u = max(b2*u, |g|);  p -= lr/(1-b1^t) * m/(u + eps)
// p:(n) g:(n) m:(n) u:(n)

// @ts-ignore: decorator
@inline function adamax_step(p: usize, g: usize, m: usize, u: usize, alpha: f32, b1: f32, b2: f32, eps: f32): void {
  const gi = load<f32>(g);
  const mi = b1 * load<f32>(m) + (1 - b1) * gi;
  const ui = max(b2 * load<f32>(u), abs(gi));
  store<f32>(m, mi);
  store<f32>(u, ui);
  store<f32>(p, load<f32>(p) - alpha * mi / (ui + eps));
}

export function adamax_update(p: usize, g: usize, m: usize, u: usize, n: i32,
                              lr: f32, beta1: f32, beta2: f32, eps: f32, step: i32): void {
  const alpha = <f32>(<f64>lr / bias_correction(beta1, step));
  const alphav = f32x4.splat(alpha), b1v = f32x4.splat(beta1), c1v = f32x4.splat(1 - beta1);
  const b2v = f32x4.splat(beta2), epsv = f32x4.splat(eps);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gv = v128.load(g + o);
    const mi = madd(b1v, v128.load(m + o), f32x4.mul(c1v, gv));
    const ui = f32x4.max(f32x4.mul(b2v, v128.load(u + o)), f32x4.abs(gv));
    v128.store(m + o, mi);
    v128.store(u + o, ui);
    const step = f32x4.div(f32x4.mul(alphav, mi), f32x4.add(ui, epsv));
    v128.store(p + o, f32x4.sub(v128.load(p + o), step));
  }
  for (; i < n; i++) { const o = <usize>i << 2; adamax_step(p + o, g + o, m + o, u + o, alpha, beta1, beta2, eps); }
}

export function adamax_update_ref(p: usize, g: usize, m: usize, u: usize, n: i32,
                                  lr: f32, beta1: f32, beta2: f32, eps: f32, step: i32): void {
  const alpha = <f32>(<f64>lr / bias_correction(beta1, step));
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; adamax_step(p + o, g + o, m + o, u + o, alpha, beta1, beta2, eps); }
}

// ---- gradient clipping helpers ----------------------------------------------------------------

// Σ x² over x:(n), in a fixed order: four f32 lanes over blocks of SUM_BLOCK elements, each block's
// lanes folded into an f64 total, so the result is deterministic and stays accurate for big arenas.
const SUM_BLOCK = 1024;

export function sum_squares(x: usize, n: i32): f64 {
  let total: f64 = 0;
  let i = 0;
  while (i + 4 <= n) {
    const end = min(n, i + SUM_BLOCK);
    let acc = f32x4.splat(0);
    for (; i + 4 <= end; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      acc = madd(v, v, acc);
    }
    total += <f64>hsum(acc);
  }
  for (; i < n; i++) { const v = <f64>load<f32>(x + (<usize>i << 2)); total += v * v; }
  return total;
}

export function sum_squares_ref(x: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) { const v = <f64>load<f32>(x + (<usize>i << 2)); total += v * v; }
  return total;
}

// x:(n) *= s
export function scale_inplace(x: usize, n: i32, s: f32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(x + o, f32x4.mul(v128.load(x + o), sv)); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(x + o, load<f32>(x + o) * s); }
}

export function scale_inplace_ref(x: usize, n: i32, s: f32): void {
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; store<f32>(x + o, load<f32>(x + o) * s); }
}

// x:(n) = clamp(x, -c, c); NaN stays NaN (a clipped NaN would hide the blow-up it signals).
// @ts-ignore: decorator
@inline function clip_scalar(x: f32, c: f32): f32 {
  return x > c ? c : x < -c ? -c : x;
}

export function clip_value_inplace(x: usize, n: i32, c: f32): void {
  const hi = f32x4.splat(c), lo = f32x4.splat(-c);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    const clipped = v128.bitselect(hi, v128.bitselect(lo, v, f32x4.lt(v, lo)), f32x4.gt(v, hi));
    v128.store(x + o, clipped);
  }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(x + o, clip_scalar(load<f32>(x + o), c)); }
}

export function clip_value_inplace_ref(x: usize, n: i32, c: f32): void {
  for (let i = 0; i < n; i++) { const o = <usize>i << 2; store<f32>(x + o, clip_scalar(load<f32>(x + o), c)); }
}
