// Browser save destinations: indexeddb:// round-trips; downloads:// hands the browser two files.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand } from '../setup';

beforeAll(ready);

function mlp() {
  return nn.sequential({ layers: [
    nn.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }),
    nn.layers.dense({ units: 2, activation: 'softmax' }),
  ] });
}

describe('browser model storage', () => {
  it('indexeddb:// saves and loads with identical predictions, and overwrites in place', async () => {
    const x = nn.tensor(rand(6, 1), [2, 3]);
    await mlp().save('indexeddb://simdnn-test');
    const m = mlp();
    await m.save('indexeddb://simdnn-test');
    const back = await nn.loadLayersModel('indexeddb://simdnn-test');
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    await expect(nn.loadLayersModel('indexeddb://no-such-model')).rejects.toThrow(/no model saved under that name/);
  });

  it('indexeddb:// keeps the training config and optimizer state (includeOptimizer)', async () => {
    const m = mlp();
    m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.02 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const x = nn.tensor(rand(6, 2), [2, 3]), y = nn.tensor([[1, 0], [0, 1]]);
    for (let i = 0; i < 2; i++) await m.trainOnBatch(x, y);
    await m.save('indexeddb://simdnn-test-opt', { includeOptimizer: true });
    const back = await nn.loadLayersModel('indexeddb://simdnn-test-opt');
    expect(back.optimizer!.className).toBe('Adam');
    expect(back.optimizer!.iterations).toBe(2);
    await m.trainOnBatch(x, y);
    await back.trainOnBatch(x, y);
    expect(back.getWeights().flatMap((w) => Array.from(w.dataSync()))).toEqual(m.getWeights().flatMap((w) => Array.from(w.dataSync())));
  });

  it('downloads:// offers model.json and its weights file', async () => {
    const clicked: { name: string; blob: Blob }[] = [];
    const original = HTMLAnchorElement.prototype.click;
    const urls = new Map<string, Blob>();
    const createURL = URL.createObjectURL;
    URL.createObjectURL = (b: Blob) => { const u = createURL(b); urls.set(u, b); return u; };
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) { clicked.push({ name: this.download, blob: urls.get(this.href)! }); };
    try {
      const m = mlp();
      await m.save('downloads://my-model');
      expect(clicked.map((c) => c.name)).toEqual(['my-model.json', 'my-model.weights.bin']);
      const json = JSON.parse(await clicked[0].blob.text());
      expect(json.format).toBe('layers-model');
      expect(json.weightsManifest[0].paths).toEqual(['my-model.weights.bin']);
      const weights = await clicked[1].blob.arrayBuffer();
      const back = await nn.loadLayersModel(nn.io.memory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: weights }));
      const x = nn.tensor(rand(6, 2), [2, 3]);
      expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    } finally {
      HTMLAnchorElement.prototype.click = original;
      URL.createObjectURL = createURL;
    }
  });
});
