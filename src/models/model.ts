// Model: a graph of layers (graph.ts) with compile / fit / evaluate / predict. The loops live in
// training.ts, data conversion and batching in data.ts; this file checks arguments and wires them.
import { Tensor, tensor, tidy, shapeStr } from '../tensor';
import { checkOptions, positiveInt } from '../options';
import { COMPILE_KEYS, FIT_KEYS, FIT_DATASET_KEYS, bool, fraction, inferenceBatchSize, loopArgs } from './args';
import { k } from '../wasm';
import { ParamArena } from './arena';
import { Optimizer } from '../optimizers/optimizer';
import { getOptimizer } from '../optimizers/index';
import { takesSampleWeight } from '../losses';
import { CallbackHooks, Logs } from '../callbacks';
import { Network } from './graph';
import { saveModel, SaveConfig } from '../io/save';
import { modelTopology } from '../io/topology';
import type { IOHandler, SaveResult } from '../io/handlers';
import { Compiled, CompileArgs, resolveHeads } from './compile';

export type { CompileArgs } from './compile';
import { History, LoopArgs, evaluateTensors, evaluateStream, trainLoop, trainStep } from './training';
import {
  AnyIterator, Batch, BatchLike, DataLike, DataList, Dataset, arrayBatches, checkFinite, checkSamples,
  datasetOpener, isBatchLike, isDataset, rowsOf, toData, toDataList, batchRows, classSampleWeights,
} from './data';

export type { DataLike, DataList, Dataset, BatchLike } from './data';
export { History } from './training';


export interface FitArgs extends LoopArgs {
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  validationSplit?: number;
  validationData?: [DataList, DataList];
  /**
   * Keras' class_weight, {classIndex: weight}: each sample's loss is weighted by its class (the
   * argmax of a one-hot label, or a sparse/binary label); classes not listed weigh 1.
   */
  classWeight?: Record<number, number>;
  /** One weight per training sample (a 1-D tensor or array): the loss is Σ w·ℓ / batch size. */
  sampleWeight?: DataLike;
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
  /** A fit/fitDataset is running: a second one would interleave its batches with it. */
  private training = false;

  get optimizer(): Optimizer | null { return this.compiled?.optimizer ?? null; }

  compile(args: CompileArgs): void {
    if (!args || args.optimizer === undefined || args.loss === undefined) {
      throw new Error(`${this.name}.compile: both optimizer and loss are required`);
    }
    this.checkAlive('compile');
    checkOptions(`${this.name}.compile`, args, COMPILE_KEYS);
    this.ensureGraph();
    // Resolve every name before changing anything, so a bad one leaves the earlier compile in force.
    const heads = resolveHeads(args, this.outputNames(), `${this.name}.compile`);
    const optimizer = getOptimizer(args.optimizer);
    this.compiled?.optimizer.dispose();
    this.compiled = new Compiled(optimizer, heads);
    this.packParameters();
  }

  /**
   * Moves trainable weights into one arena, repacking when layers gained weights or when another
   * model sharing a layer took its variables, or when layers were frozen or unfrozen. The optimizer
   * state of the weights that stay (Adam's moments …) moves with them, as Keras keeps it per
   * variable; weights that join start from fresh state. @internal
   */
  packParameters(): void {
    if (!this.isBuilt()) return; // packed once the first data builds the model
    const vars = this.trainableWeights;
    if (this.arena && !this.arena.stale && this.arena.variables.length === vars.length && this.arena.variables.every((v, i) => v === vars[i])) return;
    const optimizer = this.compiled?.optimizer;
    const old = this.arena;
    const kept = old && optimizer && optimizer.iterations > 0 ? optimizer.getWeights(old.size, old.segments) : [];
    if (old) { old.dispose(); optimizer?.dispose(); }
    this.arena = new ParamArena(vars);
    if (kept.length && this.arena.size > 0) {
      const byName = new Map(kept.map((w) => [w.name, w.tensor]));
      const fresh = optimizer!.getWeights(this.arena.size, this.arena.segments);
      const carry = (w: { name: string; tensor: Tensor }) => { const t = byName.get(w.name); return t && t.size === w.tensor.size ? t : w.tensor; };
      optimizer!.setWeights(fresh.map((w) => ({ name: w.name, tensor: carry(w) })), this.arena.size, this.arena.segments);
      for (const w of [...kept, ...fresh]) w.tensor.dispose();
    } else for (const w of kept) w.tensor.dispose();
  }

  /** Runs one training call, refusing it while another runs (as tfjs does). */
  private async exclusively<T>(where: string, train: () => Promise<T>): Promise<T> {
    this.refuseWhileTraining(where);
    this.training = true;
    try { return await train(); } finally { this.training = false; }
  }

