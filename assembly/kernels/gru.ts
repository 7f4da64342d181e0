// The GRU cells and whole-sequence kernels, both reset forms; layout, masking and conventions as in rnn.ts.
import { gemm_f32, gemm_f32_strided } from './gemm';
import { bias_add_f32, bias_backward_f32 } from './dense';
import { ACT_TANH, ACT_SIGMOID } from '../act_v';
import { madd } from '../simd';
import { ld, st, act_f, act_b, fbytes, maskAt, input_grads, sf, sb, bias_at, rk_pack, rk_step } from '../rnn_util';
import { seq_mask_rows_f32, rnn_mul_f32, rnn_prev_state } from './rnn';

// ---- GRU, reset after the recurrent matmul (Keras 3 default, CuDNN): ----
// z = ract(xz + hz), r = ract(xr + hr), hh = act(xh + r·hh_rec), h = z·hPrev + (1 − z)·hh, where
// x* = x·W + b_in and h* = hPrev·U + b_rec (hh_rec = hPrev·U_h + b_rec_h).

// z:(B,3u) in: x·W + b_in, out: gates z, r, hh. rec:(B,3u) in: hPrev·U; brec:(3u) or 0.
// recH:(B,u) out: hh_rec, saved for backward. h:(B,u) out.
export function gru_cell_forward(h: usize, recH: usize, z: usize, rec: usize, brec: usize, hPrev: usize, B: i32, u: i32, act: i32, ract: i32): void {
  if (act == ACT_TANH && ract == ACT_SIGMOID) gru_cell_forward_impl(h, recH, z, rec, brec, hPrev, B, u, ACT_TANH, ACT_SIGMOID);
  else gru_cell_forward_impl(h, recH, z, rec, brec, hPrev, B, u, act, ract);
}

// @ts-ignore: decorator
@inline function gru_cell_forward_impl(h: usize, recH: usize, z: usize, rec: usize, brec: usize, hPrev: usize,
                                 B: i32, u: i32, act: i32, ract: i32): void {
  const gb = fbytes(u), one = f32x4.splat(1), zero = f32x4.splat(0);
  for (let b = 0; b < B; b++) {
    const zr = z + fbytes(b * 3 * u), rr = rec + fbytes(b * 3 * u), row = fbytes(b * u);
    for (let j = 0; j < u; j += 4) {
      const rem = u - j, o = fbytes(j);
      const bz = brec ? ld(brec + o, rem) : zero, br = brec ? ld(brec + gb + o, rem) : zero, bh = brec ? ld(brec + 2 * gb + o, rem) : zero;
      const zg = act_f(ract, f32x4.add(ld(zr + o, rem), f32x4.add(ld(rr + o, rem), bz)));
      const rg = act_f(ract, f32x4.add(ld(zr + gb + o, rem), f32x4.add(ld(rr + gb + o, rem), br)));
      const hr = f32x4.add(ld(rr + 2 * gb + o, rem), bh);
      const hh = act_f(act, madd(rg, hr, ld(zr + 2 * gb + o, rem)));
      const hp = ld(hPrev + row + o, rem);
      st(zr + o, zg, rem); st(zr + gb + o, rg, rem); st(zr + 2 * gb + o, hh, rem);
      st(recH + row + o, hr, rem);
      st(h + row + o, madd(zg, hp, f32x4.mul(f32x4.sub(one, zg), hh)), rem);
    }
  }
}

// dz:(B,3u) out: gradient at x·W + b_in; drec:(B,3u) out: at hPrev·U + b_rec. dh:(B,u) in:
// dL/dh_t (+ dhs), out: the direct part of dL/dh_{t−1}, dh·z (the caller adds drec·Uᵀ).
export function gru_cell_backward(dz: usize, drec: usize, dh: usize, dhs: usize, z: usize, recH: usize, hPrev: usize, B: i32, u: i32, act: i32, ract: i32): void {
  if (act == ACT_TANH && ract == ACT_SIGMOID) gru_cell_backward_impl(dz, drec, dh, dhs, z, recH, hPrev, B, u, ACT_TANH, ACT_SIGMOID);
  else gru_cell_backward_impl(dz, drec, dh, dhs, z, recH, hPrev, B, u, act, ract);
}

