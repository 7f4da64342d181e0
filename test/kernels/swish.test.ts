// swish_beta_grad_f32 (d/dbeta of x·sigmoid(beta·x), a reduction): SIMD against its f64 `_ref`
// twin at the tile edges, and accumulation into dbeta.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { nn, ready, rand, rawBuffers } from '../setup';

let K: any;
const { put, get, freeAll } = rawBuffers();
beforeAll(async () => { await ready(); K = nn.internals.kernels(); });
afterAll(freeAll);
const get1 = (p: number) => get(p, 1)[0];

describe('swish_beta_grad_f32', () => {
  for (const n of [1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 64, 1001]) {
    it(`matches the scalar reference, n = ${n}`, () => {
      const x = rand(n, n, -6, 6), dy = rand(n, n + 100);
      x[n - 1] = 40; // a saturated sigmoid, in the tail: contributes ~0, not NaN
      for (const beta of [1, 0.3, -1.7, 0]) {
        const px = put(x), pdy = put(dy);
        const simd = put([0.25]), ref = put([0.25]); // accumulates onto what is there
        K.swish_beta_grad_f32(simd, pdy, px, n, beta);
        K.swish_beta_grad_f32_ref(ref, pdy, px, n, beta);
        let exact = 0.25;
        for (let i = 0; i < n; i++) {
          const e = Math.exp(-Math.abs(Math.fround(beta) * x[i]));
          exact += dy[i] * x[i] * x[i] * e / ((1 + e) * (1 + e));
        }
        expect(Math.abs(get1(ref) - exact)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(exact)));
        // the SIMD sum runs in f32 with the vector exp: relative to the sum of magnitudes
        let mag = 0.25;
        for (let i = 0; i < n; i++) mag += Math.abs(dy[i] * x[i] * x[i]) / 4;
        expect(Math.abs(get1(simd) - exact)).toBeLessThanOrEqual(2e-6 * mag);
        expect(Number.isFinite(get1(simd))).toBe(true);
      }
    });
  }
});
