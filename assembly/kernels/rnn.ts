// Recurrent layers over a whole sequence, forward and backward through time (PyTorch's and oneDNN's
// recipe): the input projection of every step is one GEMM, each step is one small GEMM against the
// recurrent kernel plus one fused SIMD cell kernel, and backward walks t = T−1 … 0 carrying dh (and
// dc), then forms the weight gradients of all steps as one GEMM each.
//
// Layout: time-major. x:(T,B,F), the gate buffer z:(T,B,G·u) (G = 1 simple, 4 LSTM, 3 GRU), so a
// step's slice is one contiguous (B, G·u) matrix; h:(T+1,B,u) holds h0 in its first slice and the
// output of step t in slice t+1 (so h[0..T−1] is the "previous h" of every step, contiguous, for
// the recurrent weight gradient). seq_permute_f32 moves between Keras' (B,T,F) and time-major.
// Gate orders are Keras': LSTM i, f, c, o; GRU z, r, h.
//
// Activations use activation.ts's numbering (`act`, `ract`); each cell kernel is an inline body
// that its exported function instantiates twice: for the usual tanh/sigmoid with the kinds as
// constants (the activation switch folds away at compile time) and for any other pair. Cells
// save activated values and take derivatives from them, so only kinds whose derivative follows
// from the output are allowed
// (linear sigmoid hardSigmoid tanh relu relu6 selu softplus softsign; src/ops/rnn.ts checks).
// Backward accumulates (+=) into dw, drk, dbias; dx (time-major scratch) is overwritten.
// Masking (Keras' padded steps): `mask`:(T,B) time-major, 0 = the step of that sample is masked,
// or a 0 pointer for none. A masked step carries the state over unchanged (h_{t+1} = h_t, and c),
// so its output repeats the previous one; backward passes that step's gradient straight to the
// previous state and gives its gates none. `carry`:(B,u) scratch ((2,B,u) LSTM), used with a mask.
import { gemm_f32 } from './gemm';
import { bias_add_f32, bias_backward_f32 } from './dense';
import { forward_v, backward_v, ACT_TANH, ACT_SIGMOID } from '../act_v';
import { load_tail_f32x4, store_tail_f32x4 } from '../vmath';
import { madd } from '../simd';

// A vector of the row at p, of which `rem` values remain (a partial last vector reads and writes
// only those), so every value goes through the same vector code wherever it sits.
// @ts-ignore: decorator
@inline function ld(p: usize, rem: i32): v128 { return rem >= 4 ? v128.load(p) : load_tail_f32x4(p, rem, f32x4.splat(0)); }
// @ts-ignore: decorator
@inline function st(p: usize, v: v128, rem: i32): void { if (rem >= 4) v128.store(p, v); else store_tail_f32x4(p, v, rem); }
// @ts-ignore: decorator
@inline function act_f(kind: i32, x: v128): v128 { return forward_v(kind, x, f32x4.splat(0)); }
// dy·f'(x) from the output y = f(x).
// @ts-ignore: decorator
@inline function act_b(kind: i32, dy: v128, y: v128): v128 { return backward_v(kind, dy, y, y, f32x4.splat(0)); }
// @ts-ignore: decorator
@inline function fbytes(n: i32): usize { return <usize>n << 2; }

// ---- layout helpers ----

// y:(D1,D0,F) (+)= x:(D0,D1,F) with the first two axes swapped; rev0 / rev1 reverse the order of
// x's axis 0 / 1 in y (a go-backwards time axis).
export function seq_permute_f32(y: usize, x: usize, D0: i32, D1: i32, F: i32, rev0: i32, rev1: i32, accumulate: i32): void {
  for (let i = 0; i < D0; i++) {
    const ii = rev0 ? D0 - 1 - i : i;
    for (let j = 0; j < D1; j++) {
      const jj = rev1 ? D1 - 1 - j : j;
      const src = x + fbytes((i * D1 + j) * F), dst = y + fbytes((jj * D0 + ii) * F);
      let f = 0;
      if (accumulate) {
        for (; f + 4 <= F; f += 4) v128.store(dst + fbytes(f), f32x4.add(v128.load(dst + fbytes(f)), v128.load(src + fbytes(f))));
        for (; f < F; f++) store<f32>(dst + fbytes(f), load<f32>(dst + fbytes(f)) + load<f32>(src + fbytes(f)));
      } else {
        for (; f + 4 <= F; f += 4) v128.store(dst + fbytes(f), v128.load(src + fbytes(f)));
        for (; f < F; f++) store<f32>(dst + fbytes(f), load<f32>(src + fbytes(f)));
      }
    }
  }
}

