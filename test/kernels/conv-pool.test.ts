// Pooling kernels (SIMD over 4 channels; a last vector overlapping the previous one when C is not
// a multiple of 4; scalar below 4 channels) against their scalar `_ref` twins. The max-pool
// backward reference finds each window's winner again from x, so it also checks the saved indices.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, rawBuffers } from '../setup';
import { POOL_GEOMETRY_INTS } from '../../src/kernels.generated';

beforeAll(ready);

/** [N,H,W,C,KH,KW,SH,SW,padTop,padLeft,OH,OW] for 'valid' or 'same' (computed here, independently). */
function geometry(N: number, H: number, W: number, C: number, KH: number, KW: number, SH: number, SW: number, same: boolean): number[] {
  const axis = (n: number, k: number, s: number): [number, number] => {
    if (!same) return [0, Math.floor((n - k) / s) + 1];
    const out = Math.ceil(n / s);
    return [Math.floor(Math.max((out - 1) * s + k - n, 0) / 2), out];
  };
  const [pt, oh] = axis(H, KH, SH), [pl, ow] = axis(W, KW, SW);
  return [N, H, W, C, KH, KW, SH, SW, pt, pl, oh, ow];
}

function check(gArr: number[], seed: number, xValues?: (n: number) => Float32Array): void {
  const K = nn.internals.kernels();
  const b = rawBuffers();
  const [N, H, W, C, , , , , , , OH, OW] = gArr;
  const xn = N * H * W * C, yn = N * OH * OW * C;
  // The kernels keep their window after the 12 ints: the block is POOL_GEOMETRY_INTS long.
  const block = new Int32Array(POOL_GEOMETRY_INTS);
  block.set(gArr);
  const g = b.putInts(block), x = b.put(xValues ? xValues(xn) : rand(xn, seed, -3, 3)), dy = b.put(rand(yn, seed + 1));
  const what = `geometry ${gArr}`;
  const same = (p: number, q: number, n: number, name: string) =>
    expect(Array.from(b.get(p, n)), `${name} ${what}`).toEqual(Array.from(b.get(q, n)));

  const y = b.put(new Float32Array(yn)), yRef = b.put(new Float32Array(yn));
  const arg = b.putInts(new Int32Array(yn)), argRef = b.putInts(new Int32Array(yn));
  K.maxpool2d_forward(y, arg, x, g);
  K.maxpool2d_forward_ref(yRef, argRef, x, g);
  same(y, yRef, yn, 'max forward');
  same(arg, argRef, yn, 'max winners');
  const yOnly = b.put(new Float32Array(yn));
  K.maxpool2d_forward(yOnly, 0, x, g); // no winners wanted (inference)
  same(yOnly, yRef, yn, 'max forward without winners');
  const dx = b.put(rand(xn, seed + 2)), dxRef = b.put(rand(xn, seed + 2));
  K.maxpool2d_backward(dx, dy, arg, yn);
  K.maxpool2d_backward_ref(dxRef, dy, x, g);
  same(dx, dxRef, xn, 'max backward');

  K.avgpool2d_forward(y, x, g);
  K.avgpool2d_forward_ref(yRef, x, g);
  same(y, yRef, yn, 'avg forward');
  const ax = b.put(rand(xn, seed + 3)), axRef = b.put(rand(xn, seed + 3));
  K.avgpool2d_backward(ax, dy, g);
  K.avgpool2d_backward_ref(axRef, dy, g);
  same(ax, axRef, xn, 'avg backward');
  b.freeAll();
}

describe('pooling kernels: SIMD == _ref', () => {
  it('channels around the vector width, valid and same, overlapping and strided windows', () => {
    let seed = 1;
    for (const C of [1, 3, 4, 5, 6, 7, 8, 9, 16]) {
      for (const same of [false, true]) {
        for (const [KH, KW, SH, SW] of [[2, 2, 2, 2], [3, 3, 1, 1], [3, 2, 2, 1], [2, 3, 3, 2], [1, 1, 1, 1]]) {
          check(geometry(2, 7, 5, C, KH, KW, SH, SW, same), seed += 5);
        }
      }
    }
  });

  it('global windows (the whole image) and 1-D (height 1)', () => {
    check(geometry(3, 6, 7, 5, 6, 7, 1, 1, false), 100);
    check(geometry(2, 1, 9, 7, 1, 3, 1, 2, true), 101);
  });

  it('ties, ±0 and NaN: the first maximum wins and NaN propagates, on every path', () => {
    // Few distinct values, so windows hold ties (±0 among them) and some hold NaNs.
    const values = (n: number) => rand(n, 7, 0, 1).map((r, i) => (i % 11 === 3 ? NaN : [0, -0, 1, -1, 1][Math.floor(r * 5)]));
    let seed = 200;
    for (const C of [1, 4, 6, 9]) {
      for (const [KH, KW, SH, SW] of [[2, 2, 2, 2], [3, 3, 1, 1]]) {
        for (const same of [false, true]) check(geometry(2, 8, 6, C, KH, KW, SH, SW, same), seed++, values);
      }
    }
  });
});
