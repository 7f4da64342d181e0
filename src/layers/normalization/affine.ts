// What batch and layer normalization share: the learned per-channel scale (gamma) and offset (beta),
// their options, and their part of the config.
import { LayerVariable } from '../layer';
import type { Tensor } from '../../tensor';
import { getInitializer, Initializer, InitializerSpec } from '../../initializers';
import { getRegularizer, Regularizer, RegularizerSpec } from '../../regularizers';
import { serialize } from '../core';
import { describe } from '../../options';

export interface AffineArgs {
  /** Learn beta, an offset per channel (default true). */
  center?: boolean;
  /** Learn gamma, a scale per channel (default true). */
  scale?: boolean;
  betaInitializer?: InitializerSpec;
  gammaInitializer?: InitializerSpec;
  betaRegularizer?: RegularizerSpec;
  gammaRegularizer?: RegularizerSpec;
  /** Accepted as null only (what tfjs writes); constraints are not supported. */
  betaConstraint?: null;
  gammaConstraint?: null;
}

export const AFFINE_KEYS = ['center', 'scale', 'betaInitializer', 'gammaInitializer', 'betaRegularizer', 'gammaRegularizer',
  'betaConstraint', 'gammaConstraint'] as const;

/** A layer's addWeight, handed to the helper that creates its weights. */
export type AddWeight = (name: string, shape: number[], fill: (t: Tensor) => void, trainable?: boolean,
                         regularizer?: Regularizer | null) => LayerVariable;

export class Affine {
  readonly center: boolean;
  readonly scale: boolean;
  private readonly betaInitializer: Initializer;
  private readonly gammaInitializer: Initializer;
  private readonly betaRegularizer: Regularizer | null;
  private readonly gammaRegularizer: Regularizer | null;
  gamma: LayerVariable | null = null;
  beta: LayerVariable | null = null;

  constructor(args: AffineArgs, where: string) {
    this.center = flag(args.center, 'center', where);
    this.scale = flag(args.scale, 'scale', where);
    for (const key of ['betaConstraint', 'gammaConstraint'] as const) {
      if (args[key] !== undefined && args[key] !== null) throw new Error(`${where}: ${key} is not supported (got ${describe(args[key])})`);
    }
    this.betaInitializer = getInitializer(args.betaInitializer, 'zeros', where);
    this.gammaInitializer = getInitializer(args.gammaInitializer, 'ones', where);
    this.betaRegularizer = getRegularizer(args.betaRegularizer, where);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer, where);
  }

  /** Adds gamma then beta (tfjs' order), as the layer's options ask. */
  build(addWeight: AddWeight, shape: number[]): void {
    if (this.scale) this.gamma = addWeight('gamma', shape, (t) => this.gammaInitializer.fill(t), true, this.gammaRegularizer);
    if (this.center) this.beta = addWeight('beta', shape, (t) => this.betaInitializer.fill(t), true, this.betaRegularizer);
  }

  getConfig(): Record<string, unknown> {
    return {
      center: this.center, scale: this.scale,
      betaInitializer: serialize(this.betaInitializer), gammaInitializer: serialize(this.gammaInitializer),
      betaRegularizer: serialize(this.betaRegularizer), gammaRegularizer: serialize(this.gammaRegularizer),
    };
  }
}

export function flag(v: unknown, name: string, where: string, fallback = true): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new Error(`${where}: ${name} must be true or false, got ${describe(v)}`);
  return v;
}

/** A number option within [lo, hi] (open at an end when `open` says so). */
export function numberIn(v: unknown, name: string, where: string, fallback: number, lo: number, hi: number, loOpen = false): number {
  const x = v === undefined || v === null ? fallback : v;
  if (typeof x !== 'number' || !(loOpen ? x > lo : x >= lo) || !(x <= hi)) {
    throw new Error(`${where}: ${name} must be a number in ${loOpen ? '(' : '['}${lo}, ${hi}], got ${describe(v)}`);
  }
  return x;
}
