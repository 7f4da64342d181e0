// Data movement for the shape ops. One strided copy is the forward and the backward of transpose,
// slice and concat (a swap of the last two axes has its own blocked SIMD kernel): it walks an index over `shape` and moves dst[Σ idx·dstStride] (=|+=)
// src[Σ idx·srcStride]. gather picks slices along an axis by index and scatter-adds them back.
import { at } from '../simd';

// @ts-ignore: decorator
@inline function geti(arr: usize, d: i32): i32 { return load<i32>(arr + (<usize>d << 2)); }

// Moves one innermost row of n elements; SIMD when both sides are contiguous.
// @ts-ignore: decorator
@inline function moveRow(dst: usize, src: usize, n: i32, ds: i32, ss: i32, accumulate: i32): void {
  if (ds == 1 && ss == 1) {
    if (!accumulate) { memory.copy(dst, src, <usize>n << 2); return; }
    let j = 0;
    for (; j + 4 <= n; j += 4) v128.store(at(dst, j), f32x4.add(v128.load(at(dst, j)), v128.load(at(src, j))));
    for (; j < n; j++) store<f32>(at(dst, j), load<f32>(at(dst, j)) + load<f32>(at(src, j)));
    return;
  }
  for (let j = 0; j < n; j++) {
    const d = at(dst, j * ds);
    const v = load<f32>(at(src, j * ss));
    store<f32>(d, accumulate ? load<f32>(d) + v : v);
  }
}

// dst (=|+=) src over an index space. shape, dstStride, srcStride: (rank) i32 arrays, rank >= 1;
// idx: (rank) i32 scratch. Strides are in elements and may be anything (transposes, slices).
export function copy_strided_f32(dst: usize, src: usize, rank: i32, shape: usize, dstStride: usize,
                                 srcStride: usize, idx: usize, accumulate: i32): void {
  const last = rank - 1;
  const n = geti(shape, last), ds = geti(dstStride, last), ss = geti(srcStride, last);
  let rows: i32 = 1;
  for (let d = 0; d < last; d++) { rows *= geti(shape, d); store<i32>(idx + (<usize>d << 2), 0); }
  if (n == 0) return;
  let dOff: i32 = 0, sOff: i32 = 0;
  for (let row = 0; row < rows; row++) {
    moveRow(at(dst, dOff), at(src, sOff), n, ds, ss, accumulate);
    // odometer over the outer dims, keeping both offsets in step
    for (let d = last - 1; d >= 0; d--) {
      const dp = <usize>d << 2;
      const v = load<i32>(idx + dp) + 1;
      const a = geti(dstStride, d), b = geti(srcStride, d);
      if (v < geti(shape, d)) { store<i32>(idx + dp, v); dOff += a; sOff += b; break; }
      store<i32>(idx + dp, 0);
      dOff -= a * (v - 1); sOff -= b * (v - 1);
    }
  }
}

export function copy_strided_f32_ref(dst: usize, src: usize, rank: i32, shape: usize, dstStride: usize,
                                     srcStride: usize, idx: usize, accumulate: i32): void {
  let total: i32 = 1;
  for (let d = 0; d < rank; d++) total *= geti(shape, d);
  for (let i = 0; i < total; i++) {
    // decompose i into an index, last dim fastest
    let rest = i, dOff: i32 = 0, sOff: i32 = 0;
    for (let d = rank - 1; d >= 0; d--) {
      const n = geti(shape, d);
      const c = rest % n;
      rest /= n;
      dOff += c * geti(dstStride, d);
      sOff += c * geti(srcStride, d);
    }
    const p = at(dst, dOff);
    const v = load<f32>(at(src, sOff));
    store<f32>(p, accumulate ? load<f32>(p) + v : v);
  }
}

