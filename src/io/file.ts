// file://dir in Node and Deno.
import { IOHandler, ModelArtifacts, SaveResult, fromModelJSON, modelJSON, saveResult } from './artifacts';

// Hidden from bundlers: only Node and Deno ever evaluate this import.
const nodeModule = (name: string): Promise<any> => import(/* @vite-ignore */ name);

/**
 * file://dir in Node and Deno: dir/model.json plus one weights file. A save writes the weights under
 * a new name, then swaps model.json in with an atomic rename, and only then removes the old weights:
 * if it fails at any point, the model saved there before is still whole.
 */
export class FileHandler implements IOHandler {
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
