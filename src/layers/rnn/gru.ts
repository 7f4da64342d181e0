// GRU: gates z, r, h (Keras' order) in kernel [in, 3u], recurrent_kernel [u, 3u].
// resetAfter true (Keras 3's default, CuDNN's form): hh = act(x·W_h + b_h + r·(h·U_h + b'_h)),
// bias [2, 3u] (input bias, then recurrent bias). resetAfter false (Keras 1, tfjs):
// hh = act(x·W_h + (r·h)·U_h + b_h), bias [3u]. Then h_t = z·h_{t−1} + (1 − z)·hh.
import type { ActivationIdentifier } from '../../ops/activation';
import { RNN, RNNArgs, RNN_KEYS } from './base';
import type { CellKind } from '../../ops/rnn';

export interface GRUArgs extends RNNArgs {
  recurrentActivation?: ActivationIdentifier;
  resetAfter?: boolean;
}

export class GRU extends RNN {
  readonly className = 'GRU';
  readonly resetAfter: boolean;
  protected get cell(): CellKind { return this.resetAfter ? 'gru' : 'gruResetBefore'; }

  constructor(args: GRUArgs) {
    super(args, [...RNN_KEYS, 'recurrentActivation', 'resetAfter'], args?.recurrentActivation ?? 'sigmoid');
    this.resetAfter = args.resetAfter ?? true;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation.name, resetAfter: this.resetAfter };
  }
}
