// Allocation and bulk memory. Everything else in assembly/ computes on pointers it is given.

export function alloc(bytes: usize): usize {
  return heap.alloc(bytes);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

// y:(n) = v
export function fill_f32(y: usize, n: i32, v: f32): void {
  const vv = f32x4.splat(v);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), vv);
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), v);
}

// y:(n) = start + i·step (range, linspace), in f64 and rounded once: range(0, 1, 0.1) ends at 0.9.
export function arange_f32(y: usize, n: i32, start: f64, step: f64): void {
  const s = f64x2.splat(start), d = f64x2.splat(step), four = f64x2.splat(4);
  let i01 = f64x2(0, 1), i23 = f64x2(2, 3);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const lo = f32x4.demote_f64x2_zero(f64x2.add(s, f64x2.mul(i01, d)));
    const hi = f32x4.demote_f64x2_zero(f64x2.add(s, f64x2.mul(i23, d)));
    v128.store(y + (<usize>i << 2), v128.shuffle<f32>(lo, hi, 0, 1, 4, 5));
    i01 = f64x2.add(i01, four);
    i23 = f64x2.add(i23, four);
  }
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), <f32>(start + <f64>i * step));
}

export function arange_f32_ref(y: usize, n: i32, start: f64, step: f64): void {
  for (let i = 0; i < n; i++) store<f32>(y + (<usize>i << 2), <f32>(start + <f64>i * step));
}

// y:(n) = x:(n); regions may overlap.
export function copy_f32(y: usize, x: usize, n: i32): void {
  memory.copy(y, x, <usize>n << 2);
}

// Number of NaN or ±Inf values in x:(n); fit refuses such data.
export function count_nonfinite_f32(x: usize, n: i32): i32 {
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (!isFinite<f32>(v)) bad++;
  }
  return bad;
}

// y:(n,row) = x[idx[i]]:(row) — gathers whole rows (mini-batches of shuffled samples).
export function gather_rows_f32(y: usize, x: usize, idx: usize, n: i32, row: i32): void {
  const bytes = <usize>row << 2;
  for (let i = 0; i < n; i++) {
    const src = <usize>load<i32>(idx + (<usize>i << 2));
    memory.copy(y + <usize>i * bytes, x + src * bytes, bytes);
  }
}