// @ts-ignore: decorator
@inline function gru_cell_backward_impl(dz: usize, drec: usize, dh: usize, dhs: usize, z: usize, recH: usize, hPrev: usize,
                                  B: i32, u: i32, act: i32, ract: i32): void {
  const gb = fbytes(u), one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const zr = z + fbytes(b * 3 * u), dzr = dz + fbytes(b * 3 * u), drr = drec + fbytes(b * 3 * u), row = fbytes(b * u);
    for (let j = 0; j < u; j += 4) {
      const rem = u - j, o = fbytes(j);
      const zg = ld(zr + o, rem), rg = ld(zr + gb + o, rem), hh = ld(zr + 2 * gb + o, rem);
      let dhv = ld(dh + row + o, rem);
      if (dhs) dhv = f32x4.add(dhv, ld(dhs + row + o, rem));
      const hp = ld(hPrev + row + o, rem);
      const dph = act_b(act, f32x4.mul(dhv, f32x4.sub(one, zg)), hh);
      const dpz = act_b(ract, f32x4.mul(dhv, f32x4.sub(hp, hh)), zg);
      const dpr = act_b(ract, f32x4.mul(dph, ld(recH + row + o, rem)), rg);
      st(dzr + o, dpz, rem); st(dzr + gb + o, dpr, rem); st(dzr + 2 * gb + o, dph, rem);
      st(drr + o, dpz, rem); st(drr + gb + o, dpr, rem); st(drr + 2 * gb + o, f32x4.mul(dph, rg), rem);
      st(dh + row + o, f32x4.mul(dhv, zg), rem);
    }
  }
}

export function gru_cell_forward_ref(h: usize, recH: usize, z: usize, rec: usize, brec: usize, hPrev: usize,
                                     B: i32, u: i32, act: i32, ract: i32): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < u; j++) {
    const zi = z + fbytes(b * 3 * u + j), ri = rec + fbytes(b * 3 * u + j), at = fbytes(b * u + j), gb = fbytes(u);
    const zg = sf(ract, load<f32>(zi) + (load<f32>(ri) + bias_at(brec, 0, u, j)));
    const rg = sf(ract, load<f32>(zi + gb) + (load<f32>(ri + gb) + bias_at(brec, 1, u, j)));
    const hr = load<f32>(ri + 2 * gb) + bias_at(brec, 2, u, j);
    const hh = sf(act, rg * hr + load<f32>(zi + 2 * gb));
    store<f32>(zi, zg); store<f32>(zi + gb, rg); store<f32>(zi + 2 * gb, hh);
    store<f32>(recH + at, hr);
    store<f32>(h + at, zg * load<f32>(hPrev + at) + (1 - zg) * hh);
  }
}

export function gru_cell_backward_ref(dz: usize, drec: usize, dh: usize, dhs: usize, z: usize, recH: usize, hPrev: usize,
                                      B: i32, u: i32, act: i32, ract: i32): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < u; j++) {
    const zi = z + fbytes(b * 3 * u + j), dzi = dz + fbytes(b * 3 * u + j), dri = drec + fbytes(b * 3 * u + j);
    const at = fbytes(b * u + j), gb = fbytes(u);
    const zg = load<f32>(zi), rg = load<f32>(zi + gb), hh = load<f32>(zi + 2 * gb);
    const dhv = load<f32>(dh + at) + (dhs ? load<f32>(dhs + at) : <f32>0);
    const hp = load<f32>(hPrev + at);
    const dph = sb(act, dhv * (1 - zg), hh);
    const dpz = sb(ract, dhv * (hp - hh), zg);
    const dpr = sb(ract, dph * load<f32>(recH + at), rg);
    store<f32>(dzi, dpz); store<f32>(dzi + gb, dpr); store<f32>(dzi + 2 * gb, dph);
    store<f32>(dri, dpz); store<f32>(dri + gb, dpr); store<f32>(dri + 2 * gb, dph * rg);
    store<f32>(dh + at, dhv * zg);
  }
}

// h:(T+1,B,u), h[0] given; z:(T,B,3u) out: gates; recH:(T,B,u) out: saved hh_rec; rec:(B,3u)
// and rkp (gemm_pack_b_size(u, 3u) bytes) scratch. bias: b_in (3u) then b_rec (3u), or 0.
export function gru_seq_forward(h: usize, z: usize, recH: usize, rec: usize, rkp: usize, x: usize, w: usize, rk: usize, bias: usize,
                                mask: usize, rmask: usize, hm: usize, T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32, ws: usize): void {
  const G = 3 * u, step = fbytes(B * u), zstep = fbytes(B * G);
  gemm_f32(z, x, w, T * B, G, F, 0, 0, 0, ws);
  if (bias) bias_add_f32(z, bias, T * B, G);
  rk_pack(rkp, rk, G, u, G, 0, B);
  for (let t = 0; t < T; t++) {
    const hp = rnn_prev_state(h, hm, rmask, t, B * u);
    rk_step(rec, G, hp, u, rkp, rk, G, 0, B, G, u, 0, ws);
    gru_cell_forward(h + <usize>(t + 1) * step, recH + <usize>t * step, z + <usize>t * zstep, rec,
                     bias ? bias + fbytes(G) : 0, hp, B, u, act, ract);
    if (mask) seq_mask_rows_f32(h + <usize>(t + 1) * step, h + <usize>t * step, 0, maskAt(mask, t, B), B, u);
  }
}

