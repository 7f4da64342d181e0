// Chaining: the ops as tensor methods, as tfjs spells them (`x.square().sum().sqrt()`). Each
// method is the op with the tensor as its first argument; importing this module installs them
// on Tensor.prototype, and `interface Tensor extends TensorMethods` in tensor.ts types them (merged
// there: a `declare module` augmentation does not survive the bundled .d.ts).
import { Tensor, TensorLike, Shape } from './tensor';
import { add, sub, mul, div, maximum, minimum, pow, squaredDifference, equal, notEqual, greater, greaterEqual, less,
  lessEqual, mod, floorDiv, logicalAnd, logicalOr, logicalXor, logicalNot, isNaN, isInf, isFinite } from './ops/elementwise';
import { matMul } from './ops/matmul';
import { sum, mean, max, min, argMax, argMin } from './ops/reduce';
import { reshape, transpose, concat, slice, squeeze, expandDims, gather } from './ops/shape';
import { stack, unstack, split, tile, reverse, pad, broadcastTo } from './ops/combine';
import { logSumExp, norm } from './ops/statistics';
import { where, clipByValue, topk } from './ops/select';
import { relu, relu6, sigmoid, tanh, elu, selu, leakyRelu, softplus, softsign, step, sign, softmax, logSoftmax, exp, log,
  sqrt, square, neg, abs, floor, ceil, round, reciprocal, rsqrt, log1p, expm1 } from './ops/activation';
import { cast } from './creation';

type Axis = number | number[];

/** The tensor methods; `x.op(...args)` is `nn.op(x, ...args)`. */
export interface TensorMethods {
  add(b: TensorLike): Tensor; sub(b: TensorLike): Tensor; mul(b: TensorLike): Tensor; div(b: TensorLike): Tensor;
  maximum(b: TensorLike): Tensor; minimum(b: TensorLike): Tensor; pow(exponent: TensorLike): Tensor;
  squaredDifference(b: TensorLike): Tensor;
  equal(b: TensorLike): Tensor; notEqual(b: TensorLike): Tensor; greater(b: TensorLike): Tensor;
  greaterEqual(b: TensorLike): Tensor; less(b: TensorLike): Tensor; lessEqual(b: TensorLike): Tensor;
  mod(b: TensorLike): Tensor; floorDiv(b: TensorLike): Tensor; logicalAnd(b: TensorLike): Tensor; logicalOr(b: TensorLike): Tensor;
  logicalXor(b: TensorLike): Tensor; logicalNot(): Tensor; isNaN(): Tensor; isInf(): Tensor; isFinite(): Tensor;
  matMul(b: TensorLike, transposeA?: boolean, transposeB?: boolean): Tensor;
  sum(axis?: Axis, keepDims?: boolean): Tensor; mean(axis?: Axis, keepDims?: boolean): Tensor;
  max(axis?: Axis, keepDims?: boolean): Tensor; min(axis?: Axis, keepDims?: boolean): Tensor;
  argMax(axis?: number): Tensor; argMin(axis?: number): Tensor;
  logSumExp(axis?: Axis, keepDims?: boolean): Tensor; norm(ord?: number | 'euclidean' | 'fro', axis?: Axis, keepDims?: boolean): Tensor;
  reshape(shape: Shape): Tensor; reshapeAs(x: Tensor): Tensor; flatten(): Tensor; clone(): Tensor;
  asScalar(): Tensor; as1D(): Tensor; as2D(rows: number, columns: number): Tensor;
  as3D(rows: number, columns: number, depth: number): Tensor; as4D(rows: number, columns: number, depth: number, depth2: number): Tensor;
  transpose(perm?: number[]): Tensor; squeeze(axis?: Axis): Tensor; expandDims(axis?: number): Tensor;
  slice(begin: number | number[], size?: number | number[]): Tensor; gather(indices: TensorLike, axis?: number, batchDims?: number): Tensor;
  concat(x: TensorLike | TensorLike[], axis?: number): Tensor; stack(x: TensorLike | TensorLike[], axis?: number): Tensor;
  unstack(axis?: number): Tensor[]; split(numOrSizes: number | number[], axis?: number): Tensor[];
  tile(reps: number[]): Tensor; reverse(axis?: Axis): Tensor; pad(paddings: number[][], constantValue?: number): Tensor; broadcastTo(shape: Shape): Tensor;
  where(condition: TensorLike, other: TensorLike): Tensor;
  clipByValue(min: number, max: number): Tensor; topk(k?: number, sorted?: boolean): { values: Tensor; indices: Tensor };
  cast(dtype: 'float32' | 'int32' | 'bool'): Tensor; toFloat(): Tensor; toInt(): Tensor; toBool(): Tensor;
  relu(): Tensor; relu6(): Tensor; sigmoid(): Tensor; tanh(): Tensor; elu(alpha?: number): Tensor; selu(): Tensor;
  leakyRelu(alpha?: number): Tensor; softplus(): Tensor; softsign(): Tensor; step(): Tensor; sign(): Tensor;
  softmax(dim?: number): Tensor; logSoftmax(dim?: number): Tensor;
  exp(): Tensor; log(): Tensor; sqrt(): Tensor; square(): Tensor; neg(): Tensor; abs(): Tensor; floor(): Tensor;
  ceil(): Tensor; round(): Tensor; reciprocal(): Tensor; rsqrt(): Tensor; log1p(): Tensor; expm1(): Tensor;
}

