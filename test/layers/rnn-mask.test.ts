// Masks of padded time steps (Keras' mask propagation): embedding({maskZero}) and masking() make a
// [batch, timeSteps] mask that the next recurrent layer reads; at a masked step the state carries
// over and the output repeats. Against tfjs-layers (cpu) with the same weights, forward and every
// gradient; a finite-difference check; padded batch = the sequences run one by one; errors.
import { describe, it, beforeAll, expect } from 'vitest';
import { nn, ready, rand, expectClose, checkGrad } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const B = 4, T = 6, F = 3, U = 5, VOCAB = 7;
// right padding, left padding, a gap in the middle, and a sequence with no padding at all
const IDS = [
  3, 1, 4, 0, 0, 0,
  0, 0, 5, 2, 6, 1,
  2, 0, 0, 3, 0, 4,
  1, 2, 3, 4, 5, 6,
];
const tfInit = { recurrentInitializer: 'glorotUniform' };

type Make = (o: object) => { ours: any; theirs: any };
const rnns: [string, Make][] = [
  ['simpleRNN', (o) => ({ ours: nn.layers.simpleRNN({ units: U, ...o }), theirs: tfl.layers.simpleRNN({ units: U, ...tfInit, ...o }) })],
  ['lstm', (o) => ({
    ours: nn.layers.lstm({ units: U, ...o }),
    theirs: tfl.layers.lstm({ units: U, ...tfInit, recurrentActivation: 'sigmoid', unitForgetBias: true, ...o }),
  })],
  ['gru (resetAfter false)', (o) => ({
    ours: nn.layers.gru({ units: U, resetAfter: false, ...o }),
    theirs: tfl.layers.gru({ units: U, ...tfInit, recurrentActivation: 'sigmoid', ...o }),
  })],
];

/** Ours and tfjs' sequential models on the same input, same (randomised) weights: output and every gradient. */
function compare(what: string, ours: nn.Sequential, theirs: any, xs: Float32Array, shape: number[]): void {
  const x = nn.tensor(xs, shape), tx = tf.tensor(xs, shape);
  const w = ours.getWeights().map((t, i) => nn.tensor(rand(t.size, 40 + i, -0.6, 0.6), t.shape));
  ours.setWeights(w);
  theirs.setWeights(w.map((t) => tf.tensor(t.dataSync(), t.shape)));
  const y = ours.apply(x) as nn.Tensor;
  const ty = theirs.apply(tx);
  expect(y.shape).toEqual(ty.shape);
  expectClose(y.dataSync(), ty.dataSync(), 2e-5, `${what} output`);
  const R = rand(y.size, 13, -1, 1);
  const vars = ours.weights;
  const originals = vars.map((v) => v.value);
  const grads = nn.grads((...ws) => {
    ws.forEach((t, i) => { vars[i].value = t; });
    return nn.sum(nn.mul(ours.apply(x) as nn.Tensor, nn.tensor(R, y.shape)));
  })(originals);
  vars.forEach((v, i) => { v.value = originals[i]; });
  const tVars = theirs.trainableWeights.map((v: any) => v.read());
  const { grads: tg } = tf.variableGrads(() => tf.sum(tf.mul(theirs.apply(tx), tf.tensor(R, ty.shape))) as any, tVars);
  tVars.forEach((v: any, i: number) => expectClose(grads[i].dataSync(), tg[v.name].dataSync(), 1e-4, `${what} d${vars[i].name}`));
  for (const t of [x, y, ...w, ...grads]) t.dispose();
}

