// Recurrent layers: options and weight layouts (tfjs/Keras), several outputs in the functional API,
// initial states, stacking, saving/loading here and in tfjs, flat memory over training, and clear
// errors for bad input.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const seq = (B: number, T: number, F: number, seed = 1) => nn.tensor(rand(B * T * F, seed), [B, T, F]);

describe('options and weights', () => {
  it('weight names, shapes and order follow tfjs/Keras for every cell', () => {
    const x = seq(2, 3, 5);
    const cases: [nn.layers.RNN, number[][]][] = [
      [nn.layers.simpleRNN({ units: 4, name: 's' }), [[5, 4], [4, 4], [4]]],
      [nn.layers.lstm({ units: 4, name: 'l' }), [[5, 16], [4, 16], [16]]],
      [nn.layers.gru({ units: 4, name: 'g' }), [[5, 12], [4, 12], [2, 12]]],
      [nn.layers.gru({ units: 4, resetAfter: false, name: 'g0' }), [[5, 12], [4, 12], [12]]],
      [nn.layers.lstm({ units: 4, useBias: false, name: 'l0' }), [[5, 16], [4, 16]]],
    ];
    for (const [layer, shapes] of cases) {
      layer.apply(x);
      expect(layer.weights.map((w) => w.shape)).toEqual(shapes);
      expect(layer.weights.map((w) => w.name)).toEqual(['kernel', 'recurrent_kernel', 'bias'].slice(0, shapes.length).map((n) => `${layer.name}/${n}`));
      layer.dispose();
    }
  });

  it('defaults: orthogonal recurrent kernel, zero bias with the LSTM forget gate at 1, sigmoid gates', () => {
    nn.setSeed(3);
    const l = nn.layers.lstm({ units: 3 });
    l.apply(seq(1, 2, 2));
    const U = l.recurrentKernel!.value, u = 3;
    const rows = U.arraySync() as number[][];
    for (let i = 0; i < u; i++) for (let j = 0; j < u; j++) {
      const dot = rows[i].reduce((s, v, k) => s + v * rows[j][k], 0);
      expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-5);
    }
    expect(Array.from(l.bias!.value.dataSync())).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(l.getConfig()).toMatchObject({ recurrentActivation: 'sigmoid', unitForgetBias: true, activation: 'tanh' });
    const off = nn.layers.lstm({ units: 3, unitForgetBias: false });
    off.apply(seq(1, 2, 2));
    expect(Array.from(off.bias!.value.dataSync()).every((v) => v === 0)).toBe(true);
    expect(nn.layers.gru({ units: 2 }).getConfig()).toMatchObject({ resetAfter: true, recurrentActivation: 'sigmoid' });
    l.dispose(); off.dispose();
  });

  it('refuses unknown options, bad units, unsupported dropout and activations, naming the layer', () => {
    expect(() => nn.layers.lstm({ units: 3, returnSequence: true } as any)).toThrow(/lstm_\d+: unknown option 'returnSequence'; known options: .*returnSequences/);
    expect(() => nn.layers.gru({ units: 0 })).toThrow(/gru_\d+: units must be a positive integer, got 0/);
    expect(() => nn.layers.simpleRNN({ units: 2, kernelConstraint: 'maxNorm' as any })).toThrow(/simple_rnn_\d+: kernelConstraint 'maxNorm' \(a string\) is not supported/);
    expect(() => nn.layers.lstm({ units: 2, recurrentActivation: 'gelu' })).toThrow(/recurrentActivation 'gelu' is not supported in a recurrent cell/);
    expect(() => nn.layers.simpleRNN({ units: 2, resetAfter: true } as any)).toThrow(/unknown option 'resetAfter'/);
  });
});

