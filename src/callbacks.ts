// Training callbacks: user hooks plus earlyStopping, reduceLROnPlateau, terminateOnNaN and modelCheckpoint.
import type { Model } from './models/model';
import type { IOHandler } from './io/handlers';
import { Tensor } from './tensor';
import { checkOptions, describe } from './options';
import { bool, nonNegativeInt, verbosity } from './models/args';

export type Logs = Record<string, number>;

export interface CallbackHooks {
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
}

export abstract class Callback {
  protected model!: Model;
  setModel(model: Model): void { this.model = model; }
}

type Mode = 'auto' | 'min' | 'max';

/** A callback's numeric option that must be a finite number (a string or NaN would silently never compare). */
function finite(who: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${who}: ${name} must be a finite number, got ${describe(value)}`);
  return value;
}

/** Tracks the best value of a monitored log entry; shared by earlyStopping and reduceLROnPlateau. */
class Monitor {
  best = NaN;
  private readonly sign: number;
  constructor(who: string, readonly key: string, mode: Mode, private readonly minDelta: number) {
    if (typeof key !== 'string') throw new Error(`${who}: monitor must be a log key such as 'val_loss', got ${describe(key)}`);
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') throw new Error(`${who}: mode must be 'auto', 'min' or 'max', got ${describe(mode)}`);
    finite(who, 'minDelta', minDelta);
    const max = mode === 'max' || (mode === 'auto' && /acc|precision|recall/.test(key));
    this.sign = max ? -1 : 1;
  }
  value(logs: Logs | undefined, who: string): number | undefined {
    const v = logs?.[this.key];
    if (v === undefined) {
      console.warn(`${who}: monitored value '${this.key}' is not in the logs (${Object.keys(logs ?? {}).join(', ')}); skipping`);
    }
    return v;
  }
  /** True when v improves on the best by more than minDelta (and records it). */
  improved(v: number): boolean {
    if (Number.isNaN(this.best) || this.sign * (v - this.best) < -Math.abs(this.minDelta)) { this.best = v; return true; }
    return false;
  }
  reset(): void { this.best = NaN; }
}

export interface EarlyStoppingArgs {
  monitor?: string; minDelta?: number; patience?: number; mode?: Mode; baseline?: number; restoreBestWeights?: boolean;
}

export class EarlyStopping extends Callback {
  private readonly mon: Monitor;
  private readonly patience: number;
  private readonly baseline?: number;
  private readonly restore: boolean;
  private wait = 0;
  private bestWeights: Tensor[] | null = null;
  stoppedEpoch = -1;

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    checkOptions('earlyStopping', args, ['monitor', 'minDelta', 'patience', 'mode', 'baseline', 'restoreBestWeights']);
    this.mon = new Monitor('earlyStopping', args.monitor ?? 'val_loss', args.mode ?? 'auto', args.minDelta ?? 0);
    this.patience = nonNegativeInt('earlyStopping', 'patience', args.patience, 0);
    this.baseline = args.baseline === undefined ? undefined : finite('earlyStopping', 'baseline', args.baseline);
    this.restore = bool('earlyStopping', 'restoreBestWeights', args.restoreBestWeights, false);
  }

  onTrainBegin(): void {
    this.wait = 0; this.stoppedEpoch = -1; this.mon.reset(); this.freeBest();
    if (this.baseline !== undefined) this.mon.best = this.baseline;
  }

  onEpochEnd(epoch: number, logs?: Logs): void {
    const v = this.mon.value(logs, 'earlyStopping');
    if (v === undefined) return;
    if (this.mon.improved(v)) {
      this.wait = 0;
      if (this.restore) { this.freeBest(); this.bestWeights = this.model.getWeights().map((t) => t.keep()); }
      return;
    }
    if (++this.wait >= this.patience) { // Keras and tfjs: patience 2 stops on the 2nd epoch without improvement
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.restore && this.bestWeights && this.stoppedEpoch >= 0) this.model.setWeights(this.bestWeights);
    this.freeBest();
  }

  private freeBest(): void { this.bestWeights?.forEach((t) => t.dispose()); this.bestWeights = null; }
}

export interface ReduceLROnPlateauArgs {
  monitor?: string; factor?: number; patience?: number; mode?: Mode; minDelta?: number; cooldown?: number; minLr?: number; verbose?: number;
}

export class ReduceLROnPlateau extends Callback {
  private readonly mon: Monitor;
  private readonly factor: number;
  private readonly patience: number;
  private readonly cooldown: number;
  private readonly minLr: number;
  private wait = 0;
  private cooldownLeft = 0;

  constructor(private readonly args: ReduceLROnPlateauArgs = {}) {
    super();
    const who = 'reduceLROnPlateau';
    checkOptions(who, args, ['monitor', 'factor', 'patience', 'mode', 'minDelta', 'cooldown', 'minLr', 'verbose']);
    this.factor = args.factor ?? 0.1;
    if (typeof this.factor !== 'number' || !(this.factor < 1 && this.factor > 0)) throw new Error(`${who}: factor must be in (0, 1), got ${describe(this.factor)}`);
    this.mon = new Monitor(who, args.monitor ?? 'val_loss', args.mode ?? 'auto', args.minDelta ?? 1e-4);
    this.patience = nonNegativeInt(who, 'patience', args.patience, 10);
    this.cooldown = nonNegativeInt(who, 'cooldown', args.cooldown, 0);
    this.minLr = finite(who, 'minLr', args.minLr ?? 0);
    if (this.minLr < 0) throw new Error(`${who}: minLr must be >= 0, got ${this.minLr}`);
    verbosity(who, args.verbose, 0);
  }

  onTrainBegin(): void { this.wait = 0; this.cooldownLeft = 0; this.mon.reset(); }

  onEpochEnd(epoch: number, logs?: Logs): void {
    const v = this.mon.value(logs, 'reduceLROnPlateau');
    if (v === undefined) return;
    const opt = this.model.optimizer!;
    if (logs) logs.lr = opt.currentLearningRate();
    if (this.cooldownLeft > 0) { this.cooldownLeft--; this.wait = 0; }
    if (this.mon.improved(v)) { this.wait = 0; return; }
    if (this.cooldownLeft > 0) return;
    if (++this.wait >= this.patience) {
      const old = opt.currentLearningRate();
      const lr = Math.max(old * this.factor, this.minLr);
      if (lr < old) {
        opt.learningRate = lr;
        if (this.args.verbose) console.log(`Epoch ${epoch + 1}: reduceLROnPlateau reducing learning rate to ${lr}`);
      }
      this.cooldownLeft = this.cooldown;
      this.wait = 0;
    }
  }
}

export class TerminateOnNaN extends Callback {
  onBatchEnd(batch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.warn(`terminateOnNaN: batch ${batch} has loss ${loss}; stopping training`);
      this.model.stopTraining = true;
    }
  }
}

export interface ModelCheckpointArgs {
  /** The log entry saveBestOnly compares (default 'val_loss'). */
  monitor?: string;
  /** Save only when the monitored value improves on the best so far (default false: every epoch). */
  saveBestOnly?: boolean;
  /** Whether smaller or larger is better; 'auto' picks max for accuracy-like names. */
  mode?: Mode;
  /** 1: log a line per save. */
  verbose?: number;
}

/**
 * Fills Keras-style placeholders in a checkpoint path: `{epoch}` (1-based) or any log entry, with an
 * optional format `{epoch:03d}` (zero-padded integer) or `{val_loss:.4f}` (fixed decimals).
 */
export function formatCheckpointPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(/\{(\w+)(?::0?(\d*)d|:\.(\d+)f)?\}/g, (whole, key: string, width?: string, decimals?: string) => {
    const v = key === 'epoch' ? epoch + 1 : logs[key];
    if (v === undefined) {
      throw new Error(`modelCheckpoint: the path '${template}' names '${key}', which is not in the logs (${Object.keys(logs).join(', ')})`);
    }
    if (decimals !== undefined) return v.toFixed(Number(decimals));
    if (width !== undefined) return String(Math.round(v)).padStart(Number(width || 0), '0');
    return String(v);
  });
}

/**
 * Saves the model at the end of every epoch, or only when the monitored value improves. `filepath`
 * is anything model.save takes ('file://dir' in Node/Deno, 'indexeddb://name', an IO handler); a
 * string may hold `{epoch}`-style placeholders. The save completes before training continues.
 */
export class ModelCheckpoint extends Callback {
  private readonly mon: Monitor;
  private readonly saveBestOnly: boolean;
  private readonly verbose: number;
  /** Epochs (0-based) at which the model was saved, in order. */
  readonly savedEpochs: number[] = [];

  constructor(private readonly filepath: string | IOHandler, args: ModelCheckpointArgs = {}) {
    super();
    if (typeof filepath !== 'string' && (typeof filepath !== 'object' || filepath === null || typeof filepath.save !== 'function')) {
      throw new Error(`modelCheckpoint: filepath must be a destination string or an IO handler with save(), got ${filepath === null ? 'null' : typeof filepath}`);
    }
    checkOptions('modelCheckpoint', args, ['monitor', 'saveBestOnly', 'mode', 'verbose']);
    this.mon = new Monitor('modelCheckpoint', args.monitor ?? 'val_loss', args.mode ?? 'auto', 0);
    this.saveBestOnly = bool('modelCheckpoint', 'saveBestOnly', args.saveBestOnly, false);
    this.verbose = verbosity('modelCheckpoint', args.verbose, 0);
  }

  onTrainBegin(): void { this.mon.reset(); this.savedEpochs.length = 0; }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (this.saveBestOnly) {
      const v = this.mon.value(logs, 'modelCheckpoint');
      if (v === undefined || !this.mon.improved(v)) return;
    }
    const dest = typeof this.filepath === 'string' ? formatCheckpointPath(this.filepath, epoch, logs) : this.filepath;
    await this.model.save(dest);
    this.savedEpochs.push(epoch);
    if (this.verbose) {
      const why = this.saveBestOnly ? `${this.mon.key} improved to ${logs[this.mon.key]}, ` : '';
      console.log(`Epoch ${epoch + 1}: ${why}saved the model to ${typeof dest === 'string' ? dest : 'the handler'}`);
    }
  }
}

export const earlyStopping = (args?: EarlyStoppingArgs) => new EarlyStopping(args);
export const reduceLROnPlateau = (args?: ReduceLROnPlateauArgs) => new ReduceLROnPlateau(args);
export const terminateOnNaN = () => new TerminateOnNaN();
export const modelCheckpoint = (filepath: string | IOHandler, args?: ModelCheckpointArgs) => new ModelCheckpoint(filepath, args);

/** Runs a list of hooks in order, awaiting each. */
export class CallbackList {
  constructor(readonly list: CallbackHooks[]) {}
  async call<K extends keyof CallbackHooks>(hook: K, ...args: unknown[]): Promise<void> {
    for (const cb of this.list) {
      const f = cb[hook] as ((...a: unknown[]) => void | Promise<void>) | undefined;
      if (f) await f.apply(cb, args);
    }
  }
}
