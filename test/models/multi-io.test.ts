// Models with several inputs and outputs: predict returns every output; compile takes a loss (and
// metrics, loss weights) per output; fit/evaluate/trainOnBatch take arrays or dicts of tensors; the
// logs name per-output losses as Keras does. Training is compared with tfjs-layers.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

/** Two inputs, each through its own dense branch, to two heads: 'cls' (softmax over 3) and 'reg' (1 linear). */
function build(lib: any, prefix: string) {
  const a = lib.input({ shape: [3], name: `${prefix}in_a` });
  const b = lib.input({ shape: [2], name: `${prefix}in_b` });
  const ha = lib.layers.dense({ units: 4, activation: 'relu', name: `${prefix}ha` }).apply(a);
  const hb = lib.layers.dense({ units: 3, activation: 'tanh', name: `${prefix}hb` }).apply(b);
  const cls = lib.layers.dense({ units: 3, activation: 'softmax', name: `${prefix}cls` }).apply(ha);
  const reg = lib.layers.dense({ units: 1, name: `${prefix}reg` }).apply(hb);
  return lib.model({ inputs: [a, b], outputs: [cls, reg] });
}

const N = 6;
const XA = rand(N * 3, 11), XB = rand(N * 2, 12);
const YC = new Float32Array(N * 3).map((_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
const YR = rand(N, 13);

function copyWeights(ours: nn.Model, theirs: any) {
  for (const name of ['ha', 'hb', 'cls', 'reg']) {
    theirs.getLayer(`t_${name}`).setWeights(ours.getLayer(`n_${name}`).getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
  }
}

describe('a two-input two-output model', () => {
  it('predict returns both outputs, matching tfjs', () => {
    nn.setSeed(3);
    const m = build(nn, 'n_') as nn.Model;
    const t = build(tfl, 't_');
    copyWeights(m, t);
    const ours = m.predict<nn.Tensor[]>([nn.tensor(XA, [N, 3]), nn.tensor(XB, [N, 2])], { batchSize: 4 });
    const theirs = t.predict([tf.tensor(XA, [N, 3]), tf.tensor(XB, [N, 2])]) as any[];
    expect(ours.length).toBe(2);
    expect(ours.map((o) => o.shape)).toEqual([[N, 3], [N, 1]]);
    ours.forEach((o, i) => expectClose(o.dataSync(), theirs[i].dataSync(), 1e-5, `output ${i}`));
    expect(m.outputShape).toEqual([[null, 3], [null, 1]]);
    const byName = m.predict<nn.Tensor[]>({ n_in_a: nn.tensor(XA, [N, 3]), n_in_b: nn.tensor(XB, [N, 2]) });
    expectClose(byName[1].dataSync(), ours[1].dataSync(), 0);
    m.dispose();
  });

  it('trains with a loss per output like tfjs (3 SGD steps)', async () => {
    nn.setSeed(4);
    const m = build(nn, 'n_') as nn.Model;
    m.compile({ optimizer: nn.optimizers.sgd(0.1), loss: ['categoricalCrossentropy', 'meanSquaredError'] });
    const t = build(tfl, 't_');
    t.compile({ optimizer: tf.train.sgd(0.1), loss: ['categoricalCrossentropy', 'meanSquaredError'] });
    copyWeights(m, t);
    for (let s = 0; s < 3; s++) {
      const ours = await m.trainOnBatch([nn.tensor(XA, [N, 3]), nn.tensor(XB, [N, 2])], [nn.tensor(YC, [N, 3]), nn.tensor(YR, [N, 1])]) as number[];
      const theirs = await t.trainOnBatch([tf.tensor(XA, [N, 3]), tf.tensor(XB, [N, 2])], [tf.tensor(YC, [N, 3]), tf.tensor(YR, [N, 1])]) as number[];
      expect(ours.length).toBe(3); // total, cls loss, reg loss
      expectClose(ours, theirs, 1e-5, `losses at step ${s}`);
    }
    for (const name of ['ha', 'hb', 'cls', 'reg']) {
      const ws = m.getLayer(`n_${name}`).getWeights(), ts = t.getLayer(`t_${name}`).getWeights();
      ws.forEach((w, i) => expectClose(w.dataSync(), ts[i].dataSync(), 1e-5, `${name} weight ${i}`));
    }
    m.dispose();
  });

  it('lossWeights scale each output\'s loss in the total and in the gradient (tfjs ignores them; Keras semantics)', async () => {
    nn.setSeed(6);
    const m = build(nn, 'n_') as nn.Model;
    m.compile({ optimizer: nn.optimizers.sgd(0.1), loss: ['categoricalCrossentropy', 'mse'], lossWeights: { n_cls: 1, n_reg: 0 } });
    const regBefore = Array.from(m.getLayer('n_reg').getWeights()[0].dataSync());
    const clsBefore = Array.from(m.getLayer('n_cls').getWeights()[0].dataSync());
    const [total, cls, reg] = await m.trainOnBatch([nn.tensor(XA, [N, 3]), nn.tensor(XB, [N, 2])], [nn.tensor(YC, [N, 3]), nn.tensor(YR, [N, 1])]) as number[];
    expect(total).toBeCloseTo(cls, 6);
    expect(reg).toBeGreaterThan(0);
    expect(Array.from(m.getLayer('n_reg').getWeights()[0].dataSync())).toEqual(regBefore); // weight 0: no gradient
    expect(Array.from(m.getLayer('n_cls').getWeights()[0].dataSync())).not.toEqual(clsBefore);
    m.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: [2, 0.5] });
    const [t2, c2, r2] = (m.evaluate([nn.tensor(XA, [N, 3]), nn.tensor(XB, [N, 2])], [nn.tensor(YC, [N, 3]), nn.tensor(YR, [N, 1])]) as nn.Tensor[]).map((t) => t.dataSync()[0]);
    expect(t2).toBeCloseTo(2 * c2 + 0.5 * r2, 5);
    m.dispose();
  });

  it('fit and evaluate take dicts by layer name and log per-output losses and metrics as Keras does', async () => {
    nn.setSeed(5);
    const m = build(nn, 'n_') as nn.Model;
    m.compile({ optimizer: 'adam', loss: { n_cls: 'categoricalCrossentropy', n_reg: 'mse' }, metrics: { n_cls: ['accuracy'] } });
    const x = { n_in_a: nn.tensor(XA, [N, 3]), n_in_b: nn.tensor(XB, [N, 2]) };
    const y = { n_cls: nn.tensor(YC, [N, 3]), n_reg: nn.tensor(YR, [N, 1]) };
    const h = await m.fit(x, y, { epochs: 2, batchSize: 4, validationSplit: 0.34, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'n_cls_acc', 'n_cls_accuracy', 'n_cls_loss', 'n_reg_loss',
      'val_loss', 'val_n_cls_acc', 'val_n_cls_accuracy', 'val_n_cls_loss', 'val_n_reg_loss']);
    const e = m.evaluate(x, y) as nn.Tensor[];
    const [total, cls, reg, acc] = e.map((t) => t.dataSync()[0]);
    expect(e.length).toBe(4);
    expect(total).toBeCloseTo(cls + reg, 5);
    expect(acc).toBeGreaterThanOrEqual(0);
    // fitDataset with arrays per batch
    const h2 = await m.fitDataset([{ xs: [x.n_in_a, x.n_in_b], ys: [y.n_cls, y.n_reg] }], { epochs: 1, verbose: 0 });
    expect(h2.history.n_reg_loss.length).toBe(1);
    m.dispose();
  });

  it('names the real problem when the data or the losses do not fit the outputs', async () => {
    const m = build(nn, 'n_') as nn.Model;
    expect(() => m.compile({ optimizer: 'sgd', loss: ['mse', 'mse', 'mse'] })).toThrow(
      /the model has 2 outputs \('n_cls', 'n_reg'\); give a loss per output, got 3/);
    expect(() => m.compile({ optimizer: 'sgd', loss: { n_cls: 'mse' } })).toThrow(/no loss for output 'n_reg'/);
    expect(() => m.compile({ optimizer: 'sgd', loss: { n_cls: 'mse', n_reg: 'mse', out: 'mse' } })).toThrow(/loss for 'out', which is not an output/);
    m.compile({ optimizer: 'sgd', loss: 'mse' }); // one loss for every output, as tfjs and Keras
    const xa = nn.tensor(XA, [N, 3]), xb = nn.tensor(XB, [N, 2]), yc = nn.tensor(YC, [N, 3]), yr = nn.tensor(YR, [N, 1]);
    const before = nn.memory().numTensors;
    await expect(m.fit([xa, xb], yc, { verbose: 0 })).rejects.toThrow(/the model has 2 outputs \(n_cls, n_reg\); give an array of 2 tensors or a dict by output name/);
    await expect(m.fit(xa, [yc, yr], { verbose: 0 })).rejects.toThrow(/the model has 2 inputs/);
    await expect(m.fit({ n_in_a: xa }, [yc, yr], { verbose: 0 })).rejects.toThrow(/missing 'n_in_b'/);
    expect(() => m.predict([xa])).toThrow(/the model has 2 inputs \(n_in_a, n_in_b\), got an array of 1/);
    expect(nn.memory().numTensors).toBe(before);
    m.dispose();
  });
});
