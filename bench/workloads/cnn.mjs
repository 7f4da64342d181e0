// cnn-train / cnn-infer: LeNet-5 style on [28, 28, 1] NHWC inputs —
// Conv2D 6 5×5 same ReLU → MaxPool 2×2/2 → Conv2D 16 5×5 valid ReLU → MaxPool 2×2/2 → Flatten (400)
// → Dense 120 ReLU → Dense 84 ReLU → Dense 10 softmax.
// Training: categorical cross-entropy, Adam (1e-3, 0.9, 0.999, 1e-7), batch 64, one timed epoch =
// one fit() call over 20 batches (1280 samples), no shuffling, metrics or validation.
// Inference: predict 1024 samples in batches of 256, then read back the [1024, 10] output.
// tfjs-backend-cpu trains at a few samples/s: it times 1 batch of the same size, once (REDUCED).
import { uniform, oneHot } from '../data.mjs';
import { buildModel, predictJob } from './common.mjs';

function layersOf(lib, kind) {
  const L = lib.layers;
  const init = kind === 'simdnn' ? {} : { kernelInitializer: lib.initializers.glorotUniform({ seed: 1 }) };
  return [
    L.conv2d({ filters: 6, kernelSize: 5, strides: 1, padding: 'same', activation: 'relu', inputShape: [28, 28, 1], ...init }),
    L.maxPooling2d({ poolSize: 2, strides: 2 }),
    L.conv2d({ filters: 16, kernelSize: 5, strides: 1, padding: 'valid', activation: 'relu', ...init }),
    L.maxPooling2d({ poolSize: 2, strides: 2 }),
    L.flatten(),
    L.dense({ units: 120, activation: 'relu', ...init }),
    L.dense({ units: 84, activation: 'relu', ...init }),
    L.dense({ units: 10, activation: 'softmax', ...init }),
  ];
}

const build = (ctx) => buildModel(ctx, layersOf);

const slowCpu = (ctx) => ctx.kind === 'tfjs' && ctx.tf.getBackend() === 'cpu';

const train = {
  name: 'cnn-train', metric: 'train samples/s', unit: 'samples/s',
  prepare(ctx) {
    const batches = slowCpu(ctx) ? 1 : 20, reps = slowCpu(ctx) ? 1 : 3;
    const n = 64 * batches;
    const { model, tensor } = build(ctx);
    const x = tensor(uniform(1280 * 784, 31).subarray(0, n * 784), [n, 28, 28, 1]);
    const y = tensor(oneHot(1280, 10, 32).subarray(0, n * 10), [n, 10]);
    const fitArgs = { epochs: 1, batchSize: 64, shuffle: false, verbose: 0, yieldEvery: 'never' };
    const xb = tensor(uniform(64 * 784, 31), [64, 28, 28, 1]), yb = tensor(oneHot(64, 10, 32), [64, 10]);
    return {
      warmup: () => model.trainOnBatch(xb, yb),
      run: () => model.fit(x, y, fitArgs),
      reps: () => reps,
      value: (ms) => n / (ms / 1000),
      notes: `model.fit, 1 epoch of ${batches} batches of 64, loss only` + (batches < 20
        ? `; REDUCED: ${batches} of the 20 batches per epoch (same batch size) and ${reps} timed epoch, to stay under 2 minutes` : ''),
      dispose() { x.dispose(); y.dispose(); xb.dispose(); yb.dispose(); },
    };
  },
};

const infer = {
  name: 'cnn-infer', metric: 'infer samples/s', unit: 'samples/s',
  prepare(ctx) {
    const n = 1024;
    const { model, tensor } = build(ctx);
    return predictJob(model, tensor(uniform(n * 784, 33), [n, 28, 28, 1]), n);
  },
};

export const workloads = [train, infer];
