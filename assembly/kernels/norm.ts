// Batch and layer normalization over a channels-last (rows, C) view: rows = every position of
// every sample (N, N·T or N·H·W), C = the normalized channels.
//
// Batch norm reduces over rows, SIMD across channels: each lane sums one channel in row order, in
// blocks of BLOCK_ROWS whose partial sums are then added to the total (long columns keep their
// precision), so the `_ref` twins, which sum in the same order, give the same bits. Layer norm
// reduces within a row, SIMD along it.
//
// gamma and beta may be 0 (no scale: ×1; no center: +0); so may dx, dgamma, dbeta (not wanted).
// Forward saves the mean and 1/sqrt(var + eps) (rstd) for backward in buffers the caller passes.
import { hsum, at } from '../simd';

const BLOCK_ROWS = 64;


// @ts-ignore: decorator
@inline function loadOr(p: usize, c: i32, dflt: v128): v128 { return p ? v128.load(at(p, c)) : dflt; }
// @ts-ignore: decorator
@inline function loadOrF(p: usize, c: i32, dflt: f32): f32 { return p ? load<f32>(at(p, c)) : dflt; }

// dst:(C) += src:(C)
function add_into(dst: usize, src: usize, C: i32): void {
  let c = 0;
  for (; c + 4 <= C; c += 4) v128.store(at(dst, c), f32x4.add(v128.load(at(dst, c)), v128.load(at(src, c))));
  for (; c < C; c++) store<f32>(at(dst, c), load<f32>(at(dst, c)) + load<f32>(at(src, c)));
}

// dst:(C) += src:(C), then src = 0 (the next block partial starts afresh)
function flush_block(dst: usize, src: usize, C: i32): void {
  add_into(dst, src, C);
  memory.fill(src, 0, <usize>C << 2);
}

// mean:(C) = Σ_r x / rows; variance:(C) = Σ_r (x − mean)² / rows (two passes; biased, as tf.moments).
// `part` (C floats) holds the block partial sums.
function column_moments(mean: usize, variance: usize, part: usize, x: usize, rows: i32, C: i32): void {
  const inv = f32x4.splat(<f32>1 / <f32>rows), invS = <f32>1 / <f32>rows;
  memory.fill(mean, 0, <usize>C << 2);
  memory.fill(variance, 0, <usize>C << 2);
  memory.fill(part, 0, <usize>C << 2);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const r1 = min(rows, r0 + BLOCK_ROWS);
    for (let r = r0; r < r1; r++) {
      const xr = at(x, r * C);
      let c = 0;
      for (; c + 4 <= C; c += 4) v128.store(at(part, c), f32x4.add(v128.load(at(part, c)), v128.load(at(xr, c))));
      for (; c < C; c++) store<f32>(at(part, c), load<f32>(at(part, c)) + load<f32>(at(xr, c)));
    }
    flush_block(mean, part, C);
  }
  let c = 0;
  for (; c + 4 <= C; c += 4) v128.store(at(mean, c), f32x4.mul(v128.load(at(mean, c)), inv));
  for (; c < C; c++) store<f32>(at(mean, c), load<f32>(at(mean, c)) * invS);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const r1 = min(rows, r0 + BLOCK_ROWS);
    for (let r = r0; r < r1; r++) {
      const xr = at(x, r * C);
      let c = 0;
      for (; c + 4 <= C; c += 4) {
        const d = f32x4.sub(v128.load(at(xr, c)), v128.load(at(mean, c)));
        v128.store(at(part, c), f32x4.add(v128.load(at(part, c)), f32x4.mul(d, d)));
      }
      for (; c < C; c++) {
        const d = load<f32>(at(xr, c)) - load<f32>(at(mean, c));
        store<f32>(at(part, c), load<f32>(at(part, c)) + d * d);
      }
    }
    flush_block(variance, part, C);
  }
  c = 0;
  for (; c + 4 <= C; c += 4) v128.store(at(variance, c), f32x4.mul(v128.load(at(variance, c)), inv));
  for (; c < C; c++) store<f32>(at(variance, c), load<f32>(at(variance, c)) * invS);
}

