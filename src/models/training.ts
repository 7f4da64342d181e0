// The training and evaluation loops behind Model.fit / fitDataset / evaluate: one optimizer step,
// the loss with its regularization penalties, epochs with callbacks, progress and history.
import { Tensor, tidy } from '../tensor';
import { withTape } from '../autograd';
import { collectLayerLosses } from '../layers/layer';
import { add, mul } from '../ops/elementwise';
import { scalar } from '../tensor';
import { Callback, CallbackHooks, CallbackList, Logs } from '../callbacks';
import { Progress } from '../progress';
import type { Model } from './model';
import { HeadMetric, withAccuracyAliases } from './compile';
import { AnyIterator, Batch, BatchLike, batchRows } from './data';
import type { YieldEvery } from './args';

export class History {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};
  constructor(readonly params: Record<string, unknown>) {}
  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, v] of Object.entries(logs)) (this.history[key] ??= []).push(v);
  }
}

/** The options fit and fitDataset share with the loop. */
export interface LoopArgs {
  callbacks?: CallbackHooks | CallbackHooks[];
  verbose?: 0 | 1 | 2;
  initialEpoch?: number;
  /**
   * How often training hands the thread back to the event loop, so a page stays responsive and
   * timers run (tfjs' yieldEvery): 'auto' (default) every 50 ms, 'batch' after every batch,
   * 'epoch' after every epoch, 'never', or a number of milliseconds. Callbacks that return a
   * promise are awaited whatever this is.
   */
  yieldEvery?: YieldEvery;
}

const nextTask = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * The model's loss on a batch: the compiled losses (weighted per output) plus weight and activity
 * regularization penalties, as a scalar tensor; each output's own loss; and the predictions.
 */
function forwardLoss(model: Model, b: Batch, training: boolean): { total: Tensor; parts: Tensor[]; preds: Tensor[] } {
  const heads = model.compiled!.heads;
  const { value: preds, losses } = collectLayerLosses(() => model.execute(b.xs, training));
  const parts = heads.map((h, i) => h.loss(b.ys[i], preds[i], b.sw));
  let total = parts.map((p, i) => (heads[i].weight === 1 ? p : mul(p, scalar(heads[i].weight)))).reduce((a, p) => add(a, p));
  for (const v of model.trainableWeights) if (v.regularizer) total = add(total, v.regularizer.apply(v.value));
  for (const penalty of losses) total = add(total, penalty);
  return { total, parts, preds };
}

/** The loss logs of one batch: `loss`, and `<output>_loss` per output when there are several. */
function lossLogs(model: Model, total: Tensor, parts: Tensor[]): Logs {
  const logs: Logs = { loss: total.dataSync()[0] };
  model.compiled!.lossKeys().forEach((key, i) => { logs[key] = parts[i].dataSync()[0]; });
  return logs;
}

/** One optimizer step on a batch, feeding the metrics; returns its loss logs. Everything it allocates is freed. */
export function trainStep(model: Model, b: Batch, metrics: HeadMetric[]): Logs {
  model.packParameters(); // a layer frozen or unfrozen since the last step (e.g. in a callback)
  const arena = model.arena!;
  const compiled = model.compiled!;
  return tidy(() => {
    arena.zeroGrads();
    let out!: ReturnType<typeof forwardLoss>;
    const tape = withTape(() => { out = forwardLoss(model, b, true); return out.total; }, true);
    tape.backward([]);
    // (nothing to update when every weight is frozen: the step still computes the loss and moving statistics)
    if (arena.size > 0) compiled.optimizer.applyGradients(arena.params.ptr, arena.grads.ptr, arena.size, arena.segments);
    compiled.updateMetrics(metrics, b.ys, out.preds); // off the tape: metric functions record nothing
    return lossLogs(model, out.total, out.parts);
  });
}

/** Loss logs of one batch in inference mode, updating the metrics. */
function evalStep(model: Model, b: Batch, metrics: HeadMetric[]): Logs {
  return tidy(() => {
    const { total, parts, preds } = forwardLoss(model, b, false);
    model.compiled!.updateMetrics(metrics, b.ys, preds);
    return lossLogs(model, total, parts);
  });
}

/** Sums of per-batch logs weighted by batch size, for epoch averages. */
class LogMeans {
  private sums: Logs = {};
  private n = 0;
  add(logs: Logs, count: number): void {
    for (const [key, v] of Object.entries(logs)) this.sums[key] = (this.sums[key] ?? 0) + v * count;
    this.n += count;
  }
  get seen(): number { return this.n; }
  means(metrics: HeadMetric[]): Logs {
    const logs: Logs = {};
    for (const [key, v] of Object.entries(this.sums)) logs[key] = v / this.n;
    for (const m of metrics) logs[m.key] = m.metric.result();
    return logs;
  }
}

