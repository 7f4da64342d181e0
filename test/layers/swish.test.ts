import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

describe('swish op with a tensor beta', () => {
  it('forward and both gradients match tfjs and finite differences', () => {
    const xv = rand(2 * 7, 3, -3, 3);
    for (const b of [1, 0.4, -1.3]) {
      const x = nn.tensor(xv, [2, 7]), beta = nn.tensor([b], []);
      checkGrad((x, beta) => nn.swish(x, beta), [x, beta], { eps: 1e-2, tol: 2e-3 });
      const dy = rand(14, 9);
      const [gx, gb] = nn.grads((x: nn.Tensor, beta: nn.Tensor) => nn.mul(nn.swish(x, beta), nn.tensor(dy, [2, 7])))([x, beta]);
      const tx = tf.tensor(xv, [2, 7]), tb = tf.scalar(b);
      const f = (x: any, beta: any) => tf.mul(tf.mul(x, tf.sigmoid(tf.mul(beta, x))), tf.tensor(dy, [2, 7]));
      const [tgx, tgb] = tf.grads(f)([tx, tb]);
      expectClose(nn.swish(x, beta).dataSync(), tf.mul(tx, tf.sigmoid(tf.mul(tb, tx))).dataSync(), 1e-6, 'y');
      expectClose(gx.dataSync(), tgx.dataSync(), 1e-5, 'dx');
      expectClose(gb.dataSync(), tgb.dataSync(), 1e-5, 'dbeta');
      // a numeric beta gives the same values as the tensor one
      expect(Array.from(nn.swish(x, b).dataSync())).toEqual(Array.from(nn.swish(x, beta).dataSync()));
    }
    expect(() => nn.swish(nn.tensor([1, 2]), nn.tensor([1, 2]))).toThrow(/swish: beta must hold one value \(got shape \[2\]\)/);
    expect(() => nn.swish(nn.tensor([1, 2]), nn.tensor([NaN]))).toThrow(/swish: beta must be finite/);
  });
});

describe('swish layer', () => {
  it('with a fixed beta has no weights and computes x·sigmoid(beta·x)', () => {
    const l = nn.layers.swish({ beta: 0.5 });
    const x = nn.tensor(rand(12, 4, -4, 4), [3, 4]);
    expect(Array.from((l.apply(x) as nn.Tensor).dataSync())).toEqual(Array.from(nn.swish(x, 0.5).dataSync()));
    expect(l.weights.length).toBe(0);
    expect(l.getConfig()).toMatchObject({ beta: 0.5, trainable: false });
  });

  it('with trainable: true learns beta, and saves and loads it', async () => {
    nn.setSeed(2);
    // targets made by swish with beta 2.5 from a fixed linear map: a learned beta must move toward 2.5
    const x = nn.tensor(rand(64 * 2, 5, -2, 2), [64, 2]);
    const z = nn.matMul(x, nn.tensor([[1.5], [-1]]));
    const y = nn.swish(z, 2.5);
    const m = nn.sequential({ layers: [
      nn.layers.dense({ units: 1, inputShape: [2], trainable: false }), // the right map, frozen: only beta learns
      nn.layers.swish({ trainable: true }),
    ] });
    m.setWeights([nn.tensor([[1.5], [-1]]), nn.tensor([0]), nn.tensor(1, [])]);
    const sw = m.getLayer(1);
    expect(sw.weights.map((w) => [w.name, w.shape])).toEqual([[`${sw.name}/beta`, []]]);
    expect(m.trainableWeights.map((w) => w.name)).toEqual([`${sw.name}/beta`]);
    m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    const h0 = await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 }); // creates the optimizer state
    const before = nn.memory().numTensors;
    const h = await m.fit(x, y, { epochs: 60, batchSize: 16, verbose: 0 });
    expect(nn.memory().numTensors).toBe(before);
    const beta = sw.getWeights()[0].dataSync()[0];
    expect(Math.abs(beta - 2.5)).toBeLessThan(0.1);
    expect(h.history.loss[59]).toBeLessThan(h0.history.loss[0] / 100);

    const handler = nn.io.memory();
    await m.save(handler);
    const back = await nn.loadLayersModel(handler);
    expect(back.getLayer(1).className).toBe('Swish');
    expect(back.getLayer(1).getConfig()).toMatchObject({ beta: 1, trainable: true });
    expect(back.getLayer(1).getWeights()[0].dataSync()[0]).toBe(beta);
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
  });

  it('a fixed-beta swish round-trips too', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 3, inputShape: [2] }), nn.layers.swish({ beta: 1.7 })] });
    const handler = nn.io.memory();
    await m.save(handler);
    const back = await nn.loadLayersModel(handler);
    expect(back.weights.length).toBe(2);
    const x = nn.tensor(rand(8, 6), [4, 2]);
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    expect(() => nn.layers.swish({ beta: Infinity })).toThrow(/swish_\d+: swish parameter must be a finite number/);
  });
});
