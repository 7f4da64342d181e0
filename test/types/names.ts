// Type tests (checked by `tsc -p test/tsconfig.json`, never run): option values that are closed sets
// of names are literal unions in the published declarations, so a misspelled name fails to compile.
// Every `@ts-expect-error` below must see an error, or the type-check fails ("unused directive").
import { nn } from '../setup';
import type * as pub from '../../build/simdnn.mjs';

export function names(x: nn.Tensor): void {
  // the spellings that are accepted compile
  nn.layers.dense({ units: 1, activation: 'relu', kernelInitializer: 'heNormal', biasInitializer: 'zeros', kernelRegularizer: 'l2' });
  nn.layers.dense({ units: 1, activation: 'leaky_relu', kernelInitializer: 'glorot_uniform', kernelRegularizer: nn.regularizers.l1(0.1) });
  nn.layers.activation({ activation: 'softmax' });
  nn.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'tanh', kernelInitializer: 'GlorotUniform' });
  nn.layers.maxPooling2d({ poolSize: 2, padding: 'valid' });
  nn.activation(x, 'gelu');
  nn.initializers.varianceScaling({ mode: 'fan_avg', distribution: 'uniform' });
  const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['accuracy', 'mae'] });
  m.compile({ optimizer: 'RMSProp', loss: 'categorical_crossentropy', metrics: ['acc'] });
  m.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.1 }), loss: (yTrue, yPred) => nn.mean(nn.square(nn.sub(yTrue, yPred))) });

  // and a typo in any of them does not
  // @ts-expect-error: activation
  nn.layers.dense({ units: 1, activation: 'rlu' });
  // @ts-expect-error: activation of the activation layer
  nn.layers.activation({ activation: 'softmx' });
  // @ts-expect-error: activation op
  nn.activation(x, 'sigmod');
  // @ts-expect-error: initializer
  nn.layers.dense({ units: 1, kernelInitializer: 'glorotUnifrom' });
  // @ts-expect-error: regularizer
  nn.layers.dense({ units: 1, kernelRegularizer: 'l3' });
  // @ts-expect-error: padding
  nn.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'sam' });
  // @ts-expect-error: pooling padding ('full' is a convolution padding only)
  nn.layers.maxPooling2d({ poolSize: 2, padding: 'full' });
  // @ts-expect-error: variance-scaling mode
  nn.initializers.varianceScaling({ mode: 'fanMiddle' });
  // @ts-expect-error: optimizer
  m.compile({ optimizer: 'adma', loss: 'meanSquaredError' });
  // @ts-expect-error: loss
  m.compile({ optimizer: 'adam', loss: 'meanSquareError' });
  // @ts-expect-error: metric
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError', metrics: ['accuracyy'] });
}

export function recurrentNames(): void {
  nn.layers.lstm({ units: 2, activation: 'tanh', recurrentActivation: 'hard_sigmoid' });
  // @ts-expect-error: recurrent activation
  nn.layers.gru({ units: 2, recurrentActivation: 'sigmoud' });
  // @ts-expect-error: activation of a simple RNN
  nn.layers.simpleRNN({ units: 2, activation: 'tahn' });
}

// The published declarations (the tests' `nn` is the internal build, which exposes internals to tests).
export function internalsAndOutputs(x: pub.Tensor, m: pub.Model, ours: typeof pub): void {
  // a multi-output model's predict is typed as an array when asked for one, one tensor by default
  const [a, b]: pub.Tensor[] = m.predict<pub.Tensor[]>(x);
  const one: pub.Tensor = m.predict(x);
  void [a, b, one, m.toJSON(), m.outputShape];
  ours.callbacks.earlyStopping({ monitor: 'val_acc', mode: 'max' });
  // @ts-expect-error: callback mode
  ours.callbacks.earlyStopping({ mode: 'maximum' });
  // internals stay out of the public types
  // @ts-expect-error: a tensor's wasm address
  void x.ptr;
  // @ts-expect-error: the graph executor
  m.execute([x], false);
  // @ts-expect-error: the parameter arena
  void m.arena;
}
