// The LSTM cell and whole-sequence kernels; layout, masking and conventions as in rnn.ts.
import { gemm_f32 } from './gemm';
import { bias_add_f32 } from './dense';
import { backward_v, ACT_TANH, ACT_SIGMOID } from '../act_v';
import { madd } from '../simd';
import { ld, st, act_f, act_b, fbytes, maskAt, input_grads, sf, sb, rk_pack, rk_step } from '../rnn_util';
import { seq_mask_rows_f32, rnn_mul_f32, rnn_prev_state } from './rnn';

// ---- LSTM: gates i, f, c (g), o ----

// One step for B rows. z:(B,4u) in: x·W + b, out: activated gates (saved for backward); rec:(B,4u)
// in: h_{t−1}·U, added to z here (the sequence kernel has gemm write it apart rather than add it
// into z, so gemm stores whole tiles instead of read-add-writing through its tile; z + rec is the
// sum gemm would have formed, IEEE addition commuting, whenever u fits one gemm K block).
// cPrev:(B,u) in; c, h:(B,u) out: c = f·cPrev + i·g, h = o·act(c).
export function lstm_cell_forward(h: usize, c: usize, z: usize, rec: usize, cPrev: usize, B: i32, u: i32, act: i32, ract: i32): void {
  if (act == ACT_TANH && ract == ACT_SIGMOID) lstm_cell_forward_impl(h, c, z, rec, cPrev, B, u, ACT_TANH, ACT_SIGMOID);
  else lstm_cell_forward_impl(h, c, z, rec, cPrev, B, u, act, ract);
}

// Each row runs whole vectors with the count `rem` a constant 4 (no tail branches in the hot
// loop), then its last partial vector.
// @ts-ignore: decorator
@inline function lstm_cell_forward_impl(h: usize, c: usize, z: usize, rec: usize, cPrev: usize, B: i32, u: i32, act: i32, ract: i32): void {
  for (let b = 0; b < B; b++) {
    const zr = z + fbytes(b * 4 * u), rr = rec + fbytes(b * 4 * u), row = fbytes(b * u);
    let j = 0;
    for (; j + 4 <= u; j += 4) lstm_forward_vec(h + row, c + row, zr, rr, cPrev + row, fbytes(j), fbytes(u), 4, act, ract);
    if (j < u) lstm_forward_vec(h + row, c + row, zr, rr, cPrev + row, fbytes(j), fbytes(u), u - j, act, ract);
  }
}

// One vector (rem values) of a row at byte offset o; gb: the bytes between gates.
// @ts-ignore: decorator
@inline function lstm_forward_vec(h: usize, c: usize, z: usize, rec: usize, cPrev: usize, o: usize, gb: usize, rem: i32,
                                  act: i32, ract: i32): void {
  const zi = z + o, ri = rec + o;
  const i = act_f(ract, f32x4.add(ld(zi, rem), ld(ri, rem)));
  const f = act_f(ract, f32x4.add(ld(zi + gb, rem), ld(ri + gb, rem)));
  const g = act_f(act, f32x4.add(ld(zi + 2 * gb, rem), ld(ri + 2 * gb, rem)));
  const og = act_f(ract, f32x4.add(ld(zi + 3 * gb, rem), ld(ri + 3 * gb, rem)));
  const cn = madd(f, ld(cPrev + o, rem), f32x4.mul(i, g));
  st(zi, i, rem); st(zi + gb, f, rem); st(zi + 2 * gb, g, rem); st(zi + 3 * gb, og, rem);
  st(c + o, cn, rem);
  st(h + o, f32x4.mul(og, act_f(act, cn)), rem);
}

// dz:(B,4u) out: gradients at the pre-activations. dh:(B,u) in: dL/dh_t (plus dhs when not 0);
// dc:(B,u) in: dL/dc_t, out: dL/dc_{t−1}. z: saved gates; cPrev, c: the step's cell states.
export function lstm_cell_backward(dz: usize, dc: usize, dh: usize, dhs: usize, z: usize, cPrev: usize, c: usize, B: i32, u: i32, act: i32, ract: i32): void {
  if (act == ACT_TANH && ract == ACT_SIGMOID) lstm_cell_backward_impl(dz, dc, dh, dhs, z, cPrev, c, B, u, ACT_TANH, ACT_SIGMOID);
  else lstm_cell_backward_impl(dz, dc, dh, dhs, z, cPrev, c, B, u, act, ract);
}

