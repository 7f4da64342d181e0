// Recurrent layers over a whole sequence, forward and backward through time (PyTorch's and oneDNN's
// recipe): the input projection of every step is one GEMM, each step is one small GEMM against the
// recurrent kernel plus one fused SIMD cell kernel, and backward walks t = T−1 … 0 carrying dh (and
// dc), then forms the weight gradients of all steps as one GEMM each.
//
// Layout: time-major. x:(T,B,F), the gate buffer z:(T,B,G·u) (G = 1 simple, 4 LSTM, 3 GRU), so a
// step's slice is one contiguous (B, G·u) matrix; h:(T+1,B,u) holds h0 in its first slice and the
// output of step t in slice t+1 (so h[0..T−1] is the "previous h" of every step, contiguous, for
// the recurrent weight gradient). seq_permute_f32 moves between Keras' (B,T,F) and time-major.
// Gate orders are Keras': LSTM i, f, c, o; GRU z, r, h. This file holds the layout helpers, the
// simple (Elman) RNN and the Jordan network; lstm.ts and gru.ts the other cells, all on these
// conventions (shared inline helpers: assembly/rnn_util.ts).
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
// Recurrent dropout (Keras' recurrent_dropout): `rmask`:(B,u), or a 0 pointer for none, multiplies
// the previous state wherever a step's cell reads it, h̃_t = rmask ∘ h_t (the same mask at every
// step); forward writes h̃ of every step to `hm`:(T,B,u) and backward reads it there (the
// recurrent kernel's gradient is h̃ᵀ·dz) and multiplies the gradient reaching h_t by the mask.
// A padded step still carries the unmasked state over (Keras).
import { gemm_f32 } from './gemm';
import { bias_add_f32, bias_backward_f32 } from './dense';
import { ACT_TANH } from '../act_v';
import { ld, st, act_f, act_b, fbytes, maskAt, input_grads, rk_pack, rk_step } from '../rnn_util';

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

// y = a ∘ m, n values (y may be a): the masked previous state, and the gradient through it.
export function rnn_mul_f32(y: usize, a: usize, m: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) st(y + fbytes(i), f32x4.mul(ld(a + fbytes(i), n - i), ld(m + fbytes(i), n - i)), n - i);
}

export function rnn_mul_f32_ref(y: usize, a: usize, m: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(y + fbytes(i), load<f32>(a + fbytes(i)) * load<f32>(m + fbytes(i)));
}

