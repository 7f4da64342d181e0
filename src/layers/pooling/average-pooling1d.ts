// AveragePooling1D: the average over windows of poolSize, strides apart.
import { BasePooling, PoolingArgs } from './base-pooling';

export class AveragePooling1D extends BasePooling {
  readonly className = 'AveragePooling1D';
  constructor(args?: PoolingArgs) { super(1, 'avg', args); }
}