// dz, drec:(T,B,3u) and rkp (gemm_pack_b_size(3u, u) bytes) scratch. dbias: (2,3u) or 0. Others
// as in lstm_seq_backward.
export function gru_seq_backward(dx: usize, dw: usize, drk: usize, dbias: usize, dh: usize, dz: usize, drec: usize, rkp: usize,
                                 dhSeq: usize, h: usize, z: usize, recH: usize, x: usize, w: usize, rk: usize,
                                 mask: usize, carry: usize, rmask: usize, hm: usize,
                                 T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32, ws: usize): void {
  const G = 3 * u, step = fbytes(B * u), zstep = fbytes(B * G), hs = rmask ? hm : h;
  rk_pack(rkp, rk, G, G, u, 1, B);
  for (let t = T - 1; t >= 0; t--) {
    const drt = drec + <usize>t * zstep, dzt = dz + <usize>t * zstep, dhs = dhSeq ? dhSeq + <usize>t * step : 0;
    const mt = maskAt(mask, t, B);
    if (mt) seq_mask_rows_f32(carry, dh, dhs, mt, B, u);
    gru_cell_backward(dzt, drt, dh, dhs, z + <usize>t * zstep, recH + <usize>t * step, hs + <usize>t * step, B, u, act, ract);
    if (mt) {
      seq_mask_rows_f32(dzt, 0, 0, mt, B, G);
      seq_mask_rows_f32(drt, 0, 0, mt, B, G);
    }
    rk_step(dh, u, drt, G, rkp, rk, G, 1, B, u, G, 1, ws);
    if (rmask) rnn_mul_f32(dh, dh, rmask, B * u);
    if (mt) seq_mask_rows_f32(dh, carry, 0, mt, B, u);
  }
  if (drk) gemm_f32(drk, hs, drec, u, G, T * B, 1, 0, 1, ws);
  if (dbias) bias_backward_f32(dbias + fbytes(G), drec, T * B, G);
  input_grads(dx, dw, dbias, dz, x, w, T * B, F, G, ws);
}

// ---- GRU, reset before the recurrent matmul (Keras 1, tfjs): ----
// z = ract(xz + hPrev·U_z), r = ract(xr + hPrev·U_r), hh = act(xh + (r·hPrev)·U_h),
// h = z·hPrev + (1 − z)·hh. U_zr = U's first 2u columns and U_h its last u, split once by the caller.

// z:(B,3u) in: x·W + b; out: its z and r parts activated. rec:(B,2u) in: hPrev·U_zr.
// rh:(B,u) out: r·hPrev (the input of the candidate's matmul, saved for backward).
export function gru_reset_forward(rh: usize, z: usize, rec: usize, hPrev: usize, B: i32, u: i32, ract: i32): void {
  if (ract == ACT_SIGMOID) gru_reset_forward_impl(rh, z, rec, hPrev, B, u, ACT_SIGMOID);
  else gru_reset_forward_impl(rh, z, rec, hPrev, B, u, ract);
}

// @ts-ignore: decorator
@inline function gru_reset_forward_impl(rh: usize, z: usize, rec: usize, hPrev: usize, B: i32, u: i32, ract: i32): void {
  for (let b = 0; b < B; b++) {
    const zr = z + fbytes(b * 3 * u), rr = rec + fbytes(b * 2 * u), row = fbytes(b * u);
    let j = 0;
    for (; j + 4 <= u; j += 4) gru_reset_vec(rh + row, zr, rr, hPrev + row, fbytes(j), fbytes(u), 4, ract);
    if (j < u) gru_reset_vec(rh + row, zr, rr, hPrev + row, fbytes(j), fbytes(u), u - j, ract);
  }
}

