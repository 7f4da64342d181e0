// Residual blocks (identity and projection shortcuts, bottleneck) and inception blocks (parallel
// branches concatenated), from dense and from convolution layers: they build, train, print a summary,
// save and load here and in tfjs with equal predictions, and train step for step like tfjs.
// Each case disposes every tensor and model it makes and ends with exactly the memory it began with:
// nothing is left for the garbage collector to free while a later case (or file) counts.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const L = nn.layers;
type Sym = nn.layers.SymbolicTensor;

/** The dense residual MLP: identity block, projection block, bottleneck block, inception block. */
function denseGraph(): nn.Model {
  const inp = nn.input({ shape: [6] });
  const dense = (x: Sym, units: number, activation: nn.ActivationIdentifier = 'linear') => L.dense({ units, activation }).apply(x) as Sym;
  const bnRelu = (x: Sym) => L.activation({ activation: 'relu' }).apply(L.batchNormalization({ momentum: 0.8 }).apply(x)) as Sym;
  let x = bnRelu(dense(inp, 8));
  // identity shortcut
  x = L.add().apply([x, dense(bnRelu(dense(x, 8)), 8)]) as Sym;
  // projection shortcut: 8 → 12
  x = L.add().apply([dense(x, 12), dense(bnRelu(dense(x, 12)), 12)]) as Sym;
  // bottleneck: 12 → 4 → 4 → 12, identity shortcut
  x = L.add().apply([x, dense(bnRelu(dense(bnRelu(dense(x, 4)), 4)), 12)]) as Sym;
  x = L.layerNormalization().apply(x) as Sym;
  // inception: parallel branches of different depth and width, concatenated
  const branches = [dense(x, 3, 'relu'), dense(dense(x, 5, 'relu'), 4, 'tanh'), L.average().apply([dense(x, 2), dense(x, 2)]) as Sym];
  x = L.concatenate().apply(branches) as Sym;
  return nn.model({ inputs: inp, outputs: dense(x, 2), name: 'dense_resnet' });
}

/** The same blocks from convolutions: identity, 1×1-projection, bottleneck, inception (with a pooling branch). */
function convGraph(): nn.Model {
  const inp = nn.input({ shape: [8, 8, 3] });
  const conv = (x: Sym, filters: number, kernelSize: number, strides = 1, activation: nn.ActivationIdentifier = 'linear') =>
    L.conv2d({ filters, kernelSize, strides, padding: 'same', activation }).apply(x) as Sym;
  const bnRelu = (x: Sym) => L.activation({ activation: 'relu' }).apply(L.batchNormalization({ momentum: 0.8 }).apply(x)) as Sym;
  let x = bnRelu(conv(L.zeroPadding2d({ padding: 1 }).apply(inp) as Sym, 4, 3, 2)); // 5×5×4
  x = L.add().apply([x, conv(bnRelu(conv(x, 4, 3)), 4, 3)]) as Sym;                 // identity
  x = L.add().apply([conv(x, 6, 1, 2), conv(bnRelu(conv(x, 6, 3, 2)), 6, 3)]) as Sym; // projection, 3×3×6
  x = L.add().apply([x, conv(bnRelu(conv(bnRelu(conv(x, 2, 1)), 2, 3)), 6, 1)]) as Sym; // bottleneck
  const pool = L.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x) as Sym;
  x = L.concatenate().apply([conv(x, 2, 1, 1, 'relu'), conv(conv(x, 2, 1, 1, 'relu'), 3, 3, 1, 'relu'), conv(pool, 2, 1)]) as Sym;
  const out = L.dense({ units: 3, activation: 'softmax' }).apply(L.globalAveragePooling2d().apply(x)) as Sym;
  return nn.model({ inputs: inp, outputs: out, name: 'conv_resnet' });
}

/** A tfjs IO handler serving artifacts or keeping what it is given. */
function tfMemory(artifacts?: any) {
  const h: any = { artifacts, async save(a: any) { h.artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }, async load() { return h.artifacts; } };
  return h;
}

const cases = [
  { name: 'dense', make: denseGraph, inShape: [6], outUnits: 2, loss: 'meanSquaredError' },
  { name: 'conv', make: convGraph, inShape: [8, 8, 3], outUnits: 3, loss: 'categoricalCrossentropy' },
] as const;

