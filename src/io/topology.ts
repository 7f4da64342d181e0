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
  const nodeIndex = new Map<number, [string, number]>();
  const nodeCount = new Map<Layer, number>();
  const entries = new Map<Layer, { name: string; class_name: string; config: unknown; inbound_nodes: unknown[] }>();
  const order: Layer[] = [];
  const visit = (s: SymbolicTensor) => {
    if (nodeIndex.has(s.id)) return;
    s.inputs.forEach(visit);
    const l = s.sourceLayer!;
    const n = nodeCount.get(l) ?? 0;
    nodeCount.set(l, n + 1);
    nodeIndex.set(s.id, [l.name, n]);
    if (!entries.has(l)) {
      entries.set(l, { name: l.name, ...layerJSON(l), inbound_nodes: [] } as any);
      order.push(l);
    }
    if (s.inputs.length) {
      entries.get(l)!.inbound_nodes.push(s.inputs.map((p) => [...nodeIndex.get(p.id)!, 0, {}]));
    }
  };
  model.inputs.forEach(visit);
  model.outputs.forEach(visit);
  return {
    class_name: 'Model',
    config: {
      name: model.name,
      layers: order.map((l) => entries.get(l)),
      input_layers: model.inputs.map((s) => [...nodeIndex.get(s.id)!, 0]),
      output_layers: model.outputs.map((s) => [...nodeIndex.get(s.id)!, 0]),
    },
    keras_version: KERAS_VERSION,
    backend: 'tensor_flow.js',
  };
}