// The previous state step t's cell reads: slice t of s (n values a step), or with a recurrent mask
// the masked copy written to slice t of sm.
export function rnn_prev_state(s: usize, sm: usize, rmask: usize, t: i32, n: i32): usize {
  const at = <usize>t * fbytes(n);
  if (!rmask) return s + at;
  rnn_mul_f32(sm + at, s + at, rmask, n);
  return sm + at;
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

// h:(T+1,B,u), h[0] = h0 given; x:(T,B,F) w:(F,u) rk:(u,u) bias:(u) or 0; rkp:
// gemm_pack_b_size(u, u) bytes of scratch.
export function simple_rnn_seq_forward(h: usize, rkp: usize, x: usize, w: usize, rk: usize, bias: usize, mask: usize, rmask: usize, hm: usize,
                                       T: i32, B: i32, F: i32, u: i32, act: i32, ws: usize): void {
  const step = fbytes(B * u), rows = T * B;
  gemm_f32(h + step, x, w, rows, u, F, 0, 0, 0, ws);
  if (bias) bias_add_f32(h + step, bias, rows, u);
  rk_pack(rkp, rk, u, u, u, 0, B);
  for (let t = 0; t < T; t++) {
    const ht = h + <usize>(t + 1) * step;
    rk_step(ht, u, rnn_prev_state(h, hm, rmask, t, B * u), u, rkp, rk, u, 0, B, u, u, 1, ws);
    for (let i = 0; i < B * u; i += 4) st(ht + fbytes(i), act_f(act, ld(ht + fbytes(i), B * u - i)), B * u - i);
    if (mask) seq_mask_rows_f32(ht, h + <usize>t * step, 0, maskAt(mask, t, B), B, u);
  }
}

// dh:(B,u) in: dL/dh_T, out: dL/dh_0. dhSeq:(T,B,u) or 0: gradients of every step's output.
// dz:(T,B,u) and rkp (gemm_pack_b_size(u, u) bytes) scratch; dx:(T,B,F) out or 0; dw, drk,
// dbias += (or 0).
export function simple_rnn_seq_backward(dx: usize, dw: usize, drk: usize, dbias: usize, dh: usize, dz: usize, rkp: usize,
                                        dhSeq: usize, h: usize, x: usize, w: usize, rk: usize, mask: usize, carry: usize,
                                        rmask: usize, hm: usize, T: i32, B: i32, F: i32, u: i32, act: i32, ws: usize): void {
  const step = fbytes(B * u);
  rk_pack(rkp, rk, u, u, u, 1, B);
  for (let t = T - 1; t >= 0; t--) {
    const dzt = dz + <usize>t * step, dhs = dhSeq ? dhSeq + <usize>t * step : 0, mt = maskAt(mask, t, B);
    if (mt) seq_mask_rows_f32(carry, dh, dhs, mt, B, u);
    rnn_step_backward(dzt, dh, dhs, h + <usize>(t + 1) * step, B * u, act);
    if (mt) seq_mask_rows_f32(dzt, 0, 0, mt, B, u);
    rk_step(dh, u, dzt, u, rkp, rk, u, 1, B, u, u, 0, ws);
    if (rmask) rnn_mul_f32(dh, dh, rmask, B * u);
    if (mt) seq_mask_rows_f32(dh, carry, 0, mt, B, u);
  }
  if (drk) gemm_f32(drk, rmask ? hm : h, dz, u, u, T * B, 1, 0, 1, ws);
  input_grads(dx, dw, dbias, dz, x, w, T * B, F, u, ws);
}

// ---- Jordan network: h_t = act(x_t·W + y_{t−1}·U + b), y_t = outAct(h_t·V + c) ----
// The state fed back is the previous output y (o values), not h.

// y:(T+1,B,o) with y[0] given; h:(T,B,u) out; x:(T,B,F) w:(F,u) rk:(o,u) bias:(u) or 0;
// v:(u,o) outBias:(o) or 0; rkp: gemm_pack_b_size(o, u) + gemm_pack_b_size(u, o) bytes of scratch.
export function jordan_seq_forward(y: usize, h: usize, rkp: usize, x: usize, w: usize, rk: usize, bias: usize, v: usize, outBias: usize,
                                   mask: usize, rmask: usize, ym: usize, T: i32, B: i32, F: i32, u: i32, o: i32, act: i32, outAct: i32, ws: usize): void {
  const hstep = fbytes(B * u), ystep = fbytes(B * o);
  gemm_f32(h, x, w, T * B, u, F, 0, 0, 0, ws);
  if (bias) bias_add_f32(h, bias, T * B, u);
  const pU = rkp, pV = rk_pack(pU, rk, u, o, u, 0, B);
  rk_pack(pV, v, o, u, o, 0, B);
  for (let t = 0; t < T; t++) {
    const ht = h + <usize>t * hstep, yt = y + <usize>(t + 1) * ystep;
    rk_step(ht, u, rnn_prev_state(y, ym, rmask, t, B * o), o, pU, rk, u, 0, B, u, o, 1, ws);
    for (let i = 0; i < B * u; i += 4) st(ht + fbytes(i), act_f(act, ld(ht + fbytes(i), B * u - i)), B * u - i);
    rk_step(yt, o, ht, u, pV, v, o, 0, B, o, u, 0, ws);
    if (outBias) bias_add_f32(yt, outBias, B, o);
    for (let i = 0; i < B * o; i += 4) st(yt + fbytes(i), act_f(outAct, ld(yt + fbytes(i), B * o - i)), B * o - i);
    if (mask) seq_mask_rows_f32(yt, y + <usize>t * ystep, 0, maskAt(mask, t, B), B, o);
  }
}

// dy:(B,o) in: dL/dy_T, out: dL/dy_0. dySeq:(T,B,o) or 0: gradients of every step's output.
// dz:(T,B,u), dpy:(T,B,o), dh:(B,u) and rkp (as in the forward) scratch. dv:(u,o), dOutBias:(o)
// += like dw, drk, dbias.
export function jordan_seq_backward(dx: usize, dw: usize, drk: usize, dbias: usize, dv: usize, dOutBias: usize,
                                    dy: usize, dz: usize, dpy: usize, dh: usize, rkp: usize, dySeq: usize,
                                    y: usize, h: usize, x: usize, w: usize, rk: usize, v: usize, mask: usize, carry: usize,
                                    rmask: usize, ym: usize, T: i32, B: i32, F: i32, u: i32, o: i32, act: i32, outAct: i32, ws: usize): void {
  const hstep = fbytes(B * u), ystep = fbytes(B * o);
  const pU = rkp, pV = rk_pack(pU, rk, u, u, o, 1, B);
  rk_pack(pV, v, o, o, u, 1, B);
  for (let t = T - 1; t >= 0; t--) {
    const dpyt = dpy + <usize>t * ystep, dzt = dz + <usize>t * hstep, dys = dySeq ? dySeq + <usize>t * ystep : 0;
    const mt = maskAt(mask, t, B);
    if (mt) seq_mask_rows_f32(carry, dy, dys, mt, B, o);
    rnn_step_backward(dpyt, dy, dys, y + <usize>(t + 1) * ystep, B * o, outAct);
    if (mt) seq_mask_rows_f32(dpyt, 0, 0, mt, B, o);
    rk_step(dh, u, dpyt, o, pV, v, o, 1, B, u, o, 0, ws);
    rnn_step_backward(dzt, dh, 0, h + <usize>t * hstep, B * u, act);
    if (mt) seq_mask_rows_f32(dzt, 0, 0, mt, B, u);
    rk_step(dy, o, dzt, u, pU, rk, u, 1, B, o, u, 0, ws);
    if (rmask) rnn_mul_f32(dy, dy, rmask, B * o);
    if (mt) seq_mask_rows_f32(dy, carry, 0, mt, B, o);
  }
  if (dv) gemm_f32(dv, h, dpy, u, o, T * B, 1, 0, 1, ws);
  if (dOutBias) bias_backward_f32(dOutBias, dpy, T * B, o);
  if (drk) gemm_f32(drk, rmask ? ym : y, dz, o, u, T * B, 1, 0, 1, ws);
  input_grads(dx, dw, dbias, dz, x, w, T * B, F, u, ws);
}
