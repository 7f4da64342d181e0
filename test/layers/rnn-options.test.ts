// The recurrent layers' dropout, recurrentDropout and stateful options (Keras / tfjs semantics):
// masks drawn once per call from the seeded stream and reused at every step, inverted scaling,
// nothing at inference; gradients through the masked sequence against central differences (the
// mask pinned by re-seeding before each evaluation); stateful layers carrying h (and c) from call
// to call; the options in saved configs.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose, checkGrad } from '../setup';
import { tfReady, tf, tfl, tfMemory } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const B = 3, T = 4, F = 3, U = 4;
type Make = (o: object) => nn.layers.RNN;
const cells: [string, Make][] = [
  ['simpleRNN', (o) => nn.layers.simpleRNN({ units: U, ...o })],
  ['lstm', (o) => nn.layers.lstm({ units: U, ...o })],
  ['gru (resetAfter)', (o) => nn.layers.gru({ units: U, ...o })],
  ['gru (resetAfter false)', (o) => nn.layers.gru({ units: U, resetAfter: false, ...o })],
  ['jordanRNN', (o) => nn.layers.jordanRNN({ units: U, outputUnits: 2, ...o })],
];
const randomBias = { biasInitializer: nn.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 3 }) };
const tfInit = { recurrentInitializer: 'glorotUniform' }; // tfjs' orthogonal initializer fails on its cpu backend here
const seqOf = (seed: number, b = B, t = T, f = F) => nn.tensor(rand(b * t * f, seed, -1, 1), [b, t, f]);

/** Ours and tfjs' cells that tfjs also has (its GRU is the reset-before form). */
const TFJS_MAKERS: [string, (o: object) => nn.layers.RNN, (o: object) => any][] = [
  ['simpleRNN', (o) => nn.layers.simpleRNN({ units: U, ...o }), (o) => tfl.layers.simpleRNN({ units: U, ...tfInit, ...o })],
  ['lstm', (o) => nn.layers.lstm({ units: U, ...o }), (o) => tfl.layers.lstm({ units: U, recurrentActivation: 'sigmoid', ...tfInit, ...o })],
  ['gru', (o) => nn.layers.gru({ units: U, resetAfter: false, ...o }), (o) => tfl.layers.gru({ units: U, recurrentActivation: 'sigmoid', ...tfInit, ...o })],
];

/**
 * embedding(maskZero) → rnn in training mode on ids (sample 0 padded at steps 2 and 3): with
 * `repeats`, sample 0's padded steps repeat step 1's output; gradients of every weight = central
 * differences (the same masks at every evaluation). Disposes both layers.
 */
function checkMaskedSteps(name: string, emb: nn.layers.Layer, rnn: nn.layers.RNN, ids: nn.Tensor, units: number, repeats: boolean): void {
  nn.setSeed(7);
  const y = (rnn.apply(emb.apply(ids) as nn.Tensor, { training: true }) as nn.Tensor).dataSync();
  if (repeats) for (const t of [2, 3]) expectClose(y.slice(t * units, (t + 1) * units), y.slice(units, 2 * units), 0, `${name} padded step ${t}`);
  const vars = [...emb.weights, ...rnn.weights], originals = vars.map((v) => v.value);
  const R = nn.tensor(rand(y.length, 7, -1, 1));
  checkGrad((...ws) => {
    ws.forEach((t, i) => { vars[i].value = t; });
    nn.setSeed(7);
    const out = rnn.apply(emb.apply(ids) as nn.Tensor, { training: true }) as nn.Tensor;
    return nn.mul(out, nn.reshape(R, out.shape));
  }, originals, { eps: 1e-2, tol: 2e-3 });
  vars.forEach((v, i) => { v.value = originals[i]; });
  rnn.dispose(); emb.dispose();
}

/**
 * Runs our layer l and tfjs' tl (handed the same masks) on one input with the same random weights,
 * training mode, our masks drawn after nn.setSeed(seed): outputs and weight gradients must agree.
 */