const list = (x: TensorLike | TensorLike[]): TensorLike[] => (Array.isArray(x) && x[0] instanceof Tensor ? x as TensorLike[] : [x as TensorLike]);

const methods: TensorMethods & ThisType<Tensor> = {
  add(b) { return add(this, b); }, sub(b) { return sub(this, b); }, mul(b) { return mul(this, b); },
  div(b) { return div(this, b); }, maximum(b) { return maximum(this, b); }, minimum(b) { return minimum(this, b); },
  pow(e) { return pow(this, e); }, squaredDifference(b) { return squaredDifference(this, b); },
  equal(b) { return equal(this, b); }, notEqual(b) { return notEqual(this, b); }, greater(b) { return greater(this, b); },
  greaterEqual(b) { return greaterEqual(this, b); }, less(b) { return less(this, b); },
  lessEqual(b) { return lessEqual(this, b); }, mod(b) { return mod(this, b); }, floorDiv(b) { return floorDiv(this, b); },
  logicalAnd(b) { return logicalAnd(this, b); }, logicalOr(b) { return logicalOr(this, b); },
  logicalXor(b) { return logicalXor(this, b); }, logicalNot() { return logicalNot(this); }, isNaN() { return isNaN(this); },
  isInf() { return isInf(this); }, isFinite() { return isFinite(this); },
  matMul(b, tA, tB) { return matMul(this, b, tA, tB); },
  sum(axis, keepDims) { return sum(this, axis, keepDims); }, mean(axis, keepDims) { return mean(this, axis, keepDims); },
  max(axis, keepDims) { return max(this, axis, keepDims); }, min(axis, keepDims) { return min(this, axis, keepDims); },
  argMax(axis) { return argMax(this, axis); }, argMin(axis) { return argMin(this, axis); },
  logSumExp(axis, keepDims) { return logSumExp(this, axis, keepDims); }, norm(ord, axis, keepDims) { return norm(this, ord, axis, keepDims); },
  reshape(shape) { return reshape(this, shape); }, reshapeAs(x) { return reshape(this, x.shape); },
  flatten() { return reshape(this, [this.size]); }, clone() { return reshape(this, this.shape); },
  asScalar() { return reshape(this, []); }, as1D() { return reshape(this, [this.size]); },
  as2D(r, c) { return reshape(this, [r, c]); }, as3D(r, c, d) { return reshape(this, [r, c, d]); },
  as4D(r, c, d, d2) { return reshape(this, [r, c, d, d2]); },
  transpose(perm) { return transpose(this, perm); }, squeeze(axis) { return squeeze(this, axis); },
  expandDims(axis) { return expandDims(this, axis); }, slice(begin, size) { return slice(this, begin, size); },
  gather(indices, axis, batchDims) { return gather(this, indices, axis, batchDims); },
  concat(x, axis) { return concat([this, ...list(x)], axis); }, stack(x, axis) { return stack([this, ...list(x)], axis); },
  unstack(axis) { return unstack(this, axis); }, split(n, axis) { return split(this, n, axis); },
  tile(reps) { return tile(this, reps); }, reverse(axis) { return reverse(this, axis); }, pad(p, v) { return pad(this, p, v); }, broadcastTo(s) { return broadcastTo(this, s); },
  where(condition, other) { return where(condition, this, other); },
  clipByValue(lo, hi) { return clipByValue(this, lo, hi); }, topk(k, sorted) { return topk(this, k, sorted); },
  cast(dtype) { return cast(this, dtype); }, toFloat() { return cast(this, 'float32'); },
  toInt() { return cast(this, 'int32'); }, toBool() { return cast(this, 'bool'); },
  relu() { return relu(this); }, relu6() { return relu6(this); }, sigmoid() { return sigmoid(this); },
  tanh() { return tanh(this); }, elu(alpha) { return elu(this, alpha); }, selu() { return selu(this); },
  leakyRelu(alpha) { return leakyRelu(this, alpha); }, softplus() { return softplus(this); },
  softsign() { return softsign(this); }, step() { return step(this); }, sign() { return sign(this); },
  softmax(dim) { return softmax(this, dim); }, logSoftmax(dim) { return logSoftmax(this, dim); },
  exp() { return exp(this); }, log() { return log(this); }, sqrt() { return sqrt(this); }, square() { return square(this); },
  neg() { return neg(this); }, abs() { return abs(this); }, floor() { return floor(this); }, ceil() { return ceil(this); },
  round() { return round(this); }, reciprocal() { return reciprocal(this); }, rsqrt() { return rsqrt(this); },
  log1p() { return log1p(this); }, expm1() { return expm1(this); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}
