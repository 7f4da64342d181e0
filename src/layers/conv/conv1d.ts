// Conv1D: x:(batch, steps, channels) ⋆ kernel:(kernelSize, channels, filters) + bias.
import { BaseConv, ConvLayerArgs } from './base-conv';

export class Conv1D extends BaseConv {
  readonly className = 'Conv1D';
  constructor(args: ConvLayerArgs) { super(1, args); }
}
