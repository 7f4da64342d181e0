// tfjs conveniences: nn.io.fromMemory in both of tfjs' forms, and tensor.print()/toString() in
// tfjs' layout, long axes cut to their first and last 3 values.
import { describe, it, expect, beforeAll, vi } from 'vitest';
import { nn, ready, rand } from '../setup';

beforeAll(ready);

describe('nn.io.fromMemory', () => {
  it('loads from (modelTopology, weightSpecs, weightData), from one artifacts object, and from sharded weightData', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 3, inputShape: [2] }), nn.layers.dense({ units: 2 })] });
    const h = nn.io.memory();
    await m.save(h);
    const x = nn.tensor(rand(4, 2), [2, 2]);
    const want = Array.from(m.predict(x).dataSync());
    const data = h.weightData!;
    const shards = [data.slice(0, 12), data.slice(12)];
    for (const handler of [
      nn.io.fromMemory(h.modelTopology!, h.weightSpecs!, data),
      nn.io.fromMemory({ modelTopology: h.modelTopology, weightSpecs: h.weightSpecs, weightData: data }),
      nn.io.fromMemory(h.modelTopology!, h.weightSpecs!, shards),
    ]) {
      expect(handler.save).toBeUndefined();
      expect(Array.from((await nn.loadLayersModel(handler)).predict(x).dataSync())).toEqual(want);
    }
    expect(() => nn.io.fromMemory(null as any)).toThrow(/io\.fromMemory: modelTopology must be an object/);
    await expect(nn.loadLayersModel(nn.io.fromMemory(h.modelTopology!, h.weightSpecs!, 'abc' as any))).rejects.toThrow(/weightData must be an ArrayBuffer/);
  });
});

describe('tensor.print()', () => {
  const printed = (t: nn.Tensor, verbose = false) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    t.print(verbose);
    const out = String(log.mock.calls[0][0]);
    log.mockRestore();
    return out;
  };

  it('shows small tensors whole, in tfjs layout', () => {
    expect(printed(nn.tensor([1, 2.5, -3]))).toBe('Tensor\n    [1, 2.5, -3]');
    expect(printed(nn.tensor([[1, 22], [333, 4]]))).toBe('Tensor\n    [[1  , 22],\n     [333, 4 ]]');
    expect(printed(nn.scalar(0.1))).toBe('Tensor\n    0.1');
    expect(printed(nn.tensor([1, 2], [2]), true)).toBe('Tensor\n  dtype: float32\n  rank: 1\n  shape: [2]\n  values:\n    [1, 2]');
    expect(nn.tensor([[[1], [2]], [[3], [4]]]).toString()).toBe('Tensor\n    [[[1],\n      [2]],\n\n     [[3],\n      [4]]]');
  });

  it('cuts every axis longer than 20 to its first and last 3 entries', () => {
    const v = Float32Array.from({ length: 25 * 30 }, (_, i) => i);
    const text = printed(nn.tensor(v, [25, 30]));
    const lines = text.split('\n');
    expect(lines.length).toBe(1 + 7); // 'Tensor', 3 rows, '...', 3 rows
    expect(lines[1]).toBe('    [[0  , 1  , 2  , ..., 27 , 28 , 29 ],');
    expect(lines[4]).toBe('     ...,');
    expect(lines[7]).toBe('     [720, 721, 722, ..., 747, 748, 749]]');
    const long = printed(nn.tensor(Float32Array.from({ length: 1000 }, (_, i) => i / 4)));
    expect(long).toBe('Tensor\n    [0, 0.25, 0.5, ..., 249.25, 249.5, 249.75]');
    // exactly 20 is shown whole
    expect(printed(nn.zeros([20])).split(', ').length).toBe(20);
  });
});
