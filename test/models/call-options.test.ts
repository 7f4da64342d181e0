// Every numeric option of every public model call is checked, and unknown option keys are refused:
// a bad value names the option instead of spinning forever, trapping in wasm or returning garbage.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

function mlp() {
  const m = nn.sequential({ layers: [nn.layers.dense({ units: 2, inputShape: [3] })] });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}
const X = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
const Y = [[1, 0], [0, 1], [1, 1]];
const BAD_SIZES: unknown[] = [0, -5, '4', 2.5, NaN, Infinity, null];

/** Runs a call that must be refused, and checks nothing was left allocated. */
async function refused(call: () => unknown, message: RegExp) {
  const before = nn.memory().numTensors;
  await expect((async () => call())()).rejects.toThrow(message);
  expect(nn.memory().numTensors).toBe(before);
}

describe('numeric options of model calls', () => {
  it('predict and evaluate refuse a batchSize that is not a positive integer', async () => {
    const m = mlp();
    for (const b of BAD_SIZES) {
      await refused(() => m.predict(X, { batchSize: b as number }), /predict: batchSize must be a positive integer/);
      await refused(() => m.evaluate(X, Y, { batchSize: b as number }), /evaluate: batchSize must be a positive integer/);
    }
    m.dispose();
  });

  it('fit checks epochs, batchSize, validationSplit, initialEpoch, verbose and shuffle', async () => {
    const m = mlp();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ epochs: -1 }, /epochs must be a non-negative integer/], [{ epochs: '2' }, /epochs must be a non-negative integer/],
      [{ epochs: 1.5 }, /epochs/], [{ batchSize: '4' }, /batchSize must be a positive integer, got '4'/],
      [{ batchSize: 0 }, /batchSize/], [{ validationSplit: 1 }, /validationSplit must be in \(0, 1\)/],
      [{ validationSplit: '0.2' }, /validationSplit/], [{ validationSplit: -0.1 }, /validationSplit/],
      [{ initialEpoch: -1 }, /initialEpoch must be a non-negative integer/], [{ initialEpoch: 0.5 }, /initialEpoch/],
      [{ verbose: 3 }, /verbose must be 0, 1 or 2/], [{ verbose: '1' }, /verbose/],
      [{ shuffle: 'yes' }, /shuffle must be a boolean/],
    ];
    for (const [args, msg] of cases) await refused(() => m.fit(X, Y, { ...args } as any), msg);
    m.dispose();
  });

  it('fitDataset checks epochs, batchesPerEpoch, validationBatchSize, initialEpoch and verbose', async () => {
    const m = mlp();
    const data = [{ xs: X, ys: Y }];
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ epochs: -2 }, /epochs/], [{ batchesPerEpoch: 0 }, /batchesPerEpoch must be a positive integer/],
      [{ batchesPerEpoch: '2' }, /batchesPerEpoch/],
      [{ validationData: [X, Y], validationBatchSize: 0 }, /validationBatchSize must be a positive integer/],
      [{ validationData: [X, Y], validationBatchSize: -5 }, /validationBatchSize/],
      [{ validationData: [X, Y], validationBatchSize: 2.5 }, /validationBatchSize/],
      [{ initialEpoch: -1 }, /initialEpoch/], [{ verbose: 7 }, /verbose/],
    ];
    for (const [args, msg] of cases) await refused(() => m.fitDataset(data, { ...args } as any), msg);
    m.dispose();
  });

  it('unknown option keys are refused by compile, fit, fitDataset, evaluate, predict and save, naming the key', async () => {
    const m = mlp();
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', lr: 0.1 } as any)).toThrow(/compile: unknown option 'lr'; known options: .*loss.*optimizer/);
    await refused(() => m.fit(X, Y, { epoch: 3 } as any), /fit: unknown option 'epoch'; known options: .*epochs/);
    await refused(() => m.fitDataset([{ xs: X, ys: Y }], { batchSize: 3 } as any), /fitDataset: unknown option 'batchSize'/);
    await refused(() => m.evaluate(X, Y, { batch_size: 3 } as any), /evaluate: unknown option 'batch_size'; known options: batchSize/);
    await refused(() => m.predict(X, { batch: 3 } as any), /predict: unknown option 'batch'/);
    await expect(m.save(nn.io.memory(), { overwrite: true } as any)).rejects.toThrow(/save: unknown option 'overwrite'/);
    m.dispose();
  });

  it('well-formed options still work', async () => {
    const m = mlp();
    await m.fit(X, Y, { epochs: 2, batchSize: 2, validationSplit: 0.34, initialEpoch: 1, verbose: 0, shuffle: false });
    expect(m.predict(X, { batchSize: 1 }).shape).toEqual([3, 2]);
    m.dispose();
  });
});
