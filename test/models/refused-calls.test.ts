// A refused call leaves memory exactly as it was: no tensor of a failed fit/evaluate/trainOnBatch
// stays allocated.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

function mlp() {
  const m = nn.sequential({ layers: [
    nn.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }),
    nn.layers.dense({ units: 2 }),
  ] });
  m.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  return m;
}

async function expectNoLeak(call: () => unknown, message: RegExp) {
  const before = nn.memory();
  await expect((async () => call())()).rejects.toThrow(message);
  const after = nn.memory();
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numBytes).toBe(before.numBytes);
}

describe('refused calls free what they allocated', () => {
  const x = [[1, 2, 3], [4, 5, 6]];
  const wide = [[1, 2, 3], [4, 5, 6]]; // three columns where the model gives two

  it('fit, evaluate and trainOnBatch with y of the wrong width', async () => {
    const m = mlp();
    await m.fit(x, [[1, 0], [0, 1]], { verbose: 0 }); // builds the optimizer state first
    const xt = nn.tensor(x), yt = nn.tensor(wide);
    for (const [X, Y] of [[x, wide], [xt, yt]] as const) {
      await expectNoLeak(() => m.fit(X as any, Y as any, { verbose: 0 }), /meanSquaredError/);
      await expectNoLeak(() => m.evaluate(X as any, Y as any), /meanSquaredError/);
      await expectNoLeak(() => m.trainOnBatch(X as any, Y as any), /meanSquaredError/);
    }
    xt.dispose(); yt.dispose(); m.dispose();
  });

  it('fit with a callback that throws mid-epoch', async () => {
    const m = mlp();
    await m.fit(x, [[1, 0], [0, 1]], { verbose: 0 }); // the optimizer state exists before the failing run
    await expectNoLeak(() => m.fit(x, [[1, 0], [0, 1]], { verbose: 0, batchSize: 1,
      callbacks: { onBatchEnd: () => { throw new Error('stop here'); } } }), /stop here/);
    m.dispose();
  });

  it('predict with x of the wrong width', async () => {
    const m = mlp();
    await expectNoLeak(() => m.predict([[1, 2]]), /expected input shape/);
    m.dispose();
  });
});