describe('masked recurrent layers = tfjs-layers (cpu), forward and gradients', () => {
  for (const o of [{}, { returnSequences: true }, { goBackwards: true }, { returnSequences: true, goBackwards: true }]) {
    for (const [name, make] of rnns) {
      it(`embedding(maskZero) → ${name} ${JSON.stringify(o)}`, () => {
        const { ours, theirs } = make(o);
        const m = nn.sequential({ layers: [nn.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true, inputShape: [T] }), ours] });
        const tm = tfl.sequential({ layers: [tfl.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true, inputLength: T }), theirs] });
        compare(`${name} ${JSON.stringify(o)}`, m, tm, Float32Array.from(IDS), [B, T]);
        m.dispose();
      });
    }
  }

  it('a stacked pair: the first layer (returnSequences) passes the mask on to the second', () => {
    const m = nn.sequential({ layers: [nn.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true, inputShape: [T] }),
      nn.layers.lstm({ units: U, returnSequences: true }), nn.layers.gru({ units: 4, resetAfter: false })] });
    const tm = tfl.sequential({ layers: [tfl.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true, inputLength: T }),
      tfl.layers.lstm({ units: U, returnSequences: true, recurrentActivation: 'sigmoid', ...tfInit }),
      tfl.layers.gru({ units: 4, recurrentActivation: 'sigmoid', ...tfInit })] });
    compare('lstm → gru', m, tm, Float32Array.from(IDS), [B, T]);
    m.dispose();
  });

  it('the mask passes through step-wise layers (dense, dropout, activation) to the recurrent layer', () => {
    const m = nn.sequential({ layers: [nn.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true, inputShape: [T] }),
      nn.layers.dense({ units: 4, activation: 'tanh' }), nn.layers.dropout({ rate: 0.3 }), nn.layers.activation({ activation: 'relu' }),
      nn.layers.lstm({ units: U })] });
    const tm = tfl.sequential({ layers: [tfl.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true, inputLength: T }),
      tfl.layers.dense({ units: 4, activation: 'tanh' }), tfl.layers.dropout({ rate: 0.3 }), tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.lstm({ units: U, recurrentActivation: 'sigmoid', ...tfInit })] });
    compare('dense → dropout → activation → lstm', m, tm, Float32Array.from(IDS), [B, T]);
    m.dispose();
  });

  it('the mask passes through timeDistributed (Keras and tfjs pass it on) to the recurrent layer', () => {
    const m = nn.sequential({ layers: [nn.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true, inputShape: [T] }),
      nn.layers.lstm({ units: U, returnSequences: true }), nn.layers.timeDistributed({ layer: nn.layers.dense({ units: 4 }) }),
      nn.layers.gru({ units: U, resetAfter: false })] });
    const tm = tfl.sequential({ layers: [tfl.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true, inputLength: T }),
      tfl.layers.lstm({ units: U, returnSequences: true, recurrentActivation: 'sigmoid', ...tfInit }),
      tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 4 }) }),
      tfl.layers.gru({ units: U, recurrentActivation: 'sigmoid', ...tfInit })] });
    compare('lstm → timeDistributed(dense) → gru', m, tm, Float32Array.from(IDS), [B, T]);
    m.dispose();
  });

  it('merge layers pass the mask on (add, concatenate along the features): a padded sequence gives its unpadded result', () => {
    // tfjs-layers cannot run this (its merge mask fails to broadcast), so the reference is the
    // sequence without its padding: [3, 1, 4] alone must give what [3, 1, 4, 0, 0, 0] gives.
    for (const merge of ['add', 'concatenate'] as const) {
      nn.setSeed(21);
      const emb = nn.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true });
      const a = nn.layers.lstm({ units: U, returnSequences: true }), b = nn.layers.gru({ units: U, returnSequences: true });
      const join = merge === 'add' ? nn.layers.add() : nn.layers.concatenate(), top = nn.layers.simpleRNN({ units: U });
      const run = (ids: number[]) => nn.tidy(() => {
        const e = emb.apply(nn.tensor(ids, [1, ids.length])) as nn.Tensor;
        return (top.apply(join.apply([a.apply(e), b.apply(e)] as nn.Tensor[]) as nn.Tensor) as nn.Tensor).dataSync();
      });
      expectClose(run(IDS.slice(0, T)), run([3, 1, 4]), 1e-6, `${merge}: padded vs unpadded`);
      for (const l of [emb, a, b, join, top]) l.dispose();
    }
  });

  it('masking({maskValue}): a step is masked when all its features equal maskValue', () => {
    const xs = rand(B * T * F, 3, -1, 1);
    // step 1 of sample 0 and steps 4, 5 of sample 2 are padding; step 3 of sample 1 has one feature at -1 only
    for (const [b, t] of [[0, 1], [2, 4], [2, 5]]) xs.fill(-1, (b * T + t) * F, (b * T + t + 1) * F);
    xs[(1 * T + 3) * F] = -1;
    for (const [name, make] of rnns) {
      const { ours, theirs } = make({ returnSequences: true });
      const m = nn.sequential({ layers: [nn.layers.masking({ maskValue: -1, inputShape: [T, F] }), ours] });
      const tm = tfl.sequential({ layers: [tfl.layers.masking({ maskValue: -1, inputShape: [T, F] }), theirs] });
      compare(`masking → ${name}`, m, tm, xs, [B, T, F]);
      m.dispose();
    }
    // the masking layer's own output: the padded steps zeroed, the rest untouched
    const x = nn.tensor(xs, [B, T, F]);
    const y = nn.layers.masking({ maskValue: -1 }).apply(x) as nn.Tensor;
    const want = tfl.layers.masking({ maskValue: -1 }).apply(tf.tensor(xs, [B, T, F])) as any;
    expectClose(y.dataSync(), want.dataSync(), 0, 'masking output');
  });
});

