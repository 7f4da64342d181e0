// Shape rules shared by losses and metrics: how labels line up with predictions.
import { Tensor, shapeStr } from './tensor';

/**
 * yTrue and yPred must have the same shape; [B] against [B,1] (either way) is accepted as Keras does.
 * Returns the number of rows (samples) and columns (the last axis) of yPred.
 */
export function pairShape(op: string, yTrue: Tensor, yPred: Tensor): { rows: number; cols: number } {
  const same = yTrue.shape.length === yPred.shape.length && yTrue.shape.every((d, i) => d === yPred.shape[i]);
  const squeezed = (a: number[], b: number[]) => a.length === b.length + 1 && a[a.length - 1] === 1 && b.every((d, i) => d === a[i]);
  if (!same && !squeezed(yTrue.shape, yPred.shape) && !squeezed(yPred.shape, yTrue.shape)) {
    throw new Error(`${op}: yTrue ${shapeStr(yTrue.shape)} and yPred ${shapeStr(yPred.shape)} must have the same shape`);
  }
  const cols = yPred.rank === 0 ? 1 : yPred.shape[yPred.rank - 1];
  return { rows: cols === 0 ? 0 : yPred.size / cols, cols };
}

/** Sparse labels are yPred's shape without its last axis, or with a last axis of 1. */
export function sparsePairShape(op: string, yTrue: Tensor, yPred: Tensor): { rows: number; cols: number } {
  const lead = yPred.shape.slice(0, -1);
  const eq = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
  if (yPred.rank < 1 || !(eq(yTrue.shape, lead) || eq(yTrue.shape, [...lead, 1]))) {
    throw new Error(`${op}: yTrue ${shapeStr(yTrue.shape)} must hold one class index per row of yPred ` +
      `${shapeStr(yPred.shape)} (expected ${shapeStr(lead)} or ${shapeStr([...lead, 1])})`);
  }
  const cols = yPred.shape[yPred.rank - 1];
  return { rows: lead.reduce((a, d) => a * d, 1), cols };
}
