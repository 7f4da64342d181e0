// The weights manifest of the tfjs layers format: checking what a model.json asks for before any
// byte is read or allocated, and decoding the weight data by spec.
import { shapeStr, sizeOf } from '../tensor';

export type WeightDType = 'float32' | 'int32';

/** One tensor in the weight data; `group: 'optimizer'` marks optimizer state (tfjs' includeOptimizer). */
export interface WeightSpec { name: string; shape: number[]; dtype: WeightDType; group?: string }

/** No single tensor may claim more than this: a manifest asking for more is refused, not allocated. */
export const MAX_TENSOR_BYTES = 2 ** 30;

const DTYPE_BYTES: Record<WeightDType, number> = { float32: 4, int32: 4 };

function describeSpec(s: unknown): string {
  const name = (s as { name?: unknown })?.name;
  return typeof name === 'string' ? `'${name}'` : JSON.stringify(s)?.slice(0, 80) ?? String(s);
}

/** Bytes the weight `s` occupies; throws on a malformed spec, an unknown dtype or an absurd size. */
export function specBytes(s: WeightSpec, where: string): number {
  if (!s || typeof s !== 'object' || typeof s.name !== 'string' || !Array.isArray(s.shape)) {
    throw new Error(`${where}: malformed weight spec ${describeSpec(s)} (expected { name, shape, dtype })`);
  }
  if (!s.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new Error(`${where}: weight '${s.name}' has an invalid shape ${JSON.stringify(s.shape)}`);
  }
  if ((s as { quantization?: unknown }).quantization) {
    throw new Error(`${where}: weight '${s.name}' is quantized; only unquantized float32 weights are supported`);
  }
  const dtype = s.dtype ?? 'float32';
  const per = DTYPE_BYTES[dtype as WeightDType];
  if (!per) throw new Error(`${where}: weight '${s.name}' has dtype ${dtype}; supported: float32 (and int32 optimizer counters)`);
  // multiply in doubles and compare before anything trusts the product
  const bytes = s.shape.reduce((n, d) => n * d, per);
  if (bytes > MAX_TENSOR_BYTES) {
    throw new Error(`${where}: weight '${s.name}' ${shapeStr(s.shape)} would take ${bytes} bytes, more than the ` +
      `${MAX_TENSOR_BYTES} (1 GiB) allowed per tensor`);
  }
  return bytes;
}

/** Checks every spec and returns the bytes they describe together. */
export function manifestBytes(specs: unknown, where: string): number {
  if (!Array.isArray(specs)) throw new Error(`${where}: the weight specs must be an array, got ${typeof specs}`);
  const seen = new Set<string>();
  let total = 0;
  for (const s of specs as WeightSpec[]) {
    total += specBytes(s, where);
    if (seen.has(s.name)) throw new Error(`${where}: weight '${s.name}' appears twice in the manifest`);
    seen.add(s.name);
  }
  return total;
}

/** Refuses weight data whose length is not exactly what the specs describe. */
export function checkWeightData(specs: WeightSpec[], byteLength: number, where: string): void {
  const expected = manifestBytes(specs, where);
  if (byteLength !== expected) {
    throw new Error(`${where}: the weights data has ${byteLength} bytes but the manifest describes ${expected} ` +
      '(a truncated or mismatched weights file)');
  }
}

/** Where each spec's values sit in the weight data (byte offsets), in manifest order. */
export function specOffsets(specs: WeightSpec[]): { spec: WeightSpec; offset: number; size: number }[] {
  let offset = 0;
  return specs.map((spec) => {
    const size = sizeOf(spec.shape);
    const at = offset;
    offset += size * DTYPE_BYTES[spec.dtype ?? 'float32'];
    return { spec, offset: at, size };
  });
}

/** One ArrayBuffer from tfjs' weightData forms: an ArrayBuffer, a view, or a list of buffers. */
export function toArrayBuffer(data: unknown, where: string): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  if (Array.isArray(data) && data.every((p) => p instanceof ArrayBuffer)) return concatBuffers(data);
  throw new Error(`${where}: weightData must be an ArrayBuffer (or a typed array, or an array of ArrayBuffers), got ${data === null ? 'null' : typeof data}`);
}

export function concatBuffers(parts: ArrayBuffer[]): ArrayBuffer {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) { out.set(new Uint8Array(p), at); at += p.byteLength; }
  return out.buffer;
}