describe('several outputs, initial states, stacking', () => {
  it('returnState gives [output, h, c] as separate symbolic tensors; the model runs the layer once', () => {
    const inp = nn.input({ shape: [4, 3] });
    const l = nn.layers.lstm({ units: 5, returnState: true, returnSequences: true });
    const outs = l.apply(inp) as unknown as nn.layers.SymbolicTensor[];
    expect(outs.map((o) => o.shape)).toEqual([[null, 4, 5], [null, 5], [null, 5]]);
    const m = nn.model({ inputs: inp, outputs: outs });
    const x = seq(2, 4, 3);
    const [y, h, c] = m.apply(x) as nn.Tensor[]; // predict returns the first output only (multi-output models: branch `models`)
    const ys = y.arraySync() as number[][][];
    expectClose(ys.map((s) => s[3]).flat(), h.dataSync(), 0, 'last step of the sequence = h');
    // c is the cell state: |h| = |o·tanh(c)| ≤ |tanh(c)|
    const hs = h.dataSync(), cs = c.dataSync();
    for (let i = 0; i < hs.length; i++) expect(Math.abs(hs[i])).toBeLessThanOrEqual(Math.abs(Math.tanh(cs[i])) + 1e-6);
  });

  it('initialState (functional, from inputs) of zeros equals no initial state; other states change the output', () => {
    const inp = nn.input({ shape: [3, 2] }), h0 = nn.input({ shape: [4] }), c0 = nn.input({ shape: [4] });
    const l = nn.layers.lstm({ units: 4 });
    const out = l.apply(inp, { initialState: [h0, c0] }) as unknown as nn.layers.SymbolicTensor;
    const m = nn.model({ inputs: [inp, h0, c0], outputs: out });
    const x = seq(2, 3, 2);
    const zero = nn.zeros([2, 4]);
    const withZeros = (m.predict([x, zero, zero]) as nn.Tensor).dataSync();
    expectClose(withZeros, (l.apply(x) as nn.Tensor).dataSync(), 0, 'zero initial state');
    const other = nn.tensor(rand(8, 4), [2, 4]);
    const changed = (m.predict([x, other, zero]) as nn.Tensor).dataSync();
    expect(Array.from(changed)).not.toEqual(Array.from(withZeros));
    // eager: layer.apply(x, { initialState })
    expectClose((l.apply(x, { initialState: [other, zero] }) as nn.Tensor).dataSync(), changed, 0, 'eager initial state');
  });

  it('a stacked LSTM → GRU → dense learns to tell increasing from decreasing sequences', async () => {
    nn.setSeed(5);
    const n = 64, T = 6;
    const xs = new Float32Array(n * T), ys = new Float32Array(n);
    const r = rand(n * 2, 7, 0, 1);
    for (let i = 0; i < n; i++) {
      const up = i % 2 === 0, start = r[2 * i], step = 0.05 + 0.1 * r[2 * i + 1];
      for (let t = 0; t < T; t++) xs[i * T + t] = start + (up ? 1 : -1) * step * t;
      ys[i] = up ? 1 : 0;
    }
    const m = nn.sequential({ layers: [
      nn.layers.lstm({ units: 8, returnSequences: true, inputShape: [T, 1] }),
      nn.layers.gru({ units: 8 }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }),
    ] });
    m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.02 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(nn.tensor(xs, [n, T, 1]), nn.tensor(ys, [n, 1]), { epochs: 60, batchSize: 16, verbose: 0 });
    expect(h.history.accuracy.at(-1)).toBeGreaterThan(0.95);
  });

  it('memory is flat over a training run (after the first epoch)', async () => {
    nn.setSeed(6);
    const m = nn.sequential({ layers: [
      nn.layers.gru({ units: 6, returnSequences: true, inputShape: [5, 3] }),
      nn.layers.lstm({ units: 6, goBackwards: true }),
      nn.layers.dense({ units: 2, activation: 'softmax' }),
    ] });
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = seq(20, 5, 3), y = nn.oneHot(Array.from({ length: 20 }, (_, i) => i % 2), 2);
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const before = nn.memory();
    await m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    const after = nn.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });
});

