// What a model.json written here holds that TensorFlow.js 4.22 cannot load: layer classes and
// activations tfjs-layers has no class for, options only simdnn knows (straightThrough, padding
// 'full', strides with dilation), and optimizers or
// learning-rate schedules tfjs-core cannot rebuild. save() warns with this list.
import { toCamel } from './pythonic';

/** Layer classes tfjs-layers 4.22 registers (its SerializationMap). */
const TFJS_LAYERS = new Set(('Activation Add AlphaDropout Average AveragePooling1D AveragePooling2D AveragePooling3D ' +
  'BatchNormalization Bidirectional CategoryEncoding CenterCrop Concatenate Conv1D Conv2D Conv2DTranspose Conv3D Conv3DTranspose ' +
  'ConvLSTM2D Cropping2D Dense DepthwiseConv2D Dot Dropout ELU Embedding Flatten GRU GaussianDropout GaussianNoise ' +
  'GlobalAveragePooling1D GlobalAveragePooling2D GlobalMaxPooling1D GlobalMaxPooling2D InputLayer LSTM LayerNormalization ' +
  'LeakyReLU Masking MaxPooling1D MaxPooling2D MaxPooling3D Maximum Minimum Multiply PReLU Permute RNN ReLU RepeatVector ' +
  'Rescaling Reshape Resizing SeparableConv2D SimpleRNN Softmax SpatialDropout1D ThresholdedReLU TimeDistributed UpSampling2D ' +
  'ZeroPadding2D').split(' '));

/** Activation identifiers tfjs-layers 4.22 resolves (after its snake → camel conversion). */
const TFJS_ACTIVATIONS = new Set('linear relu relu6 elu selu sigmoid hardSigmoid softplus softsign tanh softmax logSoftmax swish mish gelu gelu_new'.split(' '));

// tfjs' Adamax has no setWeights, so it cannot take back saved optimizer state
const TFJS_PADDINGS = new Set(['valid', 'same', 'causal']);

const TFJS_OPTIMIZERS = new Set(['SGD', 'Momentum', 'Adagrad', 'Adadelta', 'RMSProp', 'Adam']);

/** Human-readable reasons tfjs would refuse these artifacts; empty when it loads them. */
export function tfjsCannotLoad(topology: unknown, trainingConfig?: Record<string, unknown>): string[] {
  const found = new Set<string>();
  const visitLayer = (lj: any) => {
    if (!lj || typeof lj !== 'object') return;
    const cls = lj.class_name, cfg = lj.config ?? {};
    const name = cfg.name ?? lj.name ?? cls;
    if (cls === 'Sequential' || cls === 'Model' || cls === 'Functional') {
      for (const l of (Array.isArray(cfg) ? cfg : cfg.layers) ?? []) visitLayer(l);
      return;
    }
    if (typeof cls === 'string' && !TFJS_LAYERS.has(cls)) found.add(`the ${cls} layer (${name})`);
    for (const key of ['activation', 'recurrent_activation', 'output_activation']) {
      const act = cfg[key];
      if (typeof act === 'string' && !TFJS_ACTIVATIONS.has(toCamel(act)) && !TFJS_ACTIVATIONS.has(act)) found.add(`the '${act}' activation (${name})`);
    }
    if (cfg.straight_through) found.add(`straightThrough (${name})`);
    if (typeof cfg.padding === 'string' && !TFJS_PADDINGS.has(cfg.padding)) found.add(`padding '${cfg.padding}' (${name})`);
    const above1 = (v: unknown) => (Array.isArray(v) ? v : [v]).some((d) => typeof d === 'number' && d > 1);
    if (above1(cfg.strides) && above1(cfg.dilation_rate)) found.add(`strides and dilationRate both above 1 (${name})`);
    if (cls === 'GRU' && cfg.reset_after) found.add(`resetAfter true (${name}; tfjs has only the reset-before GRU)`);
    if (cfg.layer) visitLayer(cfg.layer); // Bidirectional, TimeDistributed
  };
  visitLayer((topology as any)?.model_config ?? topology);
  const oc = (trainingConfig as any)?.optimizer_config;
  if (oc) {
    if (!TFJS_OPTIMIZERS.has(oc.class_name)) found.add(`the ${oc.class_name} optimizer`);
    if (oc.config?.learningRate && typeof oc.config.learningRate === 'object') found.add('a learning-rate schedule');
  }
  return [...found];
}
