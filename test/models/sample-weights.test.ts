// fit's classWeight and sampleWeight (Keras semantics): the loss is Σ w·ℓ / batch size, with ℓ each
// sample's loss. Checked at the kernel (SIMD vs _ref), the loss (by hand, and its gradient) and fit.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose, rawBuffers, checkGrad } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const K = () => nn.internals.kernels();
const KINDS = ['mse', 'mae', 'huber', 'hinge', 'perceptron', 'bce', 'bceLogits', 'kld'];

describe('weighted loss kernels', () => {
  const { put, get, freeAll } = rawBuffers();
  it('elementwise_loss_weighted_* match their _ref twins at tile edges, and weights of 1 give the unweighted loss', () => {
    for (let kind = 0; kind < KINDS.length; kind++) {
      for (const [samples, per] of [[1, 1], [3, 3], [2, 4], [3, 5], [2, 8], [1, 13], [4, 67]]) {
        const n = samples * per;
        const probability = kind >= 5 && kind !== 6;
        const t = kind === 3 || kind === 4 ? Array.from(rand(n, n), (v) => (v > 0 ? 1 : 0))
          : probability ? Array.from(rand(n, n, 0.01, 0.99)) : Array.from(rand(n, n, -2, 2));
        const p = probability ? rand(n, n + 1, 0.01, 0.99) : rand(n, n + 1, -2, 2);
        const w = rand(samples, 7, 0, 3);
        const tp = put(t), pp = put(p), wp = put(w), ones = put(new Float32Array(samples).fill(1)), dy = put([1.5]);
        const binary = kind === 3 || kind === 4 ? K().labels_are_binary(tp, n) : 0;
        const [oa, ob, oc, od] = [put([0]), put([0]), put([0]), put([0])];
        K().elementwise_loss_weighted_forward(oa, tp, pp, wp, samples, per, kind, binary, 1 / n);
        K().elementwise_loss_weighted_forward_ref(ob, tp, pp, wp, samples, per, kind, binary, 1 / n);
        expectClose(get(oa, 1), get(ob, 1), 1e-6, `${KINDS[kind]} weighted forward ${samples}x${per}`);
        // by hand: Σ_s w_s Σ_j ℓ_sj, from the unweighted kernel on each sample's slice
        let hand = 0;
        for (let s = 0; s < samples; s++) {
          K().elementwise_loss_forward_ref(od, tp + s * per * 4, pp + s * per * 4, per, kind, binary, 1);
          hand += w[s] * get(od, 1)[0];
        }
        expectClose(get(oa, 1), [hand / n], 1e-5, `${KINDS[kind]} weighted by hand`);
        K().elementwise_loss_weighted_forward(oc, tp, pp, ones, samples, per, kind, binary, 1 / n);
        K().elementwise_loss_forward(od, tp, pp, n, kind, binary, 1 / n);
        expectClose(get(oc, 1), get(od, 1), 1e-6, `${KINDS[kind]} weights of one`);
        const init = rand(n, 9);
        const ga = put(init), gb = put(init);
        K().elementwise_loss_weighted_backward(ga, tp, pp, wp, dy, samples, per, kind, binary, 1 / n);
        K().elementwise_loss_weighted_backward_ref(gb, tp, pp, wp, dy, samples, per, kind, binary, 1 / n);
        expect(Array.from(get(ga, n)), `${KINDS[kind]} weighted backward`).toEqual(Array.from(get(gb, n)));
        freeAll();
      }
    }
  });
});

describe('losses with sampleWeight', () => {
  const yt = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]];
  const yp = [[0.7, 0.2, 0.1], [0.3, 0.3, 0.4], [0.1, 0.1, 0.8], [0.5, 0.25, 0.25]];
  const w = [1, 2, 0, 0.5];

  it('meanSquaredError: Σ_s w_s · mean_j (p−t)² / batch', () => {
    let hand = 0;
    yt.forEach((row, s) => { hand += w[s] * row.reduce((a, t, j) => a + (yp[s][j] - t) ** 2, 0) / 3; });
    const out = nn.losses.meanSquaredError(nn.tensor(yt), nn.tensor(yp), { sampleWeight: nn.tensor(w) });
    expectClose(out.dataSync(), [hand / 4], 1e-6);
  });

  it('categorical and sparse cross-entropy: Σ_s w_s · (−log q_label) / batch', () => {
    let hand = 0;
    yt.forEach((row, s) => { hand += w[s] * -Math.log(yp[s][row.indexOf(1)]); });
    const cat = nn.losses.categoricalCrossentropy(nn.tensor(yt), nn.tensor(yp), { sampleWeight: nn.tensor(w) });
    expectClose(cat.dataSync(), [hand / 4], 1e-6);
    const sparse = nn.losses.sparseCategoricalCrossentropy(nn.tensor(yt.map((r) => [r.indexOf(1)])), nn.tensor(yp), { sampleWeight: nn.tensor(w) });
    expectClose(sparse.dataSync(), [hand / 4], 1e-6);
  });

  it('gradients of the weighted losses pass a central-difference check', () => {
    const sw = nn.tensor(w);
    const t = nn.tensor(yt);
    const p = nn.tensor(yp);
    checkGrad((x) => nn.losses.meanSquaredError(t, x, { sampleWeight: sw }), [p]);
    checkGrad((x) => nn.losses.categoricalCrossentropy(t, x, { sampleWeight: sw }), [p]);
    checkGrad((x) => nn.losses.categoricalCrossentropy(t, x, { sampleWeight: sw, fromLogits: true }), [p]);
    checkGrad((x) => nn.losses.binaryCrossentropy(t, x, { sampleWeight: sw }), [p]);
  });

  it('a sampleWeight of the wrong length is refused', () => {
    expect(() => nn.losses.meanSquaredError(nn.tensor(yt), nn.tensor(yp), { sampleWeight: nn.tensor([1, 2]) }))
      .toThrow(/meanSquaredError: sampleWeight \[2\] must hold one weight per sample \(4\)/);
  });
});