export function seq_permute_f32_ref(y: usize, x: usize, D0: i32, D1: i32, F: i32, rev0: i32, rev1: i32, accumulate: i32): void {
  for (let i = 0; i < D0; i++) for (let j = 0; j < D1; j++) for (let f = 0; f < F; f++) {
    const ii = rev0 ? D0 - 1 - i : i, jj = rev1 ? D1 - 1 - j : j;
    const dst = y + fbytes((jj * D0 + ii) * F + f);
    const v = load<f32>(x + fbytes((i * D1 + j) * F + f));
    store<f32>(dst, accumulate ? load<f32>(dst) + v : v);
  }
}

// dst:(rows, cols) with rows ldd floats apart (+)= src:(rows, cols) with rows lds floats apart: a
// column block of a wider matrix (the GRU's z/r and candidate parts of its recurrent kernel).
export function copy_block_f32(dst: usize, ldd: i32, src: usize, lds: i32, rows: i32, cols: i32, accumulate: i32): void {
  for (let r = 0; r < rows; r++) {
    const d = dst + fbytes(r * ldd), s = src + fbytes(r * lds);
    for (let j = 0; j < cols; j += 4) {
      const rem = cols - j, o = fbytes(j);
      const v = ld(s + o, rem);
      st(d + o, accumulate ? f32x4.add(ld(d + o, rem), v) : v, rem);
    }
  }
}

// For each row r whose mask[r] is 0: dst row (n values) = a row + b row (a 0 pointer reads as
// zeros). Other rows are left alone. The masked steps' carry-over (forward: dst = h_{t+1}, a = h_t),
// the carried gradient (carry = dh + dhSeq_t) and the zeroed gate gradients (a = b = 0).
export function seq_mask_rows_f32(dst: usize, a: usize, b: usize, mask: usize, rows: i32, n: i32): void {
  for (let r = 0; r < rows; r++) {
    if (load<f32>(mask + fbytes(r)) != 0) continue;
    const d = dst + fbytes(r * n), pa = a + fbytes(r * n), pb = b + fbytes(r * n);
    for (let j = 0; j < n; j += 4) {
      const rem = n - j, o = fbytes(j);
      let v = a ? ld(pa + o, rem) : f32x4.splat(0);
      if (b) v = f32x4.add(v, ld(pb + o, rem));
      st(d + o, v, rem);
    }
  }
}

export function seq_mask_rows_f32_ref(dst: usize, a: usize, b: usize, mask: usize, rows: i32, n: i32): void {
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) {
    if (load<f32>(mask + fbytes(r)) != 0) continue;
    const o = fbytes(r * n + j);
    store<f32>(dst + o, (a ? load<f32>(a + o) : <f32>0) + (b ? load<f32>(b + o) : <f32>0));
  }
}

// The mask of step t (0 when there is none).
// @ts-ignore: decorator
@inline function maskAt(mask: usize, t: i32, B: i32): usize { return mask ? mask + fbytes(t * B) : 0; }

// dx = dz·Wᵀ, dw += xᵀ·dz, dbias += Σ dz over the rows: the input side of every cell's backward,
// all steps at once. x:(rows,F) w:(F,N) dz:(rows,N); null pointers skip a gradient.
function input_grads(dx: usize, dw: usize, dbias: usize, dz: usize, x: usize, w: usize, rows: i32, F: i32, N: i32): void {
  if (dw) gemm_f32(dw, x, dz, F, N, rows, 1, 0, 1);
  if (dbias) bias_backward_f32(dbias, dz, rows, N);
  if (dx) gemm_f32(dx, dz, w, rows, F, N, 0, 1, 0);
}

// ---- simple (Elman) RNN: h_t = act(x_t·W + h_{t−1}·U + b) ----

// dz = act'(dh + dhs) from y (dhs may be 0): the pre-activation gradient of one step, n values.
export function rnn_step_backward(dz: usize, dh: usize, dhs: usize, y: usize, n: i32, act: i32): void {
  if (act == ACT_TANH) rnn_step_backward_impl(dz, dh, dhs, y, n, ACT_TANH);
  else rnn_step_backward_impl(dz, dh, dhs, y, n, act);
}

