// What compile() resolves: the optimizer, and per model output ("head") its loss, loss weight and
// metrics. The logs name them as Keras does: `loss` is the weighted total; with several outputs each
// head adds `<output>_loss` and `<output>_<metric>`.
import { Tensor } from '../tensor';
import { Optimizer } from '../optimizers/optimizer';
import { getLoss, LossFn, LossName } from '../losses';
import { getMetric, Metric, MetricFn, MetricName } from '../metrics';
import type { OptimizerName } from '../optimizers/index';
import { Logs } from '../callbacks';

export type LossSpec = LossName | LossFn;
export type MetricSpec = MetricName | Metric | MetricFn;

export interface CompileArgs {
  optimizer: OptimizerName | Optimizer;
  /** One loss for every output, or one per output: an array in output order or a dict by output-layer name. */
  loss: LossSpec | LossSpec[] | Record<string, LossSpec>;
  /**
   * Names ('accuracy', 'mae' …), Metric objects or metric functions (nn.metrics.categoricalAccuracy, or
   * your own (yTrue, yPred) => Tensor, averaged per sample). A list applies to every output; per
   * output give a list of lists or a dict by output-layer name.
   */
  metrics?: MetricSpec | MetricSpec[] | MetricSpec[][] | Record<string, MetricSpec | MetricSpec[]>;
  /** The total loss is Σ lossWeights[i] · loss_i (default 1 each): an array or a dict by output name. */
  lossWeights?: number[] | Record<string, number>;
}

export interface Head {
  /** The output layer's name. */
  output: string;
  loss: LossFn;
  lossName: string;
  /** The metrics as compile() named them (saved in a trainingConfig). */
  metricNames: string[];
  weight: number;
  /** Makes fresh metric accumulators for this head, each with its logs key. */
  metrics: () => Metric[];
}

/** A metric accumulating one head's predictions; `key` is its name in the logs. */
export interface HeadMetric { head: number; key: string; metric: Metric }

const isDict = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as Metric).update !== 'function';

/**
 * A per-output option as one value per output: an array in output order, a dict by output name, or
 * one value for all (`single` tells a single value from a list). `fallback` fills outputs a dict omits.
 */
function perOutput<T>(spec: unknown, outputs: string[], what: string, where: string,
                      single: (v: unknown) => boolean, fallback?: T): T[] {
  const n = outputs.length;
  const list = outputs.map((o) => `'${o}'`).join(', ');
  if (isDict(spec) && !single(spec)) {
    const unknown = Object.keys(spec).find((key) => !outputs.includes(key));
    if (unknown !== undefined) throw new Error(`${where}: ${what} for '${unknown}', which is not an output; the outputs are ${list}`);
    return outputs.map((o) => {
      if (o in spec) return spec[o] as T;
      if (fallback === undefined) throw new Error(`${where}: no ${what} for output '${o}'; the outputs are ${list}`);
      return fallback;
    });
  }
  if (Array.isArray(spec) && !single(spec)) {
    if (spec.length !== n) {
      throw new Error(`${where}: the model has ${n} output${n > 1 ? 's' : ''} (${list}); give a ${what} per output, got ${spec.length}`);
    }
    return spec as T[];
  }
  return outputs.map(() => spec as T);
}

/** Resolves compile's loss, lossWeights and metrics into one head per output. */
export function resolveHeads(args: CompileArgs, outputs: string[], where: string): Head[] {
  const isLoss = (v: unknown) => typeof v === 'string' || typeof v === 'function';
  const losses = perOutput<LossSpec>(args.loss, outputs, 'loss', where, isLoss);
  const weights = args.lossWeights === undefined ? outputs.map(() => 1)
    : perOutput<number>(args.lossWeights, outputs, 'loss weight', where, (v) => typeof v === 'number', 1);
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new Error(`${where}: lossWeights for '${outputs[i]}' must be a finite number, got ${String(w)}`);
  });
  // A flat list of metrics applies to every output; a list of lists or a dict is per output.
  const m = args.metrics ?? [];
  const flat = (v: unknown) => !Array.isArray(v) || !v.some(Array.isArray);
  const metricLists = (isDict(m) || !flat(m) ? perOutput<MetricSpec | MetricSpec[]>(m, outputs, 'metrics list', where, () => false, [])
    : outputs.map(() => m as MetricSpec | MetricSpec[])).map((l) => (Array.isArray(l) ? l : [l]));
  return outputs.map((output, i) => {
    const spec = losses[i];
    const loss = getLoss(spec);
    const lossName = typeof spec === 'string' ? spec : (spec.name || 'custom');
    const specs = metricLists[i];
    for (const s of specs) getMetric(s, lossName); // resolve now, so a bad name fails in compile
    const metricNames = specs.map((s) => (typeof s === 'string' ? s : getMetric(s, lossName).name));
    return { output, loss, lossName, metricNames, weight: weights[i], metrics: () => specs.map((s) => getMetric(s, lossName)) };
  });
}

export class Compiled {
  constructor(readonly optimizer: Optimizer, readonly heads: Head[]) {}

  get multi(): boolean { return this.heads.length > 1; }

  makeMetrics(): HeadMetric[] {
    return this.heads.flatMap((h, head) => h.metrics().map((metric) =>
      ({ head, metric, key: this.multi ? `${h.output}_${metric.name}` : metric.name })));
  }

  /** Per-head loss keys in the logs (none with one output: its loss is `loss`). */
  lossKeys(): string[] { return this.multi ? this.heads.map((h) => `${h.output}_loss`) : []; }

  updateMetrics(metrics: HeadMetric[], ys: Tensor[], preds: Tensor[]): void {
    for (const m of metrics) m.metric.update(ys[m.head], preds[m.head]);
  }
}

/** tfjs logs accuracy as `acc`, Keras as `accuracy`: callbacks and history see both spellings. */
export function withAccuracyAliases(logs: Logs): Logs {
  const out: Logs = { ...logs };
  for (const [key, v] of Object.entries(logs)) {
    const alias = /(^|_)accuracy$/.test(key) ? key.replace(/accuracy$/, 'acc') : /(^|_)acc$/.test(key) ? key.replace(/acc$/, 'accuracy') : null;
    if (alias && !(alias in out)) out[alias] = v;
  }
  return out;
}
