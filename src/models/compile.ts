// What compile() resolves: the optimizer, and per model output ("head") its loss, loss weight and
// metrics. The logs name them as Keras does: `loss` is the weighted total; with several outputs each
// head adds `<output>_loss` and `<output>_<metric>`.
import { Tensor } from '../tensor';
import { Optimizer } from '../optimizers/optimizer';
import { LossFn } from '../losses';
import { Metric } from '../metrics';

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
