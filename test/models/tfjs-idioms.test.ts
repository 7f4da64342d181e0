// What a TensorFlow.js user writes works: metrics as a string or as metric functions, acc/val_acc
// log keys beside Keras' accuracy, inputDim, predictOnBatch, outputShape, toJSON, and a clear error after dispose.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose } from '../setup';
import { tfReady, tfl } from '../tfjs';

beforeAll(ready);

const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const Y = [[1, 0], [0, 1], [0, 1], [1, 0]];

function classifier(metrics: any) {
  nn.setSeed(2);
  const m = nn.sequential({ layers: [nn.layers.dense({ units: 2, activation: 'softmax', inputDim: 2 })] });
  m.compile({ optimizer: nn.optimizers.adam(0.05), loss: 'categoricalCrossentropy', metrics });
  return m;
}

describe('tfjs idioms', () => {
  it("metrics: 'accuracy' as a string, logged as both accuracy and acc", async () => {
    const m = classifier('accuracy');
    const h = await m.fit(X, Y, { epochs: 2, verbose: 0, validationData: [X, Y] });
    expect(h.history.acc).toEqual(h.history.accuracy);
    expect(h.history.val_acc).toEqual(h.history.val_accuracy);
    expect(h.history.acc.length).toBe(2);
    m.dispose();
  });

  it('metric functions as tfjs exports them, and functions of your own', async () => {
    const mine = function meanPred(_t: nn.Tensor, p: nn.Tensor) { return nn.mean(p, -1); };
    const m = classifier([nn.metrics.categoricalAccuracy, nn.metrics.meanAbsoluteError, mine]);
    const h = await m.fit(X, Y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['categoricalAccuracy', 'loss', 'meanAbsoluteError', 'meanPred']);
    const p = m.predict(X).dataSync(); // the mean over 2 softmax columns is 0.5 in every row
    expect(h.history.meanPred[0]).toBeCloseTo(0.5, 6);
    const [loss, acc] = (m.evaluate(X, Y) as nn.Tensor[]).map((t) => t.dataSync()[0]);
    expect(loss).toBeGreaterThan(0);
    const correct = [0, 1, 2, 3].filter((r) => (p[2 * r + 1] > p[2 * r] ? 1 : 0) === Y[r][1]).length;
    expect(acc).toBeCloseTo(correct / 4, 6);
    m.dispose();
  });

  it("callbacks accept 'val_acc' and 'val_accuracy' alike", async () => {
    for (const monitor of ['val_acc', 'val_accuracy', 'acc']) {
      const m = classifier(['acc']);
      const warn = console.warn; const warnings: string[] = []; console.warn = (s: string) => { warnings.push(s); };
      const stop = nn.callbacks.earlyStopping({ monitor, patience: 0, baseline: 2 }); // accuracy never beats 2: stops after 1 epoch
      const lr = nn.callbacks.reduceLROnPlateau({ monitor, patience: 0, factor: 0.5 });
      const ckpt = nn.callbacks.modelCheckpoint(nn.io.memory(), { monitor, saveBestOnly: true });
      try {
        const h = await m.fit(X, Y, { epochs: 5, verbose: 0, validationData: [X, Y], callbacks: [stop, lr, ckpt] });
        expect(h.epoch, monitor).toEqual([0]);
      } finally { console.warn = warn; }
      expect(warnings, monitor).toEqual([]); // each callback warns when its monitored key is not in the logs
      expect(ckpt.savedEpochs, monitor).toEqual([0]);
      m.dispose();
    }
  });

  it('inputDim on a first dense layer is inputShape [inputDim]', () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 3, inputDim: 5 })] });
    expect(m.outputShape).toEqual([null, 3]);
    expect(m.inputs[0].shape).toEqual([null, 5]);
    m.dispose();
  });

  it('predictOnBatch runs x as one batch, as predict does in batches', () => {
    const m = classifier([]);
    expectClose(m.predictOnBatch(X).dataSync(), m.predict(X, { batchSize: 1 }).dataSync(), 0);
    const before = nn.memory().numTensors;
    nn.tidy(() => { m.predictOnBatch(X); });
    expect(nn.memory().numTensors).toBe(before);
    m.dispose();
  });

  it('toJSON gives the topology save writes, as a string (tfjs default) or an object, and tfjs builds it', async () => {
    const m = classifier([]);
    const handler = nn.io.memory();
    await m.save(handler);
    const json = m.toJSON();
    expect(typeof json).toBe('string');
    expect(JSON.parse(json as string)).toEqual(handler.modelTopology);
    expect(m.toJSON(null, false)).toEqual(handler.modelTopology);
    await tfReady();
    const t = await tfl.models.modelFromJSON({ modelTopology: JSON.parse(json as string) });
    expect(t.layers.map((l: any) => l.name)).toEqual(m.layers.map((l) => l.name));
    expect(t.outputs[0].shape).toEqual(m.outputShape);
    t.dispose();
    m.dispose();
  });

  it('a disposed model says so when used', async () => {
    const m = classifier([]);
    const name = m.name;
    m.dispose();
    const msg = new RegExp(`model ${name} was disposed`);
    expect(() => m.predict(X)).toThrow(msg);
    expect(() => m.predictOnBatch(X)).toThrow(msg);
    expect(() => m.evaluate(X, Y)).toThrow(msg);
    await expect(m.fit(X, Y, { verbose: 0 })).rejects.toThrow(msg);
    await expect(m.trainOnBatch(X, Y)).rejects.toThrow(msg);
    expect(() => m.getWeights()).toThrow(msg);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse' })).toThrow(msg);
    await expect(m.save(nn.io.memory())).rejects.toThrow(msg);
    expect(() => m.summary()).toThrow(msg);
    expect(() => m.toJSON()).toThrow(msg);
  });
});
