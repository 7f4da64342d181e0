// Recurrent training behaviour: gradient clipping rescues a long-sequence simple RNN whose gradients
// explode, and an LSTM carries information across 60 steps of distractors where a simple RNN cannot.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

function lcg(seed: number) {
  let a = seed >>> 0;
  return () => (a = (a * 1664525 + 1013904223) >>> 0) / 4294967296;
}

describe('recurrent training', () => {
  it('clipNorm: a 100-step linear simple RNN (recurrent gain 1.1) diverges to NaN without it and trains with it', async () => {
    const T = 100, n = 64, r = lcg(5);
    const xs = new Float32Array(n * T), ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < T; t++) { const v = r() - 0.5; xs[i * T + t] = v; if (t >= T - 3) s += v; }
      ys[i] = s; // the sum of the last three inputs: variance 0.25, the loss of predicting 0
    }
    const run = async (clipNorm?: number) => {
      nn.setSeed(3);
      const m = nn.sequential({ layers: [
        nn.layers.simpleRNN({ units: 16, activation: 'linear', inputShape: [T, 1], recurrentInitializer: nn.initializers.orthogonal({ gain: 1.1 }) }),
        nn.layers.dense({ units: 1 }),
      ] });
      m.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.02, ...(clipNorm ? { clipNorm } : {}) }), loss: 'meanSquaredError' });
      return (await m.fit(nn.tensor(xs, [n, T, 1]), nn.tensor(ys, [n, 1]), { epochs: 40, batchSize: 16, verbose: 0 })).history.loss;
    };
    const unclipped = await run();
    expect(unclipped.some((l) => !Number.isFinite(l))).toBe(true);
    const clipped = await run(1);
    expect(clipped.every(Number.isFinite)).toBe(true);
    expect(clipped.at(-1)).toBeLessThan(0.15);
  });

  it('an LSTM remembers a sign across 60 steps of ±1 distractors (held-out accuracy 1); a simple RNN stays at chance', async () => {
    const T = 60, r = lcg(9);
    const data = (n: number) => {
      const xs = new Float32Array(n * T * 2), ys = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const c = r() < 0.5 ? 1 : 0;
        ys[i] = c;
        for (let t = 0; t < T; t++) {
          xs[(i * T + t) * 2] = t === 0 ? (c ? 1 : -1) : (r() < 0.5 ? 1 : -1);
          xs[(i * T + t) * 2 + 1] = t === 0 ? 1 : 0; // a marker on the step that matters
        }
      }
      return [nn.tensor(xs, [n, T, 2]), nn.tensor(ys, [n, 1])];
    };
    const [x, y] = data(512), [xt, yt] = data(256);
    const heldOut = async (layer: (o: nn.layers.RNNArgs) => nn.layers.RNN) => {
      nn.setSeed(4);
      const m = nn.sequential({ layers: [layer({ units: 8, inputShape: [T, 2] }), nn.layers.dense({ units: 1, activation: 'sigmoid' })] });
      m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.01 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      await m.fit(x, y, { epochs: 30, batchSize: 32, verbose: 0 });
      return (m.evaluate(xt, yt) as nn.Tensor[])[1].dataSync()[0];
    };
    expect(await heldOut((o) => nn.layers.lstm(o))).toBeGreaterThan(0.97);
    expect(await heldOut((o) => nn.layers.simpleRNN(o))).toBeLessThan(0.7);
  });
});
