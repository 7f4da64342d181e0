// Models: a graph of layers (functional API) with compile / fit / evaluate / predict.
import { Tensor, NestedArray, tensor, tidy, shapeStr } from '../tensor';
import { withTape } from '../autograd';
import { k, malloc, heapI32 } from '../wasm';
import { Layer, SymbolicTensor, SymbolicShape, LayerVariable, InputLayer, symShapeStr, collectLayerLosses } from '../layers/layer';
import { ParamArena } from './arena';
import { Optimizer } from '../optimizers/optimizer';
import { getOptimizer } from '../optimizers/index';
import { getLoss, LossFn } from '../losses';
import { getMetric, Metric } from '../metrics';
import { shuffledIndices } from '../random';
import { add } from '../ops/elementwise';
import { Callback, CallbackHooks, CallbackList, Logs } from '../callbacks';
import { Progress } from '../progress';
import { saveModel } from '../io/save';
import type { IOHandler, SaveResult } from '../io/handlers';

/** Training data: a tensor, nested arrays, or a flat typed array with its shape. */
export type DataLike = Tensor | NestedArray | { data: ArrayLike<number>; shape: number[] };

export interface CompileArgs {
  optimizer: string | Optimizer;
  loss: string | LossFn;
  metrics?: string[];
}

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  shuffle?: boolean;
  validationSplit?: number;
  validationData?: [DataLike, DataLike];
  callbacks?: CallbackHooks | CallbackHooks[];
  /** 0: silent; 1: progress bar on a terminal (one line per epoch otherwise); 2: one line per epoch. */
  verbose?: 0 | 1 | 2;
  initialEpoch?: number;
}

/** The options fit and fitDataset share. */
type TrainLoopArgs = Pick<FitArgs, 'callbacks' | 'verbose' | 'initialEpoch'>;

/** One element of a dataset: a batch of inputs and targets. */
export interface BatchLike { xs: DataLike; ys: DataLike }

type AnyIterable<T> = Iterable<T> | AsyncIterable<T>;
type AnyIterator<T> = Iterator<T> | AsyncIterator<T>;

/** A stream of batches for fitDataset: an (async) iterable, or a function giving a fresh one per epoch. */
export type Dataset = AnyIterable<BatchLike> | (() => AnyIterable<BatchLike>);

export interface FitDatasetArgs extends TrainLoopArgs {
  epochs?: number;
  /** Batches per epoch, taken from one iterator across epochs; default: until the iterable is exhausted. */
  batchesPerEpoch?: number;
  /** [x, y] (evaluated in batches of validationBatchSize, default 32) or a dataset of `{xs, ys}` batches. */
  validationData?: [DataLike, DataLike] | Dataset;
  validationBatchSize?: number;
}

/** A training batch; `release` frees whatever was allocated to make it. */
interface Batch { x: Tensor; y: Tensor; release?: () => void }

function isBatchLike(v: unknown): v is BatchLike {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'xs' in v;
}

function isAnyIterable(d: unknown): d is AnyIterable<BatchLike> {
  const obj = d as Record<symbol, unknown> | null;
  return typeof obj === 'object' && obj !== null &&
    (typeof obj[Symbol.asyncIterator] === 'function' || typeof obj[Symbol.iterator] === 'function');
}

/** Tells a dataset from training data (nested arrays, typed arrays with a shape, tensors). */
function isDataset(x: unknown): x is Dataset {
  if (typeof x === 'function') return true;
  if (Array.isArray(x)) return x.length > 0 && x.every(isBatchLike);
  return isAnyIterable(x) && !ArrayBuffer.isView(x) && !(x instanceof Tensor);
}

/** A function that opens an iterator over the dataset each time it is called. */
function datasetOpener(dataset: Dataset, where: string): () => AnyIterator<BatchLike> {
  const iteratorOf = (d: unknown): AnyIterator<BatchLike> => {
    if (!isAnyIterable(d)) {
      throw new Error(`${where}: expected an iterable or async iterable of {xs, ys} batches, or a function returning one; got ${d === null ? 'null' : typeof d}`);
    }
    const obj = d as unknown as Record<symbol, () => AnyIterator<BatchLike>>;
    return typeof obj[Symbol.asyncIterator] === 'function' ? obj[Symbol.asyncIterator]() : obj[Symbol.iterator]();
  };
  if (typeof dataset === 'function') return () => iteratorOf(dataset());
  // Checked now, so that a wrong argument fails before training starts rather than at epoch 1.
  if (!isAnyIterable(dataset)) iteratorOf(dataset);
  return () => iteratorOf(dataset);
}

