// lstm-train / gru-train / lstm-infer (shared/WORKLOADS.md): sequences [n, 32, 64], one-hot per step
// → LSTM or GRU 128 units (tanh, recurrent sigmoid, zero biases; LSTM unitForgetBias false and
// glorot-uniform recurrent kernels as the tfjs harness; GRU resetAfter false, the only GRU tfjs has)
// returning the last h → Dense 128→64 softmax. Training: categorical cross-entropy, Adam (1e-3, 0.9,
// 0.999, 1e-7), batch 32, one timed epoch = one fit() call over 20 batches (640 sequences).
// Inference: predict 512 sequences in batches of 128, then read back the [512, 64] output.
import { mulberry32, oneHot } from '../data.mjs';

const T = 32, FEATURES = 64, UNITS = 128, CLASSES = 64;

/** Each (sample, step) one-hot over the features at floor(r()·64), row-major. */
function sequences(n, seed) {
  const r = mulberry32(seed);
  const out = new Float32Array(n * T * FEATURES);
  for (let i = 0; i < n * T; i++) out[i * FEATURES + Math.floor(r() * FEATURES)] = 1;
  return out;
}

function build(ctx, cell) {
  const lib = ctx.kind === 'simdnn' ? ctx.nn : ctx.tfl;
  const glorot = (seed) => (ctx.kind === 'simdnn' ? 'glorotUniform' : lib.initializers.glorotUniform({ seed }));
  const rnnArgs = {
    units: UNITS, activation: 'tanh', recurrentActivation: 'sigmoid', returnSequences: false, inputShape: [T, FEATURES],
    kernelInitializer: glorot(1), recurrentInitializer: glorot(2), biasInitializer: 'zeros',
    ...(cell === 'lstm' ? { unitForgetBias: false } : { resetAfter: false }),
  };
  if (ctx.kind === 'simdnn') ctx.nn.setSeed(1);
  const L = lib.layers;
  const layers = [cell === 'lstm' ? L.lstm(rnnArgs) : L.gru(rnnArgs), L.dense({ units: CLASSES, activation: 'softmax', kernelInitializer: glorot(3) })];
  const model = lib.sequential({ layers });
  const adam = ctx.kind === 'simdnn'
    ? ctx.nn.optimizers.adam({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 })
    : ctx.tf.train.adam(1e-3, 0.9, 0.999, 1e-7);
  model.compile({ optimizer: adam, loss: 'categoricalCrossentropy' });
  const tensor = ctx.kind === 'simdnn' ? (d, s) => ctx.nn.tensor(d, s) : (d, s) => ctx.tf.tensor(d, s);
  return { model, tensor };
}

const train = (cell) => ({
  name: `${cell}-train`, metric: 'train samples/s', unit: 'samples/s',
  prepare(ctx) {
    const n = 640, batch = 32;
    const { model, tensor } = build(ctx, cell);
    const x = tensor(sequences(n, 41), [n, T, FEATURES]), y = tensor(oneHot(n, CLASSES, 42), [n, CLASSES]);
    const xb = tensor(sequences(batch, 41), [batch, T, FEATURES]), yb = tensor(oneHot(batch, CLASSES, 42), [batch, CLASSES]);
    const fitArgs = { epochs: 1, batchSize: batch, shuffle: false, verbose: 0, yieldEvery: 'never' };
    let reduced = '';
    return {
      warmup: () => model.trainOnBatch(xb, yb),
      run: () => model.fit(x, y, fitArgs),
      // Three epochs, or one when three would not fit the 2-minute limit (a slow backend, a busy machine).
      reps: (warmMs) => {
        if (warmMs * 20 * 3 < 80_000) return 3;
        reduced = `; REDUCED: 1 timed epoch (a warm-up batch took ${Math.round(warmMs)} ms)`;
        return 1;
      },
      value: (ms) => n / (ms / 1000),
      get notes() {
        return `model.fit, 1 epoch of 20 batches of ${batch}, ${cell === 'lstm' ? 'LSTM' : 'GRU (resetAfter false)'} 128 units, loss only${reduced}`;
      },
      dispose() { for (const t of [x, y, xb, yb]) t.dispose(); },
    };
  },
});

const infer = {
  name: 'lstm-infer', metric: 'infer samples/s', unit: 'samples/s',
  prepare(ctx) {
    const n = 512;
    const { model, tensor } = build(ctx, 'lstm');
    const x = tensor(sequences(n, 43), [n, T, FEATURES]);
    return {
      run: () => { const y = model.predict(x, { batchSize: 128 }); y.dataSync(); y.dispose(); },
      reps: () => 5,
      value: (ms) => n / (ms / 1000),
      notes: 'model.predict batchSize 128 + dataSync',
      dispose() { x.dispose(); },
    };
  },
};

export const workloads = [train('lstm'), train('gru'), infer];
