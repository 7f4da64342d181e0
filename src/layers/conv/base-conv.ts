// The shared logic of the convolution layers (Keras' base_conv): options, weights
// kernel:(…kernelSize, inChannels, filters) and bias:(filters), output shapes, the tfjs config.
// conv1d rides on the 2-D op with height 1. Inputs are channels-last only.
import { Tensor } from '../../tensor';
import { Layer, LayerArgs, LayerVariable, SymbolicShape, expectSingle, symShapeStr } from '../layer';
import { single, serialize } from '../core';
import { Activation, ActivationIdentifier, resolveActivation } from '../../ops/activation';
import { PaddingMode, Conv2DInfo, conv2dCore, conv2dInfo, conv1dInfo, convGeometry, conv2dMaxPool2x2 } from '../../ops/conv';
import { getInitializer, Initializer, InitializerSpec } from '../../initializers';
import { getRegularizer, Regularizer, RegularizerSpec } from '../../regularizers';
import { LAYER_KEYS, checkOptions, positiveInt, describe } from '../../options';

type InitSpec = InitializerSpec;

export interface ConvLayerArgs extends LayerArgs {
  filters: number;
  kernelSize: number | number[];
  strides?: number | number[];
  padding?: PaddingMode;
  dataFormat?: 'channelsLast';
  dilationRate?: number | number[];
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitSpec;
  biasInitializer?: InitSpec;
  kernelRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
  /** A penalty on the layer's output, added to the loss. */
  activityRegularizer?: RegularizerSpec;
  /** Only null (tfjs and Keras write it). */
  kernelConstraint?: null;
  biasConstraint?: null;
  /** Only 1 (Keras writes it). */
  groups?: 1;
}

const CONV_KEYS = [...LAYER_KEYS, 'filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'activation',
  'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer', 'activityRegularizer',
  'kernelConstraint', 'biasConstraint', 'groups'];

const PADDINGS: readonly string[] = ['valid', 'same', 'full'];

