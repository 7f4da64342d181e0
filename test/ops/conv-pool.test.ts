// maxPool / avgPool ops: forward and gradients against tfjs-core (cpu backend), including
// overlapping windows (stride < pool size, where max-pool backward scatters into shared cells)
// and 'same' edges (average over the real cells only), plus finite-difference checks.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

/** Distinct values (a shuffled ramp), so that no window has a tie and finite differences never cross a max switch. */
function distinct(n: number, seed: number): Float32Array {
  const r = rand(n, seed);
  const order = Array.from(r.keys()).sort((a, b) => r[a] - r[b]);
  const out = new Float32Array(n);
  order.forEach((i, rank) => { out[i] = rank * 0.05 - n * 0.025; });
  return out;
}

const CASES: Array<[number[], [number, number], [number, number]]> = [
  [[2, 6, 6, 3], [2, 2], [2, 2]],
  [[1, 7, 5, 6], [3, 3], [1, 1]],   // overlapping windows
  [[2, 7, 8, 5], [3, 2], [2, 1]],
  [[1, 5, 9, 4], [2, 3], [3, 2]],   // gaps between windows
  [[1, 4, 4, 1], [1, 1], [1, 1]],
];

describe('maxPool and avgPool match tfjs', () => {
  for (const op of ['maxPool', 'avgPool'] as const) {
    for (const pad of ['valid', 'same'] as const) {
      it(`${op} ${pad}: forward and dx`, () => {
        let seed = 1;
        for (const [shape, size, strides] of CASES) {
          const v = distinct(shape.reduce((a, b) => a * b), seed++);
          const x = nn.tensor(v, shape), tx = tf.tensor4d(v, shape as any);
          const y = (nn as any)[op](x, size, strides, pad), ty = (tf as any)[op](tx, size, strides, pad);
          const what = `${op} ${shape} size ${size} strides ${strides} ${pad}`;
          expect(y.shape, what).toEqual(ty.shape);
          expectClose(y.dataSync(), ty.dataSync(), 1e-6, what);
          const w = rand(y.size, seed++);
          const [gx] = nn.grads((a: any) => nn.mul((nn as any)[op](a, size, strides, pad), nn.tensor(w, y.shape)))([x]);
          // tfjs' AvgPoolGrad divides by the full window (kh·kw) even where its forward averaged
          // fewer real cells at 'same' edges, so its gradient is not the derivative of its own
          // forward there: those cases are held by the finite-difference checks below instead.
          if (op === 'avgPool' && pad === 'same') continue;
          const tgx = tf.grad((a: any) => tf.sum(tf.mul((tf as any)[op](a, size, strides, pad), tf.tensor(w, ty.shape))))(tx);
          expectClose(gx.dataSync(), tgx.dataSync(), 1e-6, `d${what}`);
        }
      });
    }
  }

  it('takes rank-3 (unbatched) input', () => {
    const v = distinct(5 * 4 * 3, 9);
    expectClose(nn.maxPool(nn.tensor(v, [5, 4, 3]), 2, 1, 'same').dataSync(),
      tf.maxPool(tf.tensor3d(v, [5, 4, 3]), 2, 1, 'same').dataSync(), 0);
  });
});

describe('pooling gradients pass finite-difference checks', () => {
  for (const op of ['maxPool', 'avgPool'] as const) {
    it(op, () => {
      let seed = 50;
      for (const [shape, size, strides] of CASES) {
        for (const pad of ['valid', 'same'] as const) {
          const x = nn.tensor(distinct(shape.reduce((a, b) => a * b), seed++), shape);
          const y = (nn as any)[op](x, size, strides, pad);
          const w = nn.tensor(rand(y.size, seed++), y.shape);
          checkGrad((a) => nn.mul((nn as any)[op](a, size, strides, pad), w), [x]);
        }
      }
    });
  }

  it('avgPool at same edges divides by the real cells only', () => {
    const y = nn.avgPool(nn.ones([1, 3, 3, 1]), 2, 2, 'same');
    expect(Array.from(y.dataSync())).toEqual([1, 1, 1, 1]);
  });
});

describe('pool ops refuse bad input clearly', () => {
  it('window larger than the input, bad rank, bad sizes; memory unchanged', () => {
    const x = nn.zeros([1, 3, 3, 2]), x2 = nn.zeros([3, 3]);
    const before = nn.memory();
    expect(() => nn.maxPool(x, 4, 1, 'valid')).toThrow(/maxPool .*height: the kernel \(size 4\) is larger than the input \(size 3\)/);
    expect(() => nn.avgPool(x2, 2, 1, 'valid')).toThrow(/avgPool: expected an input of rank 3 or 4, got \[3,3\]/);
    expect(() => nn.maxPool(x, [2, 0] as any, 1, 'valid')).toThrow(/maxPool: filterSize must be a positive integer/);
    expect(() => nn.maxPool(x, 2, 1, 'valid', 'ceil')).toThrow(/dimRoundingMode/);
    expect(nn.memory()).toEqual(before);
  });
});
