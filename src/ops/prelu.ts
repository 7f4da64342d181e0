import { record } from '../autograd';
import { Tensor, shapeStr } from '../tensor';
import { k } from '../wasm';

/** y = x ≥ 0 ? x : alpha·x, alpha broadcast along the last axis (one slope per channel). */
export function prelu(x: Tensor, alpha: Tensor): Tensor {
  const ch = x.shape[x.rank - 1];
  if (alpha.size !== ch) {
    throw new Error(`prelu: alpha ${shapeStr(alpha.shape)} must have one value per channel of x ${shapeStr(x.shape)}`);
  }
  const rows = x.size / ch;
  const y = Tensor.empty(x.shape);
  k().prelu_forward(y.ptr, x.ptr, alpha.ptr, rows, ch);
  return record([x, alpha], y, (dy, [dx, dalpha]) => {
    k().prelu_backward(dx ? dx.ptr : 0, dalpha ? dalpha.ptr : 0, dy.ptr, x.ptr, alpha.ptr, rows, ch);
  });
}