export class History {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};
  constructor(readonly params: Record<string, unknown>) {}
  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, v] of Object.entries(logs)) (this.history[key] ??= []).push(v);
  }
}

function toData(x: DataLike, where: string): { t: Tensor; made: boolean } {
  if (x instanceof Tensor) { x.ptr; return { t: x, made: false }; }
  try {
    if (x && typeof x === 'object' && !Array.isArray(x) && 'shape' in x) return { t: tensor(x.data, x.shape), made: true };
    return { t: tensor(x as NestedArray), made: true };
  } catch (e) { throw new Error(`${where}: ${(e as Error).message}`); }
}

/** Rows [start, start+count) of x as a view: no copy. */
function rowsView(x: Tensor, start: number, count: number): Tensor {
  const row = x.size / x.shape[0];
  return new Tensor(x.ptr + start * row * 4, [count, ...x.shape.slice(1)], false);
}

function checkFinite(t: Tensor, where: string): void {
  const bad = k().count_nonfinite_f32(t.ptr, t.size);
  if (bad > 0) throw new Error(`${where} contains ${bad} NaN or infinite value${bad > 1 ? 's' : ''} (shape ${shapeStr(t.shape)})`);
}

let modelCount = 0;

export class Model {
  readonly className: string = 'Model';
  name: string;
  inputs: SymbolicTensor[] = [];
  outputs: SymbolicTensor[] = [];
  /** Layers in execution order, input layers excluded. */
  layers: Layer[] = [];
  optimizer: Optimizer | null = null;
  lossFn: LossFn | null = null;
  lossName = '';
  metricNames: string[] = [];
  /** Set by a callback to end fit() after the current batch/epoch. */
  stopTraining = false;
  protected arena: ParamArena | null = null;
  private plan: SymbolicTensor[] = [];
  private inputLayers: InputLayer[] = [];

  constructor(args?: { inputs: SymbolicTensor | SymbolicTensor[]; outputs: SymbolicTensor | SymbolicTensor[]; name?: string }) {
    this.name = args?.name ?? `model_${++modelCount}`;
    if (args) this.setGraph(args.inputs, args.outputs);
  }

  protected setGraph(inputs: SymbolicTensor | SymbolicTensor[], outputs: SymbolicTensor | SymbolicTensor[]): void {
    this.inputs = Array.isArray(inputs) ? inputs : [inputs];
    this.outputs = Array.isArray(outputs) ? outputs : [outputs];
    for (const [what, list] of [['inputs', this.inputs], ['outputs', this.outputs]] as const) {
      const bad: unknown = list.find((s: unknown) => !(s instanceof SymbolicTensor));
      if (list.length === 0 || bad !== undefined) {
        throw new Error(`${this.name}: ${what} must be symbolic tensors (from nn.input() and layer.apply()), ` +
          `got ${list.length === 0 ? 'none' : bad instanceof Tensor ? `a concrete Tensor ${shapeStr(bad.shape)}` : typeof bad}`);
      }
    }
    const seen = new Set<number>();
    const plan: SymbolicTensor[] = [];
    const visit = (s: SymbolicTensor) => {
      if (seen.has(s.id)) return;
      seen.add(s.id);
      for (const p of s.inputs) visit(p);
      plan.push(s);
    };
    for (const o of this.outputs) visit(o);
    const inputIds = new Set(this.inputs.map((s) => s.id));
    for (const s of plan) {
      if (s.inputs.length === 0 && !inputIds.has(s.id)) {
        throw new Error(`${this.name}: output depends on input '${s.name}' that is not among the model's inputs`);
      }
    }
    this.plan = plan.filter((s) => !inputIds.has(s.id));
    this.inputLayers = this.inputs.map((s) => s.sourceLayer as InputLayer);
    const layers: Layer[] = [];
    for (const s of this.plan) if (s.sourceLayer && !layers.includes(s.sourceLayer)) layers.push(s.sourceLayer);
    this.layers = layers;
  }