function expectSameAsTfjs(name: string, l: nn.layers.RNN, tl: any, seed: number, dataSeed: number): void {
  const xs = rand(B * T * F, dataSeed);
  const x = nn.tensor(xs, [B, T, F]), tx = tf.tensor(xs, [B, T, F]);
  l.apply(x);
  tl.apply(tx);
  const w = l.getWeights().map((t, i) => nn.tensor(rand(t.size, dataSeed + 9 + i, -0.6, 0.6), t.shape));
  l.setWeights(w);
  tl.setWeights(w.map((t) => tf.tensor(t.dataSync(), t.shape)));
  nn.setSeed(seed);
  const y = l.apply(x, { training: true }) as nn.Tensor;
  expectClose(y.dataSync(), (tl.apply(tx, { training: true }) as any).dataSync(), 2e-5, `${name} output`);
  const R = rand(y.size, 13, -1, 1);
  const vars = l.weights, originals = vars.map((v) => v.value);
  const grads = nn.grads((...ws) => {
    ws.forEach((t, i) => { vars[i].value = t; });
    nn.setSeed(seed);
    return nn.sum(nn.mul(l.apply(x, { training: true }) as nn.Tensor, nn.tensor(R, y.shape)));
  })(originals);
  vars.forEach((v, i) => { v.value = originals[i]; });
  const tVars = tl.trainableWeights.map((v: any) => v.read());
  const { grads: tg } = tf.variableGrads(() => tf.sum(tf.mul(tl.apply(tx, { training: true }), tf.tensor(R, y.shape))) as any, tVars);
  tVars.forEach((v: any, i: number) => expectClose(grads[i].dataSync(), tg[v.name].dataSync(), 1e-4, `${name} d${vars[i].name}`));
}

