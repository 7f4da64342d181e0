// Core layers: dense, activation, dropout, flatten, reshape.
import { Tensor, sizeOf, shapeStr } from '../tensor';
import { Layer, LayerArgs, SymbolicShape, CallContext, LayerVariable, expectSingle, symShapeStr } from './layer';
import { denseOp } from '../ops/dense';
import { Activation, ActivationIdentifier, resolveActivation, withStraightThrough, activation as activationOp } from '../ops/activation';
import { getInitializer, Initializer, InitializerSpec } from '../initializers';
import { getRegularizer, Regularizer, RegularizerSpec } from '../regularizers';
import { dropout as dropoutOp, SeedStream } from '../random';
import { reshape as reshapeOp } from '../ops/shape';
import { checkOptions, LAYER_KEYS } from '../options';

/**
 * The nn.layers factories check their options against these lists, so a misspelled option fails
 * loudly. (Constructors do not: loading a saved model passes whole configs, extra keys included.)
 */
export const OPTION_KEYS: Record<string, readonly string[]> = {
  dense: ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer',
    'activityRegularizer', 'straightThrough'],
  activation: ['activation', 'straightThrough'],
  dropout: ['rate', 'seed'],
  flatten: ['dataFormat'],
  reshape: ['targetShape'],
};

/** `args` after checking its keys against LAYER_KEYS and the layer's own (for the factory `kind`). */
export function layerArgs<T>(kind: string, args: T, own: readonly string[] = OPTION_KEYS[kind]): T {
  checkOptions((args as { name?: string } | undefined)?.name ?? kind, args, [...LAYER_KEYS, ...own]);
  return args;
}

type InitSpec = InitializerSpec;
type RegSpec = RegularizerSpec;

export function serialize(x: { className: string; getConfig(): Record<string, unknown> } | null | undefined): unknown {
  return x ? { className: x.className, config: x.getConfig() } : null;
}

/** For step/sign activations: train through them with the clipped straight-through estimator. */
export interface StraightThroughArgs {
  /** Backward treats step/sign as identity where |x| <= 1 (else their gradient is zero). */
  straightThrough?: boolean;
}

/** The config entry of the option: written only when on, so other configs stay as tfjs writes them. */
function straightThroughConfig(act: Activation): Record<string, unknown> {
  return act.straightThrough ? { straightThrough: true } : {};
}

export interface DenseArgs extends LayerArgs, StraightThroughArgs {
  units: number;
  /** On a first layer: inputShape [inputDim]. */
  inputDim?: number;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitSpec;
  biasInitializer?: InitSpec;
  kernelRegularizer?: RegSpec;
  biasRegularizer?: RegSpec;
  /** A penalty on the layer's output, added to the loss (as Keras 3 adds it: not divided by the batch). */
  activityRegularizer?: RegSpec;
}

export class Dense extends Layer {
  readonly className = 'Dense';
  override readonly supportsMasking = true;
  readonly units: number;
  readonly activation: Activation;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly kernelRegularizer: Regularizer | null;
  private readonly biasRegularizer: Regularizer | null;
  private readonly activityRegularizer: Regularizer | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(args: DenseArgs) {
    // tfjs: inputDim on a first layer is shorthand for inputShape [inputDim]
    super(args?.inputDim !== undefined && !args.inputShape ? { ...args, inputShape: [args.inputDim] } : args);
    if (!args || !Number.isInteger(args.units) || args.units <= 0) {
      throw new Error(`${this.name}: units must be a positive integer, got ${args?.units}`);
    }
    this.units = args.units;
    this.activation = withStraightThrough(resolveActivation(args.activation, this.name), args.straightThrough, this.name);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, 'glorotUniform', this.name);
    this.biasInitializer = getInitializer(args.biasInitializer, 'zeros', this.name);
    this.kernelRegularizer = args.kernelRegularizer ? getRegularizer(args.kernelRegularizer, this.name) : null;
    this.biasRegularizer = args.biasRegularizer ? getRegularizer(args.biasRegularizer, this.name) : null;
    this.activityRegularizer = args.activityRegularizer ? getRegularizer(args.activityRegularizer, this.name) : null;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const s = expectSingle(this, inputShape);
    const inDim = s[s.length - 1];
    if (inDim === null || s.length < 2) {
      throw new Error(`${this.name}: needs a known last input dimension, got input shape ${symShapeStr(s)}`);
    }
    this.kernel = this.addWeight('kernel', [inDim, this.units], (t) => this.kernelInitializer.fill(t), true, this.kernelRegularizer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], (t) => this.biasInitializer.fill(t), true, this.biasRegularizer);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    const y = denseOp(x, this.kernel!.value, this.bias ? this.bias.value : null, this.activation, this.name);
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(y));
    return y;
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = expectSingle(this, inputShape);
    return [...s.slice(0, -1), this.units];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), units: this.units, activation: this.activation.name, ...straightThroughConfig(this.activation), useBias: this.useBias,
      kernelInitializer: serialize(this.kernelInitializer), biasInitializer: serialize(this.biasInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer), biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer), kernelConstraint: null, biasConstraint: null,
    };
  }
}