  private refuseWhileTraining(where: string): void {
    if (this.training) {
      throw new Error(`${where}: model ${this.name} is already training: another fit() call is running; await it before starting another`);
    }
  }

  private requireCompiled(where: string): Compiled {
    this.checkAlive(where);
    if (!this.compiled) throw new Error(`${this.name}.${where}: call compile() first`);
    return this.compiled;
  }

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
    checkOptions(where, args, FIT_KEYS);
    const loop = loopArgs(where, args);
    const batchSize = positiveInt(where, 'batchSize', args.batchSize, 32);
    const shuffle = bool(where, 'shuffle', args.shuffle, true);
    const split = args.validationSplit === undefined || args.validationSplit === 0 ? 0 : fraction(where, 'validationSplit', args.validationSplit);
    return this.exclusively(where, () => this.fitArrays(x as DataList, y as DataList, { ...args, ...loop }, batchSize, shuffle, split));
  }

  private async fitArrays(x: DataList, y: DataList, args: FitArgs, batchSize: number, shuffle: boolean, split: number): Promise<History> {
    const where = `${this.name}.fit`;
    const made: Tensor[] = [];
    try {
      this.requireCompiled('fit');
      const { xs, ys } = this.trainingData(x, y, where, made);
      const sw = this.sampleWeightsFor(args, ys, where, made);
      const epochs = args.epochs!;

      let nTrain = xs[0].shape[0];
      let val: Batch | null = null;
      if (args.validationData) {
        val = this.validationPair(args.validationData, made, 'fit');
      } else if (split) {
        const f = split;
        const nVal = nTrain - Math.floor(nTrain * (1 - f)); // as tfjs and Keras cut it: 10 × 0.25 keeps 7
        if (nVal < 1 || nVal >= nTrain) throw new Error(`${where}: validationSplit ${f} of ${nTrain} samples leaves no training or validation data`);
        nTrain -= nVal; // Keras: the last fraction, taken before shuffling
        val = batchRows({ xs, ys, sw }, nTrain, nVal);
      }
      const data = arrayBatches({ xs, ys, sw }, nTrain, batchSize, shuffle);
      try {
        return await trainLoop(this, args, epochs, data.steps, { batchSize, samples: nTrain }, data.batches,
          val ? () => evaluateTensors(this, val, batchSize) : null);
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
    checkOptions(where, args, FIT_DATASET_KEYS);
    const loop = loopArgs(where, args);
    const perEpoch = args.batchesPerEpoch === undefined ? undefined : positiveInt(where, 'batchesPerEpoch', args.batchesPerEpoch);
    const valBatchSize = positiveInt(where, 'validationBatchSize', args.validationBatchSize, 32);
    const open = datasetOpener(dataset, where);
    return this.exclusively(where, () => this.streamTraining(open, { ...args, ...loop }, perEpoch, valBatchSize));
  }

  private async streamTraining(open: () => AnyIterator<BatchLike>, args: FitDatasetArgs, perEpoch: number | undefined,
                               valBatchSize: number): Promise<History> {
    const where = `${this.name}.fitDataset`;
    const epochs = args.epochs!;
    const made: Tensor[] = [];
    try {
      let validate: (() => Promise<Logs>) | null = null;
      if (Array.isArray(args.validationData) && !args.validationData.some(isBatchLike)) {
        const val = this.validationPair(args.validationData as [DataList, DataList], made, 'fitDataset');
        validate = async () => evaluateTensors(this, val, valBatchSize);
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

  /** fit's classWeight or sampleWeight as one weight per sample; undefined without either. */
  private sampleWeightsFor(args: FitArgs, ys: Tensor[], where: string, made: Tensor[]): Tensor | undefined {
    const { classWeight, sampleWeight } = args;
    if (classWeight === undefined && sampleWeight === undefined) return undefined;
    if (classWeight !== undefined && sampleWeight !== undefined) throw new Error(`${where}: give classWeight or sampleWeight, not both`);
    const opaque = this.compiled!.heads.find((h) => !takesSampleWeight(h.loss));
    if (opaque) {
      throw new Error(`${where}: the loss '${opaque.lossName}' takes no sample weights; ` +
        'a loss function of your own gets them as a third parameter (yTrue, yPred, sampleWeight)');
    }
    if (classWeight !== undefined) {
      if (ys.length > 1) throw new Error(`${where}: classWeight is only supported for models with one output (give sampleWeight)`);
      return classSampleWeights(ys[0], classWeight, where, made);
    }
    const w = toData(sampleWeight as DataLike, `${where} sampleWeight`, made);
    const n = ys[0].shape[0];
    if (w.size !== n || w.rank > 2 || (w.rank === 2 && w.shape[1] !== 1)) {
      throw new Error(`${where}: sampleWeight ${shapeStr(w.shape)} must hold one weight per sample (${n})`);
    }
    checkFinite(w, `${where}: sampleWeight`);
    return w;
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
      this.refuseWhileTraining(where);
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
    const batchSize = inferenceBatchSize(where, args);
    const made: Tensor[] = [];
    try {
      this.requireCompiled('evaluate');
      const xs = toDataList(x, this.inputNames(), 'input', `${where} x`, made);
      this.ensureGraph(xs[0]);
      const ys = toDataList(y, this.outputNames(), 'output', `${where} y`, made);
      checkSamples(xs, ys, where);
      const logs = evaluateTensors(this, { xs, ys }, batchSize);
      const out = Object.values(logs).map((v) => tensor(v));
      return out.length === 1 ? out[0] : out;
    } finally {
      for (const t of made) t.dispose();
    }
  }

  /**
   * Outputs for x, computed in batches (inference mode: dropout off, moving statistics used): a
   * tensor, or one per output (in order) when the model has several. Allocated in the caller's
   * scope, so nn.tidy frees them like any op's result.
   */
  predict<T extends Tensor | Tensor[] = Tensor>(x: DataList, args: { batchSize?: number; verbose?: 0 | 1 | 2 } = {}): T {
    return this.predictIn<T>(x, inferenceBatchSize(`${this.name}.predict`, args), 'predict');
  }

  /** predict on x as one batch (tfjs' predictOnBatch). */
  predictOnBatch<T extends Tensor | Tensor[] = Tensor>(x: DataList): T {
    return this.predictIn<T>(x, Infinity, 'predictOnBatch');
  }

  private predictIn<T extends Tensor | Tensor[]>(x: DataList, batchSize: number, method: string): T {
    this.checkAlive(method);
    const where = `${this.name}.${method}`;
    const made: Tensor[] = [];
    const outs: Tensor[] = [];
    try {
      const xs = toDataList(x, this.inputNames(), 'input', `${where} x`, made);
      this.ensureGraph(xs[0]);
      if (xs.some((t) => t.rank === 0)) throw new Error(`${where}: x must have a batch dimension, got a scalar`);
      const n = checkSamples(xs, [], where, true);
      for (let start = 0; start < n; start += batchSize) {
        const count = Math.min(batchSize, n - start);
        const ybs = tidy(() => this.execute(rowsOf(xs, start, count), false));
        try {
          ybs.forEach((yb, i) => {
            outs[i] ??= Tensor.empty([n, ...yb.shape.slice(1)]);
            k().copy_f32(outs[i].ptr + start * (yb.size / count) * 4, yb.ptr, yb.size);
          });
        } finally { for (const t of ybs) t.dispose(); }
      }
      if (n === 0) this.outputs.forEach((o) => outs.push(Tensor.empty([0, ...o.shape.slice(1).map((d) => d ?? 0)])));
    } catch (e) {
      for (const t of outs) t.dispose();
      throw e;
    } finally {
      for (const t of made) t.dispose();
    }
    return (outs.length === 1 ? outs[0] : outs) as T;
  }

  /** Saves in the tfjs layers format: 'file://dir', 'indexeddb://name', 'downloads://name' or an IO handler. */
  async save(destination: string | IOHandler, config?: SaveConfig): Promise<SaveResult> {
    this.checkAlive('save');
    this.requireBuilt('save');
    return saveModel(this, destination, config);
  }

  /**
   * The model's topology as tfjs `model.toJSON()` gives it: the Keras JSON that `save` writes as
   * `modelTopology`, as a string (or the object when `returnString` is false). No weights.
   */
  toJSON(_unused?: unknown, returnString = true): string | Record<string, unknown> {
    this.checkAlive('toJSON');
    const topology = modelTopology(this);
    return returnString ? JSON.stringify(topology) : topology;
  }

  /** Zeroes the states of every stateful layer (tfjs' resetStates). */
  resetStates(): void {
    this.checkAlive('resetStates');
    for (const l of this.layers as { stateful?: boolean; resetStates?: () => void }[]) if (l.stateful && l.resetStates) l.resetStates();
  }

  /** Frees the weights and optimizer state. */
  dispose(): void {
    this.disposed = true;
    this.arena?.dispose();
    this.arena = null;
    this.compiled?.optimizer.dispose();
    for (const l of this.layers) l.dispose();
  }
}
