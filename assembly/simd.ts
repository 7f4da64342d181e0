// Small helpers shared by the kernel families: addressing, index arithmetic and v128 pieces.

// The address of float (or int) i of an array at base.
// @ts-ignore: decorator
@inline export function at(base: usize, i: i32): usize { return base + (<usize>i << 2); }
// Int i of a geometry block of i32s (the conv and pool kernels' shape descriptions).
// @ts-ignore: decorator
@inline export function gi(g: usize, i: i32): i32 { return load<i32>(g + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline export function imin(a: i32, b: i32): i32 { return a < b ? a : b; }
// @ts-ignore: decorator
@inline export function imax(a: i32, b: i32): i32 { return a > b ? a : b; }

// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) +
         f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// Fused multiply-add where the relaxed build allows it, mul+add otherwise (bit-exact everywhere).
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// Stores (or adds, when addC) the first n (≤ 8) of the 8 values lo|hi at p: the edge of a tile
// of 8 columns, never touching memory past column n.
// @ts-ignore: decorator
@inline export function store_columns(p: usize, lo: v128, hi: v128, n: i32, addC: i32): void {
  if (n >= 4) {
    v128.store(p, addC ? f32x4.add(lo, v128.load(p)) : lo);
    lo = hi; p += 16; n -= 4;
  }
  if (n >= 4) {
    v128.store(p, addC ? f32x4.add(lo, v128.load(p)) : lo);
    return;
  }
  if (n >= 2) {
    v128.store64_lane(p, addC ? f32x4.add(lo, v128.load64_zero(p)) : lo, 0);
    lo = i32x4.shuffle(lo, lo, 2, 3, 2, 3); p += 8; n -= 2;
  }
  if (n >= 1) v128.store32_lane(p, addC ? f32x4.add(lo, v128.load32_zero(p)) : lo, 0);
}
