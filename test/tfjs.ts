// TensorFlow.js on its cpu backend, the reference that layers, losses and optimizers are compared with.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

let readyPromise: Promise<void> | null = null;

export async function tfReady(): Promise<{ tf: typeof tf; tfl: typeof tfl }> {
  readyPromise ??= tf.setBackend('cpu').then(() => tf.ready());
  await readyPromise;
  return { tf, tfl };
}

export { tf, tfl };

/** A tfjs IO handler that keeps what is saved, or serves given artifacts. */
export function tfMemory(artifacts?: any) {
  const h: any = {
    artifacts,
    async save(a: any) { h.artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; },
    async load() { return h.artifacts; },
  };
  return h;
}
