// Pooling layers (max/average 1-D and 2-D, global max/average 1-D and 2-D) against tfjs-layers:
// forward and input gradient; config defaults; errors; and CNN models saved here load in tfjs
// with the same predictions, and back.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from '../setup';
import { tfReady, tf, tfl, tfMemory } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const LAYERS: Array<[string, Record<string, unknown>, number[]]> = [
  ['maxPooling2d', {}, [6, 7, 3]],
  ['maxPooling2d', { poolSize: 3, strides: 1, padding: 'same' }, [5, 6, 5]],
  ['maxPooling2d', { poolSize: [2, 3], strides: [2, 1], padding: 'valid' }, [7, 7, 2]],
  ['averagePooling2d', {}, [6, 7, 3]],
  ['averagePooling2d', { poolSize: 3, strides: 2, padding: 'same' }, [7, 8, 6]],
  ['maxPooling1d', {}, [9, 3]],
  ['maxPooling1d', { poolSize: 3, strides: 1, padding: 'same' }, [8, 5]],
  ['averagePooling1d', { poolSize: 2, strides: 3 }, [10, 4]],
  ['averagePooling1d', { poolSize: 4, strides: 2, padding: 'same' }, [9, 2]],
  ['globalAveragePooling2d', {}, [5, 4, 6]],
  ['globalMaxPooling2d', {}, [5, 4, 6]],
  ['globalAveragePooling1d', {}, [7, 5]],
  ['globalMaxPooling1d', {}, [7, 5]],
];

describe('pooling layers match tfjs-layers', () => {
  for (const [name, config, inputShape] of LAYERS) {
    it(`${name} ${JSON.stringify(config)}: forward and dx`, () => {
      const shape = [2, ...inputShape];
      const v = rand(shape.reduce((a, b) => a * b), inputShape.length * 7 + name.length, -2, 2);
      const ours = (nn.layers as any)[name](config), theirs = (tfl.layers as any)[name](config);
      const x = nn.tensor(v, shape), tx = tf.tensor(v, shape);
      const y = ours.apply(x), ty = theirs.apply(tx);
      expect(y.shape).toEqual(ty.shape);
      expectClose(y.dataSync(), ty.dataSync(), 1e-6, 'forward');
      const w = rand(y.size, 3);
      const [gx] = nn.grads((a: any) => nn.mul(ours.apply(a), nn.tensor(w, y.shape)))([x]);
      // tfjs' AvgPoolGrad divides by the whole window even at 'same' edges (see test/ops/conv-pool.test.ts).
      if (name.startsWith('average') && config.padding === 'same') return;
      const tgx = tf.grad((a: any) => tf.sum(tf.mul(theirs.apply(a), tf.tensor(w, ty.shape))))(tx);
      expectClose(gx.dataSync(), tgx.dataSync(), 1e-6, 'dx');
    });
  }

  it('writes the tfjs config (strides default to the pool size)', () => {
    const cfg = nn.layers.maxPooling2d({ poolSize: 3, name: 'p' }).getConfig();
    expect(cfg).toMatchObject({ poolSize: [3, 3], strides: [3, 3], padding: 'valid', dataFormat: 'channelsLast' });
    expect(nn.layers.averagePooling1d({ poolSize: 4 }).getConfig()).toMatchObject({ poolSize: [4], strides: [4] });
  });

  it('refuses bad options and inputs clearly', () => {
    expect(() => nn.layers.maxPooling2d({ poolSize: 0 })).toThrow(/poolSize must be a positive integer or 2 of them, got 0/);
    expect(() => nn.layers.maxPooling2d({ padding: 'full' as any })).toThrow(/padding must be 'valid', 'same', got 'full'/);
    expect(() => nn.layers.averagePooling2d({ dataFormat: 'channelsFirst' as any })).toThrow(/dataFormat .* is not supported/);
    expect(() => nn.layers.globalMaxPooling2d({ keepdims: true } as any)).toThrow(/keepdims true is not supported/);
    expect(() => nn.layers.maxPooling1d({ pool: 2 } as any)).toThrow(/unknown option 'pool'/);
    const p = nn.layers.maxPooling2d({ name: 'mp', poolSize: 4 });
    const x = nn.zeros([1, 3, 8, 2]), x3 = nn.zeros([1, 8, 2]);
    const before = nn.memory();
    expect(() => p.apply(x)).toThrow(/mp \(input size 3 along spatial axis 1\): the kernel \(size 4\) is larger than the input \(size 3\)/);
    expect(() => nn.layers.globalAveragePooling2d({ name: 'g' }).apply(x3)).toThrow(/g: expects input of rank 4/);
    expect(nn.memory()).toEqual(before);
  });
});

describe('CNN models save and load in the tfjs layers format', () => {
  const cnn2d = (L: any) => [
    L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [9, 8, 2] }),
    L.maxPooling2d({ poolSize: 2 }),
    L.conv2d({ filters: 5, kernelSize: [2, 3], strides: [1, 2], dilationRate: 1, activation: 'tanh' }),
    L.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }),
    L.globalMaxPooling2d(),
    L.dense({ units: 3, activation: 'softmax' }),
  ];
  const cnn1d = (L: any) => [
    L.conv1d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [12, 3] }),
    L.maxPooling1d({ poolSize: 2 }),
    L.conv1d({ filters: 6, kernelSize: 2, dilationRate: 2, useBias: false }),
    L.averagePooling1d({ poolSize: 2 }),
    L.globalAveragePooling1d(),
    L.dense({ units: 2 }),
  ];
  for (const [name, make, shape] of [['2-D', cnn2d, [3, 9, 8, 2]], ['1-D', cnn1d, [3, 12, 3]]] as const) {
    it(`${name}: saved here, loaded in tfjs, same predictions; and back`, async () => {
      nn.setSeed(11);
      const m = nn.sequential({ layers: make(nn.layers) });
      const v = rand((shape as readonly number[]).reduce((a, b) => a * b), 4);
      const x = nn.tensor(v, shape as any), tx = tf.tensor(v, shape as any);
      const h = nn.io.memory();
      await m.save(h);
      const t = await tfl.loadLayersModel(tfMemory({ modelTopology: h.modelTopology, weightSpecs: h.weightSpecs, weightData: h.weightData }));
      const ours = m.predict(x).dataSync();
      expectClose((t.predict(tx) as any).dataSync(), ours, 1e-5, 'tfjs loaded');
      const th = tfMemory();
      await t.save(th);
      const back = await nn.loadLayersModel(nn.io.memory(th.artifacts));
      expect(back.layers.map((l: any) => l.className)).toEqual(m.layers.map((l: any) => l.className));
      expectClose(back.predict(x).dataSync(), ours, 1e-5, 'loaded back');
    });
  }

  it("'full' padding round-trips here (tfjs has no such mode)", async () => {
    const m = nn.sequential({ layers: [nn.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full', inputShape: [4, 4, 1] })] });
    const h = nn.io.memory();
    await m.save(h);
    const back = await nn.loadLayersModel(h);
    const x = nn.tensor(rand(16, 5), [1, 4, 4, 1]);
    expect(back.predict(x).shape).toEqual([1, 6, 6, 2]);
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
  });
});
