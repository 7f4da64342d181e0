// General matrix multiply, row-major f32, BLAS-style: C = op(A)·op(B) (or C += … when accumulate != 0).
// op(A) is (M,K): A stored (M,K), or (K,M) when transA != 0, its rows lda elements apart.
// op(B) is (K,N): B stored (K,N), or (N,K) when transB != 0, its rows ldb elements apart.
// C is (M,N), its rows ldc elements apart; only columns [0, N) of each row are written, so C can
// be a column slice of a wider matrix (a channel slice, one time step of a [B, T, 4u] buffer).
// C must not overlap A or B.
//
// Entry points (pointers, then sizes; the workspace last):
//   gemm_f32_strided(c, ldc, a, lda, b, ldb, M, N, K, m0, m1, transA, transB, accumulate, ws)
//     computes rows [m0, m1) of the M-row product (threads split rows; every path is chosen by
//     the whole product's M, so a split gives the same bits as one call).
//   gemm_pack_b_size(K, N) / gemm_pack_b(dst, b, ldb, K, N, transB) pack op(B) once, and
//   gemm_f32_packed(c, ldc, a, lda, bp, M, N, K, m0, m1, transA, accumulate, ws) multiplies by it
//     as often as needed (an RNN's recurrent kernel every step, a convolution's filters).
//   gemm_workspace_size() is the size in bytes of `ws`, the caller's scratch (pack panels, a
//     tile): nothing mutable lives in the module, so two threads with two workspaces never meet.
//   gemm_f32(c, a, b, M, N, K, transA, transB, accumulate, ws) is the dense form (ld = row width).
//
// The BLIS scheme: op(B) is copied KC×NC at a time into NR-column panels, op(A) MC×KC at a time
// into MR-row panels, and a register-tiled micro-kernel multiplies one MR-row panel by one
// NR-column panel into an MR×NR tile of C. Packing reads A and B in whatever layout they have,
// so the transposed forms run at the speed of the plain one. Skinny products take shortcuts:
// 1–2 rows of C run row by row (vector-matrix or dot-product kernels), and a panel that would
// be used only a few times is read in place instead of packed. The relaxed build fuses the
// multiply-add (madd); the default build's mul+add keeps it bit-deterministic.
import { madd, imin, store_columns } from '../simd';

const NR: i32 = 8;
const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 4 : 5;
// A kc×NR panel of B (≤ 16 KiB) stays in L1 while a MC×kc block of A (≤ 256 KiB) streams from
// L2. Measured flat within noise for KC 128…512, MC 64…512, NC 1024…2048; 512 was a hair ahead.
const KC: i32 = 512;
const MC: i32 = 120; // a multiple of 4 and 5: no partial panel inside M
const NC: i32 = 1024;

// Below these sizes a panel is read in place rather than packed (see gemm_blocked). Measured:
// M = 1…8 rows read B in place 1.3–1.8× faster, 16 ties, 32+ loses; N ≤ 16 likewise for A.
const DIRECT_MAX_M: i32 = 8;
const DIRECT_MAX_N: i32 = 16;
// Up to this many rows, C is computed row by row with gemv_f32_1x16_simd. Measured against
// 4×8 tiles (1×128×784): 1 row 10.8 vs 29.9us, 2 rows 17.9 vs 29.5, 3 rows 32.9 vs 31.0.
const GEMV_MAX_M: i32 = 2;

// The workspace: A panels (MC×KC), B panels (KC×NC), one 5×8 tile; cache-line aligned inside.
// A before B, 240 KiB apart, as the static buffers were (gemm_f32 at 256, wasm alone, best of
// 400: 42.6 GFLOP/s this way, 42.3 with B first and A 2 MiB later, on the same L2 sets).
const WS_PACK_A: usize = 0;
const WS_PACK_B: usize = WS_PACK_A + <usize>MC * KC * 4;
const WS_TILE: usize = WS_PACK_B + <usize>KC * NC * 4;
const WS_BYTES: usize = WS_TILE + 5 * NR * 4;
const WS_ALIGN: usize = 64;

