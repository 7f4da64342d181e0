// save(dest, { includeOptimizer: true }): the training config and the optimizer's state travel with
// the model (tfjs-layers' layout), so a loaded model comes back compiled and resumes training exactly.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const X = rand(8 * 4, 3), Y = rand(8 * 2, 4);

function net(seed: number) {
  nn.setSeed(seed);
  return nn.sequential({ layers: [
    nn.layers.dense({ units: 6, activation: 'tanh', inputShape: [4] }),
    nn.layers.dense({ units: 2 }),
  ] });
}

async function train(m: nn.Model, steps: number) {
  for (let i = 0; i < steps; i++) await m.trainOnBatch(nn.tensor(X, [8, 4]), nn.tensor(Y, [8, 2]));
}

const flat = (m: nn.Model) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('includeOptimizer', () => {
  const optimizers: [string, () => nn.optimizers.Optimizer][] = [
    ['adam', () => nn.optimizers.adam({ learningRate: 0.02, beta1: 0.8 })],
    ['rmsprop centered with momentum', () => nn.optimizers.rmsprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, centered: true })],
    ['nesterov momentum', () => nn.optimizers.sgd({ learningRate: 0.05, momentum: 0.7, nesterov: true })],
    ['adagrad', () => nn.optimizers.adagrad({ learningRate: 0.1 })],
    ['adamax with a schedule', () => nn.optimizers.adamax({ learningRate: nn.schedules.exponentialDecay({ initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5 }) })],
  ];
  for (const [name, make] of optimizers) {
    it(`${name}: 3 steps, save, load, 3 more steps equals 6 straight steps bit for bit`, async () => {
      const straight = net(7);
      straight.compile({ optimizer: make(), loss: 'meanSquaredError', metrics: ['mae'] });
      await train(straight, 6);

      const first = net(7);
      first.compile({ optimizer: make(), loss: 'meanSquaredError', metrics: ['mae'] });
      await train(first, 3);
      const saved = nn.io.memory();
      await first.save(saved, { includeOptimizer: true });
      const resumed = await nn.loadLayersModel(saved);
      expect(resumed.optimizer!.className).toBe(first.optimizer!.className);
      expect(resumed.optimizer!.getConfig()).toEqual(first.optimizer!.getConfig());
      expect(resumed.optimizer!.iterations).toBe(3);
      expect(resumed.compiled!.heads.map((h) => [h.lossName, h.metricNames])).toEqual([['meanSquaredError', ['mae']]]);
      await train(resumed, 3);
      expect(flat(resumed)).toEqual(flat(straight));
    });
  }

  it('writes tfjs layout: trainingConfig, then iter (int32) and <weight>/m, <weight>/v in group optimizer', async () => {
    const m = net(1);
    m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await train(m, 1);
    const h = nn.io.memory();
    await m.save(h, { includeOptimizer: true });
    expect(h.trainingConfig).toEqual({ loss: 'categorical_crossentropy', metrics: ['accuracy'],
      optimizer_config: { class_name: 'Adam', config: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } } });
    const names = m.trainableWeights.map((v) => v.name);
    const opt = h.weightSpecs!.filter((s) => s.group === 'optimizer');
    expect(opt.map((s) => s.name)).toEqual(['iter', ...names.map((n) => `${n}/m`), ...names.map((n) => `${n}/v`)]);
    expect(opt[0]).toMatchObject({ dtype: 'int32', shape: [] });
    const modelBytes = m.weights.reduce((n, v) => n + v.value.size * 4, 0);
    expect(new Int32Array(h.weightData!, modelBytes, 1)[0]).toBe(1);
    // without the option nothing but the model is written
    const plain = nn.io.memory();
    await m.save(plain);
    expect(plain.trainingConfig).toBeUndefined();
    expect(plain.weightSpecs!.some((s) => s.group)).toBe(false);
  });

  it('a tfjs model saved with its optimizer loads here compiled and trains on as tfjs does', async () => {
    const tm = tfl.sequential({ layers: [
      tfl.layers.dense({ units: 6, activation: 'tanh', inputShape: [4] }),
      tfl.layers.dense({ units: 2 }),
    ] });
    tm.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError', metrics: ['mae'] });
    const tx = tf.tensor(X, [8, 4]), ty = tf.tensor(Y, [8, 2]);
    for (let i = 0; i < 3; i++) await tm.trainOnBatch(tx, ty);
    let artifacts: any;
    await tm.save({ save: async (a: any) => { artifacts = a; return { modelArtifactsInfo: {} as any }; } } as any, { includeOptimizer: true });
    expect(artifacts.weightSpecs.find((s: any) => s.name === 'iter')).toMatchObject({ dtype: 'int32', group: 'optimizer' });
    const m = await nn.loadLayersModel(nn.io.fromMemory(artifacts));
    expect(m.optimizer!.className).toBe('Adam');
    expect(m.optimizer!.iterations).toBe(3);
    for (let i = 0; i < 3; i++) await tm.trainOnBatch(tx, ty);
    await train(m, 3);
    expectClose(flat(m), tm.getWeights().flatMap((w) => Array.from(w.dataSync())), 1e-5, 'weights after 3 more steps');
  });

  it('a model saved here with its optimizer loads in tfjs compiled and trains on as here', async () => {
    const m = net(3);
    m.compile({ optimizer: nn.optimizers.rmsprop({ learningRate: 0.01, rho: 0.8 }), loss: 'meanSquaredError' });
    await train(m, 3);
    const h = nn.io.memory();
    await m.save(h, { includeOptimizer: true });
    const tm = await tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: h.modelTopology, weightSpecs: h.weightSpecs as any,
      weightData: h.weightData, trainingConfig: h.trainingConfig as any }));
    expect(tm.optimizer.getClassName()).toBe('RMSProp');
    expect((tm.optimizer as any).decay).toBe(0.8);
    expect((tm.optimizer as any).iterations).toBe(3);
    const tx = tf.tensor(X, [8, 4]), ty = tf.tensor(Y, [8, 2]);
    for (let i = 0; i < 3; i++) await tm.trainOnBatch(tx, ty);
    await train(m, 3);
    expectClose(tm.getWeights().flatMap((w) => Array.from(w.dataSync())), flat(m), 1e-5, 'weights after 3 more steps');
  });

  it('an optimizer saved before its first step restores its step count and starts fresh', async () => {
    const m = net(4);
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const h = nn.io.memory();
    await m.save(h, { includeOptimizer: true });
    const back = await nn.loadLayersModel(h);
    expect(back.optimizer!.iterations).toBe(0);
    const twin = net(4);
    twin.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await train(back, 2);
    await train(twin, 2);
    expect(flat(back)).toEqual(flat(twin));
  });

  it("a Keras-style optimizer_config (snake_case, Keras' bookkeeping keys) compiles the same optimizer", async () => {
    const h = nn.io.memory();
    const m = net(8);
    await m.save(h);
    const trainingConfig = { loss: 'mean_squared_error', metrics: ['mae'], optimizer_config: { class_name: 'Adam', config: {
      name: 'Adam', learning_rate: 0.003, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-6, amsgrad: false, clipnorm: 1.5, global_clipnorm: null,
      use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, jit_compile: false, is_legacy_optimizer: false, weight_decay: null } } };
    const back = await nn.loadLayersModel(nn.io.fromMemory(h.modelTopology!, h.weightSpecs!, h.weightData!, trainingConfig));
    expect(back.optimizer!.getConfig()).toEqual(nn.optimizers.adam({ learningRate: 0.003, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, clipNorm: 1.5 }).getConfig());
    // tfjs' dict forms for a one-output model: {} when no metrics were compiled, {output: name} otherwise
    const dicts = { ...trainingConfig, loss: { dense_out: 'mean_absolute_error' }, metrics: {} };
    const fromDicts = await nn.loadLayersModel(nn.io.fromMemory(h.modelTopology!, h.weightSpecs!, h.weightData!, dicts));
    expect(fromDicts.compiled!.heads.map((x) => [x.lossName, x.metricNames])).toEqual([['meanAbsoluteError', []]]);
    const amsgrad = { ...trainingConfig, optimizer_config: { class_name: 'Adam', config: { amsgrad: true } } };
    await expect(nn.loadLayersModel(nn.io.fromMemory(h.modelTopology!, h.weightSpecs!, h.weightData!, amsgrad))).rejects.toThrow(/amsgrad is not supported/);
  });

  it('refuses what it cannot save or restore, clearly and without leaking', async () => {
    const m = net(5);
    await expect(m.save(nn.io.memory(), { includeOptimizer: true })).rejects.toThrow(/includeOptimizer needs a compiled model/);
    await expect(m.save(nn.io.memory(), { includeOptimiser: true } as any)).rejects.toThrow(/unknown option 'includeOptimiser'/);
    m.compile({ optimizer: 'sgd', loss: (a: nn.Tensor, b: nn.Tensor) => nn.mean(nn.square(nn.sub(a, b))) });
    await expect(m.save(nn.io.memory(), { includeOptimizer: true })).rejects.toThrow(/custom loss/);

    const good = net(6);
    good.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    await train(good, 1);
    const h = nn.io.memory();
    await good.save(h, { includeOptimizer: true });
    // the state of one weight dropped: counts disagree
    const specs = h.weightSpecs!;
    const drop = specs.length - 1;
    const bytes = specs[drop].shape.reduce((a, b) => a * b, 1) * 4;
    const broken = nn.io.fromMemory(h.modelTopology!, specs.slice(0, drop), h.weightData!.slice(0, h.weightData!.byteLength - bytes), h.trainingConfig);
    const before = nn.memory();
    await expect(nn.loadLayersModel(broken)).rejects.toThrow(/holds 7 optimizer weights .* Adam needs 8/);
    expect(nn.memory().numTensors).toBe(before.numTensors);
    expect(nn.memory().numBytes).toBe(before.numBytes);
    // an optimizer simdnn does not have
    const unknown = nn.io.fromMemory({ ...h, trainingConfig: { ...h.trainingConfig, optimizer_config: { class_name: 'Lion', config: {} } } } as any);
    await expect(nn.loadLayersModel(unknown)).rejects.toThrow(/optimizer 'Lion'/);
    expect(nn.memory().numTensors).toBe(before.numTensors);
  });
});
