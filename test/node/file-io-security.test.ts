// A model.json decides which files are read as weights: file:// loading reads only inside the
// model's folder, and a manifest whose sizes are absurd or disagree with the files is refused
// before anything is read or allocated.
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, symlinkSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nn, ready, rand } from '../setup';

beforeAll(ready);

function mlp() {
  return nn.sequential({ layers: [nn.layers.dense({ units: 2, inputShape: [3] })] });
}

/** A saved model in a fresh folder inside a fresh parent; returns both and the parsed model.json. */
async function savedModel() {
  const parent = mkdtempSync(join(tmpdir(), 'simdnn-sec-'));
  const dir = join(parent, 'model');
  const m = mlp();
  await m.save(`file://${dir}`);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const weightsFile = json.weightsManifest[0].paths[0] as string;
  const rewrite = (edit: (j: any) => void) => { const j = structuredClone(json); edit(j); writeFileSync(join(dir, 'model.json'), JSON.stringify(j)); };
  return { parent, dir, m, json, weightsFile, rewrite };
}

/** Expects the load to fail with `pattern` and leave the memory exactly as it was. */
async function refused(url: string, pattern: RegExp) {
  const before = nn.memory();
  await expect(nn.loadLayersModel(url)).rejects.toThrow(pattern);
  const after = nn.memory();
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numBytes).toBe(before.numBytes);
}

describe('file:// weights stay inside the model folder', () => {
  it("refuses '..' paths that leave the folder", async () => {
    const { parent, dir, weightsFile, rewrite } = await savedModel();
    renameSync(join(dir, weightsFile), join(parent, 'secret.bin')); // same size: only the path is wrong
    rewrite((j) => { j.weightsManifest[0].paths = ['../secret.bin']; });
    await refused(`file://${dir}`, /weights path '\.\.\/secret\.bin' leads outside the model's folder/);
    rewrite((j) => { j.weightsManifest[0].paths = ['sub/../../secret.bin']; });
    await refused(`file://${dir}`, /leads outside the model's folder/);
  });

  it('refuses absolute paths and URLs', async () => {
    const { parent, dir, weightsFile, rewrite } = await savedModel();
    renameSync(join(dir, weightsFile), join(parent, 'secret.bin'));
    for (const p of [join(parent, 'secret.bin'), `file://${join(parent, 'secret.bin')}`]) {
      rewrite((j) => { j.weightsManifest[0].paths = [p]; });
      await refused(`file://${dir}`, /is absolute; a model\.json may only name files inside its own folder/);
    }
  });

  it('refuses a symlink in the folder that leads out of it, and follows one that stays inside', async () => {
    const { parent, dir, weightsFile, rewrite, m } = await savedModel();
    renameSync(join(dir, weightsFile), join(parent, 'secret.bin'));
    symlinkSync(join(parent, 'secret.bin'), join(dir, 'link.bin'));
    rewrite((j) => { j.weightsManifest[0].paths = ['link.bin']; });
    await refused(`file://${dir}`, /'link\.bin' is a symlink leading outside the model's folder/);
    // inside: a subfolder and a symlink to a file in the folder are fine
    mkdirSync(join(dir, 'shards'));
    renameSync(join(parent, 'secret.bin'), join(dir, 'shards', 'w.bin'));
    symlinkSync(join(dir, 'shards', 'w.bin'), join(dir, 'inner.bin'));
    const x = nn.tensor(rand(6, 3), [2, 3]);
    for (const p of ['shards/w.bin', 'inner.bin']) {
      rewrite((j) => { j.weightsManifest[0].paths = [p]; });
      const back = await nn.loadLayersModel(`file://${dir}`);
      expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    }
  });
});

describe('weight manifests are checked before anything is read or allocated', () => {
  it('refuses a manifest that asks for more (or fewer) bytes than the files hold', async () => {
    const { dir, rewrite } = await savedModel();
    rewrite((j) => { j.weightsManifest[0].weights[0].shape = [3, 200]; });
    await refused(`file://${dir}`, /the weight files hold 32 bytes but the manifest describes 2408/);
    rewrite((j) => { j.weightsManifest[0].weights[1].shape = [1]; });
    await refused(`file://${dir}`, /the weight files hold 32 bytes but the manifest describes 28/);
  });

  it('refuses absurd and malformed shapes, unknown dtypes and non-string paths', async () => {
    const { dir, rewrite } = await savedModel();
    const cases: [(j: any) => void, RegExp][] = [
      [(j) => { j.weightsManifest[0].weights[0].shape = [100000, 100000]; }, /would take 40000000000 bytes, more than the 1073741824 \(1 GiB\) allowed per tensor/],
      [(j) => { j.weightsManifest[0].weights[0].shape = [3, -2]; }, /has an invalid shape \[3,-2\]/],
      [(j) => { j.weightsManifest[0].weights[0].shape = [1.5, 2]; }, /has an invalid shape/],
      [(j) => { j.weightsManifest[0].weights[0].dtype = 'float64'; }, /has dtype float64/],
      [(j) => { j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 1, min: 0 }; }, /is quantized/],
      [(j) => { j.weightsManifest[0].paths = [42]; }, /weight paths must be non-empty strings/],
      [(j) => { j.weightsManifest = { paths: [] }; }, /weightsManifest must be an array/],
      [(j) => { j.weightsManifest[0].weights.push({ ...j.weightsManifest[0].weights[0] }); }, /appears twice/],
    ];
    for (const [edit, pattern] of cases) {
      rewrite(edit);
      await refused(`file://${dir}`, pattern);
    }
  });

  it('refuses the same through nn.io.fromMemory, before the model is built', async () => {
    const h = nn.io.memory();
    await mlp().save(h);
    const before = nn.memory();
    const specs = h.weightSpecs!.map((s, i) => (i === 0 ? { ...s, shape: [4096, 65536, 2] } : s));
    await expect(nn.loadLayersModel(nn.io.fromMemory(h.modelTopology!, specs, h.weightData!))).rejects.toThrow(/1 GiB/);
    await expect(nn.loadLayersModel(nn.io.fromMemory(h.modelTopology!, h.weightSpecs!, h.weightData!.slice(4))))
      .rejects.toThrow(/the weights data has 28 bytes but the manifest describes 32/);
    expect(nn.memory().numTensors).toBe(before.numTensors);
    expect(nn.memory().numBytes).toBe(before.numBytes);
  });

  it('saving over a model whose model.json names files elsewhere deletes nothing outside the folder', async () => {
    const { parent, dir, rewrite } = await savedModel();
    writeFileSync(join(parent, 'keep.bin'), 'precious');
    rewrite((j) => { j.weightsManifest[0].paths = ['../keep.bin', '..', '.']; });
    await mlp().save(`file://${dir}`);
    expect(readFileSync(join(parent, 'keep.bin'), 'utf8')).toBe('precious');
    await nn.loadLayersModel(`file://${dir}`);
  });

  it('load options are for http(s) sources, and a relative path needs a browser page', async () => {
    const { dir } = await savedModel();
    await expect(nn.loadLayersModel(`file://${dir}`, { weightPathPrefix: '/x/' })).rejects.toThrow(/apply to http\(s\):\/\/ sources only/);
    await expect(nn.loadLayersModel(`file://${dir}`, { weightPathPrefx: '/x/' } as any)).rejects.toThrow(/unknown option 'weightPathPrefx'/);
    await expect(nn.loadLayersModel('model/model.json')).rejects.toThrow(/a relative URL works in a browser page only/);
  });
});
