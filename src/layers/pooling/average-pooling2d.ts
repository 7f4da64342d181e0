// AveragePooling2D: the average over windows of poolSize, strides apart.
import { BasePooling, PoolingArgs } from './base-pooling';

export class AveragePooling2D extends BasePooling {
  readonly className = 'AveragePooling2D';
  constructor(args?: PoolingArgs) { super(2, 'avg', args); }
}
