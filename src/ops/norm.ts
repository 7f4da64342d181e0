// Batch and layer normalization over the last axis (channels last), as fused ops: one tape entry
// each, whose backward gives dx, dgamma and dbeta from the mean and 1/std the forward saved.
import { record } from '../autograd';
import { Tensor, shapeStr } from '../tensor';
import { k } from '../wasm';

/** The (rows, C) view of x with C its last dimension; gamma/beta must hold C values. */
function channelsView(x: Tensor, params: (Tensor | null)[], C: number, where: string): number {
  if (!(C >= 1) || x.size % C !== 0) throw new Error(`${where}: input ${shapeStr(x.shape)} cannot be normalized over ${C} channels`);
  for (const p of params) {
    if (p && p.size !== C) throw new Error(`${where}: parameter ${shapeStr(p.shape)} must hold ${C} values (one per channel of ${shapeStr(x.shape)})`);
  }
  return x.size / C;
}

/** The tape inputs [x, gamma?, beta?] and a reader for their gradients in that order. */
function withParams(x: Tensor, gamma: Tensor | null, beta: Tensor | null) {
  const inputs = [x];
  if (gamma) inputs.push(gamma);
  if (beta) inputs.push(beta);
  const ptrs = (grads: (Tensor | null)[]) => {
    const dgamma = gamma ? grads[1] : null, dbeta = beta ? grads[gamma ? 2 : 1] : null;
    return { dx: grads[0] ? grads[0].ptr : 0, dgamma: dgamma ? dgamma.ptr : 0, dbeta: dbeta ? dbeta.ptr : 0 };
  };
  return { inputs, ptrs };
}

const ptrOf = (t: Tensor | null) => (t ? t.ptr : 0);

function lastDim(x: Tensor, where: string): number {
  if (x.rank < 2) throw new Error(`${where}: expects an input of rank >= 2 (batch, ..., channels), got ${shapeStr(x.shape)}`);
  return x.shape[x.rank - 1];
}

/**
 * Batch normalization with the batch's own statistics (training): the mean and biased variance of
 * each channel (the last axis) over all other axes. Returns y and copies of the batch mean and
 * variance (the caller's, e.g. for updateMovingAverage).
 */
export function batchNormTraining(x: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number,
                                  where = 'batchNormalization'): { y: Tensor; mean: Tensor; variance: Tensor } {
  const C = lastDim(x, where);
  const rows = channelsView(x, [gamma, beta], C, where);
  if (rows === 0) throw new Error(`${where}: cannot compute batch statistics of an empty batch ${shapeStr(x.shape)}`);
  const y = Tensor.empty(x.shape);
  const mean = Tensor.empty([C]), variance = Tensor.empty([C]), rstd = Tensor.empty([C]);
  k().batchnorm_forward_train(y.ptr, mean.ptr, variance.ptr, rstd.ptr, x.ptr, ptrOf(gamma), ptrOf(beta), rows, C, epsilon);
  const meanOut = Tensor.empty([C]);
  k().copy_f32(meanOut.ptr, mean.ptr, C);
  const out = recordBatchNorm(x, gamma, beta, y, mean, rstd, rows, C, true);
  return { y: out, mean: meanOut, variance };
}

/** Batch normalization with given (moving) statistics (inference): an affine map per channel. */
export function batchNormInference(x: Tensor, movingMean: Tensor, movingVariance: Tensor, gamma: Tensor | null,
                                   beta: Tensor | null, epsilon: number, where = 'batchNormalization'): Tensor {
  const C = lastDim(x, where);
  const rows = channelsView(x, [movingMean, movingVariance, gamma, beta], C, where);
  const y = Tensor.empty(x.shape);
  const mean = Tensor.empty([C]), rstd = Tensor.empty([C]);
  k().copy_f32(mean.ptr, movingMean.ptr, C); // saved: a later moving update must not change this backward
  k().batchnorm_forward_infer(y.ptr, rstd.ptr, x.ptr, mean.ptr, movingVariance.ptr, ptrOf(gamma), ptrOf(beta), rows, C, epsilon);
  return recordBatchNorm(x, gamma, beta, y, mean, rstd, rows, C, false);
}

function recordBatchNorm(x: Tensor, gamma: Tensor | null, beta: Tensor | null, y: Tensor, mean: Tensor, rstd: Tensor,
                         rows: number, C: number, training: boolean): Tensor {
  const { inputs, ptrs } = withParams(x, gamma, beta);
  const out = record(inputs, y, (dy, grads) => {
    const { dx, dgamma, dbeta } = ptrs(grads);
    const scratch = Tensor.empty([4 * C]);
    k().batchnorm_backward(dx, dgamma, dbeta, scratch.ptr, dy.ptr, x.ptr, mean.ptr, rstd.ptr, ptrOf(gamma), rows, C, training ? 1 : 0);
    scratch.dispose();
  });
  if (!out.requiresGrad) { mean.dispose(); rstd.dispose(); }
  return out;
}

/** moving −= (moving − value)·(1 − momentum), in place: the explicit update step outside the tape. */
export function updateMovingAverage(moving: Tensor, value: Tensor, momentum: number, where = 'updateMovingAverage'): void {
  if (moving.size !== value.size) {
    throw new Error(`${where}: moving statistic ${shapeStr(moving.shape)} and batch statistic ${shapeStr(value.shape)} differ in size`);
  }
  k().moving_average_update(moving.ptr, value.ptr, moving.size, momentum);
}

/**
 * Layer normalization: each sample normalized by the mean and biased variance of its last C values
 * (C = the product of the normalized trailing axes), then scaled by gamma and shifted by beta.
 */
export function layerNorm(x: Tensor, gamma: Tensor | null, beta: Tensor | null, epsilon: number, C: number,
                          where = 'layerNormalization'): Tensor {
  const rows = channelsView(x, [gamma, beta], C, where);
  const y = Tensor.empty(x.shape);
  const mean = Tensor.empty([rows]), rstd = Tensor.empty([rows]);
  k().layernorm_forward(y.ptr, mean.ptr, rstd.ptr, x.ptr, ptrOf(gamma), ptrOf(beta), rows, C, epsilon);
  const { inputs, ptrs } = withParams(x, gamma, beta);
  const out = record(inputs, y, (dy, grads) => {
    const { dx, dgamma, dbeta } = ptrs(grads);
    k().layernorm_backward(dx, dgamma, dbeta, dy.ptr, x.ptr, mean.ptr, rstd.ptr, ptrOf(gamma), rows, C);
  });
  if (!out.requiresGrad) { mean.dispose(); rstd.dispose(); }
  return out;
}
