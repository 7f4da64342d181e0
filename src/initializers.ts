// Weight initializers, with Keras semantics and tfjs/Keras serialization names.
// Every random one draws from the seeded stream of src/random.ts; a `seed` option keys the draw by
// that seed instead, so the same seed gives the same weights regardless of the global stream.
import { Tensor, Shape, sizeOf, checkShape, shapeStr } from './tensor';
import { fillNormal, fillTruncatedNormal, fillUniform } from './random';
import { k } from './wasm';

/** Keras' correction: the stddev of a standard normal truncated to [-2, 2] is 0.8796… */
const TRUNCATED_STDDEV = 0.87962566103423978;

type Seed = number | null | undefined;

export abstract class Initializer {
  /** The tfjs/Keras class name written in saved models. */
  abstract readonly className: string;
  /** Fills t in place. Fans come from t.shape as in Keras: dense [in, out]; conv [...receptive, in, out]. */
  abstract fill(t: Tensor): void;
  /** The tfjs serialization config (`{className, config}` is `serialize()`). */
  getConfig(): Record<string, unknown> { return {}; }
  serialize(): { className: string; config: Record<string, unknown> } {
    return { className: this.className, config: this.getConfig() };
  }
  /** A new tensor of `shape`, initialized (tfjs' `initializer.apply(shape)`). */
  apply(shape: Shape): Tensor {
    checkShape(shape, this.className);
    const t = Tensor.empty(shape);
    try { this.fill(t); } catch (e) { t.dispose(); throw e; }
    return t;
  }
}

/** [fanIn, fanOut] of a weight shape, as Keras' compute_fans. */
export function computeFans(shape: Shape): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = sizeOf(shape.slice(0, -2));
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

export class Zeros extends Initializer {
  override readonly className = 'Zeros';
  override fill(t: Tensor): void { k().fill_f32(t.ptr, t.size, 0); }
}

export class Ones extends Initializer {
  override readonly className = 'Ones';
  override fill(t: Tensor): void { k().fill_f32(t.ptr, t.size, 1); }
}

export class Constant extends Initializer {
  override readonly className = 'Constant';
  readonly value: number;
  constructor({ value = 0 }: { value?: number } = {}) {
    super();
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`constant: value must be a finite number (got ${value})`);
    this.value = value;
  }
  override fill(t: Tensor): void { k().fill_f32(t.ptr, t.size, this.value); }
  override getConfig(): Record<string, unknown> { return { value: this.value }; }
}

export class RandomUniform extends Initializer {
  override readonly className = 'RandomUniform';
  readonly minval: number; readonly maxval: number; readonly seed: Seed;
  constructor({ minval = -0.05, maxval = 0.05, seed }: { minval?: number; maxval?: number; seed?: Seed } = {}) {
    super();
    this.minval = minval; this.maxval = maxval; this.seed = seed;
  }
  override fill(t: Tensor): void { fillUniform(t, this.minval, this.maxval, this.seed, 'randomUniform initializer'); }
  override getConfig(): Record<string, unknown> { return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null }; }
}

export class RandomNormal extends Initializer {
  override readonly className = 'RandomNormal';
  readonly mean: number; readonly stddev: number; readonly seed: Seed;
  constructor({ mean = 0, stddev = 0.05, seed }: { mean?: number; stddev?: number; seed?: Seed } = {}) {
    super();
    this.mean = mean; this.stddev = stddev; this.seed = seed;
  }
  override fill(t: Tensor): void { fillNormal(t, this.mean, this.stddev, this.seed, 'randomNormal initializer'); }
  override getConfig(): Record<string, unknown> { return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null }; }
}

export class TruncatedNormal extends Initializer {
  override readonly className = 'TruncatedNormal';
  readonly mean: number; readonly stddev: number; readonly seed: Seed;
  constructor({ mean = 0, stddev = 0.05, seed }: { mean?: number; stddev?: number; seed?: Seed } = {}) {
    super();
    this.mean = mean; this.stddev = stddev; this.seed = seed;
  }
  override fill(t: Tensor): void { fillTruncatedNormal(t, this.mean, this.stddev, this.seed, 'truncatedNormal initializer'); }
  override getConfig(): Record<string, unknown> { return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null }; }
}

export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type Distribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

export interface VarianceScalingArgs {
  scale?: number;
  /** Keras' 'fan_in' … also accepted */
  mode?: FanMode | 'fan_in' | 'fan_out' | 'fan_avg';
  /** 'normal' means truncated, as Keras and tfjs */
  distribution?: Distribution | 'normal' | 'truncated_normal' | 'untruncated_normal';
  seed?: Seed;
}

