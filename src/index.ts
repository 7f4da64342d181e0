// simdnn: the public surface. The contract is API.md (tfjs-layers / Keras conventions).
import { k, isRelaxed, ready as readyEngine, relaxedSimdSupported, gemmWorkspace } from './wasm';
import { Sequential } from './models/sequential';
import { Model } from './models/model';
import type { Layer, SymbolicTensor } from './layers/layer';

// Engine and tensors
export { ready } from './wasm';
export type { ReadyOptions } from './wasm';
export { Tensor, tensor, zeros, ones, fill, scalar, tidy, keep, memory } from './tensor';
export type { Shape, TensorLike, NestedArray } from './tensor';
export { setSeed, randomUniform, randomNormal, truncatedNormal, oneHot, dropout, shuffledIndices } from './random';

// Differentiable ops and gradients
export { grad, grads, valueAndGrads } from './autograd';
export { add, sub, mul, div } from './ops/elementwise';
export { matMul } from './ops/matmul';
export { sum, mean, max, argMax } from './ops/reduce';
export { reshape, transpose, concat, slice, gatherRows } from './ops/shape';
export { prelu } from './ops/prelu';
export { conv1d, conv2d } from './ops/conv';
export { maxPool, avgPool } from './ops/pool';
export { activation, relu, relu6, sigmoid, hardSigmoid, tanh, elu, selu, leakyRelu, softplus, softsign, swish, gelu,
  step, sign, softmax, logSoftmax, exp, log, sqrt, square, neg, abs, ACTIVATIONS } from './ops/activation';
export type { Activation, ActivationName } from './ops/activation';

// Models and training
export { Model, History } from './models/model';
export type { CompileArgs, FitArgs, DataLike, Dataset, BatchLike, FitDatasetArgs } from './models/model';
export type { YieldEvery } from './models/args';
export { Sequential } from './models/sequential';
export { input } from './layers/layer';
export * as layers from './layers/index';
export * as initializers from './initializers';
export * as regularizers from './regularizers';
export * as losses from './losses';
export type { LossFn, LossOptions } from './losses';
export * as metrics from './metrics';
export type { Metric } from './metrics';
export * as optimizers from './optimizers/index';
export * as schedules from './schedules';
export * as callbacks from './callbacks';
export type { Logs, CallbackHooks } from './callbacks';

// Saving and loading (tfjs layers format)
export { loadLayersModel } from './io/index';
export * as io from './io/index';

/** A linear stack of layers. */
export function sequential(args: { layers?: Layer[]; name?: string } = {}): Sequential { return new Sequential(args); }

/** A graph of layers from symbolic inputs to outputs (the functional API). */
export function model(args: { inputs: SymbolicTensor | SymbolicTensor[]; outputs: SymbolicTensor | SymbolicTensor[]; name?: string }): Model {
  return new Model(args);
}

export function backendInfo(): { simd: boolean; relaxedSimd: boolean; threads: number; memoryBytes: number } {
  return { simd: true, relaxedSimd: isRelaxed(), threads: 1, memoryBytes: k().memory.buffer.byteLength };
}

/** Raw access to the kernels, for tests and benchmarks. Not part of the stable API. @internal */
export const internals = { kernels: k, relaxedSimdSupported, readyEngine, gemmWorkspace };

/** The package version (package.json's, written in at build time). */
export { version } from './version';
// tfjs spellings: creation, more ops, tensor chaining, tf.train-style optimizers
import './chain';
export type { TensorMethods } from './chain';
export { dispose } from './tensor';
export { tensor1d, tensor2d, tensor3d, tensor4d, range, linspace, cast } from './creation';
export type { DataType } from './creation';
export { maximum, minimum, pow, squaredDifference, equal, notEqual, greater, greaterEqual, less, lessEqual, mod, floorDiv,
  logicalAnd, logicalOr, logicalXor, logicalNot, isNaN, isInf, isFinite } from './ops/elementwise';
export { min, argMin } from './ops/reduce';
export { squeeze, expandDims, gather } from './ops/shape';
export { stack, unstack, split, tile, reverse, pad, broadcastTo } from './ops/combine';
export { logSumExp, moments, norm } from './ops/statistics';
export { where, clipByValue, topk } from './ops/select';
export { floor, ceil, round, reciprocal, rsqrt, log1p, expm1 } from './ops/activation';
export * as train from './train';
// The closed sets of names options take, as literal unions (a misspelled name fails type-checking)
export type { ActivationIdentifier } from './ops/activation';
export type { LossName } from './losses';
export type { MetricName } from './metrics';
export type { OptimizerName } from './optimizers/index';
export type { InitializerName, InitializerSpec } from './initializers';
export type { RegularizerName, RegularizerSpec } from './regularizers';
export type { PaddingMode } from './ops/conv';
