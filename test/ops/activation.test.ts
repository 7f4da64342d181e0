// Activation and unary-math ops: finite-difference gradients, and forward values and gradients
// against TensorFlow.js (cpu backend) for every function tfjs also has.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

// Points at least 0.1 away from every kink (0, ±2.5 for hardSigmoid, 6 for relu6).
const AWAY_FROM_KINKS = [-3.3, -2.7, -1.3, -0.6, -0.2, 0.3, 0.9, 1.7, 2.2, 3.1, 5.5, 6.4];
const POSITIVE = [0.2, 0.5, 0.9, 1.3, 2.2, 3.7, 7.5, 11, 0.35, 1.7, 25, 40];

type NnFn = (x: nn.Tensor) => nn.Tensor;
type TfFn = (x: tf.Tensor) => tf.Tensor;
const layer = (activation: string): TfFn => {
  const l = tfl.layers.activation({ activation: activation as any });
  return (x) => l.apply(x) as tf.Tensor;
};

// [name, simdnn op, tfjs reference, inputs]
const CASES: Array<[string, NnFn, TfFn, number[]]> = [
  ['relu', nn.relu, tf.relu, AWAY_FROM_KINKS],
  ['relu6', nn.relu6, tf.relu6, AWAY_FROM_KINKS],
  ['sigmoid', nn.sigmoid, tf.sigmoid, AWAY_FROM_KINKS],
  ['hardSigmoid', nn.hardSigmoid, layer('hardSigmoid'), AWAY_FROM_KINKS],
  ['tanh', nn.tanh, tf.tanh, AWAY_FROM_KINKS],
  ['leakyRelu', (x) => nn.leakyRelu(x), (x) => tf.leakyRelu(x), AWAY_FROM_KINKS],
  ['leakyRelu(0.3)', (x) => nn.leakyRelu(x, 0.3), (x) => tf.leakyRelu(x, 0.3), AWAY_FROM_KINKS],
  ['elu', nn.elu, tf.elu, AWAY_FROM_KINKS],
  ['selu', nn.selu, tf.selu, AWAY_FROM_KINKS],
  ['softplus', nn.softplus, tf.softplus, AWAY_FROM_KINKS],
  ['softsign', nn.softsign, layer('softsign'), AWAY_FROM_KINKS],
  ['swish', nn.swish, layer('swish'), AWAY_FROM_KINKS],
  ['gelu', nn.gelu, layer('gelu'), AWAY_FROM_KINKS],
  ['linear', (x) => nn.activation(x, 'linear'), layer('linear'), AWAY_FROM_KINKS],
  ['step', nn.step, (x) => tf.step(x), AWAY_FROM_KINKS],
  ['sign', nn.sign, tf.sign, AWAY_FROM_KINKS],
  ['exp', nn.exp, tf.exp, AWAY_FROM_KINKS],
  ['log', nn.log, tf.log, POSITIVE],
  ['sqrt', nn.sqrt, tf.sqrt, POSITIVE],
  ['square', nn.square, tf.square, AWAY_FROM_KINKS],
  ['neg', nn.neg, tf.neg, AWAY_FROM_KINKS],
  ['abs', nn.abs, tf.abs, AWAY_FROM_KINKS],
];

