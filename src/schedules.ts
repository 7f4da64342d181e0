// Learning-rate schedules: callables from the optimizer's step count (0 on the first update, as
// Keras evaluates them at `optimizer.iterations`) to a learning rate. Plain TS arithmetic in f64.

/** A learning-rate schedule: call it with a step (0-based) to get the learning rate for that step. */
export interface Schedule {
  (step: number): number;
  readonly className: string;
  getConfig(): Record<string, unknown>;
}

function makeSchedule(className: string, config: Record<string, unknown>, fn: (step: number) => number): Schedule {
  const schedule = (step: number): number => {
    if (!Number.isFinite(step) || step < 0) throw new Error(`${className}: step must be a non-negative number (got ${step})`);
    return fn(step);
  };
  return Object.assign(schedule, { className, getConfig: () => ({ ...config }) });
}

export function isSchedule(x: unknown): x is Schedule {
  return typeof x === 'function' && typeof (x as Schedule).getConfig === 'function';
}

function need(cond: boolean, where: string, what: string, value: unknown): void {
  if (!cond) throw new Error(`${where}: ${what} (got ${value})`);
}

function checkInitial(where: string, lr: number): void {
  need(Number.isFinite(lr) && lr >= 0, where, 'initialLearningRate must be a finite number >= 0', lr);
}

function checkSteps(where: string, name: string, steps: number): void {
  need(Number.isFinite(steps) && steps > 0, where, `${name} must be > 0`, steps);
}

export interface ExponentialDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in discrete intervals (floor(step / decaySteps)) instead of continuously. Default false. */
  staircase?: boolean;
}

/** Keras ExponentialDecay: initialLearningRate * decayRate ^ (step / decaySteps). */
export function exponentialDecay({ initialLearningRate, decaySteps, decayRate, staircase = false }: ExponentialDecayArgs): Schedule {
  const where = 'exponentialDecay';
  checkInitial(where, initialLearningRate);
  checkSteps(where, 'decaySteps', decaySteps);
  need(Number.isFinite(decayRate) && decayRate > 0, where, 'decayRate must be > 0', decayRate);
  return makeSchedule('ExponentialDecay', { initialLearningRate, decaySteps, decayRate, staircase }, (step) => {
    const p = step / decaySteps;
    return initialLearningRate * Math.pow(decayRate, staircase ? Math.floor(p) : p);
  });
}

export interface StepDecayArgs {
  initialLearningRate: number;
  /** Steps between drops; `decaySteps` is accepted as a synonym. */
  dropEvery?: number;
  decaySteps?: number;
  /** Factor applied at every drop. Default 0.5. */
  decayRate?: number;
}

/**
 * Step decay: the rate is multiplied by `decayRate` every `dropEvery` steps,
 * initialLearningRate * decayRate ^ floor(step / dropEvery) — exponentialDecay with staircase: true.
 */
export function stepDecay({ initialLearningRate, dropEvery, decaySteps, decayRate = 0.5 }: StepDecayArgs): Schedule {
  const where = 'stepDecay';
  if (dropEvery !== undefined && decaySteps !== undefined && dropEvery !== decaySteps) {
    throw new Error(`${where}: dropEvery and decaySteps are synonyms; give one (got ${dropEvery} and ${decaySteps})`);
  }
  const every = dropEvery ?? decaySteps;
  need(every !== undefined, where, 'dropEvery (or decaySteps) is required', every);
  checkInitial(where, initialLearningRate);
  checkSteps(where, 'dropEvery', every!);
  need(Number.isFinite(decayRate) && decayRate > 0, where, 'decayRate must be > 0', decayRate);
  return makeSchedule('StepDecay', { initialLearningRate, dropEvery: every, decayRate },
    (step) => initialLearningRate * Math.pow(decayRate, Math.floor(step / every!)));
}

export interface CosineDecayArgs {
  initialLearningRate: number;
  decaySteps: number;
  /** Floor of the decay as a fraction of the starting rate. Default 0. */
  alpha?: number;
  /** Keras 3 linear warmup: from initialLearningRate to warmupTarget over warmupSteps, then decay. */
  warmupTarget?: number;
  warmupSteps?: number;
}

/**
 * Keras CosineDecay: lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decaySteps) / decaySteps)) + alpha),
 * with Keras 3's optional linear warmup (the decay then starts from warmupTarget after warmupSteps).
 */
export function cosineDecay({ initialLearningRate, decaySteps, alpha = 0, warmupTarget, warmupSteps = 0 }: CosineDecayArgs): Schedule {
  const where = 'cosineDecay';
  checkInitial(where, initialLearningRate);
  checkSteps(where, 'decaySteps', decaySteps);
  need(Number.isFinite(alpha) && alpha >= 0 && alpha <= 1, where, 'alpha must be in [0, 1]', alpha);
  need(Number.isFinite(warmupSteps) && warmupSteps >= 0, where, 'warmupSteps must be >= 0', warmupSteps);
  if (warmupTarget !== undefined) need(Number.isFinite(warmupTarget) && warmupTarget >= 0, where, 'warmupTarget must be >= 0', warmupTarget);
  const warm = warmupTarget !== undefined && warmupSteps > 0;
  const peak = warmupTarget ?? initialLearningRate;
  return makeSchedule('CosineDecay', { initialLearningRate, decaySteps, alpha, warmupTarget: warmupTarget ?? null, warmupSteps },
    (step) => {
      if (warm && step < warmupSteps) return initialLearningRate + (peak - initialLearningRate) * (step / warmupSteps);
      const s = Math.min(warm ? step - warmupSteps : step, decaySteps);
      const cosine = 0.5 * (1 + Math.cos(Math.PI * s / decaySteps));
      return peak * ((1 - alpha) * cosine + alpha);
    });
}
