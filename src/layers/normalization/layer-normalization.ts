// LayerNormalization: each sample normalized over its trailing axes (the last, by default) by its
// own mean and variance, then scaled by gamma and shifted by beta (one per normalized value).
import { Tensor, sizeOf, shapeStr } from '../../tensor';
import { Layer, LayerArgs, SymbolicShape, expectSingle, symShapeStr } from '../layer';
import { single } from '../core';
import { checkOptions, LAYER_KEYS } from '../../options';
import { layerNorm } from '../../ops/norm';
import { Affine, AffineArgs, AFFINE_KEYS, numberIn } from './affine';

export interface LayerNormalizationArgs extends LayerArgs, AffineArgs {
  /** The normalized axis, or several; they must be the trailing axes (default -1). */
  axis?: number | number[];
  /** Added to the variance before the square root (default 1e-3). */
  epsilon?: number;
}

const KEYS = [...LAYER_KEYS, ...AFFINE_KEYS, 'axis', 'epsilon'];

export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  readonly axis: number | number[];
  readonly epsilon: number;
  private readonly affine: Affine;
  /** How many trailing values each normalization covers (set by build). */
  private groupSize = 0;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args ?? {}, 'layer_normalization');
    checkOptions(this.name, args, KEYS);
    const a = args ?? {};
    const axes = a.axis ?? -1;
    if (!(Number.isInteger(axes) || (Array.isArray(axes) && axes.length > 0 && axes.every((d) => Number.isInteger(d))))) {
      throw new Error(`${this.name}: axis must be an integer or a non-empty array of integers, got ${JSON.stringify(a.axis)}`);
    }
    this.axis = Array.isArray(axes) ? axes.slice() : axes;
    this.epsilon = numberIn(a.epsilon, 'epsilon', this.name, 1e-3, 0, Infinity, true);
    this.affine = new Affine(a, this.name);
  }

  /** The normalized axes of an input of this shape, checked to be the trailing ones with known sizes. */
  private normalizedAxes(s: SymbolicShape): number[] {
    const rank = s.length;
    const given = Array.isArray(this.axis) ? this.axis : [this.axis];
    const axes = given.map((d) => (d < 0 ? d + rank : d)).sort((p, q) => p - q);
    const trailing = axes.every((d, i) => d === rank - axes.length + i) && new Set(axes).size === axes.length;
    if (rank < 2 || !trailing || axes[0] < 1) {
      throw new Error(`${this.name}: axis ${JSON.stringify(this.axis)} must name the trailing non-batch axes of input ${symShapeStr(s)}`);
    }
    if (axes.some((d) => s[d] === null)) throw new Error(`${this.name}: normalized axes of input ${symShapeStr(s)} must have known sizes`);
    return axes;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    const s = expectSingle(this, inputShape);
    const shape = this.normalizedAxes(s).map((d) => s[d] as number);
    this.groupSize = sizeOf(shape);
    this.affine.build((...w) => this.addWeight(...w), shape);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    const group = sizeOf(this.normalizedAxes(x.shape).map((d) => x.shape[d]));
    if (group !== this.groupSize) {
      throw new Error(`${this.name}: was built to normalize groups of ${this.groupSize} values, but input ${shapeStr(x.shape)} has ${group}`);
    }
    return layerNorm(x, this.affine.gamma?.value ?? null, this.affine.beta?.value ?? null, this.epsilon, this.groupSize, this.name);
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = expectSingle(this, inputShape);
    this.normalizedAxes(s);
    return s;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis, epsilon: this.epsilon, ...this.affine.getConfig() };
  }
}