function column_moments_ref(mean: usize, variance: usize, part: usize, x: usize, rows: i32, C: i32): void {
  const inv = <f32>1 / <f32>rows;
  for (let c = 0; c < C; c++) {
    let total: f32 = 0;
    for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
      let s: f32 = 0;
      for (let r = r0; r < min(rows, r0 + BLOCK_ROWS); r++) s += load<f32>(at(x, r * C + c));
      total += s;
    }
    const m = total * inv;
    total = 0;
    for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
      let s: f32 = 0;
      for (let r = r0; r < min(rows, r0 + BLOCK_ROWS); r++) { const d = load<f32>(at(x, r * C + c)) - m; s += d * d; }
      total += s;
    }
    store<f32>(at(mean, c), m);
    store<f32>(at(variance, c), total * inv);
    store<f32>(at(part, c), 0);
  }
}

// rstd:(C) = 1 / sqrt(variance + eps)
function inverse_std(rstd: usize, variance: usize, C: i32, eps: f32): void {
  const one = f32x4.splat(1), e = f32x4.splat(eps);
  let c = 0;
  for (; c + 4 <= C; c += 4) v128.store(at(rstd, c), f32x4.div(one, f32x4.sqrt(f32x4.add(v128.load(at(variance, c)), e))));
  for (; c < C; c++) store<f32>(at(rstd, c), <f32>1 / sqrt<f32>(load<f32>(at(variance, c)) + eps));
}

function inverse_std_ref(rstd: usize, variance: usize, C: i32, eps: f32): void {
  for (let c = 0; c < C; c++) store<f32>(at(rstd, c), <f32>1 / sqrt<f32>(load<f32>(at(variance, c)) + eps));
}

// y:(rows,C) = (x − mean[c])·rstd[c]·gamma[c] + beta[c]
function normalize_columns(y: usize, x: usize, mean: usize, rstd: usize, gamma: usize, beta: usize, rows: i32, C: i32): void {
  const one = f32x4.splat(1), zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * C), yr = at(y, r * C);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const xh = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), v128.load(at(mean, c))), v128.load(at(rstd, c)));
      v128.store(at(yr, c), f32x4.add(f32x4.mul(xh, loadOr(gamma, c, one)), loadOr(beta, c, zero)));
    }
    for (; c < C; c++) {
      const xh = (load<f32>(at(xr, c)) - load<f32>(at(mean, c))) * load<f32>(at(rstd, c));
      store<f32>(at(yr, c), xh * loadOrF(gamma, c, 1) + loadOrF(beta, c, 0));
    }
  }
}

function normalize_columns_ref(y: usize, x: usize, mean: usize, rstd: usize, gamma: usize, beta: usize, rows: i32, C: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < C; c++) {
      const xh = (load<f32>(at(x, r * C + c)) - load<f32>(at(mean, c))) * load<f32>(at(rstd, c));
      store<f32>(at(y, r * C + c), xh * loadOrF(gamma, c, 1) + loadOrF(beta, c, 0));
    }
  }
}

// Training: batch statistics. y:(rows,C); mean, variance, rstd:(C) out; x:(rows,C); gamma, beta:(C) or 0.
// rows >= 1. rstd doubles as the block scratch until it is computed.
export function batchnorm_forward_train(y: usize, mean: usize, variance: usize, rstd: usize, x: usize,
                                        gamma: usize, beta: usize, rows: i32, C: i32, eps: f32): void {
  column_moments(mean, variance, rstd, x, rows, C);
  inverse_std(rstd, variance, C, eps);
  normalize_columns(y, x, mean, rstd, gamma, beta, rows, C);
}

