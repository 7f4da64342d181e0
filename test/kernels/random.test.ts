// The random kernels: Philox known answers, SIMD vs scalar twins (bit for bit: these kernels use no
// multiply-add, so even the relaxed build must agree), and every draw against the JavaScript model of
// the stream formula in ../philox.ts.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from '../setup';
import { philox4x32_10, uniformAt, normalAt, truncatedNormalAt, shuffledAt } from '../philox';

beforeAll(ready);

const K = () => nn.internals.kernels();
const f32 = (ptr: number, n: number) => new Float32Array(K().memory.buffer).slice(ptr >>> 2, (ptr >>> 2) + n);
const i32 = (ptr: number, n: number) => new Int32Array(K().memory.buffer).slice(ptr >>> 2, (ptr >>> 2) + n);
const u32 = (ptr: number, n: number) => new Uint32Array(K().memory.buffer).slice(ptr >>> 2, (ptr >>> 2) + n);
function upload(v: Float32Array): number {
  const p = K().alloc(Math.max(16, v.length * 4));
  new Float32Array(K().memory.buffer).set(v, p >>> 2);
  return p;
}
function withBuffers<T>(sizes: number[], fn: (...ptrs: number[]) => T): T {
  const ptrs = sizes.map((n) => K().alloc(Math.max(16, n * 4)));
  try { return fn(...ptrs); } finally { for (const p of ptrs) K().free(p); }
}
const bitsEqual = (a: Float32Array, b: Float32Array, what: string) => {
  expect(new Uint32Array(a.buffer), what).toEqual(new Uint32Array(b.buffer));
};

// The SIMD paths run 16 elements (four Philox blocks) at a time after a scalar head up to the next
// block boundary: sizes around 16 and its multiples, counters on and off the boundary, and counters
// near 4·2³² where the low word of the block index wraps between SIMD lanes (the carry into the high
// word). Positions stay below 2^53 so that the JS model computes them exactly.
const SIZES = [1, 3, 4, 5, 15, 16, 17, 31, 32, 33, 64, 100];
const COUNTERS: Array<[number, number]> = [[0, 0], [1, 0], [2, 5], [3, 0], [0xfffffff6, 1], [0xfffffff8, 3], [0xfffffff5, 3],
  [0xfffffffd, 0x1ffffe]];
const KEY = [0x12345678, 0x9abcdef0];

