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

// y:(n) = start + i·step (range, linspace); i·step is rounded once, then the sum.
export function arange_f32(y: usize, n: i32, start: f32, step: f32): void {
  const s = f32x4.splat(start), d = f32x4.splat(step), four = f32x4.splat(4);
  let iv = f32x4(0, 1, 2, 3);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(y + (<usize>i << 2), f32x4.add(s, f32x4.mul(iv, d)));
    iv = f32x4.add(iv, four);
  }
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), start + <f32>i * step);
}

export function arange_f32_ref(y: usize, n: i32, start: f32, step: f32): void {
  for (let i = 0; i < n; i++) store<f32>(y + (<usize>i << 2), start + <f32>i * step);
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
