// Model: a graph of layers (graph.ts) with compile / fit / evaluate / predict. The loops live in
// training.ts, data conversion and batching in data.ts; this file checks arguments and wires them.
import { Tensor, tensor, tidy } from '../tensor';
import { k } from '../wasm';
import { ParamArena } from './arena';
import { Optimizer } from '../optimizers/optimizer';
import { getOptimizer, OptimizerName } from '../optimizers/index';
import { getLoss, LossFn, LossName } from '../losses';
import { getMetric, MetricName } from '../metrics';
import { CallbackHooks, Logs } from '../callbacks';
import { Network } from './graph';
import { saveModel, SaveConfig } from '../io/save';
import type { IOHandler, SaveResult } from '../io/handlers';
import { Compiled } from './compile';
import { History, LoopArgs, evaluateTensors, evaluateStream, trainLoop, trainStep } from './training';
import {
  AnyIterator, Batch, BatchLike, DataLike, DataList, Dataset, arrayBatches, checkFinite, checkSamples,
  datasetOpener, isBatchLike, isDataset, rowsOf, toDataList,
} from './data';

export type { DataLike, DataList, Dataset, BatchLike } from './data';
export { History } from './training';

export interface CompileArgs {
  optimizer: OptimizerName | Optimizer;
  loss: LossName | LossFn;
  metrics?: MetricName[];
}

export interface FitArgs extends LoopArgs {
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  validationSplit?: number;
  validationData?: [DataList, DataList];
  callbacks?: CallbackHooks | CallbackHooks[];
  /** 0: silent; 1: a progress bar on a terminal, else one line per epoch (a pipe, or console.log in a browser); 2: one line per epoch. */
  verbose?: 0 | 1 | 2;
  initialEpoch?: number;
}

export interface FitDatasetArgs extends LoopArgs {
  epochs?: number;
  /** Batches per epoch, taken from one iterator across epochs; default: until the iterable is exhausted. */
  batchesPerEpoch?: number;
  /** [x, y] (evaluated in batches of validationBatchSize, default 32) or a dataset of `{xs, ys}` batches. */
  validationData?: [DataList, DataList] | Dataset;
  validationBatchSize?: number;
}

export class Model extends Network {
  /** The optimizer, losses and metrics of the last compile(); null before. @internal */
  compiled: Compiled | null = null;
  /** The trainable parameters in one arena (with a gradient twin). @internal */
  arena: ParamArena | null = null;
  /** Set by a callback to end fit() after the current batch/epoch. */
  stopTraining = false;

  get optimizer(): Optimizer | null { return this.compiled?.optimizer ?? null; }

  compile(args: CompileArgs): void {
    if (!args || args.optimizer === undefined || args.loss === undefined) {
      throw new Error(`${this.name}.compile: both optimizer and loss are required`);
    }
    this.ensureGraph();
    // Resolve every name before changing anything, so a bad one leaves the earlier compile in force.
    const loss = getLoss(args.loss);
    const lossName = typeof args.loss === 'string' ? args.loss : (args.loss.name || 'custom');
    const metricNames = (args.metrics ?? []).slice();
    for (const m of metricNames) getMetric(m, lossName);
    const optimizer = getOptimizer(args.optimizer);
    this.compiled?.optimizer.dispose();
    const output = this.outputs[0]?.sourceLayer?.name ?? 'output';
    this.compiled = new Compiled(optimizer, [{
      output, loss, lossName, metricNames, weight: 1, metrics: () => metricNames.map((m) => getMetric(m, lossName)),
    }]);
    this.packParameters();
  }

  /**
   * Moves trainable weights into one arena, repacking when layers gained weights or when another
   * model sharing a layer took its variables, or when layers were frozen or unfrozen (optimizer
   * state then starts afresh). @internal
   */
  packParameters(): void {
    if (!this.isBuilt()) return; // packed once the first data builds the model
    const vars = this.trainableWeights;
    if (this.arena && !this.arena.stale && this.arena.variables.length === vars.length && this.arena.variables.every((v, i) => v === vars[i])) return;
    if (this.arena) { this.arena.dispose(); this.compiled?.optimizer.dispose(); }
    this.arena = new ParamArena(vars);
  }