export function batchnorm_forward_train_ref(y: usize, mean: usize, variance: usize, rstd: usize, x: usize,
                                            gamma: usize, beta: usize, rows: i32, C: i32, eps: f32): void {
  column_moments_ref(mean, variance, rstd, x, rows, C);
  inverse_std_ref(rstd, variance, C, eps);
  normalize_columns_ref(y, x, mean, rstd, gamma, beta, rows, C);
}

// Inference: the given (moving) statistics. y:(rows,C), rstd:(C) out; x:(rows,C); mean, variance:(C).
export function batchnorm_forward_infer(y: usize, rstd: usize, x: usize, mean: usize, variance: usize,
                                        gamma: usize, beta: usize, rows: i32, C: i32, eps: f32): void {
  inverse_std(rstd, variance, C, eps);
  normalize_columns(y, x, mean, rstd, gamma, beta, rows, C);
}

export function batchnorm_forward_infer_ref(y: usize, rstd: usize, x: usize, mean: usize, variance: usize,
                                            gamma: usize, beta: usize, rows: i32, C: i32, eps: f32): void {
  inverse_std_ref(rstd, variance, C, eps);
  normalize_columns_ref(y, x, mean, rstd, gamma, beta, rows, C);
}

// dgamma:(C) += Σ_r dy·x̂, dbeta:(C) += Σ_r dy, with x̂ = (x − mean)·rstd; and
// dx:(rows,C) += (dy − Σdy/rows − x̂·Σ(dy·x̂)/rows)·gamma·rstd when `training` (the statistics depend
// on x), else dy·gamma·rstd. scratch: 4·C floats. Column sums are blocked as in the forward.
export function batchnorm_backward(dx: usize, dgamma: usize, dbeta: usize, scratch: usize, dy: usize, x: usize,
                                   mean: usize, rstd: usize, gamma: usize, rows: i32, C: i32, training: i32): void {
  const sdy = scratch, sdyx = at(scratch, C), pdy = at(scratch, 2 * C), pdyx = at(scratch, 3 * C);
  memory.fill(scratch, 0, <usize>(4 * C) << 2);
  for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
    const r1 = min(rows, r0 + BLOCK_ROWS);
    for (let r = r0; r < r1; r++) {
      const xr = at(x, r * C), gr = at(dy, r * C);
      let c = 0;
      for (; c + 4 <= C; c += 4) {
        const g = v128.load(at(gr, c));
        const xh = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), v128.load(at(mean, c))), v128.load(at(rstd, c)));
        v128.store(at(pdy, c), f32x4.add(v128.load(at(pdy, c)), g));
        v128.store(at(pdyx, c), f32x4.add(v128.load(at(pdyx, c)), f32x4.mul(g, xh)));
      }
      for (; c < C; c++) {
        const g = load<f32>(at(gr, c));
        const xh = (load<f32>(at(xr, c)) - load<f32>(at(mean, c))) * load<f32>(at(rstd, c));
        store<f32>(at(pdy, c), load<f32>(at(pdy, c)) + g);
        store<f32>(at(pdyx, c), load<f32>(at(pdyx, c)) + g * xh);
      }
    }
    flush_block(sdy, pdy, C);
    flush_block(sdyx, pdyx, C);
  }
  if (dgamma) add_into(dgamma, sdyx, C);
  if (dbeta) add_into(dbeta, sdy, C);
  if (!dx) return;
  // Per channel: a = Σdy/rows, b = Σ(dy·x̂)/rows (over the sums in place; 0 at inference), k = gamma·rstd.
  const inv = f32x4.splat(training ? <f32>1 / <f32>rows : 0), invS: f32 = training ? <f32>1 / <f32>rows : 0;
  const one = f32x4.splat(1);
  const k = pdy;
  let c = 0;
  for (; c + 4 <= C; c += 4) {
    v128.store(at(sdy, c), f32x4.mul(v128.load(at(sdy, c)), inv));
    v128.store(at(sdyx, c), f32x4.mul(v128.load(at(sdyx, c)), inv));
    v128.store(at(k, c), f32x4.mul(loadOr(gamma, c, one), v128.load(at(rstd, c))));
  }
  for (; c < C; c++) {
    store<f32>(at(sdy, c), load<f32>(at(sdy, c)) * invS);
    store<f32>(at(sdyx, c), load<f32>(at(sdyx, c)) * invS);
    store<f32>(at(k, c), loadOrF(gamma, c, 1) * load<f32>(at(rstd, c)));
  }
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * C), gr = at(dy, r * C), dr = at(dx, r * C);
    c = 0;
    for (; c + 4 <= C; c += 4) {
      const xh = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), v128.load(at(mean, c))), v128.load(at(rstd, c)));
      const t = f32x4.sub(f32x4.sub(v128.load(at(gr, c)), v128.load(at(sdy, c))), f32x4.mul(xh, v128.load(at(sdyx, c))));
      v128.store(at(dr, c), f32x4.add(v128.load(at(dr, c)), f32x4.mul(t, v128.load(at(k, c)))));
    }
    for (; c < C; c++) {
      const xh = (load<f32>(at(xr, c)) - load<f32>(at(mean, c))) * load<f32>(at(rstd, c));
      const t = (load<f32>(at(gr, c)) - load<f32>(at(sdy, c))) - xh * load<f32>(at(sdyx, c));
      store<f32>(at(dr, c), load<f32>(at(dr, c)) + t * load<f32>(at(k, c)));
    }
  }
}