describe('bad input: clear errors naming the layer and shapes, memory untouched', () => {
  const refused = (f: () => unknown, pattern: RegExp) => {
    const before = nn.memory();
    expect(f).toThrow(pattern);
    const after = nn.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  };
  it('a 2-D tensor where a sequence is needed', () => {
    const l = nn.layers.lstm({ units: 3, name: 'seq_lstm' });
    const x2 = nn.tensor(rand(8, 1), [2, 4]);
    refused(() => l.apply(x2), /seq_lstm: expects a sequence input \[batch, timeSteps, features\], got shape \[2,4\]/);
    refused(() => nn.layers.gru({ units: 2, inputShape: [4] }).apply(nn.input({ shape: [4] })),
      /gru_\d+: expects a sequence input \[batch, timeSteps, features\], got shape \[null,4\]/);
  });
  it('a changed feature size', () => {
    const l = nn.layers.simpleRNN({ units: 3, name: 'feat_rnn' });
    l.apply(seq(2, 4, 5));
    const x = seq(2, 4, 6);
    refused(() => l.apply(x), /feat_rnn: the kernel \[5,3\] expects 5 features per time step .*got input shape \[2,4,6\]/);
    const m = nn.sequential({ layers: [nn.layers.gru({ units: 2, inputShape: [4, 5], name: 'feat_gru' })] });
    refused(() => m.predict(x), /expected input shape \[null,4,5\], got \[2,4,6\]/);
  });
  it('an initial state of the wrong shape or count', () => {
    const l = nn.layers.lstm({ units: 3, name: 'init_lstm' });
    const x = seq(2, 4, 5);
    l.apply(x);
    const bad = nn.zeros([2, 4]), good = nn.zeros([2, 3]);
    refused(() => l.apply(x, { initialState: [bad, good] }),
      /init_lstm: initial state must be \[batch, units\] = \[2,3\] for input \[2,4,5\], got \[2,4\]/);
    refused(() => l.apply(x, { initialState: [good] }), /init_lstm: expects the sequence and 2 initial state tensors, got 1 state/);
  });
});

describe('saving and loading', () => {
  const build = (resetAfter: boolean) => {
    nn.setSeed(9);
    const inp = nn.input({ shape: [5, 3] });
    const [seqOut, h] = nn.layers.gru({ units: 4, returnSequences: true, returnState: true, resetAfter,
      recurrentInitializer: 'glorotUniform', biasInitializer: 'randomUniform' }).apply(inp) as unknown as nn.layers.SymbolicTensor[];
    const top = nn.layers.lstm({ units: 3, goBackwards: true, recurrentInitializer: 'glorotUniform', unitForgetBias: false }).apply(seqOut);
    const s = nn.layers.simpleRNN({ units: 2, recurrentInitializer: 'glorotUniform' }).apply(seqOut);
    return nn.model({ inputs: inp, outputs: [top, h, s] });
  };
  it('a functional model with several-output RNNs round-trips here with the same predictions', async () => {
    const m = build(true);
    const h = nn.io.memory();
    await m.save(h);
    const back = await nn.loadLayersModel(h);
    const x = seq(3, 5, 3);
    const a = m.apply(x) as nn.Tensor[], b = back.apply(x) as nn.Tensor[];
    expect(b.length).toBe(3);
    a.forEach((t, i) => expect(Array.from(b[i].dataSync())).toEqual(Array.from(t.dataSync())));
  });
  it('loads in tfjs with the same predictions (reset-before GRU), and a tfjs model loads here', async () => {
    const m = build(false);
    const h = nn.io.memory();
    await m.save(h);
    const tm = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: h.modelTopology, weightSpecs: h.weightSpecs as any, weightData: h.weightData }));
    const xs = rand(3 * 5 * 3, 4);
    const ours = m.apply(nn.tensor(xs, [3, 5, 3])) as nn.Tensor[];
    const theirs = tm.predict(tf.tensor(xs, [3, 5, 3])) as any[];
    ours.forEach((t, i) => expectClose(t.dataSync(), theirs[i].dataSync(), 2e-5, `output ${i}`));
    // and back: tfjs saves, simdnn loads
    let artifacts: any;
    await tm.save({ save: async (a: any) => { artifacts = a; return { modelArtifactsInfo: {} as any }; } } as any);
    const again = await nn.loadLayersModel(nn.io.fromMemory(artifacts));
    const again3 = again.apply(nn.tensor(xs, [3, 5, 3])) as nn.Tensor[];
    again3.forEach((t, i) => expectClose(t.dataSync(), theirs[i].dataSync(), 2e-5, `reloaded output ${i}`));
  });
  it('the reset-after GRU is flagged as something tfjs cannot load, and tfjs does refuse it', async () => {
    const m = build(true);
    const warn = console.warn;
    const calls: string[] = [];
    console.warn = (s: string) => { calls.push(s); };
    const h = nn.io.memory();
    try { await m.save(h); } finally { console.warn = warn; }
    expect(calls.join('\n')).toMatch(/resetAfter true \(gru_\d+/);
    await expect(tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: h.modelTopology, weightSpecs: h.weightSpecs as any, weightData: h.weightData })))
      .rejects.toThrow();
  });
});
