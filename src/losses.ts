// Losses. Each is one fused op: the forward kernel computes the scalar mean loss, the backward
// kernel adds dL/dyPred (assembly/kernels/loss.ts). Reduction as Keras' `sum_over_batch_size`:
// per-sample losses (over the last axis) averaged over every sample. Gradients flow to yPred only.
import { record } from './autograd';
import { Tensor, TensorLike, shapeStr, toTensor } from './tensor';
import { pairShape, sparsePairShape } from './labels';
import { k } from './wasm';
// Kernel kind codes: assembly/kernels/loss.ts's exports (generated at build time).
import { LOSS_MSE as MSE, LOSS_MAE as MAE, LOSS_HUBER as HUBER, LOSS_HINGE as HINGE, LOSS_PERCEPTRON as PERCEPTRON,
  LOSS_BCE as BCE, LOSS_BCE_LOGITS as BCE_LOGITS, LOSS_KLD as KLD } from './kernels.generated';

/**
 * A loss: labels and predictions in, a scalar tensor (the mean over the batch) out. The built-in
 * ones also take per-sample weights (see `weighted`); a function of your own gets them only if it
 * declares a third parameter.
 */
export type LossFn = (yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor) => Tensor;

export interface WeightOptions {
  /**
   * One weight per sample (shape [batch]): the loss is Σ w·ℓ / batch size (Keras' sample_weight with
   * the default `sum_over_batch_size` reduction), where ℓ is each sample's loss.
   */
  sampleWeight?: Tensor;
}

export interface LossOptions extends WeightOptions {
  /** The cross-entropies only: yPred holds logits (pre-softmax/sigmoid scores), handled stably. */
  fromLogits?: boolean;
}

/** The per-sample weights as a [samples] tensor, checked against yPred's batch; null without any. */
function sampleWeights(op: string, w: Tensor | undefined, yPred: Tensor): Tensor | null {
  if (w === undefined || w === null) return null;
  if (!(w instanceof Tensor)) throw new Error(`${op}: sampleWeight must be a Tensor, got ${typeof w}`);
  const batch = yPred.rank === 0 ? 1 : yPred.shape[0];
  if (w.size !== batch || w.rank > 2) {
    throw new Error(`${op}: sampleWeight ${shapeStr(w.shape)} must hold one weight per sample (${batch}) of yPred ${shapeStr(yPred.shape)}`);
  }
  return w;
}


function inputs(op: string, yTrueIn: TensorLike, yPredIn: TensorLike): [Tensor, Tensor] {
  return [toTensor(yTrueIn, op).t, toTensor(yPredIn, op).t];
}

/** A per-element loss: mean over the last axis, then over the samples (kinds up to KLD). */
function elementwiseLoss(op: string, kind: number, yTrueIn: TensorLike, yPredIn: TensorLike, weights?: Tensor): Tensor {
  const [yTrue, yPred] = inputs(op, yTrueIn, yPredIn);
  const { rows } = pairShape(op, yTrue, yPred);
  const w = sampleWeights(op, weights, yPred);
  const n = yPred.size;
  // KL divergence sums over the last axis; the others average over it.
  const scale = n === 0 ? 0 : kind === KLD ? 1 / rows : 1 / n;
  const K = k();
  const binary = kind === HINGE || kind === PERCEPTRON ? K.labels_are_binary(yTrue.ptr, n) : 0;
  const out = Tensor.empty([]);
  if (w) {
    const samples = w.size, per = samples === 0 ? 0 : n / samples;
    K.elementwise_loss_weighted_forward(out.ptr, yTrue.ptr, yPred.ptr, w.ptr, samples, per, kind, binary, scale);
    return record([yPred], out, (dy, [dp]) => {
      if (dp) k().elementwise_loss_weighted_backward(dp.ptr, yTrue.ptr, yPred.ptr, w.ptr, dy.ptr, samples, per, kind, binary, scale);
    });
  }
  K.elementwise_loss_forward(out.ptr, yTrue.ptr, yPred.ptr, n, kind, binary, scale);
  return record([yPred], out, (dy, [dp]) => {
    if (dp) k().elementwise_loss_backward(dp.ptr, yTrue.ptr, yPred.ptr, dy.ptr, n, kind, binary, scale);
  });
}

