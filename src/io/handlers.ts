// Where saved models go: memory, file:// (Node/Deno), indexeddb:// and downloads:// (browsers),
// and http(s):// (or a page-relative URL in a browser) for loading; nn.io.fromMemory and
// nn.io.browserFiles load from what the caller holds. Every handler speaks the tfjs layers format.
import { WeightSpec, manifestBytes, concatBuffers, toArrayBuffer } from './weights';

export type { WeightSpec } from './weights';

export interface ModelArtifacts {
  modelTopology: Record<string, unknown>;
  weightSpecs: WeightSpec[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  /** Loss, metrics and optimizer config (tfjs' trainingConfig): a loaded model comes back compiled. */
  trainingConfig?: Record<string, unknown>;
}

export interface SaveResult {
  modelArtifactsInfo: { dateSaved: Date; modelTopologyType: 'JSON'; modelTopologyBytes: number; weightSpecsBytes: number; weightDataBytes: number };
}

export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}

/** Options of loadLayersModel for http(s) sources (tfjs' LoadOptions, plus the cross-origin opt-in). */
export interface LoadOptions {
  /** Where weight paths are resolved (tfjs semantics); default: the model.json's folder. */
  weightPathPrefix?: string;
  /** Let a model.json name weight files on another origin than the one they resolve against. Default false. */
  allowCrossOriginWeights?: boolean;
  /** The fetch to use (default: globalThis.fetch). */
  fetchFunc?: typeof fetch;
  /** Passed to every fetch (headers, credentials …). */
  requestInit?: RequestInit;
}
export const LOAD_OPTION_KEYS = ['weightPathPrefix', 'allowCrossOriginWeights', 'fetchFunc', 'requestInit'] as const;

export function saveResult(a: ModelArtifacts): SaveResult {
  return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON',
    modelTopologyBytes: JSON.stringify(a.modelTopology).length, weightSpecsBytes: JSON.stringify(a.weightSpecs).length,
    weightDataBytes: a.weightData.byteLength } };
}

/** The model.json document for artifacts whose weights are in `weightsPath`. */
export function modelJSON(a: ModelArtifacts, weightsPath: string): Record<string, unknown> {
  return {
    modelTopology: a.modelTopology, format: a.format ?? 'layers-model', generatedBy: a.generatedBy, convertedBy: a.convertedBy ?? null,
    ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
    weightsManifest: [{ paths: [weightsPath], weights: a.weightSpecs }],
  };
}

/** How a loader reaches the weight files a model.json names: each path is checked before it is read. */
interface WeightReader<K> {
  /** Where a manifest path leads; throws when it may not be read from here. */
  resolve(path: string): Promise<K>;
  /** Its size in bytes, when it can be known before reading. */
  size?(key: K): Promise<number>;
  /** Its bytes; `allowed` is how many the manifest still expects (a larger file can be refused unread). */
  read(key: K, path: string, allowed: number): Promise<ArrayBuffer>;
}

/**
 * Artifacts from a parsed model.json. The manifest is checked whole (specs, sizes, every path) before
 * any weight file is read, and the files' sizes against the specs before their bytes are.
 */
async function fromModelJSON<K>(json: any, reader: WeightReader<K>, where: string): Promise<ModelArtifacts> {
  if (!json || typeof json !== 'object' || !json.modelTopology) throw new Error(`${where}: model.json has no modelTopology`);
  const manifest: unknown = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new Error(`${where}: weightsManifest must be an array of { paths, weights } groups`);
  const weightSpecs: WeightSpec[] = [];
  const paths: string[] = [];
  for (const group of manifest) {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new Error(`${where}: every weightsManifest group needs a paths array and a weights array`);
    }
    weightSpecs.push(...group.weights);
    for (const p of group.paths) {
      if (typeof p !== 'string' || p === '') throw new Error(`${where}: weight paths must be non-empty strings, got ${JSON.stringify(p)}`);
      paths.push(p);
    }
  }
  const expected = manifestBytes(weightSpecs, where);
  const keys: K[] = [];
  for (const p of paths) keys.push(await reader.resolve(p));
  if (reader.size) {
    let total = 0;
    for (const key of keys) total += await reader.size(key);
    if (total !== expected) {
      throw new Error(`${where}: the weight files hold ${total} bytes but the manifest describes ${expected} ` +
        '(a truncated or mismatched weights file)');
    }
  }
  const parts: ArrayBuffer[] = [];
  let got = 0;
  for (let i = 0; i < keys.length; i++) {
    const part = await reader.read(keys[i], paths[i], expected - got);
    got += part.byteLength;
    if (got > expected) throw new Error(`${where}: weights file ${paths[i]} holds more bytes than the manifest describes (${expected} in all)`);
    parts.push(part);
  }
  if (got !== expected) {
    throw new Error(`${where}: the weight files hold ${got} bytes but the manifest describes ${expected} (a truncated or mismatched weights file)`);
  }
  return { modelTopology: json.modelTopology, weightSpecs, weightData: parts.length ? concatBuffers(parts) : new ArrayBuffer(0),
    format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy, trainingConfig: json.trainingConfig ?? undefined };
}

