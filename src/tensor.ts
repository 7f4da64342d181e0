// Tensor handles: a pointer into wasm memory and a shape. The data never leaves the module
// unless asked for (dataSync / data / arraySync).
import { heapF32, k, malloc, setLiveTensorCounter, onInstantiate } from './wasm';
import { formatTensor } from './format';
import type { TensorMethods } from './chain';

export type Shape = readonly number[];
export type NestedArray = number | NestedArray[];
export type TensorLike = Tensor | Float32Array | ArrayLike<number> | NestedArray;

const live = { count: 0, bytes: 0 };
/** Bumped on every instantiation: memory of an earlier module instance must never be freed in a new one. */
let generation = 0;
setLiveTensorCounter(() => live.count);
onInstantiate(() => { live.count = 0; live.bytes = 0; scopes.length = 0; generation++; });

/**
 * One allocation in wasm memory, shared by the tensor that made it and the views of it (reshape,
 * flatten). Every holder keeps a reference; the memory is freed when the last one is disposed (or
 * collected), so disposing a base while a view lives, or a view before its base, is safe.
 * nn.memory() counts every holder in numTensors (a view is a tensor, as in tfjs) and every
 * allocation once in numBytes.
 */
export interface Storage { readonly ptr: number; readonly bytes: number; refs: number; readonly gen: number }

function release(s: Storage): void {
  if (s.gen !== generation) return; // memory of an earlier module instance is gone already
  live.count--;
  if (--s.refs > 0) return;
  k().free(s.ptr);
  live.bytes -= s.bytes;
}

// Tensors dropped without dispose() release their storage when collected; tidy/dispose remain the promise.
const registry = typeof FinalizationRegistry !== 'undefined'
  ? new FinalizationRegistry<Storage>(release)
  : null;

/** tidy() scopes: every tensor made inside one is disposed when it ends, but what it returns. */
const scopes: Set<Tensor>[] = [];

let nextId = 0;

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeStr(shape: Shape): string { return `[${shape.join(',')}]`; }

