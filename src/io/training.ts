// save(dest, { includeOptimizer: true }) and its loading side, in tfjs-layers 4.22's layout: the
// model.json carries `trainingConfig` ({ loss, metrics, optimizer_config }), and the weights manifest
// carries the optimizer's weights after the model's, marked `group: 'optimizer'`: an int32 scalar
// 'iter', then each state slot for every trainable weight in order (Adam: all `<weight>/m`, then all
// `<weight>/v`), which is what tfjs-core's Optimizer.getWeights gives.
import type { Model } from '../models/model';
import type { ParamArena } from '../models/arena';
import { Optimizer, NamedState } from '../optimizers/optimizer';
import * as optimizers from '../optimizers/index';
import * as schedules from '../schedules';
import { getLoss } from '../losses';
import { Tensor, tensor, scalar, shapeStr } from '../tensor';
import { fromPythonic, toSnake, toCamel } from './pythonic';
import type { WeightSpec } from './weights';

/** Our optimizer option names → the names tfjs' fromConfig reads, per optimizer class. */
const TFJS_KEYS: Record<string, Record<string, string>> = { Momentum: { nesterov: 'useNesterov' }, RMSProp: { rho: 'decay' } };

function renameKeys(config: Record<string, unknown>, names: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).map(([key, v]) => [names[key] ?? key, v]));
}

/** tfjs' getTrainingConfig for a compiled model. */
export function trainingConfigOf(model: Model, where: string): Record<string, unknown> {
  const opt = model.optimizer, heads = model.compiled?.heads;
  if (!opt || !heads) throw new Error(`${where}: includeOptimizer needs a compiled model (call compile() first)`);
  for (const h of heads) {
    try { getLoss(h.lossName); } catch {
      throw new Error(`${where}: includeOptimizer cannot save the custom loss '${h.lossName}' (only named losses can be saved, as in tfjs)`);
    }
  }
  const losses = heads.map((h) => toSnake(h.lossName));
  return {
    loss: losses.length === 1 ? losses[0] : losses,
    metrics: [...new Set(heads.flatMap((h) => h.metricNames))].map(toSnake),
    optimizer_config: { class_name: opt.className, config: renameKeys(opt.getConfig(), TFJS_KEYS[opt.className] ?? {}) },
  };
}

