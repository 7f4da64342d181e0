// Memory over a CNN training run, counted exactly. This file holds nothing else: a tensor another
// test dropped could be garbage-collected (and the count fall) while this one measures.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand } from '../setup';

beforeAll(ready);

describe('a CNN trains with flat memory', () => {
  it('nn.memory() is the same after N and 2N steps, and back to the start once all is disposed', async () => {
    const start = nn.memory();
    nn.setSeed(3);
    const model = nn.sequential({ layers: [
      nn.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 1] }),
      nn.layers.maxPooling2d({ poolSize: 2 }),
      nn.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu' }),
      nn.layers.globalAveragePooling2d(),
      nn.layers.dense({ units: 3, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = nn.tensor(rand(32 * 64, 5, 0, 1), [32, 8, 8, 1]);
    const y = nn.oneHot(Array.from({ length: 32 }, (_, i) => i % 3), 3);
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const afterN = nn.memory();
    const h = await model.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0 });
    expect(nn.memory()).toEqual(afterN);
    const losses = h.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    for (const d of [x, y, model]) d.dispose();
    const end = nn.memory();
    expect([end.numTensors, end.numBytes]).toEqual([start.numTensors, start.numBytes]);
  });
});