describe('dropout (inputs)', () => {
  /** A linear simpleRNN that outputs its (dropped-out) input: kernel I, recurrent kernel 0, bias 0. */
  function identityRNN(rate: number, features: number) {
    const l = nn.layers.simpleRNN({ units: features, activation: 'linear', returnSequences: true, dropout: rate });
    l.apply(nn.zeros([1, 1, features]));
    const eye = new Float32Array(features * features);
    for (let i = 0; i < features; i++) eye[i * features + i] = 1;
    l.setWeights([nn.tensor(eye, [features, features]), nn.zeros([features, features]), nn.zeros([features])]);
    return l;
  }

  it('one mask per sample over the features, the same at every step, scaled by 1/(1 − rate); the fraction dropped ≈ rate', () => {
    const rate = 0.3, Bn = 64, Fn = 64, Tn = 3;
    const l = identityRNN(rate, Fn);
    nn.setSeed(21);
    const y = (l.apply(nn.ones([Bn, Tn, Fn]), { training: true }) as nn.Tensor).dataSync();
    let dropped = 0;
    for (let b = 0; b < Bn; b++) for (let f = 0; f < Fn; f++) {
      const v = y[(b * Tn) * Fn + f];
      expect([0, 1 / (1 - rate)].some((w) => Math.abs(v - w) < 1e-6)).toBe(true);
      if (v === 0) dropped++;
      for (let t = 1; t < Tn; t++) expect(y[(b * Tn + t) * Fn + f]).toBe(v);
    }
    expect(Math.abs(dropped / (Bn * Fn) - rate)).toBeLessThan(0.03);
    // samples get different masks
    expect(Array.from(y.slice(0, Fn))).not.toEqual(Array.from(y.slice(Tn * Fn, Tn * Fn + Fn)));
    l.dispose();
  });

  it('the mask is the one nn.dropout draws from the same seed (the seeded stream), and the same seed gives the same output', () => {
    const rate = 0.4, l = identityRNN(rate, F), x = seqOf(5);
    nn.setSeed(8);
    const mask = nn.dropout(nn.ones([B, 1, F]), rate).dataSync();
    nn.setSeed(8);
    const y = (l.apply(x, { training: true }) as nn.Tensor).dataSync();
    const xs = x.dataSync();
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let f = 0; f < F; f++) {
      expect(y[(b * T + t) * F + f]).toBeCloseTo(xs[(b * T + t) * F + f] * mask[b * F + f], 6);
    }
    nn.setSeed(8);
    expect(Array.from((l.apply(x, { training: true }) as nn.Tensor).dataSync())).toEqual(Array.from(y));
    // a second call moves the stream on: another mask
    expect(Array.from((l.apply(x, { training: true }) as nn.Tensor).dataSync())).not.toEqual(Array.from(y));
    l.dispose();
  });

  for (const [name, make] of cells) {
    it(`${name}: rate 0 is bitwise no dropout; at inference the output is the model's without dropout; training differs`, () => {
      const plain = make({ returnSequences: true });
      const zero = make({ returnSequences: true, dropout: 0 });
      const half = make({ returnSequences: true, dropout: 0.5 });
      const x = seqOf(2);
      for (const l of [plain, zero, half]) l.apply(x);
      for (const l of [zero, half]) l.setWeights(plain.getWeights());
      const want = Array.from((plain.apply(x) as nn.Tensor).dataSync());
      expect(Array.from((zero.apply(x, { training: true }) as nn.Tensor).dataSync())).toEqual(want);
      expect(Array.from((half.apply(x) as nn.Tensor).dataSync())).toEqual(want);
      expect(Array.from((half.apply(x, { training: true }) as nn.Tensor).dataSync())).not.toEqual(want);
      for (const l of [plain, zero, half]) l.dispose();
    });

    it(`${name}: gradients with dropout = central differences of the same masked function`, () => {
      nn.setSeed(2);
      const l = make({ ...randomBias, returnSequences: true, dropout: 0.4 });
      const x = seqOf(3);
      l.apply(x);
      const vars = l.weights, originals = vars.map((v) => v.value);
      const R = nn.tensor(rand(B * T * (l.className === 'JordanRNN' ? 2 : U), 4, -1, 1));
      checkGrad((xIn, ...ws) => {
        ws.forEach((t, i) => { vars[i].value = t; });
        nn.setSeed(99); // the same mask at every evaluation
        const y = l.apply(xIn, { training: true }) as nn.Tensor;
        return nn.mul(y, nn.reshape(R, y.shape));
      }, [x, ...originals], { eps: 1e-2, tol: 2e-3 });
      vars.forEach((v, i) => { v.value = originals[i]; });
      l.dispose();
    });
  }

  it('with padded steps (embedding maskZero): masked steps still carry the state; gradients = central differences', () => {
    const ids = nn.tensor([1, 2, 0, 0, 0, 3, 4, 1, 2, 0, 1, 0], [3, 4]);
    for (const make of [cells[1][1], cells[3][1]]) {
      nn.setSeed(6);
      const emb = nn.layers.embedding({ inputDim: 5, outputDim: F, maskZero: true });
      const rnn = make({ ...randomBias, returnSequences: true, dropout: 0.3 });
      // sample 0: steps 2, 3 are padding: its output repeats step 1's
      checkMaskedSteps('', emb, rnn, ids, U, true);
    }
  });

  it('= tfjs-layers (cpu) given the same input mask (its dropoutFunc), forward and gradients', () => {
    const rate = 0.5;
    for (const [name, ours, theirs] of TFJS_MAKERS) {
      nn.setSeed(30);
      const mask = nn.dropout(nn.ones([B, 1, F]), rate).dataSync();
      const l = ours({ dropout: rate, returnSequences: true });
      const tl = theirs({ dropout: rate, returnSequences: true, dropoutFunc: (ones: any) => tf.tensor(mask, ones.shape) });
      expectSameAsTfjs(name, l, tl, 30, 31);
      l.dispose();
    }
  });
});

