// The recurrent layer base (Keras' `RNN`): weights, the loop options and the call into the
// whole-sequence op. One file per cell type (simple_rnn.ts, lstm.ts, gru.ts) says only what
// differs: the cell kind, its gates' activation and its bias.
import { Tensor, ones, zeros, shapeStr } from '../../tensor';
import { Layer, LayerArgs, SymbolicShape, SymbolicTensor, LayerVariable, CallContext, isShapeList, symShapeStr } from '../layer';
import { serialize } from '../core';
import { Activation, ActivationIdentifier, resolveActivation } from '../../ops/activation';
import { recurrentOp, CellKind, CELL_GATES, biasShape, checkRecurrentActivation } from '../../ops/rnn';
import { getInitializer, Initializer, InitializerSpec } from '../../initializers';
import { getRegularizer, Regularizer, RegularizerSpec } from '../../regularizers';
import { checkOptions, positiveInt, LAYER_KEYS, describe } from '../../options';
import { maskOf, setMask } from '../mask';
import { dropout as dropoutOp, SeedStream } from '../../random';
import { mul } from '../../ops/elementwise';
import { k } from '../../wasm';

export interface RNNArgs extends LayerArgs {
  units: number;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerSpec;
  recurrentInitializer?: InitializerSpec;
  biasInitializer?: InitializerSpec;
  kernelRegularizer?: RegularizerSpec;
  recurrentRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
  activityRegularizer?: RegularizerSpec;
  /** Output the whole sequence [batch, timeSteps, units] rather than the last step [batch, units]. */
  returnSequences?: boolean;
  /** Also output the last state(s): [output, h] (or [output, h, c] for an LSTM). */
  returnState?: boolean;
  /** Read the sequence from its last step to its first (the output sequence comes out in that order). */
  goBackwards?: boolean;
  /**
   * Fraction of the input features dropped while training (inverted dropout): one mask per sample
   * over the features, the same at every time step (Keras, tfjs).
   */
  dropout?: number;
  /** Fraction of the recurrent state's units dropped while training: one mask on h_{t−1} for every step. */
  recurrentDropout?: number;
  /** Keras 3's seed: the dropout masks come from a stream of their own, else from setSeed's. */
  seed?: number | null;
  /**
   * Keep the last states of a call as the initial states of the next (needs a fixed batch size:
   * batchInputShape, or batchSize with inputShape); `resetStates()` zeroes them.
   */
  stateful?: boolean;
  /** Accepted for tfjs/Keras configs: only the values that change nothing (false, 1/2, null) are allowed. */
  unroll?: boolean;
  implementation?: number;
  kernelConstraint?: null;
  recurrentConstraint?: null;
  biasConstraint?: null;
}

