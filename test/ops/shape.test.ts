import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const values = rand(60, 21);

describe('shape ops', () => {
  it('reshape keeps the elements and infers one -1', () => {
    const x = nn.tensor(values, [3, 4, 5]);
    const y = nn.reshape(x, [5, -1]);
    expect(y.shape).toEqual([5, 12]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    checkGrad((t) => nn.mul(nn.reshape(t, [12, 5]), nn.tensor(rand(60, 2), [12, 5])), [x]);
    expect(() => nn.reshape(x, [7, -1])).toThrow(/reshape: cannot reshape \[3,4,5\] \(60 elements\) into \[7,-1\]/);
    expect(() => nn.reshape(x, [-1, -1])).toThrow(/reshape: invalid target shape \[-1,-1\]/);
    expect(() => nn.reshape(x, [2, 3])).toThrow(/into \[2,3\] \(6 elements\)/);
  });

  it('transpose matches tfjs for every permutation of a rank-3 tensor, and its gradient', () => {
    const x = nn.tensor(values, [3, 4, 5]);
    const tx = tf.tensor(values, [3, 4, 5]);
    const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0], undefined];
    const w = rand(60, 4);
    for (const perm of perms) {
      const y = nn.transpose(x, perm);
      const ty = tf.transpose(tx, perm);
      expect(y.shape).toEqual(ty.shape);
      expect(Array.from(y.dataSync())).toEqual(Array.from(ty.dataSync()));
      const g = nn.grad((t) => nn.mul(nn.transpose(t, perm), nn.tensor(w, ty.shape)))(x);
      const tg = tf.grad((t: any) => tf.mul(tf.transpose(t, perm), tf.tensor(w, ty.shape)))(tx);
      expectClose(g.dataSync(), tg.dataSync(), 0, 'transpose grad');
    }
    checkGrad((t) => nn.mul(nn.transpose(t, [2, 0, 1]), nn.tensor(w, [5, 3, 4])), [x]);
    checkGrad((t) => nn.mul(nn.transpose(t, [0, 2, 1]), nn.tensor(w, [3, 5, 4])), [x]);
    // a matrix with both sides off the 4×4 blocks
    const m = rand(9 * 13, 8);
    expect(Array.from(nn.transpose(nn.tensor(m, [9, 13])).dataSync())).toEqual(Array.from(tf.transpose(tf.tensor(m, [9, 13])).dataSync()));
    expect(() => nn.transpose(x, [0, 0, 1])).toThrow(/transpose: perm \[0,0,1\] is not a permutation of the axes of \[3,4,5\]/);
  });

  it('slice matches tfjs, size -1 runs to the end, gradient scatters back', () => {
    const x = nn.tensor(values, [3, 4, 5]);
    const tx = tf.tensor(values, [3, 4, 5]);
    const cases: Array<[number[], number[]]> = [[[0, 0, 0], [3, 4, 5]], [[1, 1, 2], [2, 2, 3]], [[0, 2, 0], [-1, -1, 1]], [[2, 3, 4], [1, 1, 1]], [[1, 0, 0], [0, 4, 5]]];
    for (const [b, s] of cases) {
      const y = nn.slice(x, b, s);
      const ty = tf.slice(tx, b, s);
      expect(y.shape).toEqual(ty.shape);
      expect(Array.from(y.dataSync())).toEqual(Array.from(ty.dataSync()));
      const w = rand(y.size, 7);
      const g = nn.grad((t) => nn.mul(nn.slice(t, b, s), nn.tensor(w, y.shape)))(x);
      const tg = tf.grad((t: any) => tf.mul(tf.slice(t, b, s), tf.tensor(w, ty.shape)))(tx);
      expect(Array.from(g.dataSync())).toEqual(Array.from(tg.dataSync()));
    }
    checkGrad((t) => nn.slice(t, [1, 1, 1], [2, -1, 3]), [x]);
    expect(() => nn.slice(x, [2, 0, 0], [2, 1, 1])).toThrow(/slice: begin \[2,0,0\] and size \[2,1,1\] do not fit in \[3,4,5\] \(axis 0\)/);
    expect(() => nn.slice(x, [0, 0, 0, 0], [1])).toThrow(/slice: .* more entries than the rank of \[3,4,5\]/);
  });

  it('concat matches tfjs along each axis, with gradients to every input', () => {
    const a = rand(24, 1), b = rand(36, 2), c = rand(12, 3);
    const cases: Array<[number, number[][]]> = [[0, [[2, 3, 4], [3, 3, 4], [1, 3, 4]]], [1, [[2, 2, 3], [2, 3, 3], [2, 1, 3]]], [-1, [[2, 3, 4], [2, 3, 6], [2, 3, 2]]]];
    for (const [axis, shapes] of cases) {
      const xs = [a, b, c].map((v, i) => nn.tensor(v.slice(0, shapes[i].reduce((p, d) => p * d, 1)), shapes[i]));
      const txs = xs.map((t) => tf.tensor(t.dataSync(), t.shape));
      const y = nn.concat(xs, axis);
      const ty = tf.concat(txs, axis);
      expect(y.shape).toEqual(ty.shape);
      expect(Array.from(y.dataSync())).toEqual(Array.from(ty.dataSync()));
      const w = nn.tensor(rand(y.size, 9), y.shape);
      checkGrad((p, q, r) => nn.mul(nn.concat([p, q, r], axis), w), xs);
    }
    const x = nn.tensor(values.slice(0, 6), [2, 3]);
    checkGrad((t) => nn.concat([t, t], 0), [x]);
    expect(() => nn.concat([x, nn.zeros([3, 3])], 1)).toThrow(/concat: shapes must match except along axis 1 \(got \[2,3\] and \[3,3\]\)/);
    expect(() => nn.concat([x, x], 2)).toThrow(/concat: axis 2 is out of range for rank 2/);
    expect(() => nn.concat([])).toThrow(/concat: needs at least one tensor/);
  });

  it('gatherRows picks rows in order and scatter-adds repeated rows in the gradient', () => {
    const x = nn.tensor(values.slice(0, 20), [5, 2, 2]);
    const idx = new Int32Array([4, 0, 4, 2]);
    const y = nn.gatherRows(x, idx);
    expect(y.shape).toEqual([4, 2, 2]);
    const ty = tf.gather(tf.tensor(values.slice(0, 20), [5, 2, 2]), Array.from(idx));
    expect(Array.from(y.dataSync())).toEqual(Array.from(ty.dataSync()));
    checkGrad((t) => nn.mul(nn.gatherRows(t, idx), nn.tensor(rand(16, 5), [4, 2, 2])), [x]);
    const g = nn.grad((t) => nn.gatherRows(t, idx))(x);
    expect(Array.from(g.dataSync())).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 2, 2, 2, 2]);
    expect(() => nn.gatherRows(x, [0, 5])).toThrow(/gatherRows: index 5 at position 1 is out of range for \[5,2,2\]/);
    expect(() => nn.gatherRows(x, [-1])).toThrow(/gatherRows: index -1/);
  });
});

