// LSTM: gates i, f, c, o (Keras' order) in kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u].
// c_t = f·c_{t−1} + i·activation(x·W_c + h·U_c + b_c), h_t = o·activation(c_t); the gates use
// recurrentActivation (default sigmoid, as Keras 3). unitForgetBias (default true, as Keras)
// starts the forget gate's bias at 1.
import type { ActivationIdentifier } from '../../ops/activation';
import { Tensor } from '../../tensor';
import { k } from '../../wasm';
import { RNN, RNNArgs, RNN_KEYS } from './base';
import type { CellKind } from '../../ops/rnn';

export interface LSTMArgs extends RNNArgs {
  recurrentActivation?: ActivationIdentifier;
  unitForgetBias?: boolean;
}

export class LSTM extends RNN {
  readonly className = 'LSTM';
  readonly unitForgetBias: boolean;
  protected get cell(): CellKind { return 'lstm'; }
  protected override get stateCount(): number { return 2; }

  constructor(args: LSTMArgs) {
    super(args, [...RNN_KEYS, 'recurrentActivation', 'unitForgetBias'], args?.recurrentActivation ?? 'sigmoid');
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  protected override initBias(t: Tensor): void {
    this.biasInitializer.fill(t);
    if (this.unitForgetBias) k().fill_f32(t.ptr + this.units * 4, this.units, 1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation.name, unitForgetBias: this.unitForgetBias };
  }
}
