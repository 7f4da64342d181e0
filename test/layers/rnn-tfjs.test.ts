// Recurrent layers against tfjs-layers on its cpu backend, same weights: forward outputs and the
// gradients of x and every weight, for simpleRNN, lstm and gru (resetAfter false: the only GRU
// tfjs has); the reset-after GRU against a plain reference written here.
import { describe, it, beforeAll, expect } from 'vitest';
import { nn, ready, rand, expectClose } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const B = 3, T = 5, F = 4, U = 6;

interface Case { name: string; ours: () => nn.layers.RNN; theirs: () => any }
const opts = (o: object) => ({ units: U, ...o });
// tfjs' orthogonal initializer needs tfjs' chained ops; the weights are copied over anyway.
const tfInit = { recurrentInitializer: 'glorotUniform' };

function compare(c: Case, o: object): void {
  nn.setSeed(11);
  const layer = c.ours();
  const xs = rand(B * T * F, 5, -1, 1);
  const x = nn.tensor(xs, [B, T, F]);
  layer.apply(x);
  // random biases: zero biases would hide a misplaced bias
  const w = layer.getWeights();
  const bias = w[2];
  w[2] = nn.tensor(rand(bias.size, 9, -0.5, 0.5), bias.shape);
  layer.setWeights(w);

  const tl = c.theirs();
  const tx = tf.tensor(xs, [B, T, F]);
  tl.apply(tx);
  tl.setWeights(w.map((t) => tf.tensor(t.dataSync(), t.shape)));

  // forward
  const y = layer.apply(x) as nn.Tensor;
  const ty = tl.apply(tx) as any;
  expect(y.shape).toEqual(ty.shape);
  expectClose(y.dataSync(), ty.dataSync(), 2e-5, `${c.name} ${JSON.stringify(o)} output`);
  const R = rand(y.size, 13, -1, 1);

  // gradients of Σ y·R with respect to x and every weight
  const vars = layer.weights;
  const originals = vars.map((v) => v.value);
  const ours = nn.grads((xIn, ...ws) => {
    ws.forEach((t, i) => { vars[i].value = t; });
    return nn.sum(nn.mul(layer.call(xIn) as nn.Tensor, nn.tensor(R, y.shape)));
  })([x, ...originals]);
  vars.forEach((v, i) => { v.value = originals[i]; });
  const tVars = tl.trainableWeights.map((v: any) => v.read());
  const f = (xIn: any) => tf.sum(tf.mul(tl.apply(xIn), tf.tensor(R, ty.shape)));
  const { grads } = tf.variableGrads(() => f(tx) as any, tVars);
  const gx = tf.grad(f)(tx);
  expectClose(ours[0].dataSync(), gx.dataSync(), 1e-4, `${c.name} dx`);
  tVars.forEach((v: any, i: number) => expectClose(ours[i + 1].dataSync(), grads[v.name].dataSync(), 1e-4, `${c.name} d${vars[i].name}`));
  layer.dispose();
  for (const t of [x, y, ...w, ...ours]) t.dispose();
}

const cases = (o: object): Case[] => [
  { name: 'simpleRNN', ours: () => nn.layers.simpleRNN(opts(o)), theirs: () => tfl.layers.simpleRNN({ ...opts(o), ...tfInit }) },
  {
    name: 'lstm', ours: () => nn.layers.lstm(opts(o)),
    theirs: () => tfl.layers.lstm({ ...opts(o), ...tfInit, recurrentActivation: 'sigmoid', unitForgetBias: true }),
  },
  {
    name: 'gru (resetAfter false)', ours: () => nn.layers.gru({ ...opts(o), resetAfter: false }),
    theirs: () => tfl.layers.gru({ ...opts(o), ...tfInit, recurrentActivation: 'sigmoid' }),
  },
];

describe('recurrent layers = tfjs-layers (cpu), forward and gradients', () => {
  for (const o of [{}, { returnSequences: true }, { returnSequences: true, goBackwards: true }, { activation: 'relu' }]) {
    for (const c of cases(o)) it(`${c.name} ${JSON.stringify(o)}`, () => compare(c, o));
  }
});

/** The reset-after GRU (Keras 3 / CuDNN), step by step in f64: the reference for the fused kernel. */
function gruResetAfter(x: Float32Array, W: Float32Array, Uw: Float32Array, bias: Float32Array, goBackwards: boolean): number[][][] {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const out: number[][][] = [];
  for (let b = 0; b < B; b++) {
    let h = new Array(U).fill(0);
    const seq: number[][] = [];
    for (let s = 0; s < T; s++) {
      const t = goBackwards ? T - 1 - s : s;
      const xw = new Array(3 * U).fill(0), hu = new Array(3 * U).fill(0);
      for (let j = 0; j < 3 * U; j++) {
        xw[j] = bias[j];
        for (let f = 0; f < F; f++) xw[j] += x[(b * T + t) * F + f] * W[f * 3 * U + j];
        hu[j] = bias[3 * U + j];
        for (let i = 0; i < U; i++) hu[j] += h[i] * Uw[i * 3 * U + j];
      }
      h = h.map((hp, j) => {
        const z = sig(xw[j] + hu[j]), r = sig(xw[U + j] + hu[U + j]);
        const hh = Math.tanh(xw[2 * U + j] + r * hu[2 * U + j]);
        return z * hp + (1 - z) * hh;
      });
      seq.push(h);
    }
    out.push(seq);
  }
  return out;
}

describe('gru (resetAfter true) = a plain step-by-step reference', () => {
  for (const goBackwards of [false, true]) {
    it(`goBackwards ${goBackwards}`, () => {
      nn.setSeed(21);
      const layer = nn.layers.gru({ units: U, returnSequences: true, goBackwards });
      const xs = rand(B * T * F, 22, -1, 1);
      const x = nn.tensor(xs, [B, T, F]);
      layer.apply(x);
      const bias = nn.tensor(rand(6 * U, 23, -0.5, 0.5), [2, 3 * U]);
      const [W, Uw] = layer.getWeights();
      layer.setWeights([W, Uw, bias]);
      const y = layer.apply(x) as nn.Tensor;
      expect(layer.weights[2].shape).toEqual([2, 3 * U]);
      const ref = gruResetAfter(xs, W.dataSync(), Uw.dataSync(), bias.dataSync(), goBackwards);
      expectClose(y.dataSync(), ref.flat(2), 2e-6, 'gru resetAfter output');
      layer.dispose();
      for (const t of [x, y, W, Uw, bias]) t.dispose();
    });
  }
});
