// The embedding layer: rows of its weight, its gradient (scatter-add, repeated ids), parity with
// tfjs-layers, clear errors for ids out of range, and an embedding → LSTM model that trains and
// round-trips through tfjs.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose, checkGrad } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

describe('embedding', () => {
  it('looks up rows; weight [inputDim, outputDim] named embeddings; output shape adds outputDim', () => {
    const e = nn.layers.embedding({ inputDim: 5, outputDim: 3, name: 'emb' });
    const ids = nn.tensor([[0, 4, 4], [2, 1, 0]]);
    const y = e.apply(ids) as nn.Tensor;
    expect(y.shape).toEqual([2, 3, 3]);
    expect(e.weights.map((w) => [w.name, w.shape])).toEqual([['emb/embeddings', [5, 3]]]);
    const W = e.weights[0].value.arraySync() as number[][];
    expect(y.arraySync()).toEqual([[W[0], W[4], W[4]], [W[2], W[1], W[0]]]);
    const inp = nn.input({ shape: [7] });
    expect(nn.layers.embedding({ inputDim: 4, outputDim: 2 }).apply(inp).shape).toEqual([null, 7, 2]);
  });

  it('gradient = central differences (repeated ids accumulate)', () => {
    const e = nn.layers.embedding({ inputDim: 4, outputDim: 3 });
    const ids = nn.tensor([[1, 3, 1], [0, 1, 2]]);
    e.apply(ids);
    const v = e.weights[0], original = v.value;
    const R = nn.tensor(rand(18, 2), [2, 3, 3]);
    try {
      checkGrad((w) => { v.value = w; return nn.mul(e.call(ids) as nn.Tensor, R); }, [original]);
    } finally { v.value = original; }
  });

  it('matches tfjs-layers forward and gradient', () => {
    const e = nn.layers.embedding({ inputDim: 6, outputDim: 4 });
    const ids = [[5, 0, 3, 3], [1, 2, 0, 5]];
    const x = nn.tensor(ids);
    e.apply(x);
    const te = tfl.layers.embedding({ inputDim: 6, outputDim: 4 });
    const tx = tf.tensor(ids, [2, 4], 'int32');
    te.apply(tx);
    te.setWeights([tf.tensor(e.getWeights()[0].dataSync(), [6, 4])]);
    const R = rand(32, 3);
    expectClose((e.apply(x) as nn.Tensor).dataSync(), (te.apply(tx) as any).dataSync(), 0, 'embedding output');
    const v = e.weights[0], original = v.value;
    const [ours] = nn.grads((w) => { v.value = w; return nn.sum(nn.mul(e.call(x) as nn.Tensor, nn.tensor(R, [2, 4, 4]))); })([original]);
    v.value = original;
    const tv = te.trainableWeights[0].read() as any;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(te.apply(tx) as any, tf.tensor(R, [2, 4, 4]))) as any, [tv as any]);
    expectClose(ours.dataSync(), grads[tv.name].dataSync(), 1e-6, 'embedding gradient');
  });

  it('refuses ids out of range or not integers, naming the layer; memory untouched', () => {
    const e = nn.layers.embedding({ inputDim: 3, outputDim: 2, name: 'tok' });
    e.apply(nn.tensor([[0, 1]]));
    for (const [bad, pattern] of [[[[0, 3]], /tok: token id 3 \(at flat position 1 of input \[1,2\]\) is not an integer in \[0, 3\)/],
      [[[-1, 0]], /tok: token id -1/], [[[0.5, 1]], /tok: token id 0.5/]] as const) {
      const x = nn.tensor(bad as any);
      const before = nn.memory();
      expect(() => e.apply(x)).toThrow(pattern);
      expect(nn.memory().numTensors).toBe(before.numTensors);
      expect(nn.memory().numBytes).toBe(before.numBytes);
    }
    expect(() => nn.layers.embedding({ inputDim: 0, outputDim: 2 })).toThrow(/inputDim must be a positive integer/);
    expect(() => nn.layers.embedding({ inputDim: 3, outputDim: 2, outputDims: 2 } as any)).toThrow(/unknown option 'outputDims'/);
  });

  it('embedding → LSTM → dense learns which of two tokens came first, and loads in tfjs with the same outputs', async () => {
    nn.setSeed(12);
    const n = 64, T = 6;
    const ids = new Float32Array(n * T), ys = new Float32Array(n);
    const r = rand(n * T, 13, 0, 1);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < T; t++) ids[i * T + t] = 3 + Math.floor(r[i * T + t] * 5);
      const a = i % 2, p = Math.floor(r[i * T] * (T - 1));
      ids[i * T + p] = 1 + a; ids[i * T + p + 1] = 2 - a; // "1 then 2" or "2 then 1"
      ys[i] = a;
    }
    const m = nn.sequential({ layers: [
      nn.layers.embedding({ inputDim: 8, outputDim: 6, inputShape: [T] }),
      nn.layers.lstm({ units: 8, recurrentInitializer: 'glorotUniform' }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }),
    ] });
    m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.03 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const x = nn.tensor(ids, [n, T]);
    const h = await m.fit(x, nn.tensor(ys, [n, 1]), { epochs: 40, batchSize: 16, verbose: 0 });
    expect(h.history.accuracy.at(-1)).toBeGreaterThan(0.95);
    const saved = nn.io.memory();
    await m.save(saved);
    const tm = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: saved.modelTopology, weightSpecs: saved.weightSpecs as any, weightData: saved.weightData }));
    expectClose(m.predict(x).dataSync(), (tm.predict(tf.tensor(ids, [n, T])) as any).dataSync(), 2e-5, 'tfjs predictions');
  });
});
