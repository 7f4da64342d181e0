// nn.optimizers: factories with Keras 3 defaults, and name lookup for compile({ optimizer: 'adam' }).
//
// Update rules are tfjs-core's (tests compare each, step by step, with tf.train.*), except:
// - RMSProp centered: sqrt(ms - mg² + eps) as Keras, where tfjs takes sqrt(ms - (mg² + eps)).
// - AdamW (no tfjs equivalent): Keras 3 — p -= lr*weightDecay*p, then Adam with eps added to
//   sqrt(v) before bias correction (Keras' Adam); our Adam adds it after, as tfjs does.
// Known differences from Keras 3 that we keep because tfjs does it this way:
// - Adadelta divides by sqrt(accGrad + eps) with accGrad from before this step (Keras: after).
// - Momentum keeps lr outside the velocity (Keras inside): same result at a constant lr.
// - Adam's eps sits on the bias-corrected sqrt(v̂) (Keras: on sqrt(v)); differs by eps's scale only.
// Defaults are Keras 3's: lr 0.01 for SGD and 0.001 for the rest (tfjs' adamax: 0.002), eps 1e-7.
// Clipping (Keras semantics): clipValue, then clipNorm per parameter segment, then globalClipNorm;
// the gradient arena is clipped in place.
import { Optimizer, OptimizerArgs, OPTIMIZER_KEYS, optimizerArgs } from './optimizer';
import { checkOptions } from '../options';
import { SGDOptimizer, MomentumOptimizer, MomentumArgs } from './sgd';
import { AdagradOptimizer, AdagradArgs, AdadeltaOptimizer, AdadeltaArgs, RMSPropOptimizer, RMSPropArgs } from './adaptive';
import { AdamOptimizer, AdamaxOptimizer, AdamWOptimizer, AdamArgs, AdamWArgs } from './adam';

export { Optimizer } from './optimizer';
export type { ParamSegment, OptimizerArgs, NamedState } from './optimizer';
export { SGDOptimizer, MomentumOptimizer } from './sgd';
export { AdagradOptimizer, AdadeltaOptimizer, RMSPropOptimizer } from './adaptive';
export { AdamOptimizer, AdamaxOptimizer, AdamWOptimizer } from './adam';
export type { MomentumArgs } from './sgd';
export type { AdagradArgs, AdadeltaArgs, RMSPropArgs } from './adaptive';
export type { AdamArgs, AdamWArgs } from './adam';

export interface SGDArgs extends OptimizerArgs {
  /** Default 0: plain SGD. */
  momentum?: number;
  nesterov?: boolean;
}

/** SGD, learningRate 0.01 (a number as `args` is the learning rate, as for every factory here); with momentum > 0 or nesterov it is a MomentumOptimizer (tfjs 'Momentum'). */
export function sgd(args: SGDArgs | number = {}): SGDOptimizer | MomentumOptimizer {
  const opts = optimizerArgs<SGDArgs>('sgd', args);
  checkOptions('sgd', opts, [...OPTIMIZER_KEYS, 'momentum', 'nesterov']);
  const { momentum = 0, nesterov = false, ...rest } = opts;
  return momentum !== 0 || nesterov ? new MomentumOptimizer({ ...rest, momentum, nesterov }) : new SGDOptimizer(rest);
}
/** tfjs' tf.train.momentum: learningRate 0.01, momentum 0.9. */
export const momentum = (args: MomentumArgs | number = {}): MomentumOptimizer => new MomentumOptimizer(optimizerArgs('momentum', args));
/** learningRate 0.001, initialAccumulatorValue 0.1, epsilon 1e-7. */
export const adagrad = (args: AdagradArgs | number = {}): AdagradOptimizer => new AdagradOptimizer(optimizerArgs('adagrad', args));
/** learningRate 0.001, rho 0.95, epsilon 1e-7. */
export const adadelta = (args: AdadeltaArgs | number = {}): AdadeltaOptimizer => new AdadeltaOptimizer(optimizerArgs('adadelta', args));
/** learningRate 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false. */
export const rmsprop = (args: RMSPropArgs | number = {}): RMSPropOptimizer => new RMSPropOptimizer(optimizerArgs('rmsprop', args));
/** learningRate 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7. */
export const adam = (args: AdamArgs | number = {}): AdamOptimizer => new AdamOptimizer(optimizerArgs('adam', args));
/** learningRate 0.001 (Keras 3; tfjs defaults to 0.002), beta1 0.9, beta2 0.999, epsilon 1e-7. */
export const adamax = (args: AdamArgs | number = {}): AdamaxOptimizer => new AdamaxOptimizer(optimizerArgs('adamax', args));
/** learningRate 0.001, weightDecay 0.004, beta1 0.9, beta2 0.999, epsilon 1e-7. */
export const adamw = (args: AdamWArgs | number = {}): AdamWOptimizer => new AdamWOptimizer(optimizerArgs('adamw', args));

const defaults = {
  sgd: () => sgd(), momentum: () => momentum(), adagrad: () => adagrad(), adadelta: () => adadelta(),
  rmsprop: () => rmsprop(), adam: () => adam(), adamax: () => adamax(), adamw: () => adamw(),
} satisfies Record<string, () => Optimizer>;
const byName = new Map<string, () => Optimizer>(Object.entries(defaults));

/** Optimizer names compile() accepts: Keras' lowercase names and tfjs' class names (matched without case). */
export type OptimizerName = keyof typeof defaults | 'SGD' | 'Momentum' | 'Adagrad' | 'Adadelta' | 'RMSProp' | 'Adam' | 'Adamax' | 'AdamW';

/**
 * An optimizer instance as given, or a new one with default settings from its name; names are
 * case-insensitive, so both Keras' 'adam' / 'rmsprop' and tfjs' 'Adam' / 'RMSProp' work.
 */
export function getOptimizer(nameOrInstance: string | Optimizer): Optimizer {
  if (nameOrInstance instanceof Optimizer) return nameOrInstance;
  const make = typeof nameOrInstance === 'string' ? byName.get(nameOrInstance.toLowerCase()) : undefined;
  if (!make) {
    throw new Error(`compile: unknown optimizer '${String(nameOrInstance)}'; known: ${[...byName.keys()].join(', ')}`);
  }
  return make();
}
