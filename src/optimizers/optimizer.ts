// The optimizer base: a model's parameters are one f32 arena, its gradients a twin arena of the
// same layout, and each optimizer keeps its state (moments, accumulators) in more twins, so one
// kernel call updates the whole model. This class owns the state arenas, the step count, the
// learning rate (number or schedule) and gradient clipping; subclasses only pick a kernel.
import { Tensor, scalar } from '../tensor';
import { k, onInstantiate } from '../wasm';
import { Schedule, isSchedule } from '../schedules';
import { checkOptions } from '../options';

/** One parameter tensor inside the arena; offsets and sizes count elements, not bytes. */
export interface ParamSegment { name: string; offset: number; size: number }

/** One state arena: its tfjs weight-name suffix (`kernel/m`) and the value it starts at. */
export interface StateSlot { name: string; init: number }

/** A named slice of optimizer state, as tfjs' Optimizer.getWeights gives it ('iter' first). */
export interface NamedState { name: string; tensor: Tensor }

/** Options every optimizer takes. */
export interface OptimizerArgs {
  learningRate?: number | Schedule;
  /** Rescale each parameter's gradient so its L2 norm is at most this (Keras `clipnorm`). */
  clipNorm?: number;
  /** Clamp every gradient element to [-clipValue, clipValue] (Keras `clipvalue`). */
  clipValue?: number;
  /** Rescale all gradients together so their joint L2 norm is at most this (Keras `global_clipnorm`). */
  globalClipNorm?: number;
}

/** The options every optimizer takes. */
export const OPTIMIZER_KEYS = ['learningRate', 'clipNorm', 'clipValue', 'globalClipNorm'] as const;

/** tfjs' `adam(0.01)`: a number is the learning rate; anything else must be an options object. */
export function optimizerArgs<T extends OptimizerArgs>(where: string, args: T | number | undefined): T {
  if (typeof args === 'number') return { learningRate: args } as T;
  if (args === undefined) return {} as T;
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new Error(`${where}: expected an options object or a learning rate, got ${args === null ? 'null' : Array.isArray(args) ? 'an array' : typeof args}`);
  }
  return args;
}

// State arenas from an earlier wasm instance point into memory that no longer exists.
let generation = 0;
onInstantiate(() => { generation++; });

export function need(cond: boolean, where: string, what: string, value: unknown): void {
  if (!cond) throw new Error(`${where}: ${what} (got ${value})`);
}

export function checkRange(where: string, name: string, v: number, lo: number, hi: number, hiOpen = false): void {
  const ok = Number.isFinite(v) && v >= lo && (hiOpen ? v < hi : v <= hi);
  need(ok, where, `${name} must be in [${lo}, ${hi}${hiOpen ? ')' : ']'}`, v);
}

export function checkPositive(where: string, name: string, v: number, allowZero = false): void {
  need(Number.isFinite(v) && (allowZero ? v >= 0 : v > 0), where, `${name} must be a finite number ${allowZero ? '>=' : '>'} 0`, v);
}

export abstract class Optimizer {
  /** tfjs class name: 'SGD', 'Momentum', 'Adagrad', 'Adadelta', 'RMSProp', 'Adam', 'Adamax', 'AdamW'. */
  abstract readonly className: string;
  /** Updates taken so far; a schedule is evaluated at this step. */
  iterations = 0;
  readonly clipNorm?: number;
  readonly clipValue?: number;
  readonly globalClipNorm?: number;

  private _learningRate!: number | Schedule;
  private state: Tensor[] = [];
  private stateSize = -1;
  private stateGeneration = -1;

  /** `ownKeys`: the options this optimizer takes beyond OptimizerArgs; any other key is refused. */
  protected constructor(args: OptimizerArgs, defaultLearningRate: number, ownKeys: readonly string[] = []) {
    const where = this.where();
    checkOptions(where, args, [...OPTIMIZER_KEYS, ...ownKeys]);
    this.learningRate = args.learningRate ?? defaultLearningRate;
    if (args.clipNorm !== undefined) { checkPositive(where, 'clipNorm', args.clipNorm); this.clipNorm = args.clipNorm; }
    if (args.clipValue !== undefined) { checkPositive(where, 'clipValue', args.clipValue); this.clipValue = args.clipValue; }
    if (args.globalClipNorm !== undefined) {
      checkPositive(where, 'globalClipNorm', args.globalClipNorm);
      this.globalClipNorm = args.globalClipNorm;
    }
  }

  /** The factory's name, for error messages: 'adam', 'rmsprop', ... (className is a prototype getter,
   *  so this works inside the base constructor too). */
  protected where(): string { return this.className.toLowerCase(); }

  get learningRate(): number | Schedule { return this._learningRate; }
  set learningRate(lr: number | Schedule) {
    if (typeof lr !== 'function') checkPositive(this.where(), 'learningRate', lr, true);
    this._learningRate = lr;
  }

  /** The learning rate for the next update: the schedule evaluated at `iterations`. */
  currentLearningRate(): number {
    const lr = this._learningRate;
    if (typeof lr !== 'function') return lr;
    const value = lr(this.iterations);
    checkPositive(this.where(), `learning-rate schedule at step ${this.iterations}`, value, true);
    return value;
  }

  /** The state arenas the optimizer keeps, in tfjs' getWeights order. */
  protected abstract stateSlots(): StateSlot[];

  /** Updates the arena of n parameters in place; state[i] is the byte address of state arena i. */
  protected abstract update(params: number, grads: number, state: number[], n: number, lr: number, step: number): void;

