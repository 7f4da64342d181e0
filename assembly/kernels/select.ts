// Selection: where (pick a or b by a condition), clip (clamp into [lo, hi]) and topk (the k largest
// of each row with their positions), forward and backward. Conditions are floats: nonzero is true.
import { at } from '../simd';


// y:(n) = c:(n) != 0 ? a:(n) : b:(n)
export function where_f32(y: usize, c: usize, a: usize, b: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(at(y, i), v128.bitselect(v128.load(at(a, i)), v128.load(at(b, i)), f32x4.ne(v128.load(at(c, i)), zero)));
  }
  for (; i < n; i++) store<f32>(at(y, i), load<f32>(at(c, i)) != 0 ? load<f32>(at(a, i)) : load<f32>(at(b, i)));
}

export function where_f32_ref(y: usize, c: usize, a: usize, b: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<f32>(at(y, i), load<f32>(at(c, i)) != 0 ? load<f32>(at(a, i)) : load<f32>(at(b, i)));
}

// d:(n) += (c:(n) != 0) == when ? dy:(n) : 0 — the backward of where, for a (when = 1) or b (when = 0).
export function where_backward_f32(d: usize, dy: usize, c: usize, n: i32, when: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const t = f32x4.ne(v128.load(at(c, i)), zero);
    const m = when ? t : v128.not(t);
    v128.store(at(d, i), f32x4.add(v128.load(at(d, i)), v128.and(v128.load(at(dy, i)), m)));
  }
  for (; i < n; i++) {
    if ((load<f32>(at(c, i)) != 0) == (when != 0)) store<f32>(at(d, i), load<f32>(at(d, i)) + load<f32>(at(dy, i)));
  }
}

export function where_backward_f32_ref(d: usize, dy: usize, c: usize, n: i32, when: i32): void {
  for (let i = 0; i < n; i++) {
    if ((load<f32>(at(c, i)) != 0) == (when != 0)) store<f32>(at(d, i), load<f32>(at(d, i)) + load<f32>(at(dy, i)));
  }
}

// y:(n) = min(max(x:(n), lo), hi); NaN stays NaN (as tf.clipByValue).
export function clip_forward_f32(y: usize, x: usize, n: i32, lo: f32, hi: f32): void {
  const l = f32x4.splat(lo), h = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(at(y, i), f32x4.min(f32x4.max(v128.load(at(x, i)), l), h));
  for (; i < n; i++) store<f32>(at(y, i), min(max(load<f32>(at(x, i)), lo), hi));
}

export function clip_forward_f32_ref(y: usize, x: usize, n: i32, lo: f32, hi: f32): void {
  for (let i = 0; i < n; i++) {
    const v = load<f32>(at(x, i));
    store<f32>(at(y, i), v < lo ? lo : v > hi ? hi : v);
  }
}

// dx:(n) += lo <= x:(n) <= hi ? dy:(n) : 0 — tfjs passes the gradient at the bounds too.
export function clip_backward_f32(dx: usize, dy: usize, x: usize, n: i32, lo: f32, hi: f32): void {
  const l = f32x4.splat(lo), h = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(at(x, i));
    const inside = v128.and(f32x4.ge(v, l), f32x4.le(v, h));
    v128.store(at(dx, i), f32x4.add(v128.load(at(dx, i)), v128.and(v128.load(at(dy, i)), inside)));
  }
  for (; i < n; i++) {
    const v = load<f32>(at(x, i));
    if (v >= lo && v <= hi) store<f32>(at(dx, i), load<f32>(at(dx, i)) + load<f32>(at(dy, i)));
  }
}

export function clip_backward_f32_ref(dx: usize, dy: usize, x: usize, n: i32, lo: f32, hi: f32): void {
  for (let i = 0; i < n; i++) {
    const v = load<f32>(at(x, i));
    if (v >= lo && v <= hi) store<f32>(at(dx, i), load<f32>(at(dx, i)) + load<f32>(at(dy, i)));
  }
}

// Puts x[j] = v into the sorted (descending) lists vals/idx of length `count`, which has room for
// one more unless count == k (then the last one drops out). Equal values keep their order, so the
// smaller index comes first (tfjs' order).
// @ts-ignore: decorator
@inline function insert(vals: usize, idx: usize, count: i32, k: i32, v: f32, j: i32): void {
  let p = count < k ? count : k - 1;
  while (p > 0 && load<f32>(at(vals, p - 1)) < v) {
    store<f32>(at(vals, p), load<f32>(at(vals, p - 1)));
    store<f32>(at(idx, p), load<f32>(at(idx, p - 1)));
    p--;
  }
  store<f32>(at(vals, p), v);
  store<f32>(at(idx, p), <f32>j);
}

// values:(rows,k), indices:(rows,k) = the k largest of each row of x:(rows,n), largest first, ties
// by position; indices as f32 (exact below 2^24). Requires 0 <= k <= n. Once k values are held,
// four candidates at a time are dropped with one vector compare against the k-th.
export function topk_forward(values: usize, indices: usize, x: usize, rows: i32, n: i32, k: i32): void {
  if (k == 0) return;
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * n), vr = at(values, r * k), ir = at(indices, r * k);
    let count = 0, j = 0;
    for (; j < n && count < k; j++, count++) insert(vr, ir, count, k, load<f32>(at(xr, j)), j);
    for (; j + 4 <= n; j += 4) {
      if (!v128.any_true(f32x4.gt(v128.load(at(xr, j)), f32x4.splat(load<f32>(at(vr, k - 1)))))) continue;
      for (let t = j; t < j + 4; t++) {
        const v = load<f32>(at(xr, t));
        if (v > load<f32>(at(vr, k - 1))) insert(vr, ir, k, k, v, t);
      }
    }
    for (; j < n; j++) {
      const v = load<f32>(at(xr, j));
      if (v > load<f32>(at(vr, k - 1))) insert(vr, ir, k, k, v, j);
    }
  }
}

// By rank: x[j] goes to slot #{i : x[i] > x[j] or (x[i] == x[j] and i < j)} when that is below k.
export function topk_forward_ref(values: usize, indices: usize, x: usize, rows: i32, n: i32, k: i32): void {
  for (let r = 0; r < rows; r++) {
    const xr = at(x, r * n);
    for (let j = 0; j < n; j++) {
      const v = load<f32>(at(xr, j));
      let rank = 0;
      for (let i = 0; i < n; i++) {
        const u = load<f32>(at(xr, i));
        if (u > v || (u == v && i < j)) rank++;
      }
      if (rank < k) { store<f32>(at(values, r * k + rank), v); store<f32>(at(indices, r * k + rank), <f32>j); }
    }
  }
}

// dx:(rows,n)[r, indices[r,j]] += dy:(rows,k)[r,j]
export function topk_backward(dx: usize, dy: usize, indices: usize, rows: i32, n: i32, k: i32): void {
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) {
      const p = at(dx, r * n + <i32>load<f32>(at(indices, r * k + j)));
      store<f32>(p, load<f32>(p) + load<f32>(at(dy, r * k + j)));
    }
  }
}