// @ts-ignore: decorator
@inline function rnn_step_backward_impl(dz: usize, dh: usize, dhs: usize, y: usize, n: i32, act: i32): void {
  for (let i = 0; i < n; i += 4) {
    const rem = n - i, o = fbytes(i);
    let g = ld(dh + o, rem);
    if (dhs) g = f32x4.add(g, ld(dhs + o, rem));
    st(dz + o, act_b(act, g, ld(y + o, rem)), rem);
  }
}

export function rnn_step_backward_ref(dz: usize, dh: usize, dhs: usize, y: usize, n: i32, act: i32): void {
  for (let i = 0; i < n; i++) {
    const o = fbytes(i);
    const g = load<f32>(dh + o) + (dhs ? load<f32>(dhs + o) : <f32>0);
    store<f32>(dz + o, f32x4.extract_lane(act_b(act, f32x4.splat(g), f32x4.splat(load<f32>(y + o))), 0));
  }
}

// h:(T+1,B,u), h[0] = h0 given; x:(T,B,F) w:(F,u) rk:(u,u) bias:(u) or 0.
export function simple_rnn_seq_forward(h: usize, x: usize, w: usize, rk: usize, bias: usize, mask: usize,
                                       T: i32, B: i32, F: i32, u: i32, act: i32): void {
  const step = fbytes(B * u), rows = T * B;
  gemm_f32(h + step, x, w, rows, u, F, 0, 0, 0);
  if (bias) bias_add_f32(h + step, bias, rows, u);
  for (let t = 0; t < T; t++) {
    const ht = h + <usize>(t + 1) * step;
    gemm_f32(ht, h + <usize>t * step, rk, B, u, u, 0, 0, 1);
    for (let i = 0; i < B * u; i += 4) st(ht + fbytes(i), act_f(act, ld(ht + fbytes(i), B * u - i)), B * u - i);
    if (mask) seq_mask_rows_f32(ht, h + <usize>t * step, 0, maskAt(mask, t, B), B, u);
  }
}

// dh:(B,u) in: dL/dh_T, out: dL/dh_0. dhSeq:(T,B,u) or 0: gradients of every step's output.
// dz:(T,B,u) scratch; dx:(T,B,F) out or 0; dw, drk, dbias += (or 0).
export function simple_rnn_seq_backward(dx: usize, dw: usize, drk: usize, dbias: usize, dh: usize, dz: usize,
                                        dhSeq: usize, h: usize, x: usize, w: usize, rk: usize, mask: usize, carry: usize,
                                        T: i32, B: i32, F: i32, u: i32, act: i32): void {
  const step = fbytes(B * u);
  for (let t = T - 1; t >= 0; t--) {
    const dzt = dz + <usize>t * step, dhs = dhSeq ? dhSeq + <usize>t * step : 0, mt = maskAt(mask, t, B);
    if (mt) seq_mask_rows_f32(carry, dh, dhs, mt, B, u);
    rnn_step_backward(dzt, dh, dhs, h + <usize>(t + 1) * step, B * u, act);
    if (mt) seq_mask_rows_f32(dzt, 0, 0, mt, B, u);
    gemm_f32(dh, dzt, rk, B, u, u, 0, 1, 0);
    if (mt) seq_mask_rows_f32(dh, carry, 0, mt, B, u);
  }
  if (drk) gemm_f32(drk, h, dz, u, u, T * B, 1, 0, 1);
  input_grads(dx, dw, dbias, dz, x, w, T * B, F, u);
}

// ---- LSTM: gates i, f, c (g), o ----

// One step for B rows. z:(B,4u) in: pre-activations, out: activated gates (saved for backward);
// cPrev:(B,u) in; c, h:(B,u) out: c = f·cPrev + i·g, h = o·act(c).
export function lstm_cell_forward(h: usize, c: usize, z: usize, cPrev: usize, B: i32, u: i32, act: i32, ract: i32): void {
  if (act == ACT_TANH && ract == ACT_SIGMOID) lstm_cell_forward_impl(h, c, z, cPrev, B, u, ACT_TANH, ACT_SIGMOID);
  else lstm_cell_forward_impl(h, c, z, cPrev, B, u, act, ract);
}