export function batchnorm_backward_ref(dx: usize, dgamma: usize, dbeta: usize, scratch: usize, dy: usize, x: usize,
                                       mean: usize, rstd: usize, gamma: usize, rows: i32, C: i32, training: i32): void {
  const invS: f32 = training ? <f32>1 / <f32>rows : 0;
  for (let c = 0; c < C; c++) {
    const m = load<f32>(at(mean, c)), rs = load<f32>(at(rstd, c));
    let sg: f32 = 0, sgx: f32 = 0;
    for (let r0 = 0; r0 < rows; r0 += BLOCK_ROWS) {
      let pg: f32 = 0, pgx: f32 = 0;
      for (let r = r0; r < min(rows, r0 + BLOCK_ROWS); r++) {
        const g = load<f32>(at(dy, r * C + c));
        pg += g;
        pgx += g * ((load<f32>(at(x, r * C + c)) - m) * rs);
      }
      sg += pg; sgx += pgx;
    }
    if (dgamma) store<f32>(at(dgamma, c), load<f32>(at(dgamma, c)) + sgx);
    if (dbeta) store<f32>(at(dbeta, c), load<f32>(at(dbeta, c)) + sg);
    if (!dx) continue;
    const a = sg * invS, b = sgx * invS, k = loadOrF(gamma, c, 1) * rs;
    for (let r = 0; r < rows; r++) {
      const xh = (load<f32>(at(x, r * C + c)) - m) * rs;
      const p = at(dx, r * C + c);
      store<f32>(p, load<f32>(p) + ((load<f32>(at(dy, r * C + c)) - a) - xh * b) * k);
    }
  }
  memory.fill(scratch, 0, <usize>(4 * C) << 2);
}

// The moving statistics' update (outside the tape): moving:(n) −= (moving − value)·(1 − momentum),
// written as tfjs-layers writes it.
export function moving_average_update(moving: usize, value: usize, n: i32, momentum: f32): void {
  const decay = f32x4.splat(<f32>1 - momentum);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const m = v128.load(at(moving, i));
    v128.store(at(moving, i), f32x4.sub(m, f32x4.mul(f32x4.sub(m, v128.load(at(value, i))), decay)));
  }
  for (; i < n; i++) moving_average_one(moving, value, i, momentum);
}

