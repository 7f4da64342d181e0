// Model → tfjs `modelTopology` (Keras JSON): Sequential and functional graphs.
import type { Layer, SymbolicTensor } from '../layers/layer';
import type { Model } from '../models/model';
import { toPythonic } from './pythonic';

export const KERAS_VERSION = 'tfjs-layers 4.22.0';

function layerJSON(l: Layer): Record<string, unknown> {
  return { class_name: l.className, config: toPythonic(l.getConfig()) };
}

export function modelTopology(model: Model): Record<string, unknown> {
  if (model.className === 'Sequential') {
    const layers = model.layers.map(layerJSON);
    const first = layers[0]?.config as Record<string, unknown> | undefined;
    const inShape = model.inputs[0]?.shape;
    if (first && inShape) first.batch_input_shape = inShape;
    return { class_name: 'Sequential', config: { name: model.name, layers }, keras_version: KERAS_VERSION, backend: 'tensor_flow.js' };
  }
  // Functional: each layer with the symbolic tensors it was applied to (its inbound nodes).
  // A node is one call of a layer; the symbolic outputs of one call share its `inputs` array, and a
  // reference to a tensor is [layer name, node index, output index].
  const nodeOf = new Map<SymbolicTensor[], [string, number]>();
  const ref = (s: SymbolicTensor) => [...nodeOf.get(s.inputs)!, s.outputIndex];
  const seen = new Set<number>();
  const nodeCount = new Map<Layer, number>();
  const entries = new Map<Layer, { name: string; class_name: string; config: unknown; inbound_nodes: unknown[] }>();
  const order: Layer[] = [];
  const visit = (s: SymbolicTensor) => {
    if (seen.has(s.id)) return;
    seen.add(s.id);
    s.inputs.forEach(visit);
    if (nodeOf.has(s.inputs)) return;
    const l = s.sourceLayer!;
    const n = nodeCount.get(l) ?? 0;
    nodeCount.set(l, n + 1);
    nodeOf.set(s.inputs, [l.name, n]);
    if (!entries.has(l)) {
      entries.set(l, { name: l.name, ...layerJSON(l), inbound_nodes: [] } as any);
      order.push(l);
    }
    if (s.inputs.length) {
      entries.get(l)!.inbound_nodes.push(s.inputs.map((p) => [...ref(p), {}]));
    }
  };
  model.inputs.forEach(visit);
  model.outputs.forEach(visit);
  return {
    class_name: 'Model',
    config: {
      name: model.name,
      layers: order.map((l) => entries.get(l)),
      input_layers: model.inputs.map(ref),
      output_layers: model.outputs.map(ref),
    },
    keras_version: KERAS_VERSION,
    backend: 'tensor_flow.js',
  };
}