/** Bytes of scratch every gemm call needs at `ws` (any alignment; 16 or more is faster). */
export function gemm_workspace_size(): usize { return WS_BYTES + WS_ALIGN; }

// @ts-ignore: decorator
@inline function wsBase(ws: usize): usize { return (ws + WS_ALIGN - 1) & ~(WS_ALIGN - 1); }


// The micro-kernels multiply a panel of A (kc steps of MR values, aStep bytes apart) by a
// panel of B (kc steps of NR = 8 values, bStep bytes apart) into an MR×8 tile of C, whose rows
// are ldc bytes apart. Panels are packed (steps of MR·4 and 32 bytes) or, for skinny products,
// read in place. V8's loop is bound by instruction dispatch and spills as soon as it hoists the
// loads, so tile, loop form and epilogue are chosen by measurement (kernel alone in L1, kc = 512,
// GFLOP/s default / relaxed): 4×8 counted loop 32.8 / 44.2; 4×8 ended by B's pointer 34.9 /
// 48.8; 5×8 ended by A's pointer 36.0 / 49.3. The same 5×8 ended by B's pointer, counted, or
// with its edge/accumulate stores inline spills (~20 / 19); so does 6×8. Whole gemm_f32 at 1024:
// 5×8 35.1 vs 4×8 30.3 default, 45.6 vs 45.8 relaxed (and 4×8 is ahead on dense-layer shapes
// there): the default build uses 5×8, the relaxed one 4×8. Check the kernel alone after any
// change to these loops. Kernels are exported, so binaryen cannot inline them into the driver,
// and have a single loop with no manual unrolling: both also make V8 spill.
// c:(5,8) = a:(kc,5) · b:(kc,8), a whole tile, stored. The driver sends edge and accumulating
// tiles to the workspace's tile and adds them into C with store_tile: with no epilogue branches
// here, V8 keeps all ten accumulators in registers.
export function gemm_f32_5x8_simd(c: usize, ldc: usize, a: usize, aStep: usize, b: usize, bStep: usize, kc: i32): void {
  let c0l = f32x4.splat(0), c0h = c0l, c1l = c0l, c1h = c0l, c2l = c0l, c2h = c0l, c3l = c0l, c3h = c0l,
      c4l = c0l, c4h = c0l;
  // Callers pass kc ≥ 1.
  const aEnd = a + <usize>kc * aStep;
  while (a < aEnd) {
    const bl = v128.load(b), bh = v128.load(b, 16);
    let s = v128.load32_splat(a);
    c0l = madd(s, bl, c0l); c0h = madd(s, bh, c0h);
    s = v128.load32_splat(a, 4);
    c1l = madd(s, bl, c1l); c1h = madd(s, bh, c1h);
    s = v128.load32_splat(a, 8);
    c2l = madd(s, bl, c2l); c2h = madd(s, bh, c2h);
    s = v128.load32_splat(a, 12);
    c3l = madd(s, bl, c3l); c3h = madd(s, bh, c3h);
    s = v128.load32_splat(a, 16);
    c4l = madd(s, bl, c4l); c4h = madd(s, bh, c4h);
    a += aStep; b += bStep;
  }
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc;
  v128.store(c, c0l); v128.store(c, c0h, 16);
  v128.store(c1, c1l); v128.store(c1, c1h, 16);
  v128.store(c2, c2l); v128.store(c2, c2h, 16);
  v128.store(c3, c3l); v128.store(c3, c3h, 16);
  v128.store(c4, c4l); v128.store(c4, c4h, 16);
}

// Adds (or stores) the first mr rows and nr columns of a 5×8 tile (rows 32 bytes apart) into C.
function store_tile(c: usize, ldc: usize, tile: usize, mr: i32, nr: i32, addC: i32): void {
  for (let r = 0; r < mr; r++) {
    const t = tile + <usize>r * NR * 4;
    store_columns(c + <usize>r * ldc, v128.load(t), v128.load(t, 16), nr, addC);
  }
}

