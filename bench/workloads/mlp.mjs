// mlp-train / mlp-infer: Dense 784→128 ReLU → Dense 128→128 ReLU → Dense 128→10 softmax.
// Training: categorical cross-entropy, Adam (1e-3, 0.9, 0.999, 1e-7), batch 64, one timed epoch =
// one fit() call over 60 batches (3840 samples), no shuffling, metrics or validation.
// Inference: predict 4096 samples in batches of 256, then read back the [4096, 10] output.
import { uniform, oneHot } from '../data.mjs';
import { buildModel, predictJob } from './common.mjs';

function layersOf(lib, kind) {
  const L = lib.layers;
  const init = kind === 'simdnn' ? {} : { kernelInitializer: lib.initializers.glorotUniform({ seed: 1 }) };
  return [
    L.dense({ units: 128, activation: 'relu', inputShape: [784], ...init }),
    L.dense({ units: 128, activation: 'relu', ...init }),
    L.dense({ units: 10, activation: 'softmax', ...init }),
  ];
}

const build = (ctx) => buildModel(ctx, layersOf);

const train = {
  name: 'mlp-train', metric: 'train samples/s', unit: 'samples/s',
  prepare(ctx) {
    const n = 3840;
    const { model, tensor } = build(ctx);
    const x = tensor(uniform(n * 784, 21), [n, 784]), y = tensor(oneHot(n, 10, 22), [n, 10]);
    const fitArgs = { epochs: 1, batchSize: 64, shuffle: false, verbose: 0, yieldEvery: 'never' };
    const xb = tensor(uniform(64 * 784, 21), [64, 784]), yb = tensor(oneHot(64, 10, 22), [64, 10]);
    return {
      warmup: () => model.trainOnBatch(xb, yb),
      run: () => model.fit(x, y, fitArgs),
      reps: () => 3,
      value: (ms) => n / (ms / 1000),
      notes: 'model.fit, 1 epoch of 60 batches of 64, loss only',
      dispose() { x.dispose(); y.dispose(); xb.dispose(); yb.dispose(); },
    };
  },
};

const infer = {
  name: 'mlp-infer', metric: 'infer samples/s', unit: 'samples/s',
  prepare(ctx) {
    const n = 4096;
    const { model, tensor } = build(ctx);
    return predictJob(model, tensor(uniform(n * 784, 23), [n, 784]), n);
  },
};

export const workloads = [train, infer];