/** A plain step-by-step reference (Keras' cells) with recurrent mask m:(B,u) on h_{t−1}; x:(B,T,F). Returns the (B,T,u) outputs. */
function reference(cell: 'simple' | 'lstm' | 'gru' | 'gruBefore', ws: Float32Array[], x: Float32Array, m: Float32Array,
                   Bn: number, Tn: number, Fn: number, u: number): Float32Array {
  const [W, Uk, b] = ws;
  const G = { simple: 1, lstm: 4, gru: 3, gruBefore: 3 }[cell], N = G * u;
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const out = new Float32Array(Bn * Tn * u);
  for (let bi = 0; bi < Bn; bi++) {
    let h = new Float64Array(u), c = new Float64Array(u);
    for (let t = 0; t < Tn; t++) {
      const hm = h.map((v, j) => v * m[bi * u + j]);
      const xw = new Float64Array(N), hu = new Float64Array(N);
      for (let n = 0; n < N; n++) {
        for (let f = 0; f < Fn; f++) xw[n] += x[(bi * Tn + t) * Fn + f] * W[f * N + n];
        xw[n] += b[n];
        for (let j = 0; j < u; j++) hu[n] += hm[j] * Uk[j * N + n];
        if (cell === 'gru') hu[n] += b[N + n]; // the recurrent bias of the reset-after form
      }
      const next = new Float64Array(u);
      for (let j = 0; j < u; j++) {
        if (cell === 'simple') next[j] = Math.tanh(xw[j] + hu[j]);
        else if (cell === 'lstm') {
          const i = sig(xw[j] + hu[j]), f = sig(xw[u + j] + hu[u + j]), g = Math.tanh(xw[2 * u + j] + hu[2 * u + j]), o = sig(xw[3 * u + j] + hu[3 * u + j]);
          c[j] = f * c[j] + i * g;
          next[j] = o * Math.tanh(c[j]);
        } else {
          const z = sig(xw[j] + hu[j]), r = sig(xw[u + j] + hu[u + j]);
          // reset after: r·(h̃·U_h + b'_h); reset before: (r·h̃)·U_h
          let rec = r * hu[2 * u + j];
          if (cell === 'gruBefore') { rec = 0; for (let k = 0; k < u; k++) rec += sig(xw[u + k] + hu[u + k]) * hm[k] * Uk[k * N + 2 * u + j]; }
          const hh = Math.tanh(xw[2 * u + j] + rec);
          next[j] = z * hm[j] + (1 - z) * hh; // Keras and tfjs carry the masked state through z too
        }
      }
      h = next;
      for (let j = 0; j < u; j++) out[(bi * Tn + t) * u + j] = h[j];
    }
  }
  return out;
}

