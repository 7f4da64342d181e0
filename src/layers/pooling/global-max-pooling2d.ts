// GlobalMaxPooling2D: the maximum over all of each sample's pixels, giving (batch, channels).
import { BaseGlobalPooling, GlobalPoolingArgs } from './base-pooling';

export class GlobalMaxPooling2D extends BaseGlobalPooling {
  readonly className = 'GlobalMaxPooling2D';
  constructor(args?: GlobalPoolingArgs) { super(2, 'max', args); }
}
