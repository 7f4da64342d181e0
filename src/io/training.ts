// save(dest, { includeOptimizer: true }) and its loading side, in tfjs-layers 4.22's layout: the
// model.json carries `trainingConfig` ({ loss, metrics, optimizer_config }), and the weights manifest
// carries the optimizer's weights after the model's, marked `group: 'optimizer'`: an int32 scalar
// 'iter', then each state slot for every trainable weight in order (Adam: all `<weight>/m`, then all
// `<weight>/v`), which is what tfjs-core's Optimizer.getWeights gives.
import type { Model, CompileArgs } from '../models/model';
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

/** Optimizer options as our factories name them, from tfjs' or Keras' spelling of them. */
function optimizerArgs(className: string, raw: unknown, where: string): Record<string, unknown> {
  const back = Object.fromEntries(Object.entries(TFJS_KEYS[className] ?? {}).map(([ours, theirs]) => [theirs, ours]));
  // an option left unset was written as null (JSON has no undefined)
  const config = renameKeys(withoutNulls(fromPythonic(raw ?? {})), back);
  // Keras spellings and bookkeeping: the same options under other names, or settings that change nothing
  for (const [keras, ours] of [['lr', 'learningRate'], ['clipnorm', 'clipNorm'], ['clipvalue', 'clipValue'], ['globalClipnorm', 'globalClipNorm']]) {
    if (keras in config && !(ours in config)) config[ours] = config[keras];
    delete config[keras];
  }
  for (const key of ['name', 'jitCompile', 'isLegacyOptimizer', 'emaMomentum', 'emaOverwriteFrequency', 'lossScaleFactor', 'gradientAccumulationSteps']) delete config[key];
  for (const flag of ['amsgrad', 'useEma']) {
    if (config[flag]) throw new Error(`${where}: the optimizer option ${flag} is not supported`);
    delete config[flag];
  }
  if (config.weightDecay === 0 && className !== 'AdamW') delete config.weightDecay;
  if (config.decay !== undefined) {
    // tfjs' Adamax (and Keras 2's optimizers) carry a time-based decay, always 0 unless set
    if (config.decay !== 0) throw new Error(`${where}: the optimizer's decay ${config.decay} is not supported (use a learning-rate schedule)`);
    delete config.decay;
  }
  if (config.learningRate && typeof config.learningRate === 'object') config.learningRate = scheduleFrom(config.learningRate, where);
  return config;
}

function withoutNulls(o: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries((o ?? {}) as Record<string, unknown>).filter(([, v]) => v !== null));
}

/** A learning-rate schedule from its saved { className, config }. */
function scheduleFrom(saved: { className?: string; class_name?: string; config?: unknown }, where: string): unknown {
  const name = saved.className ?? saved.class_name ?? '';
  const make = (schedules as unknown as Record<string, (c: unknown) => unknown>)[name.charAt(0).toLowerCase() + name.slice(1)];
  if (typeof make !== 'function' || name === 'isSchedule') throw new Error(`${where}: unknown learning-rate schedule '${name}'`);
  return make(withoutNulls(saved.config));
}

const OPTIMIZER_FACTORIES = ['sgd', 'momentum', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax', 'adamw'];

/** An optimizer from a trainingConfig's optimizer_config (tfjs, Keras or ours). */
function optimizerFrom(oc: any, where: string): Optimizer {
  const className: unknown = oc?.class_name ?? oc?.className;
  const factoryName = typeof className === 'string' ? className.toLowerCase() : '';
  if (!OPTIMIZER_FACTORIES.includes(factoryName)) throw new Error(`${where}: trainingConfig names optimizer '${String(className)}', which simdnn does not have`);
  const make = (optimizers as unknown as Record<string, (args: Record<string, unknown>) => Optimizer>)[factoryName];
  const args = optimizerArgs(className as string, oc.config, where);
  try { return make(args); } catch (e) { throw new Error(`${where}: trainingConfig: ${(e as Error).message}`); }
}

/** Compiles a freshly loaded model as its trainingConfig says (tfjs' loadTrainingConfig). */
export function compileFromTrainingConfig(model: Model, tc: any, where: string): void {
  for (const unsupported of ['weighted_metrics', 'loss_weights', 'sample_weight_mode']) {
    if (tc[unsupported] != null) throw new Error(`${where}: trainingConfig.${unsupported} is not supported`);
  }
  // a name, or (several outputs) a list or a dict of names, as tfjs writes them
  const names = (v: unknown, what: string): unknown => {
    if (typeof v === 'string') return toCamel(v);
    if (Array.isArray(v) && v.every((n) => typeof n === 'string')) return v.map(toCamel);
    if (v && typeof v === 'object' && Object.values(v).every((n) => typeof n === 'string')) {
      return Object.fromEntries(Object.entries(v).map(([k, n]) => [k, toCamel(n as string)]));
    }
    throw new Error(`${where}: trainingConfig.${what} must be names (a name, a list or a dict), got ${JSON.stringify(v)}`);
  };
  // tfjs writes metrics as {} when none were compiled; a dict for a one-output model is just its values
  const single = (v: unknown) => (model.outputs.length === 1 && v && typeof v === 'object' && !Array.isArray(v) ? Object.values(v).flat() : v);
  const losses = single(names(tc.loss, 'loss'));
  const loss = (Array.isArray(losses) && losses.length === 1 ? losses[0] : losses) as CompileArgs['loss'];
  const metrics = (tc.metrics == null ? [] : single(names(tc.metrics, 'metrics'))) as CompileArgs['metrics'];
  try {
    model.compile({ optimizer: optimizerFrom(tc.optimizer_config, where), loss, metrics });
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
