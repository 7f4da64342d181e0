import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const XOR_Y = [[0], [1], [1], [0]];

function xorModel() {
  const model = nn.sequential({ layers: [
    nn.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
    nn.layers.dense({ units: 1, activation: 'sigmoid' }),
  ] });
  model.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

describe('training', () => {
  it('an MLP learns XOR with a fixed seed', async () => {
    nn.setSeed(1);
    const model = xorModel();
    const h = await model.fit(XOR_X, XOR_Y, { epochs: 300, batchSize: 4, verbose: 0 });
    expect(h.history.loss.length).toBe(300);
    expect(h.history.loss[299]).toBeLessThan(0.05);
    expect(h.history.accuracy[299]).toBe(1);
    const p = model.predict(XOR_X).dataSync();
    expect(Array.from(p, (v) => Math.round(v))).toEqual([0, 1, 1, 0]);
  });

  it('the same seed gives the same bits', async () => {
    const run = async () => {
      nn.setSeed(123);
      const m = xorModel();
      await m.fit(XOR_X, XOR_Y, { epochs: 20, batchSize: 2, shuffle: true, verbose: 0 });
      return Array.from(m.getWeights().flatMap((w) => Array.from(w.dataSync())));
    };
    expect(await run()).toEqual(await run());
  });

  it('three SGD and Adam steps match tfjs with the same weights', async () => {
    for (const [ours, theirs] of [
      [() => nn.optimizers.sgd({ learningRate: 0.1 }), () => tf.train.sgd(0.1)],
      [() => nn.optimizers.adam({ learningRate: 0.01 }), () => tf.train.adam(0.01, 0.9, 0.999, 1e-7)],
    ] as const) {
      const m = nn.sequential({ layers: [
        nn.layers.dense({ units: 6, activation: 'relu', inputShape: [5] }),
        nn.layers.dense({ units: 3, activation: 'softmax' }),
      ] });
      m.compile({ optimizer: ours(), loss: 'categoricalCrossentropy' });
      const t = tfl.sequential({ layers: [
        tfl.layers.dense({ units: 6, activation: 'relu', inputShape: [5] }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ] });
      t.compile({ optimizer: theirs(), loss: 'categoricalCrossentropy' });
      t.setWeights(m.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
      const x = rand(8 * 5, 3), y = new Float32Array(8 * 3).map((_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
      for (let s = 0; s < 3; s++) {
        const l1 = await m.trainOnBatch(nn.tensor(x, [8, 5]), nn.tensor(y, [8, 3])) as number;
        const l2 = await t.trainOnBatch(tf.tensor(x, [8, 5]), tf.tensor(y, [8, 3])) as number;
        expectClose([l1], [l2], 1e-5, `loss at step ${s}`);
      }
      const ws = m.getWeights(), ts = t.getWeights();
      ws.forEach((w, i) => expectClose(w.dataSync(), ts[i].dataSync(), 1e-5, `weight ${i}`));
    }
  });

  it('kernel and bias regularizers train like tfjs (3 SGD steps)', async () => {
    const make = (lib: any, reg: any) => [
      lib.layers.dense({ units: 4, activation: 'tanh', inputShape: [3], kernelRegularizer: reg.l1l2({ l1: 0.01, l2: 0.02 }) }),
      lib.layers.dense({ units: 1, biasRegularizer: reg.l2({ l2: 0.05 }) }),
    ];
    const m = nn.sequential({ layers: make(nn, nn.regularizers) });
    m.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const t = tfl.sequential({ layers: make(tfl, tfl.regularizers) });
    t.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    t.setWeights(m.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
    const x = rand(6 * 3, 31), y = rand(6, 32);
    for (let s = 0; s < 3; s++) {
      const l1 = await m.trainOnBatch(nn.tensor(x, [6, 3]), nn.tensor(y, [6, 1])) as number;
      const l2 = await t.trainOnBatch(tf.tensor(x, [6, 3]), tf.tensor(y, [6, 1])) as number;
      expectClose([l1], [l2], 1e-5, `loss at step ${s}`);
    }
    m.getWeights().forEach((w, i) => expectClose(w.dataSync(), t.getWeights()[i].dataSync(), 1e-5, `weight ${i}`));
  });

  it('an activity regularizer adds its penalty on the layer output to the loss', () => {
    const x = nn.tensor(rand(5 * 3, 41), [5, 3]), y = nn.tensor(rand(5 * 2, 42), [5, 2]);
    const plain = nn.sequential({ layers: [nn.layers.dense({ units: 2, inputShape: [3] })] });
    const reg = nn.sequential({ layers: [nn.layers.dense({ units: 2, inputShape: [3], activityRegularizer: nn.regularizers.l2({ l2: 0.1 }) })] });
    reg.setWeights(plain.getWeights());
    for (const m of [plain, reg]) m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const out = plain.predict(x).dataSync();
    const penalty = 0.1 * out.reduce((s, v) => s + v * v, 0);
    const l0 = (plain.evaluate(x, y) as any).dataSync()[0], l1 = (reg.evaluate(x, y) as any).dataSync()[0];
    expectClose([l1], [l0 + penalty], 1e-5);
  });

  it('a learning-rate schedule drives the optimizer step by step during training', async () => {
    const make = () => nn.sequential({ layers: [nn.layers.dense({ units: 2, inputShape: [3], kernelInitializer: nn.initializers.glorotUniform({ seed: 9 }) })] });
    const scheduled = make(), manual = make();
    const schedule = nn.schedules.exponentialDecay({ initialLearningRate: 0.2, decaySteps: 1, decayRate: 0.5 });
    scheduled.compile({ optimizer: nn.optimizers.sgd({ learningRate: schedule }), loss: 'meanSquaredError' });
    const opt = nn.optimizers.sgd({ learningRate: 0.2 });
    manual.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const x = nn.tensor(rand(12, 51), [4, 3]), y = nn.tensor(rand(8, 52), [4, 2]);
    for (let step = 0; step < 4; step++) {
      opt.learningRate = 0.2 * 0.5 ** step;
      await scheduled.trainOnBatch(x, y);
      await manual.trainOnBatch(x, y);
    }
    expect(scheduled.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(manual.getWeights().map((w) => Array.from(w.dataSync())));
    expect(scheduled.optimizer!.currentLearningRate()).toBeCloseTo(0.2 * 0.5 ** 4, 10);
  });

  it('nn.grads over a compiled model\'s weights gives fresh gradients every call (custom training loops)', () => {
    const m = xorModel();
    const ws = m.trainableWeights.map((v) => v.value);
    const x = nn.tensor(XOR_X), y = nn.tensor(XOR_Y);
    const f = (..._w: any[]) => nn.mean(nn.square(nn.sub(m.apply(x) as any, y)));
    const g1 = nn.grads(f)(ws).map((g) => Array.from(g.dataSync()));
    const g2 = nn.grads(f)(ws).map((g) => Array.from(g.dataSync()));
    expect(g2).toEqual(g1);
    expect(g1.flat().some((v) => v !== 0)).toBe(true);
  });

  it('two models sharing a layer train the same weights', async () => {
    const shared = nn.layers.dense({ units: 3, activation: 'tanh', inputShape: [2] });
    const a = nn.sequential({ layers: [shared, nn.layers.dense({ units: 1 })] });
    const b = nn.sequential({ layers: [shared, nn.layers.dense({ units: 2 })] });
    a.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    b.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.1 }), loss: 'meanSquaredError' });
    const x = nn.tensor(rand(8, 61), [4, 2]);
    const kernel = () => Array.from(shared.getWeights()[0].dataSync());
    const k0 = kernel();
    await a.trainOnBatch(x, nn.tensor(rand(4, 62), [4, 1]));
    const k1 = kernel();
    expect(k1).not.toEqual(k0);
    await b.trainOnBatch(x, nn.tensor(rand(8, 63), [4, 2]));
    const k2 = kernel();
    expect(k2).not.toEqual(k1);
    await a.trainOnBatch(x, nn.tensor(rand(4, 62), [4, 1]));
    expect(kernel()).not.toEqual(k2);
    // what a sees is what b trained: both read the one shared kernel
    expect(Array.from(a.getWeights()[0].dataSync())).toEqual(kernel());
    expect(Array.from(b.getWeights()[0].dataSync())).toEqual(kernel());
  });

  it('validationSplit, callbacks and history', async () => {
    nn.setSeed(3);
    const model = xorModel();
    const x = nn.tensor(rand(40 * 2, 5, 0, 1), [40, 2]);
    const y = nn.tensor(rand(40, 6, 0, 1), [40, 1]);
    const seen: string[] = [];
    const h = await model.fit(x, y, { epochs: 3, batchSize: 8, validationSplit: 0.25, verbose: 0, callbacks: {
      onTrainBegin: () => { seen.push('train'); },
      onEpochEnd: (e, logs) => { seen.push(`epoch${e}:${Object.keys(logs!).sort().join(',')}`); },
      onBatchEnd: (b) => { seen.push(`b${b}`); },
    } });
    // 30 training samples in batches of 8 → 4 batches per epoch
    expect(seen.slice(0, 6)).toEqual(['train', 'b0', 'b1', 'b2', 'b3', 'epoch0:acc,accuracy,loss,val_acc,val_accuracy,val_loss']);
    expect(h.history.val_loss.length).toBe(3);
    expect(h.epoch).toEqual([0, 1, 2]);
  });

  it('full-batch, stochastic and mini-batch are just batchSize', async () => {
    for (const batchSize of [1, 3, 40]) {
      const model = xorModel();
      let n = 0;
      await model.fit(nn.tensor(rand(80, 9, 0, 1), [40, 2]), nn.tensor(rand(40, 8, 0, 1), [40, 1]),
        { epochs: 1, batchSize, verbose: 0, callbacks: { onBatchEnd: () => { n++; } } });
      expect(n).toBe(Math.ceil(40 / batchSize));
    }
  });
});

describe('bad input', () => {
  it('names the model, layer and shapes', async () => {
    const model = xorModel();
    await expect(model.fit([[1, 2, 3]], [[1]], { verbose: 0 })).rejects.toThrow(/expected input shape \[null,2\], got \[1,3\]/);
    await expect(model.fit([[1, 2], [3, 4]], [[1]], { verbose: 0 })).rejects.toThrow(/same number of samples, got x \[2,2\] and y \[1,1\]/);
    await expect(model.fit([[1, NaN]], [[1]], { verbose: 0 })).rejects.toThrow(/x contains 1 NaN or infinite value/);
    await expect(model.fit(nn.zeros([0, 2]), nn.zeros([0, 1]), { verbose: 0 })).rejects.toThrow(/fit: x \[0,2\] has no samples/);
    expect(() => model.evaluate(nn.zeros([0, 2]), nn.zeros([0, 1]))).toThrow(/evaluate: x \[0,2\] has no samples/);
    // @ts-expect-error: a misspelled name is refused at run time too
    expect(() => model.compile({ optimizer: 'nope', loss: 'meanSquaredError' })).toThrow(/unknown optimizer 'nope'/);
    // @ts-expect-error: a misspelled name is refused at run time too
    expect(() => model.compile({ optimizer: 'sgd', loss: 'nope' })).toThrow(/unknown loss 'nope'/);
    expect(() => nn.sequential({ layers: [nn.layers.dense({ units: 1 })] }).compile({ optimizer: 'sgd', loss: 'mse' })).not.toThrow();
    // and the library keeps working afterwards
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const h = await model.fit(XOR_X, XOR_Y, { epochs: 2, verbose: 0 });
    expect(h.history.loss.every(Number.isFinite)).toBe(true);
  });

  it('a compile that fails leaves the earlier one in force', async () => {
    const model = xorModel();
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae'] });
    // @ts-expect-error: a misspelled name is refused at run time too
    expect(() => model.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['nope'] })).toThrow(/unknown metric 'nope'/);
    // @ts-expect-error: a misspelled name is refused at run time too
    expect(() => model.compile({ optimizer: 'nope', loss: 'binaryCrossentropy' })).toThrow(/unknown optimizer 'nope'/);
    const p = model.predict(XOR_X).dataSync(), y = XOR_Y.flat();
    const mse = y.reduce((s, v, i) => s + (p[i] - v) ** 2, 0) / y.length;
    const [loss, mae] = model.evaluate(XOR_X, XOR_Y) as nn.Tensor[];
    expect(loss.dataSync()[0]).toBeCloseTo(mse, 6);
    expect(mae.dataSync()[0]).toBeCloseTo(y.reduce((s, v, i) => s + Math.abs(p[i] - v), 0) / y.length, 6);
    expect(Object.keys((await model.fit(XOR_X, XOR_Y, { epochs: 1, verbose: 0 })).history).sort()).toEqual(['loss', 'mae']);
  });

  it('layers refuse input shapes that are not positive integers; unbuilt models say so', () => {
    expect(() => nn.layers.dense({ units: 1, inputShape: [-2] })).toThrow(/dense_\d+: input shape \[null,-2\] must hold positive integers/);
    expect(() => nn.input({ shape: [0, 3] })).toThrow(/input shape \[null,0,3\] must hold positive integers/);
    expect(() => nn.layers.dense({ units: 1, batchInputShape: [null, 2.5] })).toThrow(/\[null,2.5\]/);
    const lazy = nn.sequential({ layers: [nn.layers.dense({ units: 1 })] });
    expect(() => lazy.countParams()).toThrow(/countParams: the model is not built yet/);
  });

  it('uncompiled models say so', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2] })] });
    await expect(m.fit(XOR_X, XOR_Y)).rejects.toThrow(/call compile\(\) first/);
  });
});