// c:(4,8) (+)= a:(kc,4) · b:(kc,8)
export function gemm_f32_4x8_simd(c: usize, ldc: usize, a: usize, aStep: usize, b: usize, bStep: usize,
                                  kc: i32, addC: i32, mr: i32, nr: i32): void {
  let c0l = f32x4.splat(0), c0h = c0l, c1l = c0l, c1h = c0l, c2l = c0l, c2h = c0l, c3l = c0l, c3h = c0l;
  // Ended by B's pointer, not a step counter: one instruction less per step, which matters
  // because V8's loop body is bound by instruction dispatch (measured in L1, kc = 512: 32.8 →
  // 34.9 GFLOP/s default, 44.2 → 48.8 relaxed; a count-down counter gained nothing). `!=`
  // stays exact if bEnd wraps past 4 GiB; callers pass kc ≥ 1.
  const bEnd = b + <usize>kc * bStep;
  do {
    const bl = v128.load(b), bh = v128.load(b, 16);
    let s = v128.load32_splat(a);
    c0l = madd(s, bl, c0l); c0h = madd(s, bh, c0h);
    s = v128.load32_splat(a, 4);
    c1l = madd(s, bl, c1l); c1h = madd(s, bh, c1h);
    s = v128.load32_splat(a, 8);
    c2l = madd(s, bl, c2l); c2h = madd(s, bh, c2h);
    s = v128.load32_splat(a, 12);
    c3l = madd(s, bl, c3l); c3h = madd(s, bh, c3h);
    a += aStep; b += bStep;
  } while (b != bEnd);
  const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
  if (mr < 4 || nr < NR) {
    // An edge tile: only its first mr rows and nr columns exist in C.
    store_columns(c, c0l, c0h, nr, addC);
    if (mr > 1) store_columns(c1, c1l, c1h, nr, addC);
    if (mr > 2) store_columns(c2, c2l, c2h, nr, addC);
    if (mr > 3) store_columns(c3, c3l, c3h, nr, addC);
    return;
  }
  if (addC) {
    c0l = f32x4.add(c0l, v128.load(c)); c0h = f32x4.add(c0h, v128.load(c, 16));
    c1l = f32x4.add(c1l, v128.load(c1)); c1h = f32x4.add(c1h, v128.load(c1, 16));
    c2l = f32x4.add(c2l, v128.load(c2)); c2h = f32x4.add(c2h, v128.load(c2, 16));
    c3l = f32x4.add(c3l, v128.load(c3)); c3h = f32x4.add(c3h, v128.load(c3, 16));
  }
  v128.store(c, c0l); v128.store(c, c0h, 16);
  v128.store(c1, c1l); v128.store(c1, c1h, 16);
  v128.store(c2, c2l); v128.store(c2, c2h, 16);
  v128.store(c3, c3l); v128.store(c3, c3h, 16);
}

// op(A)[i,p] and op(B)[p,j], ld in elements.
// @ts-ignore: decorator
@inline function elemA(a: usize, lda: i32, i: i32, p: i32, transA: i32): f32 {
  return load<f32>(a + ((transA ? <usize>p * <usize>lda + <usize>i : <usize>i * <usize>lda + <usize>p) << 2));
}

// @ts-ignore: decorator
@inline function elemB(b: usize, ldb: i32, p: i32, j: i32, transB: i32): f32 {
  return load<f32>(b + ((transB ? <usize>j * <usize>ldb + <usize>p : <usize>p * <usize>ldb + <usize>j) << 2));
}