export const RNN_KEYS = [...LAYER_KEYS, 'units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer',
  'biasInitializer', 'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'activityRegularizer',
  'returnSequences', 'returnState', 'goBackwards', 'dropout', 'recurrentDropout', 'seed', 'stateful', 'unroll',
  'implementation', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint'] as const;

/** Options that tfjs/Keras write but whose only supported value is the neutral one. */
function refuseUnsupported(where: string, args: RNNArgs): void {
  const neutral: [keyof RNNArgs, unknown][] = [['kernelConstraint', null], ['recurrentConstraint', null], ['biasConstraint', null]];
  for (const [key, value] of neutral) {
    const v = args[key];
    if (v !== undefined && v !== value) throw new Error(`${where}: ${key} ${describe(v)} is not supported (only ${value})`);
  }
}

/** A dropout fraction option: a number in [0, 1), 0 when not given. */
function dropoutRate(where: string, key: string, v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new Error(`${where}: ${key} must be a number in [0, 1), got ${describe(v)}`);
  return v;
}

export abstract class RNN extends Layer {
  readonly units: number;
  readonly activation: Activation;
  readonly recurrentActivation: Activation;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly stateful: boolean;
  readonly seed?: number;
  private readonly stream: SeedStream | null;
  /** A stateful layer's states (h; h and c for an LSTM) carried from call to call; null until built. */
  private heldStates: Tensor[] | null = null;
  protected readonly kernelInitializer: Initializer;
  protected readonly recurrentInitializer: Initializer;
  protected readonly biasInitializer: Initializer;
  protected readonly kernelRegularizer: Regularizer | null;
  protected readonly recurrentRegularizer: Regularizer | null;
  protected readonly biasRegularizer: Regularizer | null;
  protected readonly activityRegularizer: Regularizer | null;
  kernel: LayerVariable | null = null;
  recurrentKernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;
  /** With goBackwards, output the sequence in input order (set by Bidirectional on its backward copy). */
  alignSequence = false;

  /** Which fused cell runs the sequence. */
  protected abstract get cell(): CellKind;
  /** How many state tensors the cell carries (h; h and c for an LSTM). */
  protected get stateCount(): number { return 1; }
  /** The size of each state (the units; a Jordan network's state is its output). */
  protected get stateUnits(): number { return this.units; }

  constructor(args: RNNArgs, known: readonly string[], recurrentActivation?: string) {
    super(args);
    checkOptions(this.name, args, known);
    refuseUnsupported(this.name, args);
    this.units = positiveInt(this.name, 'units', args.units);
    this.activation = checkRecurrentActivation(resolveActivation(args.activation ?? 'tanh', this.name), this.name);
    this.recurrentActivation = checkRecurrentActivation(resolveActivation(recurrentActivation ?? this.activation.name, this.name),
      this.name, 'recurrentActivation');
    this.useBias = args.useBias ?? true;
    this.returnSequences = !!args.returnSequences;
    this.returnState = !!args.returnState;
    this.goBackwards = !!args.goBackwards;
    this.dropout = dropoutRate(this.name, 'dropout', args.dropout);
    this.recurrentDropout = dropoutRate(this.name, 'recurrentDropout', args.recurrentDropout);
    if (args.stateful !== undefined && args.stateful !== null && typeof args.stateful !== 'boolean') {
      throw new Error(`${this.name}: stateful must be true or false, got ${describe(args.stateful)}`);
    }
    this.stateful = !!args.stateful;
    this.seed = args.seed ?? undefined;
    this.stream = this.seed === undefined ? null : new SeedStream(this.seed, this.name);
    this.kernelInitializer = getInitializer(args.kernelInitializer, 'glorotUniform', this.name);
    this.recurrentInitializer = getInitializer(args.recurrentInitializer, 'orthogonal', this.name);
    this.biasInitializer = getInitializer(args.biasInitializer, 'zeros', this.name);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, this.name);
    this.recurrentRegularizer = getRegularizer(args.recurrentRegularizer, this.name);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, this.name);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, this.name);
  }

  /** The sequence input's shape (the first input when initial states follow it). */
  private sequenceShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = isShapeList(inputShape) ? inputShape[0] : inputShape;
    if (s.length !== 3) {
      throw new Error(`${this.name}: expects a sequence input [batch, timeSteps, features], got shape ${symShapeStr(s)}`);
    }
    return s;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const s = this.sequenceShape(inputShape);
    const inDim = s[2];
    if (inDim === null) throw new Error(`${this.name}: needs a known feature size, got input shape ${symShapeStr(s)}`);
    const cols = CELL_GATES[this.cell] * this.units;
    this.kernel = this.addWeight('kernel', [inDim, cols], (t) => this.kernelInitializer.fill(t), true, this.kernelRegularizer);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, cols], (t) => this.recurrentInitializer.fill(t),
      true, this.recurrentRegularizer);
    if (this.useBias) {
      this.bias = this.addWeight('bias', biasShape(this.cell, this.units), (t) => this.initBias(t), true, this.biasRegularizer);
    }
    this.buildStates(s);
  }

  /** A stateful layer's states: zeros of [batch, stateUnits], batch fixed by the input shape. */
  protected buildStates(s: SymbolicShape): void {
    if (!this.stateful) return;
    const batch = s[0];
    if (batch === null) {
      throw new Error(`${this.name}: a stateful layer needs a fixed batch size; give the model's first layer batchInputShape ` +
        `[batch, timeSteps, features] (or batchSize with inputShape), got input shape ${symShapeStr(s)}`);
    }
    this.heldStates = Array.from({ length: this.stateCount }, () => zeros([batch, this.stateUnits]).keep());
  }

  /** Zeroes a stateful layer's states, or sets them to `states` (one [batch, units] tensor each; Keras' reset_states). */
  resetStates(states?: Tensor | Tensor[]): void {
    if (!this.stateful) throw new Error(`${this.name}: resetStates() needs a stateful layer (stateful: true)`);
    if (!this.heldStates) return; // not built yet: it starts from zeros anyway
    const given = states === undefined ? null : Array.isArray(states) ? states : [states];
    if (given) {
      const want = this.heldStates.map((t) => shapeStr(t.shape)).join(', ');
      if (given.length !== this.heldStates.length || given.some((t, i) => shapeStr(t.shape) !== shapeStr(this.heldStates![i].shape))) {
        throw new Error(`${this.name}.resetStates: expects ${want}, got ${given.map((t) => shapeStr(t.shape)).join(', ')}`);
      }
    }
    this.heldStates.forEach((t, i) => {
      if (given) k().copy_f32(t.ptr, given[i].ptr, t.size);
      else k().fill_f32(t.ptr, t.size, 0);
    });
  }

  /** The current states of a stateful layer (copies), or null. */
  get states(): Tensor[] | null {
    return this.heldStates ? this.heldStates.map((t) => { const c = Tensor.empty(t.shape); k().copy_f32(c.ptr, t.ptr, t.size); return c; }) : null;
  }

  /**
   * What the sequence op starts from: the given initial states, else a stateful layer's held ones
   * (after checking the batch size it was built for).
   */
  protected initialStates(x: Tensor, given: Tensor[]): Tensor[] {
    if (!this.heldStates) return given;
    const batch = this.heldStates[0].shape[0];
    if (x.shape[0] !== batch) {
      throw new Error(`${this.name}: a stateful layer runs batches of ${batch} samples (its states are ` +
        `${shapeStr(this.heldStates[0].shape)}), got input shape ${shapeStr(x.shape)}`);
    }
    return given.length ? given : this.heldStates;
  }

  /** A stateful layer keeps the last states (values only: no gradient flows from one call into the next). */
  protected holdStates(last: Tensor[]): void {
    this.heldStates?.forEach((t, i) => k().copy_f32(t.ptr, last[i].ptr, t.size));
  }

  /**
   * The input with dropout applied while training: one [batch, 1, features] mask broadcast over
   * the steps, so every step of a sequence drops the same features. Returns x itself otherwise.
   */
  protected dropInputs(x: Tensor, training: boolean): Tensor {
    if (!training || this.dropout === 0) return x;
    const keep = ones([x.shape[0], 1, x.shape[2]]);
    const mask = dropoutOp(keep, this.dropout, this.stream);
    keep.dispose();
    const y = mul(x, mask);
    if (!y.requiresGrad) mask.dispose();
    return y;
  }

  /** A [batch, units] mask of the recurrent state for this call while training, else null. */
  protected recurrentMask(x: Tensor, training: boolean): Tensor | null {
    if (!training || this.recurrentDropout === 0) return null;
    const keep = ones([x.shape[0], this.stateUnits]);
    const mask = dropoutOp(keep, this.recurrentDropout, this.stream);
    keep.dispose();
    return mask;
  }

  override dispose(): void {
    super.dispose();
    for (const t of this.heldStates ?? []) t.dispose();
    this.heldStates = null;
  }

  /** Fills the bias (the LSTM adds its unit forget bias). */
  protected initBias(t: Tensor): void { this.biasInitializer.fill(t); }

  call(inputs: Tensor | Tensor[], ctx?: CallContext): Tensor | Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const [x, ...given] = list;
    if (given.length && given.length !== this.stateCount) {
      throw new Error(`${this.name}: expects the sequence and ${this.stateCount} initial state tensor${this.stateCount > 1 ? 's' : ''}, ` +
        `got ${given.length} state${given.length === 1 ? '' : 's'}`);
    }
    const states = this.initialStates(x, given);
    const training = !!ctx?.training;
    const xd = this.dropInputs(x, training);
    const rmask = this.recurrentMask(x, training);
    const outs = this.freeingOnError(x, xd, rmask, () => recurrentOp(xd, this.kernel!.value, this.recurrentKernel!.value,
      this.bias ? this.bias.value : null, states.length ? states : null, {
        cell: this.cell, activation: this.activation, recurrentActivation: this.recurrentActivation,
        goBackwards: this.goBackwards, returnSequences: this.returnSequences, alignSequence: this.alignSequence,
        where: this.name, mask: maskOf(x, this.name), recurrentMask: rmask,
      }));
    return this.finish(x, xd, rmask, outs);
  }

  /** Runs the sequence op; if it refuses the call, frees the dropped-out input and mask made for it. */
  protected freeingOnError(x: Tensor, xd: Tensor, rmask: Tensor | null, op: () => Tensor[]): Tensor[] {
    try {
      return op();
    } catch (e) {
      for (const t of [xd === x ? null : xd, rmask]) t?.dispose();
      throw e;
    }
  }

  /** After the sequence op: held states, mask, activity loss, intermediates freed when no tape holds them. */
  protected finish(x: Tensor, xd: Tensor, rmask: Tensor | null, outs: Tensor[]): Tensor | Tensor[] {
    this.holdStates(outs.slice(1));
    if (!outs[0].requiresGrad) for (const t of [xd === x ? null : xd, rmask]) t?.dispose();
    this.passMask(x, outs[0]);
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(outs[0]));
    if (this.returnState) return outs;
    for (const t of outs.slice(1)) if (!t.requiresGrad) t.dispose();
    return outs[0];
  }

  /** A returned sequence keeps its input's mask (Keras), for the next recurrent layer. */
  passMask(x: Tensor, y: Tensor): void {
    if (this.returnSequences) setMask(y, maskOf(x, this.name));
  }

  /** Eager or symbolic; `initialState` is appended to the inputs (Keras' initial_state). */
  override apply(inputs: any, opts: { training?: boolean; initialState?: Tensor[] | SymbolicTensor[] } = {}): any {
    checkOptions(`${this.name}.apply`, opts, ['training', 'initialState']);
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const all = opts.initialState ? [...list, ...opts.initialState] : inputs;
    return super.apply(all, { training: opts.training });
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const [batch, steps, features] = this.sequenceShape(inputShape);
    const built = this.kernel?.shape[0];
    if (built !== undefined && features !== null && features !== built) {
      throw new Error(`${this.name}: was built for ${built} features per time step, got input shape ${symShapeStr([batch, steps, features])}`);
    }
    const y: SymbolicShape = this.returnSequences ? [batch, steps, this.units] : [batch, this.units];
    if (!this.returnState) return y;
    return [y, ...Array.from({ length: this.stateCount }, (): SymbolicShape => [batch, this.units])];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), units: this.units, activation: this.activation.name, useBias: this.useBias,
      kernelInitializer: serialize(this.kernelInitializer), recurrentInitializer: serialize(this.recurrentInitializer),
      biasInitializer: serialize(this.biasInitializer), kernelRegularizer: serialize(this.kernelRegularizer),
      recurrentRegularizer: serialize(this.recurrentRegularizer), biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer), kernelConstraint: null, recurrentConstraint: null,
      biasConstraint: null, dropout: this.dropout, recurrentDropout: this.recurrentDropout,
      returnSequences: this.returnSequences, returnState: this.returnState, goBackwards: this.goBackwards,
      stateful: this.stateful, unroll: false, ...(this.seed === undefined ? {} : { seed: this.seed }),
    };
  }
}
