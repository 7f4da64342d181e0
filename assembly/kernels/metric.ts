// Metric reductions: one pass over a batch returns a count or a sum (f64) that the TS metric
// objects add up over an epoch. Rows are the last-axis vectors: t, p:(rows,cols), or for the
// sparse kind t:(rows) class indices stored as f32.
import { at } from '../simd';

export const METRIC_BINARY_ACC = 0, METRIC_SIGN_ACC = 1, METRIC_CATEGORICAL_ACC = 2, METRIC_SPARSE_ACC = 3,
  METRIC_SQUARED_ERROR = 4, METRIC_ABS_ERROR = 5, METRIC_TRUE_POS = 6, METRIC_PRED_POS = 7, METRIC_ACTUAL_POS = 8;


// The first index of the largest of x:(n).
// @ts-ignore: decorator
@inline function argmaxRow(x: usize, n: i32): i32 {
  let best = load<f32>(x), bi = 0;
  for (let j = 1; j < n; j++) {
    const v = load<f32>(at(x, j));
    if (v > best) { best = v; bi = j; }
  }
  return bi;
}

// @ts-ignore: decorator
@inline function elementTerm(kind: i32, t: f32, p: f32, threshold: f32): f64 {
  switch (kind) {
    case METRIC_BINARY_ACC: return t == (p > threshold ? <f32>1 : <f32>0) ? 1 : 0;  // Keras: exact 0/1 labels
    case METRIC_SIGN_ACC: return (p > threshold) == (t > 0) ? 1 : 0;                  // ±1 (or 0/1) labels
    case METRIC_SQUARED_ERROR: { const e = <f64>p - <f64>t; return e * e; }
    case METRIC_ABS_ERROR: return Math.abs(<f64>p - <f64>t);
    case METRIC_TRUE_POS: return p > threshold && t > 0.5 ? 1 : 0;
    case METRIC_PRED_POS: return p > threshold ? 1 : 0;
    default: return t > 0.5 ? 1 : 0;                                                // METRIC_ACTUAL_POS
  }
}

// Returns the batch's count (accuracies, confusion counts) or sum (errors) for `kind`.
export function metric_reduce(t: usize, p: usize, rows: i32, cols: i32, kind: i32, threshold: f32): f64 {
  let s: f64 = 0;
  if (kind == METRIC_CATEGORICAL_ACC || kind == METRIC_SPARSE_ACC) {
    for (let r = 0; r < rows; r++) {
      const predicted = argmaxRow(at(p, r * cols), cols);
      const truth = kind == METRIC_SPARSE_ACC ? <i32>load<f32>(at(t, r)) : argmaxRow(at(t, r * cols), cols);
      if (predicted == truth) s += 1;
    }
    return s;
  }
  const n = rows * cols;
  for (let i = 0; i < n; i++) s += elementTerm(kind, load<f32>(at(t, i)), load<f32>(at(p, i)), threshold);
  return s;
}
