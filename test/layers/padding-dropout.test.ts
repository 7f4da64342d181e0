// zeroPadding1d/2d (padding forms as tfjs, parity with tfjs ZeroPadding2D) and spatialDropout1d/2d
// (whole channels dropped, seeded like dropout, identity at inference).
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, checkGrad, expectClose } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';
import { compareWithTfjs } from './tfjs-compare';

beforeAll(async () => { await ready(); await tfReady(); });

describe('zeroPadding', () => {
  it('2-D: an int, a pair and a pair of pairs match tfjs', () => {
    for (const padding of [1, [2, 1], [[1, 0], [0, 2]]] as const) {
      compareWithTfjs(nn.layers.zeroPadding2d({ padding: padding as any }), tfl.layers.zeroPadding2d({ padding: padding as any }), [[2, 3, 2, 3]]);
    }
  });

  it('1-D pads the steps; symbolic shapes and configs', () => {
    const l = nn.layers.zeroPadding1d({ padding: [2, 1] });
    const y = (l.apply(nn.tensor([[[1, 2], [3, 4]]])) as nn.Tensor).arraySync();
    expect(y).toEqual([[[0, 0], [0, 0], [1, 2], [3, 4], [0, 0]]]);
    expect(l.getConfig()).toMatchObject({ padding: [2, 1] });
    expect(nn.layers.zeroPadding1d({ padding: 3 }).apply(nn.input({ shape: [null as any, 4] })).shape).toEqual([null, null, 4]);
    expect(nn.layers.zeroPadding2d({ padding: [1, 2] }).apply(nn.input({ shape: [5, 6, 3] })).shape).toEqual([null, 7, 10, 3]);
    expect(nn.layers.zeroPadding2d({ padding: [1, 2] }).getConfig()).toMatchObject({ padding: [[1, 1], [2, 2]], dataFormat: 'channelsLast' });
    checkGrad((x) => nn.mul(l.apply(x) as nn.Tensor, nn.tensor(rand(2 * 6 * 3, 2), [2, 6, 3])), [nn.tensor(rand(18, 1), [2, 3, 3])]);
  });
});

describe('spatialDropout', () => {
  for (const [name, shape] of [['spatialDropout1d', [4, 5, 6]], ['spatialDropout2d', [3, 4, 3, 8]]] as const) {
    it(`${name} drops whole channels of each sample, scales the rest, and has their gradient`, () => {
      const layer = nn.layers[name]({ rate: 0.5, seed: 7 });
      const n = shape.reduce((a, b) => a * b, 1);
      const x = nn.tensor(rand(n, 3, 1, 2), shape as unknown as number[]);
      expect(Array.from((layer.apply(x) as nn.Tensor).dataSync())).toEqual(Array.from(x.dataSync())); // inference: identity
      const y = (layer.apply(x, { training: true }) as nn.Tensor).dataSync();
      const xv = x.dataSync();
      const C = shape[shape.length - 1], N = shape[0], per = n / N / C;
      let dropped = 0;
      for (let s = 0; s < N; s++) for (let c = 0; c < C; c++) {
        const ratios = Array.from({ length: per }, (_, p) => y[s * per * C + p * C + c] / xv[s * per * C + p * C + c]);
        expect(ratios.every((r) => r === ratios[0]), `sample ${s} channel ${c}`).toBe(true);
        expect([0, 2]).toContain(Math.round(ratios[0] * 1e5) / 1e5);
        if (ratios[0] === 0) dropped++;
      }
      expect(dropped).toBeGreaterThan(0);
      expect(dropped).toBeLessThan(N * C);
      // the same seed gives the same masks in a fresh layer; later calls give new ones
      const again = nn.layers[name]({ rate: 0.5, seed: 7 });
      expect(Array.from((again.apply(x, { training: true }) as nn.Tensor).dataSync())).toEqual(Array.from(y));
      expect(Array.from((again.apply(x, { training: true }) as nn.Tensor).dataSync())).not.toEqual(Array.from(y));
      // gradient: through the kept channels, scaled (one draw per call: compare with that call's mask)
      const [g] = nn.grads((t: nn.Tensor) => nn.layers[name]({ rate: 0.5, seed: 7 }).apply(t, { training: true }) as nn.Tensor)([x]);
      expect(Array.from(g.dataSync())).toEqual(Array.from(y, (v) => (v === 0 ? 0 : 2))); // x·2 is exact: kept ⇔ nonzero
    });
  }

  it('rank and configs', () => {
    expect(() => nn.layers.spatialDropout2d({ rate: 0.1, name: 'sd' }).apply(nn.zeros([2, 3, 4]))).toThrow(/sd: expects inputs of rank 4, got \[2,3,4\]/);
    expect(nn.layers.spatialDropout1d({ rate: 0.25, seed: 3 }).getConfig()).toMatchObject({ rate: 0.25, seed: 3, noiseShape: null });
  });
});

describe('saving', () => {
  it('spatialDropout1d loads in tfjs with equal predictions; every padding/dropout layer round-trips here', async () => {
    const inp = nn.input({ shape: [5, 3] });
    const a = nn.layers.spatialDropout1d({ rate: 0.3, seed: 2 }).apply(inp);
    const b = nn.layers.zeroPadding1d({ padding: [1, 2] }).apply(a);
    const img = nn.layers.reshape({ targetShape: [8, 3, 1] }).apply(b);
    const c = nn.layers.spatialDropout2d({ rate: 0.2 }).apply(nn.layers.zeroPadding2d({ padding: [[0, 1], [2, 0]] }).apply(img));
    const m = nn.model({ inputs: inp, outputs: nn.layers.dense({ units: 2 }).apply(nn.layers.flatten().apply(c)) });
    const x = nn.tensor(rand(2 * 15, 8), [2, 5, 3]);
    const h = nn.io.memory();
    await m.save(h);
    const back = await nn.loadLayersModel(h);
    expect(back.layers.map((l) => l.className)).toContain('SpatialDropout2D');
    expect(back.getLayer(back.layers.findIndex((l) => l.className === 'ZeroPadding2D')).getConfig()).toMatchObject({ padding: [[0, 1], [2, 0]] });
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));

    const simple = nn.sequential({ layers: [nn.layers.spatialDropout1d({ rate: 0.5, inputShape: [4, 3] }), nn.layers.flatten(), nn.layers.dense({ units: 2 })] });
    const hs = nn.io.memory();
    await simple.save(hs);
    const t = await tfl.loadLayersModel({ load: async () => ({ modelTopology: hs.modelTopology, weightSpecs: hs.weightSpecs, weightData: hs.weightData }) } as any);
    expect(t.layers[0].getClassName()).toBe('SpatialDropout1D');
    const xs = rand(2 * 12, 9);
    expectClose((t.predict(tf.tensor(xs, [2, 4, 3])) as any).dataSync(), simple.predict(nn.tensor(xs, [2, 4, 3])).dataSync(), 1e-6, 'tfjs');
  });
});
