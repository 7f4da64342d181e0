// max_min_backward_f32 (the gradient of maximum/minimum): SIMD against its `_ref` twin at the tile
// edges, ties included, accumulating, with either output skipped.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { nn, ready, rand, rawBuffers } from '../setup';

let K: any;
const { put, get, freeAll } = rawBuffers();
beforeAll(async () => { await ready(); K = nn.internals.kernels(); });
afterAll(freeAll);

describe('max_min_backward_f32', () => {
  for (const n of [1, 3, 4, 5, 7, 8, 9, 16, 17]) {
    it(`matches the scalar reference, n = ${n}`, () => {
      const a = rand(n, n), b = rand(n, n + 1), dy = rand(n, n + 2);
      b[0] = a[0]; // a tie: the first input gets it
      for (const op of [4, 5]) {
        const out = [0, 1].map(() => [put(new Float32Array(n).fill(0.5)), put(new Float32Array(n).fill(0.5))]);
        const [pa, pb, pdy] = [put(a), put(b), put(dy)];
        K.max_min_backward_f32(out[0][0], out[0][1], pdy, pa, pb, n, op);
        K.max_min_backward_f32_ref(out[1][0], out[1][1], pdy, pa, pb, n, op);
        expect(Array.from(get(out[0][0], n))).toEqual(Array.from(get(out[1][0], n)));
        expect(Array.from(get(out[0][1], n))).toEqual(Array.from(get(out[1][1], n)));
        const toA = Array.from(a, (v, i) => (op === 4 ? v >= b[i] : v <= b[i]));
        expect(Array.from(get(out[0][0], n))).toEqual(toA.map((t, i) => Math.fround(0.5 + (t ? dy[i] : 0))));
        expect(get(out[0][0], n)[0]).toBe(Math.fround(0.5 + dy[0]));
        // db alone
        const db = put(new Float32Array(n));
        K.max_min_backward_f32(0, db, pdy, pa, pb, n, op);
        expect(Array.from(get(db, n))).toEqual(toA.map((t, i) => (t ? 0 : dy[i])));
      }
      freeAll();
    });
  }
});
