// nn.layers.*: factory functions, named as in tfjs-layers.
import { Dense, DenseArgs, ActivationLayer, Dropout, Flatten, Reshape, StraightThroughArgs, layerArgs } from './core';
import { LeakyReLU, ELU, Softmax, PReLU, Swish, ACTIVATION_OPTION_KEYS as A } from './activations';
import { LayerArgs } from './layer';
import type { Initializer } from '../initializers';

export const dense = (args: DenseArgs) => new Dense(layerArgs('dense', args));
export const activation = (args: LayerArgs & StraightThroughArgs & { activation: string }) => new ActivationLayer(layerArgs('activation', args));
export const dropout = (args: LayerArgs & { rate: number; seed?: number }) => new Dropout(layerArgs('dropout', args));
export const flatten = (args?: LayerArgs & { dataFormat?: 'channelsLast' }) => new Flatten(layerArgs('flatten', args));
export const reshape = (args: LayerArgs & { targetShape: number[] }) => new Reshape(layerArgs('reshape', args));
export const leakyReLU = (args?: LayerArgs & { alpha?: number }) => new LeakyReLU(layerArgs('leakyReLU', args, A.leakyReLU));
export const elu = (args?: LayerArgs & { alpha?: number }) => new ELU(layerArgs('elu', args, A.elu));
export const softmax = (args?: LayerArgs & { axis?: number }) => new Softmax(layerArgs('softmax', args, A.softmax));
export const prelu = (args?: LayerArgs & { alphaInitializer?: string | Initializer }) => new PReLU(layerArgs('prelu', args, A.prelu));
/** x·sigmoid(beta·x); `trainable: true` learns beta (a scalar weight 'beta'). */
export const swish = (args?: LayerArgs & { beta?: number }) => new Swish(layerArgs('swish', args, A.swish));

export { Layer, LayerVariable, SymbolicTensor, InputLayer } from './layer';
export type { LayerArgs, SymbolicShape } from './layer';
export type { DenseArgs, StraightThroughArgs } from './core';
export { Dense, ActivationLayer, Dropout, Flatten, Reshape, LeakyReLU, ELU, Softmax, PReLU, Swish };