// @ts-ignore: decorator
@inline function lstm_cell_backward_impl(dz: usize, dc: usize, dh: usize, dhs: usize, z: usize, cPrev: usize, c: usize,
                                   B: i32, u: i32, act: i32, ract: i32): void {
  const gb = fbytes(u);
  for (let b = 0; b < B; b++) {
    const zr = z + fbytes(b * 4 * u), dzr = dz + fbytes(b * 4 * u), row = fbytes(b * u), hs = dhs ? dhs + row : 0;
    let j = 0;
    for (; j + 4 <= u; j += 4) lstm_backward_vec(dzr, dc + row, dh + row, hs, zr, cPrev + row, c + row, fbytes(j), gb, 4, act, ract);
    if (j < u) lstm_backward_vec(dzr, dc + row, dh + row, hs, zr, cPrev + row, c + row, fbytes(j), gb, u - j, act, ract);
  }
}

// One vector (rem values) of a row at byte offset o, as lstm_forward_vec.
// @ts-ignore: decorator
@inline function lstm_backward_vec(dz: usize, dc: usize, dh: usize, dhs: usize, z: usize, cPrev: usize, c: usize, o: usize,
                                   gb: usize, rem: i32, act: i32, ract: i32): void {
  const i = ld(z + o, rem), f = ld(z + gb + o, rem), g = ld(z + 2 * gb + o, rem), og = ld(z + 3 * gb + o, rem);
  let dhv = ld(dh + o, rem);
  if (dhs) dhv = f32x4.add(dhv, ld(dhs + o, rem));
  const cv = ld(c + o, rem), tc = act_f(act, cv);
  const dct = f32x4.add(ld(dc + o, rem), backward_v(act, f32x4.mul(dhv, og), cv, tc, f32x4.splat(0)));
  st(dz + o, act_b(ract, f32x4.mul(dct, g), i), rem);
  st(dz + gb + o, act_b(ract, f32x4.mul(dct, ld(cPrev + o, rem)), f), rem);
  st(dz + 2 * gb + o, act_b(act, f32x4.mul(dct, i), g), rem);
  st(dz + 3 * gb + o, act_b(ract, f32x4.mul(dhv, tc), og), rem);
  st(dc + o, f32x4.mul(dct, f), rem);
}

// The scalar twins: the same formulas one value at a time (lane 0 of the shared activation code).

export function lstm_cell_forward_ref(h: usize, c: usize, z: usize, rec: usize, cPrev: usize, B: i32, u: i32, act: i32, ract: i32): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < u; j++) {
    const zi = z + fbytes(b * 4 * u + j), ri = rec + fbytes(b * 4 * u + j), at = fbytes(b * u + j), gb = fbytes(u);
    const i = sf(ract, load<f32>(zi) + load<f32>(ri)), f = sf(ract, load<f32>(zi + gb) + load<f32>(ri + gb));
    const g = sf(act, load<f32>(zi + 2 * gb) + load<f32>(ri + 2 * gb)), og = sf(ract, load<f32>(zi + 3 * gb) + load<f32>(ri + 3 * gb));
    const cn = f * load<f32>(cPrev + at) + i * g;
    store<f32>(zi, i); store<f32>(zi + gb, f); store<f32>(zi + 2 * gb, g); store<f32>(zi + 3 * gb, og);
    store<f32>(c + at, cn);
    store<f32>(h + at, og * sf(act, cn));
  }
}

export function lstm_cell_backward_ref(dz: usize, dc: usize, dh: usize, dhs: usize, z: usize, cPrev: usize, c: usize,
                                       B: i32, u: i32, act: i32, ract: i32): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < u; j++) {
    const zi = z + fbytes(b * 4 * u + j), dzi = dz + fbytes(b * 4 * u + j), at = fbytes(b * u + j), gb = fbytes(u);
    const i = load<f32>(zi), f = load<f32>(zi + gb), g = load<f32>(zi + 2 * gb), og = load<f32>(zi + 3 * gb);
    const dhv = load<f32>(dh + at) + (dhs ? load<f32>(dhs + at) : <f32>0);
    const cv = load<f32>(c + at), tc = sf(act, cv);
    const dct = load<f32>(dc + at) + sb(act, dhv * og, tc);
    store<f32>(dzi, sb(ract, dct * g, i));
    store<f32>(dzi + gb, sb(ract, dct * load<f32>(cPrev + at), f));
    store<f32>(dzi + 2 * gb, sb(act, dct * i, g));
    store<f32>(dzi + 3 * gb, sb(ract, dhv * tc, og));
    store<f32>(dc + at, dct * f);
  }
}

