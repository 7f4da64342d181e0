// JordanRNN: the previous OUTPUT is fed back, not the hidden state (Jordan 1986):
// h_t = activation(x_t·W + y_{t−1}·U + b), y_t = outputActivation(h_t·V + c). Weights kernel [in, u],
// recurrent_kernel [outputUnits, u], bias [u], output_kernel [u, outputUnits], output_bias
// [outputUnits]. The layer outputs y (a sequence with returnSequences); its state is y_T.
// Not a tfjs/Keras class: saving warns that tfjs cannot load it.
import { Tensor } from '../../tensor';
import { SymbolicShape, LayerVariable, CallContext } from '../layer';
import { resolveActivation, Activation } from '../../ops/activation';
import { jordanOp, CellKind, checkRecurrentActivation } from '../../ops/rnn';
import { getInitializer, Initializer, InitializerSpec } from '../../initializers';
import { positiveInt } from '../../options';
import { serialize } from '../core';
import { RNN, RNNArgs, RNN_KEYS } from './base';
import { maskOf } from '../mask';

export interface JordanRNNArgs extends RNNArgs {
  outputUnits: number;
  /** Default 'linear'. */
  outputActivation?: string;
  outputInitializer?: InitializerSpec;
  outputBiasInitializer?: InitializerSpec;
}

export class JordanRNN extends RNN {
  readonly className = 'JordanRNN';
  readonly outputUnits: number;
  readonly outputActivation: Activation;
  private readonly outputInitializer: Initializer;
  private readonly outputBiasInitializer: Initializer;
  outputKernel: LayerVariable | null = null;
  outputBias: LayerVariable | null = null;
  protected get cell(): CellKind { return 'simple'; }
  protected override get stateUnits(): number { return this.outputUnits; }

  constructor(args: JordanRNNArgs) {
    super(args, [...RNN_KEYS, 'outputUnits', 'outputActivation', 'outputInitializer', 'outputBiasInitializer']);
    this.outputUnits = positiveInt(this.name, 'outputUnits', args.outputUnits);
    this.outputActivation = checkRecurrentActivation(resolveActivation(args.outputActivation ?? 'linear', this.name), this.name, 'outputActivation');
    this.outputInitializer = getInitializer(args.outputInitializer, 'glorotUniform', this.name);
    this.outputBiasInitializer = getInitializer(args.outputBiasInitializer, 'zeros', this.name);
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    if (s.length !== 3 || s[2] === null) {
      throw new Error(`${this.name}: expects a sequence input [batch, timeSteps, features] with known features, got shape [${s.join(',')}]`);
    }
    const [u, o] = [this.units, this.outputUnits];
    this.kernel = this.addWeight('kernel', [s[2], u], (t) => this.kernelInitializer.fill(t), true, this.kernelRegularizer);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [o, u], (t) => this.recurrentInitializer.fill(t), true, this.recurrentRegularizer);
    if (this.useBias) this.bias = this.addWeight('bias', [u], (t) => this.biasInitializer.fill(t), true, this.biasRegularizer);
    this.outputKernel = this.addWeight('output_kernel', [u, o], (t) => this.outputInitializer.fill(t));
    if (this.useBias) this.outputBias = this.addWeight('output_bias', [o], (t) => this.outputBiasInitializer.fill(t));
    this.buildStates(s);
  }

  override call(inputs: Tensor | Tensor[], ctx?: CallContext): Tensor | Tensor[] {
    const [x, ...given] = Array.isArray(inputs) ? inputs : [inputs];
    if (given.length > 1) throw new Error(`${this.name}: expects the sequence and at most 1 initial state tensor, got ${given.length}`);
    const states = this.initialStates(x, given);
    const xd = this.dropInputs(x, !!ctx?.training);
    const rmask = this.recurrentMask(x, !!ctx?.training);
    const v = (l: LayerVariable | null) => (l ? l.value : null);
    const outs = this.freeingOnError(x, xd, rmask, () => jordanOp(xd, this.kernel!.value, this.recurrentKernel!.value, v(this.bias),
      this.outputKernel!.value, v(this.outputBias), states[0] ?? null, { activation: this.activation,
        outputActivation: this.outputActivation, goBackwards: this.goBackwards, returnSequences: this.returnSequences,
        where: this.name, mask: maskOf(x, this.name), recurrentMask: rmask }));
    return this.finish(x, xd, rmask, outs);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as SymbolicShape;
    const y: SymbolicShape = this.returnSequences ? [s[0], s[1], this.outputUnits] : [s[0], this.outputUnits];
    return this.returnState ? [y, [s[0], this.outputUnits]] : y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), outputUnits: this.outputUnits, outputActivation: this.outputActivation.name,
      outputInitializer: serialize(this.outputInitializer), outputBiasInitializer: serialize(this.outputBiasInitializer) };
  }
}
