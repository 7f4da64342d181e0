// where, clipByValue and topk against tfjs-core (cpu), with gradients and errors.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const size = (s: readonly number[]) => s.reduce((a, d) => a * d, 1);
const weighted = (y: nn.Tensor) => nn.mul(y, nn.tensor(rand(y.size, 77), y.shape));
/** 0/1 values for a condition. */
const bits = (n: number, seed: number) => Float32Array.from(rand(n, seed), (v) => (v > 0 ? 1 : 0));

describe('where', () => {
  // [condition, a, b] shapes: all equal, condition broadcast, a/b broadcast against each other.
  const CASES: Array<[number[], number[], number[]]> = [
    [[3, 4], [3, 4], [3, 4]], [[4], [3, 4], [3, 4]], [[3, 1], [3, 4], [3, 4]], [[3, 4], [4], [3, 4]],
    [[3, 4], [3, 4], []], [[], [2, 3], [2, 3]], [[2, 1, 3], [4, 1], [1]],
  ];

  it('matches tfjs, broadcasting the three operands', () => {
    for (const [sc, sa, sb] of CASES) {
      const c = bits(size(sc), size(sc) + 1), a = rand(size(sa), 2), b = rand(size(sb), 3);
      const y = nn.where(nn.tensor(c, sc), nn.tensor(a, sa), nn.tensor(b, sb));
      const ty = tf.where(tf.tensor(c, sc, 'bool'), tf.tensor(a, sa), tf.tensor(b, sb));
      expect(y.shape, `${sc} ${sa} ${sb}`).toEqual(ty.shape);
      expectClose(y.dataSync(), ty.dataSync(), 0, `where ${sc} ${sa} ${sb}`);
    }
  });

  it('any nonzero condition is true (a comparison result is the usual condition)', () => {
    const x = nn.tensor([-2, 0.5, 3, 0]);
    expect(Array.from(nn.where(nn.greater(x, 0), x, nn.neg(x)).dataSync())).toEqual([2, 0.5, 3, -0]);
    expect(Array.from(nn.where([0, -1, 2, NaN], 1, 0).dataSync())).toEqual([0, 1, 1, 1]);
  });

  it('gradients go to a where the condition holds and to b elsewhere, summed over broadcast axes', () => {
    for (const [sc, sa, sb] of CASES) {
      const c = nn.tensor(bits(size(sc), 9 + size(sc)), sc);
      const a = nn.tensor(rand(size(sa), 4), sa), b = nn.tensor(rand(size(sb), 5), sb);
      checkGrad((p, q) => weighted(nn.where(c, p, q)), [a, b]);
    }
    const [ga, gb] = nn.grads((p, q) => nn.where([1, 0, 1], p, q))([nn.tensor([1, 2, 3]), nn.tensor([4, 5, 6])]);
    expect(Array.from(ga.dataSync())).toEqual([1, 0, 1]);
    expect(Array.from(gb.dataSync())).toEqual([0, 1, 0]);
  });

  it('shapes that do not broadcast are refused, leaving memory as it was', () => {
    const a = nn.zeros([2, 3]), b = nn.zeros([3, 2]);
    const before = nn.memory();
    expect(() => nn.where(a, a, b)).toThrow(/where: shapes \[2,3\] and \[3,2\] cannot be broadcast together/);
    expect(() => nn.where([1, 0], a, a)).toThrow(/where: shapes \[2\] and \[2,3\] cannot be broadcast/);
    expect(nn.memory().numTensors).toBe(before.numTensors);
    expect(nn.memory().numBytes).toBe(before.numBytes);
  });
});

describe('clipByValue', () => {
  it('matches tfjs, NaN included', () => {
    const v = [...rand(13, 1, -3, 3), NaN, -1, 1];
    const y = nn.clipByValue(v, -1, 1), ty = tf.clipByValue(v, -1, 1);
    const out = y.dataSync(), want = ty.dataSync();
    expect(Number.isNaN(out[13])).toBe(true);
    expectClose(out.filter((_, i) => i !== 13), want.filter((_, i) => i !== 13), 0, 'clip');
  });

  it('passes the gradient inside [min, max] (bounds included, as tfjs)', () => {
    checkGrad((t) => weighted(nn.clipByValue(t, -0.5, 0.25)), [nn.tensor(rand(17, 6), [17])]);
    const v = [-2, -1, 0, 1, 2];
    const g = nn.grad((t) => nn.clipByValue(t, -1, 1))(nn.tensor(v));
    const tg = tf.grad((t: any) => tf.clipByValue(t, -1, 1))(tf.tensor(v));
    expect(Array.from(g.dataSync())).toEqual(Array.from(tg.dataSync()));
  });

  it('refuses min > max', () => {
    expect(() => nn.clipByValue([1], 2, 1)).toThrow(/clipByValue: needs numbers min <= max \(got 2 and 1\)/);
  });
});

describe('topk', () => {
  it('values and indices match tfjs for several shapes and k, ties by position', () => {
    for (const [shape, k] of [[[10], 3], [[4, 9], 1], [[2, 3, 17], 5], [[3, 6], 6], [[5], 0]] as const) {
      const v = Float32Array.from(rand(size(shape), size(shape)), (x) => Math.round(x * 4) / 4); // ties
      const { values, indices } = nn.topk(nn.tensor(v, shape), k);
      const t = tf.topk(tf.tensor(v, shape as unknown as number[]), k);
      expect(values.shape).toEqual(t.values.shape);
      expectClose(values.dataSync(), t.values.dataSync(), 0, `values ${shape} k=${k}`);
      expect(Array.from(indices.dataSync()), `indices ${shape} k=${k}`).toEqual(Array.from(t.indices.dataSync()));
    }
  });

  it('defaults to k = 1; sorted=false still returns the sorted order', () => {
    const { values, indices } = nn.topk([3, 9, 1, 9]);
    expect(Array.from(values.dataSync())).toEqual([9]);
    expect(Array.from(indices.dataSync())).toEqual([1]);
    expect(Array.from(nn.topk([1, 5, 3], 2, false).values.dataSync())).toEqual([5, 3]);
  });

  it('the values carry a gradient back to the picked positions, even with the indices disposed', () => {
    checkGrad((t) => weighted(nn.topk(t, 3).values), [nn.tensor(rand(14, 12), [2, 7])]);
    const g = nn.grad((t) => { const { values, indices } = nn.topk(t, 2); indices.dispose(); return values; })(nn.tensor([1, 5, 3]));
    expect(Array.from(g.dataSync())).toEqual([0, 1, 1]);
  });

  it('bad k is refused', () => {
    expect(() => nn.topk([1, 2, 3], 4)).toThrow(/topk: k must be an integer in \[0, 3\] for \[3\] \(got 4\)/);
    expect(() => nn.topk([1, 2, 3], 1.5)).toThrow(/topk: k must be an integer/);
    expect(() => nn.topk(nn.scalar(1))).toThrow(/topk: x must have at least one axis/);
  });
});
