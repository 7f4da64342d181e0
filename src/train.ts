// nn.train: tfjs' optimizer factories with tfjs' positional arguments (tf.train.adam(0.01, 0.9,
// 0.999, 1e-7)), building the same optimizers as nn.optimizers. An argument left out (or null,
// as tfjs writes for "the backend's epsilon") takes the nn.optimizers default; the defaults that
// tfjs spells differently are tfjs' here (adamax's learning rate 0.002).
import { Optimizer } from './optimizers/optimizer';
import { SGDOptimizer, MomentumOptimizer } from './optimizers/sgd';
import { AdagradOptimizer, AdadeltaOptimizer, RMSPropOptimizer } from './optimizers/adaptive';
import { AdamOptimizer, AdamaxOptimizer } from './optimizers/adam';

type Maybe<T> = T | null | undefined;

/** The given arguments without the ones left out, so the optimizer's own defaults apply. */
function given<T extends Record<string, unknown>>(args: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined && v !== null)) as { [K in keyof T]?: Exclude<T[K], null> };
}

function required(learningRate: unknown, op: string): number {
  if (typeof learningRate !== 'number') throw new Error(`train.${op}: learningRate must be a number (got ${learningRate === null ? 'null' : typeof learningRate})`);
  return learningRate;
}

/** tf.train.sgd(learningRate). */
export function sgd(learningRate: number): SGDOptimizer {
  return new SGDOptimizer({ learningRate: required(learningRate, 'sgd') });
}

/** tf.train.momentum(learningRate, momentum, useNesterov = false). */
export function momentum(learningRate: number, momentum: number, useNesterov = false): MomentumOptimizer {
  if (typeof momentum !== 'number') throw new Error(`train.momentum: momentum must be a number (got ${typeof momentum})`);
  return new MomentumOptimizer({ learningRate: required(learningRate, 'momentum'), momentum, nesterov: useNesterov });
}

/** tf.train.adagrad(learningRate, initialAccumulatorValue = 0.1). */
export function adagrad(learningRate: number, initialAccumulatorValue?: Maybe<number>): AdagradOptimizer {
  return new AdagradOptimizer(given({ learningRate: required(learningRate, 'adagrad'), initialAccumulatorValue }));
}

/** tf.train.adadelta(learningRate = 0.001, rho = 0.95, epsilon = 1e-7). */
export function adadelta(learningRate?: Maybe<number>, rho?: Maybe<number>, epsilon?: Maybe<number>): AdadeltaOptimizer {
  return new AdadeltaOptimizer(given({ learningRate, rho, epsilon }));
}

/** tf.train.rmsprop(learningRate, decay = 0.9, momentum = 0, epsilon = 1e-7, centered = false); decay is Keras' rho. */
export function rmsprop(learningRate: number, decay?: Maybe<number>, momentum?: Maybe<number>, epsilon?: Maybe<number>,
                        centered?: Maybe<boolean>): RMSPropOptimizer {
  return new RMSPropOptimizer(given({ learningRate: required(learningRate, 'rmsprop'), rho: decay, momentum, epsilon, centered }));
}

/** tf.train.adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7). */
export function adam(learningRate?: Maybe<number>, beta1?: Maybe<number>, beta2?: Maybe<number>, epsilon?: Maybe<number>): AdamOptimizer {
  return new AdamOptimizer(given({ learningRate, beta1, beta2, epsilon }));
}

/** tf.train.adamax(learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, decay = 0); a decay other than 0 is refused. */
export function adamax(learningRate: Maybe<number> = 0.002, beta1?: Maybe<number>, beta2?: Maybe<number>, epsilon?: Maybe<number>,
                       decay?: Maybe<number>): AdamaxOptimizer {
  if (decay !== undefined && decay !== null && decay !== 0) {
    throw new Error(`train.adamax: a learning-rate decay is not supported (got decay ${decay}); use a schedule from nn.schedules with nn.optimizers.adamax`);
  }
  return new AdamaxOptimizer(given({ learningRate: learningRate ?? 0.002, beta1, beta2, epsilon }));
}

export type { Optimizer };
