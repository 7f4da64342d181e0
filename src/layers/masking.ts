// Masking: marks as padding every time step whose features all equal maskValue (Keras). The
// output is the input with those steps zeroed, carrying a [batch, timeSteps] mask that the next
// recurrent layer reads (src/layers/mask.ts).
import { Tensor, shapeStr, tidy } from '../tensor';
import { Layer, LayerArgs, SymbolicShape, expectSingle, symShapeStr } from './layer';
import { single } from './core';
import { notEqual, mul } from '../ops/elementwise';
import { max } from '../ops/reduce';
import { expandDims } from '../ops/shape';
import { checkOptions, LAYER_KEYS, describe } from '../options';
import { setMask } from './mask';

export interface MaskingArgs extends LayerArgs {
  /** Default 0. */
  maskValue?: number;
}

export class Masking extends Layer {
  readonly className = 'Masking';
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args);
    checkOptions(this.name, args, [...LAYER_KEYS, 'maskValue']);
    this.maskValue = args.maskValue ?? 0;
    if (typeof this.maskValue !== 'number' || Number.isNaN(this.maskValue)) {
      throw new Error(`${this.name}: maskValue must be a number, got ${describe(args.maskValue)}`);
    }
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    if (x.rank !== 3) throw new Error(`${this.name}: expects a sequence input [batch, timeSteps, features], got shape ${shapeStr(x.shape)}`);
    const keep = tidy(() => max(notEqual(x, this.maskValue), -1));
    const y = tidy(() => mul(x, expandDims(keep, -1)));
    setMask(y, keep);
    return y;
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = expectSingle(this, inputShape);
    if (s.length !== 3) throw new Error(`${this.name}: expects a sequence input [batch, timeSteps, features], got shape ${symShapeStr(s)}`);
    return s;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