// h, c:(T+1,B,u) with h[0], c[0] given; z:(T,B,4u) out: the activated gates of every step;
// rec:(B,4u) and rkp (gemm_pack_b_size(u, 4u) bytes) scratch; x:(T,B,F) w:(F,4u) rk:(u,4u)
// bias:(4u) or 0.
export function lstm_seq_forward(h: usize, c: usize, z: usize, rec: usize, rkp: usize, x: usize, w: usize, rk: usize, bias: usize, mask: usize,
                                 rmask: usize, hm: usize, T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32, ws: usize): void {
  const G = 4 * u, step = fbytes(B * u), zstep = fbytes(B * G);
  gemm_f32(z, x, w, T * B, G, F, 0, 0, 0, ws);
  if (bias) bias_add_f32(z, bias, T * B, G);
  rk_pack(rkp, rk, G, u, G, 0, B);
  for (let t = 0; t < T; t++) {
    const zt = z + <usize>t * zstep;
    rk_step(rec, G, rnn_prev_state(h, hm, rmask, t, B * u), u, rkp, rk, G, 0, B, G, u, 0, ws);
    lstm_cell_forward(h + <usize>(t + 1) * step, c + <usize>(t + 1) * step, zt, rec, c + <usize>t * step, B, u, act, ract);
    if (mask) {
      seq_mask_rows_f32(h + <usize>(t + 1) * step, h + <usize>t * step, 0, maskAt(mask, t, B), B, u);
      seq_mask_rows_f32(c + <usize>(t + 1) * step, c + <usize>t * step, 0, maskAt(mask, t, B), B, u);
    }
  }
}

// dh, dc:(B,u) in: dL/dh_T, dL/dc_T; out: dL/dh_0, dL/dc_0. dz:(T,B,4u) and rkp
// (gemm_pack_b_size(4u, u) bytes) scratch. Others as in simple_rnn_seq_backward.
export function lstm_seq_backward(dx: usize, dw: usize, drk: usize, dbias: usize, dh: usize, dc: usize, dz: usize, rkp: usize,
                                  dhSeq: usize, h: usize, c: usize, z: usize, x: usize, w: usize, rk: usize,
                                  mask: usize, carry: usize, rmask: usize, hm: usize,
                                  T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32, ws: usize): void {
  const G = 4 * u, step = fbytes(B * u), zstep = fbytes(B * G);
  rk_pack(rkp, rk, G, G, u, 1, B);
  for (let t = T - 1; t >= 0; t--) {
    const dzt = dz + <usize>t * zstep, dhs = dhSeq ? dhSeq + <usize>t * step : 0, mt = maskAt(mask, t, B);
    if (mt) {
      seq_mask_rows_f32(carry, dh, dhs, mt, B, u);
      seq_mask_rows_f32(carry + step, dc, 0, mt, B, u);
    }
    lstm_cell_backward(dzt, dc, dh, dhs, z + <usize>t * zstep, c + <usize>t * step, c + <usize>(t + 1) * step, B, u, act, ract);
    if (mt) seq_mask_rows_f32(dzt, 0, 0, mt, B, G);
    rk_step(dh, u, dzt, G, rkp, rk, G, 1, B, u, G, 0, ws);
    if (rmask) rnn_mul_f32(dh, dh, rmask, B * u);
    if (mt) {
      seq_mask_rows_f32(dh, carry, 0, mt, B, u);
      seq_mask_rows_f32(dc, carry + step, 0, mt, B, u);
    }
  }
  if (drk) gemm_f32(drk, rmask ? hm : h, dz, u, G, T * B, 1, 0, 1, ws);
  input_grads(dx, dw, dbias, dz, x, w, T * B, F, G, ws);
}
