import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const shape = [3, 4, 5];
const values = rand(60, 11);
/** y times fixed weights of its shape, so that the checked sum weighs each output differently. */
const weighted = (y: nn.Tensor) => nn.mul(y, nn.tensor(rand(y.size, 3), y.shape));

describe('reductions', () => {
  const axesCases: Array<number | number[] | undefined> = [undefined, 0, 1, 2, -1, [0, 1], [1, 2], [0, 2], [2, 0], []];

  it('sum, mean, max and min match tfjs for every axis set, with and without keepDims', () => {
    const x = nn.tensor(values, shape);
    const tx = tf.tensor(values, shape);
    for (const axis of axesCases) {
      for (const keepDims of [false, true]) {
        for (const [name, ours, theirs] of [['sum', nn.sum, tf.sum], ['mean', nn.mean, tf.mean], ['max', nn.max, tf.max],
          ['min', nn.min, tf.min]] as const) {
          const y = (ours as any)(x, axis, keepDims);
          const ty = (theirs as any)(tx, axis, keepDims);
          expect(y.shape, `${name} ${axis} ${keepDims}`).toEqual(ty.shape);
          expectClose(y.dataSync(), ty.dataSync(), 1e-6, `${name}(axis=${axis}, keepDims=${keepDims})`);
          y.dispose(); ty.dispose();
        }
      }
    }
    x.dispose(); tx.dispose();
  });

  it('argMax matches tfjs along each axis and picks the first of ties', () => {
    const x = nn.tensor(values, shape);
    const tx = tf.tensor(values, shape);
    for (const axis of [0, 1, 2, -1]) {
      const y = nn.argMax(x, axis);
      const ty = tf.argMax(tx, axis);
      expect(y.shape).toEqual(ty.shape);
      expect(Array.from(y.dataSync())).toEqual(Array.from(ty.dataSync()));
    }
    const ties = nn.tensor([[1, 3, 3, 0, 3, 2, 1, 0, 3], [5, 5, 5, 5, 5, 5, 5, 5, 5]]);
    expect(Array.from(nn.argMax(ties, -1).dataSync())).toEqual([1, 0]);
    expect(Array.from(nn.argMax(ties, 0).dataSync())).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('gradients match finite differences', () => {
    const x = nn.tensor(values, shape);
    for (const axis of [undefined, 0, 1, -1, [0, 2], [1, 2]]) {
      checkGrad((t) => weighted(nn.sum(t, axis)), [x]);
      checkGrad((t) => weighted(nn.mean(t, axis, true)), [x]);
      checkGrad((t) => weighted(nn.max(t, axis)), [x]);
      checkGrad((t) => weighted(nn.min(t, axis, true)), [x]);
    }
  });

  it('gradients match tfjs (tf.grad)', () => {
    const x = nn.tensor(values, shape);
    const tx = tf.tensor(values, shape);
    const w = rand(12, 5);
    for (const [ours, theirs] of [[nn.sum, tf.sum], [nn.mean, tf.mean], [nn.max, tf.max], [nn.min, tf.min]] as const) {
      const g = nn.grad((t) => nn.mul((ours as any)(t, [0, 2]), nn.tensor(w.slice(0, 4))))(x);
      const tg = tf.grad((t: any) => tf.mul((theirs as any)(t, [0, 2]), tf.tensor(w.slice(0, 4))))(tx);
      expectClose(g.dataSync(), tg.dataSync(), 1e-6, 'grad');
    }
  });

  it('max and min send the gradient to the first extreme only', () => {
    const x = nn.tensor([[2, 7, 7], [1, 1, 0]]);
    expect(Array.from(nn.grad((t) => nn.max(t, 1))(x).dataSync())).toEqual([0, 1, 0, 1, 0, 0]);
    expect(Array.from(nn.grad((t) => nn.min(t, 0))(nn.tensor([[1, 7, 0], [1, 1, 0]])).dataSync())).toEqual([1, 0, 1, 0, 1, 0]);
  });

  it('argMin matches tfjs along each axis, first of ties; argMax and argMin default to axis 0 as tfjs', () => {
    const x = nn.tensor(values, shape);
    const tx = tf.tensor(values, shape);
    for (const axis of [0, 1, 2, -1, -3]) {
      const y = nn.argMin(x, axis);
      const ty = tf.argMin(tx, axis);
      expect(y.shape).toEqual(ty.shape);
      expect(Array.from(y.dataSync())).toEqual(Array.from(ty.dataSync()));
    }
    for (const [ours, theirs] of [[nn.argMax, tf.argMax], [nn.argMin, tf.argMin]] as const) {
      expect(Array.from((ours as any)(x).dataSync())).toEqual(Array.from((theirs as any)(tx).dataSync()));
    }
    const ties = nn.tensor([[3, 0, 1, 0, 0, 2, 0, 5, 0], [5, 5, 5, 5, 5, 5, 5, 5, 5]]);
    expect(Array.from(nn.argMin(ties, -1).dataSync())).toEqual([1, 0]);
    expect(Array.from(nn.argMin([4, 2, 9]).dataSync())).toEqual([1]);
    expect(() => nn.argMin(x, 3)).toThrow(/argMin: axis 3 is out of range for rank 3/);
    expect(() => nn.min(nn.zeros([0]))).toThrow(/min: cannot reduce an empty axis of \[0\]/);
  });

  it('long sums keep f32 precision (block sums are added in f64)', () => {
    const v = rand(200_003, 13, 0, 1);
    let exact = 0;
    for (const x of v) exact += x;
    const t = nn.tensor(v);
    expectClose(nn.sum(t).dataSync(), [exact], 1e-7, 'sum');
    expectClose(nn.mean(t).dataSync(), [exact / v.length], 1e-7, 'mean');
  });

  it('reductions are deterministic and do not leak tensors', () => {
    const x = nn.tensor(rand(1003, 9), [1003]);
    const a = nn.sum(x).dataSync()[0], b = nn.sum(x).dataSync()[0];
    expect(a).toBe(b);
    const before = nn.memory().numTensors;
    nn.tidy(() => { nn.sum(nn.tensor(values, shape), [0, 2]); nn.max(nn.tensor(values, shape), [0, 2]); });
    expect(nn.memory().numTensors).toBe(before);
  });

  it('bad axes give clear errors', () => {
    const x = nn.tensor(values, shape);
    expect(() => nn.sum(x, 3)).toThrow(/sum: axis 3 is out of range for rank 3/);
    expect(() => nn.mean(x, [1, -2])).toThrow(/mean: axis \[1,-2\] repeats an axis of \[3,4,5\]/);
    expect(() => nn.max(x, 1.5)).toThrow(/max: axis 1.5 is out of range/);
    expect(() => nn.argMax(x, -4)).toThrow(/argMax: axis -4 is out of range for rank 3/);
    expect(() => nn.max(nn.zeros([2, 0]), 1)).toThrow(/max: cannot reduce an empty axis of \[2,0\]/);
  });
});
