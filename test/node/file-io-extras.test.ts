// Node-only io conveniences: nn.version from package.json, console.log(tensor) showing values,
// and a model saved with its optimizer through file:// (JSON on disk) resuming exactly.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nn, ready, rand, expectClose } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

describe('Node conveniences', () => {
  it('nn.version is package.json\'s version, and model.json says who wrote it', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(nn.version).toBe(pkg.version);
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [1] })] });
    const dir = mkdtempSync(join(tmpdir(), 'simdnn-ver-'));
    await m.save(`file://${dir}`);
    expect(JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).generatedBy).toBe(`simdnn ${pkg.version}`);
  });

  it('console.log(tensor) shows shape and values, not the handle', () => {
    const t = nn.tensor([[1, 2], [3, 4]]);
    const shown = inspect(t);
    expect(shown).toBe(t.toString(true));
    expect(shown).toContain('shape: [2,2]');
    expect(shown).toContain('[[1, 2],\n     [3, 4]]');
    expect(shown).not.toMatch(/_ptr|_owns|requiresGrad/);
    t.dispose();
    expect(inspect(t)).toBe('Tensor [2,2] (disposed)');
    expect(inspect({ w: nn.tensor([5]) })).toContain('[5]');
  });

  it('includeOptimizer through file:// resumes training exactly', async () => {
    const X = nn.tensor(rand(12, 1), [6, 2]), Y = nn.tensor(rand(6, 2), [6, 1]);
    const make = () => {
      nn.setSeed(11);
      const m = nn.sequential({ layers: [nn.layers.dense({ units: 4, activation: 'relu', inputShape: [2] }), nn.layers.dense({ units: 1 })] });
      m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.03 }), loss: 'meanSquaredError', metrics: ['mse'] });
      return m;
    };
    const straight = make();
    for (let i = 0; i < 6; i++) await straight.trainOnBatch(X, Y);
    const first = make();
    for (let i = 0; i < 3; i++) await first.trainOnBatch(X, Y);
    const dir = mkdtempSync(join(tmpdir(), 'simdnn-opt-'));
    await first.save(`file://${dir}`, { includeOptimizer: true });
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.trainingConfig.optimizer_config.class_name).toBe('Adam');
    const resumed = await nn.loadLayersModel(`file://${dir}`);
    for (let i = 0; i < 3; i++) await resumed.trainOnBatch(X, Y);
    const flat = (m: nn.Model) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));
    expect(flat(resumed)).toEqual(flat(straight));
  });

  it('a tfjs model written in tfjs\' own file layout, optimizer included, loads from file:// compiled', async () => {
    const tm = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, activation: 'relu', inputShape: [2] }), tfl.layers.dense({ units: 1 })] });
    tm.compile({ optimizer: tf.train.momentum(0.05, 0.9), loss: 'meanSquaredError' });
    const tx = tf.tensor(rand(12, 3), [6, 2]), ty = tf.tensor(rand(6, 4), [6, 1]);
    for (let i = 0; i < 2; i++) await tm.trainOnBatch(tx, ty);
    let a: any;
    await tm.save({ save: async (x: any) => { a = x; return { modelArtifactsInfo: {} as any }; } } as any, { includeOptimizer: true });
    // what tfjs-node's file:// handler writes: model.json and group1-shard1of1.bin
    const dir = mkdtempSync(join(tmpdir(), 'simdnn-tfjs-'));
    writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy,
      convertedBy: a.convertedBy, weightsManifest: [{ paths: ['./group1-shard1of1.bin'], weights: a.weightSpecs }], trainingConfig: a.trainingConfig }));
    writeFileSync(join(dir, 'group1-shard1of1.bin'), new Uint8Array(a.weightData));
    const m = await nn.loadLayersModel(`file://${dir}`);
    expect(m.optimizer!.className).toBe('Momentum');
    expect(m.optimizer!.iterations).toBe(2);
    await tm.trainOnBatch(tx, ty);
    await m.trainOnBatch(nn.tensor(tx.dataSync(), [6, 2]), nn.tensor(ty.dataSync(), [6, 1]));
    expectClose(m.getWeights().flatMap((w) => Array.from(w.dataSync())), tm.getWeights().flatMap((w) => Array.from(w.dataSync())), 1e-6, 'weights after one more step');
  });
});