// Copies op(B)[p0:p0+kc, j0:j0+nc] to dst as NR-column panels of kc rows (32 bytes a row, one
// panel after the other), zero-padding the last panel's missing columns.
function pack_b(dst: usize, b: usize, ldb: i32, transB: i32, p0: i32, kc: i32, j0: i32, nc: i32): void {
  const ld = <usize>ldb << 2;
  for (let jp = 0; jp < nc; jp += NR) {
    const nr = imin(NR, nc - jp);
    const j = j0 + jp;
    if (!transB) {
      let src = b + ((<usize>p0 * <usize>ldb + <usize>j) << 2);
      if (nr == NR) {
        for (let p = 0; p < kc; p++) {
          v128.store(dst, v128.load(src)); v128.store(dst, v128.load(src, 16), 16);
          src += ld; dst += NR * 4;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          let q = 0;
          for (; q < nr; q++) store<f32>(dst + (<usize>q << 2), load<f32>(src + (<usize>q << 2)));
          for (; q < NR; q++) store<f32>(dst + (<usize>q << 2), 0);
          src += ld; dst += NR * 4;
        }
      }
    } else {
      // Column j of op(B) is row j of b: transpose 4 columns × 4 steps at a time.
      for (let h = 0; h < NR; h += 4) {
        const half = dst + (<usize>h << 2);
        const src = b + ((<usize>(j + h) * <usize>ldb + <usize>p0) << 2);
        if (h + 4 <= nr) {
          let p = 0;
          for (; p + 4 <= kc; p += 4) transpose_4x4(half + <usize>p * NR * 4, NR * 4, src + (<usize>p << 2), ld);
          for (; p < kc; p++) {
            for (let q = 0; q < 4; q++) {
              store<f32>(half + <usize>p * NR * 4 + (<usize>q << 2), load<f32>(src + <usize>q * ld + (<usize>p << 2)));
            }
          }
        } else {
          // Partial: the columns that exist, then zeros (never a load past the end of b).
          for (let q = 0; q < 4; q++) {
            const col = half + (<usize>q << 2);
            if (h + q < nr) {
              for (let p = 0; p < kc; p++) store<f32>(col + <usize>p * NR * 4, load<f32>(src + <usize>q * ld + (<usize>p << 2)));
            } else {
              for (let p = 0; p < kc; p++) store<f32>(col + <usize>p * NR * 4, 0);
            }
          }
        }
      }
      dst += <usize>kc * NR * 4;
    }
  }
}

// Copies op(A)[i0:i0+mc, p0:p0+kc] to dst as mrp-row panels (mrp = 4 or 5) of kc columns,
// zero-padding the last panel's missing rows.
function pack_a(dst: usize, a: usize, lda: i32, transA: i32, i0: i32, mc: i32, p0: i32, kc: i32, mrp: i32): void {
  const step: usize = mrp * 4;
  const ld = <usize>lda << 2;
  for (let ip = 0; ip < mc; ip += mrp) {
    const mr = imin(mrp, mc - ip);
    const i = i0 + ip;
    if (mr == mrp && transA) {
      // The rows are contiguous at every step p: a vector copy of 4 and one more value.
      let src = a + ((<usize>p0 * <usize>lda + <usize>i) << 2);
      for (let p = 0; p < kc; p++) {
        const d = dst + <usize>p * step;
        v128.store(d, v128.load(src));
        if (mrp > 4) store<f32>(d, load<f32>(src, 16), 16);
        src += ld;
      }
    } else if (mr == mrp) {
      // Rows 0–3 of A, read along k: transpose 4 rows × 4 steps at a time; then row 4.
      const src = a + ((<usize>i * <usize>lda + <usize>p0) << 2);
      let p = 0;
      for (; p + 4 <= kc; p += 4) transpose_4x4(dst + <usize>p * step, step, src + (<usize>p << 2), ld);
      for (; p < kc; p++) {
        for (let r = 0; r < 4; r++) store<f32>(dst + <usize>p * step + (<usize>r << 2), load<f32>(src + <usize>r * ld + (<usize>p << 2)));
      }
      const row4 = src + 4 * ld;
      if (mrp > 4) for (p = 0; p < kc; p++) store<f32>(dst + <usize>p * step, load<f32>(row4 + (<usize>p << 2)), 16);
    } else {
      // Partial: the rows that exist, then zeros (never a load past the end of a).
      for (let r = 0; r < mrp; r++) {
        const row = dst + (<usize>r << 2);
        if (r < mr) {
          for (let p = 0; p < kc; p++) store<f32>(row + <usize>p * step, elemA(a, lda, i + r, p0 + p, transA));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(row + <usize>p * step, 0);
        }
      }
    }
    dst += <usize>kc * step;
  }
}

