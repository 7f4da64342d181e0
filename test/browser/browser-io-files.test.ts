// Loading in a page: nn.io.browserFiles from File objects (a file picker's), and a model.json URL
// relative to the page, resolved as a link would be.
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { nn, ready, rand } from '../setup';

beforeAll(ready);

async function saved() {
  const m = nn.sequential({ layers: [nn.layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }), nn.layers.dense({ units: 1 })] });
  const h = nn.io.memory();
  await m.save(h);
  const json = (paths: string[]) => JSON.stringify({ modelTopology: h.modelTopology, format: 'layers-model',
    weightsManifest: [{ paths, weights: h.weightSpecs }] });
  return { m, h, json, x: nn.tensor(rand(6, 5), [3, 2]) };
}

describe('nn.io.browserFiles', () => {
  it('loads model.json and its weights file from File objects, matched by base name', async () => {
    const { m, h, json, x } = await saved();
    const files = [new File([json(['./group1-shard1of1.bin'])], 'model.json'), new File([h.weightData!], 'group1-shard1of1.bin')];
    const back = await nn.loadLayersModel(nn.io.browserFiles(files));
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
  });

  it('names a missing or short weights file, and refuses what is not a File list', async () => {
    const { h, json } = await saved();
    await expect(nn.loadLayersModel(nn.io.browserFiles([new File([json(['w.bin'])], 'model.json'), new File([h.weightData!], 'other.bin')])))
      .rejects.toThrow(/needs weights file 'w\.bin', which is not among the files given \(other\.bin\)/);
    await expect(nn.loadLayersModel(nn.io.browserFiles([new File([json(['w.bin'])], 'model.json'), new File([h.weightData!.slice(4)], 'w.bin')])))
      .rejects.toThrow(/hold 48 bytes but the manifest describes 52/);
    await expect(nn.loadLayersModel(nn.io.browserFiles([new File(['{not json'], 'model.json')]))).rejects.toThrow(/model\.json is not JSON/);
    expect(() => nn.io.browserFiles([] as File[])).toThrow(/expected an array of File objects/);
  });
});

describe('a relative model URL in a page', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => { globalThis.fetch = realFetch; });

  it("resolves 'model/model.json' against the page and its weights against the model.json", async () => {
    const { m, h, json, x } = await saved();
    const jsonURL = new URL('model/model.json', location.href).href;
    const weightsURL = new URL('model/w.bin', location.href).href;
    const requested: string[] = [];
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const url = String(input);
      requested.push(url);
      if (url === jsonURL) return new Response(json(['w.bin']));
      if (url === weightsURL) return new Response(h.weightData!);
      return new Response('', { status: 404 });
    }) as typeof fetch;
    const back = await nn.loadLayersModel('model/model.json');
    expect(requested).toEqual([jsonURL, weightsURL]);
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    // a root-relative path too, and the same-origin rule holds for what the manifest names
    globalThis.fetch = (async () => new Response(json(['https://elsewhere.example/w.bin']))) as typeof fetch;
    await expect(nn.loadLayersModel('/models/model.json')).rejects.toThrow(/another origin/);
  });
});