/** nn.io.memory(): after save() it holds { modelTopology, weightSpecs, weightData }; it also loads from them. */
export class MemoryHandler implements IOHandler {
  modelTopology?: Record<string, unknown>;
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer;
  trainingConfig?: Record<string, unknown>;
  constructor(artifacts?: Partial<ModelArtifacts>) { if (artifacts) Object.assign(this, artifacts); }
  async save(a: ModelArtifacts): Promise<SaveResult> {
    this.modelTopology = a.modelTopology;
    this.weightSpecs = a.weightSpecs;
    this.weightData = a.weightData.slice(0);
    this.trainingConfig = a.trainingConfig;
    return saveResult(a);
  }
  async load(): Promise<ModelArtifacts> {
    if (!this.modelTopology || !this.weightSpecs || !this.weightData) throw new Error('io.memory: nothing has been saved here');
    return { modelTopology: this.modelTopology, weightSpecs: this.weightSpecs, weightData: toArrayBuffer(this.weightData, 'io.memory'),
      trainingConfig: this.trainingConfig };
  }
}

export const memory = (artifacts?: Partial<ModelArtifacts>) => new MemoryHandler(artifacts);

/**
 * tfjs' tf.io.fromMemory: a load-only handler from artifacts the caller holds, given as
 * (modelTopology, weightSpecs, weightData, trainingConfig?) or as one { modelTopology, weightSpecs, weightData } object.
 */
export function fromMemory(modelTopology: Record<string, unknown> | Partial<ModelArtifacts>, weightSpecs?: WeightSpec[],
                           weightData?: ArrayBuffer | ArrayBuffer[], trainingConfig?: Record<string, unknown>): IOHandler {
  const whole = weightSpecs === undefined && modelTopology && typeof modelTopology === 'object' && 'modelTopology' in modelTopology;
  const a = (whole ? modelTopology : { modelTopology, weightSpecs, weightData, trainingConfig }) as Partial<ModelArtifacts>;
  if (!a.modelTopology || typeof a.modelTopology !== 'object') throw new Error('io.fromMemory: modelTopology must be an object');
  return { load: async () => ({ ...a, modelTopology: a.modelTopology!, weightSpecs: a.weightSpecs ?? [],
    weightData: a.weightData === undefined ? new ArrayBuffer(0) : toArrayBuffer(a.weightData, 'io.fromMemory') }) };
}

/**
 * tfjs' tf.io.browserFiles: loads from File objects a user picked, `[modelJSON, ...weightFiles]`.
 * Each manifest path is matched to a weights file by its base name; nothing else is read.
 */