export function single(layer: Layer, inputs: Tensor | Tensor[]): Tensor {
  if (Array.isArray(inputs)) {
    if (inputs.length !== 1) throw new Error(`${layer.name}: expects one input, got ${inputs.length}`);
    return inputs[0];
  }
  return inputs;
}

export class ActivationLayer extends Layer {
  readonly className = 'Activation';
  override readonly supportsMasking = true;
  readonly activation: Activation;
  constructor(args: LayerArgs & StraightThroughArgs & { activation: ActivationIdentifier }) {
    super(args, 'activation');
    this.activation = withStraightThrough(resolveActivation(args?.activation, this.name), args?.straightThrough, this.name);
  }
  call(inputs: Tensor | Tensor[]): Tensor { return activationOp(single(this, inputs), this.activation); }
  computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape { return expectSingle(this, s); }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation.name, ...straightThroughConfig(this.activation) };
  }
}

export class Dropout extends Layer {
  readonly className = 'Dropout';
  override readonly supportsMasking = true;
  readonly rate: number;
  readonly seed?: number;
  /** With a seed, the layer's masks come from a stream of its own (Keras 3), else from setSeed's. */
  private readonly stream: SeedStream | null;
  constructor(args: LayerArgs & { rate: number; seed?: number }) {
    super(args);
    if (!(args?.rate >= 0 && args.rate < 1)) throw new Error(`${this.name}: rate must be in [0, 1), got ${args?.rate}`);
    this.rate = args.rate;
    this.seed = args.seed ?? undefined;
    this.stream = this.seed === undefined ? null : new SeedStream(this.seed, this.name);
  }
  call(inputs: Tensor | Tensor[], ctx: CallContext): Tensor {
    const x = single(this, inputs);
    return ctx.training && this.rate > 0 ? dropoutOp(x, this.rate, this.stream) : x;
  }
  computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape { return expectSingle(this, s); }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: null, seed: this.seed ?? null };
  }
}

export class Flatten extends Layer {
  readonly className = 'Flatten';
  constructor(args: LayerArgs & { dataFormat?: string } = {}) {
    super(args);
    const f = args.dataFormat;
    if (f !== undefined && f !== null && f !== 'channelsLast') throw new Error(`${this.name}: only dataFormat 'channelsLast' is supported, got ${String(f)}`);
  }
  call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    return reshapeOp(x, [x.shape[0], x.size / Math.max(1, x.shape[0])]);
  }
  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = expectSingle(this, inputShape);
    const rest = s.slice(1);
    if (rest.some((d) => d === null)) throw new Error(`${this.name}: cannot flatten input shape ${symShapeStr(s)} with unknown dimensions`);
    return [s[0], sizeOf(rest as number[])];
  }
  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), dataFormat: 'channelsLast' }; }
}

export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: number[];
  constructor(args: LayerArgs & { targetShape: number[] }) {
    super(args);
    if (!Array.isArray(args?.targetShape)) throw new Error(`${this.name}: targetShape is required`);
    const t = args.targetShape;
    if (t.some((d) => !(Number.isInteger(d) && (d > 0 || d === -1))) || t.filter((d) => d === -1).length > 1) {
      throw new Error(`${this.name}: targetShape must hold positive integers and at most one -1, got ${shapeStr(t)}`);
    }
    this.targetShape = t.slice();
  }
  call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    return reshapeOp(x, [x.shape[0], ...this.resolve(x.shape.slice(1))]);
  }
  private resolve(sample: number[]): number[] {
    const n = sizeOf(sample);
    const known = this.targetShape.filter((d) => d !== -1);
    const out = this.targetShape.slice();
    const free = out.indexOf(-1);
    if (free >= 0) out[free] = n / Math.max(1, sizeOf(known));
    if (sizeOf(out) !== n || !Number.isInteger(out[free] ?? 0)) {
      throw new Error(`${this.name}: cannot reshape samples of shape ${shapeStr(sample)} to ${shapeStr(this.targetShape)}`);
    }
    return out;
  }
  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = expectSingle(this, inputShape);
    const sample = s.slice(1);
    if (sample.some((d) => d === null)) return [s[0], ...this.targetShape.map((d) => (d === -1 ? null : d))];
    return [s[0], ...this.resolve(sample as number[])];
  }
  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), targetShape: this.targetShape }; }
}
