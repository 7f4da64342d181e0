import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';

beforeAll(ready);

describe('elementwise ops', () => {
  it('add/sub/mul/div same shape match plain arithmetic', () => {
    const a = rand(37, 1), b = rand(37, 2, 0.5, 2);
    const ta = nn.tensor(a), tb = nn.tensor(b);
    const ops: Array<[string, (x: any, y: any) => any, (x: number, y: number) => number]> = [
      ['add', nn.add, (x, y) => x + y], ['sub', nn.sub, (x, y) => x - y],
      ['mul', nn.mul, (x, y) => x * y], ['div', nn.div, (x, y) => x / y]];
    for (const [name, op, ref] of ops) {
      const y = op(ta, tb);
      expectClose(y.dataSync(), Array.from(a, (v, i) => Math.fround(ref(v, b[i]))), 1e-6, name);
      y.dispose();
    }
    ta.dispose(); tb.dispose();
  });

  it('broadcasts rows, scalars and general shapes', () => {
    const a = nn.tensor(rand(6, 3), [2, 3]);
    const row = nn.tensor([10, 20, 30]);
    expect(Array.from(nn.add(a, row).dataSync())).toEqual(Array.from(a.dataSync(), (v, i) => Math.fround(v + [10, 20, 30][i % 3])));
    const col = nn.tensor([[1], [2]]);
    expect(nn.mul(a, col).shape).toEqual([2, 3]);
    expectClose(nn.mul(a, col).dataSync(), Array.from(a.dataSync(), (v, i) => v * (i < 3 ? 1 : 2)), 1e-6);
    expect(nn.sub(5, a).shape).toEqual([2, 3]);
    expect(() => nn.add(a, nn.tensor([1, 2]))).toThrow(/add: shapes \[2,3\] and \[2\] cannot be broadcast/);
  });

  it('gradients match finite differences, broadcasting included', () => {
    const a = nn.tensor(rand(12, 4), [3, 4]);
    const b = nn.tensor(rand(4, 5, 0.5, 2), [4]);
    const c = nn.tensor(rand(3, 6, 0.5, 2), [3, 1]);
    checkGrad((x, y) => nn.add(x, y), [a, b]);
    checkGrad((x, y) => nn.sub(x, y), [a, c]);
    checkGrad((x, y) => nn.mul(x, y), [a, b]);
    checkGrad((x, y) => nn.div(x, y), [a, c]);
    checkGrad((x) => nn.mul(x, x), [a]);
  });

  it('tensor() and grads() refuse what they cannot use, naming what they got', () => {
    expect(() => nn.tensor('abc' as any)).toThrow(/tensor: expected a number, an array, a typed array or a Tensor, got string/);
    expect(() => nn.tensor(null as any)).toThrow(/got null/);
    expect(() => nn.tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array/);
    expect(() => nn.tensor(['a', 2] as any)).toThrow(/tensor: values must be numbers, got string/);
    expect(nn.tensor({ length: 2, 0: 1, 1: 2 } as any).arraySync()).toEqual([1, 2]);
    expect(() => nn.grads(5 as any)).toThrow(/grads: expected a function of tensors, got number/);
    expect(() => nn.grad(undefined as any)).toThrow(/grad: expected a function/);
    expect(() => nn.valueAndGrads({} as any)).toThrow(/valueAndGrads: expected a function/);
  });

  it('use after dispose throws a clear error', () => {
    const t = nn.tensor([1, 2, 3]);
    t.dispose();
    expect(() => nn.add(t, t)).toThrow(/disposed/);
  });

  it('tidy frees all but the result', () => {
    const before = nn.memory().numTensors;
    const kept = nn.tidy(() => nn.add(nn.tensor([1, 2]), nn.tensor([3, 4])));
    expect(nn.memory().numTensors).toBe(before + 1);
    kept.dispose();
    expect(nn.memory().numTensors).toBe(before);
  });
});