// @ts-ignore: decorator
@inline function lstm_cell_forward_impl(h: usize, c: usize, z: usize, cPrev: usize, B: i32, u: i32, act: i32, ract: i32): void {
  const gb = fbytes(u);
  for (let b = 0; b < B; b++) {
    const zr = z + fbytes(b * 4 * u), row = fbytes(b * u);
    for (let j = 0; j < u; j += 4) {
      const rem = u - j, o = fbytes(j);
      const zi = zr + o;
      const i = act_f(ract, ld(zi, rem)), f = act_f(ract, ld(zi + gb, rem));
      const g = act_f(act, ld(zi + 2 * gb, rem)), og = act_f(ract, ld(zi + 3 * gb, rem));
      const cn = madd(f, ld(cPrev + row + o, rem), f32x4.mul(i, g));
      st(zi, i, rem); st(zi + gb, f, rem); st(zi + 2 * gb, g, rem); st(zi + 3 * gb, og, rem);
      st(c + row + o, cn, rem);
      st(h + row + o, f32x4.mul(og, act_f(act, cn)), rem);
    }
  }
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
    const zr = z + fbytes(b * 4 * u), dzr = dz + fbytes(b * 4 * u), row = fbytes(b * u);
    for (let j = 0; j < u; j += 4) {
      const rem = u - j, o = fbytes(j);
      const i = ld(zr + o, rem), f = ld(zr + gb + o, rem), g = ld(zr + 2 * gb + o, rem), og = ld(zr + 3 * gb + o, rem);
      let dhv = ld(dh + row + o, rem);
      if (dhs) dhv = f32x4.add(dhv, ld(dhs + row + o, rem));
      const cv = ld(c + row + o, rem), tc = act_f(act, cv);
      const dct = f32x4.add(ld(dc + row + o, rem), backward_v(act, f32x4.mul(dhv, og), cv, tc, f32x4.splat(0)));
      st(dzr + o, act_b(ract, f32x4.mul(dct, g), i), rem);
      st(dzr + gb + o, act_b(ract, f32x4.mul(dct, ld(cPrev + row + o, rem)), f), rem);
      st(dzr + 2 * gb + o, act_b(act, f32x4.mul(dct, i), g), rem);
      st(dzr + 3 * gb + o, act_b(ract, f32x4.mul(dhv, tc), og), rem);
      st(dc + row + o, f32x4.mul(dct, f), rem);
    }
  }
}

// The scalar twins: the same formulas one value at a time (lane 0 of the shared activation code).
// @ts-ignore: decorator
@inline function sf(kind: i32, x: f32): f32 { return f32x4.extract_lane(act_f(kind, f32x4.splat(x)), 0); }
// @ts-ignore: decorator
@inline function sb(kind: i32, dy: f32, y: f32): f32 { return f32x4.extract_lane(act_b(kind, f32x4.splat(dy), f32x4.splat(y)), 0); }