export function browserFiles(files: File[]): IOHandler {
  const where = 'io.browserFiles';
  if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f?.arrayBuffer === 'function' && typeof f?.name === 'string')) {
    throw new Error(`${where}: expected an array of File objects, the model.json first and then its weight files`);
  }
  const [jsonFile, ...weightFiles] = files;
  const byName = new Map<string, File>();
  for (const f of weightFiles) {
    if (byName.has(f.name)) throw new Error(`${where}: two weight files are named '${f.name}'`);
    byName.set(f.name, f);
  }
  return {
    async load() {
      let json: unknown;
      try { json = JSON.parse(await jsonFile.text()); } catch (e) { throw new Error(`${where}: ${jsonFile.name} is not JSON: ${(e as Error).message}`); }
      return fromModelJSON(json, {
        resolve: async (p) => {
          const f = byName.get(p.split('/').pop()!);
          if (!f) throw new Error(`${where}: the model.json needs weights file '${p}', which is not among the files given (${[...byName.keys()].join(', ') || 'none'})`);
          return f;
        },
        size: async (f) => f.size,
        read: (f) => f.arrayBuffer(),
      }, where);
    },
  };
}

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
      // only plain file names in this folder: an old model.json never makes a save delete anything else
      for (const p of oldPaths) {
        if (p !== weightsName && /^[^/\\]+$/.test(p) && p !== '.' && p !== '..') await fs.rm(path.join(this.dir, p), { force: true });
      }
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
    const base = path.resolve(path.dirname(file));
    const realBase: string = await fs.realpath(base);
    const inside = (root: string, p: string) => {
      const rel = path.relative(root, p);
      return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
    };
    return fromModelJSON(json, {
      // A model.json may only name files inside its own folder: no absolute path, no '..' out of it,
      // no symlink leading out of it.
      resolve: async (p) => {
        if (path.isAbsolute(p) || /^[a-zA-Z][a-zA-Z\d+.-]*:/.test(p) || p.startsWith('\\')) {
          throw new Error(`${where}: weights path '${p}' is absolute; a model.json may only name files inside its own folder`);
        }
        const full = path.resolve(base, p);
        if (!inside(base, full)) throw new Error(`${where}: weights path '${p}' leads outside the model's folder ${base}`);
        let real: string;
        try { real = await fs.realpath(full); } catch (e) { throw new Error(`${where}: cannot read weights file ${p}: ${(e as Error).message}`); }
        if (!inside(realBase, real)) throw new Error(`${where}: weights path '${p}' is a symlink leading outside the model's folder ${base}`);
        return real;
      },
      size: async (real) => (await fs.stat(real)).size,
      read: async (real, p) => {
        try { const b: Uint8Array = await fs.readFile(real); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer; }
        catch (e) { throw new Error(`${where}: cannot read weights file ${p}: ${(e as Error).message}`); }
      },
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
    await this.run('readwrite', (s) => s.put({ modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightData: a.weightData, format: a.format,
      trainingConfig: a.trainingConfig }, this.key));
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

/**
 * http(s)://…/model.json: loads with fetch. Weights resolve against the JSON's URL (or weightPathPrefix)
 * and must stay on that origin unless the caller passes allowCrossOriginWeights.
 */
class HttpHandler implements IOHandler {
  constructor(private readonly url: string, private readonly options: LoadOptions = {}) {}
  async load(): Promise<ModelArtifacts> {
    const where = `loadLayersModel('${this.url}')`;
    const { weightPathPrefix, allowCrossOriginWeights = false, requestInit } = this.options;
    const fetchFn = this.options.fetchFunc ?? globalThis.fetch;
    const res = await fetchFn(this.url, requestInit);
    if (!res.ok) throw new Error(`${where}: HTTP ${res.status}`);
    let json: unknown;
    try { json = await res.json(); } catch (e) { throw new Error(`${where}: the model.json is not JSON: ${(e as Error).message}`); }
    const base = new URL(weightPathPrefix ?? this.url, this.url);
    return fromModelJSON(json, {
      resolve: async (p) => {
        let u: URL;
        try { u = new URL(p, base); } catch { throw new Error(`${where}: weights path '${p}' is not a valid URL path`); }
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${where}: weights path '${p}' is not an http(s) URL`);
        if (u.origin !== base.origin && !allowCrossOriginWeights) {
          throw new Error(`${where}: weights path '${p}' points to ${u.origin}, another origin than ${base.origin}; ` +
            'pass { allowCrossOriginWeights: true } to loadLayersModel if you trust this model.json');
        }
        return u;
      },
      read: async (u, p, allowed) => {
        const r = await fetchFn(u.href, requestInit);
        if (!r.ok) throw new Error(`${where}: weights ${p}: HTTP ${r.status}`);
        const declared = Number(r.headers?.get?.('content-length') ?? NaN);
        if (declared > allowed) {
          await r.body?.cancel?.().catch(() => {});
          throw new Error(`${where}: weights file ${p} holds ${declared} bytes, more than the ${allowed} the manifest still describes`);
        }
        return r.arrayBuffer();
      },
    }, where);
  }
}

/** The page's (or worker's) URL in a browser; undefined elsewhere (Deno without --location throws on access). */
function pageLocation(): string | undefined {
  if (typeof document === 'undefined' && typeof (globalThis as { importScripts?: unknown }).importScripts !== 'function') return undefined;
  try { return (globalThis as { location?: Location }).location?.href; } catch { return undefined; }
}

/** Resolves a URL-like string or handler object to a handler; `options` (loading only) go to http(s). */
export function getHandler(spec: string | IOHandler, where: string, options?: LoadOptions): IOHandler {
  if (typeof spec !== 'string') {
    if (spec && (typeof spec.save === 'function' || typeof spec.load === 'function')) return spec;
    throw new Error(`${where}: expected a URL string or an IO handler`);
  }
  const m = /^([a-z]+):\/\/(.*)$/.exec(spec);
  const scheme = m?.[1];
  const rest = m?.[2] ?? '';
  const page = scheme ? undefined : pageLocation();
  if (options && Object.keys(options).length && scheme !== 'http' && scheme !== 'https' && !page) {
    throw new Error(`${where}: the load options ${Object.keys(options).join(', ')} apply to http(s):// sources only`);
  }
  switch (scheme) {
    case 'file': return new FileHandler(rest);
    case 'indexeddb': return new IndexedDBHandler(rest);
    case 'downloads': return new DownloadsHandler(rest);
    case 'http': case 'https': return new HttpHandler(spec, options);
    default:
      // In a page, 'model/model.json' or '/models/m.json' means what a link would: relative to the page.
      if (page && !scheme && spec) return new HttpHandler(new URL(spec, page).href, options);
      throw new Error(`${where}: unsupported destination '${spec}' (use file://, indexeddb://, downloads://, http(s):// or nn.io.memory()` +
        `${scheme ? '' : '; a relative URL works in a browser page only'})`);
  }
}
