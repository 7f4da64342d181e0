// Training data for models: what fit/evaluate/predict accept (tensors, nested arrays, typed arrays
// with a shape, datasets of {xs, ys} batches), turned into tensors, checked, and cut into batches.
import { Tensor, NestedArray, tensor, shapeStr } from '../tensor';
import { describe } from '../options';
import { k, malloc, heapI32 } from '../wasm';
import { shuffledIndices } from '../random';

/** Training data: a tensor, nested arrays, or a flat typed array with its shape. */
export type DataLike = Tensor | NestedArray | { data: ArrayLike<number>; shape: number[] };

/** Data for a model with several inputs (or outputs): one DataLike each, in order or by layer name. */
export type DataList = DataLike | DataLike[] | Record<string, DataLike>;

/** One element of a dataset: a batch of inputs and targets. */
export interface BatchLike { xs: DataList; ys: DataList }

export type AnyIterable<T> = Iterable<T> | AsyncIterable<T>;
export type AnyIterator<T> = Iterator<T> | AsyncIterator<T>;

/** A stream of batches for fitDataset: an (async) iterable, or a function giving a fresh one per epoch. */
export type Dataset = AnyIterable<BatchLike> | (() => AnyIterable<BatchLike>);

/**
 * A batch of tensors, one per model input and one per output, with per-sample loss weights when
 * given; `release` frees whatever was allocated to make it.
 */
export interface Batch { xs: Tensor[]; ys: Tensor[]; sw?: Tensor; release?: () => void }

export function isBatchLike(v: unknown): v is BatchLike {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'xs' in v;
}

function isAnyIterable(d: unknown): d is AnyIterable<BatchLike> {
  const obj = d as Record<symbol, unknown> | null;
  return typeof obj === 'object' && obj !== null &&
    (typeof obj[Symbol.asyncIterator] === 'function' || typeof obj[Symbol.iterator] === 'function');
}

/** Tells a dataset from training data (nested arrays, typed arrays with a shape, tensors). */
export function isDataset(x: unknown): x is Dataset {
  if (typeof x === 'function') return true;
  if (Array.isArray(x)) return x.length > 0 && x.every(isBatchLike);
  return isAnyIterable(x) && !ArrayBuffer.isView(x) && !(x instanceof Tensor);
}

/** A function that opens an iterator over the dataset each time it is called. */
export function datasetOpener(dataset: Dataset, where: string): () => AnyIterator<BatchLike> {
  const iteratorOf = (d: unknown): AnyIterator<BatchLike> => {
    if (!isAnyIterable(d)) {
      throw new Error(`${where}: expected an iterable or async iterable of {xs, ys} batches, or a function returning one; got ${d === null ? 'null' : typeof d}`);
    }
    const obj = d as unknown as Record<symbol, () => AnyIterator<BatchLike>>;
    return typeof obj[Symbol.asyncIterator] === 'function' ? obj[Symbol.asyncIterator]() : obj[Symbol.iterator]();
  };
  if (typeof dataset === 'function') return () => iteratorOf(dataset());
  // Checked now, so that a wrong argument fails before training starts rather than at epoch 1.
  if (!isAnyIterable(dataset)) iteratorOf(dataset);
  return () => iteratorOf(dataset);
}

/** One DataLike as a tensor; a tensor made here goes into `made` for the caller to free. */
export function toData(x: DataLike, where: string, made: Tensor[]): Tensor {
  if (x instanceof Tensor) { x.ptr; return x; }
  let t: Tensor;
  try {
    if (x && typeof x === 'object' && !Array.isArray(x) && 'shape' in x) t = tensor(x.data, x.shape);
    else t = tensor(x as NestedArray);
  } catch (e) { throw new Error(`${where}: ${(e as Error).message}`); }
  made.push(t);
  return t;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Tensor) && !ArrayBuffer.isView(x) && !('shape' in x);

/**
 * Data for `names.length` model inputs (or outputs) as tensors, in the model's order: one DataLike
 * when there is one, else an array of them or a dict by layer name. `what` is 'input' or 'output'.
 */
export function toDataList(x: DataList, names: string[], what: string, where: string, made: Tensor[]): Tensor[] {
  const n = names.length;
  if (isPlainObject(x)) {
    const unknown = Object.keys(x).filter((key) => !names.includes(key));
    const missing = names.filter((name) => !(name in x));
    if (unknown.length || missing.length) {
      throw new Error(`${where}: the model's ${what}s are ${names.map((s) => `'${s}'`).join(', ')}; ` +
        (missing.length ? `missing ${missing.map((s) => `'${s}'`).join(', ')}` : `got unknown '${unknown[0]}'`));
    }
    return names.map((name) => toData((x as Record<string, DataLike>)[name], `${where} '${name}'`, made));
  }
  const isList = Array.isArray(x) && x.length > 0 && (n > 1 || x.every((v) => v instanceof Tensor));
  if (!isList) {
    if (n > 1) throw new Error(`${where}: the model has ${n} ${what}s (${names.join(', ')}); give an array of ${n} tensors or a dict by ${what} name`);
    return [toData(x as DataLike, where, made)];
  }
  const list = x as DataLike[];
  if (list.length !== n) {
    throw new Error(`${where}: the model has ${n} ${what}${n > 1 ? 's' : ''} (${names.join(', ')}), got an array of ${list.length}`);
  }
  return list.map((v, i) => toData(v, n > 1 ? `${where}[${i}]` : where, made));
}