describe('masked sequences: gradients and padding', () => {
  it('central differences through masked steps (lstm, gru, jordanRNN, bidirectional)', () => {
    const ids = nn.tensor([2, 0, 3, 0, 0, 1, 4, 0], [2, 4]);
    const layers: any[] = [nn.layers.lstm({ units: 3, returnSequences: true }), nn.layers.gru({ units: 3, resetAfter: false }),
      nn.layers.gru({ units: 3, goBackwards: true }), nn.layers.simpleRNN({ units: 3, returnSequences: true }),
      nn.layers.jordanRNN({ units: 3, outputUnits: 2, returnSequences: true }),
      nn.layers.bidirectional({ layer: nn.layers.lstm({ units: 2, returnSequences: true }) })];
    for (const rnn of layers) {
      nn.setSeed(5);
      const emb = nn.layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true });
      rnn.apply(emb.apply(ids) as nn.Tensor);
      const vars = [...emb.weights, ...rnn.weights];
      const originals = vars.map((v) => v.value);
      const R = nn.tensor(rand((rnn.apply(emb.apply(ids) as nn.Tensor) as nn.Tensor).size, 7, -1, 1));
      checkGrad((...ws) => {
        ws.forEach((t, i) => { vars[i].value = t; });
        const y = rnn.apply(emb.apply(ids) as nn.Tensor) as nn.Tensor;
        return nn.mul(y, nn.reshape(R, y.shape));
      }, originals);
      vars.forEach((v, i) => { v.value = originals[i]; });
    }
  });

  it('a right-padded batch (functional model) gives each sequence the last output it has alone', () => {
    const lengths = [6, 2, 4, 1];
    const seqs = lengths.map((L, b) => Array.from({ length: L }, (_, t) => 1 + ((b * 5 + t * 3) % 6)));
    const padded = seqs.flatMap((s) => [...s, ...Array(T - s.length).fill(0)]);
    const makers: (() => any)[] = [() => nn.layers.lstm({ units: U }), () => nn.layers.gru({ units: U }),
      () => nn.layers.simpleRNN({ units: U }), () => nn.layers.jordanRNN({ units: U, outputUnits: 2 }),
      () => nn.layers.bidirectional({ layer: nn.layers.gru({ units: U, resetAfter: false }) })];
    for (const make of makers) {
      const emb = nn.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true });
      const rnn = make();
      const inp = nn.input({ shape: [T] });
      const model = nn.model({ inputs: inp, outputs: rnn.apply(emb.apply(inp)) });
      const y = model.predict(nn.tensor(padded, [B, T])) as nn.Tensor;
      const width = y.shape[1];
      seqs.forEach((s, b) => {
        const alone = rnn.apply(emb.apply(nn.tensor(s, [1, s.length])) as nn.Tensor) as nn.Tensor;
        expectClose(y.dataSync().slice(b * width, (b + 1) * width), alone.dataSync(), 1e-6, `${rnn.name} sample ${b}`);
      });
      model.dispose();
    }
  });

  it('with returnSequences a masked step repeats the previous output; without a mask nothing changes', () => {
    const emb = nn.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true });
    const lstm = nn.layers.lstm({ units: U, returnSequences: true });
    const y = lstm.apply(emb.apply(nn.tensor(IDS, [B, T])) as nn.Tensor) as nn.Tensor;
    const v = y.dataSync();
    const row = (b: number, t: number) => v.slice((b * T + t) * U, (b * T + t + 1) * U);
    expectClose(row(0, 3), row(0, 2), 0, 'right padding repeats the last step');
    expectClose(row(0, 5), row(0, 2), 0, 'right padding repeats the last step');
    expectClose(row(1, 0), new Float32Array(U), 0, 'left padding keeps the zero initial state');
    expectClose(row(2, 2), row(2, 0), 0, 'a gap repeats the step before it');
    expect(Math.max(...row(3, 5).map(Math.abs))).toBeGreaterThan(0);
    // the same layer fed the unmasked embedding differs at the padded steps
    const plain = nn.layers.embedding({ inputDim: VOCAB, outputDim: F });
    const ids = nn.tensor(IDS, [B, T]);
    plain.apply(ids);
    plain.setWeights(emb.getWeights());
    const u = (lstm.apply(plain.apply(ids) as nn.Tensor) as nn.Tensor).dataSync();
    expect(Math.max(...u.slice(3 * U, 4 * U).map((a, i) => Math.abs(a - v[3 * U + i])))).toBeGreaterThan(1e-3);
  });
});

