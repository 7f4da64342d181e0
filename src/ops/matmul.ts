// Matrix multiply of rank-2 tensors (or rank-3 batches of them), on the gemm_f32 kernel.
// The transposes never materialize: gemm reads op(A) and op(B) through its packing.
import { record } from '../autograd';
import { Tensor, TensorLike, toTensor, shapeStr } from '../tensor';
import { k } from '../wasm';

/** C = op(a)·op(b), op(x) = xᵀ when the flag is set (over the last two dims). */
export function matMul(aIn: TensorLike, bIn: TensorLike, transposeA = false, transposeB = false): Tensor {
  const { t: a } = toTensor(aIn, 'matMul');
  const { t: b } = toTensor(bIn, 'matMul');
  const got = `(got ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`;
  if (a.rank !== b.rank || (a.rank !== 2 && a.rank !== 3)) {
    throw new Error(`matMul: both inputs must be rank 2, or both rank 3 with a leading batch dim ${got}`);
  }
  const batch = a.rank === 3 ? a.shape[0] : 1;
  if (a.rank === 3 && b.shape[0] !== batch) {
    throw new Error(`matMul: batch dimensions ${a.shape[0]} and ${b.shape[0]} do not match ${got}`);
  }
  const [ar, ac] = a.shape.slice(-2), [br, bc] = b.shape.slice(-2);
  const M = transposeA ? ac : ar, Ka = transposeA ? ar : ac;
  const Kb = transposeB ? bc : br, N = transposeB ? br : bc;
  if (Ka !== Kb) throw new Error(`matMul: inner dimensions ${Ka} and ${Kb} do not match ${got}`);
  const K = Ka;
  const tA = transposeA ? 1 : 0, tB = transposeB ? 1 : 0;
  const outShape = a.rank === 3 ? [batch, M, N] : [M, N];
  const aStep = M * K * 4, bStep = K * N * 4, cStep = M * N * 4;

  // Runs one gemm per batch entry; `accumulate` is always 1 for gradients.
  const each = (f: (i: number) => void) => { for (let i = 0; i < batch; i++) f(i); };
  const y = Tensor.empty(outShape);
  each((i) => k().gemm_f32(y.ptr + i * cStep, a.ptr + i * aStep, b.ptr + i * bStep, M, N, K, tA, tB, 0));

  return record([a, b], y, (dy, [da, db]) => {
    const K_ = k();
    if (da) {
      // op(A) = dY·op(B)ᵀ; stored A is op(A) or its transpose.
      each((i) => {
        const g = dy.ptr + i * cStep, bp = b.ptr + i * bStep, d = da.ptr + i * aStep;
        if (!transposeA) K_.gemm_f32(d, g, bp, M, K, N, 0, transposeB ? 0 : 1, 1);   // dA(M,K) = dY·op(B)ᵀ
        else K_.gemm_f32(d, bp, g, K, M, N, transposeB ? 1 : 0, 1, 1);               // dA(K,M) = op(B)·dYᵀ
      });
    }
    if (db) {
      each((i) => {
        const g = dy.ptr + i * cStep, ap = a.ptr + i * aStep, d = db.ptr + i * bStep;
        if (!transposeB) K_.gemm_f32(d, ap, g, K, N, M, transposeA ? 0 : 1, 0, 1);   // dB(K,N) = op(A)ᵀ·dY
        else K_.gemm_f32(d, g, ap, N, K, M, 1, transposeA ? 1 : 0, 1);               // dB(N,K) = dYᵀ·op(A)
      });
    }
  });
}