/** Rows [start, start+count) of x as a view: no copy. */
export function rowsView(x: Tensor, start: number, count: number): Tensor {
  const row = x.size / x.shape[0];
  return new Tensor(x.ptr + start * row * 4, [count, ...x.shape.slice(1)], false);
}

export function checkFinite(t: Tensor, where: string): void {
  const bad = k().count_nonfinite_f32(t.ptr, t.size);
  if (bad > 0) throw new Error(`${where} contains ${bad} NaN or infinite value${bad > 1 ? 's' : ''} (shape ${shapeStr(t.shape)})`);
}

/** Every tensor has a batch axis and they all hold the same (non-zero) number of samples. */
export function checkSamples(xs: Tensor[], ys: Tensor[], where: string, emptyOk = false): number {
  const all = [...xs, ...ys];
  const n = all[0].rank === 0 ? -1 : all[0].shape[0];
  if (all.some((t) => t.rank === 0 || t.shape[0] !== n)) {
    const list = (ts: Tensor[]) => ts.map((t) => shapeStr(t.shape)).join(' ');
    throw new Error(`${where}: ${ys.length ? 'x and y' : 'the inputs'} must have the same number of samples, got x ${list(xs)}${ys.length ? ` and y ${list(ys)}` : ''}`);
  }
  if (n === 0 && !emptyOk) throw new Error(`${where}: x ${shapeStr(xs[0].shape)} has no samples`);
  return n;
}

/** The same rows of every tensor, as views. */
export const rowsOf = (ts: Tensor[], start: number, count: number): Tensor[] => ts.map((t) => rowsView(t, start, count));

/** Rows [start, start+count) of a batch's tensors, as views. */
export const batchRows = (b: Batch, start: number, count: number): Batch =>
  ({ xs: rowsOf(b.xs, start, count), ys: rowsOf(b.ys, start, count), sw: b.sw && rowsView(b.sw, start, count) });

/**
 * Keras' class_weight: each sample weighs classWeight[its class], the class being the argmax of a
 * one-hot label row, or the label itself for sparse/binary labels (one column). Classes missing
 * from classWeight weigh 1.
 */
export function classSampleWeights(y: Tensor, classWeight: Record<string | number, number>, where: string, made: Tensor[]): Tensor {
  if (typeof classWeight !== 'object' || classWeight === null || Array.isArray(classWeight)) {
    throw new Error(`${where}: classWeight must be an object {classIndex: weight}, got ${Array.isArray(classWeight) ? 'an array' : typeof classWeight}`);
  }
  const cols = y.rank >= 2 ? y.shape[y.rank - 1] : 1;
  if (y.rank === 0 || y.rank > 2) throw new Error(`${where}: classWeight needs labels of shape [batch] or [batch, classes], got y ${shapeStr(y.shape)}`);
  const entries = Object.entries(classWeight).map(([key, w]) => {
    const c = Number(key);
    if (!Number.isInteger(c) || c < 0 || String(c) !== key) throw new Error(`${where}: classWeight key '${key}' is not a class index`);
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new Error(`${where}: classWeight[${key}] must be a finite number >= 0, got ${describe(w)}`);
    return [c, w] as const;
  });
  const nTable = cols > 1 ? cols : Math.max(2, ...entries.map(([c]) => c + 1));
  const outside = entries.find(([c]) => c >= nTable);
  if (outside) throw new Error(`${where}: classWeight has class ${outside[0]}, but y ${shapeStr(y.shape)} has ${cols} classes`);
  const table = new Float32Array(nTable).fill(1);
  for (const [c, w] of entries) table[c] = w;
  const tableT = tensor(table);
  const w = Tensor.empty([y.shape[0]]);
  made.push(w);
  const badRow = k().class_sample_weights(w.ptr, y.ptr, tableT.ptr, y.shape[0], cols, nTable);
  tableT.dispose();
  if (badRow >= 0) {
    throw new Error(`${where}: label ${y.dataSync()[badRow]} in row ${badRow} is not a class index in [0, ${nTable}) for classWeight`);
  }
  return w;
}

/**
 * An epoch's batches over the first `n` rows of xs and ys: views in order, or gathered copies in a
 * fresh shuffled order. Call `dispose` when done with the generator factory.
 */
export function arrayBatches(data: Batch, n: number, batchSize: number, shuffle: boolean):
    { batches: () => Generator<Batch>; steps: number; dispose: () => void } {
  const { xs, ys, sw } = data;
  const steps = Math.ceil(n / batchSize);
  const idxPtr = shuffle ? malloc(n * 4) : 0;
  const gather = (ts: Tensor[], start: number, count: number) => ts.map((t) => {
    const out = Tensor.empty([count, ...t.shape.slice(1)]);
    k().gather_rows_f32(out.ptr, t.ptr, idxPtr + start * 4, count, t.size / t.shape[0]);
    return out;
  });
  function* batches(): Generator<Batch> {
    if (shuffle) heapI32().set(shuffledIndices(n), idxPtr >>> 2);
    for (let b = 0; b < steps; b++) {
      const start = b * batchSize, count = Math.min(batchSize, n - start);
      if (!shuffle) { yield batchRows(data, start, count); continue; }
      const xb = gather(xs, start, count), yb = gather(ys, start, count), wb = sw ? gather([sw], start, count) : [];
      yield { xs: xb, ys: yb, sw: wb[0], release: () => { for (const t of [...xb, ...yb, ...wb]) t.dispose(); } };
    }
  }
  return { batches, steps, dispose: () => { if (idxPtr) k().free(idxPtr); } };
}
