// SIMD kernels of the reduce and shape families against their scalar _ref twins.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose, rawBuffers } from '../setup';

beforeAll(ready);

const K = () => nn.internals.kernels();
const sizes = [1, 3, 4, 5, 8, 12, 13];

const { put, putInts, get, freeAll } = rawBuffers();

describe('reduce kernels: SIMD vs _ref', () => {
  it('sum_forward / sum_backward / max_forward / min_forward', () => {
    for (const O of [1, 3]) for (const R of sizes) for (const I of sizes) {
      const n = O * R * I;
      const x = put(rand(n, O * 100 + R * 10 + I));
      const dy = put(rand(O * I, 7));
      const ya = put(new Float32Array(O * I)), yb = put(new Float32Array(O * I));
      K().sum_forward(ya, x, O, R, I, 0.5); K().sum_forward_ref(yb, x, O, R, I, 0.5);
      expectClose(get(ya, O * I), get(yb, O * I), 1e-6, `sum ${O},${R},${I}`);
      const init = rand(n, 3);
      const da = put(init), db = put(init);
      K().sum_backward(da, dy, O, R, I, 0.25); K().sum_backward_ref(db, dy, O, R, I, 0.25);
      expect(Array.from(get(da, n)), `sum_backward ${O},${R},${I}`).toEqual(Array.from(get(db, n)));
      // values with ties (rounded) so the first-maximum rule is exercised
      const xt = put(Array.from(rand(n, R + I), (v) => Math.round(v * 2)));
      const aa = put(new Float32Array(O * I)), ab = put(new Float32Array(O * I));
      K().max_forward(ya, aa, xt, O, R, I); K().max_forward_ref(yb, ab, xt, O, R, I);
      expect(Array.from(get(ya, O * I)), `max ${O},${R},${I}`).toEqual(Array.from(get(yb, O * I)));
      expect(Array.from(get(aa, O * I)), `argmax ${O},${R},${I}`).toEqual(Array.from(get(ab, O * I)));
      K().min_forward(ya, aa, xt, O, R, I); K().min_forward_ref(yb, ab, xt, O, R, I);
      expect(Array.from(get(ya, O * I)), `min ${O},${R},${I}`).toEqual(Array.from(get(yb, O * I)));
      expect(Array.from(get(aa, O * I)), `argmin ${O},${R},${I}`).toEqual(Array.from(get(ab, O * I)));
      freeAll();
    }
  });
});

describe('shape kernels: SIMD vs _ref', () => {
  it('copy_strided_f32 (copy and accumulate, contiguous and strided rows)', () => {
    for (const rows of [1, 3]) for (const n of sizes) for (const accumulate of [0, 1]) for (const transposed of [false, true]) {
      const shape = [rows, n];
      const srcStride = transposed ? [1, rows] : [n, 1];
      const src = put(rand(rows * n, n));
      const init = rand(rows * n, 5);
      const a = put(init), b = put(init);
      const sp = putInts(shape), ds = putInts([n, 1]), ss = putInts(srcStride), idx = putInts([0, 0]);
      K().copy_strided_f32(a, src, 2, sp, ds, ss, idx, accumulate);
      K().copy_strided_f32_ref(b, src, 2, sp, ds, ss, idx, accumulate);
      expect(Array.from(get(a, rows * n))).toEqual(Array.from(get(b, rows * n)));
      freeAll();
    }
  });

  it('gather_backward (repeated positions accumulate)', () => {
    for (const O of [1, 2]) for (const C of sizes) {
      const idx = [2, 0, 2, 1, 2], N = 3, M = idx.length;
      const dy = put(rand(O * M * C, C));
      const init = rand(O * N * C, 1);
      const a = put(init), b = put(init), r = putInts(idx);
      K().gather_backward(a, dy, r, O, N, M, C);
      K().gather_backward_ref(b, dy, r, O, N, M, C);
      expect(Array.from(get(a, O * N * C))).toEqual(Array.from(get(b, O * N * C)));
      freeAll();
    }
  });
});

describe('transpose_2d_f32: SIMD vs _ref', () => {
  it('copy and accumulate at block edges', () => {
    for (const B of [1, 2]) for (const R of sizes) for (const C of sizes) for (const accumulate of [0, 1]) {
      const n = B * R * C;
      const x = put(rand(n, R * 31 + C));
      const init = rand(n, 2);
      const a = put(init), b = put(init);
      K().transpose_2d_f32(a, x, B, R, C, accumulate);
      K().transpose_2d_f32_ref(b, x, B, R, C, accumulate);
      expect(Array.from(get(a, n)), `${B},${R},${C},${accumulate}`).toEqual(Array.from(get(b, n)));
      freeAll();
    }
  });
});