describe('recurrentDropout', () => {
  const refCells: ['simple' | 'lstm' | 'gru' | 'gruBefore', Make][] = [
    ['simple', cells[0][1]], ['lstm', cells[1][1]], ['gru', cells[2][1]], ['gruBefore', cells[3][1]]];
  for (const [cell, make] of refCells) {
    it(`${cell}: forward = a step-by-step reference with the mask drawn from the same seed (${B} and 5 samples)`, () => {
      for (const Bn of [B, 5]) { // 5 rows: the recurrent kernel packed once per sequence
        nn.setSeed(40);
        const rate = 0.4, l = make({ ...randomBias, returnSequences: true, recurrentDropout: rate });
        const x = seqOf(41, Bn);
        l.apply(x);
        nn.setSeed(42);
        const m = nn.dropout(nn.ones([Bn, U]), rate).dataSync();
        expect(m.some((v) => v === 0) && m.some((v) => v > 1)).toBe(true);
        nn.setSeed(42);
        const y = (l.apply(x, { training: true }) as nn.Tensor).dataSync();
        const want = reference(cell, l.getWeights().map((t) => t.dataSync()), x.dataSync(), m, Bn, T, F, U);
        expectClose(y, want, 2e-6, `${cell} with a recurrent mask`);
        // and it is not the unmasked output
        expect(Math.max(...y.map((v, i) => Math.abs(v - (l.apply(x) as nn.Tensor).dataSync()[i])))).toBeGreaterThan(1e-3);
        l.dispose();
      }
    });
  }

  it('the same mask at every step, scaled by 1/(1 − rate), the fraction dropped ≈ rate (a linear identity recurrence)', () => {
    const rate = 0.25, Bn = 48, u = 48, Tn = 2;
    const l = nn.layers.simpleRNN({ units: u, activation: 'linear', returnSequences: true, recurrentDropout: rate });
    const x = nn.zeros([Bn, Tn, 1]);
    l.apply(x);
    const eye = new Float32Array(u * u);
    for (let i = 0; i < u; i++) eye[i * u + i] = 1;
    l.setWeights([nn.zeros([1, u]), nn.tensor(eye, [u, u]), nn.zeros([u])]);
    nn.setSeed(3);
    // h_1 = m ∘ h_0 with h_0 = 1, h_2 = m ∘ h_1 = m²
    const y = (l.apply(x, { training: true, initialState: [nn.ones([Bn, u])] }) as nn.Tensor).dataSync();
    const s = 1 / (1 - rate);
    let dropped = 0;
    for (let i = 0; i < Bn * u; i++) {
      const [b, j] = [Math.floor(i / u), i % u];
      const m = y[(b * Tn) * u + j];
      expect(m === 0 || Math.abs(m - s) < 1e-6).toBe(true);
      expect(y[(b * Tn + 1) * u + j]).toBeCloseTo(m * m, 5);
      if (m === 0) dropped++;
    }
    expect(Math.abs(dropped / (Bn * u) - rate)).toBeLessThan(0.03);
    l.dispose();
  });

  for (const [name, make] of cells) {
    it(`${name}: rate 0 is bitwise no dropout; at inference the output is the model's without it`, () => {
      const plain = make({ returnSequences: true }), zero = make({ returnSequences: true, recurrentDropout: 0 });
      const some = make({ returnSequences: true, recurrentDropout: 0.5 });
      const x = seqOf(2);
      for (const l of [plain, zero, some]) l.apply(x);
      for (const l of [zero, some]) l.setWeights(plain.getWeights());
      const want = Array.from((plain.apply(x) as nn.Tensor).dataSync());
      expect(Array.from((zero.apply(x, { training: true }) as nn.Tensor).dataSync())).toEqual(want);
      expect(Array.from((some.apply(x) as nn.Tensor).dataSync())).toEqual(want);
      expect(Array.from((some.apply(x, { training: true }) as nn.Tensor).dataSync())).not.toEqual(want);
      for (const l of [plain, zero, some]) l.dispose();
    });

    for (const Bn of [B, 5]) {
      it(`${name}: gradients through time with recurrentDropout (and dropout) = central differences, ${Bn} samples, initial state`, () => {
        nn.setSeed(2);
        const l = make({ ...randomBias, returnSequences: true, returnState: true, recurrentDropout: 0.4, dropout: 0.2 });
        const x = seqOf(3, Bn);
        const nState = l.className === 'LSTM' ? 2 : 1, su = l.className === 'JordanRNN' ? 2 : U;
        const init = Array.from({ length: nState }, (_, i) => nn.tensor(rand(Bn * su, 20 + i, -0.8, 0.8), [Bn, su]));
        const outs = l.apply(x, { initialState: init }) as nn.Tensor[];
        const vars = l.weights, originals = vars.map((v) => v.value);
        const R = outs.map((o, i) => nn.tensor(rand(o.size, 30 + i, -1, 1), o.shape));
        checkGrad((xIn, ...rest) => {
          rest.slice(0, vars.length).forEach((t, i) => { vars[i].value = t; });
          nn.setSeed(99); // the same masks at every evaluation
          const ys = l.apply(xIn, { training: true, initialState: rest.slice(vars.length) }) as nn.Tensor[];
          return ys.map((y, i) => nn.sum(nn.mul(y, R[i]))).reduce((a, b) => nn.add(a, b));
        }, [x, ...originals, ...init], { eps: 1e-2, tol: 2e-3 });
        vars.forEach((v, i) => { v.value = originals[i]; });
        l.dispose();
      });
    }
  }

  it('with padded steps (embedding maskZero), goBackwards too: padded steps carry the unmasked state; gradients = central differences', () => {
    const ids = nn.tensor([1, 2, 0, 0, 0, 3, 4, 1, 2, 0, 1, 0, 3, 3, 3, 0, 0, 0, 0, 2], [5, 4]);
    for (const [name, make] of cells) {
      for (const goBackwards of [false, true]) {
        nn.setSeed(6);
        const emb = nn.layers.embedding({ inputDim: 5, outputDim: F, maskZero: true });
        const rnn = make({ ...randomBias, returnSequences: true, goBackwards, recurrentDropout: 0.3 });
        checkMaskedSteps(name, emb, rnn, ids, name === 'jordanRNN' ? 2 : U, !goBackwards);
      }
    }
  });

  it('= tfjs-layers (cpu) given the same masks (its dropoutFunc), dropout and recurrentDropout together, forward and gradients', () => {
    for (const [name, ours, theirs] of TFJS_MAKERS) {
      nn.setSeed(50);
      const dm = nn.dropout(nn.ones([B, 1, F]), 0.3).dataSync(), rm = nn.dropout(nn.ones([B, U]), 0.4).dataSync();
      const opts = { dropout: 0.3, recurrentDropout: 0.4, returnSequences: true };
      const l = ours(opts);
      // tfjs asks for a mask shaped like the step's input [B, F] or like the state [B, U]
      const tl = theirs({ ...opts, dropoutFunc: (ones: any) => tf.tensor(ones.shape[1] === F ? dm : rm, ones.shape) });
      expectSameAsTfjs(name, l, tl, 50, 51);
      l.dispose();
    }
  });

  it('training memory is flat: a fit step frees the masks and the masked states (stateful too)', async () => {
    for (const stateful of [false, true]) {
      nn.setSeed(9);
      const rnn = nn.layers.gru({ units: U, recurrentDropout: 0.3, dropout: 0.3, stateful, batchInputShape: [stateful ? 8 : null, T, F] });
      const m = nn.sequential({ layers: [rnn, nn.layers.dense({ units: 1 })] });
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const x = seqOf(1, 8), y = nn.tensor(rand(8, 2), [8, 1]);
      await m.trainOnBatch(x, y);
      const before = nn.memory();
      for (let i = 0; i < 3; i++) await m.trainOnBatch(x, y);
      expect(nn.memory()).toEqual(before);
      m.dispose();
    }
  });
});

