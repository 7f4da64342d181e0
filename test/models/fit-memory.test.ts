// Training memory, counted exactly. This file holds nothing else: a tensor another test dropped
// without disposing could be garbage-collected (and its count fall) while this one measures.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand } from '../setup';

beforeAll(ready);

describe('memory', () => {
  it('stays flat over 300 training steps: not one tensor or byte more at any batch, the same count after', async () => {
    nn.setSeed(5);
    const model = nn.sequential({ layers: [
      nn.layers.dense({ units: 32, activation: 'relu', inputShape: [16] }),
      nn.layers.dropout({ rate: 0.1 }),
      nn.layers.dense({ units: 4, activation: 'softmax' }),
    ] });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const x = nn.tensor(rand(64 * 16, 1), [64, 16]);
    const y = nn.oneHot(Array.from({ length: 64 }, (_, i) => i % 4), 4);
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 }); // builds the arenas and optimizer state
    const before = nn.memory();
    const atBatch: { numTensors: number; numBytes: number }[] = [];
    await model.fit(x, y, { epochs: 75, batchSize: 16, verbose: 0, callbacks: { // 300 steps
      onBatchEnd: () => { const { numTensors, numBytes } = nn.memory(); atBatch.push({ numTensors, numBytes }); } } });
    expect(atBatch).toHaveLength(300);
    expect(new Set(atBatch.map((m) => `${m.numTensors}/${m.numBytes}`))).toEqual(new Set([`${before.numTensors}/${before.numBytes}`]));
    expect(nn.memory()).toEqual(before);
    x.dispose(); y.dispose();
    expect(nn.memory().numTensors).toBe(before.numTensors - 2);
    expect(nn.memory().numBytes).toBe(before.numBytes - (64 * 16 + 64 * 4) * 4);
  });
});
