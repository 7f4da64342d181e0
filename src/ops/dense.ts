// The fused dense op: y = act(x·W + b) as one tape entry, backward straight into dx, dW, db.
import { record } from '../autograd';
import { Tensor, shapeStr } from '../tensor';
import { k, gemmWorkspace } from '../wasm';
import { Activation, activationForwardRaw, activationBackwardRaw } from './activation';

/** x:(..., in) W:(in, units) b:(units) → (..., units). */
export function denseOp(x: Tensor, kernel: Tensor, bias: Tensor | null, act: Activation, where = 'dense'): Tensor {
  const [inDim, units] = kernel.shape;
  if (x.rank < 1 || x.shape[x.rank - 1] !== inDim) {
    throw new Error(`${where}: expected input with last dimension ${inDim}, got shape ${shapeStr(x.shape)}`);
  }
  const rows = x.size / inDim;
  const outShape = [...x.shape.slice(0, -1), units];
  const K = k();
  const z = Tensor.empty(outShape);
  K.gemm_f32(z.ptr, x.ptr, kernel.ptr, rows, units, inDim, 0, 0, 0, gemmWorkspace());
  if (bias) K.bias_add_f32(z.ptr, bias.ptr, rows, units);
  let y = z;
  if (act.name !== 'linear') {
    y = Tensor.empty(outShape);
    activationForwardRaw(act, y.ptr, z.ptr, rows, units);
  }
  const inputs = bias ? [x, kernel, bias] : [x, kernel];
  const out = record(inputs, y, (dy, [dx, dW, db]) => {
    let dz = dy;
    if (act.name !== 'linear') {
      dz = Tensor.zeros(outShape);
      activationBackwardRaw(act, dz.ptr, dy.ptr, z.ptr, y.ptr, rows, units);
    }
    if (db) K.bias_backward_f32(db.ptr, dz.ptr, rows, units);
    if (dW) K.gemm_f32(dW.ptr, x.ptr, dz.ptr, inDim, units, rows, 1, 0, 1, gemmWorkspace());
    if (dx) K.gemm_f32(dx.ptr, dz.ptr, kernel.ptr, rows, inDim, units, 0, 1, 1, gemmWorkspace());
  });
  if (y !== z && !out.requiresGrad) z.dispose();
  return out;
}
