// Per-coordinate adaptive rates: Adagrad, Adadelta, RMSProp (tfjs class names).
import { k } from '../wasm';
import { Optimizer, OptimizerArgs, StateSlot, checkPositive, checkRange } from './optimizer';

export interface AdagradArgs extends OptimizerArgs {
  /** Starting value of the squared-gradient accumulator. Default 0.1 (tfjs and Keras). */
  initialAccumulatorValue?: number;
  /** Default 1e-7 (tfjs uses its backend epsilon, 1e-7 on cpu/wasm). */
  epsilon?: number;
}

/** acc += g²; p -= lr * g / sqrt(acc + epsilon). */
export class AdagradOptimizer extends Optimizer {
  override get className(): string { return 'Adagrad'; }
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  constructor(args: AdagradArgs = {}) {
    super(args, 0.001, ['initialAccumulatorValue', 'epsilon']);
    this.initialAccumulatorValue = args.initialAccumulatorValue ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-7;
    checkPositive(this.where(), 'initialAccumulatorValue', this.initialAccumulatorValue, true);
    checkPositive(this.where(), 'epsilon', this.epsilon, true);
  }
  protected stateSlots(): StateSlot[] { return [{ name: 'accumulator', init: this.initialAccumulatorValue }]; }
  protected update(p: number, g: number, [acc]: number[], n: number, lr: number): void {
    k().adagrad_update(p, g, acc, n, lr, this.epsilon);
  }
  protected hyperparameters(): Record<string, unknown> {
    return { initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}

export interface AdadeltaArgs extends OptimizerArgs {
  /** Decay of both running averages. Default 0.95. */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
}

/**
 * tfjs' Adadelta: the step's denominator is sqrt(accGrad + eps) with accGrad from BEFORE this step's
 * gradient is folded in. Keras (and Zeiler's paper) use the updated accGrad; see assembly/kernels/optim.ts.
 */
export class AdadeltaOptimizer extends Optimizer {
  override get className(): string { return 'Adadelta'; }
  readonly rho: number;
  readonly epsilon: number;
  constructor(args: AdadeltaArgs = {}) {
    super(args, 0.001, ['rho', 'epsilon']);
    this.rho = args.rho ?? 0.95;
    this.epsilon = args.epsilon ?? 1e-7;
    checkRange(this.where(), 'rho', this.rho, 0, 1);
    checkPositive(this.where(), 'epsilon', this.epsilon, true);
  }
  protected stateSlots(): StateSlot[] { return [{ name: 'accum_grad', init: 0 }, { name: 'accum_var', init: 0 }]; }
  protected update(p: number, g: number, [accGrad, accUpdate]: number[], n: number, lr: number): void {
    k().adadelta_update(p, g, accGrad, accUpdate, n, lr, this.rho, this.epsilon);
  }
  protected hyperparameters(): Record<string, unknown> { return { rho: this.rho, epsilon: this.epsilon }; }
}

export interface RMSPropArgs extends OptimizerArgs {
  /** Decay of the squared-gradient average (tfjs calls it `decay`). Default 0.9. */
  rho?: number;
  /** Default 0. */
  momentum?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Normalize by the gradient's estimated variance instead of its second moment. Default false. */
  centered?: boolean;
}

/**
 * ms = rho*ms + (1-rho)*g²; mom = momentum*mom + lr*g/sqrt(ms + eps); p -= mom. Centered: the root
 * is of ms - mg² + eps (Keras); tfjs computes ms - (mg² + eps), which fails when the variance < eps.
 */
export class RMSPropOptimizer extends Optimizer {
  override get className(): string { return 'RMSProp'; }
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  constructor(args: RMSPropArgs = {}) {
    super(args, 0.001, ['rho', 'momentum', 'epsilon', 'centered']);
    this.rho = args.rho ?? 0.9;
    this.momentum = args.momentum ?? 0;
    this.epsilon = args.epsilon ?? 1e-7;
    this.centered = args.centered ?? false;
    checkRange(this.where(), 'rho', this.rho, 0, 1);
    checkRange(this.where(), 'momentum', this.momentum, 0, 1);
    checkPositive(this.where(), 'epsilon', this.epsilon, true);
  }
  // mean square, momentum, mean gradient (the last only when centered)
  protected stateSlots(): StateSlot[] {
    const slots = [{ name: 'rms', init: 0 }, { name: 'momentum', init: 0 }];
    return this.centered ? [...slots, { name: 'mg', init: 0 }] : slots;
  }
  protected update(p: number, g: number, [ms, mom, mg]: number[], n: number, lr: number): void {
    k().rmsprop_update(p, g, ms, mom, mg ?? 0, n, lr, this.rho, this.momentum, this.epsilon, this.centered ? 1 : 0);
  }
  protected hyperparameters(): Record<string, unknown> {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
