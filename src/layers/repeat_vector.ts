// RepeatVector: [batch, features] → [batch, n, features], the vector repeated n times (to feed a
// recurrent decoder from one encoding).
import { Tensor } from '../tensor';
import { Layer, LayerArgs, SymbolicShape, expectSingle, symShapeStr } from './layer';
import { single } from './core';
import { reshape } from '../ops/shape';
import { tile } from '../ops/combine';
import { checkOptions, positiveInt, LAYER_KEYS } from '../options';

export class RepeatVector extends Layer {
  readonly className = 'RepeatVector';
  readonly n: number;
  constructor(args: LayerArgs & { n: number }) {
    super(args);
    checkOptions(this.name, args, [...LAYER_KEYS, 'n']);
    this.n = positiveInt(this.name, 'n', args?.n);
  }
  call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    this.computeOutputShape(x.shape);
    return tile(reshape(x, [x.shape[0], 1, x.shape[1]]), [1, this.n, 1]);
  }
  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = expectSingle(this, inputShape);
    if (s.length !== 2) throw new Error(`${this.name}: expects input [batch, features], got shape ${symShapeStr(s)}`);
    return [s[0], this.n, s[1]];
  }
  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), n: this.n }; }
}
