import { describe, it, expect, beforeAll, vi } from 'vitest';
import { nn, ready, rand } from '../setup';

beforeAll(async () => { await ready(); });

function mlp(inputShape: number[] | undefined = [3]) {
  const model = nn.sequential({ layers: [
    nn.layers.dense({ units: 5, activation: 'tanh', ...(inputShape ? { inputShape } : {}) }),
    nn.layers.dense({ units: 1, activation: 'sigmoid' }),
  ] });
  model.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.02 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

const N = 20, BATCH = 6;
const X = rand(N * 3, 11), Y = Float32Array.from(rand(N, 12), (v) => (v > 0 ? 1 : 0));

/** The rows of X/Y in batches of BATCH, as owned tensors. */
function tensorBatches() {
  const out: { xs: nn.Tensor; ys: nn.Tensor }[] = [];
  for (let s = 0; s < N; s += BATCH) {
    const n = Math.min(BATCH, N - s);
    out.push({ xs: nn.tensor(X.subarray(s * 3, (s + n) * 3), [n, 3]), ys: nn.tensor(Y.subarray(s, s + n), [n, 1]) });
  }
  return out;
}

const weightsOf = (m: nn.Model) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('fitDataset', () => {
  it('an array of tensor batches trains exactly like fit without shuffling, and leaves the batches alone', async () => {
    nn.setSeed(5);
    const a = mlp();
    nn.setSeed(5);
    const b = mlp();
    const ha = await a.fit(nn.tensor(X, [N, 3]), nn.tensor(Y, [N, 1]), { epochs: 4, batchSize: BATCH, shuffle: false, verbose: 0 });
    const batches = tensorBatches();
    const hb = await b.fitDataset(batches, { epochs: 4, verbose: 0 });
    expect(weightsOf(b)).toEqual(weightsOf(a));
    expect(hb.history.loss).toEqual(ha.history.loss);
    expect(hb.history.accuracy).toEqual(ha.history.accuracy);
    expect(hb.params.steps).toBe(undefined);
    for (const { xs, ys } of batches) { expect(xs.isDisposed).toBe(false); expect(ys.isDisposed).toBe(false); }
  });

  it('a function is called once per epoch; sync and async generators and plain-array batches work', async () => {
    let opened = 0;
    const rows = Array.from({ length: N }, (_, i) => Array.from(X.subarray(i * 3, i * 3 + 3)));
    function* gen() {
      opened++;
      for (let s = 0; s < N; s += BATCH) yield { xs: rows.slice(s, s + BATCH), ys: Array.from(Y.subarray(s, s + BATCH), (v) => [v]) };
    }
    async function* agen() { yield* gen(); }
    for (const ds of [gen, agen]) {
      opened = 0;
      nn.setSeed(6);
      const m = mlp();
      const batchesSeen: number[] = [];
      const h = await m.fitDataset(ds, { epochs: 3, verbose: 0, callbacks: { onBatchEnd: (b, logs) => { batchesSeen.push(logs!.size); } } });
      expect(opened).toBe(3);
      expect(batchesSeen).toEqual([6, 6, 6, 2, 6, 6, 6, 2, 6, 6, 6, 2]);
      expect(h.history.loss.length).toBe(3);
      nn.setSeed(6);
      const ref = mlp();
      await ref.fitDataset(tensorBatches(), { epochs: 3, verbose: 0 });
      expect(weightsOf(m)).toEqual(weightsOf(ref));
    }
  });

  it('fit(dataset, args) is fitDataset', async () => {
    nn.setSeed(8);
    const a = mlp();
    const ha = await a.fit(tensorBatches(), { epochs: 2, verbose: 0 });
    nn.setSeed(8);
    const b = mlp();
    const hb = await b.fitDataset(async function* () { yield* tensorBatches(); }, { epochs: 2, verbose: 0 });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(ha.history.loss).toEqual(hb.history.loss);
    await expect(mlp().fit([[1, 2, 3]] as any)).rejects.toThrow(/fit: give targets y with x, or a dataset of \{xs, ys\} batches/);
  });

  it('memory stays flat: batches made from arrays are freed, tensors yielded by the caller are not', async () => {
    const m = mlp();
    const batches = tensorBatches();
    await m.fitDataset(batches, { epochs: 1, verbose: 0 }); // warm-up: optimizer state exists now
    const before = nn.memory().numTensors;
    await m.fitDataset(batches, { epochs: 3, verbose: 0, validationData: batches });
    expect(nn.memory().numTensors).toBe(before);
    const arrays = batches.map((b) => ({ xs: { data: b.xs.dataSync(), shape: b.xs.shape }, ys: b.ys.arraySync() }));
    await m.fitDataset(arrays, { epochs: 3, verbose: 0, validationData: [{ data: X, shape: [N, 3] }, Array.from(Y, (v) => [v])] });
    expect(nn.memory().numTensors).toBe(before);
  });

  it('builds a sequential model without inputShape from the first batch', async () => {
    const m = mlp(undefined);
    await m.fitDataset(tensorBatches(), { epochs: 1, verbose: 0 });
    expect(m.getWeights()[0].shape).toEqual([3, 5]);
  });

  it('a one-shot iterator fails clearly on the second epoch; with batchesPerEpoch it is read across epochs', async () => {
    function* once() { yield* tensorBatches(); }
    await expect(mlp().fitDataset(once(), { epochs: 2, verbose: 0 })).rejects.toThrow(/fitDataset: the dataset yielded no batches in epoch 2: a one-shot iterator/);
    // 4 batches, 2 per epoch: exactly two epochs' worth
    const seen: number[] = [];
    const h = await mlp().fitDataset(once(), { epochs: 2, batchesPerEpoch: 2, verbose: 0, callbacks: { onBatchEnd: (b) => { seen.push(b); } } });
    expect(seen).toEqual([0, 1, 0, 1]);
    expect(h.history.loss.length).toBe(2);
    // running dry stops training with a warning, as in tfjs
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const h2 = await mlp().fitDataset(once(), { epochs: 5, batchesPerEpoch: 3, verbose: 0 });
      expect(h2.history.loss.length).toBe(2); // epoch 1: 3 batches, epoch 2: 1 batch, then stop
      expect(warn.mock.calls[0][0]).toMatch(/ran out of data after 1 of batchesPerEpoch 3 batches in epoch 2/);
    } finally { warn.mockRestore(); }
  });

  it('validation data as tensors or as a dataset gives the same val_ logs as evaluate', async () => {
    const m = mlp();
    const vx = nn.tensor(rand(9 * 3, 21), [9, 3]), vy = nn.tensor(Float32Array.from(rand(9, 22), (v) => (v > 0 ? 1 : 0)), [9, 1]);
    const logs: Record<string, number>[] = [];
    const keep = { onEpochEnd: (_e: number, l?: Record<string, number>) => { logs.push({ ...l }); } };
    await m.fitDataset(tensorBatches(), { epochs: 1, verbose: 0, validationData: [vx, vy], callbacks: keep });
    const [loss, acc] = (m.evaluate(vx, vy) as nn.Tensor[]).map((t) => t.dataSync()[0]);
    expect(logs[0].val_loss).toBeCloseTo(loss, 6);
    expect(logs[0].val_accuracy).toBeCloseTo(acc, 6);
    // the same 9 samples as a dataset of batches 4 + 5: a size-weighted mean over the batches
    const valBatches = [{ xs: nn.slice(vx, [0, 0], [4, 3]), ys: nn.slice(vy, [0, 0], [4, 1]) },
      { xs: nn.slice(vx, [4, 0], [5, 3]), ys: nn.slice(vy, [4, 0], [5, 1]) }];
    await m.fitDataset(tensorBatches(), { epochs: 1, verbose: 0, validationData: () => valBatches, callbacks: keep });
    const [loss2, acc2] = (m.evaluate(vx, vy) as nn.Tensor[]).map((t) => t.dataSync()[0]);
    expect(logs[1].val_loss).toBeCloseTo(loss2, 5);
    expect(logs[1].val_accuracy).toBeCloseTo(acc2, 6);
  });

  it('a failure mid-epoch closes the caller\'s generator (its finally blocks run)', async () => {
    let closed = 0;
    const bad = async function* () {
      try {
        yield { xs: [[1, 2, 3]], ys: [[1]] };
        yield { xs: [[1, 2]], ys: [[1]] }; // wrong width for the model
        yield { xs: [[1, 2, 3]], ys: [[0]] };
      } finally { closed++; }
    };
    await expect(mlp().fitDataset(bad, { epochs: 2, verbose: 0 })).rejects.toThrow(/expected input shape \[null,3\], got \[1,2\]/);
    expect(closed).toBe(1);
  });

  it('names the problem with a bad dataset or batch', async () => {
    await expect(mlp().fitDataset(42 as any, { verbose: 0 })).rejects.toThrow(/fitDataset: expected an iterable or async iterable of \{xs, ys\}/);
    await expect(mlp().fitDataset([{ x: [[1, 2, 3]], y: [[1]] }] as any, { verbose: 0 })).rejects.toThrow(/fitDataset: batch 0 of epoch 1: expected an object \{xs, ys\}/);
    await expect(mlp().fitDataset([{ xs: [[1, 2, 3]], ys: [[1], [0]] }], { verbose: 0 })).rejects.toThrow(/batch 0 of epoch 1: x and y must have the same number of samples/);
    await expect(mlp().fitDataset([{ xs: [[1, NaN, 3]], ys: [[1]] }], { verbose: 0 })).rejects.toThrow(/batch 0 of epoch 1: xs contains 1 NaN/);
    await expect(mlp().fitDataset([], { verbose: 0 })).rejects.toThrow(/fitDataset: the dataset yielded no batches$/);
    await expect(mlp().fitDataset([], { batchesPerEpoch: 0, verbose: 0 })).rejects.toThrow(/batchesPerEpoch must be a positive integer, got 0/);
    const fresh = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [3] })] });
    await expect(fresh.fitDataset([], { verbose: 0 })).rejects.toThrow(/fitDataset: call compile\(\) first/);
  });
});