export function checkShape(shape: Shape, where: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${where}: invalid shape ${shapeStr(shape)}`);
  }
}

/** The op methods (`x.add(y)`, `x.sum()` …), installed on the prototype by chain.ts. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Tensor extends TensorMethods {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Tensor {
  readonly id = nextId++;
  readonly shape: number[];
  readonly size: number;
  /** Set on trainable parameters and on whatever a recording tape derives from them. @internal */
  requiresGrad = false;
  private _ptr: number;
  /** The allocation this tensor holds a reference to; null for memory it borrows (arena slots, batches). */
  private _storage: Storage | null;
  private _disposed = false;

  /**
   * @internal Use nn.tensor / nn.zeros; this wraps memory already in the module. `owns`: true takes
   * ownership of `ptr` (freed on dispose), false borrows it (someone else frees it, after this
   * tensor's last use), a Storage shares another tensor's allocation (see Tensor.view).
   */
  constructor(ptr: number, shape: Shape, owns: boolean | Storage = true) {
    this._ptr = ptr;
    this.shape = shape.slice();
    this.size = sizeOf(shape);
    this._storage = owns === true ? { ptr, bytes: this.size * 4, refs: 0, gen: generation } : owns || null;
    if (this._storage) {
      if (this._storage.refs++ === 0) live.bytes += this._storage.bytes;
      live.count++;
      registry?.register(this, this._storage, this);
    }
    if (scopes.length) scopes[scopes.length - 1].add(this);
  }

  /**
   * A tensor of another shape over the same elements as `base`, with no copy. It keeps the
   * memory alive until both are disposed; a view of a borrowed tensor borrows too. @internal
   */
  static view(base: Tensor, shape: Shape): Tensor {
    if (sizeOf(shape) !== base.size) throw new Error(`internal: a view ${shapeStr(shape)} of ${shapeStr(base.shape)} must keep the size`);
    return new Tensor(base.ptr, shape, base._storage ?? false);
  }

  /** Allocates an uninitialized tensor. @internal */
  static empty(shape: Shape): Tensor {
    return new Tensor(malloc(sizeOf(shape) * 4, () => `a tensor of shape ${shapeStr(shape)}`), shape);
  }

  /** Allocates a zero-filled tensor. @internal */
  static zeros(shape: Shape): Tensor {
    const t = Tensor.empty(shape);
    k().fill_f32(t._ptr, t.size, 0);
    return t;
  }

  get rank(): number { return this.shape.length; }
  get dtype(): 'float32' { return 'float32'; }
  get isDisposed(): boolean { return this._disposed; }

  /** Byte address of the first element. Throws on a disposed tensor. @internal */
  get ptr(): number {
    if (this._disposed) throw new Error(`Tensor ${shapeStr(this.shape)} (id ${this.id}) is disposed and can no longer be used`);
    return this._ptr;
  }

  dataSync(): Float32Array {
    const at = this.ptr >>> 2;
    return heapF32().slice(at, at + this.size);
  }

  async data(): Promise<Float32Array> { return this.dataSync(); }

  arraySync(): NestedArray {
    const flat = this.dataSync();
    if (this.rank === 0) return flat[0];
    const build = (dim: number, offset: number): NestedArray[] => {
      const n = this.shape[dim];
      const stride = sizeOf(this.shape.slice(dim + 1));
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = dim === this.rank - 1 ? flat[offset + i] : build(dim + 1, offset + i * stride);
      }
      return out;
    };
    return build(0, 0);
  }

  async array(): Promise<NestedArray> { return this.arraySync(); }

  /** Frees the memory now, or when the last view of it is disposed. Safe to call twice. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    if (this._storage) {
      registry?.unregister(this);
      release(this._storage);
    }
    for (const s of scopes) s.delete(this);
  }

  /** Keeps this tensor alive past the tidy() it was made in. */
  keep(): this {
    for (const s of scopes) s.delete(this);
    return this;
  }

  /** tfjs' format: long axes show their first and last 3 values around '...'; `verbose` adds dtype, rank and shape. */
  toString(verbose = false): string {
    const heap = heapF32();
    const at = this.ptr >>> 2;
    return formatTensor(this.shape, (i) => heap[at + i], verbose);
  }

  print(verbose = false): void { console.log(this.toString(verbose)); }

  /** console.log(t) in Node shows the values, not the handle's fields. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this._disposed ? `Tensor ${shapeStr(this.shape)} (disposed)` : this.toString(true);
  }
}

export type TidyResult = Tensor | Tensor[] | { [key: string]: Tensor } | number | void | undefined;

function collect(result: unknown, into: Set<Tensor>): void {
  if (result instanceof Tensor) into.add(result);
  else if (Array.isArray(result)) for (const r of result) collect(r, into);
  else if (result && typeof result === 'object' && !(ArrayBuffer.isView(result))) {
    for (const v of Object.values(result)) collect(v, into);
  }
}

/**
 * Runs fn; disposes every tensor it made except those it returns (tensors, arrays or objects of
 * them). tfjs' tidy(name, fn) form is accepted too (the name is only a label).
 */
export function tidy<T>(fn: () => T): T;
export function tidy<T>(name: string, fn: () => T): T;
export function tidy<T>(nameOrFn: string | (() => T), maybeFn?: () => T): T {
  const fn = typeof nameOrFn === 'string' ? maybeFn : nameOrFn;
  if (typeof fn !== 'function') throw new Error(`tidy: expected a function (or a name and a function), got ${typeof fn}`);
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    // A failed computation returns nothing: free everything it made, so a refused call leaks nothing.
    for (const t of scope) t.dispose();
    throw e;
  } finally {
    scopes.pop();
  }
  if (result instanceof Promise) throw new Error('tidy: fn must be synchronous (it returned a Promise)');
  const kept = new Set<Tensor>();
  collect(result, kept);
  for (const t of scope) {
    if (kept.has(t)) {
      if (scopes.length) scopes[scopes.length - 1].add(t);
    } else t.dispose();
  }
  return result;
}

/** Disposes a tensor, or every tensor in an array or object of them (tfjs' tf.dispose). */
export function dispose(container: TidyResult | Tensor[][] | null): void {
  const found = new Set<Tensor>();
  collect(container, found);
  for (const t of found) t.dispose();
}

/** Same as tensor.keep(): excludes a tensor from the enclosing tidy(). */
export function keep<T extends Tensor>(t: T): T { return t.keep(); }

export function memory(): { numTensors: number; numBytes: number; wasmBytes: number } {
  return { numTensors: live.count, numBytes: live.bytes, wasmBytes: k().memory.buffer.byteLength };
}

function inferShape(values: NestedArray | ArrayLike<number>): number[] {
  const shape: number[] = [];
  let v: any = values;
  while (Array.isArray(v)) { shape.push(v.length); v = v[0]; }
  if (shape.length === 0 && typeof v === 'object' && v !== null && 'length' in v) shape.push(v.length);
  return shape;
}

function flatten(values: any, out: number[], where: string, shape: number[], depth: number): void {
  if (Array.isArray(values)) {
    if (values.length !== shape[depth]) {
      throw new Error(`${where}: ragged nested array (expected length ${shape[depth]} at depth ${depth}, got ${values.length})`);
    }
    for (const v of values) flatten(v, out, where, shape, depth + 1);
  } else if (typeof values === 'number') {
    out.push(values);
  } else if (ArrayBuffer.isView(values)) {
    out.push(...Array.from(values as unknown as ArrayLike<number>));
  } else {
    throw new Error(`${where}: values must be numbers, got ${typeof values}`);
  }
}

/** Creates a tensor from a typed array, a flat array with a shape, nested arrays, or a number. */
export function tensor(values: TensorLike, shape?: Shape): Tensor {
  if (values instanceof Tensor) return copyOf(values, shape);
  let flat: ArrayLike<number>;
  let inferred: number[];
  if (typeof values === 'number') { flat = [values]; inferred = []; }
  else if (ArrayBuffer.isView(values)) { flat = values as ArrayLike<number>; inferred = [flat.length]; }
  else if (Array.isArray(values) || isArrayLikeObject(values)) {
    const array = Array.isArray(values) ? values : Array.from(values as ArrayLike<number>);
    inferred = inferShape(array as NestedArray);
    const out: number[] = [];
    flatten(array, out, 'tensor', inferred, 0);
    flat = out;
  } else {
    throw new Error(`tensor: expected a number, an array, a typed array or a Tensor, got ${values === null ? 'null' : typeof values}`);
  }
  const s = shape ? shape.slice() : inferred;
  checkShape(s, 'tensor');
  if (sizeOf(s) !== flat.length) {
    throw new Error(`tensor: ${flat.length} values do not fill shape ${shapeStr(s)} (${sizeOf(s)} elements)`);
  }
  const t = Tensor.empty(s);
  heapF32().set(flat, t.ptr >>> 2);
  return t;
}

const isArrayLikeObject = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && typeof (v as ArrayLike<unknown>).length === 'number';

function copyOf(x: Tensor, shape?: Shape): Tensor {
  const s = shape ?? x.shape;
  if (sizeOf(s) !== x.size) throw new Error(`tensor: cannot view ${shapeStr(x.shape)} as ${shapeStr(s)}`);
  const t = Tensor.empty(s);
  k().copy_f32(t.ptr, x.ptr, x.size);
  return t;
}

export function zeros(shape: Shape): Tensor { checkShape(shape, 'zeros'); return Tensor.zeros(shape); }

export function fill(shape: Shape, value: number): Tensor {
  checkShape(shape, 'fill');
  const t = Tensor.empty(shape);
  k().fill_f32(t.ptr, t.size, value);
  return t;
}

export function ones(shape: Shape): Tensor { return fill(shape, 1); }

export function scalar(v: number): Tensor { return fill([], v); }

/** Converts anything tensor-like to a Tensor; `made` says whether the caller owns (must dispose) it. */
export function toTensor(x: TensorLike, where: string): { t: Tensor; made: boolean } {
  if (x instanceof Tensor) { x.ptr; return { t: x, made: false }; }
  try { return { t: tensor(x), made: true }; } catch (e) { throw new Error(`${where}: ${(e as Error).message}`); }
}
