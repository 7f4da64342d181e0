// The recurrent layer base (Keras' `RNN`): weights, the loop options and the call into the
// whole-sequence op. One file per cell type (simple_rnn.ts, lstm.ts, gru.ts) says only what
// differs: the cell kind, its gates' activation and its bias.
import { Tensor } from '../../tensor';
import { Layer, LayerArgs, SymbolicShape, SymbolicTensor, LayerVariable, isShapeList, symShapeStr } from '../layer';
import { serialize } from '../core';
import { Activation, ActivationIdentifier, resolveActivation } from '../../ops/activation';
import { recurrentOp, CellKind, CELL_GATES, biasShape, checkRecurrentActivation } from '../../ops/rnn';
import { getInitializer, Initializer, InitializerSpec } from '../../initializers';
import { getRegularizer, Regularizer, RegularizerSpec } from '../../regularizers';
import { checkOptions, positiveInt, LAYER_KEYS, describe } from '../../options';
import { maskOf, setMask } from '../mask';

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
  /** Accepted for tfjs/Keras configs: only the values that change nothing (0, false, null) are allowed. */
  dropout?: number;
  recurrentDropout?: number;
  stateful?: boolean;
  unroll?: boolean;
  implementation?: number;
  kernelConstraint?: null;
  recurrentConstraint?: null;
  biasConstraint?: null;
}

export const RNN_KEYS = [...LAYER_KEYS, 'units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer',
  'biasInitializer', 'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'activityRegularizer',
  'returnSequences', 'returnState', 'goBackwards', 'dropout', 'recurrentDropout', 'stateful', 'unroll',
  'implementation', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint'] as const;

/** Options that tfjs/Keras write but whose only supported value is the neutral one. */
function refuseUnsupported(where: string, args: RNNArgs): void {
  const neutral: [keyof RNNArgs, unknown][] = [['dropout', 0], ['recurrentDropout', 0], ['stateful', false],
    ['kernelConstraint', null], ['recurrentConstraint', null], ['biasConstraint', null]];
  for (const [key, value] of neutral) {
    const v = args[key];
    if (v !== undefined && v !== value) throw new Error(`${where}: ${key} ${describe(v)} is not supported (only ${value})`);
  }
}

export abstract class RNN extends Layer {
  readonly units: number;
  readonly activation: Activation;
  readonly recurrentActivation: Activation;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
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
  }

  /** Fills the bias (the LSTM adds its unit forget bias). */
  protected initBias(t: Tensor): void { this.biasInitializer.fill(t); }

  call(inputs: Tensor | Tensor[]): Tensor | Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const [x, ...states] = list;
    if (states.length && states.length !== this.stateCount) {
      throw new Error(`${this.name}: expects the sequence and ${this.stateCount} initial state tensor${this.stateCount > 1 ? 's' : ''}, ` +
        `got ${states.length} state${states.length === 1 ? '' : 's'}`);
    }
    const outs = recurrentOp(x, this.kernel!.value, this.recurrentKernel!.value, this.bias ? this.bias.value : null,
      states.length ? states : null, {
        cell: this.cell, activation: this.activation, recurrentActivation: this.recurrentActivation,
        goBackwards: this.goBackwards, returnSequences: this.returnSequences, alignSequence: this.alignSequence,
        where: this.name, mask: maskOf(x, this.name),
      });
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
      biasConstraint: null, dropout: 0, recurrentDropout: 0, returnSequences: this.returnSequences,
      returnState: this.returnState, goBackwards: this.goBackwards, stateful: false, unroll: false,
    };
  }
}
