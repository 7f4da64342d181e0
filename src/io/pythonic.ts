// The tfjs layers format stores configs in Keras' snake_case: keys AND string values are converted
// (e.g. 'leakyRelu' ↔ 'leaky_relu'), except names and class names.

export function toSnake(s: string): string {
  return s.replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase();
}

export function toCamel(s: string): string {
  return s.replace(/[_-]+(.)/g, (_, c: string) => c.toUpperCase());
}

const KEEP_KEYS = new Set(['name', 'className', 'class_name']);
const NAME_LISTS = new Set(['inboundNodes', 'inputLayers', 'outputLayers', 'inbound_nodes', 'input_layers', 'output_layers']);

function convert(v: unknown, key: string | undefined, str: (s: string) => string, keyFn: (s: string) => string): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return str(v);
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    // In node lists, the first item of each entry is a layer name: never converted.
    return v.map((item, i) => (key && NAME_LISTS.has(key) && i === 0 && typeof item === 'string' ? item : convert(item, key, str, keyFn)));
  }
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    const nk = keyFn(k);
    out[nk] = KEEP_KEYS.has(k) && typeof val === 'string' ? val : convert(val, nk, str, keyFn);
  }
  return out;
}

export function toPythonic(config: unknown): unknown { return convert(config, undefined, toSnake, toSnake); }
export function fromPythonic(config: unknown): unknown { return convert(config, undefined, toCamel, toCamel); }
