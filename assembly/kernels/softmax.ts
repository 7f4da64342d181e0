// Softmax and log-softmax over the last axis: each of `rows` rows of `cols` values.
// Stable: the row maximum is subtracted before exponentiating. Sums run in a fixed order
// (four lane accumulators across the row, then the lanes), so results are deterministic.
// Backward kernels take the forward's output y (not x) and accumulate into dx.
import { hsum } from '../simd';
import { exp_f32x4, load_tail_f32x4, store_tail_f32x4 } from '../vmath';

// @ts-ignore: decorator
@inline function row_max(x: usize, cols: i32): f32 {
  let m = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= cols; j += 4) m = f32x4.max(m, v128.load(x + (<usize>j << 2)));
  let r = max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)),
              max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
  for (; j < cols; j++) r = max(r, load<f32>(x + (<usize>j << 2)));
  return r;
}

// Returns Σ exp(x - m) over the row; stores the terms into y when `store`.
// @ts-ignore: decorator
@inline function exp_sum(y: usize, x: usize, cols: i32, m: f32, store: bool): f32 {
  const mv = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const o = <usize>j << 2;
    const e = exp_f32x4(f32x4.sub(v128.load(x + o), mv));
    if (store) v128.store(y + o, e);
    acc = f32x4.add(acc, e);
  }
  if (j < cols) {
    // Padding with -inf makes the unused lanes exp(-inf) = 0 in the sum.
    const o = <usize>j << 2, rem = cols - j;
    const e = exp_f32x4(f32x4.sub(load_tail_f32x4(x + o, rem, f32x4.splat(-Infinity)), mv));
    acc = f32x4.add(acc, e);
    if (store) store_tail_f32x4(y + o, e, rem);
  }
  return hsum(acc);
}

// Σ a·b over the row.
// @ts-ignore: decorator
@inline function row_dot(a: usize, b: usize, cols: i32): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const o = <usize>j << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  let s = hsum(acc);
  for (; j < cols; j++) s += load<f32>(a + (<usize>j << 2)) * load<f32>(b + (<usize>j << 2));
  return s;
}

// @ts-ignore: decorator
@inline function row_sum(a: usize, cols: i32): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= cols; j += 4) acc = f32x4.add(acc, v128.load(a + (<usize>j << 2)));
  let s = hsum(acc);
  for (; j < cols; j++) s += load<f32>(a + (<usize>j << 2));
  return s;
}

// y:(rows,cols) = softmax(x:(rows,cols)) along cols; y may equal x.
export function softmax_forward(y: usize, x: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>cols << 2;
    const xr = x + base, yr = y + base;
    const s = f32x4.splat(exp_sum(yr, xr, cols, row_max(xr, cols), true));
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(yr + o, f32x4.div(v128.load(yr + o), s));
    }
    const sf = f32x4.extract_lane(s, 0);
    for (; j < cols; j++) store<f32>(yr + (<usize>j << 2), load<f32>(yr + (<usize>j << 2)) / sf);
  }
}

// dx:(rows,cols) += y ⊙ (dy - Σ_j dy·y), per row; y is the forward's output.
export function softmax_backward(dx: usize, dy: usize, y: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>cols << 2;
    const dxr = dx + base, dyr = dy + base, yr = y + base;
    const d = row_dot(dyr, yr, cols);
    const dv = f32x4.splat(d);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(dxr + o, f32x4.add(v128.load(dxr + o),
        f32x4.mul(v128.load(yr + o), f32x4.sub(v128.load(dyr + o), dv))));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(dxr + o, load<f32>(dxr + o) + load<f32>(yr + o) * (load<f32>(dyr + o) - d));
    }
  }
}

// y:(rows,cols) = x - max - log Σ exp(x - max), per row; y may equal x.
export function log_softmax_forward(y: usize, x: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>cols << 2;
    const xr = x + base, yr = y + base;
    const m = row_max(xr, cols);
    const lse = Mathf.log(exp_sum(0, xr, cols, m, false));
    const mv = f32x4.splat(m), lv = f32x4.splat(lse);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(yr + o, f32x4.sub(f32x4.sub(v128.load(xr + o), mv), lv));
    }
    for (; j < cols; j++) store<f32>(yr + (<usize>j << 2), (load<f32>(xr + (<usize>j << 2)) - m) - lse);
  }
}

// dx:(rows,cols) += dy - exp(y) Σ_j dy, per row; y is the forward's output.
export function log_softmax_backward(dx: usize, dy: usize, y: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>cols << 2;
    const dxr = dx + base, dyr = dy + base, yr = y + base;
    const sv = f32x4.splat(row_sum(dyr, cols));
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      const g = f32x4.sub(v128.load(dyr + o), f32x4.mul(exp_f32x4(v128.load(yr + o)), sv));
      v128.store(dxr + o, f32x4.add(v128.load(dxr + o), g));
    }
    if (j < cols) { // the same vector exp for the last 1-3 values
      const o = <usize>j << 2, rem = cols - j, zero = f32x4.splat(0);
      const g = f32x4.sub(load_tail_f32x4(dyr + o, rem, zero), f32x4.mul(exp_f32x4(load_tail_f32x4(yr + o, rem, zero)), sv));
      store_tail_f32x4(dxr + o, f32x4.add(load_tail_f32x4(dxr + o, rem, zero), g), rem);
    }
  }
}

// ---- scalar references, in f64 ----

export function softmax_forward_ref(y: usize, x: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>cols << 2;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, <f64>load<f32>(x + base + (<usize>j << 2)));
    let s = 0.0;
    for (let j = 0; j < cols; j++) s += Math.exp(<f64>load<f32>(x + base + (<usize>j << 2)) - m);
    for (let j = 0; j < cols; j++) {
      const o = base + (<usize>j << 2);
      store<f32>(y + o, <f32>(Math.exp(<f64>load<f32>(x + o) - m) / s));
    }
  }
}

export function softmax_backward_ref(dx: usize, dy: usize, y: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>cols << 2;
    let d = 0.0;
    for (let j = 0; j < cols; j++) {
      const o = base + (<usize>j << 2);
      d += <f64>load<f32>(dy + o) * <f64>load<f32>(y + o);
    }
    for (let j = 0; j < cols; j++) {
      const o = base + (<usize>j << 2);
      store<f32>(dx + o, <f32>(<f64>load<f32>(dx + o) + <f64>load<f32>(y + o) * (<f64>load<f32>(dy + o) - d)));
    }
  }
}

export function log_softmax_forward_ref(y: usize, x: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>cols << 2;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, <f64>load<f32>(x + base + (<usize>j << 2)));
    let s = 0.0;
    for (let j = 0; j < cols; j++) s += Math.exp(<f64>load<f32>(x + base + (<usize>j << 2)) - m);
    const lse = Math.log(s);
    for (let j = 0; j < cols; j++) {
      const o = base + (<usize>j << 2);
      store<f32>(y + o, <f32>(<f64>load<f32>(x + o) - m - lse));
    }
  }
}

export function log_softmax_backward_ref(dx: usize, dy: usize, y: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>cols << 2;
    let s = 0.0;
    for (let j = 0; j < cols; j++) s += <f64>load<f32>(dy + base + (<usize>j << 2));
    for (let j = 0; j < cols; j++) {
      const o = base + (<usize>j << 2);
      store<f32>(dx + o, <f32>(<f64>load<f32>(dx + o) + <f64>load<f32>(dy + o) - Math.exp(<f64>load<f32>(y + o)) * s));
    }
  }
}