// One vector (rem values) of a row at byte offset o, as lstm.ts's cells: whole vectors run with
// rem a constant 4, so the hot loop has no tail branches.
// @ts-ignore: decorator
@inline function gru_reset_vec(rh: usize, z: usize, rec: usize, hPrev: usize, o: usize, gb: usize, rem: i32, ract: i32): void {
  const zg = act_f(ract, f32x4.add(ld(z + o, rem), ld(rec + o, rem)));
  const rg = act_f(ract, f32x4.add(ld(z + gb + o, rem), ld(rec + gb + o, rem)));
  st(z + o, zg, rem); st(z + gb + o, rg, rem);
  st(rh + o, f32x4.mul(rg, ld(hPrev + o, rem)), rem);
}

// z:(B,3u) in: gates z, r and xh; out: xh replaced by hh = act(xh + cand). cand:(B,u) = rh·U_h.
export function gru_candidate_forward(h: usize, z: usize, cand: usize, hPrev: usize, B: i32, u: i32, act: i32): void {
  if (act == ACT_TANH) gru_candidate_forward_impl(h, z, cand, hPrev, B, u, ACT_TANH);
  else gru_candidate_forward_impl(h, z, cand, hPrev, B, u, act);
}

// @ts-ignore: decorator
@inline function gru_candidate_forward_impl(h: usize, z: usize, cand: usize, hPrev: usize, B: i32, u: i32, act: i32): void {
  const gb = fbytes(u), one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const zr = z + fbytes(b * 3 * u), row = fbytes(b * u);
    for (let j = 0; j < u; j += 4) {
      const rem = u - j, o = fbytes(j);
      const zg = ld(zr + o, rem);
      const hh = act_f(act, f32x4.add(ld(zr + 2 * gb + o, rem), ld(cand + row + o, rem)));
      st(zr + 2 * gb + o, hh, rem);
      st(h + row + o, madd(zg, ld(hPrev + row + o, rem), f32x4.mul(f32x4.sub(one, zg), hh)), rem);
    }
  }
}

// The candidate's backward. dz:(B,3u) out: its z and h parts; dzh:(B,u) out: the h part again,
// contiguous for the U_h matmuls. dh:(B,u) in: dL/dh_t (+ dhs), out: dh·z.
export function gru_candidate_backward(dz: usize, dzh: usize, dh: usize, dhs: usize, z: usize, hPrev: usize, B: i32, u: i32, act: i32, ract: i32): void {
  if (act == ACT_TANH && ract == ACT_SIGMOID) gru_candidate_backward_impl(dz, dzh, dh, dhs, z, hPrev, B, u, ACT_TANH, ACT_SIGMOID);
  else gru_candidate_backward_impl(dz, dzh, dh, dhs, z, hPrev, B, u, act, ract);
}

// @ts-ignore: decorator
@inline function gru_candidate_backward_impl(dz: usize, dzh: usize, dh: usize, dhs: usize, z: usize, hPrev: usize,
                                       B: i32, u: i32, act: i32, ract: i32): void {
  const gb = fbytes(u), one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const zr = z + fbytes(b * 3 * u), dzr = dz + fbytes(b * 3 * u), row = fbytes(b * u);
    for (let j = 0; j < u; j += 4) {
      const rem = u - j, o = fbytes(j);
      const zg = ld(zr + o, rem), hh = ld(zr + 2 * gb + o, rem);
      let dhv = ld(dh + row + o, rem);
      if (dhs) dhv = f32x4.add(dhv, ld(dhs + row + o, rem));
      const dph = act_b(act, f32x4.mul(dhv, f32x4.sub(one, zg)), hh);
      st(dzr + o, act_b(ract, f32x4.mul(dhv, f32x4.sub(ld(hPrev + row + o, rem), hh)), zg), rem);
      st(dzr + 2 * gb + o, dph, rem);
      st(dzh + row + o, dph, rem);
      st(dh + row + o, f32x4.mul(dhv, zg), rem);
    }
  }
}

// The reset gate's backward. drh:(B,u) in: dL/d(r·hPrev). dz:(B,3u) in: z part, out: r part added;
// dzr:(B,2u) out: the z and r parts, contiguous for the U_zr matmuls. dh += drh·r.
export function gru_reset_backward(dz: usize, dzr: usize, dh: usize, drh: usize, z: usize, hPrev: usize, B: i32, u: i32, ract: i32): void {
  if (ract == ACT_SIGMOID) gru_reset_backward_impl(dz, dzr, dh, drh, z, hPrev, B, u, ACT_SIGMOID);
  else gru_reset_backward_impl(dz, dzr, dh, drh, z, hPrev, B, u, ract);
}

