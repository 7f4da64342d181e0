// The Layer base class, its weights, and the symbolic tensors of the functional API.
// Layers stay thin: they hold weights and compose differentiable ops; ops own the gradients.
import { Tensor, shapeStr } from '../tensor';
import { k } from '../wasm';
import { carryMask } from './mask';

/** A shape with an unknown batch (or time) dimension written as null, as in Keras. */
export type SymbolicShape = (number | null)[];

export function symShapeStr(s: SymbolicShape): string { return `[${s.map((d) => (d === null ? 'null' : d)).join(',')}]`; }

let uid = 0;
const nameCounts = new Map<string, number>();

/** Keras-style unique names: dense_1, dense_2, ... */
export function uniqueName(prefix: string): string {
  const n = (nameCounts.get(prefix) ?? 0) + 1;
  nameCounts.set(prefix, n);
  return `${prefix}_${n}`;
}

function snake(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

/**
 * A weight of a layer. `learnable` says whether the layer ever trains it (batch-norm moving statistics
 * are not); `trainable` is whether it trains now (learnable and its layer not frozen). Its value may
 * live in a model's parameter arena.
 */
export class LayerVariable {
  readonly id = uid++;
  /** The model parameter arena `value` points into, if any (see models/arena.ts). @internal */
  arena: { stale: boolean } | null = null;
  private _trainable: boolean;
  constructor(public readonly name: string, public value: Tensor, public readonly learnable: boolean,
              public readonly regularizer: { apply(w: Tensor): Tensor } | null = null) {
    value.keep();
    this._trainable = learnable;
    value.requiresGrad = learnable;
  }

  get trainable(): boolean { return this._trainable; }
  /** Freezing stops gradients at once; a model repacks its parameter arena before its next step. */
  set trainable(on: boolean) {
    this._trainable = on && this.learnable;
    this.value.requiresGrad = this._trainable;
  }

  get shape(): number[] { return this.value.shape; }

  /** Copies `t` into this variable (shapes must match). */
  assign(t: Tensor, where: string): void {
    if (t.size !== this.value.size || t.rank !== this.value.rank || t.shape.some((d, i) => d !== this.value.shape[i])) {
      throw new Error(`${where}: weight '${this.name}' has shape ${shapeStr(this.value.shape)} but got ${shapeStr(t.shape)}`);
    }
    k().copy_f32(this.value.ptr, t.ptr, t.size);
  }
}

/** A placeholder for a tensor in a graph being built with the functional API. */
export class SymbolicTensor {
  readonly id = uid++;
  constructor(public readonly shape: SymbolicShape, public readonly sourceLayer: Layer | null,
              public readonly inputs: SymbolicTensor[], public readonly name: string,
              /** Which of the source layer's outputs this is. */
              public readonly outputIndex = 0) {}
}

/** Penalties layers add while a model computes its loss (activity regularization). */
let lossSink: Tensor[] | null = null;

/** Runs fn, returning what it returns plus the losses layers added meanwhile. */
export function collectLayerLosses<T>(fn: () => T): { value: T; losses: Tensor[] } {
  const outer = lossSink;
  const losses: Tensor[] = [];
  lossSink = losses;
  try {
    return { value: fn(), losses };
  } finally {
    lossSink = outer;
  }
}

export interface LayerArgs {
  name?: string;
  /** Shape of one sample (without the batch dimension); only needed on a model's first layer. */
  inputShape?: number[];
  batchInputShape?: SymbolicShape;
  batchSize?: number;
  trainable?: boolean;
  dtype?: 'float32';
}

export interface CallContext {
  training: boolean;
}

export abstract class Layer {
  abstract readonly className: string;
  /** Works step by step, so its output keeps its input's mask of padded steps (src/layers/mask.ts). */
  readonly supportsMasking: boolean = false;
  name: string;
  built = false;
  private _trainable = true;
  readonly batchInputShape: SymbolicShape | null;
  protected readonly variables: LayerVariable[] = [];
  /** Output shape seen when last built/applied, for summary(). */
  outputShape: SymbolicShape | SymbolicShape[] | null = null;
  inputShapeSeen: SymbolicShape | SymbolicShape[] | null = null;

  constructor(args: LayerArgs = {}, prefix?: string) {
    this.name = args.name ?? uniqueName(prefix ?? snake(this.constructor.name));
    this.trainable = args.trainable ?? true;
    if (args.batchInputShape) this.batchInputShape = args.batchInputShape.slice();
    else if (args.inputShape) this.batchInputShape = [args.batchSize ?? null, ...args.inputShape];
    else this.batchInputShape = null;
    if (this.batchInputShape && !this.batchInputShape.every((d) => d === null || (Number.isInteger(d) && d > 0))) {
      throw new Error(`${this.name}: input shape ${symShapeStr(this.batchInputShape)} must hold positive integers (null for any size)`);
    }
  }

  /** Whether the layer's weights train. Setting it after build freezes or unfreezes them (as Keras). */
  get trainable(): boolean { return this._trainable; }
  set trainable(on: boolean) {
    this._trainable = !!on;
    for (const v of this.variables) v.trainable = this._trainable;
  }

  /** Creates weights for inputs of this shape. Called once, before the first call. */
  build(_inputShape: SymbolicShape | SymbolicShape[]): void {}

  /** The forward computation, composed of differentiable ops. */
  abstract call(inputs: Tensor | Tensor[], ctx: CallContext): Tensor | Tensor[];

  /**
   * Inference only: this layer followed by `next` (the only reader of its output) as one
   * computation, or null when there is none. The graph runs it in place of the two calls when no
   * tape records and training is off; it returns null for inputs it does not cover (then the
   * two layers run as usual). @internal
   */
  fuseForInference(_next: Layer): ((x: Tensor) => Tensor | null) | null { return null; }

  /** Output shape for an input shape, without computing anything. */
  abstract computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[];

  /** Layer-specific options, in the tfjs layers serialization form (camelCase keys). */
  getConfig(): Record<string, unknown> {
    const cfg: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: 'float32' };
    if (this.batchInputShape) cfg.batchInputShape = this.batchInputShape;
    return cfg;
  }

  /** Adds a scalar penalty to the loss being computed (ignored outside a model's loss). */
  protected addLoss(penalty: Tensor): void { lossSink?.push(penalty); }

  protected addWeight(name: string, shape: number[], fill: (t: Tensor) => void, trainable = true,
                      regularizer: { apply(w: Tensor): Tensor } | null = null): LayerVariable {
    const t = Tensor.empty(shape);
    fill(t);
    const v = new LayerVariable(`${this.name}/${name}`, t, trainable, regularizer);
    v.trainable = this.trainable;
    this.variables.push(v);
    return v;
  }

  /** All weights in declaration order (Keras' and the saved manifest's order). */
  get weights(): LayerVariable[] { return this.variables.slice(); }
  get trainableWeights(): LayerVariable[] { return this.variables.filter((v) => v.trainable); }
  get nonTrainableWeights(): LayerVariable[] { return this.variables.filter((v) => !v.trainable); }

  countParams(): number {
    let n = 0;
    for (const v of this.variables) n += v.value.size;
    return n;
  }

  /** Copies of the weights' values, in getWeights order. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => { const t = Tensor.empty(v.shape); k().copy_f32(t.ptr, v.value.ptr, t.size); return t; });
  }

  setWeights(values: Tensor[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new Error(`${this.name}.setWeights: expected ${ws.length} tensors (${ws.map((w) => shapeStr(w.shape)).join(', ')}), got ${values.length}`);
    }
    ws.forEach((w, i) => w.assign(values[i], `${this.name}.setWeights`));
  }

  /** Builds on first use, checking the input against what the layer was built for. */
  ensureBuilt(inputShape: SymbolicShape | SymbolicShape[]): void {
    if (this.built) return;
    this.build(inputShape);
    this.trainable = this._trainable; // also over weights a wrapper took from the layers it wraps
    this.built = true;
    this.inputShapeSeen = inputShape;
    this.outputShape = this.computeOutputShape(inputShape);
  }

  /**
   * Symbolic inputs → symbolic output (functional API); concrete tensors → the layer's output,
   * computed eagerly in inference mode.
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor;
  apply(inputs: Tensor | Tensor[], opts?: { training?: boolean }): Tensor | Tensor[];
  apply(inputs: any, opts: { training?: boolean } = {}): any {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    if (list.length && list.every((x: unknown) => x instanceof SymbolicTensor)) {
      const syms = (list as SymbolicTensor[]).slice(); // its own array: it identifies this call (one node)
      const shape = Array.isArray(inputs) ? syms.map((s) => s.shape) : syms[0].shape;
      this.ensureBuilt(shape);
      const out = this.computeOutputShape(shape);
      // A layer with several outputs (an RNN with returnState) gives one symbolic tensor per output.
      if (isShapeList(out)) return out.map((s, i) => new SymbolicTensor(s, this, syms, `${this.name}/out${i}`, i));
      return new SymbolicTensor(out, this, syms, `${this.name}/out`);
    }
    const tensors = list as Tensor[];
    const shape = Array.isArray(inputs) ? tensors.map((t) => t.shape) : tensors[0].shape;
    this.ensureBuilt(shape);
    const x = Array.isArray(inputs) ? tensors : tensors[0];
    const out = this.call(x, { training: !!opts.training });
    carryMask(this, x, out);
    return out;
  }

  /** Frees the weights (layers not packed into a model own their weights' memory). */
  dispose(): void {
    for (const v of this.variables) v.value.dispose();
  }
}

export function isShapeList(s: SymbolicShape | SymbolicShape[]): s is SymbolicShape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** Checks one input shape against an expected rank / last dimension, naming the layer. */
export function expectSingle(layer: Layer, shape: SymbolicShape | SymbolicShape[]): SymbolicShape {
  if (isShapeList(shape)) throw new Error(`${layer.name}: expects one input, got ${shape.length}`);
  return shape;
}

/** `nn.input({shape})`: the entry point of a functional model. */
export function input(args: { shape?: number[]; batchShape?: SymbolicShape; name?: string }): SymbolicTensor {
  const shape = args.batchShape ?? (args.shape ? [null, ...args.shape] : null);
  if (!shape) throw new Error('input: give `shape` (without the batch dimension) or `batchShape`');
  const layer = new InputLayer({ batchInputShape: shape, name: args.name });
  return new SymbolicTensor(shape, layer, [], layer.name);
}

export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  constructor(args: LayerArgs) { super(args, 'input'); this.built = true; }
  call(inputs: Tensor | Tensor[]): Tensor | Tensor[] { return inputs; }
  computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] { return s; }
  override getConfig(): Record<string, unknown> {
    return { batchInputShape: this.batchInputShape, dtype: 'float32', sparse: false, name: this.name };
  }
}
