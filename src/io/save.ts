// model.save(destination, config): the tfjs layers format artifacts of a model, handed to a handler.
import type { Model } from '../models/model';
import { checkOptions } from '../options';
import { modelTopology } from './topology';
import { getHandler, IOHandler, ModelArtifacts, SaveResult } from './handlers';
import { optimizerWeightsOf, trainingConfigOf } from './training';
import { tfjsCannotLoad } from './tfjs-compat';
import type { WeightSpec } from './weights';
import { version } from '../version';

export const GENERATED_BY = `simdnn ${version}`;

/** Options of model.save (tfjs' SaveConfig). */
export interface SaveConfig {
  /** Also save the optimizer's state and the training config, so a loaded model resumes training. Default false. */
  includeOptimizer?: boolean;
}

export function modelArtifacts(model: Model, config: SaveConfig = {}): ModelArtifacts {
  const where = `${model.name}.save`;
  const trainingConfig = config.includeOptimizer ? trainingConfigOf(model, where) : undefined;
  const entries: { spec: WeightSpec; values: Float32Array | Int32Array }[] =
    model.weights.map((v) => ({ spec: { name: v.name, shape: v.shape.slice(), dtype: 'float32' }, values: v.value.dataSync() }));
  if (trainingConfig) {
    for (const { name, shape, values } of optimizerWeightsOf(model)) {
      entries.push({ spec: { name, shape, dtype: values instanceof Int32Array ? 'int32' : 'float32', group: 'optimizer' }, values });
    }
  }
  const data = new Uint8Array(entries.reduce((n, e) => n + e.values.byteLength, 0));
  let at = 0;
  for (const { values } of entries) {
    data.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
    at += values.byteLength;
  }
  return { modelTopology: modelTopology(model), weightSpecs: entries.map((e) => e.spec), weightData: data.buffer, format: 'layers-model',
    generatedBy: GENERATED_BY, convertedBy: null, ...(trainingConfig ? { trainingConfig } : {}) };
}

/** Warned once per process each: a checkpoint saved every epoch should not repeat it. */
const warned = new Set<string>();

function warnTfjsIncompatible(model: Model, a: ModelArtifacts): void {
  const fresh = tfjsCannotLoad(a.modelTopology, a.trainingConfig).filter((w) => !warned.has(w));
  if (!fresh.length) return;
  for (const w of fresh) warned.add(w);
  console.warn(`${model.name}.save: saved, but TensorFlow.js cannot load or run ${fresh.join('; ')} (simdnn can)`);
}

export async function saveModel(model: Model, destination: string | IOHandler, config?: SaveConfig): Promise<SaveResult> {
  const where = `${model.name}.save`;
  checkOptions(where, config, ['includeOptimizer']);
  const handler = getHandler(destination, where);
  if (!handler.save) throw new Error(`${where}: this destination can only load`);
  const artifacts = modelArtifacts(model, config);
  warnTfjsIncompatible(model, artifacts);
  return handler.save(artifacts);
}