// @ts-ignore: decorator
@inline function gru_reset_backward_impl(dz: usize, dzr: usize, dh: usize, drh: usize, z: usize, hPrev: usize,
                                   B: i32, u: i32, ract: i32): void {
  const gb = fbytes(u);
  for (let b = 0; b < B; b++) {
    const zr = z + fbytes(b * 3 * u), dzrow = dz + fbytes(b * 3 * u), dzrr = dzr + fbytes(b * 2 * u), row = fbytes(b * u);
    for (let j = 0; j < u; j += 4) {
      const rem = u - j, o = fbytes(j);
      const rg = ld(zr + gb + o, rem), d = ld(drh + row + o, rem);
      const dpr = act_b(ract, f32x4.mul(d, ld(hPrev + row + o, rem)), rg);
      st(dzrow + gb + o, dpr, rem);
      st(dzrr + o, ld(dzrow + o, rem), rem);
      st(dzrr + gb + o, dpr, rem);
      st(dh + row + o, madd(d, rg, ld(dh + row + o, rem)), rem);
    }
  }
}

export function gru_reset_forward_ref(rh: usize, z: usize, rec: usize, hPrev: usize, B: i32, u: i32, ract: i32): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < u; j++) {
    const zi = z + fbytes(b * 3 * u + j), ri = rec + fbytes(b * 2 * u + j), at = fbytes(b * u + j), gb = fbytes(u);
    const zg = sf(ract, load<f32>(zi) + load<f32>(ri)), rg = sf(ract, load<f32>(zi + gb) + load<f32>(ri + gb));
    store<f32>(zi, zg); store<f32>(zi + gb, rg);
    store<f32>(rh + at, rg * load<f32>(hPrev + at));
  }
}

export function gru_candidate_forward_ref(h: usize, z: usize, cand: usize, hPrev: usize, B: i32, u: i32, act: i32): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < u; j++) {
    const zi = z + fbytes(b * 3 * u + j), at = fbytes(b * u + j), gb = fbytes(u);
    const zg = load<f32>(zi), hh = sf(act, load<f32>(zi + 2 * gb) + load<f32>(cand + at));
    store<f32>(zi + 2 * gb, hh);
    store<f32>(h + at, zg * load<f32>(hPrev + at) + (1 - zg) * hh);
  }
}

export function gru_candidate_backward_ref(dz: usize, dzh: usize, dh: usize, dhs: usize, z: usize, hPrev: usize,
                                           B: i32, u: i32, act: i32, ract: i32): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < u; j++) {
    const zi = z + fbytes(b * 3 * u + j), dzi = dz + fbytes(b * 3 * u + j), at = fbytes(b * u + j), gb = fbytes(u);
    const zg = load<f32>(zi), hh = load<f32>(zi + 2 * gb);
    const dhv = load<f32>(dh + at) + (dhs ? load<f32>(dhs + at) : <f32>0);
    const dph = sb(act, dhv * (1 - zg), hh);
    store<f32>(dzi, sb(ract, dhv * (load<f32>(hPrev + at) - hh), zg));
    store<f32>(dzi + 2 * gb, dph);
    store<f32>(dzh + at, dph);
    store<f32>(dh + at, dhv * zg);
  }
}

export function gru_reset_backward_ref(dz: usize, dzr: usize, dh: usize, drh: usize, z: usize, hPrev: usize,
                                       B: i32, u: i32, ract: i32): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < u; j++) {
    const zi = z + fbytes(b * 3 * u + j), dzi = dz + fbytes(b * 3 * u + j), dzri = dzr + fbytes(b * 2 * u + j);
    const at = fbytes(b * u + j), gb = fbytes(u);
    const rg = load<f32>(zi + gb), d = load<f32>(drh + at);
    const dpr = sb(ract, d * load<f32>(hPrev + at), rg);
    store<f32>(dzi + gb, dpr);
    store<f32>(dzri, load<f32>(dzi));
    store<f32>(dzri + gb, dpr);
    store<f32>(dh + at, d * rg + load<f32>(dh + at));
  }
}