// Stores the transpose of the 4×4 block at src (rows ld bytes apart) at dst (rows dstStep apart).
// @ts-ignore: decorator
@inline function transpose_4x4(dst: usize, dstStep: usize, src: usize, ld: usize): void {
  const r0 = v128.load(src), r1 = v128.load(src + ld), r2 = v128.load(src + 2 * ld), r3 = v128.load(src + 3 * ld);
  const lo01 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), lo23 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const hi01 = i32x4.shuffle(r0, r1, 2, 6, 3, 7), hi23 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(lo01, lo23, 0, 1, 4, 5));
  v128.store(dst + dstStep, i32x4.shuffle(lo01, lo23, 2, 3, 6, 7));
  v128.store(dst + 2 * dstStep, i32x4.shuffle(hi01, hi23, 0, 1, 4, 5));
  v128.store(dst + 3 * dstStep, i32x4.shuffle(hi01, hi23, 2, 3, 6, 7));
}

// A row or two of C (vector-matrix products) gain nothing from MR-row tiles, mostly padding.
// This kernel streams 16 columns of B for one row of C instead.
// c:(n ≤ 16) (+)= a:(kc) · b:(kc,16), elements of a aStep bytes apart, rows of b ldb bytes apart
export function gemv_f32_1x16_simd(c: usize, a: usize, aStep: usize, b: usize, ldb: usize, kc: i32, addC: i32, n: i32): void {
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0;
  for (let p = 0; p < kc; p++) {
    const s = v128.load32_splat(a);
    c0 = madd(s, v128.load(b), c0); c1 = madd(s, v128.load(b, 16), c1);
    c2 = madd(s, v128.load(b, 32), c2); c3 = madd(s, v128.load(b, 48), c3);
    a += aStep; b += ldb;
  }
  store_columns(c, c0, c1, imin(n, 8), addC);
  if (n > 8) store_columns(c + 32, c2, c3, n - 8, addC);
}

// The same for B stored transposed: each element of the row of C is a dot product of two
// contiguous vectors. Sums 4 of them at once, 4 steps of k per lane, over the first kc4 (a
// multiple of 4) steps; the caller adds the last K mod 4.
// c:(n ≤ 4) (+)= a:(kc4) · b:(4,kc4)ᵀ, rows of b ldb bytes apart
export function dot_f32_4_simd(c: usize, a: usize, b: usize, ldb: usize, kc4: i32, addC: i32, n: i32): void {
  let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
  const b1 = b + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
  for (let p = 0; p < kc4; p += 4) {
    const o = <usize>p << 2;
    const av = v128.load(a + o);
    s0 = madd(av, v128.load(b + o), s0); s1 = madd(av, v128.load(b1 + o), s1);
    s2 = madd(av, v128.load(b2 + o), s2); s3 = madd(av, v128.load(b3 + o), s3);
  }
  // Transpose-and-add: lane q of the result is the horizontal sum of sq.
  const t01 = f32x4.add(i32x4.shuffle(s0, s1, 0, 4, 1, 5), i32x4.shuffle(s0, s1, 2, 6, 3, 7));
  const t23 = f32x4.add(i32x4.shuffle(s2, s3, 0, 4, 1, 5), i32x4.shuffle(s2, s3, 2, 6, 3, 7));
  const sums = f32x4.add(i32x4.shuffle(t01, t23, 0, 1, 4, 5), i32x4.shuffle(t01, t23, 2, 3, 6, 7));
  store_columns(c, sums, sums, n, addC);
}

