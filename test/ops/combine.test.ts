// stack, unstack, split, tile, pad, broadcastTo, squeeze, expandDims and gather against tfjs-core
// (cpu), with central-difference gradient checks and the errors for bad arguments.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const values = rand(24, 3);
const shape = [2, 3, 4];

/** Same shape and values as the tfjs result. */
function same(y: nn.Tensor, ty: any, what: string): void {
  expect(y.shape, what).toEqual(ty.shape);
  expectClose(y.dataSync(), ty.dataSync(), 0, what);
}

/** y times fixed weights of its shape: the checked sum then weighs each output differently. */
const weighted = (y: nn.Tensor) => nn.mul(y, nn.tensor(rand(y.size, 77), y.shape));

describe('joining and cutting', () => {
  it('stack and unstack along every axis match tfjs', () => {
    const parts = [0, 1, 2].map((i) => rand(12, 10 + i));
    for (const axis of [0, 1, 2, -1]) {
      same(nn.stack(parts.map((p) => nn.tensor(p, [3, 4])), axis), tf.stack(parts.map((p) => tf.tensor(p, [3, 4])), axis), `stack ${axis}`);
    }
    const x = nn.tensor(values, shape), tx = tf.tensor(values, shape);
    for (const axis of [0, 1, 2, -2]) {
      const ys = nn.unstack(x, axis), tys = tf.unstack(tx, axis);
      expect(ys.length).toBe(tys.length);
      ys.forEach((y, i) => same(y, tys[i], `unstack ${axis}[${i}]`));
    }
    same(nn.stack([nn.scalar(1), nn.scalar(2)]), tf.stack([tf.scalar(1), tf.scalar(2)]), 'stack of scalars');
  });

  it('split into equal pieces or by sizes (with -1) matches tfjs', () => {
    const x = nn.tensor(values, shape), tx = tf.tensor(values, shape);
    const cases: Array<[number | number[], number]> = [[2, 0], [3, 1], [[1, 2], 1], [[1, -1, 2], 2], [4, -1], [[3, 1], -1]];
    for (const [how, axis] of cases) {
      const ys = nn.split(x, how, axis), tys = tf.split(tx, how, axis);
      expect(ys.length).toBe(tys.length);
      ys.forEach((y, i) => same(y, tys[i], `split ${how} axis ${axis} [${i}]`));
    }
  });

  it('gradients: stack, unstack, split', () => {
    const a = nn.tensor(rand(6, 1), [2, 3]), b = nn.tensor(rand(6, 2), [2, 3]);
    checkGrad((p, q) => weighted(nn.stack([p, q, p], 1)), [a, b]);
    const x = nn.tensor(values, shape);
    checkGrad((t) => { const [u, , w] = nn.unstack(t, 1); return nn.add(weighted(u), nn.mul(w, 3)); }, [x]);
    checkGrad((t) => { const [u, v] = nn.split(t, [1, 3], 2); return nn.add(nn.sum(weighted(u)), nn.sum(weighted(v))); }, [x]);
  });

  it('errors name the op and the shapes', () => {
    const x = nn.tensor(values, shape);
    const before = nn.memory().numTensors;
    expect(() => nn.stack([x, nn.zeros([2, 3])])).toThrow(/stack: all tensors must have the same shape \(got \[2,3,4\] and \[2,3\]\)/);
    expect(() => nn.stack([])).toThrow(/stack: needs at least one tensor/);
    expect(() => nn.split(x, 3, 2)).toThrow(/split: 3 pieces do not evenly divide axis 2 of \[2,3,4\]/);
    expect(() => nn.split(x, [1, 1], 1)).toThrow(/split: sizes \[1,1\] do not add up to axis 1 of \[2,3,4\] \(3\)/);
    expect(() => nn.unstack(x, 3)).toThrow(/unstack: axis 3 is out of range for rank 3/);
    expect(nn.memory().numTensors).toBe(before + 1); // only the zeros([2, 3]) made in the call
  });
});

