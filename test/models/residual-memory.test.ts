// Training memory of a graph with batch normalization, merges and a frozen layer, counted exactly.
// This file holds nothing else: a tensor another test dropped could be garbage-collected (and its
// count fall) while this one measures.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand } from '../setup';

beforeAll(ready);

describe('memory', () => {
  it('a residual/inception conv graph with batch norm trains with not one tensor or byte more at any batch', async () => {
    nn.setSeed(4);
    const L = nn.layers;
    const inp = nn.input({ shape: [6, 6, 2] });
    const conv = (x: any, filters: number, kernelSize: number) => L.conv2d({ filters, kernelSize, padding: 'same' }).apply(x);
    const a = L.activation({ activation: 'relu' }).apply(L.batchNormalization().apply(conv(inp, 4, 3)));
    const b = L.add().apply([a, L.batchNormalization().apply(conv(a, 4, 3))]);
    const c = L.concatenate().apply([conv(b, 2, 1), L.layerNormalization().apply(conv(b, 3, 3)), L.spatialDropout2d({ rate: 0.2 }).apply(b)]);
    const out = L.dense({ units: 3, activation: 'softmax' }).apply(L.globalAveragePooling2d().apply(L.zeroPadding2d().apply(c)));
    const model = nn.model({ inputs: inp, outputs: out });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    const x = nn.tensor(rand(16 * 72, 1), [16, 6, 6, 2]);
    const y = nn.oneHot(Array.from({ length: 16 }, (_, i) => i % 3), 3);
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const before = nn.memory();
    const atBatch: string[] = [];
    const count = () => { const { numTensors, numBytes } = nn.memory(); atBatch.push(`${numTensors}/${numBytes}`); };
    await model.fit(x, y, { epochs: 10, batchSize: 4, verbose: 0, callbacks: { onBatchEnd: count } });
    expect(atBatch).toHaveLength(40);
    expect(new Set(atBatch)).toEqual(new Set([`${before.numTensors}/${before.numBytes}`]));
    expect(nn.memory()).toEqual(before);
  });
});
