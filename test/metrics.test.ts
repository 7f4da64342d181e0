import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from './setup';
import { tfReady, tf, tfl } from './tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

type Metric = ReturnType<typeof nn.metrics.getMetric>;
const B = 7, C = 4;
const scores = Array.from(rand(B * C, 41, 0, 1));
const bits = Array.from(rand(B * C, 42), (v) => (v > 0 ? 1 : 0));
const labels = [3, 0, 1, 1, 2, 0, 3];
const oneHot = labels.flatMap((l) => Array.from({ length: C }, (_, j) => (j === l ? 1 : 0)));

/** Feeds the data to the metric in two batches (rows [0,3) and [3,B)) and returns result(). */
function twoBatches(m: Metric, t: number[], tShape: number[], p: number[], pShape: number[]): number {
  m.reset();
  const tRow = t.length / B, pRow = p.length / B;
  for (const [a, b] of [[0, 3], [3, B]]) {
    const yt = nn.tensor(t.slice(a * tRow, b * tRow), [b - a, ...tShape.slice(1)]);
    const yp = nn.tensor(p.slice(a * pRow, b * pRow), [b - a, ...pShape.slice(1)]);
    m.update(yt, yp);
    yt.dispose(); yp.dispose();
  }
  return m.result();
}

const tfMean = (x: any) => tf.mean(x).dataSync()[0];

describe('metrics', () => {
  it('accumulate over batches and match tfjs on the whole data', () => {
    const T = (v: number[], s: number[]) => tf.tensor(v, s);
    const checks: Array<[Metric, number[], number[], number[], number[], number]> = [
      [nn.metrics.binaryAccuracy(), bits, [B, C], scores, [B, C], tfMean(tfl.metrics.binaryAccuracy(T(bits, [B, C]), T(scores, [B, C])))],
      [nn.metrics.categoricalAccuracy(), oneHot, [B, C], scores, [B, C], tfMean(tfl.metrics.categoricalAccuracy(T(oneHot, [B, C]), T(scores, [B, C])))],
      [nn.metrics.sparseCategoricalAccuracy(), labels, [B], scores, [B, C], tfMean(tfl.metrics.sparseCategoricalAccuracy(T(labels, [B]), T(scores, [B, C])))],
      [nn.metrics.sparseCategoricalAccuracy(), labels, [B, 1], scores, [B, C], tfMean(tfl.metrics.sparseCategoricalAccuracy(T(labels, [B, 1]), T(scores, [B, C])))],
      [nn.metrics.meanSquaredError(), oneHot, [B, C], scores, [B, C], tfMean(tfl.metrics.meanSquaredError(T(oneHot, [B, C]), T(scores, [B, C])))],
      [nn.metrics.meanAbsoluteError(), oneHot, [B, C], scores, [B, C], tfMean(tfl.metrics.meanAbsoluteError(T(oneHot, [B, C]), T(scores, [B, C])))],
      // tfjs' precision/recall count only yPred exactly 1: give it the thresholded predictions
      [nn.metrics.precision(), bits, [B, C], scores, [B, C], tfl.metrics.precision(T(bits, [B, C]), tf.round(T(scores, [B, C]))).dataSync()[0]],
      [nn.metrics.recall(), bits, [B, C], scores, [B, C], tfl.metrics.recall(T(bits, [B, C]), tf.round(T(scores, [B, C]))).dataSync()[0]],
    ];
    for (const [m, t, ts, p, ps, expected] of checks) {
      const got = twoBatches(m, t, ts, p, ps);
      expectClose([got], [expected], 1e-6, m.name);
      expect(got).toBeGreaterThan(0);
    }
  });

  it('precision and recall count by hand', () => {
    const p = nn.metrics.precision(), r = nn.metrics.recall();
    const yt = nn.tensor([1, 1, 0, 0, 1]), yp = nn.tensor([0.9, 0.2, 0.7, 0.1, 0.6]);
    p.update(yt, yp); r.update(yt, yp);
    expect(p.result()).toBeCloseTo(2 / 3, 6);
    expect(r.result()).toBeCloseTo(2 / 3, 6);
    p.reset();
    expect(p.result()).toBe(0);
  });

  it("'accuracy' follows the loss as Keras does", () => {
    const acc = (loss: string | undefined, yt: nn.Tensor, yp: nn.Tensor, opts = {}) => {
      const m = nn.metrics.getMetric('accuracy', loss, opts);
      m.update(yt, yp);
      return m.result();
    };
    const col = (v: number[]) => nn.tensor(v, [v.length, 1]);
    // binary: threshold 0.5 on probabilities, 0 on logits
    expect(acc('binaryCrossentropy', col([1, 0, 1, 0]), col([0.6, 0.4, 0.3, 0.2]))).toBe(0.75);
    expect(acc('binary_crossentropy', col([1, 0, 1, 0]), col([0.6, -0.4, 0.3, 0.2]), { fromLogits: true })).toBe(0.75);
    // hinge / perceptron: ±1 labels against raw scores, compared by sign
    expect(acc('hinge', col([1, -1, 1, -1]), col([0.2, -3, -0.1, 0.4]))).toBe(0.5);
    expect(acc('perceptron', col([1, -1, 1, -1]), col([0.2, -3, 0.1, -0.4]))).toBe(1);
    // categorical / sparse: argmax match
    const probs = nn.tensor(scores, [B, C]);
    const expectedCat = tfMean(tfl.metrics.categoricalAccuracy(tf.tensor(oneHot, [B, C]), tf.tensor(scores, [B, C])));
    expect(acc('categoricalCrossentropy', nn.tensor(oneHot, [B, C]), probs)).toBeCloseTo(expectedCat, 6);
    expect(acc('sparse_categorical_crossentropy', nn.tensor(labels), probs)).toBeCloseTo(expectedCat, 6);
    // other losses: decided by the shapes at the first update
    expect(acc('mse', col([1, 0, 1, 0]), col([0.6, 0.4, 0.3, 0.2]))).toBe(0.75);
    expect(acc(undefined, nn.tensor(labels, [B, 1]), probs)).toBeCloseTo(expectedCat, 6);
    expect(acc('meanSquaredError', nn.tensor(oneHot, [B, C]), probs)).toBeCloseTo(expectedCat, 6);
  });

  it('getMetric names, aliases and errors', () => {
    expect(nn.metrics.getMetric('acc', 'mse').name).toBe('acc');
    expect(nn.metrics.getMetric('accuracy').name).toBe('accuracy');
    for (const name of ['mse', 'mae', 'precision', 'recall', 'binary_accuracy', 'categoricalAccuracy', 'sparse_categorical_accuracy']) {
      expect(nn.metrics.getMetric(name).name).toBe(name);
    }
    const custom = nn.metrics.recall({ name: 'rec' });
    expect(nn.metrics.getMetric(custom)).toBe(custom);
    expect(() => nn.metrics.getMetric('f1')).toThrow(/^compile: unknown metric 'f1'; known: accuracy, acc, binaryAccuracy/);
    const m = nn.metrics.getMetric('mse');
    expect(() => m.update(nn.zeros([3, 2]), nn.zeros([3, 1]))).toThrow(/mse: yTrue \[3,2\] and yPred \[3,1\] must have the same shape/);
  });

  it('updates leave no tensors behind', () => {
    const m = nn.metrics.getMetric('accuracy', 'categoricalCrossentropy');
    const yt = nn.tensor(oneHot, [B, C]), yp = nn.tensor(scores, [B, C]);
    const before = nn.memory().numTensors;
    m.update(yt, yp);
    expect(nn.memory().numTensors).toBe(before);
  });
});
