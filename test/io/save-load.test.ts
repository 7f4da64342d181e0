import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from '../setup';
import { tfReady, tf, tfl, tfMemory } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

function mlp() {
  return nn.sequential({ layers: [
    nn.layers.dense({ units: 8, activation: 'relu', inputShape: [5], kernelRegularizer: nn.regularizers.l2({ l2: 0.01 }) }),
    nn.layers.leakyReLU({ alpha: 0.2 }),
    nn.layers.dropout({ rate: 0.3 }),
    nn.layers.dense({ units: 3, activation: 'softmax' }),
  ] });
}

describe('save and load (tfjs layers format)', () => {
  const x = rand(4 * 5, 7);

  it('round-trips through nn.io.memory() with identical predictions', async () => {
    const m = mlp();
    const handler = nn.io.memory();
    await m.save(handler);
    expect(handler.modelTopology!.class_name).toBe('Sequential');
    expect(handler.weightSpecs!.map((s) => s.name)).toEqual(m.weights.map((v) => v.name));
    const loaded = await nn.loadLayersModel(handler);
    expect(loaded.layers.map((l) => l.className)).toEqual(['Dense', 'LeakyReLU', 'Dropout', 'Dense']);
    expect(Array.from(loaded.predict(nn.tensor(x, [4, 5])).dataSync())).toEqual(Array.from(m.predict(nn.tensor(x, [4, 5])).dataSync()));
  });

  it('a model saved here loads in tfjs with the same predictions', async () => {
    const m = mlp();
    const handler = nn.io.memory();
    await m.save(handler);
    const t = await tfl.loadLayersModel(tfMemory({ modelTopology: handler.modelTopology, weightSpecs: handler.weightSpecs, weightData: handler.weightData }));
    expectClose((t.predict(tf.tensor(x, [4, 5])) as any).dataSync(), m.predict(nn.tensor(x, [4, 5])).dataSync(), 1e-5);
  });

  it('a model saved by tfjs loads here with the same predictions', async () => {
    const t = tfl.sequential({ layers: [
      tfl.layers.dense({ units: 6, activation: 'tanh', inputShape: [5] }),
      tfl.layers.dense({ units: 2, activation: 'sigmoid' }),
    ] });
    const h = tfMemory();
    await t.save(h);
    const m = await nn.loadLayersModel(nn.io.memory(h.artifacts));
    expectClose(m.predict(nn.tensor(x, [4, 5])).dataSync(), (t.predict(tf.tensor(x, [4, 5])) as any).dataSync(), 1e-5);
  });

  it('functional models round-trip both ways', async () => {
    const inp = nn.input({ shape: [5] });
    const a = nn.layers.dense({ units: 4, activation: 'relu' }).apply(inp);
    const b = nn.layers.dense({ units: 2 }).apply(a);
    const m = nn.model({ inputs: inp, outputs: b });
    const handler = nn.io.memory();
    await m.save(handler);
    expect(handler.modelTopology!.class_name).toBe('Model');
    const back = await nn.loadLayersModel(handler);
    expect(Array.from(back.predict(nn.tensor(x, [4, 5])).dataSync())).toEqual(Array.from(m.predict(nn.tensor(x, [4, 5])).dataSync()));
    const t = await tfl.loadLayersModel(tfMemory({ modelTopology: handler.modelTopology, weightSpecs: handler.weightSpecs, weightData: handler.weightData }));
    expectClose((t.predict(tf.tensor(x, [4, 5])) as any).dataSync(), m.predict(nn.tensor(x, [4, 5])).dataSync(), 1e-5);
  });

  it('rejects truncated and mismatched weights with a clear error', async () => {
    const m = mlp();
    const handler = nn.io.memory();
    await m.save(handler);
    const truncated = nn.io.memory({ modelTopology: handler.modelTopology, weightSpecs: handler.weightSpecs, weightData: handler.weightData!.slice(0, 40) });
    await expect(nn.loadLayersModel(truncated)).rejects.toThrow(/weights data has 40 bytes but the manifest describes \d+/);
    const specs = handler.weightSpecs!.map((s, i) => (i === 0 ? { ...s, shape: [4, 10] } : s));
    const bytes = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
    const mismatched = nn.io.memory({ modelTopology: handler.modelTopology, weightSpecs: specs, weightData: new ArrayBuffer(bytes) });
    await expect(nn.loadLayersModel(mismatched)).rejects.toThrow(/is \[4,10\] in the file but the model needs \[5,8\]/);
    // the library keeps working
    expect(m.predict(nn.tensor(x, [4, 5])).shape).toEqual([4, 3]);
  });

  it('unknown destinations are refused', async () => {
    await expect(mlp().save('ftp://x')).rejects.toThrow(/unsupported destination 'ftp:\/\/x'/);
  });
});