describe('reshape and flatten are views', () => {
  const counts = () => { const m = nn.memory(); return { numTensors: m.numTensors, numBytes: m.numBytes }; };

  it('share memory with their input: one more tensor, no more bytes', () => {
    const x = nn.tensor(values, [3, 4, 5]);
    const before = counts();
    const y = nn.reshape(x, [5, 12]);
    expect(y.ptr).toBe(x.ptr);
    expect(counts()).toEqual({ numTensors: before.numTensors + 1, numBytes: before.numBytes });
    const f = nn.layers.flatten().apply(x) as nn.Tensor;
    expect(f.shape).toEqual([3, 20]);
    expect(f.ptr).toBe(x.ptr);
    const r = nn.layers.reshape({ targetShape: [2, 10] }).apply(x) as nn.Tensor;
    expect(r.ptr).toBe(x.ptr);
    expect(counts()).toEqual({ numTensors: before.numTensors + 3, numBytes: before.numBytes });
    for (const t of [y, f, r]) t.dispose();
    expect(counts()).toEqual(before);
    expect(Array.from(x.dataSync())).toEqual(Array.from(values));
    x.dispose();
  });

  it('disposing the view leaves the base; disposing the base first keeps the memory until the view goes', () => {
    const start = counts();
    const x = nn.tensor(values, [3, 4, 5]);
    const y = nn.reshape(x, [60]);
    const z = nn.reshape(y, [6, 10]); // a view of a view
    x.dispose();
    expect(() => x.dataSync()).toThrow(/disposed/);
    expect(counts()).toEqual({ numTensors: start.numTensors + 2, numBytes: start.numBytes + 240 });
    // If x's memory had been freed, these same-size allocations would reuse and overwrite it.
    const others = [0, 1, 2].map(() => nn.fill([60], -1));
    expect(Array.from(y.dataSync())).toEqual(Array.from(values));
    expect(Array.from(z.dataSync())).toEqual(Array.from(values));
    y.dispose();
    y.dispose(); // twice is harmless
    expect(counts()).toEqual({ numTensors: start.numTensors + 4, numBytes: start.numBytes + 4 * 240 });
    expect(Array.from(z.dataSync())).toEqual(Array.from(values));
    z.dispose();
    expect(counts()).toEqual({ numTensors: start.numTensors + 3, numBytes: start.numBytes + 3 * 240 });
    for (const o of others) o.dispose();
    expect(counts()).toEqual(start);
  });

  it('a view returned from tidy outlives the base tidy disposes', () => {
    const start = counts();
    const y = nn.tidy(() => nn.reshape(nn.tensor(values, [3, 4, 5]), [4, 15]));
    expect(counts()).toEqual({ numTensors: start.numTensors + 1, numBytes: start.numBytes + 240 });
    nn.fill([60], 0).dispose();
    const keep = nn.fill([60], 7);
    expect(Array.from(y.dataSync())).toEqual(Array.from(values));
    y.dispose();
    keep.dispose();
    expect(counts()).toEqual(start);
  });

  it('the gradient flows through views, also when the base is used beside them', () => {
    const x = nn.tensor(values, [3, 4, 5]);
    const w = nn.tensor(rand(60, 3), [60]);
    const start = counts();
    // f(x) = Σ x·reshape(x) + Σ w·flatten(x): df/dx = 2x + w
    const g = nn.grad((t) => nn.add(nn.sum(nn.mul(t, nn.reshape(t, [3, 4, 5]))),
      nn.sum(nn.mul(w, nn.reshape(nn.layers.flatten().apply(t) as nn.Tensor, [60])))))(x);
    const want = Float32Array.from(values, (v, i) => 2 * v + w.dataSync()[i]);
    expectClose(g.dataSync(), want, 1e-6, 'grad through views');
    g.dispose();
    expect(counts()).toEqual(start);
    checkGrad((t) => nn.mul(nn.layers.flatten().apply(nn.reshape(t, [3, 20])) as nn.Tensor, nn.tensor(rand(60, 5), [3, 20])), [x]);
    x.dispose(); w.dispose();
  });
});