  /** Runs the graph on concrete tensors. */
  execute(xs: Tensor[], training: boolean): Tensor[] {
    if (xs.length !== this.inputs.length) throw new Error(`${this.name}: expects ${this.inputs.length} inputs, got ${xs.length}`);
    const values = new Map<number, Tensor>();
    this.inputs.forEach((s, i) => {
      const x = xs[i];
      const ok = x.rank === s.shape.length && s.shape.every((d, j) => d === null || d === x.shape[j]);
      if (!ok) {
        const first = this.layers[0]?.name ?? s.name;
        throw new Error(`${this.name} (input of ${first}): expected input shape ${symShapeStr(s.shape)}, got ${shapeStr(x.shape)}`);
      }
      values.set(s.id, x);
    });
    // A layer with several outputs runs once for all of them (its symbolic outputs share `inputs`).
    const nodeOutputs = new Map<SymbolicTensor[], Tensor | Tensor[]>();
    for (const s of this.plan) {
      let out = nodeOutputs.get(s.inputs);
      if (!out) {
        const args = s.inputs.map((p) => values.get(p.id)!);
        out = s.sourceLayer!.call(args.length === 1 ? args[0] : args, { training });
        nodeOutputs.set(s.inputs, out);
      }
      values.set(s.id, Array.isArray(out) ? out[s.outputIndex] : out);
    }
    return this.outputs.map((o) => values.get(o.id)!);
  }

  /** Runs the model on tensors as part of your own computation: differentiable, e.g. under nn.grads. */
  apply(inputs: Tensor | Tensor[], opts: { training?: boolean } = {}): Tensor | Tensor[] {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    this.ensureGraph(xs[0]);
    const out = this.execute(xs, !!opts.training);
    return out.length === 1 ? out[0] : out;
  }

  /** Every weight of every layer, in layer order then declaration order. */
  get weights(): LayerVariable[] { return this.layers.flatMap((l) => l.weights); }
  get trainableWeights(): LayerVariable[] { return this.weights.filter((v) => v.trainable); }

  countParams(): number {
    this.requireBuilt('countParams');
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  getWeights(): Tensor[] { return this.layers.flatMap((l) => l.getWeights()); }

  setWeights(values: Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new Error(`${this.name}.setWeights: expected ${ws.length} tensors, got ${values.length}`);
    }
    ws.forEach((w, i) => w.assign(values[i], `${this.name}.setWeights`));
  }

  getLayer(nameOrIndex: string | number): Layer {
    const l = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((x) => x.name === nameOrIndex);
    if (!l) throw new Error(`${this.name}.getLayer: no layer ${JSON.stringify(nameOrIndex)}; layers: ${this.layers.map((x) => x.name).join(', ')}`);
    return l;
  }

  compile(args: CompileArgs): void {
    if (!args || args.optimizer === undefined || args.loss === undefined) {
      throw new Error(`${this.name}.compile: both optimizer and loss are required`);
    }
    this.ensureGraph();
    // Resolve every name before changing anything, so a bad one leaves the earlier compile in force.
    const lossFn = getLoss(args.loss);
    const lossName = typeof args.loss === 'string' ? args.loss : (args.loss.name || 'custom');
    const metricNames = (args.metrics ?? []).slice();
    for (const m of metricNames) getMetric(m, lossName);
    const optimizer = getOptimizer(args.optimizer);
    this.optimizer?.dispose();
    this.optimizer = optimizer;
    this.lossFn = lossFn;
    this.lossName = lossName;
    this.metricNames = metricNames;
    this.packParameters();
  }

  /** Sequential builds lazily; a graph model is always built. */
  protected ensureGraph(_sample?: Tensor): void {}
  protected isBuilt(): boolean { return true; }

  private requireBuilt(where: string): void {
    this.ensureGraph();
    if (!this.isBuilt()) {
      throw new Error(`${this.name}.${where}: the model is not built yet; give the first layer an inputShape or fit/predict on data first`);
    }
  }

  /**
   * Moves trainable weights into one arena, repacking when layers gained weights or when another
   * model sharing a layer took its variables (optimizer state then starts afresh).
   */
  protected packParameters(): void {
    if (!this.isBuilt()) return; // packed once the first data builds the model
    const vars = this.trainableWeights;
    if (this.arena && !this.arena.stale && this.arena.variables.length === vars.length && this.arena.variables.every((v, i) => v === vars[i])) return;
    if (this.arena) { this.arena.dispose(); this.optimizer?.dispose(); }
    this.arena = new ParamArena(vars);
  }

