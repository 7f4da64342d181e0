// tfjs' creation spellings (tensor1d…4d, range, linspace), nn.dispose of containers and the
// two-argument tidy(name, fn), against tfjs-core (cpu) where it has them.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

describe('tensor1d … tensor4d', () => {
  it('give the shapes and values tfjs gives, nested or flat with a shape', () => {
    const cases: Array<[string, any, number[] | undefined]> = [
      ['tensor1d', [1, 2, 3], undefined], ['tensor1d', Float32Array.from([4, 5]), undefined],
      ['tensor2d', [[1, 2], [3, 4], [5, 6]], undefined], ['tensor2d', [1, 2, 3, 4, 5, 6], [2, 3]],
      ['tensor3d', [[[1], [2]], [[3], [4]]], undefined], ['tensor3d', [1, 2, 3, 4], [1, 2, 2]],
      ['tensor4d', [[[[1, 2]]]], undefined], ['tensor4d', new Float32Array(24).fill(0.5), [1, 2, 3, 4]],
    ];
    for (const [name, values, shape] of cases) {
      const y = (nn as any)[name](values, shape), ty = (tf as any)[name](values, shape);
      expect(y.shape, name).toEqual(ty.shape);
      expectClose(y.dataSync(), ty.dataSync(), 0, name);
      y.dispose(); ty.dispose();
    }
  });

  it("take tfjs' dtype argument: int32 truncates, bool is 0/1, the values stay float32", () => {
    const v = [1.7, -1.2, 0, 2];
    for (const dtype of ['int32', 'bool', 'float32'] as const) {
      const y = nn.tensor1d(v, dtype), ty = tf.tensor1d(v, dtype);
      expect(y.dtype).toBe('float32');
      expectClose(y.dataSync(), Float32Array.from(ty.dataSync()), 0, `tensor1d ${dtype}`);
      expectClose(nn.tensor2d(v, [2, 2], dtype).dataSync(), Float32Array.from(tf.tensor2d(v, [2, 2], dtype).dataSync()), 0, `tensor2d ${dtype}`);
    }
    const r = nn.range(0, 7, 2, 'int32'), tr = tf.range(0, 7, 2, 'int32');
    expect(Array.from(r.dataSync())).toEqual(Array.from(tr.dataSync()));
    const before = nn.memory().numTensors;
    expect(() => nn.tensor1d([1], 'string' as any)).toThrow(/tensor1d: cast: unsupported dtype 'string'/);
    expect(() => nn.range(0, 3, 1, 'bool' as any)).toThrow(/range: dtype must be 'float32' or 'int32' \(got 'bool'\)/);
    expect(nn.memory().numTensors).toBe(before);
  });

  it('refuse values of another rank, leaving memory as it was', () => {
    const before = nn.memory();
    expect(() => nn.tensor1d([[1, 2]])).toThrow(/tensor1d: expected values of rank 1 \(or flat values with a shape\), got shape \[1,2\]/);
    expect(() => nn.tensor2d([1, 2, 3, 4])).toThrow(/tensor2d: expected values of rank 2/);
    expect(() => nn.tensor3d([1, 2], [2, 1] as any)).toThrow(/tensor3d: shape \[2,1\] must have 3 dimensions/);
    expect(() => nn.tensor4d([1, 2, 3], [1, 1, 1, 2])).toThrow(/tensor: 3 values do not fill shape \[1,1,1,2\]/);
    expect(nn.memory().numTensors).toBe(before.numTensors);
    expect(nn.memory().numBytes).toBe(before.numBytes);
  });
});

describe('range and linspace', () => {
  it('range matches tfjs: default step, fractional and negative steps, counting down, empty ranges', () => {
    const cases: number[][] = [[0, 5], [2, 9, 2], [0, 1, 0.1], [5, 0], [5, 0, -1.5], [-3, 3, 0.7], [1, 1], [0, 5, -1], [0, 100, 0.37]];
    for (const [start, stop, step] of cases) {
      const y = nn.range(start, stop, step), ty = tf.range(start, stop, step);
      expect(y.shape, `range(${start}, ${stop}, ${step})`).toEqual(ty.shape);
      // tfjs adds the step n times (drift of a few ulps); here it is start + i·step
      expectClose(y.dataSync(), ty.dataSync(), 1e-5, `range(${start}, ${stop}, ${step})`);
    }
    expect(Array.from(nn.range(0, 1, 0.1).dataSync()).at(-1)).toBe(Math.fround(0.9));
    expect(nn.range(0, 5, -1).shape).toEqual([0]);
    expect(nn.range(5, 0, 2).shape).toEqual([0]);
    expect(() => nn.range(0, 5, 0)).toThrow(/range: step must not be 0/);
    expect(() => nn.range(0, Infinity)).toThrow(/range: stop must be a finite number \(got Infinity\)/);
  });

  it('linspace matches tfjs, both ends included', () => {
    for (const [start, stop, num] of [[0, 1, 5], [-2, 3, 11], [4, -4, 2], [7, 9, 1], [0, 10, 37]]) {
      const y = nn.linspace(start, stop, num), ty = tf.linspace(start, stop, num);
      expect(y.shape).toEqual(ty.shape);
      expectClose(y.dataSync(), ty.dataSync(), 1e-6, `linspace(${start}, ${stop}, ${num})`);
    }
    expect(nn.linspace(-2, 3, 11).dataSync()[10]).toBe(3);
    expect(() => nn.linspace(0, 1, 0)).toThrow(/linspace: num must be a positive integer \(got 0\)/);
  });
});

describe('dispose and tidy, tfjs style', () => {
  it('nn.dispose takes a tensor, an array or an object of tensors', () => {
    const before = nn.memory().numTensors;
    const a = nn.ones([2]), b = nn.ones([3]), c = nn.ones([4]), d = nn.ones([5]);
    nn.dispose(a);
    nn.dispose([b, c]);
    nn.dispose({ d });
    expect([a, b, c, d].every((t) => t.isDisposed)).toBe(true);
    expect(nn.memory().numTensors).toBe(before);
    nn.dispose([a, b]); // twice is harmless
  });

  it('tidy(name, fn) works like tidy(fn)', () => {
    const before = nn.memory().numTensors;
    const kept = nn.tidy('scope', () => nn.add(nn.ones([2]), nn.ones([2])));
    expect(nn.memory().numTensors).toBe(before + 1);
    expect(Array.from(kept.dataSync())).toEqual([2, 2]);
    kept.dispose();
    expect(() => nn.tidy('named', undefined as any)).toThrow(/tidy: expected a function \(or a name and a function\), got undefined/);
  });
});
