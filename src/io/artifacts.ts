// The tfjs layers format's artifacts and model.json, shared by every handler: what a save hands
// over, and how a loader turns a model.json plus the weight files it names into artifacts.
import { WeightSpec, manifestBytes, concatBuffers } from './weights';

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
  /** Prepended to every weight path, as in tfjs (the result resolves against the model.json's URL); default: the model.json's folder. */
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
export interface WeightReader<K> {
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
export async function fromModelJSON<K>(json: any, reader: WeightReader<K>, where: string): Promise<ModelArtifacts> {
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