describe('stateful', () => {
  for (const [name, make] of cells) {
    it(`${name}: two calls on the halves of a sequence = one call on the whole; resetStates restarts from zeros`, () => {
      nn.setSeed(11);
      const l = make({ ...randomBias, returnSequences: true, stateful: true });
      const Tn = 6, x = seqOf(12, B, Tn);
      const first = nn.slice(x, [0, 0, 0], [B, Tn / 2, F]), second = nn.slice(x, [0, Tn / 2, 0], [B, Tn / 2, F]);
      const a = l.apply(first) as nn.Tensor, b = l.apply(second) as nn.Tensor;
      l.resetStates();
      const whole = l.apply(x) as nn.Tensor;
      expectClose(nn.concat([a, b], 1).dataSync(), whole.dataSync(), 1e-6, 'halves vs whole');
      // without the reset, the whole sequence would start from the second half's end: differs
      const again = l.apply(x) as nn.Tensor;
      expect(Array.from(again.dataSync())).not.toEqual(Array.from(whole.dataSync()));
      l.resetStates();
      expect(Array.from((l.apply(x) as nn.Tensor).dataSync())).toEqual(Array.from(whole.dataSync()));
      l.dispose();
    });
  }

  it('no gradient flows into the previous call: two calls under one tape = the second alone from the held states as constants', () => {
    for (const [name, make] of cells) {
      nn.setSeed(13);
      const l = make({ ...randomBias, stateful: true }), ref = make({ ...randomBias });
      const x1 = seqOf(14), x2 = seqOf(15);
      l.apply(x1); ref.apply(x1);
      ref.setWeights(l.getWeights());
      l.resetStates();
      l.apply(x1);
      const held = l.states!;
      const gradsOf = (layer: nn.layers.RNN, f: () => nn.Tensor) => {
        const vars = layer.weights, originals = vars.map((v) => v.value);
        const g = nn.grads((...ws) => { ws.forEach((t, i) => { vars[i].value = t; }); return f(); })(originals);
        vars.forEach((v, i) => { v.value = originals[i]; });
        return g.map((t) => Array.from(t.dataSync()));
      };
      l.resetStates();
      const both = gradsOf(l, () => { l.apply(x1); return nn.sum(l.apply(x2) as nn.Tensor); });
      expect(both, name).toEqual(gradsOf(ref, () => nn.sum(ref.apply(x2, { initialState: held }) as nn.Tensor)));
      l.dispose(); ref.dispose();
    }
  });

  it('memory stays flat over calls; a batch of another size is refused naming the layer and shapes, leaving memory as it was', () => {
    const l = nn.layers.lstm({ units: U, stateful: true, name: 'keeper' });
    const x = seqOf(1);
    (l.apply(x) as nn.Tensor).dispose();
    const before = nn.memory();
    for (let i = 0; i < 4; i++) (l.apply(x) as nn.Tensor).dispose();
    expect(nn.memory()).toEqual(before);
    const wrong = seqOf(2, B + 1);
    const atRefusal = nn.memory();
    expect(() => l.apply(wrong)).toThrow('keeper: a stateful layer runs batches of 3 samples (its states are [3,4]), got input shape [4,4,3]');
    expect(nn.memory()).toEqual(atRefusal);
    wrong.dispose();
    l.dispose();
    expect(nn.memory().numTensors).toBe(before.numTensors - 2 - 3); // its 2 states and 3 weights are freed
  });

  it('resetStates(states) starts the next call from given states; states of other shapes are refused', () => {
    nn.setSeed(16);
    const l = nn.layers.lstm({ units: U, stateful: true, name: 'st', ...randomBias });
    const x = seqOf(17);
    l.apply(x);
    const init = [nn.tensor(rand(B * U, 18), [B, U]), nn.tensor(rand(B * U, 19), [B, U])];
    const want = Array.from((l.apply(x, { initialState: init }) as nn.Tensor).dataSync()); // given states win over held ones
    l.resetStates(init);
    expect(Array.from((l.apply(x) as nn.Tensor).dataSync())).toEqual(want);
    expect(() => l.resetStates([init[0]])).toThrow('st.resetStates: expects [3,4], [3,4], got [3,4]');
    expect(() => l.resetStates([nn.zeros([2, U]), init[1]])).toThrow('st.resetStates: expects [3,4], [3,4], got [2,4], [3,4]');
    l.dispose();
  });

  it('needs a fixed batch size; resetStates on a layer that is not stateful is refused', () => {
    expect(() => nn.sequential({ layers: [nn.layers.gru({ units: 2, stateful: true, inputShape: [4, 3], name: 'g' })] }))
      .toThrow(/g: a stateful layer needs a fixed batch size; give the model's first layer batchInputShape/);
    expect(() => nn.layers.gru({ units: 2, name: 'g2' }).resetStates()).toThrow('g2: resetStates() needs a stateful layer (stateful: true)');
    expect(() => nn.layers.bidirectional({ layer: nn.layers.lstm({ units: 2, stateful: true }) })).toThrow(/a stateful wrapped layer is not supported/);
  });

  it('fit (shuffle false) carries the states across batches; model.resetStates zeroes them; the config round-trips through save/load and tfjs', async () => {
    nn.setSeed(12);
    const m = nn.sequential({ layers: [
      nn.layers.lstm({ units: U, stateful: true, dropout: 0.2, batchInputShape: [2, T, F] }),
      nn.layers.dense({ units: 1 }),
    ] });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = seqOf(13, 8), y = nn.tensor(rand(8, 14), [8, 1]);
    const h = await m.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
    expect(h.history.loss.every(Number.isFinite)).toBe(true);
    const lstm = m.layers[0] as nn.layers.RNN;
    expect(lstm.states!.some((s) => s.dataSync().some((v) => v !== 0))).toBe(true);
    m.resetStates();
    expect(lstm.states!.every((s) => s.dataSync().every((v) => v === 0))).toBe(true);
    expect(() => m.predict(seqOf(1, 3))).toThrow(/expected input shape \[2,4,3\], got \[3,4,3\]/);

    const saved = nn.io.memory();
    await m.save(saved);
    const cfg = (saved.modelTopology as any).config.layers;
    expect(cfg.find((c: any) => c.class_name === 'LSTM').config).toMatchObject({ stateful: true, dropout: 0.2, recurrent_dropout: 0 });
    const xs = seqOf(15, 2);
    const ours = (m.predict(xs) as nn.Tensor).dataSync();
    const tm = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: saved.modelTopology, weightSpecs: saved.weightSpecs as any, weightData: saved.weightData }));
    expectClose(ours, (tm.predict(tf.tensor(xs.dataSync(), xs.shape)) as any).dataSync(), 2e-5, 'tfjs predictions');
    const back = await nn.loadLayersModel(saved);
    const l2 = back.layers[0] as nn.layers.RNN;
    expect([l2.stateful, l2.dropout, l2.recurrentDropout]).toEqual([true, 0.2, 0]);
    back.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const h2 = await back.fit(x, y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    expect(h2.history.loss.every(Number.isFinite)).toBe(true);
    m.dispose(); back.dispose();
  });
});

