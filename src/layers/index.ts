// nn.layers.*: factory functions, named as in tfjs-layers.
import { Dense, DenseArgs, ActivationLayer, Dropout, Flatten, Reshape, StraightThroughArgs } from './core';
import { LeakyReLU, ELU, Softmax, PReLU, Swish } from './activations';
import { LayerArgs } from './layer';
import type { Initializer } from '../initializers';

export const dense = (args: DenseArgs) => new Dense(args);
export const activation = (args: LayerArgs & StraightThroughArgs & { activation: string }) => new ActivationLayer(args);
export const dropout = (args: LayerArgs & { rate: number; seed?: number }) => new Dropout(args);
export const flatten = (args?: LayerArgs) => new Flatten(args);
export const reshape = (args: LayerArgs & { targetShape: number[] }) => new Reshape(args);
export const leakyReLU = (args?: LayerArgs & { alpha?: number }) => new LeakyReLU(args);
export const elu = (args?: LayerArgs & { alpha?: number }) => new ELU(args);
export const softmax = (args?: LayerArgs & { axis?: number }) => new Softmax(args);
export const prelu = (args?: LayerArgs & { alphaInitializer?: string | Initializer }) => new PReLU(args);
/** x·sigmoid(beta·x); `trainable: true` learns beta (a scalar weight 'beta'). */
export const swish = (args?: LayerArgs & { beta?: number }) => new Swish(args);

export { Layer, LayerVariable, SymbolicTensor, InputLayer } from './layer';
export type { LayerArgs, SymbolicShape } from './layer';
export type { DenseArgs, StraightThroughArgs } from './core';
export { Dense, ActivationLayer, Dropout, Flatten, Reshape, LeakyReLU, ELU, Softmax, PReLU, Swish };

// Normalization, padding, spatial dropout and merge layers
import { BatchNormalization, BatchNormalizationArgs } from './normalization/batch-normalization';
import { LayerNormalization, LayerNormalizationArgs } from './normalization/layer-normalization';
import { ZeroPadding1D, ZeroPadding2D } from './padding';
import { SpatialDropout1D, SpatialDropout2D, SpatialDropoutArgs } from './spatial-dropout';
import { Add, Subtract, Multiply, Average, Maximum, Minimum } from './merging/merge';
import { Concatenate } from './merging/concatenate';
export const batchNormalization = (args?: BatchNormalizationArgs) => new BatchNormalization(args);
export const layerNormalization = (args?: LayerNormalizationArgs) => new LayerNormalization(args);
export const zeroPadding1d = (args?: ConstructorParameters<typeof ZeroPadding1D>[0]) => new ZeroPadding1D(args);
export const zeroPadding2d = (args?: ConstructorParameters<typeof ZeroPadding2D>[0]) => new ZeroPadding2D(args);
export const spatialDropout1d = (args: SpatialDropoutArgs) => new SpatialDropout1D(args);
export const spatialDropout2d = (args: SpatialDropoutArgs) => new SpatialDropout2D(args);
export const add = (args?: LayerArgs) => new Add(args);
export const subtract = (args?: LayerArgs) => new Subtract(args);
export const multiply = (args?: LayerArgs) => new Multiply(args);
export const average = (args?: LayerArgs) => new Average(args);
export const maximum = (args?: LayerArgs) => new Maximum(args);
export const minimum = (args?: LayerArgs) => new Minimum(args);
export const concatenate = (args?: LayerArgs & { axis?: number }) => new Concatenate(args);
export { BatchNormalization, LayerNormalization, ZeroPadding1D, ZeroPadding2D, SpatialDropout1D, SpatialDropout2D,
  Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate };
export type { BatchNormalizationArgs, LayerNormalizationArgs, SpatialDropoutArgs };
