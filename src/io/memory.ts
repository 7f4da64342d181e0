// nn.io.memory() (saves and loads in memory) and nn.io.fromMemory (tfjs': loads what the caller holds).
import { IOHandler, ModelArtifacts, SaveResult, WeightSpec, saveResult } from './artifacts';
import { toArrayBuffer } from './weights';

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