describe('masked sequences in training', () => {
  it('fit learns from right-padded sequences of varied length (the label is the first token, far from the end)', async () => {
    const n = 64, L = 8;
    const r = rand(n * (L + 1), 21, 0, 1);
    const ids = new Float32Array(n * L), ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const len = 2 + Math.floor(r[i * (L + 1)] * (L - 1));
      ys[i] = i % 2;
      ids[i * L] = 1 + (i % 2);
      for (let t = 1; t < len; t++) ids[i * L + t] = 3 + Math.floor(r[i * (L + 1) + t] * 4);
    }
    const m = nn.sequential({ layers: [
      nn.layers.embedding({ inputDim: 7, outputDim: 4, maskZero: true, inputShape: [L] }),
      nn.layers.gru({ units: 8, recurrentInitializer: 'glorotUniform' }),
      nn.layers.dense({ units: 1, activation: 'sigmoid' }),
    ] });
    m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.03 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(nn.tensor(ids, [n, L]), nn.tensor(ys, [n, 1]), { epochs: 30, batchSize: 16, verbose: 0 });
    expect(h.history.loss.at(-1)).toBeLessThan(h.history.loss[0] / 2);
    expect(h.history.accuracy.at(-1)).toBeGreaterThan(0.95);
    m.dispose();
  });
});

describe('masking: bad input', () => {
  it('refuses a non-sequence input, a bad maskValue and a disposed mask, naming the layer; memory untouched', () => {
    const m = nn.layers.masking({ name: 'pad' });
    const x = nn.tensor(rand(6), [2, 3]);
    const before = nn.memory();
    expect(() => m.apply(x)).toThrow(/pad: expects a sequence input \[batch, timeSteps, features\], got shape \[2,3\]/);
    expect(nn.memory().numBytes).toBe(before.numBytes);
    expect(nn.memory().numTensors).toBe(before.numTensors);
    expect(() => nn.layers.masking({ maskValue: 'x' as any })).toThrow(/maskValue must be a number, got 'x'|maskValue must be a number/);
    expect(() => nn.layers.masking({ maskvalue: 0 } as any)).toThrow(/unknown option 'maskvalue'/);
    const emb = nn.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true });
    const e = nn.tidy(() => emb.apply(nn.tensor(IDS, [B, T])) as nn.Tensor);
    const lstm = nn.layers.lstm({ units: U, name: 'enc' });
    expect(() => lstm.apply(e)).toThrow(/enc: the mask of its input was disposed/);
  });
});
