// BatchNormalization: normalizes each channel (the last axis) by the batch's statistics while
// training and by moving averages of them at inference. The moving averages are updated by an
// explicit step after the forward (never on the tape), only when the layer runs in training mode.
import { Tensor, shapeStr } from '../../tensor';
import { Layer, LayerArgs, SymbolicShape, CallContext, LayerVariable, expectSingle, symShapeStr } from '../layer';
import { single, serialize } from '../core';
import { getInitializer, Initializer, InitializerSpec } from '../../initializers';
import { checkOptions, LAYER_KEYS } from '../../options';
import { batchNormTraining, batchNormInference, updateMovingAverage } from '../../ops/norm';
import { Affine, AffineArgs, AFFINE_KEYS, numberIn } from './affine';

export interface BatchNormalizationArgs extends LayerArgs, AffineArgs {
  /** The channel axis; only the last one (-1, the default) is supported. */
  axis?: number;
  /** Weight of the old value in the moving averages (default 0.99). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
  movingMeanInitializer?: InitializerSpec;
  movingVarianceInitializer?: InitializerSpec;
}

const KEYS = [...LAYER_KEYS, ...AFFINE_KEYS, 'axis', 'momentum', 'epsilon', 'movingMeanInitializer', 'movingVarianceInitializer'];

export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  private readonly affine: Affine;
  private readonly movingMeanInitializer: Initializer;
  private readonly movingVarianceInitializer: Initializer;
  movingMean: LayerVariable | null = null;
  movingVariance: LayerVariable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args ?? {}, 'batch_normalization');
    checkOptions(this.name, args, KEYS);
    const a = args ?? {};
    if (a.axis !== undefined && a.axis !== null && !Number.isInteger(a.axis)) {
      throw new Error(`${this.name}: axis must be an integer, got ${JSON.stringify(a.axis)}`);
    }
    this.axis = a.axis ?? -1;
    this.momentum = numberIn(a.momentum, 'momentum', this.name, 0.99, 0, 1);
    this.epsilon = numberIn(a.epsilon, 'epsilon', this.name, 1e-3, 0, Infinity, true);
    this.affine = new Affine(a, this.name);
    this.movingMeanInitializer = getInitializer(a.movingMeanInitializer, 'zeros', this.name);
    this.movingVarianceInitializer = getInitializer(a.movingVarianceInitializer, 'ones', this.name);
  }

  get gamma(): LayerVariable | null { return this.affine.gamma; }
  get beta(): LayerVariable | null { return this.affine.beta; }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const s = this.checkInput(inputShape);
    const shape = [s[s.length - 1] as number];
    this.affine.build((...w) => this.addWeight(...w), shape);
    this.movingMean = this.addWeight('moving_mean', shape, (t) => this.movingMeanInitializer.fill(t), false);
    this.movingVariance = this.addWeight('moving_variance', shape, (t) => this.movingVarianceInitializer.fill(t), false);
  }

  private checkInput(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = expectSingle(this, inputShape);
    if (s.length < 2) throw new Error(`${this.name}: expects inputs of rank >= 2 (batch, ..., channels), got ${symShapeStr(s)}`);
    if (this.axis !== -1 && this.axis !== s.length - 1) {
      throw new Error(`${this.name}: only the last axis (-1) can be the channel axis, got axis ${this.axis} for input ${symShapeStr(s)}`);
    }
    if (s[s.length - 1] === null) throw new Error(`${this.name}: the channel axis of input ${symShapeStr(s)} must have a known size`);
    return s;
  }

  /**
   * Training mode uses the batch's statistics and moves the moving averages toward them; a frozen
   * layer (trainable false) always runs in inference mode, as in Keras.
   */
  call(inputs: Tensor | Tensor[], ctx: CallContext): Tensor {
    const x = single(this, inputs);
    const gamma = this.affine.gamma?.value ?? null, beta = this.affine.beta?.value ?? null;
    const mm = this.movingMean!.value, mv = this.movingVariance!.value;
    if (x.rank < 2 || x.shape[x.rank - 1] !== mm.size) {
      throw new Error(`${this.name}: was built for ${mm.size} channels (the last axis), got input ${shapeStr(x.shape)}`);
    }
    if (!ctx.training || !this.trainable) return batchNormInference(x, mm, mv, gamma, beta, this.epsilon, this.name);
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, this.epsilon, this.name);
    updateMovingAverage(mm, mean, this.momentum, this.name);
    updateMovingAverage(mv, variance, this.momentum, this.name);
    mean.dispose();
    variance.dispose();
    return y;
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return this.checkInput(inputShape);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), axis: this.axis, momentum: this.momentum, epsilon: this.epsilon, ...this.affine.getConfig(),
      movingMeanInitializer: serialize(this.movingMeanInitializer), movingVarianceInitializer: serialize(this.movingVarianceInitializer),
      betaConstraint: null, gammaConstraint: null,
    };
  }
}