const MODES: Record<string, FanMode> = { fanin: 'fanIn', fanout: 'fanOut', fanavg: 'fanAvg' };
const DISTRIBUTIONS: Record<string, Distribution> = {
  normal: 'truncatedNormal', truncatednormal: 'truncatedNormal', untruncatednormal: 'untruncatedNormal', uniform: 'uniform',
};

const squash = (name: string): string => name.replace(/_/g, '').toLowerCase();

/**
 * Draws with variance scale / n, n = fanIn, fanOut or their mean (at least 1): uniform in ±sqrt(3·scale/n),
 * a normal with stddev sqrt(scale/n), or one truncated at 2σ with its stddev corrected up by 1/0.8796 (Keras).
 */
export class VarianceScaling extends Initializer {
  override readonly className: string = 'VarianceScaling';
  readonly scale: number; readonly mode: FanMode; readonly distribution: Distribution; readonly seed: Seed;
  constructor({ scale = 1, mode = 'fanIn', distribution = 'truncatedNormal', seed }: VarianceScalingArgs = {}) {
    super();
    if (typeof scale !== 'number' || !(scale > 0)) throw new Error(`varianceScaling: scale must be positive (got ${scale})`);
    const m = MODES[squash(String(mode))];
    if (!m) throw new Error(`varianceScaling: mode must be one of fanIn, fanOut, fanAvg (got '${mode}')`);
    const d = DISTRIBUTIONS[squash(String(distribution))];
    if (!d) throw new Error(`varianceScaling: distribution must be one of truncatedNormal, untruncatedNormal, uniform (got '${distribution}')`);
    this.scale = scale; this.mode = m; this.distribution = d; this.seed = seed;
  }

  override fill(t: Tensor): void {
    const [fanIn, fanOut] = computeFans(t.shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    const where = `${this.className} initializer`;
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      fillUniform(t, -limit, limit, this.seed, where);
    } else if (this.distribution === 'untruncatedNormal') {
      fillNormal(t, 0, Math.sqrt(variance), this.seed, where);
    } else {
      fillTruncatedNormal(t, 0, Math.sqrt(variance) / TRUNCATED_STDDEV, this.seed, where);
    }
  }

