// Adam, Adamax (tfjs) and AdamW (Keras 3: tfjs has none).
import { k } from '../wasm';
import { Optimizer, OptimizerArgs, StateSlot, checkPositive, checkRange } from './optimizer';

export interface AdamArgs extends OptimizerArgs {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7 (Keras 3 and tfjs' cpu/wasm backend epsilon). */
  epsilon?: number;
}

abstract class AdamLike extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  protected constructor(args: AdamArgs, ownKeys: readonly string[] = []) {
    super(args, 0.001, ['beta1', 'beta2', 'epsilon', ...ownKeys]);
    this.beta1 = args.beta1 ?? 0.9;
    this.beta2 = args.beta2 ?? 0.999;
    this.epsilon = args.epsilon ?? 1e-7;
    checkRange(this.where(), 'beta1', this.beta1, 0, 1, true);
    checkRange(this.where(), 'beta2', this.beta2, 0, 1, true);
    checkPositive(this.where(), 'epsilon', this.epsilon, true);
  }
  // first moment, second moment (Adamax: exponentially weighted infinity norm); tfjs names both m, v
  protected stateSlots(): StateSlot[] { return [{ name: 'm', init: 0 }, { name: 'v', init: 0 }]; }
  protected hyperparameters(): Record<string, unknown> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** tfjs' Adam: p -= lr * m̂ / (sqrt(v̂) + epsilon), m̂ and v̂ bias-corrected by 1 - beta^t. */
export class AdamOptimizer extends AdamLike {
  override get className(): string { return 'Adam'; }
  constructor(args: AdamArgs = {}) { super(args); }
  protected update(p: number, g: number, [m, v]: number[], n: number, lr: number, step: number): void {
    k().adam_update(p, g, m, v, n, lr, this.beta1, this.beta2, this.epsilon, step);
  }
}

/** m = b1*m + (1-b1)*g; u = max(b2*u, |g|); p -= lr/(1-b1^t) * m/(u + epsilon). Same in tfjs and Keras. */
export class AdamaxOptimizer extends AdamLike {
  override get className(): string { return 'Adamax'; }
  constructor(args: AdamArgs = {}) { super(args); }
  protected update(p: number, g: number, [m, u]: number[], n: number, lr: number, step: number): void {
    k().adamax_update(p, g, m, u, n, lr, this.beta1, this.beta2, this.epsilon, step);
  }
}

export interface AdamWArgs extends AdamArgs {
  /** Decoupled weight decay: p -= lr*weightDecay*p before each Adam step. Default 0.004 (Keras 3). */
  weightDecay?: number;
}

/**
 * Keras 3 AdamW: decay p by lr*weightDecay, then Keras' Adam step, whose epsilon is added to
 * sqrt(v) before bias correction (tfjs-style Adam adds it after; the difference is in epsilon's scale only).
 */
export class AdamWOptimizer extends AdamLike {
  override get className(): string { return 'AdamW'; }
  readonly weightDecay: number;
  constructor(args: AdamWArgs = {}) {
    super(args, ['weightDecay']);
    this.weightDecay = args.weightDecay ?? 0.004;
    checkPositive(this.where(), 'weightDecay', this.weightDecay, true);
  }
  protected update(p: number, g: number, [m, v]: number[], n: number, lr: number, step: number): void {
    k().adamw_update(p, g, m, v, n, lr, this.beta1, this.beta2, this.epsilon, step, this.weightDecay);
  }
  protected override hyperparameters(): Record<string, unknown> {
    return { ...super.hyperparameters(), weightDecay: this.weightDecay };
  }
}
