// What fit's numbers mean: the logged loss is the size-weighted mean over the epoch's batches,
// validationSplit holds out the last fraction (as tfjs and Keras cut it), and shuffling permutes
// the training samples anew each epoch. Checked by hand and against tfjs fit with the same weights.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

/** A one-unit linear model y = w·x + b with the given weights, trained by SGD at `lr`. */
function linear(w: number[], b: number, lr: number, loss: nn.LossName = 'meanSquaredError') {
  const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [w.length] })] });
  m.setWeights([nn.tensor(w, [w.length, 1]), nn.tensor([b])]);
  // learningRate 0 keeps the weights fixed, so every batch's loss can be computed by hand.
  m.compile({ optimizer: nn.optimizers.sgd({ learningRate: lr }), loss });
  return m;
}

describe('fit: the logged loss', () => {
  it('is the mean over all samples (batches weighted by size), not the mean of batch means', async () => {
    const N = 10, w = [0.5, -1.5], b = 0.25;
    const x = rand(N * 2, 11), y = rand(N, 12);
    const sq = Array.from({ length: N }, (_, i) => (w[0] * x[2 * i] + w[1] * x[2 * i + 1] + b - y[i]) ** 2);
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const perSample = mean(sq);
    // batches of 4 over 10 samples are 4, 4, 2: the mean of batch means would weigh the last pair double
    const ofBatchMeans = mean([mean(sq.slice(0, 4)), mean(sq.slice(4, 8)), mean(sq.slice(8))]);
    expect(Math.abs(perSample - ofBatchMeans)).toBeGreaterThan(1e-3);
    const batchLosses: number[] = [];
    const h = await linear(w, b, 0).fit(nn.tensor(x, [N, 2]), nn.tensor(y, [N, 1]), { epochs: 2, batchSize: 4, shuffle: false, verbose: 0,
      callbacks: { onBatchEnd: (_b, logs) => { batchLosses.push(logs!.loss); } } });
    expectClose(h.history.loss, [perSample, perSample], 1e-6, 'epoch loss');
    expectClose(batchLosses.slice(0, 3), [mean(sq.slice(0, 4)), mean(sq.slice(4, 8)), mean(sq.slice(8))], 1e-6, 'batch losses');
  });

  it('matches tfjs fit epoch by epoch (SGD, uneven last batch, validationSplit, same weights)', async () => {
    const N = 10, split = 0.25; // tfjs trains on floor(10 · 0.75) = 7 samples and validates on the last 3
    const x = rand(N * 3, 21), y = rand(N * 2, 22);
    const m = nn.sequential({ layers: [
      nn.layers.dense({ units: 5, activation: 'tanh', inputShape: [3] }),
      nn.layers.dense({ units: 2 }),
    ] });
    m.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.2 }), loss: 'meanSquaredError', metrics: ['mae'] });
    const t = tfl.sequential({ layers: [
      tfl.layers.dense({ units: 5, activation: 'tanh', inputShape: [3] }),
      tfl.layers.dense({ units: 2 }),
    ] });
    t.compile({ optimizer: tf.train.sgd(0.2), loss: 'meanSquaredError', metrics: ['mae'] });
    t.setWeights(m.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
    let ourBatches = 0, theirBatches = 0;
    const args = { epochs: 4, batchSize: 3, shuffle: false, validationSplit: split, verbose: 0 as const };
    const ours = await m.fit(nn.tensor(x, [N, 3]), nn.tensor(y, [N, 2]), { ...args, callbacks: { onBatchEnd: () => { ourBatches++; } } });
    const theirs = await t.fit(tf.tensor(x, [N, 3]), tf.tensor(y, [N, 2]), { ...args, callbacks: { onBatchEnd: async () => { theirBatches++; } } });
    expect(ourBatches).toBe(theirBatches); // 7 training samples in batches of 3: 3 per epoch
    expect(ourBatches).toBe(4 * 3);
    for (const key of ['loss', 'mae', 'val_loss', 'val_mae']) {
      expectClose(ours.history[key], theirs.history[key] as number[], 1e-5, key);
    }
  });
});

describe('fit: validationSplit', () => {
  it('validates on the last fraction of the samples and trains on the rest', async () => {
    // targets 0..9 and a model that always says 0: with mae each sample's loss is its own index
    const N = 10;
    const x = Array.from({ length: N }, () => [1]), y = Array.from({ length: N }, (_, i) => [i]);
    const seen: number[] = [];
    const h = await linear([0], 0, 0, 'meanAbsoluteError').fit(x, y, { epochs: 1, batchSize: 1, shuffle: true, validationSplit: 0.25, verbose: 0,
      callbacks: { onBatchEnd: (_b, logs) => { seen.push(logs!.loss); } } });
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(h.history.val_loss[0]).toBeCloseTo((7 + 8 + 9) / 3, 6);
    expect(h.history.loss[0]).toBeCloseTo(3, 6);
  });
});

describe('fit: shuffle', () => {
  /** Per epoch, the training samples in the order fit fed them (batch size 1, each loss is its sample's index). */
  async function order(shuffle: boolean, seed: number, epochs = 4): Promise<number[][]> {
    nn.setSeed(seed);
    const N = 12;
    const x = Array.from({ length: N }, () => [1]), y = Array.from({ length: N }, (_, i) => [i]);
    const epochsSeen: number[][] = [];
    await linear([0], 0, 0, 'meanAbsoluteError').fit(x, y, { epochs, batchSize: 1, shuffle, validationSplit: 0.25, verbose: 0, callbacks: {
      onEpochBegin: () => { epochsSeen.push([]); },
      onBatchEnd: (_b, logs) => { epochsSeen.at(-1)!.push(logs!.loss); },
    } });
    return epochsSeen;
  }
  const identity = Array.from({ length: 9 }, (_, i) => i);

  it('feeds every training sample once per epoch, in a new order each epoch, never a validation sample', async () => {
    const epochs = await order(true, 3);
    for (const e of epochs) expect([...e].sort((a, b) => a - b)).toEqual(identity);
    expect(new Set(epochs.map((e) => e.join())).size).toBe(epochs.length);
    expect(epochs.filter((e) => e.join() === identity.join())).toHaveLength(0);
  });

  it('follows the seed; shuffle: false keeps the order', async () => {
    expect(await order(true, 3)).toEqual(await order(true, 3));
    expect(await order(true, 4)).not.toEqual(await order(true, 3));
    expect(await order(false, 3)).toEqual([identity, identity, identity, identity]);
  });
});
