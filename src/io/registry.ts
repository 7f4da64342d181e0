// Layer classes by their tfjs/Keras class name, for loading saved models.
import { Layer } from '../layers/layer';
import * as L from '../layers/index';

export const layerClasses: Record<string, (config: Record<string, any>) => Layer> = {
  Dense: (c) => new L.Dense(c as any),
  Activation: (c) => new L.ActivationLayer(c as any),
  Dropout: (c) => new L.Dropout(c as any),
  Flatten: (c) => new L.Flatten(c),
  Reshape: (c) => new L.Reshape(c as any),
  LeakyReLU: (c) => new L.LeakyReLU(c),
  ELU: (c) => new L.ELU(c),
  Softmax: (c) => new L.Softmax(c),
  PReLU: (c) => new L.PReLU(c),
  Swish: (c) => new L.Swish(c),
  Conv1D: (c) => new L.Conv1D(c as any),
  Conv2D: (c) => new L.Conv2D(c as any),
  MaxPooling1D: (c) => new L.MaxPooling1D(c),
  MaxPooling2D: (c) => new L.MaxPooling2D(c),
  AveragePooling1D: (c) => new L.AveragePooling1D(c),
  AveragePooling2D: (c) => new L.AveragePooling2D(c),
  GlobalAveragePooling1D: (c) => new L.GlobalAveragePooling1D(c),
  GlobalAveragePooling2D: (c) => new L.GlobalAveragePooling2D(c),
  GlobalMaxPooling1D: (c) => new L.GlobalMaxPooling1D(c),
  GlobalMaxPooling2D: (c) => new L.GlobalMaxPooling2D(c),
  SimpleRNN: (c) => new L.SimpleRNN(c as any),
  LSTM: (c) => new L.LSTM(c as any),
  GRU: (c) => new L.GRU(c as any),
  Embedding: (c) => new L.Embedding(c as any),
  Bidirectional: (c) => new L.Bidirectional(c as any),
  RepeatVector: (c) => new L.RepeatVector(c as any),
  TimeDistributed: (c) => new L.TimeDistributed(c as any),
  JordanRNN: (c) => new L.JordanRNN(c as any),
};
