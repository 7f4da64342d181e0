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

// Recurrent layers (src/layers/rnn/)
import { SimpleRNN, SimpleRNNArgs } from './rnn/simple_rnn';
import { LSTM, LSTMArgs } from './rnn/lstm';
import { GRU, GRUArgs } from './rnn/gru';
export const simpleRNN = (args: SimpleRNNArgs) => new SimpleRNN(args);
export const lstm = (args: LSTMArgs) => new LSTM(args);
export const gru = (args: GRUArgs) => new GRU(args);
export { RNN } from './rnn/base';
export type { RNNArgs } from './rnn/base';
export type { SimpleRNNArgs, LSTMArgs, GRUArgs };
export { SimpleRNN, LSTM, GRU };