describe('activation ops', () => {
  it('forward values and gradients match tfjs for every function', () => {
    for (const [name, op, ref, xs] of CASES) {
      const dyv = rand(xs.length, 11, 0.5, 1.5);
      const x = nn.tensor(xs, [3, xs.length / 3]), dy = nn.tensor(dyv, x.shape);
      const tx = tf.tensor(xs, [3, xs.length / 3]), tdy = tf.tensor(dyv, tx.shape);
      const y = op(x);
      expect(y.shape).toEqual(x.shape);
      const ty = ref(tx);
      expectClose(y.dataSync(), ty.dataSync(), 1e-5, `${name} forward`);
      const g = nn.grad(op)(x, dy);
      const tg = tf.grad(ref)(tx, tdy);
      expectClose(g.dataSync(), tg.dataSync(), 1e-5, `${name} gradient`);
      for (const t of [x, dy, y, g]) t.dispose();
      tf.dispose([tx, tdy, ty, tg]);
    }
  });

  it('gradients match finite differences', () => {
    for (const [name, op, , xs] of CASES) {
      if (name === 'step' || name === 'sign') continue; // zero gradient, checked below
      const x = nn.tensor(xs);
      try { checkGrad(op, [x]); } catch (e) { throw new Error(`${name}: ${(e as Error).message}`); }
      x.dispose();
    }
  });

  it('activation(x, name) applies every contract name, with the same result as the named op', () => {
    const x = nn.tensor(rand(24, 3, -4, 4), [4, 6]);
    for (const name of nn.ACTIVATIONS) {
      const y = nn.activation(x, name);
      const named = name === 'linear' ? x : (nn as any)[name](x);
      expect(Array.from(y.dataSync())).toEqual(Array.from(named.dataSync()));
      y.dispose();
      if (named !== x) named.dispose();
    }
    x.dispose();
  });

  it('step and sign give zero gradients; leakyRelu and elu take their parameter', () => {
    const x = nn.tensor([-2, -0.5, 0.5, 2]);
    for (const op of [nn.step, nn.sign]) expect(Array.from(nn.grad(op)(x).dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(nn.step(x).dataSync())).toEqual([0, 0, 1, 1]);
    expect(Array.from(nn.sign(nn.tensor([-3, 0, 4])).dataSync())).toEqual([-1, 0, 1]);
    expectClose(nn.leakyRelu(x, 0.1).dataSync(), [-0.2, -0.05, 0.5, 2], 1e-7);
    expectClose(nn.elu(x, 2).dataSync(), [2 * Math.expm1(-2), 2 * Math.expm1(-0.5), 0.5, 2], 1e-6);
    expectClose(nn.swish(x, 2).dataSync(), [-2, -0.5, 0.5, 2].map((v) => v / (1 + Math.exp(-2 * v))), 1e-6);
    checkGrad((t) => nn.elu(t, 2), [x]);
    checkGrad((t) => nn.swish(t, 2), [x]);
    checkGrad((t) => nn.leakyRelu(t, -0.5), [x]);
    x.dispose();
  });

  it('saturating functions stay finite at ±100, and so do their gradients', () => {
    const x = nn.tensor([-100, -30, 30, 100]);
    for (const op of [nn.sigmoid, nn.tanh, nn.softplus, nn.swish, nn.gelu, nn.elu, nn.selu, nn.softsign]) {
      for (const v of op(x).dataSync()) expect(Number.isFinite(v)).toBe(true);
      for (const v of nn.grad(op)(x).dataSync()) expect(Number.isFinite(v)).toBe(true);
    }
    // Below x = -88 sigmoid is 0 (its value is under 7e-39; tfjs and PyTorch give 0 there too);
    // elsewhere within 2e-7 relative (assembly/vmath.ts).
    const s = nn.sigmoid(x).dataSync();
    expect([s[0], s[2], s[3]]).toEqual([0, 1, 1]);
    expect(Math.abs(s[1] / (1 / (1 + Math.exp(30))) - 1)).toBeLessThan(2e-7);
    expect(Array.from(nn.tanh(x).dataSync())).toEqual([-1, -1, 1, 1]);
    x.dispose();
  });
});

describe('softmax and logSoftmax', () => {
  it('match tfjs forward and gradient over the last axis, for ranks 1 to 3', () => {
    for (const shape of [[7], [3, 5], [2, 3, 9]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const xs = rand(n, n, -6, 6), dyv = rand(n, n + 1);
      for (const [op, ref] of [[nn.softmax, tf.softmax], [nn.logSoftmax, tf.logSoftmax]] as const) {
        const x = nn.tensor(xs, shape), dy = nn.tensor(dyv, shape);
        const tx = tf.tensor(xs, shape), tdy = tf.tensor(dyv, shape);
        expectClose(op(x).dataSync(), ref(tx).dataSync(), 1e-6, `${op.name} forward ${shape}`);
        expectClose(nn.grad((t: nn.Tensor) => op(t))(x, dy).dataSync(), tf.grad((t) => ref(t as tf.Tensor))(tx, tdy).dataSync(),
          1e-5, `${op.name} gradient ${shape}`);
        checkGrad((t) => nn.mul(op(t), dy), [x]);
        tf.dispose([tx, tdy]);
      }
    }
  });

  it('is stable for huge logits', () => {
    const x = nn.tensor([[1000, 0, -1000], [-5e4, -5e4, -5e4]]);
    expectClose(nn.softmax(x).dataSync(), [1, 0, 0, 1 / 3, 1 / 3, 1 / 3], 1e-7);
    expectClose(nn.logSoftmax(x).dataSync(), [0, -1000, -2000, -Math.log(3), -Math.log(3), -Math.log(3)], 1e-6);
    expect(nn.activation(x, 'softmax').shape).toEqual([2, 3]);
  });

  it('rejects other axes and scalars, naming the op and shape', () => {
    const x = nn.tensor(rand(6, 1), [2, 3]);
    expect(() => nn.softmax(x, 0)).toThrow(/softmax: only the last axis is supported \(got dim 0 for shape \[2,3\]\)/);
    expect(nn.softmax(x, 1).shape).toEqual([2, 3]);
    expect(() => nn.logSoftmax(nn.scalar(1))).toThrow(/logSoftmax: needs a tensor of rank >= 1 \(got shape \[\]\)/);
  });
});

describe('activation names', () => {
  it('unknown names fail with the caller and the known list', () => {
    const x = nn.tensor([1, 2]);
    // @ts-expect-error: not an activation name
    expect(() => nn.activation(x, 'foo')).toThrow(
      "activation: unknown activation 'foo'; known: linear, sigmoid, hardSigmoid, tanh, relu, relu6, leakyRelu, " +
      'elu, selu, softplus, softsign, swish, gelu, softmax, step, sign');
    x.dispose();
  });

  it('the contract list is complete and Keras spellings resolve', () => {
    expect([...nn.ACTIVATIONS].sort()).toEqual(['elu', 'gelu', 'hardSigmoid', 'leakyRelu', 'linear', 'relu', 'relu6',
      'selu', 'sigmoid', 'sign', 'softmax', 'softplus', 'softsign', 'step', 'swish', 'tanh'].sort());
    const x = nn.tensor([-1, 0.5]);
    expect(Array.from(nn.activation(x, 'leaky_relu').dataSync())).toEqual(Array.from(nn.leakyRelu(x).dataSync()));
    expect(Array.from(nn.activation(x, 'hard_sigmoid').dataSync())).toEqual(Array.from(nn.hardSigmoid(x).dataSync()));
  });

  it('ops take plain arrays and leave no tensor behind but the result', () => {
    const before = nn.memory().numTensors;
    const y = nn.relu([-1, 2, -3]);
    expect(Array.from(y.dataSync())).toEqual([0, 2, 0]);
    expect(nn.memory().numTensors).toBe(before + 1);
    y.dispose();
    expect(nn.memory().numTensors).toBe(before);
  });
});
