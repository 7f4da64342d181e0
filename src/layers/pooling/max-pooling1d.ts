// MaxPooling1D: the maximum over windows of poolSize, strides apart.
import { BasePooling, PoolingArgs } from './base-pooling';

export class MaxPooling1D extends BasePooling {
  readonly className = 'MaxPooling1D';
  constructor(args?: PoolingArgs) { super(1, 'max', args); }
}
