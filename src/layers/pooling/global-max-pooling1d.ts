// GlobalMaxPooling1D: the maximum over all of each sample's steps, giving (batch, channels).
import { BaseGlobalPooling, GlobalPoolingArgs } from './base-pooling';

export class GlobalMaxPooling1D extends BaseGlobalPooling {
  readonly className = 'GlobalMaxPooling1D';
  constructor(args?: GlobalPoolingArgs) { super(1, 'max', args); }
}
