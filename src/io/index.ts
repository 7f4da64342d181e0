// loadLayersModel(source) in the tfjs layers format; saving lives in save.ts.
import { Model } from '../models/model';
import { tensor, shapeStr } from '../tensor';
import { checkOptions } from '../options';
import { modelFromTopology } from './from-topology';
import { getHandler, IOHandler, LoadOptions, LOAD_OPTION_KEYS, ModelArtifacts } from './handlers';
import { compileFromTrainingConfig, restoreOptimizerWeights } from './training';
import { WeightSpec, checkWeightData, specOffsets } from './weights';

export { memory, MemoryHandler, fromMemory, browserFiles } from './handlers';
export { saveModel, modelArtifacts } from './save';
export type { SaveConfig } from './save';
export type { IOHandler, ModelArtifacts, SaveResult, WeightSpec, LoadOptions } from './handlers';

type Decoded = { spec: WeightSpec; values: Float32Array | Int32Array };

/** The weight data split by spec into the model's weights and the optimizer's (tfjs' group 'optimizer'). */
function decodeWeights(a: ModelArtifacts, where: string): { model: Map<string, Decoded>; optimizer: Decoded[] } {
  checkWeightData(a.weightSpecs, a.weightData.byteLength, where);
  const model = new Map<string, Decoded>();
  const optimizer: Decoded[] = [];
  for (const { spec, offset, size } of specOffsets(a.weightSpecs)) {
    const values = spec.dtype === 'int32' ? new Int32Array(a.weightData.slice(offset, offset + 4 * size))
      : new Float32Array(a.weightData, offset, size);
    if (spec.group === 'optimizer') optimizer.push({ spec, values });
    else if (spec.dtype === 'int32') throw new Error(`${where}: weight '${spec.name}' is int32; model weights must be float32`);
    else model.set(spec.name, { spec, values });
  }
  return { model, optimizer };
}

/** Copies saved weights into a freshly built model, matching by name and checking every size first. */
function assignWeights(model: Model, byName: Map<string, Decoded>, where: string): void {
  const missing = model.weights.filter((v) => !byName.has(v.name)).map((v) => v.name);
  if (missing.length) {
    throw new Error(`${where}: the weights file lacks ${missing.join(', ')} (it has ${[...byName.keys()].join(', ') || 'none'})`);
  }
  for (const v of model.weights) {
    const { spec } = byName.get(v.name)!;
    if (spec.shape.length !== v.shape.length || spec.shape.some((d, i) => d !== v.shape[i])) {
      throw new Error(`${where}: weight '${v.name}' is ${shapeStr(spec.shape)} in the file but the model needs ${shapeStr(v.shape)}`);
    }
  }
  for (const v of model.weights) {
    const t = tensor(byName.get(v.name)!.values as Float32Array, v.shape);
    v.assign(t, where);
    t.dispose();
  }
}

/**
 * Loads a model saved by simdnn, tfjs or a Keras model converted to the tfjs layers format. A
 * model.json with a trainingConfig comes back compiled, with its optimizer state when it was saved.
 * `options` apply to http(s) and page-relative URLs (see LoadOptions).
 */
export async function loadLayersModel(source: string | IOHandler, options?: LoadOptions): Promise<Model> {
  const where = `loadLayersModel(${typeof source === 'string' ? `'${source}'` : 'handler'})`;
  checkOptions(where, options, LOAD_OPTION_KEYS);
  const handler = getHandler(source, where, options);
  if (!handler.load) throw new Error(`${where}: this handler cannot load`);
  const artifacts = await handler.load();
  // every byte count is checked before the model (and its weights) are allocated
  const weights = decodeWeights(artifacts, where);
  const model = modelFromTopology(artifacts.modelTopology, where);
  try {
    if (artifacts.trainingConfig) compileFromTrainingConfig(model, artifacts.trainingConfig, where);
    assignWeights(model, weights.model, where);
    restoreOptimizerWeights(model, weights.optimizer, where);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