  override getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

/** The named VarianceScaling presets serialize as their own class with only a seed (as Keras 3 does). */
abstract class Preset extends VarianceScaling {
  override getConfig(): Record<string, unknown> { return { seed: this.seed ?? null }; }
}

type SeedArgs = { seed?: Seed };

export class GlorotUniform extends Preset {
  override readonly className = 'GlorotUniform';
  constructor({ seed }: SeedArgs = {}) { super({ scale: 1, mode: 'fanAvg', distribution: 'uniform', seed }); }
}
export class GlorotNormal extends Preset {
  override readonly className = 'GlorotNormal';
  constructor({ seed }: SeedArgs = {}) { super({ scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal', seed }); }
}
export class HeNormal extends Preset {
  override readonly className = 'HeNormal';
  constructor({ seed }: SeedArgs = {}) { super({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal', seed }); }
}
export class HeUniform extends Preset {
  override readonly className = 'HeUniform';
  constructor({ seed }: SeedArgs = {}) { super({ scale: 2, mode: 'fanIn', distribution: 'uniform', seed }); }
}
export class LecunNormal extends Preset {
  override readonly className = 'LeCunNormal';
  constructor({ seed }: SeedArgs = {}) { super({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed }); }
}
export class LecunUniform extends Preset {
  override readonly className = 'LeCunUniform';
  constructor({ seed }: SeedArgs = {}) { super({ scale: 1, mode: 'fanIn', distribution: 'uniform', seed }); }
}

/**
 * A (semi-)orthogonal matrix times `gain`, for a shape flattened to [prod(shape[:-1]), shape[-1]]:
 * QR of a normal draw with the signs of R's diagonal folded into Q (Keras), done in wasm.
 */
export class Orthogonal extends Initializer {
  override readonly className = 'Orthogonal';
  readonly gain: number; readonly seed: Seed;
  constructor({ gain = 1, seed }: { gain?: number; seed?: Seed } = {}) {
    super();
    if (typeof gain !== 'number' || !Number.isFinite(gain)) throw new Error(`orthogonal: gain must be a finite number (got ${gain})`);
    this.gain = gain; this.seed = seed;
  }
  override fill(t: Tensor): void {
    if (t.rank < 2) throw new Error(`orthogonal initializer: the shape must have rank >= 2 (got ${shapeStr(t.shape)})`);
    const cols = t.shape[t.rank - 1];
    const rows = t.size / Math.max(cols, 1);
    if (t.size === 0) return;
    const a = Tensor.empty([Math.min(rows, cols), Math.max(rows, cols)]); // Q's columns as rows
    try {
      fillNormal(a, 0, 1, this.seed, 'orthogonal initializer');
      k().orthogonal_f32(t.ptr, a.ptr, rows, cols, this.gain);
    } finally {
      a.dispose();
    }
  }
  override getConfig(): Record<string, unknown> { return { gain: this.gain, seed: this.seed ?? null }; }
}

// Factories, as nn.initializers.* (tfjs-style option objects).
export const zeros = (): Initializer => new Zeros();
export const ones = (): Initializer => new Ones();
export const constant = (args: { value: number }): Initializer => new Constant(args);
export const randomUniform = (args?: { minval?: number; maxval?: number; seed?: Seed }): Initializer => new RandomUniform(args);
export const randomNormal = (args?: { mean?: number; stddev?: number; seed?: Seed }): Initializer => new RandomNormal(args);
export const truncatedNormal = (args?: { mean?: number; stddev?: number; seed?: Seed }): Initializer => new TruncatedNormal(args);
export const varianceScaling = (args?: VarianceScalingArgs): Initializer => new VarianceScaling(args);
export const glorotUniform = (args?: SeedArgs): Initializer => new GlorotUniform(args);
export const glorotNormal = (args?: SeedArgs): Initializer => new GlorotNormal(args);
export const heNormal = (args?: SeedArgs): Initializer => new HeNormal(args);
export const heUniform = (args?: SeedArgs): Initializer => new HeUniform(args);
export const lecunNormal = (args?: SeedArgs): Initializer => new LecunNormal(args);
export const lecunUniform = (args?: SeedArgs): Initializer => new LecunUniform(args);
export const orthogonal = (args?: { gain?: number; seed?: Seed }): Initializer => new Orthogonal(args);

/** Public names (camelCase, as API.md) → constructors from a config object. */
const FACTORIES = {
  glorotUniform, glorotNormal, heNormal, heUniform, lecunNormal, lecunUniform, orthogonal,
  zeros, ones, constant, randomNormal, randomUniform, truncatedNormal, varianceScaling,
} satisfies Record<string, (config: any) => Initializer>;

/**
 * Initializer names a layer option accepts: the camelCase names above, tfjs' class names and Keras'
 * snake_case names (matching ignores case and underscores, so these are the documented spellings).
 */
export type InitializerName = keyof typeof FACTORIES | Capitalize<keyof typeof FACTORIES> | 'LeCunNormal' | 'LeCunUniform' | 'leCunNormal' | 'leCunUniform'
  | 'glorot_uniform' | 'glorot_normal' | 'he_normal' | 'he_uniform' | 'lecun_normal' | 'lecun_uniform'
  | 'random_normal' | 'random_uniform' | 'truncated_normal' | 'variance_scaling'
  | 'zero' | 'one' | 'normal' | 'uniform';

/** Squashed spelling (lowercase, no '_') of every accepted name → public name; covers 'GlorotUniform', 'glorot_uniform', 'LeCunNormal', Keras aliases. */
const ALIASES: Record<string, string> = {
  ...Object.fromEntries(Object.keys(FACTORIES).map((name) => [squash(name), name])),
  zero: 'zeros', one: 'ones', normal: 'randomNormal', uniform: 'randomUniform',
};

function lookup(name: string, where: string): (config: any) => Initializer {
  const publicName = ALIASES[squash(name)];
  if (!publicName) throw new Error(`${where}: unknown initializer '${name}'; known: ${Object.keys(FACTORIES).join(', ')}`);
  return FACTORIES[publicName as keyof typeof FACTORIES];
}

export type InitializerSpec = InitializerName | Initializer | { className: string; config?: object } | { class_name: string; config?: object };

/**
 * Resolves what a layer option holds: a name, an Initializer, or a serialized `{className, config}`
 * (tfjs) / `{class_name, config}` (Keras); undefined or null gives `fallback`.
 */
export function getInitializer(spec: InitializerSpec | null | undefined, fallback: string, where: string): Initializer {
  if (spec === undefined || spec === null) return lookup(fallback, where)({});
  if (spec instanceof Initializer) return spec;
  if (typeof spec === 'string') return lookup(spec, where)({});
  if (typeof spec === 'object') {
    const name = 'className' in spec ? spec.className : (spec as { class_name: string }).class_name;
    if (typeof name !== 'string') throw new Error(`${where}: an initializer config needs a className (got ${JSON.stringify(spec)})`);
    return lookup(name, where)({ ...(spec.config ?? {}) });
  }
  throw new Error(`${where}: an initializer must be a name, an Initializer or {className, config} (got ${typeof spec})`);
}
