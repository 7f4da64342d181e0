// logSumExp, moments, norm (composed from other ops) and reverse, against tfjs-core (cpu), with
// gradients.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const values = rand(24, 31, -3, 3);
const shape = [2, 3, 4];
const weighted = (y: nn.Tensor) => nn.mul(y, nn.tensor(rand(y.size, 77), y.shape));
const AXES: Array<number | number[] | undefined> = [undefined, 0, -1, [0, 2], [1]];

describe('composed reductions', () => {
  it('logSumExp matches tfjs for several axes, with and without keepDims, and stays finite for large inputs', () => {
    const x = nn.tensor(values, shape), tx = tf.tensor(values, shape);
    for (const axis of AXES) for (const keepDims of [false, true]) {
      const y = nn.logSumExp(x, axis, keepDims), ty = tf.logSumExp(tx, axis, keepDims);
      expect(y.shape).toEqual(ty.shape);
      expectClose(y.dataSync(), ty.dataSync(), 1e-6, `logSumExp ${axis} ${keepDims}`);
    }
    expectClose(nn.logSumExp([1000, 1000]).dataSync(), [1000 + Math.LN2], 1e-7, 'large');
  });

  it('moments match tf.moments', () => {
    const x = nn.tensor(values, shape), tx = tf.tensor(values, shape);
    for (const axis of AXES) for (const keepDims of [false, true]) {
      const { mean, variance } = nn.moments(x, axis, keepDims), t = tf.moments(tx, axis, keepDims);
      expect([mean.shape, variance.shape]).toEqual([t.mean.shape, t.variance.shape]);
      expectClose(mean.dataSync(), t.mean.dataSync(), 1e-6, `mean ${axis}`);
      expectClose(variance.dataSync(), t.variance.dataSync(), 1e-6, `variance ${axis}`);
    }
  });

  it('norm matches tf.norm for each vector ord', () => {
    const x = nn.tensor(values, shape), tx = tf.tensor(values, shape);
    for (const ord of ['euclidean', 1, 2, Infinity, -Infinity] as const) for (const axis of [undefined, 0, -1]) {
      const y = nn.norm(x, ord, axis), ty = tf.norm(tx, ord, axis);
      expect(y.shape).toEqual(ty.shape);
      expectClose(y.dataSync(), ty.dataSync(), 1e-6, `norm ${ord} ${axis}`);
    }
    expectClose(nn.norm(x, 'fro', [1, 2], true).dataSync(), tf.norm(tx, 'fro', [1, 2], true).dataSync(), 1e-6, 'fro');
    expect(() => nn.norm(x, 1, [0, 1])).toThrow(/norm: matrix norms other than 'fro'\/'euclidean' are not supported/);
    expect(() => nn.norm(x, 3 as any)).toThrow(/norm: ord must be/);
  });

  it('gradients by finite differences', () => {
    const x = nn.tensor(values, shape);
    for (const axis of [undefined, 1, [0, 2]]) {
      checkGrad((t) => weighted(nn.logSumExp(t, axis)), [x]);
      checkGrad((t) => { const m = nn.moments(t, axis); return nn.add(weighted(m.mean), weighted(m.variance)); }, [x]);
      checkGrad((t) => weighted(nn.norm(t, 'euclidean', axis)), [x]);
      if (!Array.isArray(axis)) checkGrad((t) => weighted(nn.norm(t, 1, axis)), [x]);
    }
  });

  it('outside a tape the intermediates are freed', () => {
    const x = nn.tensor(values, shape);
    const before = nn.memory().numTensors;
    const outs = [nn.logSumExp(x, 1), nn.norm(x), nn.norm(x, Infinity, 0), ...Object.values(nn.moments(x, [0, 1]))];
    expect(nn.memory().numTensors).toBe(before + outs.length);
    nn.dispose(outs);
  });
});

describe('reverse', () => {
  it('matches tfjs along any set of axes', () => {
    const x = nn.tensor(values, shape), tx = tf.tensor(values, shape);
    for (const axis of [undefined, 0, 1, -1, [0, 2], [2, 1, 0], [-1, 0]]) {
      const y = nn.reverse(x, axis), ty = tf.reverse(tx, axis);
      expect(y.shape).toEqual(ty.shape);
      expectClose(y.dataSync(), ty.dataSync(), 0, `reverse ${axis}`);
    }
    expect(Array.from(nn.reverse([1, 2, 3]).dataSync())).toEqual([3, 2, 1]);
    expect(() => nn.reverse(x, 3)).toThrow(/reverse: axis 3 is out of range for rank 3/);
    expect(() => nn.reverse(x, [1, -2])).toThrow(/reverse: axis \[1,-2\] repeats an axis of \[2,3,4\]/);
  });

  it('gradient reverses back', () => {
    checkGrad((t) => weighted(nn.reverse(t, [0, 2])), [nn.tensor(values, shape)]);
  });
});
