// GlobalAveragePooling1D: the average over all of each sample's steps, giving (batch, channels).
import { BaseGlobalPooling, GlobalPoolingArgs } from './base-pooling';

export class GlobalAveragePooling1D extends BaseGlobalPooling {
  readonly className = 'GlobalAveragePooling1D';
  constructor(args?: GlobalPoolingArgs) { super(1, 'avg', args); }
}
