// Plain and momentum SGD (tfjs SGDOptimizer / MomentumOptimizer).
import { k } from '../wasm';
import { Optimizer, OptimizerArgs, StateSlot, checkRange } from './optimizer';

export class SGDOptimizer extends Optimizer {
  override get className(): string { return 'SGD'; }
  constructor(args: OptimizerArgs = {}) { super(args, 0.01); }
  protected stateSlots(): StateSlot[] { return []; }
  protected update(p: number, g: number, _state: number[], n: number, lr: number): void {
    k().sgd_update(p, g, n, lr);
  }
  protected hyperparameters(): Record<string, unknown> { return {}; }
}

export interface MomentumArgs extends OptimizerArgs {
  /** Default 0.9 when made with `momentum()`; `sgd()` makes a MomentumOptimizer only for momentum > 0 or nesterov. */
  momentum?: number;
  nesterov?: boolean;
}

/**
 * tfjs' momentum: vel = momentum*vel + g; p -= lr*vel (Nesterov: p -= lr*(g + momentum*vel)).
 * Keras keeps lr inside the velocity instead (vel = momentum*vel - lr*g); the two agree while the
 * learning rate is constant and differ only in how a schedule's change feeds through old velocity.
 */
export class MomentumOptimizer extends Optimizer {
  override get className(): string { return 'Momentum'; }
  readonly momentum: number;
  readonly nesterov: boolean;
  constructor(args: MomentumArgs = {}) {
    super(args, 0.01, ['momentum', 'nesterov']);
    this.momentum = args.momentum ?? 0.9;
    this.nesterov = args.nesterov ?? false;
    checkRange(this.where(), 'momentum', this.momentum, 0, 1);
  }
  protected stateSlots(): StateSlot[] { return [{ name: 'momentum', init: 0 }]; }
  protected update(p: number, g: number, [vel]: number[], n: number, lr: number): void {
    k().momentum_update(p, g, vel, n, lr, this.momentum, this.nesterov ? 1 : 0);
  }
  protected hyperparameters(): Record<string, unknown> { return { momentum: this.momentum, nesterov: this.nesterov }; }
}
