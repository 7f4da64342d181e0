// tfjs `modelTopology` (Keras JSON) → an uncompiled model: Sequential and functional graphs.
import { Layer, SymbolicTensor, input } from '../layers/layer';
import { Model } from '../models/model';
import { Sequential } from '../models/sequential';
import { fromPythonic } from './pythonic';
import { layerClasses } from './registry';

function makeLayer(json: any, where: string): Layer {
  const className = json?.class_name ?? json?.className;
  const ctor = layerClasses[className];
  if (!ctor) throw new Error(`${where}: unknown layer class '${className}'; supported: ${Object.keys(layerClasses).join(', ')}`);
  return ctor(fromPythonic(json.config ?? {}) as Record<string, any>);
}

/** Builds an (uncompiled) model from a tfjs/Keras modelTopology. */
export function modelFromTopology(topology: any, where = 'loadLayersModel'): Model {
  const top = topology?.model_config ?? topology;
  const cls = top?.class_name;
  const cfg = top?.config;
  if (cls === 'Sequential') {
    const layersJSON: any[] = Array.isArray(cfg) ? cfg : cfg?.layers;
    if (!Array.isArray(layersJSON)) throw new Error(`${where}: Sequential topology has no layer list`);
    const layers = layersJSON.filter((j) => j.class_name !== 'InputLayer').map((j) => makeLayer(j, where));
    const inputJSON = layersJSON.find((j) => j.class_name === 'InputLayer');
    const model = new Sequential({ name: cfg?.name });
    if (inputJSON && !layers[0]?.batchInputShape) {
      const shape = inputJSON.config.batch_input_shape ?? inputJSON.config.batch_shape;
      for (const l of layers) model.add(l);
      model.build(shape.slice(1));
    } else for (const l of layers) model.add(l);
    return model;
  }
  if (cls === 'Model' || cls === 'Functional') {
    // Per layer, per node, its output tensors (several for an RNN with returnState); a reference is
    // [layer name, node index, tensor index].
    const outputsOf = new Map<string, SymbolicTensor[][]>();
    const tensorAt = ([name, nodeIdx, tensorIdx = 0]: [string, number, number?], user: string) => {
      const t = outputsOf.get(name)?.[nodeIdx]?.[tensorIdx];
      if (!t) throw new Error(`${where}: ${user} takes input from unknown node ${name}[${nodeIdx}][${tensorIdx}]`);
      return t;
    };
    for (const lj of cfg.layers as any[]) {
      if (lj.class_name === 'InputLayer') {
        const c = lj.config;
        outputsOf.set(lj.name, [[input({ batchShape: c.batch_input_shape ?? c.batch_shape, name: lj.name })]]);
        continue;
      }
      const layer = makeLayer(lj, where);
      const outs: SymbolicTensor[][] = [];
      for (const node of lj.inbound_nodes as any[]) {
        const args = node.map((ref: [string, number, number?]) => tensorAt(ref, `layer '${lj.name}'`));
        const out = layer.apply(args.length === 1 ? args[0] : args) as SymbolicTensor | SymbolicTensor[];
        outs.push(Array.isArray(out) ? out : [out]);
      }
      outputsOf.set(lj.name, outs);
    }
    const pick = (refs: any[]) => refs.map((ref) => tensorAt(ref, 'the model'));
    return new Model({ inputs: pick(cfg.input_layers), outputs: pick(cfg.output_layers), name: cfg.name });
  }
  throw new Error(`${where}: unsupported model class '${cls}' (expected Sequential or Model)`);
}