  private requireCompiled(where: string): Compiled {
    if (!this.compiled) throw new Error(`${this.name}.${where}: call compile() first`);
    return this.compiled;
  }

  private inputNames(): string[] { return this.inputs.map((s) => s.sourceLayer?.name ?? s.name); }
  private outputNames(): string[] { return this.outputs.map((s) => s.sourceLayer?.name ?? s.name); }

  /**
   * x and y as tensors (made ones pushed to `made`), the model built and packed, samples counted and
   * every value checked finite.
   */
  private trainingData(x: DataList, y: DataList, where: string, made: Tensor[], [xName, yName] = ['x', 'y']): Batch {
    const xs = toDataList(x, this.inputNames(), 'input', `${where} ${xName}`, made);
    this.ensureGraph(xs[0]);
    const ys = toDataList(y, this.outputNames(), 'output', `${where} ${yName}`, made);
    this.packParameters();
    checkSamples(xs, ys, where);
    xs.forEach((t, i) => checkFinite(t, `${where}: ${xName}${xs.length > 1 ? `[${i}]` : ''}`));
    ys.forEach((t, i) => checkFinite(t, `${where}: ${yName}${ys.length > 1 ? `[${i}]` : ''}`));
    return { xs, ys };
  }

  /** Trains on (x, y) in batches; or, given a dataset of `{xs, ys}` batches and options, is fitDataset. */
  async fit(x: DataList, y: DataList, args?: FitArgs): Promise<History>;
  async fit(dataset: Dataset, args?: FitDatasetArgs): Promise<History>;
  async fit(x: DataList | Dataset, y?: DataList | FitDatasetArgs, args: FitArgs = {}): Promise<History> {
    if (isDataset(x)) return this.fitDataset(x, (y ?? {}) as FitDatasetArgs);
    const where = `${this.name}.fit`;
    if (y === undefined) throw new Error(`${where}: give targets y with x, or a dataset of {xs, ys} batches`);
    const made: Tensor[] = [];
    try {
      this.requireCompiled('fit');
      const { xs, ys } = this.trainingData(x, y as DataList, where, made);
      const epochs = this.checkEpochs(args.epochs, 'fit');
      const batchSize = args.batchSize ?? 32;
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${where}: batchSize must be a positive integer, got ${batchSize}`);

      let nTrain = xs[0].shape[0];
      let val: Batch | null = null;
      if (args.validationData) {
        val = this.validationPair(args.validationData, made, 'fit');
      } else if (args.validationSplit) {
        const f = args.validationSplit;
        if (!(f > 0 && f < 1)) throw new Error(`${where}: validationSplit must be in (0, 1), got ${f}`);
        const nVal = nTrain - Math.floor(nTrain * (1 - f)); // as tfjs and Keras cut it: 10 × 0.25 keeps 7
        if (nVal < 1 || nVal >= nTrain) throw new Error(`${where}: validationSplit ${f} of ${nTrain} samples leaves no training or validation data`);
        nTrain -= nVal; // Keras: the last fraction, taken before shuffling
        val = { xs: rowsOf(xs, nTrain, nVal), ys: rowsOf(ys, nTrain, nVal) };
      }
      const data = arrayBatches(xs, ys, nTrain, batchSize, args.shuffle ?? true);
      try {
        return await trainLoop(this, args, epochs, data.steps, { batchSize, samples: nTrain }, data.batches,
          val ? () => evaluateTensors(this, val.xs, val.ys, batchSize) : null);
      } finally {
        data.dispose();
      }
    } finally {
      for (const t of made) t.dispose();
    }
  }

  /**
   * Trains on a stream of `{xs, ys}` batches: a (sync or async) iterable, or a function returning a
   * fresh one per epoch. Without `batchesPerEpoch` each epoch runs until the iterable is exhausted and
   * the next epoch iterates it again (a one-shot iterator such as a generator object cannot be, and
   * fails on the second epoch); with it, every epoch takes that many batches from one iterator, and
   * training stops early (with a warning) when the iterator runs dry, as in tfjs. Tensors the dataset
   * yields stay the caller's: they are not disposed.
   */
  async fitDataset(dataset: Dataset, args: FitDatasetArgs = {}): Promise<History> {
    const where = `${this.name}.fitDataset`;
    this.requireCompiled('fitDataset');
    const epochs = this.checkEpochs(args.epochs, 'fitDataset');
    const perEpoch = args.batchesPerEpoch;
    if (perEpoch !== undefined && (!Number.isInteger(perEpoch) || perEpoch < 1)) {
      throw new Error(`${where}: batchesPerEpoch must be a positive integer, got ${perEpoch}`);
    }
    const open = datasetOpener(dataset, where);
    const made: Tensor[] = [];
    try {
      let validate: (() => Promise<Logs>) | null = null;
      if (Array.isArray(args.validationData) && !args.validationData.some(isBatchLike)) {
        const val = this.validationPair(args.validationData as [DataList, DataList], made, 'fitDataset');
        validate = async () => evaluateTensors(this, val.xs, val.ys, args.validationBatchSize ?? 32);
      } else if (args.validationData) {
        const openVal = datasetOpener(args.validationData as Dataset, `${where} validationData`);
        validate = () => evaluateStream(this, openVal(), `${where} validationData`);
      }
      let iterator: AnyIterator<BatchLike> | null = null;
      let stepsSeen: number | undefined = perEpoch;
      const model = this;
      async function* batches(epoch: number): AsyncGenerator<Batch> {
        // One iterator for the whole run with batchesPerEpoch (tfjs), else a fresh one per epoch.
        if (!iterator || perEpoch === undefined) iterator = open();
        let b = 0, completed = false;
        try {
          for (; perEpoch === undefined || b < perEpoch; b++) {
            const next = await iterator.next();
            if (next.done) break;
            yield model.datasetBatch(next.value, `${where}: batch ${b} of epoch ${epoch + 1}`);
          }
          completed = true;
        } finally {
          // Training failed mid-epoch: let the caller's generator run its own cleanup (finally blocks).
          if (!completed) await iterator.return?.();
        }
        if (perEpoch !== undefined && b < perEpoch) {
          console.warn(`${where}: the dataset ran out of data after ${b} of batchesPerEpoch ${perEpoch} batches in epoch ${epoch + 1}; ` +
            'stopping training (give a dataset that yields at least batchesPerEpoch × epochs batches)');
          model.stopTraining = true;
        } else if (b === 0) {
          throw new Error(epoch > 0
            ? `${where}: the dataset yielded no batches in epoch ${epoch + 1}: a one-shot iterator (e.g. a generator object) cannot be ` +
              'iterated again; pass a function returning a fresh iterable, an iterable such as an array, or batchesPerEpoch'
            : `${where}: the dataset yielded no batches`);
        }
        stepsSeen ??= b;
      }
      return await trainLoop(this, args, epochs, () => stepsSeen, {}, batches, validate);
    } finally {
      for (const t of made) t.dispose();
    }
  }

  private checkEpochs(epochs: number | undefined, where: string): number {
    const n = epochs ?? 1;
    if (!Number.isInteger(n) || n < 0) throw new Error(`${this.name}.${where}: epochs must be a non-negative integer, got ${n}`);
    return n;
  }

  /** validationData as tensors; tensors made from arrays go into `made` for the caller to free. */
  private validationPair(data: [DataList, DataList], made: Tensor[], where: string): Batch {
    const w = `${this.name}.${where} validationData`;
    const xs = toDataList(data[0], this.inputNames(), 'input', `${w} x`, made);
    const ys = toDataList(data[1], this.outputNames(), 'output', `${w} y`, made);
    checkSamples(xs, ys, w);
    return { xs, ys };
  }

  /** Checks one `{xs, ys}` element of a dataset and builds the model on the first one. @internal */
  datasetBatch(item: BatchLike, where: string): Batch {
    if (!item || typeof item !== 'object' || !('xs' in item) || !('ys' in item)) {
      throw new Error(`${where}: expected an object {xs, ys}, got ${item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item}`);
    }
    const made: Tensor[] = [];
    try {
      const batch = this.trainingData(item.xs, item.ys, where, made, ['xs', 'ys']);
      return { ...batch, release: () => { for (const t of made) t.dispose(); } };
    } catch (e) {
      for (const t of made) t.dispose();
      throw e;
    }
  }

  /** Trains on one batch; returns the loss, or [loss, ...metrics] when metrics were compiled. */
  async trainOnBatch(x: DataList, y: DataList): Promise<number | number[]> {
    const where = `${this.name}.trainOnBatch`;
    const made: Tensor[] = [];
    try {
      const compiled = this.requireCompiled('trainOnBatch');
      const batch = this.trainingData(x, y, where, made);
      const metrics = compiled.makeMetrics();
      const logs = trainStep(this, batch, metrics);
      const values = [...Object.values(logs), ...metrics.map((m) => m.metric.result())];
      return values.length > 1 ? values : values[0];
    } finally {
      for (const t of made) t.dispose();
    }
  }

  /** tfjs-style: the loss as a scalar tensor, or [loss, ...metrics] when metrics were compiled. */
  evaluate(x: DataList, y: DataList, args: { batchSize?: number } = {}): Tensor | Tensor[] {
    const where = `${this.name}.evaluate`;
    const made: Tensor[] = [];
    try {
      this.requireCompiled('evaluate');
      const xs = toDataList(x, this.inputNames(), 'input', `${where} x`, made);
      this.ensureGraph(xs[0]);
      const ys = toDataList(y, this.outputNames(), 'output', `${where} y`, made);
      checkSamples(xs, ys, where);
      const logs = evaluateTensors(this, xs, ys, args.batchSize ?? 32);
      const out = Object.values(logs).map((v) => tensor(v));
      return out.length === 1 ? out[0] : out;
    } finally {
      for (const t of made) t.dispose();
    }
  }

  /** Outputs for x, computed in batches (inference mode: dropout off, moving statistics used). */
  predict(x: DataList, args: { batchSize?: number } = {}): Tensor {
    const where = `${this.name}.predict`;
    const made: Tensor[] = [];
    try {
      const xs = toDataList(x, this.inputNames(), 'input', `${where} x`, made);
      this.ensureGraph(xs[0]);
      if (xs[0].rank === 0) throw new Error(`${where}: x must have a batch dimension, got a scalar`);
      const n = xs[0].shape[0];
      const batchSize = args.batchSize ?? 32;
      let out: Tensor | null = null;
      let row = 0;
      for (let start = 0; start < n; start += batchSize) {
        const count = Math.min(batchSize, n - start);
        tidy(() => {
          const yb = this.execute(rowsOf(xs, start, count), false)[0];
          if (!out) {
            row = yb.size / count;
            out = Tensor.empty([n, ...yb.shape.slice(1)]).keep();
          }
          k().copy_f32(out.ptr + start * row * 4, yb.ptr, yb.size);
        });
      }
      return out ?? Tensor.empty([0, ...(this.outputs[0].shape.slice(1) as number[]).map((d) => d ?? 0)]);
    } finally {
      for (const t of made) t.dispose();
    }
  }

  /** Saves in the tfjs layers format: 'file://dir', 'indexeddb://name', 'downloads://name' or an IO handler. */
  async save(destination: string | IOHandler, config?: SaveConfig): Promise<SaveResult> {
    this.requireBuilt('save');
    return saveModel(this, destination, config);
  }

  /** Frees the weights and optimizer state. */
  dispose(): void {
    this.arena?.dispose();
    this.arena = null;
    this.compiled?.optimizer.dispose();
    for (const l of this.layers) l.dispose();
  }
}
