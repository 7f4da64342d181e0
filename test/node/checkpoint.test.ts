// modelCheckpoint to file:// directories (Node and Deno).
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nn, ready, rand } from '../setup';

beforeAll(async () => { await ready(); });

describe('modelCheckpoint to file://', () => {
  it('writes one directory per epoch from an {epoch} path, each loading to that epoch\'s weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnn-ckpt-'));
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }), nn.layers.dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = nn.tensor(rand(16 * 2, 41), [16, 2]), y = nn.tensor(rand(16, 42), [16, 1]);
    const snapshots: number[][] = [];
    await m.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, callbacks: [nn.callbacks.modelCheckpoint(`file://${dir}/epoch-{epoch:02d}`),
      { onEpochEnd: () => { snapshots.push(m.getWeights().flatMap((w) => Array.from(w.dataSync()))); } }] });
    expect(readdirSync(dir).sort()).toEqual(['epoch-01', 'epoch-02', 'epoch-03']);
    for (let e = 0; e < 3; e++) {
      const back = await nn.loadLayersModel(`file://${dir}/epoch-0${e + 1}`);
      expect(back.getWeights().flatMap((w) => Array.from(w.dataSync()))).toEqual(snapshots[e]);
    }
    expect(snapshots[0]).not.toEqual(snapshots[2]);
  });
});
