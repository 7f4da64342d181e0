// tfjs' creation spellings: tensor1d…tensor4d, range, linspace, and cast. Every tensor here is
// float32; cast keeps that dtype and only rounds or thresholds the values (see cast).
import { Tensor, tensor, Shape, shapeStr, TensorLike } from './tensor';
import { k } from './wasm';
import { elementwise, UNARY_KIND, ACTIVATION_KIND } from './ops/activation';
import { notEqual } from './ops/elementwise';

export type DataType = 'float32' | 'int32' | 'bool';

/** x as tfjs would hold it in `dtype` (see cast); disposes x when it made a new tensor. */
function asType(x: Tensor, dtype: DataType | undefined, op: string): Tensor {
  if (dtype === undefined || dtype === 'float32') return x;
  try {
    return cast(x, dtype);
  } catch (e) {
    throw new Error(`${op}: ${(e as Error).message}`);
  } finally {
    x.dispose();
  }
}

function ofRank(rank: number, name: string, values: TensorLike, shape?: Shape, dtype?: DataType): Tensor {
  if (shape !== undefined && shape.length !== rank) {
    throw new Error(`${name}: shape ${shapeStr(shape)} must have ${rank} dimension${rank === 1 ? '' : 's'}`);
  }
  const t = tensor(values, shape);
  if (t.rank !== rank) {
    t.dispose();
    throw new Error(`${name}: expected values of rank ${rank} (or flat values with a shape), got shape ${shapeStr(t.shape)}`);
  }
  return asType(t, dtype, name);
}

/** A rank-1 tensor from a flat array or typed array; dtype as in cast (the values stay float32). */
export const tensor1d = (values: TensorLike, dtype?: DataType): Tensor => ofRank(1, 'tensor1d', values, undefined, dtype);
/** A rank-2 tensor from nested arrays, or flat values and a shape. */
export const tensor2d = (values: TensorLike, shape?: [number, number], dtype?: DataType): Tensor =>
  ofRank(2, 'tensor2d', values, shape, dtype);
export const tensor3d = (values: TensorLike, shape?: [number, number, number], dtype?: DataType): Tensor =>
  ofRank(3, 'tensor3d', values, shape, dtype);
export const tensor4d = (values: TensorLike, shape?: [number, number, number, number], dtype?: DataType): Tensor =>
  ofRank(4, 'tensor4d', values, shape, dtype);

function arange(n: number, start: number, step: number): Tensor {
  const t = Tensor.empty([n]);
  k().arange_f32(t.ptr, n, start, step);
  return t;
}

function checkFinite(values: Record<string, number>, op: string): void {
  for (const [name, v] of Object.entries(values)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${op}: ${name} must be a finite number (got ${v})`);
  }
}

/**
 * range(start, stop, step = 1, dtype = 'float32'): start, start + step, … up to but excluding stop. With stop < start
 * and a step of 1 (or none) it counts down by 1, as tfjs does; a step pointing away from stop
 * gives an empty tensor. Values are start + i·step in f64, rounded once (tfjs sums the steps one by one, which drifts
 * by a few ulps on long ranges).
 */
export function range(start: number, stop: number, step = 1, dtype: 'float32' | 'int32' = 'float32'): Tensor {
  checkFinite({ start, stop, step }, 'range');
  if (step === 0) throw new Error('range: step must not be 0');
  if (dtype !== 'float32' && dtype !== 'int32') throw new Error(`range: dtype must be 'float32' or 'int32' (got '${dtype}')`);
  if (stop < start && step === 1) step = -1;
  if (start === stop || (stop - start) * step < 0) return Tensor.empty([0]);
  return asType(arange(Math.abs(Math.ceil((stop - start) / step)), start, step), dtype, 'range');
}

/** linspace(start, stop, num): num evenly spaced values from start to stop, both included. */
export function linspace(start: number, stop: number, num: number): Tensor {
  checkFinite({ start, stop }, 'linspace');
  if (!Number.isInteger(num) || num <= 0) throw new Error(`linspace: num must be a positive integer (got ${num})`);
  return arange(num, start, num > 1 ? (stop - start) / (num - 1) : 0);
}

/**
 * cast(x, dtype): tensors here are float32 only, so the result is float32 holding what tfjs'
 * cast would hold: 'int32' truncates toward zero, 'bool' gives 1 where x != 0 (NaN included) and
 * 0 elsewhere, 'float32' copies. No gradient flows through 'int32' or 'bool' (as in tfjs).
 */
export function cast(x: TensorLike, dtype: DataType): Tensor {
  switch (dtype) {
    case 'float32': return elementwise('cast', x, ACTIVATION_KIND.linear, 0);
    case 'int32': return elementwise('cast', x, UNARY_KIND.trunc, 0);
    case 'bool': return notEqual(x, 0);
    default: throw new Error(`cast: unsupported dtype '${dtype as string}' (known: float32, int32, bool)`);
  }
}