describe('fit with sampleWeight and classWeight', () => {
  // y = w·x, no bias, w starts at 0; SGD lr 0.1, one full batch, no shuffle.
  const X = [[1], [2], [3]], Y = [[1], [1], [2]], SW = [1, 3, 0.5];
  function line() {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'zeros' })] });
    m.compile({ optimizer: nn.optimizers.sgd(0.1), loss: 'mse' });
    return m;
  }

  it('sampleWeight: the logged loss and the update follow Σ w·ℓ / batch by hand', async () => {
    const m = line();
    const h = await m.fit(X, Y, { sampleWeight: SW, batchSize: 3, shuffle: false, verbose: 0 });
    const lossHand = SW.reduce((a, w, i) => a + w * Y[i][0] ** 2, 0) / 3; // predictions are 0
    const gradHand = SW.reduce((a, w, i) => a + w * 2 * (0 - Y[i][0]) * X[i][0], 0) / 3;
    expect(h.history.loss[0]).toBeCloseTo(lossHand, 5);
    expect(m.getWeights()[0].dataSync()[0]).toBeCloseTo(-0.1 * gradHand, 5);
    m.dispose();
  });

  it('classWeight equals the sampleWeight of each label\'s class (one-hot and sparse labels)', async () => {
    const x = [[1, 0], [0, 1], [1, 1], [0, 0]];
    const oneHot = [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]];
    const sparse = [[0], [2], [1], [2]];
    const classWeight = { 0: 2, 2: 0.25 }; // class 1 is not listed: weight 1
    const run = async (loss: nn.LossName, y: number[][], opts: Record<string, unknown>) => {
      nn.setSeed(5);
      const m = nn.sequential({ layers: [nn.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
      m.compile({ optimizer: nn.optimizers.sgd(0.5), loss });
      const h = await m.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0, ...opts });
      const out = [h.history.loss, Array.from(m.getWeights()[0].dataSync())];
      m.dispose();
      return out;
    };
    const byClass = await run('categoricalCrossentropy', oneHot, { classWeight });
    expect(byClass).toEqual(await run('categoricalCrossentropy', oneHot, { sampleWeight: [2, 0.25, 1, 0.25] }));
    expect(byClass).not.toEqual(await run('categoricalCrossentropy', oneHot, {}));
    expect(await run('sparseCategoricalCrossentropy', sparse, { classWeight })).toEqual(
      await run('sparseCategoricalCrossentropy', sparse, { sampleWeight: [2, 0.25, 1, 0.25] }));
  });

  it('classWeight trains like tfjs-layers (3 epochs of 2 SGD steps, same weights)', async () => {
    nn.setSeed(5);
    const x = [[1, 0], [0, 1], [1, 1], [0, 0]];
    const oneHot = [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]];
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
    m.compile({ optimizer: nn.optimizers.sgd(0.5), loss: 'categoricalCrossentropy' });
    const t = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
    t.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy' });
    t.setWeights(m.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
    const classWeight = { 0: 2, 1: 1, 2: 0.25 };
    const ours = await m.fit(x, oneHot, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0, classWeight });
    const theirs = await t.fit(tf.tensor(x), tf.tensor(oneHot), { epochs: 3, batchSize: 2, shuffle: false, verbose: 0, classWeight });
    expectClose(ours.history.loss, theirs.history.loss as number[], 1e-5, 'epoch losses');
    m.getWeights().forEach((w, i) => expectClose(w.dataSync(), t.getWeights()[i].dataSync(), 1e-5, `weight ${i}`));
    m.dispose();
  });

  it('refuses what it cannot honour, leaving memory as it was', async () => {
    const m = line();
    const custom = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [1] })] });
    custom.compile({ optimizer: 'sgd', loss: (t: nn.Tensor, p: nn.Tensor) => nn.losses.meanSquaredError(t, p) });
    const cases: [nn.Model, Record<string, unknown>, RegExp][] = [
      [m, { sampleWeight: [1, 2] }, /sampleWeight \[2\] must hold one weight per sample \(3\)/],
      [m, { sampleWeight: SW, classWeight: { 0: 1 } }, /classWeight or sampleWeight, not both/],
      [m, { classWeight: { a: 1 } }, /classWeight key 'a' is not a class index/],
      [m, { classWeight: { 0: -1 } }, /classWeight\[0\] must be a finite number >= 0/],
      [m, { classWeight: { 0: 1 } }, /label 2 in row 2 is not a class index in \[0, 2\)/],
      [m, { sampleWeight: [1, NaN, 1] }, /sampleWeight contains 1 NaN/],
      [custom, { sampleWeight: SW }, /takes no sample weights; a loss function of your own gets them as a third parameter/],
    ];
    for (const [model, opts, msg] of cases) {
      const before = nn.memory().numTensors;
      await expect(model.fit(X, Y, { verbose: 0, ...opts })).rejects.toThrow(msg);
      expect(nn.memory().numTensors).toBe(before);
    }
    m.dispose(); custom.dispose();
  });
});