describe('repeating and padding', () => {
  it('tile matches tfjs, including reps of 1 and 0', () => {
    const x = nn.tensor(values, shape), tx = tf.tensor(values, shape);
    for (const reps of [[1, 1, 1], [2, 1, 3], [1, 2, 1], [3, 2, 2], [1, 0, 2]]) same(nn.tile(x, reps), tf.tile(tx, reps), `tile ${reps}`);
    same(nn.tile(nn.tensor([1, 2, 3]), [3]), tf.tile(tf.tensor([1, 2, 3]), [3]), 'tile 1-D');
  });

  it('pad matches tfjs with a constant value', () => {
    const x = nn.tensor(values, shape), tx = tf.tensor(values, shape);
    const cases: Array<[number, number][]> = [[[0, 0], [0, 0], [0, 0]], [[1, 0], [0, 2], [3, 1]], [[0, 1], [1, 1], [0, 0]]];
    for (const p of cases) {
      same(nn.pad(x, p), tf.pad(tx, p), `pad ${JSON.stringify(p)}`);
      same(nn.pad(x, p, -2.5), tf.pad(tx, p, -2.5), `pad ${JSON.stringify(p)} value`);
    }
  });

  it('broadcastTo matches tfjs', () => {
    const cases: Array<[number[], number[]]> = [[[3], [2, 3]], [[2, 1], [2, 4]], [[1, 3, 1], [2, 3, 4]], [[], [2, 2]]];
    for (const [from, to] of cases) {
      const v = rand(from.reduce((a, d) => a * d, 1), 4);
      same(nn.broadcastTo(nn.tensor(v, from), to), tf.broadcastTo(tf.tensor(v, from), to), `broadcastTo ${from} → ${to}`);
    }
  });

  it('gradients: tile sums the copies, pad drops the border, broadcastTo sums the broadcast axes', () => {
    const x = nn.tensor(rand(6, 8), [2, 3]);
    checkGrad((t) => weighted(nn.tile(t, [2, 3])), [x]);
    checkGrad((t) => weighted(nn.pad(t, [[1, 2], [0, 1]], 4)), [x]);
    checkGrad((t) => weighted(nn.broadcastTo(nn.reshape(t, [2, 1, 3]), [2, 4, 3])), [x]);
    const g = nn.grad((t) => nn.tile(t, [2, 3]))(x);
    expect(Array.from(g.dataSync())).toEqual(new Array(6).fill(6));
  });

  it('bad reps, paddings and targets are refused', () => {
    const x = nn.tensor(values, shape);
    expect(() => nn.tile(x, [2, 2])).toThrow(/tile: reps \[2,2\] must be 3 non-negative integers, one per axis of \[2,3,4\]/);
    expect(() => nn.pad(x, [[1, 1], [1, 1]])).toThrow(/pad: paddings \[\[1,1\],\[1,1\]\] must be 3 pairs/);
    expect(() => nn.pad(x, [[1, 1], [1, -1], [0, 0]])).toThrow(/pad: paddings/);
    expect(() => nn.broadcastTo(x, [3, 4])).toThrow(/broadcastTo: cannot broadcast \[2,3,4\] to \[3,4\]/);
    expect(() => nn.broadcastTo(x, [2, 5, 4])).toThrow(/broadcastTo: shapes \[2,3,4\] and \[2,5,4\] cannot be broadcast/);
  });
});

