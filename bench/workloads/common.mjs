// What the model workloads share: building the compiled model in either library, and the
// inference job of the *-infer workloads.

/**
 * A sequential model of `layersOf(lib, kind)`, compiled with categorical cross-entropy and Adam
 * (1e-3, 0.9, 0.999, 1e-7 as in tfjs/Keras), for the library in ctx; `tensor(data, shape)` makes its inputs.
 */
export function buildModel(ctx, layersOf) {
  if (ctx.kind === 'simdnn') {
    const { nn } = ctx;
    nn.setSeed(1);
    const model = nn.sequential({ layers: layersOf(nn, 'simdnn') });
    model.compile({ optimizer: nn.optimizers.adam({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }), loss: 'categoricalCrossentropy' });
    return { model, tensor: (d, s) => nn.tensor(d, s) };
  }
  const { tf, tfl } = ctx;
  const model = tfl.sequential({ layers: layersOf(tfl, 'tfjs') });
  model.compile({ optimizer: tf.train.adam(1e-3, 0.9, 0.999, 1e-7), loss: 'categoricalCrossentropy' });
  return { model, tensor: (d, s) => tf.tensor(d, s) };
}

/** Predict n samples (`x`, built outside the timed region) in batches of 256, then read the output back. */
export function predictJob(model, x, n) {
  return {
    run() { const y = model.predict(x, { batchSize: 256 }); y.dataSync(); y.dispose(); },
    reps: () => 5,
    value: (ms) => n / (ms / 1000),
    notes: 'model.predict batchSize 256 + dataSync',
    dispose() { x.dispose(); },
  };
}
