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
  BatchNormalization: (c) => new L.BatchNormalization(c),
  LayerNormalization: (c) => new L.LayerNormalization(c),
  ZeroPadding1D: (c) => new L.ZeroPadding1D(c),
  ZeroPadding2D: (c) => new L.ZeroPadding2D(c),
  SpatialDropout1D: (c) => new L.SpatialDropout1D(c as any),
  SpatialDropout2D: (c) => new L.SpatialDropout2D(c as any),
  Add: (c) => new L.Add(c),
  Subtract: (c) => new L.Subtract(c),
  Multiply: (c) => new L.Multiply(c),
  Average: (c) => new L.Average(c),
  Maximum: (c) => new L.Maximum(c),
  Minimum: (c) => new L.Minimum(c),
  Concatenate: (c) => new L.Concatenate(c),
};
