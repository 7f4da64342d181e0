// Max-pooling pieces shared by the pooling kernels (kernels/pool.ts) and the convolution that
// pools its own output (kernels/conv.ts). Not a kernel family: assembly/index.ts does not export
// this file, so nothing here becomes a wasm export.

export const LANES: v128 = i32x4(0, 1, 2, 3);

// Channels in vectors of 4; when C is not a multiple of 4, the last vector overlaps the one
// before (forward passes write the same values twice), and C < 4 runs scalar.
// @ts-ignore: decorator
@inline export function vectorStart(c: i32, C: i32): i32 { return c < C - 4 ? c : C - 4; }

// One step of a window max over 4 channels: v wins when greater or NaN (so the first maximum
// stays and NaN propagates), as in maxVec.
// @ts-ignore: decorator
@inline function takes(v: v128, best: v128): v128 { return v128.or(f32x4.gt(v, best), f32x4.ne(v, v)); }

// The 2×2 stride-2 windows that all lie inside the input (LeNet's and VGG's pooling), C ≥ 4: the
// four cells of a window are read straight from their offsets, no window loops. Same results
// (which NaN, when a window holds one, aside) and winners as the general path.
export function maxpool2x2(y: usize, arg: usize, x: usize, N: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32): void {
  const cb = <usize>C << 2, rb = <usize>(W * C) << 2;
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) {
    const first = ((n * H + 2 * oh) * W) * C, out = ((n * OH + oh) * OW) * C;
    for (let ow = 0; ow < OW; ow++) {
      const i = first + 2 * ow * C, o = out + ow * C;
      for (let c = 0; c < C; c += 4) {
        const cc = vectorStart(c, C);
        const p = x + (<usize>(i + cc) << 2);
        const v1 = v128.load(p + cb), v2 = v128.load(p + rb), v3 = v128.load(p + rb + cb);
        let best = v128.load(p);
        if (arg == 0) {
          // pmax(best, v) takes v only when v > best (one instruction; ties and ±0 keep the
          // first, as the general path does), and misses a NaN v, which the mask restores
          // (all-ones bits are a NaN; a NaN best stays anyway).
          const nan = v128.or(v128.or(f32x4.ne(v1, v1), f32x4.ne(v2, v2)), f32x4.ne(v3, v3));
          best = f32x4.pmax(f32x4.pmax(f32x4.pmax(best, v1), v2), v3);
          v128.store(y + (<usize>(o + cc) << 2), v128.or(best, nan));
        } else {
          const t1 = takes(v1, best); best = v128.bitselect(v1, best, t1);
          const t2 = takes(v2, best); best = v128.bitselect(v2, best, t2);
          const t3 = takes(v3, best); best = v128.bitselect(v3, best, t3);
          v128.store(y + (<usize>(o + cc) << 2), best);
          const i0 = i32x4.add(i32x4.splat(i + cc), LANES);
          let idx = v128.bitselect(i32x4.add(i0, i32x4.splat(C)), i0, t1);
          idx = v128.bitselect(i32x4.add(i0, i32x4.splat(W * C)), idx, t2);
          idx = v128.bitselect(i32x4.add(i0, i32x4.splat(W * C + C)), idx, t3);
          v128.store(arg + (<usize>(o + cc) << 2), idx);
        }
      }
    }
  }
}