  /**
   * params/grads: byte addresses of two arenas of n floats with the layout `segments` describes.
   * Clips the gradients IN PLACE (clipValue, then clipNorm per segment, then globalClipNorm), then
   * updates the parameters in place and counts the step. @internal
   */
  applyGradients(params: number, grads: number, n: number, segments: ParamSegment[]): void {
    const where = this.where();
    need(Number.isInteger(n) && n > 0, where, 'applyGradients needs a positive arena size n', n);
    need(Number.isInteger(params) && params > 0 && params % 4 === 0, where, 'params must be the byte address of an f32 arena', params);
    need(Number.isInteger(grads) && grads > 0 && grads % 4 === 0, where, 'grads must be the byte address of an f32 arena', grads);
    for (const s of segments) {
      if (!(Number.isInteger(s.offset) && Number.isInteger(s.size) && s.offset >= 0 && s.size >= 0 && s.offset + s.size <= n)) {
        throw new Error(`${where}: segment '${s.name}' [offset ${s.offset}, size ${s.size}] does not fit an arena of ${n} floats`);
      }
    }
    const state = this.stateFor(n);
    this.clip(grads, n, segments);
    this.update(params, grads, state, n, this.currentLearningRate(), this.iterations + 1);
    this.iterations++;
  }

  private clip(grads: number, n: number, segments: ParamSegment[]): void {
    const K = k();
    if (this.clipValue !== undefined) K.clip_value_inplace(grads, n, this.clipValue);
    if (this.clipNorm !== undefined) {
      // without a layout, the whole arena is one parameter
      const parts = segments.length ? segments : [{ offset: 0, size: n }];
      for (const s of parts) this.clipToNorm(grads + 4 * s.offset, s.size, this.clipNorm);
    }
    if (this.globalClipNorm !== undefined) this.clipToNorm(grads, n, this.globalClipNorm);
  }

  // Keras' clip_by_norm: g * c / max(|g|, c); gradients already within the norm stay as they are.
  private clipToNorm(ptr: number, size: number, maxNorm: number): void {
    const K = k();
    const norm = Math.sqrt(K.sum_squares(ptr, size));
    if (norm > maxNorm) K.scale_inplace(ptr, size, maxNorm / norm);
  }

  /** The state arenas, allocated (and filled with their initial values) on first use. */
  private stateFor(n: number): number[] {
    if (this.stateGeneration !== generation) { this.state = []; this.stateSize = -1; }
    if (this.stateSize === -1) {
      this.state = this.stateSlots().map(({ init }) => {
        const t = Tensor.empty([n]).keep();
        k().fill_f32(t.ptr, n, init);
        return t;
      });
      this.stateSize = n;
      this.stateGeneration = generation;
    } else if (n !== this.stateSize) {
      throw new Error(`${this.where()}: applyGradients got an arena of ${n} floats, but this optimizer's state ` +
        `was built for ${this.stateSize}; use one optimizer per model (or dispose() it to start over)`);
    }
    return this.state.map((t) => t.ptr);
  }

  /**
   * The optimizer's state split by segment, as tfjs names it: [{name: 'iter'}, then for each state
   * arena (Adam: m, then v) one [size] tensor per segment named `${segment}/${slot}`]. The caller
   * owns the tensors. Before the first update the state is its initial value. @internal
   */
  getWeights(n: number, segments: ParamSegment[]): NamedState[] {
    const state = this.stateFor(n);
    const out: NamedState[] = [{ name: 'iter', tensor: scalar(this.iterations) }];
    this.stateSlots().forEach((slot, i) => {
      for (const s of segments) {
        const t = Tensor.empty([s.size]);
        k().copy_f32(t.ptr, state[i] + 4 * s.offset, s.size);
        out.push({ name: `${s.name}/${slot.name}`, tensor: t });
      }
    });
    return out;
  }

  /** Restores what getWeights gave (matched by name, so tfjs-saved state with the same names loads too). @internal */
  setWeights(weights: NamedState[], n: number, segments: ParamSegment[]): void {
    const where = this.where();
    const byName = new Map(weights.map((w) => [w.name, w.tensor]));
    // check everything before touching any state
    const slices = this.stateSlots().map((slot) => segments.map((s) => {
      const name = `${s.name}/${slot.name}`;
      const t = byName.get(name);
      if (!t) throw new Error(`${where}: setWeights is missing '${name}' (got ${[...byName.keys()].join(', ') || 'nothing'})`);
      if (t.size !== s.size) throw new Error(`${where}: setWeights '${name}' has ${t.size} values, its segment ${s.size}`);
      return { t, s };
    }));
    const state = this.stateFor(n);
    slices.forEach((perSegment, i) => {
      for (const { t, s } of perSegment) k().copy_f32(state[i] + 4 * s.offset, t.ptr, s.size);
    });
    const iter = byName.get('iter');
    if (iter) this.iterations = iter.dataSync()[0];
  }

  /** Hyperparameters under the factory's argument names; a schedule appears as {className, config}. */
  getConfig(): Record<string, unknown> {
    const lr = this._learningRate;
    const config: Record<string, unknown> = {
      learningRate: typeof lr !== 'function' ? lr
        : isSchedule(lr) ? { className: lr.className, config: lr.getConfig() } : { className: 'Custom', config: {} },
      ...this.hyperparameters(),
    };
    if (this.clipNorm !== undefined) config.clipNorm = this.clipNorm;
    if (this.clipValue !== undefined) config.clipValue = this.clipValue;
    if (this.globalClipNorm !== undefined) config.globalClipNorm = this.globalClipNorm;
    return config;
  }

  protected abstract hyperparameters(): Record<string, unknown>;

  /** Frees the state arenas; the next applyGradients starts from fresh state (iterations are kept). */
  dispose(): void {
    if (this.stateGeneration === generation) for (const t of this.state) t.dispose();
    this.state = [];
    this.stateSize = -1;
  }
}
