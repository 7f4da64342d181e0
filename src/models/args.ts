// The options of the public model calls: known keys, and checks of their values, so a bad value
// names the option instead of spinning forever (batchSize 0), trapping in wasm (-5) or returning
// garbage ('4', 2.5).
import { checkOptions, describe, positiveInt } from '../options';

export const COMPILE_KEYS = ['optimizer', 'loss', 'metrics', 'lossWeights'] as const;
const LOOP_KEYS = ['epochs', 'callbacks', 'verbose', 'initialEpoch', 'validationData', 'yieldEvery'] as const;
export const FIT_KEYS = [...LOOP_KEYS, 'batchSize', 'shuffle', 'validationSplit', 'classWeight', 'sampleWeight'] as const;
export const FIT_DATASET_KEYS = [...LOOP_KEYS, 'batchesPerEpoch', 'validationBatchSize'] as const;
/** evaluate and predict print nothing, so any verbose is honoured. */
export const INFERENCE_KEYS = ['batchSize', 'verbose'] as const;

export function nonNegativeInt(where: string, name: string, value: unknown, fallback: number): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new Error(`${where}: ${name} must be a non-negative integer, got ${describe(value)}`);
  }
  return v;
}

export function verbosity(where: string, value: unknown, fallback: 0 | 1 | 2): 0 | 1 | 2 {
  const v = value === undefined ? fallback : value;
  if (v !== 0 && v !== 1 && v !== 2) throw new Error(`${where}: verbose must be 0, 1 or 2, got ${describe(value)}`);
  return v;
}

/** How often a training loop hands the thread back to the event loop (tfjs' yieldEvery). */
export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** 'auto' (the default) yields every 50 ms, a number every that many ms. */
export function yieldEvery(where: string, value: unknown): YieldEvery {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'batch' || value === 'epoch' || value === 'never') return value;
  if (typeof value === 'number' && value >= 0 && Number.isFinite(value)) return value;
  throw new Error(`${where}: yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds ≥ 0, got ${describe(value)}`);
}

/** The loop options fit and fitDataset share, checked. */
export function loopArgs(where: string, args: { epochs?: unknown; initialEpoch?: unknown; verbose?: unknown; yieldEvery?: unknown }):
    { epochs: number; initialEpoch: number; verbose: 0 | 1 | 2; yieldEvery: YieldEvery } {
  return {
    epochs: nonNegativeInt(where, 'epochs', args.epochs, 1),
    initialEpoch: nonNegativeInt(where, 'initialEpoch', args.initialEpoch, 0),
    verbose: verbosity(where, args.verbose, 1),
    yieldEvery: yieldEvery(where, args.yieldEvery),
  };
}

/** evaluate/predict options: the batch size, default 32. */
export function inferenceBatchSize(where: string, args: unknown): number {
  checkOptions(where, args, INFERENCE_KEYS);
  const a = (args ?? {}) as { batchSize?: unknown; verbose?: unknown };
  verbosity(where, a.verbose, 0);
  return positiveInt(where, 'batchSize', a.batchSize, 32);
}

export function fraction(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) throw new Error(`${where}: ${name} must be in (0, 1), got ${describe(value)}`);
  return value;
}

export function bool(where: string, name: string, value: unknown, fallback: boolean): boolean {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'boolean') throw new Error(`${where}: ${name} must be a boolean, got ${describe(value)}`);
  return v;
}
