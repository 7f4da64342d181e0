// Elementwise binary ops. Same-shape forms are SIMD; broadcasting goes through a strided
// scalar kernel, and its backward reduces a full-shape gradient back onto the input's shape.

export const OP_ADD = 0, OP_SUB = 1, OP_MUL = 2, OP_DIV = 3, OP_MAX = 4, OP_MIN = 5;

// @ts-ignore: decorator
@inline function apply_scalar(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_MAX: return a >= b ? a : b;
    default: return a <= b ? a : b;
  }
}

// @ts-ignore: decorator
@inline function apply_simd(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case OP_ADD: return f32x4.add(a, b);
    case OP_SUB: return f32x4.sub(a, b);
    case OP_MUL: return f32x4.mul(a, b);
    case OP_DIV: return f32x4.div(a, b);
    case OP_MAX: return v128.bitselect(a, b, f32x4.ge(a, b));
    default: return v128.bitselect(a, b, f32x4.le(a, b));
  }
}

// y:(n) = a:(n) op b:(n)
export function binary_f32_simd(y: usize, a: usize, b: usize, n: i32, op: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, apply_simd(op, v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, apply_scalar(op, load<f32>(a + o), load<f32>(b + o)));
  }
}

export function binary_f32_ref(y: usize, a: usize, b: usize, n: i32, op: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, apply_scalar(op, load<f32>(a + o), load<f32>(b + o)));
  }
}

// y:(rows,cols) = a:(rows,cols) op b:(cols) — the bias-like broadcast, SIMD along cols.
export function binary_row_f32(y: usize, a: usize, b: usize, rows: i32, cols: i32, op: i32): void {
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * <usize>cols << 2;
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2;
      v128.store(y + base + o, apply_simd(op, v128.load(a + base + o), v128.load(b + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(y + base + o, apply_scalar(op, load<f32>(a + base + o), load<f32>(b + o)));
    }
  }
}

// y:(n) = a:(n) op s  (or s op a when swap != 0)
export function binary_scalar_f32(y: usize, a: usize, s: f32, n: i32, op: i32, swap: i32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const av = v128.load(a + o);
    v128.store(y + o, swap ? apply_simd(op, sv, av) : apply_simd(op, av, sv));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const av = load<f32>(a + o);
    store<f32>(y + o, swap ? apply_scalar(op, s, av) : apply_scalar(op, av, s));
  }
}

// General broadcast. shape, aStride, bStride: (rank) i32 arrays; a stride of 0 broadcasts that dim.
// y is contiguous over `shape`.
export function binary_bcast_f32(y: usize, a: usize, b: usize, op: i32, rank: i32,
                                 shape: usize, aStride: usize, bStride: usize, idx: usize): void {
  let n: i32 = 1;
  for (let d = 0; d < rank; d++) { n *= load<i32>(shape + (<usize>d << 2)); store<i32>(idx + (<usize>d << 2), 0); }
  let ao: i32 = 0, bo: i32 = 0;
  for (let i = 0; i < n; i++) {
    store<f32>(y + (<usize>i << 2), apply_scalar(op, load<f32>(a + (<usize>ao << 2)), load<f32>(b + (<usize>bo << 2))));
    // odometer increment over the index, keeping the two input offsets in step
    for (let d = rank - 1; d >= 0; d--) {
      const dp = <usize>d << 2;
      const v = load<i32>(idx + dp) + 1;
      const as = load<i32>(aStride + dp), bs = load<i32>(bStride + dp);
      if (v < load<i32>(shape + dp)) { store<i32>(idx + dp, v); ao += as; bo += bs; break; }
      store<i32>(idx + dp, 0);
      ao -= as * (v - 1); bo -= bs * (v - 1);
    }
  }
}

// x:(shape) strided by xStride (0 on broadcast dims) += g:(shape) contiguous: reduces a
// full-shape gradient back onto a broadcast input.
export function sum_to_f32(x: usize, g: usize, rank: i32, shape: usize, xStride: usize, idx: usize): void {
  let n: i32 = 1;
  for (let d = 0; d < rank; d++) { n *= load<i32>(shape + (<usize>d << 2)); store<i32>(idx + (<usize>d << 2), 0); }
  let xo: i32 = 0;
  for (let i = 0; i < n; i++) {
    const p = x + (<usize>xo << 2);
    store<f32>(p, load<f32>(p) + load<f32>(g + (<usize>i << 2)));
    for (let d = rank - 1; d >= 0; d--) {
      const dp = <usize>d << 2;
      const v = load<i32>(idx + dp) + 1;
      const xs = load<i32>(xStride + dp);
      if (v < load<i32>(shape + dp)) { store<i32>(idx + dp, v); xo += xs; break; }
      store<i32>(idx + dp, 0);
      xo -= xs * (v - 1);
    }
  }
}

// y:(n) += a:(n) * s
export function axpy_f32(y: usize, a: usize, s: f32, n: i32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(v128.load(a + o), sv)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(a + o) * s);
  }
}

export function axpy_f32_ref(y: usize, a: usize, s: f32, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(a + o) * s);
  }
}

// y:(n) += a:(n) * b:(n)   (the backward of mul)
export function fma_acc_f32(y: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(v128.load(a + o), v128.load(b + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(a + o) * load<f32>(b + o));
  }
}

// The backward of maximum (op OP_MAX) and minimum (OP_MIN) over same-size a, b: the gradient goes to
// a where a wins or ties (a >= b, resp. a <= b), else to b, as tfjs does. da, db may be 0 (skipped).
export function max_min_backward_f32(da: usize, db: usize, dy: usize, a: usize, b: usize, n: i32, op: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const av = v128.load(a + o), bv = v128.load(b + o), g = v128.load(dy + o);
    const toA = op == OP_MAX ? f32x4.ge(av, bv) : f32x4.le(av, bv);
    if (da) v128.store(da + o, f32x4.add(v128.load(da + o), v128.bitselect(g, zero, toA)));
    if (db) v128.store(db + o, f32x4.add(v128.load(db + o), v128.bitselect(zero, g, toA)));
  }
  for (; i < n; i++) max_min_backward_one(da, db, dy, a, b, i, op);
}

// @ts-ignore: decorator
@inline function max_min_backward_one(da: usize, db: usize, dy: usize, a: usize, b: usize, i: i32, op: i32): void {
  const o = <usize>i << 2;
  const av = load<f32>(a + o), bv = load<f32>(b + o);
  const target = (op == OP_MAX ? av >= bv : av <= bv) ? da : db;
  if (target) store<f32>(target + o, load<f32>(target + o) + load<f32>(dy + o));
}

export function max_min_backward_f32_ref(da: usize, db: usize, dy: usize, a: usize, b: usize, n: i32, op: i32): void {
  for (let i = 0; i < n; i++) max_min_backward_one(da, db, dy, a, b, i, op);
}