export function lstm_cell_forward_ref(h: usize, c: usize, z: usize, cPrev: usize, B: i32, u: i32, act: i32, ract: i32): void {
  for (let b = 0; b < B; b++) for (let j = 0; j < u; j++) {
    const zi = z + fbytes(b * 4 * u + j), at = fbytes(b * u + j), gb = fbytes(u);
    const i = sf(ract, load<f32>(zi)), f = sf(ract, load<f32>(zi + gb));
    const g = sf(act, load<f32>(zi + 2 * gb)), og = sf(ract, load<f32>(zi + 3 * gb));
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
// x:(T,B,F) w:(F,4u) rk:(u,4u) bias:(4u) or 0.
export function lstm_seq_forward(h: usize, c: usize, z: usize, x: usize, w: usize, rk: usize, bias: usize, mask: usize,
                                 T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32): void {
  const G = 4 * u, step = fbytes(B * u), zstep = fbytes(B * G);
  gemm_f32(z, x, w, T * B, G, F, 0, 0, 0);
  if (bias) bias_add_f32(z, bias, T * B, G);
  for (let t = 0; t < T; t++) {
    const zt = z + <usize>t * zstep;
    gemm_f32(zt, h + <usize>t * step, rk, B, G, u, 0, 0, 1);
    lstm_cell_forward(h + <usize>(t + 1) * step, c + <usize>(t + 1) * step, zt, c + <usize>t * step, B, u, act, ract);
    if (mask) {
      seq_mask_rows_f32(h + <usize>(t + 1) * step, h + <usize>t * step, 0, maskAt(mask, t, B), B, u);
      seq_mask_rows_f32(c + <usize>(t + 1) * step, c + <usize>t * step, 0, maskAt(mask, t, B), B, u);
    }
  }
}

// dh, dc:(B,u) in: dL/dh_T, dL/dc_T; out: dL/dh_0, dL/dc_0. dz:(T,B,4u) scratch. Others as in
// simple_rnn_seq_backward.
export function lstm_seq_backward(dx: usize, dw: usize, drk: usize, dbias: usize, dh: usize, dc: usize, dz: usize,
                                  dhSeq: usize, h: usize, c: usize, z: usize, x: usize, w: usize, rk: usize,
                                  mask: usize, carry: usize,
                                  T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32): void {
  const G = 4 * u, step = fbytes(B * u), zstep = fbytes(B * G);
  for (let t = T - 1; t >= 0; t--) {
    const dzt = dz + <usize>t * zstep, dhs = dhSeq ? dhSeq + <usize>t * step : 0, mt = maskAt(mask, t, B);
    if (mt) {
      seq_mask_rows_f32(carry, dh, dhs, mt, B, u);
      seq_mask_rows_f32(carry + step, dc, 0, mt, B, u);
    }
    lstm_cell_backward(dzt, dc, dh, dhs, z + <usize>t * zstep, c + <usize>t * step, c + <usize>(t + 1) * step, B, u, act, ract);
    if (mt) seq_mask_rows_f32(dzt, 0, 0, mt, B, G);
    gemm_f32(dh, dzt, rk, B, u, G, 0, 1, 0);
    if (mt) {
      seq_mask_rows_f32(dh, carry, 0, mt, B, u);
      seq_mask_rows_f32(dc, carry + step, 0, mt, B, u);
    }
  }
  if (drk) gemm_f32(drk, h, dz, u, G, T * B, 1, 0, 1);
  input_grads(dx, dw, dbias, dz, x, w, T * B, F, G);
}

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

// @ts-ignore: decorator
@inline function bias_at(b: usize, gate: i32, u: i32, j: i32): f32 { return b ? load<f32>(b + fbytes(gate * u + j)) : 0; }

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
// scratch. bias: b_in (3u) then b_rec (3u), or 0.
export function gru_seq_forward(h: usize, z: usize, recH: usize, rec: usize, x: usize, w: usize, rk: usize, bias: usize,
                                mask: usize, T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32): void {
  const G = 3 * u, step = fbytes(B * u), zstep = fbytes(B * G);
  gemm_f32(z, x, w, T * B, G, F, 0, 0, 0);
  if (bias) bias_add_f32(z, bias, T * B, G);
  for (let t = 0; t < T; t++) {
    gemm_f32(rec, h + <usize>t * step, rk, B, G, u, 0, 0, 0);
    gru_cell_forward(h + <usize>(t + 1) * step, recH + <usize>t * step, z + <usize>t * zstep, rec,
                     bias ? bias + fbytes(G) : 0, h + <usize>t * step, B, u, act, ract);
    if (mask) seq_mask_rows_f32(h + <usize>(t + 1) * step, h + <usize>t * step, 0, maskAt(mask, t, B), B, u);
  }
}

// dz, drec:(T,B,3u) scratch. dbias: (2,3u) or 0. Others as in lstm_seq_backward.
export function gru_seq_backward(dx: usize, dw: usize, drk: usize, dbias: usize, dh: usize, dz: usize, drec: usize,
                                 dhSeq: usize, h: usize, z: usize, recH: usize, x: usize, w: usize, rk: usize,
                                 mask: usize, carry: usize,
                                 T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32): void {
  const G = 3 * u, step = fbytes(B * u), zstep = fbytes(B * G);
  for (let t = T - 1; t >= 0; t--) {
    const drt = drec + <usize>t * zstep, dzt = dz + <usize>t * zstep, dhs = dhSeq ? dhSeq + <usize>t * step : 0;
    const mt = maskAt(mask, t, B);
    if (mt) seq_mask_rows_f32(carry, dh, dhs, mt, B, u);
    gru_cell_backward(dzt, drt, dh, dhs, z + <usize>t * zstep, recH + <usize>t * step, h + <usize>t * step, B, u, act, ract);
    if (mt) {
      seq_mask_rows_f32(dzt, 0, 0, mt, B, G);
      seq_mask_rows_f32(drt, 0, 0, mt, B, G);
    }
    gemm_f32(dh, drt, rk, B, u, G, 0, 1, 1);
    if (mt) seq_mask_rows_f32(dh, carry, 0, mt, B, u);
  }
  if (drk) gemm_f32(drk, h, drec, u, G, T * B, 1, 0, 1);
  if (dbias) bias_backward_f32(dbias + fbytes(G), drec, T * B, G);
  input_grads(dx, dw, dbias, dz, x, w, T * B, F, G);
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
  const gb = fbytes(u);
  for (let b = 0; b < B; b++) {
    const zr = z + fbytes(b * 3 * u), rr = rec + fbytes(b * 2 * u), row = fbytes(b * u);
    for (let j = 0; j < u; j += 4) {
      const rem = u - j, o = fbytes(j);
      const zg = act_f(ract, f32x4.add(ld(zr + o, rem), ld(rr + o, rem)));
      const rg = act_f(ract, f32x4.add(ld(zr + gb + o, rem), ld(rr + gb + o, rem)));
      st(zr + o, zg, rem); st(zr + gb + o, rg, rem);
      st(rh + row + o, f32x4.mul(rg, ld(hPrev + row + o, rem)), rem);
    }
  }
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
// rkZR:(u,2u), rkH:(u,u): the recurrent kernel's split columns. rec:(B,2u), cand:(B,u) scratch.
export function gru_reset_before_seq_forward(h: usize, z: usize, rh: usize, rec: usize, cand: usize, x: usize, w: usize,
                                             rkZR: usize, rkH: usize, bias: usize, mask: usize,
                                             T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32): void {
  const G = 3 * u, step = fbytes(B * u), zstep = fbytes(B * G);
  gemm_f32(z, x, w, T * B, G, F, 0, 0, 0);
  if (bias) bias_add_f32(z, bias, T * B, G);
  for (let t = 0; t < T; t++) {
    const zt = z + <usize>t * zstep, hp = h + <usize>t * step, rht = rh + <usize>t * step;
    gemm_f32(rec, hp, rkZR, B, 2 * u, u, 0, 0, 0);
    gru_reset_forward(rht, zt, rec, hp, B, u, ract);
    gemm_f32(cand, rht, rkH, B, u, u, 0, 0, 0);
    gru_candidate_forward(h + <usize>(t + 1) * step, zt, cand, hp, B, u, act);
    if (mask) seq_mask_rows_f32(h + <usize>(t + 1) * step, hp, 0, maskAt(mask, t, B), B, u);
  }
}

// dz:(T,B,3u), dzr:(T,B,2u), dzh:(T,B,u), drh:(B,u), drk2:(u,2u) scratch (drk2 only with drk).
// drk:(u,3u) += in Keras' column order. Others as in lstm_seq_backward.
export function gru_reset_before_seq_backward(dx: usize, dw: usize, drk: usize, dbias: usize, dh: usize,
                                              dz: usize, dzr: usize, dzh: usize, drh: usize, drk2: usize, dhSeq: usize,
                                              h: usize, z: usize, rh: usize, x: usize, w: usize, rkZR: usize, rkH: usize,
                                              mask: usize, carry: usize,
                                              T: i32, B: i32, F: i32, u: i32, act: i32, ract: i32): void {
  const G = 3 * u, step = fbytes(B * u), zstep = fbytes(B * G), zrstep = fbytes(B * 2 * u);
  for (let t = T - 1; t >= 0; t--) {
    const dzt = dz + <usize>t * zstep, dzht = dzh + <usize>t * step, dzrt = dzr + <usize>t * zrstep;
    const zt = z + <usize>t * zstep, hp = h + <usize>t * step, dhs = dhSeq ? dhSeq + <usize>t * step : 0;
    const mt = maskAt(mask, t, B);
    if (mt) seq_mask_rows_f32(carry, dh, dhs, mt, B, u);
    gru_candidate_backward(dzt, dzht, dh, dhs, zt, hp, B, u, act, ract);
    if (mt) {
      // zero gates in, so the reset gate's backward below writes zeros too
      seq_mask_rows_f32(dzt, 0, 0, mt, B, G);
      seq_mask_rows_f32(dzht, 0, 0, mt, B, u);
    }
    gemm_f32(drh, dzht, rkH, B, u, u, 0, 1, 0);
    gru_reset_backward(dzt, dzrt, dh, drh, zt, hp, B, u, ract);
    gemm_f32(dh, dzrt, rkZR, B, u, 2 * u, 0, 1, 1);
    if (mt) seq_mask_rows_f32(dh, carry, 0, mt, B, u);
  }
  if (drk) {
    gemm_f32(drk2, h, dzr, u, 2 * u, T * B, 1, 0, 0);
    copy_block_f32(drk, G, drk2, 2 * u, u, 2 * u, 1);
    gemm_f32(drk2, rh, dzh, u, u, T * B, 1, 0, 0);
    copy_block_f32(drk + fbytes(2 * u), G, drk2, u, u, u, 1);
  }
  input_grads(dx, dw, dbias, dz, x, w, T * B, F, G);
}

// ---- Jordan network: h_t = act(x_t·W + y_{t−1}·U + b), y_t = outAct(h_t·V + c) ----
// The state fed back is the previous output y (o values), not h.

// y:(T+1,B,o) with y[0] given; h:(T,B,u) out; x:(T,B,F) w:(F,u) rk:(o,u) bias:(u) or 0;
// v:(u,o) outBias:(o) or 0.
export function jordan_seq_forward(y: usize, h: usize, x: usize, w: usize, rk: usize, bias: usize, v: usize, outBias: usize,
                                   mask: usize, T: i32, B: i32, F: i32, u: i32, o: i32, act: i32, outAct: i32): void {
  const hstep = fbytes(B * u), ystep = fbytes(B * o);
  gemm_f32(h, x, w, T * B, u, F, 0, 0, 0);
  if (bias) bias_add_f32(h, bias, T * B, u);
  for (let t = 0; t < T; t++) {
    const ht = h + <usize>t * hstep, yt = y + <usize>(t + 1) * ystep;
    gemm_f32(ht, y + <usize>t * ystep, rk, B, u, o, 0, 0, 1);
    for (let i = 0; i < B * u; i += 4) st(ht + fbytes(i), act_f(act, ld(ht + fbytes(i), B * u - i)), B * u - i);
    gemm_f32(yt, ht, v, B, o, u, 0, 0, 0);
    if (outBias) bias_add_f32(yt, outBias, B, o);
    for (let i = 0; i < B * o; i += 4) st(yt + fbytes(i), act_f(outAct, ld(yt + fbytes(i), B * o - i)), B * o - i);
    if (mask) seq_mask_rows_f32(yt, y + <usize>t * ystep, 0, maskAt(mask, t, B), B, o);
  }
}

// dy:(B,o) in: dL/dy_T, out: dL/dy_0. dySeq:(T,B,o) or 0: gradients of every step's output.
// dz:(T,B,u), dpy:(T,B,o), dh:(B,u) scratch. dv:(u,o), dOutBias:(o) += like dw, drk, dbias.
export function jordan_seq_backward(dx: usize, dw: usize, drk: usize, dbias: usize, dv: usize, dOutBias: usize,
                                    dy: usize, dz: usize, dpy: usize, dh: usize, dySeq: usize,
                                    y: usize, h: usize, x: usize, w: usize, rk: usize, v: usize, mask: usize, carry: usize,
                                    T: i32, B: i32, F: i32, u: i32, o: i32, act: i32, outAct: i32): void {
  const hstep = fbytes(B * u), ystep = fbytes(B * o);
  for (let t = T - 1; t >= 0; t--) {
    const dpyt = dpy + <usize>t * ystep, dzt = dz + <usize>t * hstep, dys = dySeq ? dySeq + <usize>t * ystep : 0;
    const mt = maskAt(mask, t, B);
    if (mt) seq_mask_rows_f32(carry, dy, dys, mt, B, o);
    rnn_step_backward(dpyt, dy, dys, y + <usize>(t + 1) * ystep, B * o, outAct);
    if (mt) seq_mask_rows_f32(dpyt, 0, 0, mt, B, o);
    gemm_f32(dh, dpyt, v, B, u, o, 0, 1, 0);
    rnn_step_backward(dzt, dh, 0, h + <usize>t * hstep, B * u, act);
    if (mt) seq_mask_rows_f32(dzt, 0, 0, mt, B, u);
    gemm_f32(dy, dzt, rk, B, o, u, 0, 1, 0);
    if (mt) seq_mask_rows_f32(dy, carry, 0, mt, B, o);
  }
  if (dv) gemm_f32(dv, h, dpy, u, o, T * B, 1, 0, 1);
  if (dOutBias) bias_backward_f32(dOutBias, dpy, T * B, o);
  if (drk) gemm_f32(drk, y, dz, o, u, T * B, 1, 0, 1);
  input_grads(dx, dw, dbias, dz, x, w, T * B, F, u);
}