// c:(1,N) (+)= a:(K) · b:(N,K)ᵀ, a contiguous, rows of b ldb bytes apart.
function gemv_t_f32(c: usize, a: usize, b: usize, ldb: usize, N: i32, K: i32, accumulate: i32): void {
  const k4 = K & ~3, n4 = N & ~3;
  for (let j = 0; j < n4; j += 4) dot_f32_4_simd(c + (<usize>j << 2), a, b + <usize>j * ldb, ldb, k4, accumulate, 4);
  // The last K mod 4 steps of those dot products,
  if (k4 < K) {
    for (let j = 0; j < n4; j++) {
      const cp = c + (<usize>j << 2);
      store<f32>(cp, load<f32>(cp) + dot_scalar(a, b + <usize>j * ldb, k4, K));
    }
  }
  // and the last N mod 4 dot products (reading 4 rows of b would run past its end).
  for (let j = n4; j < N; j++) {
    const cp = c + (<usize>j << 2), s = dot_scalar(a, b + <usize>j * ldb, 0, K);
    store<f32>(cp, accumulate ? load<f32>(cp) + s : s);
  }
}

// Σ a[p]·b[p] for p in [p0, p1)
// @ts-ignore: decorator
@inline function dot_scalar(a: usize, b: usize, p0: i32, p1: i32): f32 {
  let s: f32 = 0;
  for (let p = p0; p < p1; p++) s += load<f32>(a + (<usize>p << 2)) * load<f32>(b + (<usize>p << 2));
  return s;
}

// c:(1,N) (+)= a:(K) · b:(K,N), elements of a aStep bytes apart, rows of b ldb bytes apart. Full
// 16-column chunks read B in place; the partial last chunk is copied to `pack`, zero-padded,
// KC rows at a time, so no load runs past the last column of b.
function gemv_f32(c: usize, a: usize, aStep: usize, b: usize, ldb: usize, N: i32, K: i32, accumulate: i32, pack: usize): void {
  const full = N & ~15;
  for (let j = 0; j < full; j += 16) {
    gemv_f32_1x16_simd(c + (<usize>j << 2), a, aStep, b + (<usize>j << 2), ldb, K, accumulate, 16);
  }
  const n = N - full;
  if (n == 0) return;
  for (let pc = 0; pc < K; pc += KC) {
    const kc = imin(KC, K - pc);
    let src = b + <usize>pc * ldb + (<usize>full << 2), dst = pack;
    for (let p = 0; p < kc; p++) {
      let q = 0;
      for (; q < n; q++) store<f32>(dst + (<usize>q << 2), load<f32>(src + (<usize>q << 2)));
      for (; q < 16; q++) store<f32>(dst + (<usize>q << 2), 0);
      src += ldb; dst += 64;
    }
    gemv_f32_1x16_simd(c + (<usize>full << 2), a + <usize>pc * aStep, aStep, pack, 64, kc, accumulate || pc > 0 ? 1 : 0, n);
  }
}

/** Bytes of gemm_pack_b's copy of a (K,N) op(B): ⌈N/8⌉ panels of K rows × 8 columns. */
export function gemm_pack_b_size(K: i32, N: i32): usize {
  return (<usize>(N + NR - 1) & ~(NR - 1)) * <usize>K * 4;
}

/** Packs op(B) (K,N) once for gemm_f32_packed; dst holds gemm_pack_b_size(K, N) bytes. */
export function gemm_pack_b(dst: usize, b: usize, ldb: i32, K: i32, N: i32, transB: i32): void {
  if (K > 0 && N > 0) pack_b(dst, b, ldb, transB, 0, K, 0, N);
}

