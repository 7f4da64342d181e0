import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from './setup';
import { tfReady, tf, tfl } from './tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const B = 5, C = 3;
const logits = Array.from(rand(B * C, 31, -3, 3));
/** Rows of positive scores that do not sum to 1: the probability losses normalize them first. */
const scores = Array.from(rand(B * C, 32, 0.05, 0.95));
const probs = (() => {
  const out: number[] = [];
  for (let r = 0; r < B; r++) {
    const row = logits.slice(r * C, r * C + C).map(Math.exp);
    const s = row.reduce((a, b) => a + b, 0);
    out.push(...row.map((v) => v / s));
  }
  return out;
})();
const labels = [2, 0, 1, 1, 2];
const oneHot = labels.flatMap((l) => Array.from({ length: C }, (_, j) => (j === l ? 1 : 0)));
const targets = Array.from(rand(B * C, 33, -1, 1));
const preds = Array.from(rand(B * C, 34, -2, 2));
const bits = Array.from(rand(B * C, 35), (v) => (v > 0 ? 1 : 0));
const signs = bits.map((b) => 2 * b - 1);

type Ref = (t: any, p: any) => any;
interface Case { name: string; ours: (t: nn.Tensor, p: nn.Tensor) => nn.Tensor; t: number[]; tShape: number[]; p: number[]; theirs: Ref }
const mean = (x: any) => tf.mean(x);

const cases: Case[] = [
  { name: 'meanSquaredError', ours: nn.losses.meanSquaredError, t: targets, tShape: [B, C], p: preds, theirs: (t, p) => tf.losses.meanSquaredError(t, p) },
  { name: 'meanAbsoluteError', ours: nn.losses.meanAbsoluteError, t: targets, tShape: [B, C], p: preds, theirs: (t, p) => tf.losses.absoluteDifference(t, p) },
  { name: 'huber', ours: nn.losses.huber, t: targets, tShape: [B, C], p: preds, theirs: (t, p) => tf.losses.huberLoss(t, p, undefined, 1) },
  { name: 'binaryCrossentropy', ours: nn.losses.binaryCrossentropy, t: bits, tShape: [B, C], p: scores, theirs: (t, p) => mean(tfl.metrics.binaryCrossentropy(t, p)) },
  { name: 'binaryCrossentropy fromLogits', ours: (t, p) => nn.losses.binaryCrossentropy(t, p, { fromLogits: true }), t: bits, tShape: [B, C], p: logits, theirs: (t, p) => tf.losses.sigmoidCrossEntropy(t, p) },
  { name: 'categoricalCrossentropy', ours: nn.losses.categoricalCrossentropy, t: oneHot, tShape: [B, C], p: scores, theirs: (t, p) => mean(tfl.metrics.categoricalCrossentropy(t, p)) },
  { name: 'categoricalCrossentropy (softmax input)', ours: nn.losses.categoricalCrossentropy, t: oneHot, tShape: [B, C], p: probs, theirs: (t, p) => mean(tfl.metrics.categoricalCrossentropy(t, p)) },
  { name: 'categoricalCrossentropy fromLogits', ours: (t, p) => nn.losses.categoricalCrossentropy(t, p, { fromLogits: true }), t: oneHot, tShape: [B, C], p: logits, theirs: (t, p) => tf.losses.softmaxCrossEntropy(t, p) },
  { name: 'sparseCategoricalCrossentropy', ours: nn.losses.sparseCategoricalCrossentropy, t: labels, tShape: [B], p: scores,
    theirs: (t, p) => mean(tfl.metrics.categoricalCrossentropy(tf.cast(tf.oneHot(tf.cast(t, 'int32'), C), 'float32'), p)) },
  { name: 'sparseCategoricalCrossentropy [B,1] fromLogits', ours: (t, p) => nn.losses.sparseCategoricalCrossentropy(t, p, { fromLogits: true }), t: labels, tShape: [B, 1], p: logits,
    theirs: (t, p) => tf.losses.softmaxCrossEntropy(tf.cast(tf.oneHot(tf.cast(tf.reshape(t, [B]), 'int32'), C), 'float32'), p) },
  { name: 'kullbackLeiblerDivergence', ours: nn.losses.kullbackLeiblerDivergence, t: probs, tShape: [B, C], p: scores,
    theirs: (t, p) => tf.div(tf.sum(tf.mul(t, tf.log(tf.div(t, p)))), B) },
  { name: 'hinge (0/1 labels)', ours: nn.losses.hinge, t: bits, tShape: [B, C], p: preds, theirs: (t, p) => tf.losses.hingeLoss(t, p) },
  { name: 'hinge (±1 labels)', ours: nn.losses.hinge, t: signs, tShape: [B, C], p: preds, theirs: (t, p) => tf.mean(tf.relu(tf.sub(1, tf.mul(t, p)))) },
  { name: 'perceptron', ours: nn.losses.perceptron, t: signs, tShape: [B, C], p: preds, theirs: (t, p) => tf.mean(tf.relu(tf.neg(tf.mul(t, p)))) },
];

