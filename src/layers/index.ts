// nn.layers.*: factory functions, named as in tfjs-layers.
import { Dense, DenseArgs, ActivationLayer, Dropout, Flatten, Reshape, StraightThroughArgs, layerArgs } from './core';
import { LeakyReLU, ELU, Softmax, PReLU, Swish, ACTIVATION_OPTION_KEYS as A } from './activations';
import { LayerArgs } from './layer';
import type { InitializerSpec } from '../initializers';
import type { ActivationIdentifier } from '../ops/activation';

export const dense = (args: DenseArgs) => new Dense(layerArgs('dense', args));
export const activation = (args: LayerArgs & StraightThroughArgs & { activation: ActivationIdentifier }) => new ActivationLayer(layerArgs('activation', args));
export const dropout = (args: LayerArgs & { rate: number; seed?: number }) => new Dropout(layerArgs('dropout', args));
export const flatten = (args?: LayerArgs & { dataFormat?: 'channelsLast' }) => new Flatten(layerArgs('flatten', args));
export const reshape = (args: LayerArgs & { targetShape: number[] }) => new Reshape(layerArgs('reshape', args));
export const leakyReLU = (args?: LayerArgs & { alpha?: number }) => new LeakyReLU(layerArgs('leakyReLU', args, A.leakyReLU));
export const elu = (args?: LayerArgs & { alpha?: number }) => new ELU(layerArgs('elu', args, A.elu));
export const softmax = (args?: LayerArgs & { axis?: number }) => new Softmax(layerArgs('softmax', args, A.softmax));
export const prelu = (args?: LayerArgs & { alphaInitializer?: InitializerSpec }) => new PReLU(layerArgs('prelu', args, A.prelu));
/** x·sigmoid(beta·x); `trainable: true` learns beta (a scalar weight 'beta'). */
export const swish = (args?: LayerArgs & { beta?: number }) => new Swish(layerArgs('swish', args, A.swish));

export { Layer, LayerVariable, SymbolicTensor, InputLayer } from './layer';
export type { LayerArgs, SymbolicShape } from './layer';
export type { DenseArgs, StraightThroughArgs } from './core';
export { Dense, ActivationLayer, Dropout, Flatten, Reshape, LeakyReLU, ELU, Softmax, PReLU, Swish };

// Convolution and pooling (layers/conv/, layers/pooling/).
import { Conv1D } from './conv/conv1d';
import { Conv2D } from './conv/conv2d';
import { MaxPooling1D } from './pooling/max-pooling1d';
import { MaxPooling2D } from './pooling/max-pooling2d';
import { AveragePooling1D } from './pooling/average-pooling1d';
import { AveragePooling2D } from './pooling/average-pooling2d';
import { GlobalAveragePooling1D } from './pooling/global-average-pooling1d';
import { GlobalAveragePooling2D } from './pooling/global-average-pooling2d';
import { GlobalMaxPooling1D } from './pooling/global-max-pooling1d';
import { GlobalMaxPooling2D } from './pooling/global-max-pooling2d';
import type { ConvLayerArgs } from './conv/base-conv';
import type { PoolingArgs, GlobalPoolingArgs } from './pooling/base-pooling';
export const conv1d = (args: ConvLayerArgs) => new Conv1D(args);
export const conv2d = (args: ConvLayerArgs) => new Conv2D(args);
export const maxPooling1d = (args?: PoolingArgs) => new MaxPooling1D(args);
export const maxPooling2d = (args?: PoolingArgs) => new MaxPooling2D(args);
export const averagePooling1d = (args?: PoolingArgs) => new AveragePooling1D(args);
export const averagePooling2d = (args?: PoolingArgs) => new AveragePooling2D(args);
export const globalAveragePooling1d = (args?: GlobalPoolingArgs) => new GlobalAveragePooling1D(args);
export const globalAveragePooling2d = (args?: GlobalPoolingArgs) => new GlobalAveragePooling2D(args);
export const globalMaxPooling1d = (args?: GlobalPoolingArgs) => new GlobalMaxPooling1D(args);
export const globalMaxPooling2d = (args?: GlobalPoolingArgs) => new GlobalMaxPooling2D(args);
export type { ConvLayerArgs, PoolingArgs, GlobalPoolingArgs };
export { Conv1D, Conv2D, MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D,
  GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D };

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
import { Embedding, EmbeddingArgs } from './embedding';
export const embedding = (args: EmbeddingArgs) => new Embedding(args);
export type { EmbeddingArgs };
export { Embedding };
import { Bidirectional, BidirectionalArgs } from './rnn/bidirectional';
export const bidirectional = (args: BidirectionalArgs) => new Bidirectional(args);
export type { BidirectionalArgs };
export { Bidirectional };
import { RepeatVector } from './repeat_vector';
import { TimeDistributed, TimeDistributedArgs } from './rnn/time_distributed';
export const repeatVector = (args: LayerArgs & { n: number }) => new RepeatVector(args);
export const timeDistributed = (args: TimeDistributedArgs) => new TimeDistributed(args);
export type { TimeDistributedArgs };
export { RepeatVector, TimeDistributed };
import { JordanRNN, JordanRNNArgs } from './rnn/jordan_rnn';
export const jordanRNN = (args: JordanRNNArgs) => new JordanRNN(args);
export type { JordanRNNArgs };
export { JordanRNN };
import { Masking, MaskingArgs } from './masking';
export const masking = (args: MaskingArgs = {}) => new Masking(args);
export type { MaskingArgs };
export { Masking };