describe('with other features', () => {
  it('a tfjs model with dropout, recurrentDropout and stateful layers loads here, predicts as tfjs and trains', async () => {
    const tm = tfl.sequential({ layers: [
      tfl.layers.gru({ units: U, returnSequences: true, dropout: 0.1, recurrentDropout: 0.2, stateful: true, batchInputShape: [2, T, F], ...tfInit }),
      tfl.layers.lstm({ units: U, dropout: 0.2, recurrentDropout: 0.3, stateful: true, recurrentActivation: 'sigmoid', ...tfInit }),
      tfl.layers.dense({ units: 1 }),
    ] });
    const h = tfMemory();
    await tm.save(h);
    const a = h.artifacts;
    const m = await nn.loadLayersModel(nn.io.fromMemory(a.modelTopology, a.weightSpecs, a.weightData));
    const [g, l] = m.layers as nn.layers.RNN[];
    expect([g.dropout, g.recurrentDropout, g.stateful, l.dropout, l.recurrentDropout, l.stateful]).toEqual([0.1, 0.2, true, 0.2, 0.3, true]);
    const xs = rand(2 * T * F, 70);
    expectClose((m.predict(nn.tensor(xs, [2, T, F])) as nn.Tensor).dataSync(), (tm.predict(tf.tensor(xs, [2, T, F])) as any).dataSync(),
      2e-5, 'predictions from zero states');
    m.resetStates();
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const hist = await m.fit(seqOf(71, 6), nn.tensor(rand(6, 72), [6, 1]), { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    expect(hist.history.loss.every(Number.isFinite)).toBe(true);
    m.dispose();
  });

  it('seed (Keras 3): the masks follow the layer\'s own stream whatever setSeed says, and the seed is saved', () => {
    const run = (globalSeed: number) => {
      const l = nn.layers.lstm({ units: U, dropout: 0.3, recurrentDropout: 0.3, seed: 5, kernelInitializer: nn.initializers.glorotUniform({ seed: 1 }),
        recurrentInitializer: nn.initializers.glorotUniform({ seed: 2 }) });
      nn.setSeed(globalSeed);
      const x = seqOf(3);
      const ys = [0, 1].map(() => Array.from((l.apply(x, { training: true }) as nn.Tensor).dataSync()));
      expect(l.getConfig().seed).toBe(5);
      l.dispose();
      return ys;
    };
    const [a1, a2] = run(1), [b1, b2] = run(2);
    expect(b1).toEqual(a1);
    expect(b2).toEqual(a2);
    expect(a2).not.toEqual(a1); // each call draws new masks
    expect('seed' in nn.layers.gru({ units: 2 }).getConfig()).toBe(false);
  });

  it('bidirectional: both directions drop while training; inference is unchanged', () => {
    nn.setSeed(4);
    const plain = nn.layers.bidirectional({ layer: nn.layers.gru({ units: U }) });
    const drop = nn.layers.bidirectional({ layer: nn.layers.gru({ units: U, dropout: 0.4, recurrentDropout: 0.4 }) });
    const x = seqOf(8);
    plain.apply(x); drop.apply(x);
    drop.setWeights(plain.getWeights());
    const want = Array.from((plain.apply(x) as nn.Tensor).dataSync());
    expect(Array.from((drop.apply(x) as nn.Tensor).dataSync())).toEqual(want);
    const y = (drop.apply(x, { training: true }) as nn.Tensor).dataSync();
    for (const half of [0, 1]) { // forward and backward halves of the concatenated output both changed
      const pick = (v: ArrayLike<number>) => Array.from(v).filter((_, i) => Math.floor(i / U) % 2 === half);
      expect(pick(y)).not.toEqual(pick(want));
    }
    plain.dispose(); drop.dispose();
  });

  it('a refused training call (wrong feature size) leaves memory as it was', () => {
    for (const make of [cells[1][1], cells[4][1]]) {
      const l = make({ dropout: 0.3, recurrentDropout: 0.3, name: 'r' });
      l.apply(seqOf(1));
      const bad = nn.ones([B, T, F + 1]);
      const before = nn.memory();
      expect(() => l.apply(bad, { training: true })).toThrow(/^r: the kernel \[3,\d+\] expects 3 features per time step/);
      expect(nn.memory()).toEqual(before);
      bad.dispose(); l.dispose();
    }
  });
});

describe('bad option values', () => {
  it('dropout, recurrentDropout and stateful values are refused naming the layer', () => {
    for (const key of ['dropout', 'recurrentDropout']) {
      for (const v of [-0.1, 1, 1.5, NaN, '0.5']) {
        expect(() => nn.layers.lstm({ units: 2, name: 'bad', [key]: v } as any)).toThrow(`bad: ${key} must be a number in [0, 1), got ${typeof v === 'string' ? `'${v}' (a string)` : v}`);
      }
    }
    expect(() => nn.layers.gru({ units: 2, name: 'bad', stateful: 'yes' } as any)).toThrow("bad: stateful must be true or false, got 'yes' (a string)");
  });
});
