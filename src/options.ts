// Option objects are checked against the keys a call knows, so a misspelled or unsupported option
// (`{lr: 0.1}`, `yieldEvery`) fails loudly instead of being silently ignored.

/** The options every layer takes (tfjs-layers' LayerArgs). */
export const LAYER_KEYS = ['name', 'inputShape', 'batchInputShape', 'batchSize', 'trainable', 'dtype', 'inputDim',
  'weights'] as const;

/**
 * Throws `${where}: unknown option 'x'; known options: …` when `args` has a key outside `known`.
 * `undefined`/`null` args pass (no options given); a non-object is refused.
 */
export function checkOptions(where: string, args: unknown, known: readonly string[]): void {
  if (args === undefined || args === null) return;
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new Error(`${where}: expected an options object, got ${Array.isArray(args) ? 'an array' : typeof args}`);
  }
  for (const key of Object.keys(args)) {
    if (!known.includes(key)) {
      throw new Error(`${where}: unknown option '${key}'; known options: ${[...known].sort().join(', ')}`);
    }
  }
}

/** A positive integer option (batchSize, units, filters …), or its default when not given. */
export function positiveInt(where: string, name: string, value: unknown, fallback?: number): number {
  const v = value === undefined ? fallback : value;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new Error(`${where}: ${name} must be a positive integer, got ${describe(value)}`);
  }
  return v;
}

/** A short description of a value for error messages ('4' (a string), 2.5, undefined …). */
export function describe(v: unknown): string {
  if (typeof v === 'string') return `'${v}' (a string)`;
  if (Array.isArray(v)) return `[${v.map(describe).join(', ')}]`;
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}
