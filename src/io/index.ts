// loadLayersModel(source) in the tfjs layers format; saving lives in save.ts.
import { Model } from '../models/model';
import { tensor, shapeStr, sizeOf } from '../tensor';
import { modelFromTopology } from './from-topology';
import { getHandler, IOHandler, ModelArtifacts, WeightSpec } from './handlers';

export { memory, MemoryHandler } from './handlers';
export { saveModel, modelArtifacts } from './save';
export type { IOHandler, ModelArtifacts, SaveResult, WeightSpec } from './handlers';

/** Copies saved weights into a freshly built model, matching by name and checking every size. */
function assignWeights(model: Model, a: ModelArtifacts, where: string): void {
  const expectedBytes = a.weightSpecs.reduce((n, s) => n + sizeOf(s.shape) * 4, 0);
  if (a.weightData.byteLength !== expectedBytes) {
    throw new Error(`${where}: the weights data has ${a.weightData.byteLength} bytes but the manifest describes ${expectedBytes} ` +
      '(a truncated or mismatched weights file)');
  }
  const byName = new Map<string, { spec: WeightSpec; offset: number }>();
  let offset = 0;
  for (const spec of a.weightSpecs) {
    if (spec.dtype && spec.dtype !== 'float32') throw new Error(`${where}: weight '${spec.name}' has dtype ${spec.dtype}; only float32 is supported`);
    byName.set(spec.name, { spec, offset });
    offset += sizeOf(spec.shape) * 4;
  }
  const missing = model.weights.filter((v) => !byName.has(v.name)).map((v) => v.name);
  if (missing.length) {
    throw new Error(`${where}: the weights file lacks ${missing.join(', ')} (it has ${[...byName.keys()].join(', ') || 'none'})`);
  }
  for (const v of model.weights) {
    const { spec, offset: at } = byName.get(v.name)!;
    if (spec.shape.length !== v.shape.length || spec.shape.some((d, i) => d !== v.shape[i])) {
      throw new Error(`${where}: weight '${v.name}' is ${shapeStr(spec.shape)} in the file but the model needs ${shapeStr(v.shape)}`);
    }
    const t = tensor(new Float32Array(a.weightData, at, v.value.size), v.shape);
    v.assign(t, where);
    t.dispose();
  }
}

/** Loads a model saved by simdnn, tfjs or a Keras model converted to the tfjs layers format. */
export async function loadLayersModel(source: string | IOHandler): Promise<Model> {
  const where = `loadLayersModel(${typeof source === 'string' ? `'${source}'` : 'handler'})`;
  const handler = getHandler(source, where);
  if (!handler.load) throw new Error(`${where}: this handler cannot load`);
  const artifacts = await handler.load();
  const model = modelFromTopology(artifacts.modelTopology, where);
  try {
    assignWeights(model, artifacts, where);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