/** A per-axis size option: one positive integer for every axis, or one per axis. */
export function perAxis(where: string, name: string, v: unknown, rank: number, fallback?: number): number[] {
  const value = v === undefined || v === null ? fallback : v;
  const list = typeof value === 'number' ? new Array(rank).fill(value) : value;
  if (!Array.isArray(list) || list.length !== rank || !list.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${where}: ${name} must be a positive integer or ${rank} of them, got ${describe(v)}`);
  }
  return list.slice();
}

/** Options shared by conv and pooling layers: padding mode and channels-last data format. */
export function checkLayout(where: string, padding: unknown, dataFormat: unknown, modes: readonly string[]): PaddingMode {
  if (dataFormat !== undefined && dataFormat !== null && dataFormat !== 'channelsLast') {
    throw new Error(`${where}: dataFormat ${describe(dataFormat)} is not supported; only 'channelsLast' (NHWC) is`);
  }
  const p = padding ?? 'valid';
  if (typeof p !== 'string' || !modes.includes(p)) {
    throw new Error(`${where}: padding must be ${modes.map((m) => `'${m}'`).join(', ')}, got ${describe(padding)}`);
  }
  return p as PaddingMode;
}

/** The spatial output sizes for known input sizes (null stays null), naming the layer in errors. */
export function spatialOut(where: string, dims: (number | null)[], kernel: number[], strides: number[], dilations: number[],
                           padding: PaddingMode): (number | null)[] {
  return dims.map((d, i) => (d === null ? null : convGeometry(d, kernel[i], strides[i], dilations[i], padding,
    `${where} (input size ${d} along spatial axis ${i + 1})`).out));
}

export abstract class BaseConv extends Layer {
  readonly rank: 1 | 2;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly dilationRate: number[];
  readonly padding: PaddingMode;
  readonly activation: Activation;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly kernelRegularizer: Regularizer | null;
  private readonly biasRegularizer: Regularizer | null;
  private readonly activityRegularizer: Regularizer | null;
  kernel: LayerVariable | null = null;
  bias: LayerVariable | null = null;

  constructor(rank: 1 | 2, args: ConvLayerArgs) {
    super(args, `conv${rank}d`);
    const where = this.name;
    checkOptions(where, args, CONV_KEYS);
    this.rank = rank;
    this.filters = positiveInt(where, 'filters', args?.filters);
    if (args.kernelSize === undefined) throw new Error(`${where}: kernelSize is required`);
    this.kernelSize = perAxis(where, 'kernelSize', args.kernelSize, rank);
    this.strides = perAxis(where, 'strides', args.strides, rank, 1);
    this.dilationRate = perAxis(where, 'dilationRate', args.dilationRate, rank, 1);
    this.padding = checkLayout(where, args.padding, args.dataFormat, PADDINGS);
    for (const key of ['kernelConstraint', 'biasConstraint'] as const) {
      if (args[key] !== undefined && args[key] !== null) throw new Error(`${where}: ${key} is not supported (only null)`);
    }
    if (args.groups !== undefined && args.groups !== null && args.groups !== 1) {
      throw new Error(`${where}: groups ${describe(args.groups)} is not supported (only 1)`);
    }
    this.activation = resolveActivation(args.activation, where);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer, 'glorotUniform', where);
    this.biasInitializer = getInitializer(args.biasInitializer, 'zeros', where);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, where);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, where);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, where);
  }

  private layoutName(): string { return this.rank === 2 ? '[batch, height, width, channels]' : '[batch, steps, channels]'; }

  /** The input shape, checked: rank, known positive channels. */
  private checkInput(s: SymbolicShape): void {
    if (s.length !== this.rank + 2) {
      throw new Error(`${this.name}: expects input of rank ${this.rank + 2} ${this.layoutName()}, got shape ${symShapeStr(s)}`);
    }
    const ch = s[s.length - 1];
    if (ch === null) throw new Error(`${this.name}: the channel dimension of the input must be known, got shape ${symShapeStr(s)}`);
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const s = expectSingle(this, inputShape);
    this.checkInput(s);
    this.computeOutputShape(s);
    const inC = s[s.length - 1] as number;
    this.kernel = this.addWeight('kernel', [...this.kernelSize, inC, this.filters], (t) => this.kernelInitializer.fill(t), true,
      this.kernelRegularizer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], (t) => this.biasInitializer.fill(t), true, this.biasRegularizer);
  }

  private geometry(x: Tensor): Conv2DInfo {
    this.checkInput(x.shape);
    const kernel = this.kernel!.value;
    if (this.rank === 2) {
      return conv2dInfo(x.shape, kernel.shape, { strides: [this.strides[0], this.strides[1]],
        dilations: [this.dilationRate[0], this.dilationRate[1]], padding: this.padding }, this.name);
    }
    return conv1dInfo(x.shape, kernel.shape, this.strides[0], this.dilationRate[0], this.padding, this.name);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    const g = this.geometry(x);
    const outShape = this.rank === 2 ? [g.N, g.OH, g.OW, g.F] : [g.N, g.OW, g.F];
    const y = conv2dCore(x, this.kernel!.value, this.bias ? this.bias.value : null, this.activation, g, outShape);
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(y));
    return y;
  }

  /**
   * A 2-D convolution followed by 2×2 stride-2 'valid' max pooling runs as one kernel at inference
   * (conv2dMaxPool2x2): the same values, without writing the convolution's output to memory.
   * @internal
   */
  override fuseForInference(next: Layer): ((x: Tensor) => Tensor | null) | null {
    const pool = next as Layer & { poolSize?: number[]; strides?: number[]; padding?: string };
    const pools2x2 = next.className === 'MaxPooling2D' && pool.padding === 'valid' &&
      [...(pool.poolSize ?? []), ...(pool.strides ?? [])].every((d) => d === 2);
    if (this.rank !== 2 || !pools2x2 || this.filters < 4 || this.activation.name === 'softmax' || this.activityRegularizer) return null;
    return (x) => {
      const g = this.geometry(x);
      if (g.OH < 2 || g.OW < 2) return null; // the pooling layer reports it
      return conv2dMaxPool2x2(x, this.kernel!.value, this.bias ? this.bias.value : null, this.activation, g);
    };
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = expectSingle(this, inputShape);
    this.checkInput(s);
    const spatial = spatialOut(this.name, s.slice(1, -1), this.kernelSize, this.strides, this.dilationRate, this.padding);
    return [s[0], ...spatial, this.filters];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, strides: this.strides, padding: this.padding,
      dataFormat: 'channelsLast', dilationRate: this.dilationRate, activation: this.activation.name, useBias: this.useBias,
      kernelInitializer: serialize(this.kernelInitializer), biasInitializer: serialize(this.biasInitializer),
      kernelRegularizer: serialize(this.kernelRegularizer), biasRegularizer: serialize(this.biasRegularizer),
      activityRegularizer: serialize(this.activityRegularizer), kernelConstraint: null, biasConstraint: null,
    };
  }
}