describe('residual and inception graphs', () => {
  for (const c of cases) {
    const n = 12;
    const size = c.inShape.reduce((a, b) => a * b, 1);
    const xv = rand(n * size, 3, -1, 1);
    const yv = c.loss === 'categoricalCrossentropy'
      ? Float32Array.from({ length: n * c.outUnits }, (_, i) => (i % c.outUnits === Math.floor(i / c.outUnits) % c.outUnits ? 1 : 0))
      : rand(n * c.outUnits, 4);
    const X = () => nn.tensor(xv, [n, ...c.inShape]), Y = () => nn.tensor(yv, [n, c.outUnits]);

    it(`${c.name}: builds, summarizes, trains (loss falls), saves and loads with equal predictions`, async () => {
      const start = nn.memory();
      nn.setSeed(1);
      const m = c.make();
      const lines: string[] = [];
      m.summary(100, undefined, (l) => lines.push(l));
      expect(lines.filter((l) => /\(Add\)/.test(l)).length).toBe(3);
      expect(lines.some((l) => /\(Concatenate\)/.test(l))).toBe(true);
      expect(lines).toContain(`Total params: ${m.countParams()}`);
      const nonTrainable = m.weights.filter((w) => !w.trainable).reduce((s, w) => s + w.value.size, 0);
      expect(nonTrainable).toBeGreaterThan(0); // the moving statistics
      expect(lines).toContain(`Non-trainable params: ${nonTrainable}`);
      m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.01 }), loss: c.loss });
      const x = X(), y = Y();
      const h0 = await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
      const counts = new Set<string>();
      const count = () => { const { numTensors, numBytes } = nn.memory(); counts.add(`${numTensors}/${numBytes}`); };
      count();
      const h = await m.fit(x, y, { epochs: 15, batchSize: 4, verbose: 0, callbacks: { onBatchEnd: count } });
      expect([...counts]).toHaveLength(1); // not one tensor or byte more (or less) at any batch
      expect(h.history.loss[14]).toBeLessThan(h0.history.loss[0] * 0.7);

      const handler = nn.io.memory();
      await m.save(handler);
      const back = await nn.loadLayersModel(handler);
      const ours = nn.tidy(() => m.predict(x).dataSync());
      expect(Array.from(nn.tidy(() => back.predict(x).dataSync()))).toEqual(Array.from(ours));
      const t = await tfl.loadLayersModel(tfMemory({ modelTopology: handler.modelTopology, weightSpecs: handler.weightSpecs, weightData: handler.weightData }));
      const theirs = tf.tidy(() => (t.predict(tf.tensor(xv, [n, ...c.inShape])) as any).dataSync());
      expectClose(theirs, ours, 1e-4, 'tfjs predict');
      const saved = tfMemory();
      await t.save(saved);
      const fromTf = await nn.loadLayersModel(nn.io.memory(saved.artifacts));
      expectClose(nn.tidy(() => fromTf.predict(x).dataSync()), theirs, 1e-4, 'from tfjs');
      for (const d of [x, y, m, back, fromTf]) d.dispose();
      t.dispose();
      expect([nn.memory().numTensors, nn.memory().numBytes]).toEqual([start.numTensors, start.numBytes]);
    });

    it(`${c.name}: SGD steps match tfjs-layers (losses, weights, moving statistics)`, async () => {
      const start = nn.memory();
      nn.setSeed(2);
      const m = c.make();
      const handler = nn.io.memory();
      await m.save(handler);
      const t = await tfl.loadLayersModel(tfMemory({ modelTopology: handler.modelTopology, weightSpecs: handler.weightSpecs, weightData: handler.weightData }));
      m.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.05 }), loss: c.loss });
      t.compile({ optimizer: tf.train.sgd(0.05), loss: c.loss });
      for (let step = 0; step < 4; step++) {
        const x = X(), y = Y();
        const ours = await m.trainOnBatch(x, y) as number;
        x.dispose(); y.dispose();
        const theirs = await t.trainOnBatch(tf.tensor(xv, [n, ...c.inShape]), tf.tensor(yv, [n, c.outUnits])) as number;
        expectClose([ours], [theirs], 1e-4, `loss at step ${step}`);
      }
      for (const layer of m.layers) {
        const theirs = t.getLayer(layer.name).getWeights();
        layer.getWeights().forEach((w, i) => { expectClose(w.dataSync(), theirs[i].dataSync() as Float32Array, 2e-4, layer.weights[i].name); w.dispose(); });
      }
      m.dispose();
      t.dispose();
      expect([nn.memory().numTensors, nn.memory().numBytes]).toEqual([start.numTensors, start.numBytes]);
    });
  }
});