describe('axes and indices', () => {
  it('squeeze and expandDims match tfjs', () => {
    const x = nn.tensor(values, [1, 2, 1, 3, 4, 1]), tx = tf.tensor(values, [1, 2, 1, 3, 4, 1]);
    same(nn.squeeze(x), tf.squeeze(tx), 'squeeze all');
    for (const axis of [[0], [2, 5], [-1]]) same(nn.squeeze(x, axis), tf.squeeze(tx, axis), `squeeze ${axis}`);
    const y = nn.tensor(values, shape), ty = tf.tensor(values, shape);
    for (const axis of [0, 1, 3, -1, -4]) same(nn.expandDims(y, axis), tf.expandDims(ty, axis), `expandDims ${axis}`);
    expect(() => nn.squeeze(x, 1)).toThrow(/squeeze: axis 1 of \[1,2,1,3,4,1\] has size 2, not 1/);
    expect(() => nn.expandDims(y, 4)).toThrow(/expandDims: axis 4 is out of range for rank 4/);
    checkGrad((t) => weighted(nn.squeeze(nn.expandDims(t, 1))), [y]);
  });

  it('gather along each axis, with index tensors of any shape, matches tfjs', () => {
    const x = nn.tensor(values, shape), tx = tf.tensor(values, shape);
    for (const [idx, axis] of [[[1, 0, 1], 0], [[2, 0], 1], [[3, 3, 0, 1], 2], [[[0, 2], [1, 1]], -1], [[], 1]] as const) {
      const ti = tf.tensor(idx as any, undefined, 'int32');
      same(nn.gather(x, idx as any, axis), tf.gather(tx, ti, axis), `gather ${JSON.stringify(idx)} axis ${axis}`);
    }
    same(nn.gather(x, nn.tensor([1, 0]), 0), tf.gather(tx, [1, 0], 0), 'gather with a float tensor of indices');
    same(nn.gather(x, Int32Array.from([2, 1]), 1), tf.gather(tx, [2, 1], 1), 'gather with an Int32Array');
  });

  it('gather gradients scatter-add into repeated positions', () => {
    const x = nn.tensor(values, shape);
    checkGrad((t) => weighted(nn.gather(t, [2, 0, 2], 1)), [x]);
    checkGrad((t) => weighted(nn.gather(t, [[3, 1], [1, 1]], 2)), [x]);
    const g = nn.grad((t) => nn.gather(t, [2, 0, 2], 1))(x);
    const tg = tf.grad((t: any) => tf.gather(t, [2, 0, 2], 1))(tf.tensor(values, shape));
    expectClose(g.dataSync(), tg.dataSync(), 0, 'grad vs tfjs');
  });

  it('out-of-range or fractional indices are refused', () => {
    const x = nn.tensor(values, shape);
    expect(() => nn.gather(x, [0, 3], 1)).toThrow(/gather: index 3 at position 1 is out of range for axis 1 of \[2,3,4\]/);
    expect(() => nn.gather(x, [0.5], 0)).toThrow(/gather: index 0.5 at position 0 is out of range/);
    expect(() => nn.gather(x, [-1], 0)).toThrow(/gather: index -1/);
    expect(() => nn.gather(nn.scalar(1), [0])).toThrow(/gather: x must have at least one axis/);
    expect(() => nn.gather(x, [0], 1, 1)).toThrow(/gather: batchDims other than 0 is not supported \(got 1\)/);
  });
});

describe('memory', () => {
  it('ops given plain arrays free the tensors they make from them, on success and on refusal', () => {
    const calls: Array<() => unknown> = [
      () => nn.tile([1, 2, 3], [2]), () => nn.tile([1, 2, 3], [2, 2]), () => nn.stack([[1, 2], [3, 4]]),
      () => nn.stack([[1, 2], [3]]), () => nn.concat([[1, 2], [3]]), () => nn.unstack([[1, 2, 3]]),
      () => nn.split([[1, 2, 3]], 3, 1), () => nn.pad([1, 2], [[1, 1]]), () => nn.broadcastTo([1, 2], [2, 2]),
      () => nn.squeeze([[1, 2, 3]]), () => nn.expandDims([1, 2]), () => nn.gather([1, 2, 3], [2, 0]),
      () => nn.gather([1, 2, 3], [5]), () => nn.reshape([1, 2, 3], [3, 1]), () => nn.transpose([[1, 2]]), () => nn.slice([1, 2], 1),
    ];
    for (const call of calls) {
      const before = nn.memory();
      let out: unknown = null;
      try { out = call(); } catch { /* refusals count too */ }
      nn.dispose(out as any);
      expect(nn.memory().numTensors, String(call)).toBe(before.numTensors);
      expect(nn.memory().numBytes, String(call)).toBe(before.numBytes);
    }
  });
});

