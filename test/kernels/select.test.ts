// Kernels behind the tfjs-style ops: the binary ops beyond the arithmetic four (maximum, minimum,
// pow, comparisons, squaredDifference), where, clip, topk and arange — SIMD against the scalar
// `_ref` twins at the tile edges (tile = 4 floats; topk also past its first k), in the default and
// relaxed builds alike.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { nn, ready, rand, rawBuffers } from '../setup';

let K: any;
const { put, get, freeAll } = rawBuffers();
beforeAll(async () => { await ready(); K = nn.internals.kernels(); });
afterAll(freeAll);

const SIZES = [1, 3, 4, 5, 7, 8, 9, 16, 17];
const same = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => expect(Array.from(a), what).toEqual(Array.from(b));

/** Values on a coarse grid, so that comparisons meet ties; every fifth value NaN when asked. */
function grid(n: number, seed: number, nan = false): Float32Array {
  const v = Float32Array.from(rand(n, seed, -2, 2), (x) => Math.round(x * 2) / 2);
  if (nan) for (let i = 2; i < n; i += 5) v[i] = NaN;
  return v;
}

describe('binary kernels: ops 4..17 (maximum … logicalOr)', () => {
  it('SIMD, row-broadcast and scalar forms all match the _ref twin, NaN included', () => {
    for (const n of SIZES) for (let op = 4; op <= 17; op++) {
      const a = put(grid(n, n, true)), b = put(grid(n, n + 1)), y = put(new Float32Array(n)), yr = put(new Float32Array(n));
      K.binary_f32_simd(y, a, b, n, op);
      K.binary_f32_ref(yr, a, b, n, op);
      same(get(y, n), get(yr, n), `op ${op} n=${n}`);
      K.binary_row_f32(y, a, b, 1, n, op);
      same(get(y, n), get(yr, n), `row op ${op} n=${n}`);
    }
  });

  it('comparisons give 0/1 (NaN is only unequal), pow follows Math.pow', () => {
    const a = [1, 2, NaN, -0, 3], b = [1, 3, NaN, 0, 2], n = a.length;
    const pa = put(a), pb = put(b), y = put(new Float32Array(n));
    const run = (op: number) => { K.binary_f32_simd(y, pa, pb, n, op); return Array.from(get(y, n)); };
    expect(run(7)).toEqual([1, 0, 0, 1, 0]); // equal
    expect(run(8)).toEqual([0, 1, 1, 0, 1]); // notEqual
    expect(run(9)).toEqual([0, 0, 0, 0, 1]); // greater
    expect(run(10)).toEqual([1, 0, 0, 1, 1]); // greaterEqual
    expect(run(11)).toEqual([0, 1, 0, 0, 0]); // less
    expect(run(12)).toEqual([1, 1, 0, 1, 0]); // lessEqual
    const base = [-2, -2, 0, 2.5, 9], exps = [3, 0.5, 0, -1.5, 0.5];
    const pp = put(base), pe = put(exps);
    K.binary_f32_simd(y, pp, pe, n, 6);
    expect(Array.from(get(y, n))).toEqual(base.map((v, i) => Math.fround(Math.pow(v, exps[i]))));
  });
});

describe('select kernels: SIMD vs _ref', () => {
  it('where_f32 and where_backward_f32 (both branches, accumulating)', () => {
    for (const n of SIZES) {
      const c = put(grid(n, 3 * n)), a = put(rand(n, 1)), b = put(rand(n, 2)), dy = put(rand(n, 4));
      const y = put(new Float32Array(n)), yr = put(new Float32Array(n));
      K.where_f32(y, c, a, b, n); K.where_f32_ref(yr, c, a, b, n);
      same(get(y, n), get(yr, n), `where n=${n}`);
      for (const when of [0, 1]) {
        const init = rand(n, 9), d = put(init), dr = put(init);
        K.where_backward_f32(d, dy, c, n, when); K.where_backward_f32_ref(dr, dy, c, n, when);
        same(get(d, n), get(dr, n), `where_backward when=${when} n=${n}`);
      }
    }
  });

  it('clip_forward_f32 and clip_backward_f32 (values on the bounds pass the gradient)', () => {
    for (const n of SIZES) {
      const x = put(grid(n, 5 * n, true)), dy = put(rand(n, 6));
      const y = put(new Float32Array(n)), yr = put(new Float32Array(n));
      K.clip_forward_f32(y, x, n, -1, 0.5); K.clip_forward_f32_ref(yr, x, n, -1, 0.5);
      same(get(y, n), get(yr, n), `clip n=${n}`);
      const init = rand(n, 7), d = put(init), dr = put(init);
      K.clip_backward_f32(d, dy, x, n, -1, 0.5); K.clip_backward_f32_ref(dr, dy, x, n, -1, 0.5);
      same(get(d, n), get(dr, n), `clip_backward n=${n}`);
    }
  });

  it('topk_forward (insertion with a SIMD skip) equals the rank-based _ref, ties by position', () => {
    for (const rows of [1, 3]) for (const n of [...SIZES, 33]) for (const k of [0, 1, 2, 4, 5, n]) {
      if (k > n) continue;
      const x = put(grid(rows * n, 100 * n + k + rows));
      const v = put(new Float32Array(rows * k)), i = put(new Float32Array(rows * k));
      const vr = put(new Float32Array(rows * k)), ir = put(new Float32Array(rows * k));
      K.topk_forward(v, i, x, rows, n, k); K.topk_forward_ref(vr, ir, x, rows, n, k);
      same(get(v, rows * k), get(vr, rows * k), `topk values rows=${rows} n=${n} k=${k}`);
      same(get(i, rows * k), get(ir, rows * k), `topk indices rows=${rows} n=${n} k=${k}`);
    }
  });

  it('arange_f32 matches its _ref', () => {
    for (const n of SIZES) {
      const y = put(new Float32Array(n)), yr = put(new Float32Array(n));
      K.arange_f32(y, n, -1.25, 0.1); K.arange_f32_ref(yr, n, -1.25, 0.1);
      same(get(y, n), get(yr, n), `arange n=${n}`);
    }
  });
});
