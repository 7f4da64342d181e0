// Conv2D: x:(batch, height, width, channels) ⋆ kernel:(kh, kw, channels, filters) + bias.
import { BaseConv, ConvLayerArgs } from './base-conv';

export class Conv2D extends BaseConv {
  readonly className = 'Conv2D';
  constructor(args: ConvLayerArgs) { super(2, args); }
}
