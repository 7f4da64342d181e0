// batchNormalization and layerNormalization layers: tfjs-layers parity (forward, dx, weight gradients,
// moving statistics after training steps), modes, weights, configs and saving.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';
import { compareWithTfjs } from './tfjs-compare';

beforeAll(async () => { await ready(); await tfReady(); });

/** Non-trivial weights for a built BN layer: gamma, beta, moving mean, moving variance. */
function perturb(layer: nn.layers.Layer): void {
  layer.setWeights(layer.getWeights().map((w, i) => nn.tensor(rand(w.size, 10 + i, i === 3 ? 0.5 : -1, i === 3 ? 2 : 1), w.shape)));
}

describe('batchNormalization', () => {
  for (const shape of [[8, 3], [4, 5, 4], [2, 3, 3, 9]]) {
    for (const training of [true, false]) {
      it(`matches tfjs on ${JSON.stringify(shape)} in ${training ? 'training' : 'inference'} mode (y, dx, dgamma, dbeta)`, () => {
        const ours = nn.layers.batchNormalization({ momentum: 0.8 });
        ours.apply(nn.zeros(shape));
        perturb(ours);
        compareWithTfjs(ours, tfl.layers.batchNormalization({ momentum: 0.8 }), [shape], { training, tol: 1e-5 });
      });
    }
  }

  it('weights are gamma, beta, moving_mean, moving_variance; the moving ones are not trainable', () => {
    const l = nn.layers.batchNormalization({ name: 'bn' });
    l.apply(nn.zeros([2, 4]));
    expect(l.weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ['bn/gamma', [4], true], ['bn/beta', [4], true], ['bn/moving_mean', [4], false], ['bn/moving_variance', [4], false]]);
    expect(l.getWeights().map((w) => Array.from(w.dataSync()))).toEqual([[1, 1, 1, 1], [0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1]]);
    const plain = nn.layers.batchNormalization({ center: false, scale: false, name: 'bn2' });
    plain.apply(nn.zeros([2, 4]));
    expect(plain.weights.map((w) => w.name)).toEqual(['bn2/moving_mean', 'bn2/moving_variance']);
  });

  it('updates the moving statistics only in training mode, as tfjs does', () => {
    const x = nn.tensor(rand(6 * 3, 4, -1, 3), [6, 3]);
    const ours = nn.layers.batchNormalization({ momentum: 0.7 });
    ours.apply(x);
    const theirs = tfl.layers.batchNormalization({ momentum: 0.7 });
    theirs.apply(tf.tensor(x.dataSync(), [6, 3]));
    const before = ours.getWeights().map((w) => Array.from(w.dataSync()));
    ours.apply(x); // inference: nothing moves
    expect(ours.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    for (let i = 0; i < 3; i++) {
      ours.apply(x, { training: true });
      theirs.apply(tf.tensor(x.dataSync(), [6, 3]), { training: true });
    }
    ours.getWeights().forEach((w, i) => expectClose(w.dataSync(), theirs.getWeights()[i].dataSync() as Float32Array, 1e-6, `weight ${i}`));
    expect(ours.getWeights()[2].dataSync()[0]).not.toBe(0);
  });

  it('trains in a model like tfjs: weights and moving statistics after SGD steps, then predictions', async () => {
    const make = (lib: any) => lib.sequential({ layers: [
      lib.layers.dense({ units: 6, inputShape: [4], activation: 'relu' }),
      lib.layers.batchNormalization({ momentum: 0.6 }),
      lib.layers.dense({ units: 2 }),
    ] });
    nn.setSeed(3);
    const ours = make(nn), theirs = make(tfl);
    // layer by layer: a tfjs model lists trainable weights before non-trainable ones
    const layerWeights = (l: any) => l.getWeights().map((w: any) => w.dataSync());
    ours.layers.forEach((l: nn.layers.Layer, i: number) => theirs.layers[i].setWeights(l.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape))));
    ours.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    for (let step = 0; step < 5; step++) {
      const xv = rand(8 * 4, 20 + step, -1, 2), yv = rand(8 * 2, 40 + step);
      const l1 = await ours.trainOnBatch(nn.tensor(xv, [8, 4]), nn.tensor(yv, [8, 2]));
      const l2 = await theirs.trainOnBatch(tf.tensor(xv, [8, 4]), tf.tensor(yv, [8, 2]));
      expectClose([l1 as number], [l2 as number], 1e-5, `loss at step ${step}`);
    }
    ours.layers.forEach((l: nn.layers.Layer, i: number) => {
      const theirsW = layerWeights(theirs.layers[i]);
      layerWeights(l).forEach((w: Float32Array, j: number) => expectClose(w, theirsW[j], 1e-5, l.weights[j].name));
    });
    const xt = rand(5 * 4, 99, -1, 2);
    expectClose(ours.predict(nn.tensor(xt, [5, 4])).dataSync(), theirs.predict(tf.tensor(xt, [5, 4])).dataSync(), 1e-5, 'predict');
  });

  it('normalizes dense, sequence and image inputs over every axis but the channels', () => {
    for (const shape of [[16, 2], [4, 6, 2], [2, 4, 3, 2]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const x = nn.tensor(rand(n, n, 3, 9), shape);
      const y = (nn.layers.batchNormalization({ epsilon: 1e-6 }).apply(x, { training: true }) as nn.Tensor).dataSync();
      for (let c = 0; c < 2; c++) {
        const col = y.filter((_, i) => i % 2 === c);
        const mean = col.reduce((a, b) => a + b, 0) / col.length;
        const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length;
        expect(Math.abs(mean)).toBeLessThan(1e-5);
        expect(Math.abs(variance - 1)).toBeLessThan(1e-3);
      }
    }
  });

  it('a frozen layer runs in inference mode and leaves its moving statistics alone (Keras)', () => {
    const l = nn.layers.batchNormalization();
    const x = nn.tensor(rand(12, 5, 2, 4), [4, 3]);
    l.apply(x);
    perturb(l);
    const before = l.getWeights().map((w) => Array.from(w.dataSync()));
    l.trainable = false;
    expect(Array.from((l.apply(x, { training: true }) as nn.Tensor).dataSync())).toEqual(Array.from((l.apply(x) as nn.Tensor).dataSync()));
    expect(l.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    expect(l.trainableWeights.length).toBe(0);
  });
});