/** Categorical and sparse categorical cross-entropy: summed over the last axis, averaged over rows. */
function crossentropy(op: string, sparse: boolean, yTrueIn: TensorLike, yPredIn: TensorLike, options: LossOptions): Tensor {
  const [yTrue, yPred] = inputs(op, yTrueIn, yPredIn);
  const { rows, cols } = sparse ? sparsePairShape(op, yTrue, yPred) : pairShape(op, yTrue, yPred);
  const w = sampleWeights(op, options.sampleWeight, yPred);
  const fromLogits = !!options.fromLogits;
  const K = k();
  if (sparse) {
    const bad = K.sparse_labels_check(yTrue.ptr, rows, cols);
    if (bad >= 0) {
      const label = yTrue.dataSync()[bad];
      throw new Error(`${op}: label ${label} in row ${bad} is not a class index in [0, ${cols}) for yPred ${shapeStr(yPred.shape)}`);
    }
  }
  const scale = rows === 0 ? 0 : 1 / rows;
  const s = sparse ? 1 : 0, l = fromLogits ? 1 : 0;
  const out = Tensor.empty([]);
  if (w) {
    const perSample = w.size === 0 ? 1 : rows / w.size;
    K.crossentropy_weighted_forward(out.ptr, yTrue.ptr, yPred.ptr, w.ptr, rows, cols, perSample, s, l, scale);
    return record([yPred], out, (dy, [dp]) => {
      if (dp) k().crossentropy_weighted_backward(dp.ptr, yTrue.ptr, yPred.ptr, w.ptr, dy.ptr, rows, cols, perSample, s, l, scale);
    });
  }
  K.crossentropy_forward(out.ptr, yTrue.ptr, yPred.ptr, rows, cols, s, l, scale);
  return record([yPred], out, (dy, [dp]) => {
    if (dp) k().crossentropy_backward(dp.ptr, yTrue.ptr, yPred.ptr, dy.ptr, rows, cols, s, l, scale);
  });
}

/** mean((yPred − yTrue)²) */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike, options: WeightOptions = {}): Tensor {
  return elementwiseLoss('meanSquaredError', MSE, yTrue, yPred, options.sampleWeight);
}

/** mean(|yPred − yTrue|) */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike, options: WeightOptions = {}): Tensor {
  return elementwiseLoss('meanAbsoluteError', MAE, yTrue, yPred, options.sampleWeight);
}

/** Huber with delta 1: mean of ½e² where |e| ≤ 1, |e| − ½ elsewhere (e = yPred − yTrue). */
export function huber(yTrue: TensorLike, yPred: TensorLike, options: WeightOptions = {}): Tensor {
  return elementwiseLoss('huber', HUBER, yTrue, yPred, options.sampleWeight);
}

/**
 * mean(−y log p − (1−y) log(1−p)), p clipped to [1e-7, 1−1e-7]; with fromLogits, yPred are logits
 * and the loss is max(x,0) − x·y + log(1 + e^−|x|) (no clipping, no overflow).
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  return elementwiseLoss('binaryCrossentropy', options.fromLogits ? BCE_LOGITS : BCE, yTrue, yPred, options.sampleWeight);
}

/**
 * Mean over rows of −Σ y log q. Without fromLogits q = clip(p / Σp, 1e-7, 1−1e-7) (Keras and tfjs
 * normalize each row first); with fromLogits q = softmax(x) computed as x − logSumExp(x).
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  return crossentropy('categoricalCrossentropy', false, yTrue, yPred, options);
}

/** categoricalCrossentropy with integer class labels (stored as floats), shape [B] or [B,1]. */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: LossOptions = {}): Tensor {
  return crossentropy('sparseCategoricalCrossentropy', true, yTrue, yPred, options);
}

/** Mean over rows of Σ y log(y / p), both clipped to [1e-7, 1]. */
export function kullbackLeiblerDivergence(yTrue: TensorLike, yPred: TensorLike, options: WeightOptions = {}): Tensor {
  return elementwiseLoss('kullbackLeiblerDivergence', KLD, yTrue, yPred, options.sampleWeight);
}