/** Rows [m0, m1) of C (+)= op(A)·op(B), the dense layouts generalized by leading dimensions. */
export function gemm_f32_strided(c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32,
                                 M: i32, N: i32, K: i32, m0: i32, m1: i32,
                                 transA: i32, transB: i32, accumulate: i32, ws: usize): void {
  gemm_blocked(c, ldc, a, lda, b, ldb, 0, M, N, K, m0, m1, transA, transB, accumulate, ws);
}

/** The same with op(B) packed by gemm_pack_b(bp, …, K, N, …). */
export function gemm_f32_packed(c: usize, ldc: i32, a: usize, lda: i32, bp: usize,
                                M: i32, N: i32, K: i32, m0: i32, m1: i32,
                                transA: i32, accumulate: i32, ws: usize): void {
  gemm_blocked(c, ldc, a, lda, 0, 0, bp, M, N, K, m0, m1, transA, 0, accumulate, ws);
}

/** The dense form, ld = row width: c:(M,N) (+)= op(a)·op(b). */
export function gemm_f32(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                         transA: i32, transB: i32, accumulate: i32, ws: usize): void {
  gemm_blocked(c, N, a, transA ? M : K, b, transB ? K : N, 0, M, N, K, 0, M, transA, transB, accumulate, ws);
}