// y:(B,C,R) (=|+=) x:(B,R,C) transposed — the common swap of the last two axes, in 4×4
// register blocks. With accumulate it is also its own backward: dx += transpose(dy).
export function transpose_2d_f32(y: usize, x: usize, B: i32, R: i32, C: i32, accumulate: i32): void {
  for (let b = 0; b < B; b++) {
    const xb = at(x, b * R * C), yb = at(y, b * R * C);
    let r = 0;
    for (; r + 4 <= R; r += 4) {
      let c = 0;
      for (; c + 4 <= C; c += 4) {
        const a0 = v128.load(at(xb, r * C + c)), a1 = v128.load(at(xb, (r + 1) * C + c));
        const a2 = v128.load(at(xb, (r + 2) * C + c)), a3 = v128.load(at(xb, (r + 3) * C + c));
        const t0 = f32x4.shuffle(a0, a1, 0, 4, 1, 5), t1 = f32x4.shuffle(a0, a1, 2, 6, 3, 7);
        const t2 = f32x4.shuffle(a2, a3, 0, 4, 1, 5), t3 = f32x4.shuffle(a2, a3, 2, 6, 3, 7);
        storeRow(at(yb, c * R + r), f32x4.shuffle(t0, t2, 0, 1, 4, 5), accumulate);
        storeRow(at(yb, (c + 1) * R + r), f32x4.shuffle(t0, t2, 2, 3, 6, 7), accumulate);
        storeRow(at(yb, (c + 2) * R + r), f32x4.shuffle(t1, t3, 0, 1, 4, 5), accumulate);
        storeRow(at(yb, (c + 3) * R + r), f32x4.shuffle(t1, t3, 2, 3, 6, 7), accumulate);
      }
      for (; c < C; c++) for (let i = r; i < r + 4; i++) moveOne(at(yb, c * R + i), at(xb, i * C + c), accumulate);
    }
    for (; r < R; r++) for (let c = 0; c < C; c++) moveOne(at(yb, c * R + r), at(xb, r * C + c), accumulate);
  }
}

export function transpose_2d_f32_ref(y: usize, x: usize, B: i32, R: i32, C: i32, accumulate: i32): void {
  for (let b = 0; b < B; b++) {
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < C; c++) moveOne(at(y, (b * C + c) * R + r), at(x, (b * R + r) * C + c), accumulate);
    }
  }
}

// @ts-ignore: decorator
@inline function storeRow(p: usize, v: v128, accumulate: i32): void {
  v128.store(p, accumulate ? f32x4.add(v128.load(p), v) : v);
}

// @ts-ignore: decorator
@inline function moveOne(dst: usize, src: usize, accumulate: i32): void {
  const v = load<f32>(src);
  store<f32>(dst, accumulate ? load<f32>(dst) + v : v);
}

// y:(O,M,I) = x:(O,N,I)[:, idx, :]   idx:(M) i32, each in [0, N) (checked by the caller).
// gather along any axis; gatherRows is O = 1.
export function gather_forward(y: usize, x: usize, idx: usize, O: i32, N: i32, M: i32, I: i32): void {
  const bytes = <usize>I << 2;
  for (let o = 0; o < O; o++) {
    const xo = at(x, o * N * I), yo = at(y, o * M * I);
    for (let m = 0; m < M; m++) memory.copy(yo + <usize>m * bytes, xo + <usize>geti(idx, m) * bytes, bytes);
  }
}

// dx:(O,N,I)[:, idx[m], :] += dy:(O,M,I)[:, m, :] — a position picked twice receives both gradients.
export function gather_backward(dx: usize, dy: usize, idx: usize, O: i32, N: i32, M: i32, I: i32): void {
  for (let o = 0; o < O; o++) {
    for (let m = 0; m < M; m++) moveRow(at(dx, (o * N + geti(idx, m)) * I), at(dy, (o * M + m) * I), I, 1, 1, 1);
  }
}

export function gather_backward_ref(dx: usize, dy: usize, idx: usize, O: i32, N: i32, M: i32, I: i32): void {
  for (let o = 0; o < O; o++) {
    for (let m = 0; m < M; m++) {
      for (let i = 0; i < I; i++) {
        const p = at(dx, (o * N + geti(idx, m)) * I + i);
        store<f32>(p, load<f32>(p) + load<f32>(at(dy, (o * M + m) * I + i)));
      }
    }
  }
}
