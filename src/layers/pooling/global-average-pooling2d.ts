// GlobalAveragePooling2D: the average over all of each sample's pixels, giving (batch, channels).
import { BaseGlobalPooling, GlobalPoolingArgs } from './base-pooling';

export class GlobalAveragePooling2D extends BaseGlobalPooling {
  readonly className = 'GlobalAveragePooling2D';
  constructor(args?: GlobalPoolingArgs) { super(2, 'avg', args); }
}