// @ts-ignore: decorator
@inline function moving_average_one(moving: usize, value: usize, i: i32, momentum: f32): void {
  const m = load<f32>(at(moving, i));
  store<f32>(at(moving, i), m - (m - load<f32>(at(value, i))) * (<f32>1 - momentum));
}

export function moving_average_update_ref(moving: usize, value: usize, n: i32, momentum: f32): void {
  for (let i = 0; i < n; i++) moving_average_one(moving, value, i, momentum);
}

// Layer norm: each row of x:(rows,C) normalized by its own mean and variance (biased).
// y:(rows,C), mean:(rows), rstd:(rows) out; gamma, beta:(C) or 0.
export function layernorm_forward(y: usize, mean: usize, rstd: usize, x: usize, gamma: usize, beta: usize,
                                  rows: i32, C: i32, eps: f32): void {
  const one = f32x4.splat(1), zero = f32x4.splat(0);
  const invC = <f32>1 / <f32>C;
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * C), yr = at(y, r * C);
    let acc = f32x4.splat(0);
    let c = 0;
    for (; c + 4 <= C; c += 4) acc = f32x4.add(acc, v128.load(at(xr, c)));
    let s = hsum(acc);
    for (; c < C; c++) s += load<f32>(at(xr, c));
    const m = s * invC;
    const mv = f32x4.splat(m);
    acc = f32x4.splat(0);
    for (c = 0; c + 4 <= C; c += 4) { const d = f32x4.sub(v128.load(at(xr, c)), mv); acc = f32x4.add(acc, f32x4.mul(d, d)); }
    s = hsum(acc);
    for (; c < C; c++) { const d = load<f32>(at(xr, c)) - m; s += d * d; }
    const rs = <f32>1 / sqrt<f32>(s * invC + eps);
    store<f32>(at(mean, r), m);
    store<f32>(at(rstd, r), rs);
    const rv = f32x4.splat(rs);
    for (c = 0; c + 4 <= C; c += 4) {
      const xh = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), mv), rv);
      v128.store(at(yr, c), f32x4.add(f32x4.mul(xh, loadOr(gamma, c, one)), loadOr(beta, c, zero)));
    }
    for (; c < C; c++) {
      store<f32>(at(yr, c), (load<f32>(at(xr, c)) - m) * rs * loadOrF(gamma, c, 1) + loadOrF(beta, c, 0));
    }
  }
}

export function layernorm_forward_ref(y: usize, mean: usize, rstd: usize, x: usize, gamma: usize, beta: usize,
                                      rows: i32, C: i32, eps: f32): void {
  for (let r = 0; r < rows; r++) {
    let s: f64 = 0;
    for (let c = 0; c < C; c++) s += <f64>load<f32>(at(x, r * C + c));
    const m = s / <f64>C;
    let v: f64 = 0;
    for (let c = 0; c < C; c++) { const d = <f64>load<f32>(at(x, r * C + c)) - m; v += d * d; }
    const rs = 1 / Math.sqrt(v / <f64>C + <f64>eps);
    store<f32>(at(mean, r), <f32>m);
    store<f32>(at(rstd, r), <f32>rs);
    for (let c = 0; c < C; c++) {
      const xh = (<f64>load<f32>(at(x, r * C + c)) - m) * rs;
      store<f32>(at(y, r * C + c), <f32>(xh * <f64>loadOrF(gamma, c, 1) + <f64>loadOrF(beta, c, 0)));
    }
  }
}

