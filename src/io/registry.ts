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
  SimpleRNN: (c) => new L.SimpleRNN(c as any),
  LSTM: (c) => new L.LSTM(c as any),
  GRU: (c) => new L.GRU(c as any),
};