  private requireCompiled(where: string): void {
    if (!this.optimizer || !this.lossFn) throw new Error(`${this.name}.${where}: call compile() first`);
  }

  private makeMetrics(): Metric[] { return this.metricNames.map((m) => getMetric(m, this.lossName)); }

  /**
   * The model's loss on (x, y): the compiled loss plus weight and activity regularization penalties.
   * Also feeds the metrics.
   */
  private forwardLoss(x: Tensor, y: Tensor, training: boolean, metrics: Metric[]): Tensor {
    const { value: yPred, losses } = collectLayerLosses(() => this.execute([x], training)[0]);
    let loss = this.lossFn!(y, yPred);
    for (const v of this.trainableWeights) if (v.regularizer) loss = add(loss, v.regularizer.apply(v.value));
    for (const penalty of losses) loss = add(loss, penalty);
    for (const m of metrics) m.update(y, yPred);
    return loss;
  }

  /** One optimizer step on (x, y); returns the loss. Everything it allocates is freed. */
  private step(x: Tensor, y: Tensor, metrics: Metric[]): number {
    const arena = this.arena!;
    return tidy(() => {
      arena.zeroGrads();
      const tape = withTape(() => this.forwardLoss(x, y, true, metrics), true);
      tape.backward([]);
      this.optimizer!.applyGradients(arena.params.ptr, arena.grads.ptr, arena.size, arena.segments);
      return tape.value.dataSync()[0];
    });
  }