describe('losses', () => {
  for (const c of cases) {
    it(`${c.name}: value and gradient match tfjs, gradient matches finite differences`, () => {
      const t = nn.tensor(c.t, c.tShape), p = nn.tensor(c.p, [B, C]);
      const tt = tf.tensor(c.t, c.tShape), tp = tf.tensor(c.p, [B, C]);
      const value = c.ours(t, p);
      expect(value.shape).toEqual([]);
      expectClose(value.dataSync(), c.theirs(tt, tp).dataSync(), 1e-5, `${c.name} value`);
      const g = nn.grad((x) => c.ours(t, x))(p);
      const tg = tf.grad((x: any) => c.theirs(tt, x))(tp);
      expectClose(g.dataSync(), tg.dataSync(), 1e-5, `${c.name} gradient`);
      checkGrad((x) => c.ours(t, x), [p]);
      // the upstream gradient scales the result
      const g3 = nn.grad((x) => c.ours(t, x))(p, nn.tensor(3));
      expectClose(g3.dataSync(), Array.from(g.dataSync(), (v) => 3 * v), 1e-6, `${c.name} dy`);
    });
  }

  it('clips probabilities to [1e-7, 1-1e-7] as tfjs does, with zero gradient where clipped', () => {
    const t = [1, 0, 1, 0], p = [0, 1, 1, 0.5];
    const ours = nn.losses.binaryCrossentropy(nn.tensor(t, [2, 2]), nn.tensor(p, [2, 2]));
    const theirs = tf.mean(tfl.metrics.binaryCrossentropy(tf.tensor(t, [2, 2]), tf.tensor(p, [2, 2])));
    expectClose(ours.dataSync(), theirs.dataSync(), 1e-5);
    const g = nn.grad((x) => nn.losses.binaryCrossentropy(nn.tensor(t, [2, 2]), x))(nn.tensor(p, [2, 2])).dataSync();
    expect(Array.from(g.slice(0, 3))).toEqual([0, 0, 0]);
    expect(g[3]).toBeCloseTo(-0.5 / 4 / 0.25 + 0.5 / 4 / 0.25 + 1 / 0.5 / 4, 5);
  });

  it('from logits stays finite for huge logits', () => {
    const x = nn.tensor([[1000, -1000, 0], [-1000, 1000, 20]]);
    const ce = nn.losses.categoricalCrossentropy(nn.tensor([[0, 1, 0], [1, 0, 0]]), x, { fromLogits: true }).dataSync()[0];
    expect(ce).toBeCloseTo((2000 + 2000) / 2, 0);
    const bce = nn.losses.binaryCrossentropy(nn.tensor([[1, 0, 1], [0, 1, 1]]), x, { fromLogits: true }).dataSync()[0];
    expect(Number.isFinite(bce)).toBe(true);
    expectClose([bce], tf.losses.sigmoidCrossEntropy(tf.tensor([[1, 0, 1], [0, 1, 1]]), tf.tensor([[1000, -1000, 0], [-1000, 1000, 20]])).dataSync(), 1e-5);
    const g = nn.grad((p) => nn.losses.sparseCategoricalCrossentropy(nn.tensor([1, 0]), p, { fromLogits: true }))(x).dataSync();
    expect(g.every(Number.isFinite)).toBe(true);
  });

  it('perceptron: gradient −y/B on misclassified samples and on the boundary, 0 elsewhere', () => {
    const y = nn.tensor([[1], [-1], [1], [-1]]);
    const score = nn.tensor([[2], [0.5], [0], [-3]]);
    expect(nn.losses.perceptron(y, score).dataSync()[0]).toBeCloseTo(0.5 / 4, 6);
    expect(Array.from(nn.grad((s) => nn.losses.perceptron(y, s))(score).dataSync())).toEqual([0, 0.25, -0.25, 0]);
  });

  it('accepts [B] labels against [B,1] predictions', () => {
    const v = nn.losses.meanSquaredError(nn.tensor([1, 2, 3]), nn.tensor([[1], [2], [5]])).dataSync()[0];
    expect(v).toBeCloseTo(4 / 3, 6);
  });

  it('getLoss resolves camelCase names, Keras aliases and functions', () => {
    const t = nn.tensor(oneHot, [B, C]), p = nn.tensor(logits, [B, C]);
    const direct = nn.losses.categoricalCrossentropy(t, p, { fromLogits: true }).dataSync()[0];
    expect(nn.losses.getLoss('categorical_crossentropy', { fromLogits: true })(t, p).dataSync()[0]).toBe(direct);
    expect(nn.losses.getLoss('categoricalCrossentropy', { fromLogits: true })(t, p).dataSync()[0]).toBe(direct);
    const mse = nn.losses.meanSquaredError(t, p).dataSync()[0];
    for (const name of ['mse', 'MSE', 'mean_squared_error', 'meanSquaredError']) expect(nn.losses.getLoss(name)(t, p).dataSync()[0]).toBe(mse);
    expect(nn.losses.getLoss('kld')).toBeTypeOf('function');
    const custom = (a: nn.Tensor, b: nn.Tensor) => nn.sum(nn.sub(a, b));
    expect(nn.losses.getLoss(custom)).toBe(custom);
  });

  it('errors name the loss and the shapes', () => {
    expect(() => nn.losses.getLoss('foo')).toThrow(/^compile: unknown loss 'foo'; known: meanSquaredError, .*categorical_crossentropy/);
    expect(() => nn.losses.getLoss('mse', { fromLogits: true })).toThrow(/compile: fromLogits applies to the cross-entropy losses only/);
    expect(() => nn.losses.meanSquaredError(nn.zeros([4, 3]), nn.zeros([4, 2])))
      .toThrow(/meanSquaredError: yTrue \[4,3\] and yPred \[4,2\] must have the same shape/);
    expect(() => nn.losses.categoricalCrossentropy(nn.zeros([4]), nn.zeros([4, 2]))).toThrow(/categoricalCrossentropy: yTrue \[4\] and yPred \[4,2\]/);
    expect(() => nn.losses.sparseCategoricalCrossentropy(nn.zeros([4, 2]), nn.zeros([4, 2])))
      .toThrow(/sparseCategoricalCrossentropy: yTrue \[4,2\] must hold one class index per row of yPred \[4,2\] \(expected \[4\] or \[4,1\]\)/);
    expect(() => nn.losses.sparseCategoricalCrossentropy(nn.tensor([0, 3]), nn.zeros([2, 3])))
      .toThrow(/sparseCategoricalCrossentropy: label 3 in row 1 is not a class index in \[0, 3\)/);
    expect(() => nn.losses.sparseCategoricalCrossentropy(nn.tensor([0.5, 1]), nn.zeros([2, 3]))).toThrow(/label 0.5 in row 0/);
  });

  it('a loss is one op: no intermediate tensors are left behind', () => {
    const t = nn.tensor(oneHot, [B, C]), p = nn.tensor(scores, [B, C]);
    const before = nn.memory().numTensors;
    const v = nn.losses.categoricalCrossentropy(t, p);
    expect(nn.memory().numTensors).toBe(before + 1);
    v.dispose();
    expect(nn.memory().numTensors).toBe(before);
  });
});
