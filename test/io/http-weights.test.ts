// http(s):// loading: weight files stay on the origin they resolve against unless the caller opts
// in, and a response larger than the manifest allows is refused unread. fetch is a stub here.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand } from '../setup';

beforeAll(ready);

/** A fetch over a map of URL → body that records what was requested and what was read. */
function stubFetch(files: Record<string, string | ArrayBuffer>, contentLength?: Record<string, number>) {
  const requested: string[] = [];
  const read: string[] = [];
  const fetchFunc = (async (input: RequestInfo | URL) => {
    const url = String(input);
    requested.push(url);
    const body = files[url];
    if (body === undefined) return new Response('not found', { status: 404 });
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
    const size = contentLength?.[url] ?? bytes.byteLength;
    return {
      ok: true, status: 200, headers: new Headers({ 'content-length': String(size) }),
      json: async () => JSON.parse(new TextDecoder().decode(bytes)),
      arrayBuffer: async () => { read.push(url); return bytes.slice().buffer; },
    } as unknown as Response;
  }) as typeof fetch;
  return { fetchFunc, requested, read };
}

async function artifacts() {
  const m = nn.sequential({ layers: [nn.layers.dense({ units: 2, inputShape: [3] })] });
  const h = nn.io.memory();
  await m.save(h);
  const json = (paths: string[]) => JSON.stringify({ modelTopology: h.modelTopology, format: 'layers-model',
    weightsManifest: [{ paths, weights: h.weightSpecs }] });
  return { m, data: h.weightData!, json };
}

describe('http(s) weights', () => {
  const model = 'https://models.example/zoo/mlp/model.json';

  it('loads weights beside the model.json, and on the same origin elsewhere', async () => {
    const { m, data, json } = await artifacts();
    const x = nn.tensor(rand(6, 3), [2, 3]);
    for (const [path, at] of [['w.bin', 'https://models.example/zoo/mlp/w.bin'], ['../shared/w.bin', 'https://models.example/zoo/shared/w.bin'],
      ['/w.bin', 'https://models.example/w.bin']]) {
      const { fetchFunc, requested } = stubFetch({ [model]: json([path]), [at]: data });
      const back = await nn.loadLayersModel(model, { fetchFunc });
      expect(requested).toEqual([model, at]);
      expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
    }
  });

  it('refuses weights on another origin unless allowCrossOriginWeights is given', async () => {
    const { data, json } = await artifacts();
    for (const path of ['https://evil.example/w.bin', '//evil.example/w.bin', 'http://models.example/zoo/mlp/w.bin']) {
      const target = new URL(path, model).href;
      const { fetchFunc, requested } = stubFetch({ [model]: json([path]), [target]: data });
      const before = nn.memory();
      await expect(nn.loadLayersModel(model, { fetchFunc })).rejects.toThrow(/another origin than https:\/\/models\.example; pass \{ allowCrossOriginWeights: true \}/);
      expect(requested).toEqual([model]); // the weights were never fetched
      expect(nn.memory().numTensors).toBe(before.numTensors);
      await nn.loadLayersModel(model, { fetchFunc, allowCrossOriginWeights: true });
      expect(requested).toEqual([model, model, target]);
    }
    // never a non-http scheme, even with the opt-in
    const { fetchFunc } = stubFetch({ [model]: json(['file:///etc/passwd']) });
    await expect(nn.loadLayersModel(model, { fetchFunc, allowCrossOriginWeights: true })).rejects.toThrow(/is not an http\(s\) URL/);
  });

  it('weightPathPrefix (tfjs) is prepended to every weight path; the weights stay on its origin', async () => {
    const { m, data, json } = await artifacts();
    const { fetchFunc, requested } = stubFetch({ [model]: json(['w.bin']), 'https://cdn.example/v2/w.bin': data });
    const back = await nn.loadLayersModel(model, { fetchFunc, weightPathPrefix: 'https://cdn.example/v2/' });
    expect(requested[1]).toBe('https://cdn.example/v2/w.bin');
    expect(back.weights.length).toBe(m.weights.length);
    // a relative prefix resolves against the model.json
    const rel = stubFetch({ [model]: json(['w.bin']), 'https://models.example/weights/w.bin': data });
    await nn.loadLayersModel(model, { fetchFunc: rel.fetchFunc, weightPathPrefix: '/weights/' });
    expect(rel.requested[1]).toBe('https://models.example/weights/w.bin');
    // a path naming another host is only appended to the prefix: it cannot leave the prefix's origin
    const other = stubFetch({ [model]: json(['//evil.example/w.bin']) });
    await expect(nn.loadLayersModel(model, { fetchFunc: other.fetchFunc, weightPathPrefix: 'https://cdn.example/v2/' })).rejects.toThrow(/HTTP 404/);
    expect(other.requested[1]).toBe('https://cdn.example/v2///evil.example/w.bin');
  });

  it('refuses a weights response larger than the manifest before reading it', async () => {
    const { data, json } = await artifacts();
    const at = 'https://models.example/zoo/mlp/w.bin';
    const { fetchFunc, read } = stubFetch({ [model]: json(['w.bin']), [at]: data }, { [at]: 1 << 30 });
    await expect(nn.loadLayersModel(model, { fetchFunc })).rejects.toThrow(/holds 1073741824 bytes, more than the 32 the manifest still describes/);
    expect(read).toEqual([]);
    // no length header and a body that is too long or too short: refused after reading, before building
    const long = stubFetch({ [model]: json(['w.bin']), [at]: new ArrayBuffer(64) }, { [at]: NaN });
    await expect(nn.loadLayersModel(model, { fetchFunc: long.fetchFunc })).rejects.toThrow(/holds more bytes than the manifest describes \(32 in all\)/);
    const short = stubFetch({ [model]: json(['w.bin']), [at]: data.slice(0, 16) });
    await expect(nn.loadLayersModel(model, { fetchFunc: short.fetchFunc })).rejects.toThrow(/hold 16 bytes but the manifest describes 32/);
  });
});