  private checkPair(x: Tensor, y: Tensor, where: string): void {
    if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
      throw new Error(`${where}: x and y must have the same number of samples, got x ${shapeStr(x.shape)} and y ${shapeStr(y.shape)}`);
    }
    if (x.shape[0] === 0) throw new Error(`${where}: x ${shapeStr(x.shape)} has no samples`);
  }

  /** Trains on (x, y) in batches; or, given a dataset of `{xs, ys}` batches and options, is fitDataset. */
  async fit(x: DataLike, y: DataLike, args?: FitArgs): Promise<History>;
  async fit(dataset: Dataset, args?: FitDatasetArgs): Promise<History>;
  async fit(x: DataLike | Dataset, y?: DataLike | FitDatasetArgs, args: FitArgs = {}): Promise<History> {
    if (isDataset(x)) return this.fitDataset(x, (y ?? {}) as FitDatasetArgs);
    if (y === undefined) throw new Error(`${this.name}.fit: give targets y with x, or a dataset of {xs, ys} batches`);
    const X = toData(x, `${this.name}.fit x`), Y = toData(y as DataLike, `${this.name}.fit y`);
    const made: Tensor[] = [];
    if (X.made) made.push(X.t);
    if (Y.made) made.push(Y.t);
    try {
      this.ensureGraph(X.t);
      this.requireCompiled('fit');
      this.packParameters();
      const xs = X.t, ys = Y.t;
      this.checkPair(xs, ys, `${this.name}.fit`);
      checkFinite(xs, `${this.name}.fit: x`);
      checkFinite(ys, `${this.name}.fit: y`);
      const epochs = this.checkEpochs(args.epochs, 'fit');
      const batchSize = args.batchSize ?? 32;
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${this.name}.fit: batchSize must be a positive integer, got ${batchSize}`);

      let nTrain = xs.shape[0];
      let val: [Tensor, Tensor] | null = null;
      if (args.validationData) {
        val = this.validationPair(args.validationData, made, 'fit');
      } else if (args.validationSplit) {
        const f = args.validationSplit;
        if (!(f > 0 && f < 1)) throw new Error(`${this.name}.fit: validationSplit must be in (0, 1), got ${f}`);
        const nVal = Math.floor(nTrain * f);
        if (nVal < 1 || nVal >= nTrain) throw new Error(`${this.name}.fit: validationSplit ${f} of ${nTrain} samples leaves no training or validation data`);
        nTrain -= nVal; // Keras: the last fraction, taken before shuffling
        val = [rowsView(xs, nTrain, nVal).keep(), rowsView(ys, nTrain, nVal).keep()];
      }

      const steps = Math.ceil(nTrain / batchSize);
      const xRow = xs.size / xs.shape[0], yRow = ys.size / ys.shape[0];
      const shuffle = args.shuffle ?? true;
      const idxPtr = shuffle ? malloc(nTrain * 4) : 0;
      function* batches(): Generator<Batch> {
        if (shuffle) heapI32().set(shuffledIndices(nTrain), idxPtr >>> 2);
        for (let b = 0; b < steps; b++) {
          const start = b * batchSize, count = Math.min(batchSize, nTrain - start);
          if (!shuffle) { yield { x: rowsView(xs, start, count), y: rowsView(ys, start, count) }; continue; }
          const xb = Tensor.empty([count, ...xs.shape.slice(1)]), yb = Tensor.empty([count, ...ys.shape.slice(1)]);
          k().gather_rows_f32(xb.ptr, xs.ptr, idxPtr + start * 4, count, xRow);
          k().gather_rows_f32(yb.ptr, ys.ptr, idxPtr + start * 4, count, yRow);
          yield { x: xb, y: yb, release: () => { xb.dispose(); yb.dispose(); } };
        }
      }
      try {
        return await this.trainLoop(args, epochs, steps, { batchSize, samples: nTrain }, batches,
          val ? () => this.evaluateLogs(val[0], val[1], batchSize) : null);
      } finally {
        if (idxPtr) k().free(idxPtr);
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
        const [vx, vy] = this.validationPair(args.validationData as [DataLike, DataLike], made, 'fitDataset');
        validate = async () => this.evaluateLogs(vx, vy, args.validationBatchSize ?? 32);
      } else if (args.validationData) {
        const openVal = datasetOpener(args.validationData as Dataset, `${where} validationData`);
        validate = () => this.evaluateBatches(openVal(), `${where} validationData`);
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
      return await this.trainLoop(args, epochs, () => stepsSeen, {}, batches, validate);
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
  private validationPair(data: [DataLike, DataLike], made: Tensor[], where: string): [Tensor, Tensor] {
    const vx = toData(data[0], `${this.name}.${where} validationData x`);
    const vy = toData(data[1], `${this.name}.${where} validationData y`);
    if (vx.made) made.push(vx.t);
    if (vy.made) made.push(vy.t);
    this.checkPair(vx.t, vy.t, `${this.name}.${where} validationData`);
    return [vx.t, vy.t];
  }

  /** Checks one `{xs, ys}` element of a dataset and builds the model on the first one. */
  private datasetBatch(item: BatchLike, where: string): Batch {
    if (!item || typeof item !== 'object' || !('xs' in item) || !('ys' in item)) {
      throw new Error(`${where}: expected an object {xs, ys}, got ${item === null ? 'null' : Array.isArray(item) ? 'an array' : typeof item}`);
    }
    const X = toData(item.xs, `${where} xs`);
    let Y: { t: Tensor; made: boolean };
    try { Y = toData(item.ys, `${where} ys`); } catch (e) { if (X.made) X.t.dispose(); throw e; }
    const release = () => { if (X.made) X.t.dispose(); if (Y.made) Y.t.dispose(); };
    try {
      this.ensureGraph(X.t);
      this.packParameters();
      this.checkPair(X.t, Y.t, where);
      checkFinite(X.t, `${where}: xs`);
      checkFinite(Y.t, `${where}: ys`);
    } catch (e) { release(); throw e; }
    return { x: X.t, y: Y.t, release };
  }

  /**
   * The epoch loop shared by fit and fitDataset: callbacks, metrics, progress, history. `batches`
   * gives each epoch's batches; `steps` is the batch count when known (for the progress bar).
   */
  private async trainLoop(args: TrainLoopArgs, epochs: number, steps: number | (() => number | undefined),
                          params: Record<string, unknown>, batches: (epoch: number) => Iterator<Batch> | AsyncIterator<Batch>,
                          validate: (() => Logs | Promise<Logs>) | null): Promise<History> {
    const stepsNow = () => (typeof steps === 'function' ? steps() : steps);
    const verbose = args.verbose ?? 1;
    const progress = verbose ? new Progress(epochs, stepsNow(), verbose) : null;
    const hooks = args.callbacks ? (Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks]) : [];
    for (const h of hooks) if (h instanceof Callback) h.setModel(this);
    const callbacks = new CallbackList(hooks);
    const history = new History({ epochs, steps: stepsNow(), ...params });
    const metrics = this.makeMetrics();
    let lastYield = performance.now();

    this.stopTraining = false;
    await callbacks.call('onTrainBegin', {});
    for (let epoch = args.initialEpoch ?? 0; epoch < epochs && !this.stopTraining; epoch++) {
      await callbacks.call('onEpochBegin', epoch, {});
      progress?.epochBegin(epoch, stepsNow());
      for (const m of metrics) m.reset();
      let lossSum = 0, seen = 0;
      const logs: Logs = {};
      const it = batches(epoch);
      try {
        for (let b = 0; !this.stopTraining; b++) {
          // next() by hand rather than for-of: stopping early must not close an iterator reused next epoch
          const next = await it.next();
          if (next.done) break;
          const { x, y, release } = next.value;
          const count = x.shape[0];
          let loss: number;
          try {
            await callbacks.call('onBatchBegin', b, { batch: b, size: count });
            loss = this.step(x, y, metrics);
          } finally { release?.(); }
          lossSum += loss * count;
          seen += count;
          logs.loss = lossSum / seen;
          for (const m of metrics) logs[m.name] = m.result();
          const batchLogs = { batch: b, size: count, loss, ...Object.fromEntries(metrics.map((m) => [m.name, m.result()])) };
          await callbacks.call('onBatchEnd', b, batchLogs);
          progress?.batchEnd(b, logs);
          if (performance.now() - lastYield > 50) { await new Promise((r) => setTimeout(r, 0)); lastYield = performance.now(); }
        }
      } catch (e) {
        await it.return?.();
        throw e;
      }
      if (validate) {
        const vl = await validate();
        for (const [key, v] of Object.entries(vl)) logs[`val_${key}`] = v;
      }
      await callbacks.call('onEpochEnd', epoch, logs);
      history.record(epoch, logs);
      progress?.epochEnd(epoch, logs);
    }
    await callbacks.call('onTrainEnd', {});
    return history;
  }

  /** Trains on one batch; returns the loss, or [loss, ...metrics] when metrics were compiled. */
  async trainOnBatch(x: DataLike, y: DataLike): Promise<number | number[]> {
    const X = toData(x, `${this.name}.trainOnBatch x`), Y = toData(y, `${this.name}.trainOnBatch y`);
    try {
      this.ensureGraph(X.t);
      this.requireCompiled('trainOnBatch');
      this.packParameters();
      this.checkPair(X.t, Y.t, `${this.name}.trainOnBatch`);
      checkFinite(X.t, `${this.name}.trainOnBatch: x`);
      checkFinite(Y.t, `${this.name}.trainOnBatch: y`);
      const metrics = this.makeMetrics();
      const loss = this.step(X.t, Y.t, metrics);
      return metrics.length ? [loss, ...metrics.map((m) => m.result())] : loss;
    } finally {
      if (X.made) X.t.dispose();
      if (Y.made) Y.t.dispose();
    }
  }

  /** Loss of one batch in inference mode, updating the metrics. */
  private evalBatch(xb: Tensor, yb: Tensor, metrics: Metric[]): number {
    return tidy(() => this.forwardLoss(xb, yb, false, metrics).dataSync()[0]);
  }

  /** Loss and metrics over (x, y) in inference mode, batch by batch. */
  private evaluateLogs(xs: Tensor, ys: Tensor, batchSize: number): Logs {
    const metrics = this.makeMetrics();
    const n = xs.shape[0];
    let lossSum = 0;
    for (let start = 0; start < n; start += batchSize) {
      const count = Math.min(batchSize, n - start);
      lossSum += count * this.evalBatch(rowsView(xs, start, count), rowsView(ys, start, count), metrics);
    }
    const logs: Logs = { loss: lossSum / n };
    for (const m of metrics) logs[m.name] = m.result();
    return logs;
  }

  /** Loss and metrics over a stream of `{xs, ys}` batches, weighted by batch size. */
  private async evaluateBatches(it: AnyIterator<BatchLike>, where: string): Promise<Logs> {
    const metrics = this.makeMetrics();
    let lossSum = 0, n = 0;
    for (let b = 0; ; b++) {
      const next = await it.next();
      if (next.done) break;
      const { x, y, release } = this.datasetBatch(next.value, `${where}: batch ${b}`);
      try { lossSum += x.shape[0] * this.evalBatch(x, y, metrics); n += x.shape[0]; } finally { release?.(); }
    }
    if (n === 0) throw new Error(`${where}: the dataset yielded no batches (a one-shot iterator is used up after one epoch; pass a function returning a fresh iterable)`);
    const logs: Logs = { loss: lossSum / n };
    for (const m of metrics) logs[m.name] = m.result();
    return logs;
  }

  /** tfjs-style: the loss as a scalar tensor, or [loss, ...metrics] when metrics were compiled. */
  evaluate(x: DataLike, y: DataLike, args: { batchSize?: number } = {}): Tensor | Tensor[] {
    const X = toData(x, `${this.name}.evaluate x`), Y = toData(y, `${this.name}.evaluate y`);
    try {
      this.ensureGraph(X.t);
      this.requireCompiled('evaluate');
      this.checkPair(X.t, Y.t, `${this.name}.evaluate`);
      const logs = this.evaluateLogs(X.t, Y.t, args.batchSize ?? 32);
      const out = Object.values(logs).map((v) => tensor(v));
      return out.length === 1 ? out[0] : out;
    } finally {
      if (X.made) X.t.dispose();
      if (Y.made) Y.t.dispose();
    }
  }

  /** Outputs for x, computed in batches (inference mode: dropout off, moving statistics used). */
  predict(x: DataLike, args: { batchSize?: number } = {}): Tensor {
    const X = toData(x, `${this.name}.predict x`);
    try {
      this.ensureGraph(X.t);
      const xs = X.t;
      if (xs.rank === 0) throw new Error(`${this.name}.predict: x must have a batch dimension, got a scalar`);
      const n = xs.shape[0];
      const batchSize = args.batchSize ?? 32;
      let out: Tensor | null = null;
      let row = 0;
      for (let start = 0; start < n; start += batchSize) {
        const count = Math.min(batchSize, n - start);
        tidy(() => {
          const yb = this.execute([rowsView(xs, start, count)], false)[0];
          if (!out) {
            row = yb.size / count;
            out = Tensor.empty([n, ...yb.shape.slice(1)]).keep();
          }
          k().copy_f32(out.ptr + start * row * 4, yb.ptr, yb.size);
        });
      }
      return out ?? Tensor.empty([0, ...(this.outputs[0].shape.slice(1) as number[]).map((d) => d ?? 0)]);
    } finally {
      if (X.made) X.t.dispose();
    }
  }

  /** Prints a Keras-style table of layers, output shapes and parameter counts. */
  summary(lineLength = 65, _positions?: number[], printFn: (line: string) => void = console.log): void {
    this.requireBuilt('summary');
    const cols = [Math.floor(lineLength * 0.45), Math.floor(lineLength * 0.33)];
    // a cell wider than its column still leaves a space before the next one
    const cell = (s: string, width: number) => (s.length < width ? s.padEnd(width) : `${s} `);
    const line = (a: string, b: string, c: string) => printFn(cell(a, cols[0]) + cell(b, cols[1]) + c);
    printFn(`Model: "${this.name}"`);
    printFn('_'.repeat(lineLength));
    line('Layer (type)', 'Output shape', 'Param #');
    printFn('='.repeat(lineLength));
    // Functional models list their inputs too, as tfjs and Keras do.
    if (this.className !== 'Sequential') for (const s of this.inputs) line(`${s.name} (InputLayer)`, symShapeStr(s.shape), '0');
    for (const l of this.layers) {
      const shape = l.outputShape ? (Array.isArray(l.outputShape[0]) ? (l.outputShape as SymbolicShape[]).map(symShapeStr).join(' ') : symShapeStr(l.outputShape as SymbolicShape)) : '?';
      line(`${l.name} (${l.className})`, shape, String(l.countParams()));
    }
    printFn('='.repeat(lineLength));
    const total = this.countParams();
    const trainable = this.trainableWeights.reduce((n, v) => n + v.value.size, 0);
    printFn(`Total params: ${total}`);
    printFn(`Trainable params: ${trainable}`);
    printFn(`Non-trainable params: ${total - trainable}`);
    printFn('_'.repeat(lineLength));
  }

  /** Saves in the tfjs layers format: 'file://dir', 'indexeddb://name', 'downloads://name' or an IO handler. */
  async save(destination: string | IOHandler): Promise<SaveResult> {
    this.requireBuilt('save');
    return saveModel(this, destination);
  }

  /** Frees the weights and optimizer state. */
  dispose(): void {
    this.arena?.dispose();
    this.arena = null;
    this.optimizer?.dispose();
    for (const l of this.layers) l.dispose();
  }
}