/** mean(max(0, 1 − y·ŷ)) with labels ±1; labels that are all 0/1 are mapped to ±1 first (as Keras 3). */
export function hinge(yTrue: TensorLike, yPred: TensorLike, options: WeightOptions = {}): Tensor {
  return elementwiseLoss('hinge', HINGE, yTrue, yPred, options.sampleWeight);
}

/**
 * The perceptron criterion: mean over the batch of max(0, −y·ŷ), labels ±1 (0/1 labels are mapped
 * to ±1 as for hinge). ŷ is the raw score w·x + b — feed the layer before any step/sign, whose
 * gradient is zero. Only misclassified samples contribute, so its gradient is −y·x summed over
 * them: Rosenblatt's update, divided by the batch size. At y·ŷ = 0 the gradient is −y, so a
 * zero-initialized perceptron (every score 0) does start to learn.
 */
export function perceptron(yTrue: TensorLike, yPred: TensorLike, options: WeightOptions = {}): Tensor {
  return elementwiseLoss('perceptron', PERCEPTRON, yTrue, yPred, options.sampleWeight);
}

const byName = {
  meanSquaredError, meanAbsoluteError, huber, binaryCrossentropy, categoricalCrossentropy,
  sparseCategoricalCrossentropy, kullbackLeiblerDivergence, hinge, perceptron,
} satisfies Record<string, (yTrue: Tensor, yPred: Tensor, options: LossOptions) => Tensor>;

const CROSSENTROPIES = new Set(['binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy']);

// Keras (snake_case and short) spellings of the same losses.
const aliases = {
  mse: 'meanSquaredError', MSE: 'meanSquaredError', mean_squared_error: 'meanSquaredError',
  mae: 'meanAbsoluteError', MAE: 'meanAbsoluteError', mean_absolute_error: 'meanAbsoluteError',
  huber_loss: 'huber',
  binary_crossentropy: 'binaryCrossentropy',
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  kld: 'kullbackLeiblerDivergence', KLD: 'kullbackLeiblerDivergence', kl_divergence: 'kullbackLeiblerDivergence',
  kullback_leibler_divergence: 'kullbackLeiblerDivergence', klDivergence: 'kullbackLeiblerDivergence',
} as const satisfies Record<string, keyof typeof byName>;

/** Every loss name compile() accepts: the camelCase names and their Keras spellings. */
export type LossName = keyof typeof byName | keyof typeof aliases;

/** The camelCase name of a loss given in any accepted spelling, or undefined when unknown. */
export function canonicalLossName(name: string): keyof typeof byName | undefined {
  if (Object.prototype.hasOwnProperty.call(byName, name)) return name as keyof typeof byName;
  return Object.prototype.hasOwnProperty.call(aliases, name) ? aliases[name as keyof typeof aliases] : undefined;
}

/**
 * Resolves a loss for compile(): a function is returned as is; a name (camelCase as in API.md, or
 * a Keras alias such as 'mse' or 'categorical_crossentropy') gives its loss with `options` bound.
 */
export function getLoss(loss: string | LossFn, options: LossOptions = {}): LossFn {
  if (typeof loss === 'function') return loss;
  const name = typeof loss === 'string' ? canonicalLossName(loss) : undefined;
  if (!name) {
    throw new Error(`compile: unknown loss '${String(loss)}'; known: ${[...Object.keys(byName), ...Object.keys(aliases)].join(', ')}`);
  }
  if (options.fromLogits && !CROSSENTROPIES.has(name)) {
    throw new Error(`compile: fromLogits applies to the cross-entropy losses only, not to '${loss}'`);
  }
  const fn = byName[name];
  const bound = { ...options };
  return (yTrue, yPred, sampleWeight) => fn(yTrue, yPred, { ...bound, sampleWeight });
}

/** Whether a loss takes per-sample weights: the built-in ones, and functions declaring a third parameter. */
export function takesSampleWeight(loss: LossFn): boolean { return loss.length >= 3; }
