// Where saved models go: memory, file:// (Node/Deno), indexeddb:// and downloads:// (browsers),
// and http(s):// for loading. Every handler speaks the tfjs layers format.

export interface WeightSpec { name: string; shape: number[]; dtype: 'float32' }

export interface ModelArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

export interface SaveResult {
  modelArtifactsInfo: { dateSaved: Date; modelTopologyType: 'JSON'; modelTopologyBytes: number; weightSpecsBytes: number; weightDataBytes: number };
}

export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}

export function saveResult(a: ModelArtifacts): SaveResult {
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON',
    modelTopologyBytes: JSON.stringify(a.modelTopology).length, weightSpecsBytes: JSON.stringify(a.weightSpecs).length,
    weightDataBytes: a.weightData.byteLength } };
}

/** The model.json document for artifacts whose weights are in `weightsPath`. */
export function modelJSON(a: ModelArtifacts, weightsPath: string): Record<string, unknown> {
  return {
    modelTopology: a.modelTopology, format: a.format ?? 'layers-model', generatedBy: a.generatedBy, convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths: [weightsPath], weights: a.weightSpecs }],
  };
}

/** Artifacts from a parsed model.json whose weight files `read` returns by path. */
async function fromModelJSON(json: any, read: (path: string) => Promise<ArrayBuffer>, where: string): Promise<ModelArtifacts> {
  if (!json || typeof json !== 'object' || !json.modelTopology) throw new Error(`${where}: model.json has no modelTopology`);
  const manifest: { paths: string[]; weights: WeightSpec[] }[] = json.weightsManifest ?? [];
  const weightSpecs: WeightSpec[] = [];
  const parts: ArrayBuffer[] = [];
  for (const group of manifest) {
    weightSpecs.push(...group.weights);
    for (const p of group.paths) parts.push(await read(p));
  }
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { data.set(new Uint8Array(p), at); at += p.byteLength; }
  return { modelTopology: json.modelTopology, weightSpecs, weightData: data.buffer, format: json.format,
    generatedBy: json.generatedBy, convertedBy: json.convertedBy };
}

/** nn.io.memory(): after save() it holds { modelTopology, weightSpecs, weightData }; it also loads from them. */
export class MemoryHandler implements IOHandler {
  modelTopology?: Record<string, unknown>;
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer;
  constructor(artifacts?: Partial<ModelArtifacts>) { if (artifacts) Object.assign(this, artifacts); }
  async save(a: ModelArtifacts): Promise<SaveResult> {
    this.modelTopology = a.modelTopology;
    this.weightSpecs = a.weightSpecs;
    this.weightData = a.weightData.slice(0);
    return saveResult(a);
  }
  async load(): Promise<ModelArtifacts> {
    if (!this.modelTopology || !this.weightSpecs || !this.weightData) throw new Error('io.memory: nothing has been saved here');
    return { modelTopology: this.modelTopology, weightSpecs: this.weightSpecs, weightData: this.weightData };
  }
}

export const memory = (artifacts?: Partial<ModelArtifacts>) => new MemoryHandler(artifacts);

// Hidden from bundlers: only Node and Deno ever evaluate this import.
const nodeModule = (name: string): Promise<any> => import(/* @vite-ignore */ name);

/**
 * file://dir in Node and Deno: dir/model.json plus one weights file. A save writes the weights under
 * a new name, then swaps model.json in with an atomic rename, and only then removes the old weights:
 * if it fails at any point, the model saved there before is still whole.
 */
class FileHandler implements IOHandler {
  constructor(private readonly dir: string) {}

  async save(a: ModelArtifacts): Promise<SaveResult> {
    const fs = await nodeModule('node:fs/promises');
    const path = await nodeModule('node:path');
    const jsonPath = path.join(this.dir, 'model.json');
    const tag = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
    const weightsName = `weights-${tag}.bin`;
    const newWeights = path.join(this.dir, weightsName);
    const tmpJSON = path.join(this.dir, `.model.json.${tag}.tmp`);
    let switched = false;
    try {
      await fs.mkdir(this.dir, { recursive: true });
      const oldPaths = await fs.readFile(jsonPath, 'utf8')
        .then((t: string) => (JSON.parse(t).weightsManifest ?? []).flatMap((g: { paths: string[] }) => g.paths) as string[])
        .catch(() => [] as string[]);
      await fs.writeFile(newWeights, new Uint8Array(a.weightData));
      await fs.writeFile(tmpJSON, JSON.stringify(modelJSON(a, weightsName)));
      await fs.rename(tmpJSON, jsonPath);
      switched = true;
      for (const p of oldPaths) if (p !== weightsName && !p.includes('/')) await fs.rm(path.join(this.dir, p), { force: true });
    } catch (e) {
      if (!switched) {
        await fs.rm(newWeights, { force: true }).catch(() => {});
        await fs.rm(tmpJSON, { force: true }).catch(() => {});
      }
      throw new Error(`save('file://${this.dir}'): ${(e as Error).message}`);
    }
    return saveResult(a);
  }

