// The unary math added for tfjs ports (floor, ceil, round, reciprocal, rsqrt, log1p, expm1) and
// cast, against tfjs-core (cpu), with gradients.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const weighted = (y: nn.Tensor) => nn.mul(y, nn.tensor(rand(y.size, 77), y.shape));

describe('unary ops match tfjs', () => {
  // Halves and their neighbours for the rounding ops (round is half to even in both).
  const anyX = [...rand(21, 1, -5, 5), -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0, -0, 1e-8, -1e-8];
  const positive = [...rand(21, 2, 0.01, 20), 1e-6, 1e-3, 1, 100];

  for (const [name, xs, tol] of [['floor', anyX, 0], ['ceil', anyX, 0], ['round', anyX, 0], ['reciprocal', anyX, 1e-7],
    ['rsqrt', positive, 1e-6], ['log1p', [...positive, ...rand(9, 3, -0.99, 0), 1e-9, -1e-9], 1e-6],
    ['expm1', [...anyX, 1e-9, -1e-9, 20, -20], 1e-6]] as const) {
    it(name, () => {
      const y = (nn as any)[name](xs), ty = (tf as any)[name](xs);
      // relative to |expected| (not 1 + |expected|): log1p/expm1 must keep their precision near 0
      const got = y.dataSync(), want = ty.dataSync();
      for (let i = 0; i < got.length; i++) {
        const err = Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1e-30);
        if (!(got[i] === want[i] || err <= tol)) throw new Error(`${name}(${xs[i]}): ${got[i]} vs tfjs ${want[i]}`);
      }
    });
  }

  it('gradients: reciprocal, rsqrt, log1p, expm1 by finite differences; floor/ceil/round pass none', () => {
    const x = nn.tensor(rand(11, 4, 0.5, 2), [11]);
    for (const name of ['reciprocal', 'rsqrt', 'log1p', 'expm1'] as const) checkGrad((t) => weighted(nn[name](t)), [x]);
    for (const name of ['floor', 'ceil', 'round'] as const) {
      expect(Array.from(nn.grad((t) => nn[name](t))(x).dataSync()), name).toEqual(new Array(11).fill(0));
    }
  });
});

describe('cast', () => {
  const v = [-2.7, -0.5, 0, 0.4, 1.5, 2.9, NaN];
  it("'int32' truncates toward zero and 'bool' is x != 0, as tfjs (values stay float32)", () => {
    const i = nn.cast(v.slice(0, 6), 'int32'), ti = tf.cast(v.slice(0, 6), 'int32');
    expect(i.dtype).toBe('float32');
    expect(Array.from(i.dataSync())).toEqual(Array.from(ti.dataSync()));
    const b = nn.cast(v, 'bool'), tb = tf.cast(v, 'bool');
    expect(Array.from(b.dataSync())).toEqual(Array.from(tb.dataSync()));
    expectClose(nn.cast(v.slice(0, 6), 'float32').dataSync(), Float32Array.from(v.slice(0, 6)), 0);
  });

  it('float32 passes the gradient; int32 and bool pass none', () => {
    const x = nn.tensor([0.5, 1.5]);
    expect(Array.from(nn.grad((t) => nn.cast(t, 'float32'))(x).dataSync())).toEqual([1, 1]);
    expect(Array.from(nn.grad((t) => nn.cast(t, 'int32'))(x).dataSync())).toEqual([0, 0]);
    expect(Array.from(nn.grad((t) => nn.cast(t, 'bool'))(x).dataSync())).toEqual([0, 0]);
    expect(() => nn.cast(x, 'complex64' as any)).toThrow(/cast: unsupported dtype 'complex64' \(known: float32, int32, bool\)/);
  });
});
