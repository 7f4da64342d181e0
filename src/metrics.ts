// Stateful metrics, accumulated over an epoch: each update() runs one reduction kernel per
// count (assembly/kernels/metric.ts) and adds the returned scalars; result() divides them.
import { Tensor, tidy } from './tensor';
import { k } from './wasm';
// Kernel kind codes: assembly/kernels/metric.ts's exports (generated at build time).
import { METRIC_BINARY_ACC as BINARY_ACC, METRIC_SIGN_ACC as SIGN_ACC, METRIC_CATEGORICAL_ACC as CATEGORICAL_ACC,
  METRIC_SPARSE_ACC as SPARSE_ACC, METRIC_SQUARED_ERROR as SQUARED_ERROR, METRIC_ABS_ERROR as ABS_ERROR,
  METRIC_TRUE_POS as TRUE_POS, METRIC_PRED_POS as PRED_POS, METRIC_ACTUAL_POS as ACTUAL_POS } from './kernels.generated';
import { mean } from './ops/reduce';
import { canonicalLossName, LossFn } from './losses';
import { pairShape, sparsePairShape } from './labels';

export interface Metric {
  /** The key in training logs ('accuracy', 'mse', ...): the name it was asked for by. */
  name: string;
  reset(): void;
  update(yTrue: Tensor, yPred: Tensor): void;
  result(): number;
}

/** A tfjs-style metric function: labels and predictions in, a per-sample (or scalar) value out. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

type Denominator = number | 'elements' | 'rows';

/** numerator / denominator, each summed over the updates since reset(); 0 when nothing was counted. */
class RatioMetric implements Metric {
  private num = 0;
  private den = 0;
  constructor(public name: string, private numer: number, private denom: Denominator,
              private sparse = false, private threshold = 0.5) {}

  reset(): void { this.num = 0; this.den = 0; }

  update(yTrue: Tensor, yPred: Tensor): void {
    const { rows, cols } = this.sparse ? sparsePairShape(this.name, yTrue, yPred) : pairShape(this.name, yTrue, yPred);
    const count = (kind: number) => k().metric_reduce(yTrue.ptr, yPred.ptr, rows, cols, kind, this.threshold) as number;
    this.num += count(this.numer);
    this.den += this.denom === 'elements' ? rows * cols : this.denom === 'rows' ? rows : count(this.denom);
  }

  result(): number { return this.den === 0 ? 0 : this.num / this.den; }
}

export interface ThresholdOptions {
  /** yPred above it counts as the positive class (default 0.5). */
  threshold?: number;
  name?: string;
}

/** Fraction of elements where (yPred > threshold) equals the 0/1 label. */
export function binaryAccuracy(options: ThresholdOptions = {}): Metric {
  return new RatioMetric(options.name ?? 'binaryAccuracy', BINARY_ACC, 'elements', false, options.threshold ?? 0.5);
}

/** Fraction of elements where yPred and a ±1 (or 0/1) label lie on the same side of the threshold (default 0). */
export function signAccuracy(options: ThresholdOptions = {}): Metric {
  return new RatioMetric(options.name ?? 'signAccuracy', SIGN_ACC, 'elements', false, options.threshold ?? 0);
}

/** Fraction of rows where argmax(yPred) equals argmax(yTrue) (one-hot labels). */
export function categoricalAccuracy(options: { name?: string } = {}): Metric {
  return new RatioMetric(options.name ?? 'categoricalAccuracy', CATEGORICAL_ACC, 'rows');
}

/** Fraction of rows where argmax(yPred) equals the integer label. */
export function sparseCategoricalAccuracy(options: { name?: string } = {}): Metric {
  return new RatioMetric(options.name ?? 'sparseCategoricalAccuracy', SPARSE_ACC, 'rows', true);
}

/** Mean squared error over every element seen. */
export function meanSquaredError(options: { name?: string } = {}): Metric {
  return new RatioMetric(options.name ?? 'meanSquaredError', SQUARED_ERROR, 'elements');
}

/** Mean absolute error over every element seen. */
export function meanAbsoluteError(options: { name?: string } = {}): Metric {
  return new RatioMetric(options.name ?? 'meanAbsoluteError', ABS_ERROR, 'elements');
}

/** true positives / predicted positives (yPred > threshold; a label > 0.5 is positive). */
export function precision(options: ThresholdOptions = {}): Metric {
  return new RatioMetric(options.name ?? 'precision', TRUE_POS, PRED_POS, false, options.threshold ?? 0.5);
}

/** true positives / actual positives. */
export function recall(options: ThresholdOptions = {}): Metric {
  return new RatioMetric(options.name ?? 'recall', TRUE_POS, ACTUAL_POS, false, options.threshold ?? 0.5);
}

/**
 * 'accuracy' as Keras resolves it. From the loss when it decides: binary for binaryCrossentropy
 * (threshold 0 on logits), sign agreement for hinge/perceptron (±1 labels, raw scores),
 * sparse for sparseCategoricalCrossentropy, categorical for categoricalCrossentropy/KL divergence.
 * Otherwise from the shapes at the first update, as Keras 3 does: yPred's last axis of 1 → binary;
 * labels of lower rank or with a last axis of 1 → sparse; else categorical.
 */
class AccuracyMetric implements Metric {
  private inner: Metric | null;
  constructor(public name: string, private loss?: string, private fromLogits = false) {
    this.inner = this.fromLoss();
  }