  async load(): Promise<ModelArtifacts> {
    const fs = await nodeModule('node:fs/promises');
    const path = await nodeModule('node:path');
    const where = `loadLayersModel('file://${this.dir}')`;
    const file = this.dir.endsWith('.json') ? this.dir : path.join(this.dir, 'model.json');
    let json: unknown;
    try { json = JSON.parse(await fs.readFile(file, 'utf8')); } catch (e) { throw new Error(`${where}: cannot read ${file}: ${(e as Error).message}`); }
    const base = path.dirname(file);
    return fromModelJSON(json, async (p) => {
      try { const b: Uint8Array = await fs.readFile(path.join(base, p)); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer; }
      catch (e) { throw new Error(`${where}: cannot read weights file ${p}: ${(e as Error).message}`); }
    }, where);
  }
}

/** indexeddb://name in browsers: one record per model, written in a single transaction. */
class IndexedDBHandler implements IOHandler {
  private static readonly DB = 'simdnn-models';
  constructor(private readonly key: string) {}

  private open(): Promise<IDBDatabase> {
    if (typeof indexedDB === 'undefined') throw new Error(`indexeddb://${this.key}: IndexedDB is not available here`);
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(IndexedDBHandler.DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('models');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(new Error(`indexeddb://${this.key}: ${req.error?.message}`));
    });
  }

  private async run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest): Promise<T> {
    const db = await this.open();
    try {
      return await new Promise<T>((resolve, reject) => {
        const tx = db.transaction('models', mode);
        const req = op(tx.objectStore('models'));
        tx.oncomplete = () => resolve(req.result as T);
        tx.onerror = tx.onabort = () => reject(new Error(`indexeddb://${this.key}: ${tx.error?.message ?? 'transaction failed'}`));
      });
    } finally { db.close(); }
  }

  async save(a: ModelArtifacts): Promise<SaveResult> {
    await this.run('readwrite', (s) => s.put({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData, format: a.format }, this.key));
    return saveResult(a);
  }

  async load(): Promise<ModelArtifacts> {
    const rec = await this.run<ModelArtifacts | undefined>('readonly', (s) => s.get(this.key));
    if (!rec) throw new Error(`loadLayersModel('indexeddb://${this.key}'): no model saved under that name`);
    return rec;
  }
}

/** downloads://name in browsers: the user's browser downloads name.json and name.weights.bin. */
class DownloadsHandler implements IOHandler {
  constructor(private readonly name: string) {}
  async save(a: ModelArtifacts): Promise<SaveResult> {
    if (typeof document === 'undefined') throw new Error(`downloads://${this.name}: only available in a browser page`);
    const weightsName = `${this.name}.weights.bin`;
    const files: [string, Blob][] = [
      [`${this.name}.json`, new Blob([JSON.stringify(modelJSON(a, weightsName))], { type: 'application/json' })],
      [weightsName, new Blob([a.weightData], { type: 'application/octet-stream' })],
    ];
    for (const [fname, blob] of files) {
      const link = document.createElement('a');
      link.download = fname;
      link.href = URL.createObjectURL(blob);
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    }
    return saveResult(a);
  }
}

/** http(s)://…/model.json: loads with fetch, weights relative to the JSON's URL. */
class HttpHandler implements IOHandler {
  constructor(private readonly url: string) {}
  async load(): Promise<ModelArtifacts> {
    const where = `loadLayersModel('${this.url}')`;
    const res = await fetch(this.url);
    if (!res.ok) throw new Error(`${where}: HTTP ${res.status}`);
    const json = await res.json();
    return fromModelJSON(json, async (p) => {
      const r = await fetch(new URL(p, this.url));
      if (!r.ok) throw new Error(`${where}: weights ${p}: HTTP ${r.status}`);
      return r.arrayBuffer();
    }, where);
  }
}

/** Resolves a URL-like string or handler object to a handler. */
export function getHandler(spec: string | IOHandler, where: string): IOHandler {
  if (typeof spec !== 'string') {
    if (spec && (typeof spec.save === 'function' || typeof spec.load === 'function')) return spec;
    throw new Error(`${where}: expected a URL string or an IO handler`);
  }
  const m = /^([a-z]+):\/\/(.*)$/.exec(spec);
  const scheme = m?.[1];
  const rest = m?.[2] ?? '';
  switch (scheme) {
    case 'file': return new FileHandler(rest);
    case 'indexeddb': return new IndexedDBHandler(rest);
    case 'downloads': return new DownloadsHandler(rest);
    case 'http': case 'https': return new HttpHandler(spec);
    default: throw new Error(`${where}: unsupported destination '${spec}' (use file://, indexeddb://, downloads://, http(s):// or nn.io.memory())`);
  }
}
