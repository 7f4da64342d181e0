// model.save(destination): the tfjs layers format artifacts of a model, handed to a handler.
import type { Model } from '../models/model';
import { modelTopology } from './topology';
import { getHandler, IOHandler, ModelArtifacts, SaveResult, WeightSpec } from './handlers';

export const GENERATED_BY = 'simdnn 0.1.0';

export function modelArtifacts(model: Model): ModelArtifacts {
  const weights = model.weights;
  const total = weights.reduce((n, v) => n + v.value.size, 0);
  const data = new Float32Array(total);
  const weightSpecs: WeightSpec[] = [];
  let at = 0;
  for (const v of weights) {
    data.set(v.value.dataSync(), at);
    at += v.value.size;
    weightSpecs.push({ name: v.name, shape: v.shape.slice(), dtype: 'float32' });
  }
  return { modelTopology: modelTopology(model), weightSpecs, weightData: data.buffer, format: 'layers-model', generatedBy: GENERATED_BY, convertedBy: null };
}

export async function saveModel(model: Model, destination: string | IOHandler): Promise<SaveResult> {
  const handler = getHandler(destination, `${model.name}.save`);
  if (!handler.save) throw new Error(`${model.name}.save: this destination can only load`);
  return handler.save(modelArtifacts(model));
}

