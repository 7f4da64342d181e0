// Elementwise binary ops. Same-shape forms are SIMD; broadcasting goes through a strided
// scalar kernel, and its backward reduces a full-shape gradient back onto the input's shape.
// Comparisons and the logical ops give 1 or 0 (NaN compares as in JavaScript: only `!=` holds; any
// nonzero value, NaN included, is true). pow, mod and floorDiv have no vector form: each lane
// computes in f64 and rounds, which is what tfjs' cpu backend does.

export const OP_ADD = 0, OP_SUB = 1, OP_MUL = 2, OP_DIV = 3, OP_MAX = 4, OP_MIN = 5, OP_POW = 6,
  OP_EQ = 7, OP_NE = 8, OP_GT = 9, OP_GE = 10, OP_LT = 11, OP_LE = 12, OP_SQDIFF = 13, OP_MOD = 14,
  OP_FLOORDIV = 15, OP_AND = 16, OP_OR = 17;

// tf.mod: the remainder takes the divisor's sign (Python's %).
// @ts-ignore: decorator
@inline function mod_s(a: f32, b: f32): f32 {
  const r = <f64>a % <f64>b;
  return <f32>((a < 0) == (b < 0) ? r : (r + <f64>b) % <f64>b);
}

// @ts-ignore: decorator
@inline function pow_s(a: f32, b: f32): f32 { return <f32>Math.pow(<f64>a, <f64>b); }

// @ts-ignore: decorator
@inline function flag(c: bool): f32 { return c ? 1 : 0; }

// The scalar op on each lane, for the ops without a vector form.
// @ts-ignore: decorator
@inline function per_lane(op: i32, a: v128, b: v128): v128 {
  let y = f32x4.splat(apply_scalar(op, f32x4.extract_lane(a, 0), f32x4.extract_lane(b, 0)));
  y = f32x4.replace_lane(y, 1, apply_scalar(op, f32x4.extract_lane(a, 1), f32x4.extract_lane(b, 1)));
  y = f32x4.replace_lane(y, 2, apply_scalar(op, f32x4.extract_lane(a, 2), f32x4.extract_lane(b, 2)));
  return f32x4.replace_lane(y, 3, apply_scalar(op, f32x4.extract_lane(a, 3), f32x4.extract_lane(b, 3)));
}

// @ts-ignore: decorator
@inline function apply_scalar(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_MAX: return max(a, b); // NaN propagates, as Math.max
    case OP_MIN: return min(a, b);
    case OP_POW: return pow_s(a, b);
    case OP_EQ: return flag(a == b);
    case OP_NE: return flag(a != b);
    case OP_GT: return flag(a > b);
    case OP_GE: return flag(a >= b);
    case OP_LT: return flag(a < b);
    case OP_LE: return flag(a <= b);
    case OP_MOD: return mod_s(a, b);
    case OP_FLOORDIV: return <f32>(Math.floor(<f64>a / <f64>b) + 0); // + 0: no -0 (tfjs returns int32)
    case OP_AND: return flag(a != 0 && b != 0);
    case OP_OR: return flag(a != 0 || b != 0);
    default: { const d = a - b; return d * d; } // OP_SQDIFF
  }
}

// @ts-ignore: decorator
@inline function apply_simd(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case OP_ADD: return f32x4.add(a, b);
    case OP_SUB: return f32x4.sub(a, b);
    case OP_MUL: return f32x4.mul(a, b);
    case OP_DIV: return f32x4.div(a, b);
    case OP_MAX: return f32x4.max(a, b);
    case OP_MIN: return f32x4.min(a, b);
    case OP_POW: case OP_MOD: case OP_FLOORDIV: return per_lane(op, a, b);
    case OP_EQ: return v128.and(f32x4.eq(a, b), f32x4.splat(1));
    case OP_NE: return v128.and(f32x4.ne(a, b), f32x4.splat(1));
    case OP_GT: return v128.and(f32x4.gt(a, b), f32x4.splat(1));
    case OP_GE: return v128.and(f32x4.ge(a, b), f32x4.splat(1));
    case OP_LT: return v128.and(f32x4.lt(a, b), f32x4.splat(1));
    case OP_LE: return v128.and(f32x4.le(a, b), f32x4.splat(1));
    case OP_AND: return v128.and(v128.and(f32x4.ne(a, f32x4.splat(0)), f32x4.ne(b, f32x4.splat(0))), f32x4.splat(1));
    case OP_OR: return v128.and(v128.or(f32x4.ne(a, f32x4.splat(0)), f32x4.ne(b, f32x4.splat(0))), f32x4.splat(1));
    default: { const d = f32x4.sub(a, b); return f32x4.mul(d, d); } // OP_SQDIFF
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
