// l1l2_forward / l1l2_backward against their scalar twins at the SIMD tile edges (4 lanes).
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, rawBuffers } from '../setup';

beforeAll(ready);

const K = () => nn.internals.kernels();
const { put: upload, get: download, freeAll } = rawBuffers();

const SIZES = [1, 3, 4, 5, 7, 8, 9, 16, 33, 1000];

describe('l1l2 kernels vs _ref', () => {
  it('forward: the same penalty as the scalar twin and as the f64 formula', () => {
    for (const n of SIZES) {
      const w = rand(n, n, -2, 2);
      w[0] = 0;
      const wp = upload(w), y = upload([0]), yRef = upload([0]);
      K().l1l2_forward(y, wp, n, 0.3, 0.7);
      K().l1l2_forward_ref(yRef, wp, n, 0.3, 0.7);
      let expected = 0;
      for (const v of w) expected += 0.3 * Math.abs(v) + 0.7 * v * v;
      // the SIMD kernel sums in four lanes: a different (fixed) order than the scalar twin
      expectClose(download(y, 1), download(yRef, 1), 1e-5, `n=${n} vs ref`);
      expectClose(download(y, 1), [expected], 1e-5, `n=${n} vs f64`);
      freeAll();
    }
  });

  it('backward: dw += dy·(l1·sign(w) + 2·l2·w), bit-identical to the scalar twin, sign(0) = 0', () => {
    for (const n of SIZES) {
      const w = rand(n, n + 1, -2, 2);
      w[0] = 0;
      const dw0 = rand(n, n + 2);
      const wp = upload(w), dy = upload([1.5]), a = upload(dw0), b = upload(dw0);
      K().l1l2_backward(a, wp, dy, n, 0.3, 0.7);
      K().l1l2_backward_ref(b, wp, dy, n, 0.3, 0.7);
      const fast = download(a, n), ref = download(b, n);
      expect(new Uint32Array(fast.buffer), `n=${n}`).toEqual(new Uint32Array(ref.buffer));
      expectClose(fast, Array.from(w, (v, i) => dw0[i] + 1.5 * (0.3 * Math.sign(v) + 1.4 * v)), 1e-6, `n=${n} formula`);
      expect(fast[0]).toBe(dw0[0]); // w = 0: no L1 push either way
      freeAll();
    }
  });
});