describe('layerNormalization', () => {
  for (const shape of [[5, 7], [2, 3, 8]]) {
    it(`matches tfjs on ${JSON.stringify(shape)} (y, dx, dgamma, dbeta)`, () => {
      const ours = nn.layers.layerNormalization();
      ours.apply(nn.zeros(shape));
      ours.setWeights(ours.getWeights().map((w, i) => nn.tensor(rand(w.size, 30 + i, 0.5, 1.5), w.shape)));
      compareWithTfjs(ours, tfl.layers.layerNormalization({}), [shape], { tol: 1e-5 });
    });
  }

  it('normalizes over several trailing axes with gamma/beta of their shape', () => {
    const ours = nn.layers.layerNormalization({ axis: [-2, -1] });
    ours.apply(nn.zeros([2, 3, 4]));
    expect(ours.weights.map((w) => w.shape)).toEqual([[3, 4], [3, 4]]);
    ours.setWeights(ours.getWeights().map((w, i) => nn.tensor(rand(w.size, 40 + i, 0.5, 1.5), w.shape)));
    compareWithTfjs(ours, tfl.layers.layerNormalization({ axis: [1, 2] }), [[2, 3, 4]], { tol: 1e-5 });
  });
});

describe('saving', () => {
  it('a model with both norms saved here loads in tfjs and back with equal predictions', async () => {
    nn.setSeed(5);
    const m = nn.sequential({ layers: [
      nn.layers.dense({ units: 6, inputShape: [3] }),
      nn.layers.batchNormalization({ momentum: 0.9, epsilon: 1e-4, gammaRegularizer: nn.regularizers.l2({ l2: 0.01 }) }),
      nn.layers.layerNormalization({ center: false }),
      nn.layers.dense({ units: 2 }),
    ] });
    const bn = m.getLayer(1);
    perturb(bn);
    const handler = nn.io.memory();
    await m.save(handler);
    const x = rand(5 * 3, 6);
    const back = await nn.loadLayersModel(handler);
    expect(Array.from(back.predict(nn.tensor(x, [5, 3])).dataSync())).toEqual(Array.from(m.predict(nn.tensor(x, [5, 3])).dataSync()));
    expect(back.getLayer(1).getConfig()).toMatchObject({ momentum: 0.9, epsilon: 1e-4, center: true, scale: true });
    const t = await tfl.loadLayersModel({ load: async () => ({ modelTopology: handler.modelTopology, weightSpecs: handler.weightSpecs, weightData: handler.weightData }) } as any);
    expectClose((t.predict(tf.tensor(x, [5, 3])) as any).dataSync(), m.predict(nn.tensor(x, [5, 3])).dataSync(), 1e-5, 'tfjs predict');
    // and a tfjs model with them loads here
    let saved: any;
    await t.save({ save: async (a: any) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } } as any; } } as any);
    const again = await nn.loadLayersModel(nn.io.memory(saved));
    expectClose(again.predict(nn.tensor(x, [5, 3])).dataSync(), (t.predict(tf.tensor(x, [5, 3])) as any).dataSync(), 1e-5, 'from tfjs');
  });
});
