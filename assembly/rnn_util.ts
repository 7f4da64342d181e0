// Shared pieces of the recurrent kernels (assembly/kernels/rnn.ts, lstm.ts, gru.ts): partial-vector
// loads and stores, activations from the shared vector code, and the input side of every backward.
// Not exported from assembly/index.ts: these are inlined helpers, not kernels.
import { gemm_f32, gemm_f32_strided, gemm_f32_packed, gemm_pack_b, gemm_pack_b_size } from './kernels/gemm';
import { bias_backward_f32 } from './kernels/dense';
import { forward_v, backward_v } from './act_v';
import { load_tail_f32x4, store_tail_f32x4 } from './vmath';

// A vector of the row at p, of which `rem` values remain (a partial last vector reads and writes
// only those), so every value goes through the same vector code wherever it sits.
// @ts-ignore: decorator
@inline export function ld(p: usize, rem: i32): v128 { return rem >= 4 ? v128.load(p) : load_tail_f32x4(p, rem, f32x4.splat(0)); }
// @ts-ignore: decorator
@inline export function st(p: usize, v: v128, rem: i32): void { if (rem >= 4) v128.store(p, v); else store_tail_f32x4(p, v, rem); }
// @ts-ignore: decorator
@inline export function act_f(kind: i32, x: v128): v128 { return forward_v(kind, x, f32x4.splat(0)); }
// dy·f'(x) from the output y = f(x).
// @ts-ignore: decorator
@inline export function act_b(kind: i32, dy: v128, y: v128): v128 { return backward_v(kind, dy, y, y, f32x4.splat(0)); }
// @ts-ignore: decorator
@inline export function fbytes(n: i32): usize { return <usize>n << 2; }

// The mask of step t (0 when there is none).
// @ts-ignore: decorator
@inline export function maskAt(mask: usize, t: i32, B: i32): usize { return mask ? mask + fbytes(t * B) : 0; }

// dx = dz·Wᵀ, dw += xᵀ·dz, dbias += Σ dz over the rows: the input side of every cell's backward,
// all steps at once. x:(rows,F) w:(F,N) dz:(rows,N); null pointers skip a gradient.
export function input_grads(dx: usize, dw: usize, dbias: usize, dz: usize, x: usize, w: usize, rows: i32, F: i32, N: i32, ws: usize): void {
  if (dw) gemm_f32(dw, x, dz, F, N, rows, 1, 0, 1, ws);
  if (dbias) bias_backward_f32(dbias, dz, rows, N);
  if (dx) gemm_f32(dx, dz, w, rows, F, N, 0, 1, 0, ws);
}

// ---- the per-step product against the recurrent kernel ----
// Every step multiplies by the same U (Uᵀ backward), so it is packed once per sequence (rk_pack)
// and each step runs gemm_f32_packed, which gives the same bits as gemm_f32 on U in place. With
// 1–2 rows gemm takes a vector-matrix path on U in place instead (faster, and it has no packed
// form): then nothing is packed.
const STEP_IN_PLACE_ROWS: i32 = 2;

// Packs op(U) (K,N), U's rows ldu floats apart, at bp for steps of M rows; returns the address
// after it (where a second pack goes).
export function rk_pack(bp: usize, rk: usize, ldu: i32, K: i32, N: i32, transU: i32, M: i32): usize {
  if (M > STEP_IN_PLACE_ROWS) gemm_pack_b(bp, rk, ldu, K, N, transU);
  return bp + gemm_pack_b_size(K, N);
}

// c:(M,N) (+)= a:(M,K) · op(U), U packed at bp by rk_pack (or read at rk, rows ldu apart).
export function rk_step(c: usize, ldc: i32, a: usize, lda: i32, bp: usize, rk: usize, ldu: i32, transU: i32,
                        M: i32, N: i32, K: i32, accumulate: i32, ws: usize): void {
  if (M > STEP_IN_PLACE_ROWS) gemm_f32_packed(c, ldc, a, lda, bp, M, N, K, 0, M, 0, accumulate, ws);
  else gemm_f32_strided(c, ldc, a, lda, rk, ldu, M, N, K, 0, M, 0, transU, accumulate, ws);
}

// @ts-ignore: decorator
@inline export function sf(kind: i32, x: f32): f32 { return f32x4.extract_lane(act_f(kind, f32x4.splat(x)), 0); }
// @ts-ignore: decorator
@inline export function sb(kind: i32, dy: f32, y: f32): f32 { return f32x4.extract_lane(act_b(kind, f32x4.splat(dy), f32x4.splat(y)), 0); }


// @ts-ignore: decorator
@inline export function bias_at(b: usize, gate: i32, u: i32, j: i32): f32 { return b ? load<f32>(b + fbytes(gate * u + j)) : 0; }