// h:(T+1,B,u), h[0] given; z:(T,B,3u) out: gates; rh:(T,B,u) out: r·hPrev of every step.
// rk:(u,3u): U_zr is its first 2u columns, U_h its last u. rec:(B,2u), cand:(B,u) and rkp
// (gemm_pack_b_size(u, 2u) + gemm_pack_b_size(u, u) bytes) scratch.
export function gru_reset_before_seq_forward(h: usize, z: usize, rh: usize, rec: usize, cand: usize, rkp: usize,
                                             x: usize, w: usize, rk: usize, bias: usize, mask: usize, rmask: usize, hm: usize,
                                             T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32, ws: usize): void {
  const G = 3 * u, step = fbytes(B * u), zstep = fbytes(B * G), rkH = rk + fbytes(2 * u);
  gemm_f32(z, x, w, T * B, G, F, 0, 0, 0, ws);
  if (bias) bias_add_f32(z, bias, T * B, G);
  const pZR = rkp, pH = rk_pack(pZR, rk, G, u, 2 * u, 0, B);
  rk_pack(pH, rkH, G, u, u, 0, B);
  for (let t = 0; t < T; t++) {
    const zt = z + <usize>t * zstep, hp = rnn_prev_state(h, hm, rmask, t, B * u), rht = rh + <usize>t * step;
    rk_step(rec, 2 * u, hp, u, pZR, rk, G, 0, B, 2 * u, u, 0, ws);
    gru_reset_forward(rht, zt, rec, hp, B, u, ract);
    rk_step(cand, u, rht, u, pH, rkH, G, 0, B, u, u, 0, ws);
    gru_candidate_forward(h + <usize>(t + 1) * step, zt, cand, hp, B, u, act);
    if (mask) seq_mask_rows_f32(h + <usize>(t + 1) * step, h + <usize>t * step, 0, maskAt(mask, t, B), B, u);
  }
}

// dz:(T,B,3u), dzr:(T,B,2u), dzh:(T,B,u), drh:(B,u) and rkp (gemm_pack_b_size(2u, u) +
// gemm_pack_b_size(u, u) bytes) scratch. rk as in the forward; drk:(u,3u) += in Keras' column
// order. Others as in lstm_seq_backward.
export function gru_reset_before_seq_backward(dx: usize, dw: usize, drk: usize, dbias: usize, dh: usize,
                                              dz: usize, dzr: usize, dzh: usize, drh: usize, rkp: usize, dhSeq: usize,
                                              h: usize, z: usize, rh: usize, x: usize, w: usize, rk: usize,
                                              mask: usize, carry: usize, rmask: usize, hm: usize,
                                              T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32, ws: usize): void {
  const G = 3 * u, step = fbytes(B * u), zstep = fbytes(B * G), zrstep = fbytes(B * 2 * u), rkH = rk + fbytes(2 * u);
  const hs = rmask ? hm : h;
  const pZR = rkp, pH = rk_pack(pZR, rk, G, 2 * u, u, 1, B);
  rk_pack(pH, rkH, G, u, u, 1, B);
  for (let t = T - 1; t >= 0; t--) {
    const dzt = dz + <usize>t * zstep, dzht = dzh + <usize>t * step, dzrt = dzr + <usize>t * zrstep;
    const zt = z + <usize>t * zstep, hp = hs + <usize>t * step, dhs = dhSeq ? dhSeq + <usize>t * step : 0;
    const mt = maskAt(mask, t, B);
    if (mt) seq_mask_rows_f32(carry, dh, dhs, mt, B, u);
    gru_candidate_backward(dzt, dzht, dh, dhs, zt, hp, B, u, act, ract);
    if (mt) {
      // zero gates in, so the reset gate's backward below writes zeros too
      seq_mask_rows_f32(dzt, 0, 0, mt, B, G);
      seq_mask_rows_f32(dzht, 0, 0, mt, B, u);
    }
    rk_step(drh, u, dzht, u, pH, rkH, G, 1, B, u, u, 0, ws);
    gru_reset_backward(dzt, dzrt, dh, drh, zt, hp, B, u, ract);
    rk_step(dh, u, dzrt, 2 * u, pZR, rk, G, 1, B, u, 2 * u, 1, ws);
    if (rmask) rnn_mul_f32(dh, dh, rmask, B * u);
    if (mt) seq_mask_rows_f32(dh, carry, 0, mt, B, u);
  }
  if (drk) { // straight into U_zr's and U_h's columns of drk
    gemm_f32_strided(drk, G, hs, u, dzr, 2 * u, u, 2 * u, T * B, 0, u, 1, 0, 1, ws);
    gemm_f32_strided(drk + fbytes(2 * u), G, rh, u, dzh, u, u, u, T * B, 0, u, 1, 0, 1, ws);
  }
  input_grads(dx, dw, dbias, dz, x, w, T * B, F, G, ws);
}