/** An optimizer from a trainingConfig's optimizer_config (tfjs, Keras or ours). */
function optimizerFrom(oc: any, where: string): Optimizer {
  const className: unknown = oc?.class_name ?? oc?.className;
  const factories = optimizers as unknown as Record<string, (args: Record<string, unknown>) => Optimizer>;
  const factoryName = typeof className === 'string' ? className.toLowerCase() : '';
  const make = ['sgd', 'momentum', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax', 'adamw'].includes(factoryName) ? factories[factoryName] : undefined;
  if (!make) throw new Error(`${where}: trainingConfig names optimizer '${String(className)}', which simdnn does not have`);
  const back = Object.fromEntries(Object.entries(TFJS_KEYS[className as string] ?? {}).map(([ours, theirs]) => [theirs, ours]));
  const config = renameKeys(Object.fromEntries(Object.entries(fromPythonic(oc.config ?? {}) as Record<string, unknown>).filter(([, v]) => v !== null)), back);
  if ('lr' in config && !('learningRate' in config)) { config.learningRate = config.lr; delete config.lr; }
  if (config.decay !== undefined) {
    // tfjs' Adamax (and Keras 2's optimizers) carry a time-based decay, always 0 unless set
    if (config.decay !== 0) throw new Error(`${where}: the optimizer's decay ${config.decay} is not supported (use a learning-rate schedule)`);
    delete config.decay;
  }
  const lr = config.learningRate as { className?: string; class_name?: string; config?: Record<string, unknown> } | undefined;
  if (lr && typeof lr === 'object') {
    const name = lr.className ?? lr.class_name ?? '';
    const schedule = (schedules as unknown as Record<string, (c: unknown) => unknown>)[name.charAt(0).toLowerCase() + name.slice(1)];
    if (typeof schedule !== 'function' || name === 'isSchedule') throw new Error(`${where}: unknown learning-rate schedule '${name}'`);
    // an option left unset was written as null (JSON has no undefined)
    config.learningRate = schedule(Object.fromEntries(Object.entries(lr.config ?? {}).filter(([, v]) => v !== null)));
  }
  try { return make(config); } catch (e) { throw new Error(`${where}: trainingConfig: ${(e as Error).message}`); }
}

/** Compiles a freshly loaded model as its trainingConfig says (tfjs' loadTrainingConfig). */
export function compileFromTrainingConfig(model: Model, tc: any, where: string): void {
  for (const unsupported of ['weighted_metrics', 'loss_weights', 'sample_weight_mode']) {
    if (tc[unsupported] != null) throw new Error(`${where}: trainingConfig.${unsupported} is not supported`);
  }
  if (typeof tc.loss !== 'string') throw new Error(`${where}: trainingConfig.loss must be a loss name, got ${JSON.stringify(tc.loss)}`);
  const metrics = tc.metrics == null ? [] : tc.metrics;
  if (!Array.isArray(metrics)) throw new Error(`${where}: trainingConfig.metrics must be a list of names`);
  try {
    model.compile({ optimizer: optimizerFrom(tc.optimizer_config, where), loss: toCamel(tc.loss), metrics: metrics.map((m: string) => toCamel(m)) });
  } catch (e) {
    const msg = (e as Error).message;
    throw new Error(msg.startsWith(where) ? msg : `${where}: trainingConfig: ${msg}`);
  }
}

/**
 * The arena the optimizer's state is laid out over: it belongs to the model's trainable weights
 * (each variable knows its arena). None before the first compile of a built model, or when
 * another model sharing a layer took the variables (the state then starts afresh anyway).
 */
function arenaOf(model: Model): ParamArena | null {
  const vars = model.trainableWeights;
  const arena = vars[0]?.arena as ParamArena | null | undefined;
  if (!arena || arena.stale || arena.variables.length !== vars.length || arena.variables.some((v, i) => v !== vars[i])) return null;
  return arena;
}

/** A named block of optimizer state as saved: 'iter' (an int32 scalar), then `<weight>/<slot>` in the weight's shape. */
export interface SavedState { name: string; shape: number[]; values: Float32Array | Int32Array }

/** The optimizer's state; only 'iter' when no step has made state yet (as tfjs writes it then). */
export function optimizerWeightsOf(model: Model): SavedState[] {
  const opt = model.optimizer!;
  const arena = arenaOf(model);
  if (!arena) return [{ name: 'iter', shape: [], values: Int32Array.of(opt.iterations) }];
  const shapeOf = new Map(arena.variables.map((v) => [v.name, v.shape.slice()]));
  return opt.getWeights(arena.size, arena.segments).map(({ name, tensor: t }) => {
    const values = t.dataSync();
    t.dispose();
    if (name === 'iter') return { name, shape: [], values: Int32Array.of(values[0]) };
    return { name, shape: shapeOf.get(name.slice(0, name.lastIndexOf('/')))!, values };
  });
}

/**
 * Restores optimizer state saved by simdnn or tfjs. Like tfjs, the state matches by position
 * (tfjs' own names carry its variables' process-unique names); counts and sizes are checked first.
 */
export function restoreOptimizerWeights(model: Model, specs: { spec: WeightSpec; values: Float32Array | Int32Array }[], where: string): void {
  const opt = model.optimizer;
  if (!opt || specs.length === 0) return;
  const [iter, ...state] = specs;
  if (iter.spec.name !== 'iter' && !iter.spec.name.endsWith('iter')) {
    throw new Error(`${where}: the optimizer weights start with '${iter.spec.name}', expected the step counter 'iter'`);
  }
  const iterations = iter.values[0];
  if (!Number.isInteger(iterations) || iterations < 0) throw new Error(`${where}: the optimizer step counter 'iter' is ${iterations}`);
  if (state.length === 0) { opt.iterations = iterations; return; } // saved before any step: fresh state
  const arena = arenaOf(model);
  if (!arena) throw new Error(`${where}: the model's trainable weights are not packed for the optimizer`);
  const expected = opt.getWeights(arena.size, arena.segments);
  const made: Tensor[] = expected.map((e) => e.tensor);
  try {
    const slots = expected.slice(1);
    if (slots.length !== state.length) {
      throw new Error(`${where}: the file holds ${state.length} optimizer weights (${state.map((s) => s.spec.name).join(', ')}) ` +
        `but ${opt.className} needs ${slots.length} for this model (${slots.map((s) => s.name).join(', ')})`);
    }
    const named: NamedState[] = [{ name: 'iter', tensor: scalar(iterations) }];
    made.push(named[0].tensor);
    slots.forEach((slot, i) => {
      const { spec, values } = state[i];
      if (values.length !== slot.tensor.size) {
        throw new Error(`${where}: optimizer weight '${spec.name}' ${shapeStr(spec.shape)} does not fit '${slot.name}' ${shapeStr(slot.tensor.shape)}`);
      }
      const t = tensor(values instanceof Float32Array ? values : Float32Array.from(values), slot.tensor.shape);
      made.push(t);
      named.push({ name: slot.name, tensor: t });
    });
    opt.setWeights(named, arena.size, arena.segments);
  } finally {
    for (const t of made) t.dispose();
  }
}
