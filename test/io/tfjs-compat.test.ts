// Saving what TensorFlow.js cannot load (the swish layer, step/sign/leakyRelu activations,
// straightThrough, optimizers and schedules tfjs lacks) succeeds, warns once, and the warning is right:
// tfjs does refuse each item named.
import { describe, it, expect, beforeAll, vi, afterEach } from 'vitest';
import { nn, ready, rand } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });
afterEach(() => { vi.restoreAllMocks(); });

async function saveWarnings(m: nn.Model, config?: nn.io.SaveConfig) {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const h = nn.io.memory();
  await m.save(h, config);
  const calls = warn.mock.calls.map((c) => String(c[0]));
  warn.mockRestore();
  return { h, calls };
}

const tfjsLoad = (h: nn.io.MemoryHandler) => tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: h.modelTopology, weightSpecs: h.weightSpecs as any,
  weightData: h.weightData, trainingConfig: h.trainingConfig as any }));

describe('saving what tfjs cannot load', () => {
  const dense = () => nn.layers.dense({ units: 3, inputShape: [2] });
  const cases: [string, () => nn.layers.Layer[], number[], RegExp][] = [
    ['the swish layer', () => [dense(), nn.layers.swish({ name: 'sw1' })], [2], /the Swish layer \(sw1\)/],
    ['a sign activation', () => [dense(), nn.layers.dense({ units: 2, activation: 'sign', name: 'sg1' })], [2], /the 'sign' activation \(sg1\)/],
    ['a step activation with straightThrough', () => [dense(), nn.layers.activation({ activation: 'step', straightThrough: true, name: 'st1' })], [2],
      /the 'step' activation \(st1\); straightThrough \(st1\)/],
    ['a leakyRelu activation', () => [dense(), nn.layers.dense({ units: 2, activation: 'leakyRelu', name: 'lr1' })], [2], /the 'leaky_relu' activation \(lr1\)/],
    ["conv1d padding 'full'", () => [nn.layers.conv1d({ filters: 2, kernelSize: 2, padding: 'full', name: 'cf1', inputShape: [6, 2] })], [6, 2],
      /padding 'full' \(cf1\)/],
    ['conv1d with strides and dilation', () => [nn.layers.conv1d({ filters: 2, kernelSize: 2, strides: 2, dilationRate: 2, name: 'cd1', inputShape: [6, 2] })],
      [6, 2], /strides and dilationRate both above 1 \(cd1\)/],
  ];
  for (const [what, layers, inShape, pattern] of cases) {
    it(`${what}: saved, loads here, warns once naming it, and tfjs does refuse it`, async () => {
      const m = nn.sequential({ layers: layers() });
      const { h, calls } = await saveWarnings(m);
      expect(calls.length).toBe(1);
      expect(calls[0]).toMatch(/save: saved, but TensorFlow\.js cannot load or run/);
      expect(calls[0]).toMatch(pattern);
      const x = nn.tensor(rand(2 * inShape.reduce((p, d) => p * d, 1), 1), [2, ...inShape]);
      expect(Array.from((await nn.loadLayersModel(h)).predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
      await expect((async () => { (await tfjsLoad(h)).predict(tf.zeros([2, ...inShape])); })()).rejects.toThrow();
      expect((await saveWarnings(m)).calls).toEqual([]); // once: a checkpoint saved every epoch does not repeat it
    });
  }

  it('an optimizer or a learning-rate schedule tfjs lacks is named when saved with includeOptimizer', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2], name: 'd_adamw' })] });
    m.compile({ optimizer: nn.optimizers.adamw({ learningRate: nn.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10 }) }), loss: 'meanSquaredError' });
    const { h, calls } = await saveWarnings(m, { includeOptimizer: true });
    expect(calls.length).toBe(1);
    expect(calls[0]).toMatch(/the AdamW optimizer; a learning-rate schedule/);
    await expect(tfjsLoad(h)).rejects.toThrow();
    const back = await nn.loadLayersModel(h);
    expect(back.optimizer!.getConfig()).toEqual(m.optimizer!.getConfig());
  });

  it('what tfjs loads saves without a warning (and tfjs loads it)', async () => {
    const m = nn.sequential({ layers: [
      nn.layers.dense({ units: 3, activation: 'relu', inputShape: [2] }), nn.layers.leakyReLU(), nn.layers.elu(), nn.layers.prelu(),
      nn.layers.dense({ units: 2, activation: 'swish' }), nn.layers.activation({ activation: 'hardSigmoid' }), nn.layers.softmax({ axis: 1 }),
    ] });
    m.compile({ optimizer: nn.optimizers.sgd({ momentum: 0.5 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const { h, calls } = await saveWarnings(m, { includeOptimizer: true });
    expect(calls).toEqual([]);
    const t = await tfjsLoad(h);
    expect(t.optimizer.getClassName()).toBe('Momentum');
  });
});