describe('Philox4x32-10', () => {
  it('gives the Random123 known-answer vectors', () => {
    const kat: Array<[[number, number, number, number], [number, number], number[]]> = [
      [[0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
      [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
      [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
    ];
    withBuffers([4], (out) => {
      for (const [ctr, key, expected] of kat) {
        K().philox4x32_10(out, ...ctr, ...key);
        expect(Array.from(u32(out, 4))).toEqual(expected);
        expect(philox4x32_10(ctr, key)).toEqual(expected); // the JS model too
      }
    });
  });
});

describe('random_uniform_f32 vs _ref and the stream formula', () => {
  it('is bit-identical to the scalar twin at tile edges, counters on and off block boundaries', () => {
    for (const n of SIZES) for (const [lo, hi] of COUNTERS) {
      withBuffers([n, n], (y, yRef) => {
        K().random_uniform_f32(y, n, KEY[0], KEY[1], lo, hi, -0.5, 2);
        K().random_uniform_f32_ref(yRef, n, KEY[0], KEY[1], lo, hi, -0.5, 2);
        bitsEqual(f32(y, n), f32(yRef, n), `n=${n} ctr=${hi}:${lo}`);
      });
    }
  });

  it('element i is the formula at position counter + i, bit for bit', () => {
    for (const [lo, hi] of COUNTERS) {
      const n = 37, start = hi * 2 ** 32 + lo;
      withBuffers([n], (y) => {
        K().random_uniform_f32(y, n, KEY[0], KEY[1], lo, hi, -3, 5);
        const got = f32(y, n);
        const expected = Float32Array.from({ length: n }, (_, i) => uniformAt(start + i, KEY, -3, 5));
        bitsEqual(got, expected, `ctr=${hi}:${lo}`);
      });
    }
  });

  it('the known-answer entry point does not disturb the scalar path\'s block cache', () => {
    withBuffers([5, 4], (y, out) => {
      K().random_uniform_f32_ref(y, 1, 1, 2, 0, 0, 0, 1); // caches block 0 of key (1, 2)
      K().philox4x32_10(out, 9, 9, 9, 9, 9, 9);
      K().random_uniform_f32_ref(y, 5, 1, 2, 1, 0, 0, 1); // positions 1..5, block 0 again first
      bitsEqual(f32(y, 5), Float32Array.from({ length: 5 }, (_, i) => uniformAt(1 + i, [1, 2])), 'after philox4x32_10');
    });
  });

  it('a draw at counter c + 5 is the tail of the draw at c (elements depend only on key and position)', () => {
    withBuffers([40, 35], (a, b) => {
      K().random_uniform_f32(a, 40, 7, 8, 100, 0, 0, 1);
      K().random_uniform_f32(b, 35, 7, 8, 105, 0, 0, 1);
      bitsEqual(f32(a, 40).slice(5), f32(b, 35), 'shifted draw');
    });
  });
});

describe('random_normal_f32 and truncated_normal_f32 vs the stream formula', () => {
  it('normal: mean + stddev · Box–Muller(words of the pair), for even and odd positions', () => {
    for (const [lo, hi] of COUNTERS.slice(0, 4)) {
      const n = 21, start = hi * 2 ** 32 + lo;
      withBuffers([n], (y) => {
        K().random_normal_f32(y, n, KEY[0], KEY[1], lo, hi, 0.5, 3);
        const expected = Array.from({ length: n }, (_, i) => 0.5 + 3 * normalAt(start + i, KEY));
        // JS Math.log/cos need not round like AssemblyScript's: equal to f32 precision
        expectClose(f32(y, n), expected, 2e-7, `normal ctr=${hi}:${lo}`);
      });
    }
  });

  it('truncated: values beyond 2σ are redrawn with attempt 1, 2, … (checked where redraws happened)', () => {
    const n = 400;
    withBuffers([n], (y) => {
      K().truncated_normal_f32(y, n, KEY[0], KEY[1], 8, 0, -1, 0.25);
      const got = f32(y, n);
      let redrawn = 0;
      for (let i = 0; i < n; i++) {
        const { z, attempts } = truncatedNormalAt(8 + i, KEY);
        if (attempts > 1) redrawn++;
        expectClose([got[i]], [-1 + 0.25 * z], 2e-7, `truncated[${i}]`);
        expect(Math.abs(got[i] + 1)).toBeLessThanOrEqual(0.5);
      }
      expect(redrawn).toBeGreaterThan(5); // ~4.6% of 400: the redraw path was exercised
    });
  });
});

describe('dropout kernels', () => {
  it('dropout_mask_forward is bit-identical to its twin; mask and output follow the formula', () => {
    const rate = 0.3, scale = Math.fround(1 / Math.fround(1 - Math.fround(rate)));
    for (const n of SIZES) for (const [lo, hi] of COUNTERS) {
      const x = rand(n, n + lo, -2, 2);
      const xp = upload(x);
      withBuffers([n, n, n, n], (y, m, yRef, mRef) => {
        K().dropout_mask_forward(y, m, xp, n, rate, KEY[0], KEY[1], lo, hi);
        K().dropout_mask_forward_ref(yRef, mRef, xp, n, rate, KEY[0], KEY[1], lo, hi);
        bitsEqual(f32(y, n), f32(yRef, n), `y n=${n}`);
        bitsEqual(f32(m, n), f32(mRef, n), `mask n=${n}`);
        const start = hi * 2 ** 32 + lo;
        const mask = Float32Array.from({ length: n }, (_, i) => (uniformAt(start + i, KEY) >= Math.fround(rate) ? scale : 0));
        bitsEqual(f32(m, n), mask, `mask formula n=${n}`);
        bitsEqual(f32(y, n), Float32Array.from(x, (v, i) => v * mask[i]), `y formula n=${n}`);
      });
      K().free(xp);
    }
  });

  it('with mask pointer 0 the output is the same and nothing else is written', () => {
    const n = 50, x = rand(n, 3);
    const xp = upload(x);
    withBuffers([n, n], (y, yRef) => {
      K().dropout_mask_forward(y, 0, xp, n, 0.5, 1, 2, 4, 0);
      K().dropout_mask_forward_ref(yRef, 0, xp, n, 0.5, 1, 2, 4, 0);
      bitsEqual(f32(y, n), f32(yRef, n), 'no-mask y');
    });
    expect(Array.from(f32(xp, n))).toEqual(Array.from(x));
    K().free(xp);
  });

  it('dropout_backward accumulates dy·mask, bit-identical to its twin', () => {
    for (const n of SIZES) {
      const dx0 = rand(n, 1), dy = rand(n, 2), mask = Float32Array.from(rand(n, 3), (v) => (v > 0 ? 2 : 0));
      const a = upload(dx0), b = upload(dx0), dyp = upload(dy), mp = upload(mask);
      K().dropout_backward(a, dyp, mp, n);
      K().dropout_backward_ref(b, dyp, mp, n);
      bitsEqual(f32(a, n), f32(b, n), `n=${n}`);
      bitsEqual(f32(a, n), Float32Array.from(dx0, (v, i) => v + dy[i] * mask[i]), `formula n=${n}`);
      for (const p of [a, b, dyp, mp]) K().free(p);
    }
  });
});

describe('shuffle_indices_i32 and one_hot_f32', () => {
  it('shuffle is the Fisher–Yates permutation of the formula', () => {
    for (const n of [0, 1, 2, 5, 64, 1000]) {
      withBuffers([n], (out) => {
        K().shuffle_indices_i32(out, n, KEY[0], KEY[1], 12, 0);
        expect(Array.from(i32(out, n))).toEqual(shuffledAt(n, 12, KEY));
      });
    }
  });

  it('one_hot writes rows and reports the first label out of range', () => {
    withBuffers([4, 12], (labels, y) => {
      new Int32Array(K().memory.buffer).set([2, 0, 1, 2], labels >>> 2);
      expect(K().one_hot_f32(y, labels, 4, 3)).toBe(-1);
      expect(Array.from(f32(y, 12))).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
      new Int32Array(K().memory.buffer).set([1, -1, 3], labels >>> 2);
      expect(K().one_hot_f32(y, labels, 3, 3)).toBe(1);
    });
  });
});

describe('orthogonal_f32', () => {
  it('orthonormalizes the columns of the draw and writes gain·Q or gain·Qᵀ', () => {
    for (const [rows, cols] of [[6, 6], [9, 4], [4, 9], [1, 5], [5, 1]]) {
      const m = Math.max(rows, cols), n = Math.min(rows, cols);
      const a = upload(rand(m * n, rows * 10 + cols));
      withBuffers([rows * cols], (y) => {
        K().orthogonal_f32(y, a, rows, cols, 1.5);
        const w = f32(y, rows * cols);
        // the smaller Gram matrix (WᵀW for tall, WWᵀ for wide) is gain²·I
        const tall = rows >= cols;
        for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += tall ? w[i * cols + p] * w[i * cols + q] : w[p * cols + i] * w[q * cols + i];
          expect(Math.abs(dot - (p === q ? 2.25 : 0)), `${rows}x${cols} gram[${p},${q}]`).toBeLessThan(1e-5);
        }
      });
      K().free(a);
    }
  });
});
