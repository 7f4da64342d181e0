// repeatVector and timeDistributed: shapes, gradients, tfjs parity (weights named as tfjs names
// them), saving to tfjs and back, and an encoder–decoder built from them that learns.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose, checkGrad } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

describe('repeatVector', () => {
  it('repeats [batch, features] n times; gradient sums the copies; bad input refused', () => {
    const l = nn.layers.repeatVector({ n: 3 });
    const x = nn.tensor([[1, 2], [3, 4]]);
    expect((l.apply(x) as nn.Tensor).arraySync()).toEqual([[[1, 2], [1, 2], [1, 2]], [[3, 4], [3, 4], [3, 4]]]);
    checkGrad((xIn) => nn.mul(l.call(xIn) as nn.Tensor, nn.tensor(rand(12, 1), [2, 3, 2])), [x]);
    expect(() => l.apply(nn.zeros([2, 2, 2]))).toThrow(/repeat_vector_\d+: expects input \[batch, features\], got shape \[2,2,2\]/);
    expect(() => nn.layers.repeatVector({ n: 0 })).toThrow(/n must be a positive integer/);
  });
});

describe('timeDistributed', () => {
  it('= the wrapped dense at every step; gradients; tfjs parity and names', () => {
    nn.setSeed(41);
    const B = 2, T = 3, F = 4;
    const td = nn.layers.timeDistributed({ layer: nn.layers.dense({ units: 5, activation: 'tanh', biasInitializer: 'randomNormal' }), name: 'td' });
    const xs = rand(B * T * F, 2);
    const x = nn.tensor(xs, [B, T, F]);
    const y = td.apply(x) as nn.Tensor;
    expect(y.shape).toEqual([B, T, 5]);
    expect(td.weights.map((w) => w.name)).toEqual(['td/kernel', 'td/bias']);
    const vars = td.weights, originals = vars.map((v) => v.value);
    try {
      checkGrad((xIn, ...ws) => { ws.forEach((w, i) => { vars[i].value = w; }); return nn.mul(td.call(xIn, { training: false }) as nn.Tensor, nn.tensor(rand(30, 3), [B, T, 5])); },
        [x, ...originals]);
    } finally { vars.forEach((v, i) => { v.value = originals[i]; }); }
    const tl = tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 5, activation: 'tanh' }) });
    const tx = tf.tensor(xs, [B, T, F]);
    tl.apply(tx);
    tl.setWeights(td.getWeights().map((t) => tf.tensor(t.dataSync(), t.shape)));
    expectClose(y.dataSync(), (tl.apply(tx) as any).dataSync(), 1e-6, 'output');
  });

  it('an encoder–decoder (lstm → repeatVector → lstm → timeDistributed(dense)) learns to reverse 3-token sequences; tfjs loads it', async () => {
    nn.setSeed(42);
    const n = 96, T = 3, V = 4;
    const r = rand(n * T, 43, 0, 1);
    const ids = Array.from(r, (v) => Math.floor(v * V));
    const x = nn.oneHot(ids, V), xs = nn.reshape(x, [n, T, V]);
    const rev = ids.map((_, i) => ids[Math.floor(i / T) * T + (T - 1 - (i % T))]);
    const y = nn.reshape(nn.oneHot(rev, V), [n, T, V]);
    const m = nn.sequential({ layers: [
      nn.layers.lstm({ units: 24, inputShape: [T, V], recurrentInitializer: 'glorotUniform' }),
      nn.layers.repeatVector({ n: T }),
      nn.layers.lstm({ units: 24, returnSequences: true, recurrentInitializer: 'glorotUniform' }),
      nn.layers.timeDistributed({ layer: nn.layers.dense({ units: V, activation: 'softmax' }) }),
    ] });
    m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(xs, y, { epochs: 60, batchSize: 16, verbose: 0 });
    expect(h.history.accuracy.at(-1)).toBeGreaterThan(0.95);
    const saved = nn.io.memory();
    await m.save(saved);
    const tm = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: saved.modelTopology, weightSpecs: saved.weightSpecs as any, weightData: saved.weightData }));
    const xv = xs.dataSync();
    expectClose(m.predict(xs).dataSync(), (tm.predict(tf.tensor(xv, [n, T, V])) as any).dataSync(), 2e-5, 'tfjs predictions');
    const back = await nn.loadLayersModel(saved);
    expect(Array.from(back.predict(xs).dataSync())).toEqual(Array.from(m.predict(xs).dataSync()));
  });

  it('refuses an already built layer and non-sequence input', () => {
    const d = nn.layers.dense({ units: 2 });
    d.apply(nn.zeros([1, 3]));
    expect(() => nn.layers.timeDistributed({ layer: d })).toThrow(/already built/);
    expect(() => nn.layers.timeDistributed({ layer: nn.layers.dense({ units: 2 }) }).apply(nn.zeros([2, 3])))
      .toThrow(/time_distributed_\d+: expects one input \[batch, timeSteps, \.\.\.\], got shape \[2,3\]/);
  });
});