/** Loss and metrics over tensors in inference mode, batch by batch. */
export function evaluateTensors(model: Model, data: Batch, batchSize: number): Logs {
  const metrics = model.compiled!.makeMetrics();
  const n = data.xs[0].shape[0];
  const means = new LogMeans();
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    means.add(evalStep(model, batchRows(data, start, count), metrics), count);
  }
  return means.means(metrics);
}

/** Loss and metrics over a stream of `{xs, ys}` batches, weighted by batch size. */
export async function evaluateStream(model: Model, it: AnyIterator<BatchLike>, where: string): Promise<Logs> {
  const metrics = model.compiled!.makeMetrics();
  const means = new LogMeans();
  for (let b = 0; ; b++) {
    const next = await it.next();
    if (next.done) break;
    const batch = model.datasetBatch(next.value, `${where}: batch ${b}`);
    try { means.add(evalStep(model, batch, metrics), batch.xs[0].shape[0]); } finally { batch.release?.(); }
  }
  if (means.seen === 0) throw new Error(`${where}: the dataset yielded no batches (a one-shot iterator is used up after one epoch; pass a function returning a fresh iterable)`);
  return means.means(metrics);
}

/**
 * The epoch loop shared by fit and fitDataset: callbacks, metrics, progress, history. `batches`
 * gives each epoch's batches; `steps` is the batch count when known (for the progress bar).
 */
export async function trainLoop(model: Model, args: LoopArgs, epochs: number, steps: number | (() => number | undefined),
                                params: Record<string, unknown>, batches: (epoch: number) => Iterator<Batch> | AsyncIterator<Batch>,
                                validate: (() => Logs | Promise<Logs>) | null): Promise<History> {
  const stepsNow = () => (typeof steps === 'function' ? steps() : steps);
  const verbose = args.verbose ?? 1;
  const progress = verbose ? new Progress(epochs, stepsNow(), verbose) : null;
  const hooks = args.callbacks ? (Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks]) : [];
  for (const h of hooks) if (h instanceof Callback) h.setModel(model);
  const callbacks = new CallbackList(hooks);
  const history = new History({ epochs, steps: stepsNow(), ...params });
  const metrics = model.compiled!.makeMetrics();
  let lastYield = performance.now();

  model.stopTraining = false;
  await callbacks.call('onTrainBegin', {});
  for (let epoch = args.initialEpoch ?? 0; epoch < epochs && !model.stopTraining; epoch++) {
    await callbacks.call('onEpochBegin', epoch, {});
    progress?.epochBegin(epoch, stepsNow());
    for (const m of metrics) m.metric.reset();
    const means = new LogMeans();
    let logs: Logs = {};
    const it = batches(epoch);
    try {
      for (let b = 0; !model.stopTraining; b++) {
        // next() by hand rather than for-of: stopping early must not close an iterator reused next epoch
        const next = await it.next();
        if (next.done) break;
        const batch = next.value;
        const count = batch.xs[0].shape[0];
        let batchLoss: Logs;
        try {
          await callbacks.call('onBatchBegin', b, { batch: b, size: count });
          batchLoss = trainStep(model, batch, metrics);
        } finally { batch.release?.(); }
        means.add(batchLoss, count);
        logs = means.means(metrics);
        const batchLogs = withAccuracyAliases({ batch: b, size: count, ...batchLoss, ...Object.fromEntries(metrics.map((m) => [m.key, m.metric.result()])) });
        await callbacks.call('onBatchEnd', b, batchLogs);
        progress?.batchEnd(b, logs);
        const every = args.yieldEvery ?? 'auto';
        const due = every === 'batch' || (typeof every === 'number' && performance.now() - lastYield >= every) ||
          (every === 'auto' && performance.now() - lastYield > 50);
        if (due) { await nextTask(); lastYield = performance.now(); }
      }
    } catch (e) {
      await it.return?.();
      throw e;
    }
    if (validate) {
      const vl = await validate();
      for (const [key, v] of Object.entries(vl)) logs[`val_${key}`] = v;
    }
    const epochLogs = withAccuracyAliases(logs);
    await callbacks.call('onEpochEnd', epoch, epochLogs);
    history.record(epoch, epochLogs);
    progress?.epochEnd(epoch, logs);
    if (args.yieldEvery === 'epoch') { await nextTask(); lastYield = performance.now(); }
  }
  await callbacks.call('onTrainEnd', {});
  return history;
}
