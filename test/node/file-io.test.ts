// file:// saving in Node and Deno (this folder does not run in the browser).
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nn, ready, rand } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

function mlp() {
  return nn.sequential({ layers: [
    nn.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }),
    nn.layers.dense({ units: 2, activation: 'softmax' }),
  ] });
}

describe('file:// models', () => {
  it('saves model.json + weights that load here and parse as tfjs layers format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnn-save-'));
    const m = mlp();
    await m.save(`file://${dir}`);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].weights.map((w: any) => w.name)).toEqual(m.weights.map((v) => v.name));
    const back = await nn.loadLayersModel(`file://${dir}`);
    const x = nn.tensor(rand(6, 2), [2, 3]);
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    // tfjs reads the same files through its own artifact loader
    const bin = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
    const t = await tfl.loadLayersModel(tf.io.fromMemory(json.modelTopology, json.weightsManifest[0].weights,
      bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength)));
    expect((t.predict(tf.tensor(rand(6, 2), [2, 3])) as any).shape).toEqual([2, 2]);
    expect(readdirSync(dir).length).toBe(2);
  });

  it('a failed save leaves the earlier model intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnn-save-'));
    const m = mlp();
    await m.save(`file://${dir}`);
    const files = readdirSync(dir).sort();
    const before = readFileSync(join(dir, 'model.json'), 'utf8');
    // model.json cannot be replaced (a directory stands where the swap would put it)…
    const dir2 = mkdtempSync(join(tmpdir(), 'simdnn-save-'));
    mkdirSync(join(dir2, 'model.json', 'blocker'), { recursive: true });
    await expect(mlp().save(`file://${dir2}`)).rejects.toThrow(/save\('file:\/\//);
    expect(readdirSync(dir2)).toEqual(['model.json']); // nothing half-written is left behind
    // …and a model whose weights cannot be read fails before touching the earlier files
    const broken = mlp();
    broken.weights[0].value.dispose();
    await expect(broken.save(`file://${dir}`)).rejects.toThrow(/disposed/);
    expect(readdirSync(dir).sort()).toEqual(files);
    expect(readFileSync(join(dir, 'model.json'), 'utf8')).toBe(before);
    const back = await nn.loadLayersModel(`file://${dir}`);
    const x = nn.tensor(rand(6, 3), [2, 3]);
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
  });

  it('saving again replaces the weights file and removes the old one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnn-save-'));
    await mlp().save(`file://${dir}`);
    const m2 = mlp();
    await m2.save(`file://${dir}`);
    expect(readdirSync(dir).length).toBe(2);
    const back = await nn.loadLayersModel(`file://${dir}`);
    const x = nn.tensor(rand(6, 4), [2, 3]);
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m2.predict(x).dataSync()));
  });

  it('reports a missing directory clearly', async () => {
    await expect(nn.loadLayersModel('file:///nonexistent/simdnn-model')).rejects.toThrow(/cannot read .*model.json/);
  });
});
