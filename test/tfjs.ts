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