  private fromLoss(): Metric | null {
    const name = this.name;
    switch (this.loss) {
      case 'binaryCrossentropy': return binaryAccuracy({ name, threshold: this.fromLogits ? 0 : 0.5 });
      case 'hinge': case 'perceptron': return signAccuracy({ name });
      case 'sparseCategoricalCrossentropy': return sparseCategoricalAccuracy({ name });
      case 'categoricalCrossentropy': case 'kullbackLeiblerDivergence': return categoricalAccuracy({ name });
      default: return null;
    }
  }

  private fromShapes(yTrue: Tensor, yPred: Tensor): Metric {
    const name = this.name;
    const last = (t: Tensor) => (t.rank === 0 ? 1 : t.shape[t.rank - 1]);
    if (last(yPred) === 1 || yPred.rank <= 1) return binaryAccuracy({ name });
    if (yTrue.rank < yPred.rank || last(yTrue) === 1) return sparseCategoricalAccuracy({ name });
    return categoricalAccuracy({ name });
  }

  reset(): void { this.inner?.reset(); }
  update(yTrue: Tensor, yPred: Tensor): void {
    this.inner ??= this.fromShapes(yTrue, yPred);
    this.inner.update(yTrue, yPred);
  }
  result(): number { return this.inner ? this.inner.result() : 0; }
}

/** accuracy(lossName?): the accuracy that fits the loss (see getMetric). */
export function accuracy(lossName?: string, options: { fromLogits?: boolean; name?: string } = {}): Metric {
  const loss = lossName === undefined ? undefined : canonicalLossName(lossName);
  return new AccuracyMetric(options.name ?? 'accuracy', loss, !!options.fromLogits);
}

const factories = {
  binaryAccuracy: (name) => binaryAccuracy({ name }),
  categoricalAccuracy: (name) => categoricalAccuracy({ name }),
  sparseCategoricalAccuracy: (name) => sparseCategoricalAccuracy({ name }),
  meanSquaredError: (name) => meanSquaredError({ name }),
  meanAbsoluteError: (name) => meanAbsoluteError({ name }),
  precision: (name) => precision({ name }),
  recall: (name) => recall({ name }),
} satisfies Record<string, (name: string) => Metric>;

/** A metric function of your own, averaged over every sample seen. */
class FunctionMetric implements Metric {
  private sum = 0;
  private count = 0;
  constructor(public name: string, private fn: MetricFn) {}
  reset(): void { this.sum = 0; this.count = 0; }
  update(yTrue: Tensor, yPred: Tensor): void {
    const rows = yPred.rank === 0 ? 1 : yPred.shape[0];
    const value = tidy(() => {
      const out = this.fn(yTrue, yPred);
      if (!(out instanceof Tensor)) throw new Error(`metric ${this.name}: must return a Tensor, got ${typeof out}`);
      return mean(out).dataSync()[0];
    });
    this.sum += value * rows;
    this.count += rows;
  }
  result(): number { return this.count === 0 ? 0 : this.sum / this.count; }
}

// The exported factories, so `metrics: [nn.metrics.categoricalAccuracy]` (a tfjs idiom) names them.
const factoryNames = new Map<unknown, keyof typeof factories>([
  [binaryAccuracy, 'binaryAccuracy'], [categoricalAccuracy, 'categoricalAccuracy'],
  [sparseCategoricalAccuracy, 'sparseCategoricalAccuracy'], [meanSquaredError, 'meanSquaredError'],
  [meanAbsoluteError, 'meanAbsoluteError'], [precision, 'precision'], [recall, 'recall'],
]);

const aliases = {
  binary_accuracy: 'binaryAccuracy', categorical_accuracy: 'categoricalAccuracy',
  sparse_categorical_accuracy: 'sparseCategoricalAccuracy',
  mse: 'meanSquaredError', MSE: 'meanSquaredError', mean_squared_error: 'meanSquaredError',
  mae: 'meanAbsoluteError', MAE: 'meanAbsoluteError', mean_absolute_error: 'meanAbsoluteError',
} as const satisfies Record<string, keyof typeof factories>;

/** Every metric name compile() accepts: accuracy (picked from the loss), the named metrics and their Keras spellings. */
export type MetricName = 'accuracy' | 'acc' | keyof typeof factories | keyof typeof aliases;

const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/**
 * Resolves a metric for compile(): a Metric object is returned as is; one of the factories above
 * (tfjs passes `tf.metrics.categoricalAccuracy`) makes its metric; any other function
 * (yTrue, yPred) => Tensor is averaged per sample under its function name; a name gives a fresh Metric
 * whose `name` is that string (the logs key). 'accuracy'/'acc' follow the loss (see accuracy()).
 */
export function getMetric(metric: string | Metric | MetricFn, loss?: string | LossFn, lossOptions: { fromLogits?: boolean } = {}): Metric {
  if (typeof metric === 'object' && metric !== null && typeof metric.update === 'function') return metric;
  if (typeof metric === 'function') {
    if ((metric as unknown) === accuracy) return accuracy(typeof loss === 'string' ? loss : undefined, { fromLogits: lossOptions.fromLogits });
    const name = factoryNames.get(metric);
    return name ? factories[name](name) : new FunctionMetric(metric.name || 'metric', metric);
  }
  if (typeof metric === 'string') {
    if (metric === 'accuracy' || metric === 'acc') {
      return accuracy(typeof loss === 'string' ? loss : undefined, { name: metric, fromLogits: lossOptions.fromLogits });
    }
    const key = has(factories, metric) ? metric as keyof typeof factories
      : has(aliases, metric) ? aliases[metric as keyof typeof aliases] : undefined;
    if (key) return factories[key](metric);
  }
  throw new Error(`compile: unknown metric '${String(metric)}'; known: accuracy, acc, ` +
    `${[...Object.keys(factories), ...Object.keys(aliases)].join(', ')}`);
}