// With g = dy·gamma and x̂ = (x − mean)·rstd, per row:
// dx += rstd·(g − mean(g) − x̂·mean(g·x̂)); dgamma += dy·x̂; dbeta += dy.
export function layernorm_backward(dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize,
                                   rstd: usize, gamma: usize, rows: i32, C: i32): void {
  const one = f32x4.splat(1);
  const invC = <f32>1 / <f32>C;
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * C), gr = at(dy, r * C);
    const m = load<f32>(at(mean, r)), rs = load<f32>(at(rstd, r));
    const mv = f32x4.splat(m), rv = f32x4.splat(rs);
    let ag = f32x4.splat(0), agx = f32x4.splat(0);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const dyv = v128.load(at(gr, c));
      const xh = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), mv), rv);
      const g = f32x4.mul(dyv, loadOr(gamma, c, one));
      ag = f32x4.add(ag, g);
      agx = f32x4.add(agx, f32x4.mul(g, xh));
      if (dgamma) v128.store(at(dgamma, c), f32x4.add(v128.load(at(dgamma, c)), f32x4.mul(dyv, xh)));
      if (dbeta) v128.store(at(dbeta, c), f32x4.add(v128.load(at(dbeta, c)), dyv));
    }
    let sg = hsum(ag), sgx = hsum(agx);
    for (; c < C; c++) {
      const dyv = load<f32>(at(gr, c));
      const xh = (load<f32>(at(xr, c)) - m) * rs;
      const g = dyv * loadOrF(gamma, c, 1);
      sg += g;
      sgx += g * xh;
      if (dgamma) store<f32>(at(dgamma, c), load<f32>(at(dgamma, c)) + dyv * xh);
      if (dbeta) store<f32>(at(dbeta, c), load<f32>(at(dbeta, c)) + dyv);
    }
    if (!dx) continue;
    const a = sg * invC, b = sgx * invC;
    const av = f32x4.splat(a), bv = f32x4.splat(b);
    const dr = at(dx, r * C);
    for (c = 0; c + 4 <= C; c += 4) {
      const xh = f32x4.mul(f32x4.sub(v128.load(at(xr, c)), mv), rv);
      const g = f32x4.mul(v128.load(at(gr, c)), loadOr(gamma, c, one));
      const t = f32x4.sub(f32x4.sub(g, av), f32x4.mul(xh, bv));
      v128.store(at(dr, c), f32x4.add(v128.load(at(dr, c)), f32x4.mul(t, rv)));
    }
    for (; c < C; c++) {
      const xh = (load<f32>(at(xr, c)) - m) * rs;
      const g = load<f32>(at(gr, c)) * loadOrF(gamma, c, 1);
      store<f32>(at(dr, c), load<f32>(at(dr, c)) + ((g - a) - xh * b) * rs);
    }
  }
}

export function layernorm_backward_ref(dx: usize, dgamma: usize, dbeta: usize, dy: usize, x: usize, mean: usize,
                                       rstd: usize, gamma: usize, rows: i32, C: i32): void {
  for (let r = 0; r < rows; r++) {
    const m = <f64>load<f32>(at(mean, r)), rs = <f64>load<f32>(at(rstd, r));
    let sg: f64 = 0, sgx: f64 = 0;
    for (let c = 0; c < C; c++) {
      const dyv = <f64>load<f32>(at(dy, r * C + c));
      const xh = (<f64>load<f32>(at(x, r * C + c)) - m) * rs;
      const g = dyv * <f64>loadOrF(gamma, c, 1);
      sg += g;
      sgx += g * xh;
      if (dgamma) store<f32>(at(dgamma, c), <f32>(<f64>load<f32>(at(dgamma, c)) + dyv * xh));
      if (dbeta) store<f32>(at(dbeta, c), <f32>(<f64>load<f32>(at(dbeta, c)) + dyv));
    }
    if (!dx) continue;
    const a = sg / <f64>C, b = sgx / <f64>C;
    for (let c = 0; c < C; c++) {
      const xh = (<f64>load<f32>(at(x, r * C + c)) - m) * rs;
      const g = <f64>load<f32>(at(dy, r * C + c)) * <f64>loadOrF(gamma, c, 1);
      const p = at(dx, r * C + c);
      store<f32>(p, <f32>(<f64>load<f32>(p) + ((g - a) - xh * b) * rs));
    }
  }
}