// The driver behind every entry point. B comes packed (bPacked != 0, full-K panels from
// gemm_pack_b) or is read through b/ldb/transB and packed here block by block.
function gemm_blocked(c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32, bPacked: usize,
                      M: i32, N: i32, K: i32, m0: i32, m1: i32,
                      transA: i32, transB: i32, accumulate: i32, ws: usize): void {
  if (m0 < 0) m0 = 0;
  if (m1 > M) m1 = M;
  if (m1 <= m0 || N <= 0) return;
  const ldcB = <usize>ldc << 2, ldaB = <usize>lda << 2, ldbB = <usize>ldb << 2;
  const base = wsBase(ws);
  const packB = base + WS_PACK_B, packA = base + WS_PACK_A, tile = base + WS_TILE;
  if (K <= 0) {
    if (!accumulate) for (let i = m0; i < m1; i++) memory.fill(c + <usize>i * ldcB, 0, <usize>N << 2);
    return;
  }
  // Every choice that changes the order of the sums depends on M, N, K, never on [m0, m1).
  if (M <= GEMV_MAX_M && !bPacked) {
    if (transB && (!transA || lda == 1)) {
      // Rows of op(A) are contiguous.
      const rowStep: usize = transA ? 4 : ldaB;
      for (let i = m0; i < m1; i++) gemv_t_f32(c + <usize>i * ldcB, a + <usize>i * rowStep, b, ldbB, N, K, accumulate);
      return;
    }
    if (!transB) {
      const aStep: usize = transA ? ldaB : 4, rowStep: usize = transA ? 4 : ldaB;
      for (let i = m0; i < m1; i++) gemv_f32(c + <usize>i * ldcB, a + <usize>i * rowStep, aStep, b, ldbB, N, K, accumulate, packB);
      return;
    }
  }
  // Equal K blocks (K = 784 → 2×392, not 512 + 272): a short last block pays the C traffic
  // of a whole pass for little work.
  const kBlocks = (K + KC - 1) / KC;
  const kcStep = (K + kBlocks - 1) / kBlocks;
  // Skinny products skip a copy that would be used too few times: with few rows of C, B
  // panels are read in place (row-major B, full 8-column panels); with few columns, A panels
  // are (transposed A, full mrp-row panels, which are laid out like a packed panel).
  const directB = !bPacked && !transB && M <= DIRECT_MAX_M;
  const directA = transA && N <= DIRECT_MAX_N;
  // Up to 8 rows, 4-row panels pad fewer rows than 5-row ones except at M = 5 (GFLOP/s, 4 vs 5
  // rows: 3×100×200 17.3 vs 16.1, 8×64×300 with B transposed 25.2 vs 22.1, 5×64×300 18.0 vs 35.7).
  // So do they for a few panels of a multiple of 4 (an RNN step of 32 rows: 35 rows as 5-row
  // panels), and the 4×8 kernel adds into C without the workspace tile: in-process A/B, gru-train
  // and lstm-train (steps of 32 rows) and mlp-train (64) 2% faster.
  const mrp = (M <= DIRECT_MAX_M && M != 5) || (M <= 64 && M % MR != 0 && M % 4 == 0) ? 4 : MR;
  const fullN = N & ~(NR - 1);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = imin(NC, N - jc);
    for (let pc = 0; pc < K; pc += kcStep) {
      const kc = imin(kcStep, K - pc);
      const addC = accumulate || pc > 0 ? 1 : 0;
      // In direct mode only the partial last panel is packed, at the start of the buffer.
      const bPacked0 = directB ? imin(fullN - jc, nc) : 0;
      if (!bPacked && bPacked0 < nc) pack_b(packB, b, ldb, transB, pc, kc, jc + bPacked0, nc - bPacked0);
      for (let ic = m0; ic < m1; ic += MC) {
        const mc = imin(MC, m1 - ic);
        const aPacked0 = directA ? mc - mc % mrp : 0;
        if (aPacked0 < mc) pack_a(packA, a, lda, transA, ic + aPacked0, mc - aPacked0, pc, kc, mrp);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = imin(NR, nc - jr);
          let bp = packB + (<usize>(jr - bPacked0) * <usize>kc << 2), bStep: usize = NR * 4;
          if (bPacked) bp = bPacked + ((<usize>(jc + jr) * <usize>K + <usize>pc * NR) << 2);
          else if (jr < bPacked0) { bp = b + ((<usize>pc * <usize>ldb + <usize>(jc + jr)) << 2); bStep = ldbB; }
          for (let ir = 0; ir < mc; ir += mrp) {
            const mr = imin(mrp, mc - ir);
            let ap = packA + (<usize>(ir - aPacked0) * <usize>kc << 2), aStep: usize = mrp * 4;
            if (ir < aPacked0) { ap = a + ((<usize>pc * <usize>lda + <usize>(ic + ir)) << 2); aStep = ldaB; }
            const cp = c + <usize>(ic + ir) * ldcB + (<usize>(jc + jr) << 2);
            if (mrp == 4) {
              gemm_f32_4x8_simd(cp, ldcB, ap, aStep, bp, bStep, kc, addC, mr, nr);
            } else if (mr < 5 || nr < NR || addC) {
              gemm_f32_5x8_simd(tile, NR * 4, ap, aStep, bp, bStep, kc);
              store_tile(cp, ldcB, tile, mr, nr, addC);
            } else {
              gemm_f32_5x8_simd(cp, ldcB, ap, aStep, bp, bStep, kc);
            }
          }
        }
      }
    }
  }
}

// The scalar twins: one dot product per element of C, summed in k order.
export function gemm_f32_strided_ref(c: usize, ldc: i32, a: usize, lda: i32, b: usize, ldb: i32,
                                     M: i32, N: i32, K: i32, m0: i32, m1: i32,
                                     transA: i32, transB: i32, accumulate: i32): void {
  for (let i = m0 < 0 ? 0 : m0; i < m1 && i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s: f32 = 0;
      for (let p = 0; p < K; p++) s += elemA(a, lda, i, p, transA) * elemB(b, ldb, p, j, transB);
      const cp = c + ((<usize>i * <usize>ldc + <usize>j) << 2);
      store<f32>(cp, accumulate ? load<f32>(cp) + s : s);
    }
  }
}

export function gemm_f32_ref(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                             transA: i32, transB: i32, accumulate: i32): void {
  gemm_f32_strided_ref(c, N, a, transA ? M : K, b, transB ? K : N, M, N, K, 0, M, transA, transB, accumulate);
}
