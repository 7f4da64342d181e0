// Two fit calls on one model at once would interleave their batches: the second is refused (tfjs too).
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

describe('one fit at a time', () => {
  it('refuses a second fit or fitDataset while one runs, and allows one after it ends', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = [[0, 1], [1, 0]], y = [[1], [0]];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const first = m.fit(x, y, { epochs: 2, verbose: 0, callbacks: { onEpochEnd: () => gate } });
    await new Promise((r) => setTimeout(r, 0));
    const before = nn.memory().numTensors;
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/fit: .*is already training.*another fit\(\) call is running/);
    await expect(m.fitDataset([{ xs: x, ys: y }], { verbose: 0 })).rejects.toThrow(/already training/);
    await expect(m.trainOnBatch(x, y)).rejects.toThrow(/already training/);
    expect(nn.memory().numTensors).toBe(before);
    release();
    const h = await first;
    expect(h.epoch).toEqual([0, 1]);
    await m.fit(x, y, { verbose: 0 });
    m.dispose();
  });

  it('a failed fit does not leave the model marked as training', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fit([[0, 1]], [[1, 2]], { verbose: 0 })).rejects.toThrow();
    await m.fit([[0, 1]], [[1]], { verbose: 0 });
    m.dispose();
  });
});
