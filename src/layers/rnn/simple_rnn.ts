// SimpleRNN (Elman): h_t = activation(x_t·W + h_{t−1}·U + b). Weights kernel [in, u],
// recurrent_kernel [u, u], bias [u].
import { RNN, RNNArgs, RNN_KEYS } from './base';
import type { CellKind } from '../../ops/rnn';

export type SimpleRNNArgs = RNNArgs;

export class SimpleRNN extends RNN {
  readonly className = 'SimpleRNN';
  protected get cell(): CellKind { return 'simple'; }
  constructor(args: SimpleRNNArgs) { super(args, RNN_KEYS); }
}
