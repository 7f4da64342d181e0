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

// y:(n) = x:(n); regions may overlap.
export function copy_f32(y: usize, x: usize, n: i32): void {
  memory.copy(y, x, <usize>n << 2);
}
