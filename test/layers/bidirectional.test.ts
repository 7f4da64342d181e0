// Bidirectional: gradients for every merge mode, parity with tfjs-layers (forward weights then
// backward weights, the backward sequence aligned with the input), and saving to tfjs and back.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose, checkGrad } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const B = 2, T = 4, F = 3;

describe('bidirectional', () => {
  for (const mergeMode of ['concat', 'sum', 'mul', 'ave'] as const) {
    for (const returnSequences of [false, true]) {
      it(`${mergeMode}, returnSequences ${returnSequences}: gradients = central differences`, () => {
        nn.setSeed(31);
        const l = nn.layers.bidirectional({ mergeMode, layer: nn.layers.gru({ units: 3, returnSequences,
          biasInitializer: nn.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 2 }) }) });
        const x = nn.tensor(rand(B * T * F, 3), [B, T, F]);
        const y0 = l.apply(x) as nn.Tensor;
        expect(y0.shape).toEqual(returnSequences ? [B, T, mergeMode === 'concat' ? 6 : 3] : [B, mergeMode === 'concat' ? 6 : 3]);
        const vars = l.weights, originals = vars.map((v) => v.value);
        expect(vars.length).toBe(6);
        const R = nn.tensor(rand(y0.size, 4), y0.shape);
        try {
          checkGrad((xIn, ...ws) => { ws.forEach((w, i) => { vars[i].value = w; }); return nn.mul(l.call(xIn) as nn.Tensor, R); },
            [x, ...originals], { eps: 1e-2, tol: 2e-3 });
        } finally { vars.forEach((v, i) => { v.value = originals[i]; }); }
      });
    }
  }

  it('matches tfjs-layers (LSTM, concat, returnSequences), forward and weight gradients; names as tfjs', () => {
    nn.setSeed(32);
    const l = nn.layers.bidirectional({ layer: nn.layers.lstm({ units: 3, returnSequences: true }), name: 'bi' });
    const xs = rand(B * T * F, 5);
    const x = nn.tensor(xs, [B, T, F]);
    l.apply(x);
    expect(l.weights.map((w) => w.name)).toEqual(['kernel', 'recurrent_kernel', 'bias'].map((n) => `bi/forward_${(l as any).layerConfig.name}/${n}`)
      .concat(['kernel', 'recurrent_kernel', 'bias'].map((n) => `bi/backward_${(l as any).layerConfig.name}/${n}`)));
    const w = l.getWeights();
    w[2] = nn.tensor(rand(12, 6, -0.5, 0.5), [12]); w[5] = nn.tensor(rand(12, 7, -0.5, 0.5), [12]);
    l.setWeights(w);
    const tl = tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid',
      recurrentInitializer: 'glorotUniform' }) as any });
    const tx = tf.tensor(xs, [B, T, F]);
    tl.apply(tx);
    tl.setWeights(w.map((t) => tf.tensor(t.dataSync(), t.shape)));
    const y = l.apply(x) as nn.Tensor, ty = tl.apply(tx) as any;
    expectClose(y.dataSync(), ty.dataSync(), 2e-5, 'output');
    const R = rand(y.size, 8);
    const vars = l.weights, originals = vars.map((v) => v.value);
    const ours = nn.grads((...ws) => { ws.forEach((t, i) => { vars[i].value = t; }); return nn.sum(nn.mul(l.call(x) as nn.Tensor, nn.tensor(R, y.shape))); })(originals);
    vars.forEach((v, i) => { v.value = originals[i]; });
    const tVars = tl.trainableWeights.map((v: any) => v.read());
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(tl.apply(tx) as any, tf.tensor(R, y.shape))) as any, tVars);
    tVars.forEach((v: any, i: number) => expectClose(ours[i].dataSync(), grads[v.name].dataSync(), 1e-4, `d${vars[i].name}`));
  });

  it('saves in the tfjs format: tfjs loads it with the same predictions, and it loads back here', async () => {
    nn.setSeed(33);
    const m = nn.sequential({ layers: [
      nn.layers.bidirectional({ layer: nn.layers.simpleRNN({ units: 4, recurrentInitializer: 'glorotUniform' }), mergeMode: 'ave', inputShape: [T, F] }),
      nn.layers.dense({ units: 2 }),
    ] });
    const h = nn.io.memory();
    await m.save(h);
    const xs = rand(B * T * F, 9);
    const tm = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: h.modelTopology, weightSpecs: h.weightSpecs as any, weightData: h.weightData }));
    const ours = m.predict(nn.tensor(xs, [B, T, F])).dataSync();
    expectClose(ours, (tm.predict(tf.tensor(xs, [B, T, F])) as any).dataSync(), 2e-5, 'tfjs predictions');
    const back = await nn.loadLayersModel(h);
    expect(Array.from(back.predict(nn.tensor(xs, [B, T, F])).dataSync())).toEqual(Array.from(ours));
  });

  it('refuses a non-recurrent layer, an unknown mergeMode and returnState', () => {
    expect(() => nn.layers.bidirectional({ layer: nn.layers.dense({ units: 2 }) as any })).toThrow(/layer must be a simpleRNN, lstm or gru layer/);
    expect(() => nn.layers.bidirectional({ layer: nn.layers.lstm({ units: 2 }), mergeMode: 'max' as any })).toThrow(/mergeMode must be one of/);
    expect(() => nn.layers.bidirectional({ layer: nn.layers.lstm({ units: 2, returnState: true }) })).toThrow(/returnState is not supported/);
  });
});
