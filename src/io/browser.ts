// Browser handlers: indexeddb://name, downloads://name, and nn.io.browserFiles (File objects).
import { IOHandler, ModelArtifacts, SaveResult, fromModelJSON, modelJSON, saveResult } from './artifacts';

/** indexeddb://name in browsers: one record per model, written in a single transaction. */
export class IndexedDBHandler implements IOHandler {
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
export class DownloadsHandler implements IOHandler {
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
