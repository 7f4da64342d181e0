// MaxPooling2D: the maximum over windows of poolSize, strides apart.
import { BasePooling, PoolingArgs } from './base-pooling';

export class MaxPooling2D extends BasePooling {
  readonly className = 'MaxPooling2D';
  constructor(args?: PoolingArgs) { super(2, 'max', args); }
}
