// Advanced activation layers: prelu (learned slopes), leakyReLU, elu, softmax, swish (fixed or learned beta).
import { Tensor, shapeStr } from '../tensor';
import { transpose } from '../ops/shape';
import { k } from '../wasm';
import { Layer, LayerArgs, SymbolicShape, LayerVariable, expectSingle, symShapeStr } from './layer';
import { activation as activationOp, Activation, resolveActivation, swish as swishOp } from '../ops/activation';
import { prelu as preluOp } from '../ops/prelu';
import { getInitializer, Initializer, InitializerSpec } from '../initializers';
import { single } from './core';

/** Options of these layers beyond LAYER_KEYS, checked by the nn.layers factories (see core.ts OPTION_KEYS). */
export const ACTIVATION_OPTION_KEYS: Record<string, readonly string[]> = {
  leakyReLU: ['alpha'], elu: ['alpha'], softmax: ['axis'], prelu: ['alphaInitializer'], swish: ['beta'],
};

abstract class FixedActivationLayer extends Layer {
  protected abstract readonly act: Activation;
  call(inputs: Tensor | Tensor[]): Tensor { return activationOp(single(this, inputs), this.act); }
  computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape { return expectSingle(this, s); }
}

/** An activation with one fixed `alpha` (the negative-side slope or scale). */
abstract class AlphaActivationLayer extends FixedActivationLayer {
  readonly alpha: number;
  protected readonly act: Activation;
  constructor(args: LayerArgs & { alpha?: number }, prefix: string, activationName: string, defaultAlpha: number) {
    super(args, prefix);
    this.alpha = args.alpha ?? defaultAlpha;
    this.act = { ...resolveActivation(activationName, this.name), alpha: this.alpha };
  }
  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), alpha: this.alpha }; }
}

export class LeakyReLU extends AlphaActivationLayer {
  readonly className = 'LeakyReLU';
  constructor(args: LayerArgs & { alpha?: number } = {}) { super(args, 'leaky_re_lu', 'leakyRelu', 0.3); }
}

export class ELU extends AlphaActivationLayer {
  readonly className = 'ELU';
  constructor(args: LayerArgs & { alpha?: number } = {}) { super(args, 'elu', 'elu', 1); }
}

/**
 * Softmax over `axis` (default -1). tfjs and Keras save the last axis by its positive index too
 * (axis 1 for [null, n] inputs); any other axis runs as transpose → last-axis softmax → transpose.
 */
export class Softmax extends FixedActivationLayer {
  readonly className = 'Softmax';
  protected readonly act: Activation;
  readonly axis: number;
  constructor(args: LayerArgs & { axis?: number | number[] } = {}) {
    super(args, 'softmax');
    this.act = resolveActivation('softmax', this.name);
    // Keras may write a one-element list
    const axis = Array.isArray(args.axis) && args.axis.length === 1 ? args.axis[0] : args.axis ?? -1;
    if (typeof axis !== 'number' || !Number.isInteger(axis)) throw new Error(`${this.name}: axis must be an integer, got ${JSON.stringify(args.axis)}`);
    this.axis = axis;
  }

  /** The axis as a non-negative index for inputs of this rank. */
  private axisFor(rank: number, shape: string): number {
    const a = this.axis < 0 ? this.axis + rank : this.axis;
    if (a < 0 || a >= rank) throw new Error(`${this.name}: axis ${this.axis} is out of range for input shape ${shape}`);
    return a;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    const a = this.axisFor(x.rank, shapeStr(x.shape));
    if (a === x.rank - 1) return activationOp(x, this.act);
    const perm = [...x.shape.keys()];
    [perm[a], perm[x.rank - 1]] = [x.rank - 1, a]; // a swap: its own inverse
    return transpose(activationOp(transpose(x, perm), this.act), perm);
  }

  override computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shape = expectSingle(this, s);
    this.axisFor(shape.length, symShapeStr(shape));
    return shape;
  }

  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), axis: this.axis }; }
}

export class PReLU extends Layer {
  readonly className = 'PReLU';
  private readonly alphaInitializer: Initializer;
  alpha: LayerVariable | null = null;
  private sharedAxes: number[] | null = null;
  constructor(args: LayerArgs & { alphaInitializer?: InitializerSpec } = {}) {
    super(args, 'p_re_lu');
    this.alphaInitializer = getInitializer(args.alphaInitializer, 'zeros', this.name);
  }
  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const s = expectSingle(this, inputShape);
    const ch = s[s.length - 1];
    if (ch === null) throw new Error(`${this.name}: needs a known last dimension, got ${symShapeStr(s)}`);
    // One slope per channel, shared across the other axes: Keras' sharedAxes = every axis but the last,
    // so the saved weight has tfjs' shape [1, ..., 1, channels].
    this.sharedAxes = s.length > 2 ? s.slice(1, -1).map((_, i) => i + 1) : null;
    this.alpha = this.addWeight('alpha', [...s.slice(1, -1).map(() => 1), ch], (t) => this.alphaInitializer.fill(t));
  }
  call(inputs: Tensor | Tensor[]): Tensor { return preluOp(single(this, inputs), this.alpha!.value); }
  computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape { return expectSingle(this, s); }
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alphaInitializer: { className: this.alphaInitializer.className, config: this.alphaInitializer.getConfig() },
      alphaRegularizer: null, alphaConstraint: null, sharedAxes: this.sharedAxes };
  }
}

/**
 * x · sigmoid(beta·x). With `trainable: false` (the default) beta is a fixed number; with
 * `trainable: true` it is a learned scalar weight named 'beta', starting at `beta`.
 */
export class Swish extends Layer {
  readonly className = 'Swish';
  /** The initial (or fixed) beta; a learned beta lives in the weight. */
  readonly beta: number;
  private readonly act: Activation;
  betaWeight: LayerVariable | null = null;
  constructor(args: LayerArgs & { beta?: number } = {}) {
    super({ ...args, trainable: args.trainable ?? false }, 'swish');
    this.beta = args.beta ?? 1;
    this.act = resolveActivation('swish', this.name, this.beta);
  }
  override build(): void {
    if (this.trainable) this.betaWeight = this.addWeight('beta', [], (t) => k().fill_f32(t.ptr, t.size, this.beta));
  }
  call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    return this.betaWeight ? swishOp(x, this.betaWeight.value) : activationOp(x, this.act);
  }
  computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape { return expectSingle(this, s); }
  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), beta: this.beta }; }
}
