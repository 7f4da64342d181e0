// Matrix multiply of rank-2 tensors, or of rank-3 batches of them, on the gemm_f32 kernel.
// The transposes never materialize: gemm reads op(A) and op(B) through its packing, forward
// and backward alike.
import { record } from '../autograd';
import { Tensor, TensorLike, toTensor, shapeStr } from '../tensor';
import { k, gemmWorkspace } from '../wasm';

/**
 * op(a)·op(b), where op(x) = xᵀ (over the last two dims) when its flag is set. Rank 2 × rank 2
 * gives [M,N]; with a rank-3 operand, the batch dim broadcasts like tf.matMul: [B,M,K]·[K,N],
 * [M,K]·[B,K,N], and [B,…]·[B,…] or a batch of 1 against a batch of B all give [B,M,N].
 */
export function matMul(aIn: TensorLike, bIn: TensorLike, transposeA = false, transposeB = false): Tensor {
  const { t: a } = toTensor(aIn, 'matMul');
  const { t: b } = toTensor(bIn, 'matMul');
  const got = `(got ${shapeStr(a.shape)} and ${shapeStr(b.shape)})`;
  for (const x of [a, b]) {
    if (x.rank !== 2 && x.rank !== 3) throw new Error(`matMul: inputs must be rank 2 or 3 ${got}`);
  }
  const aBatch = a.rank === 3 ? a.shape[0] : 1, bBatch = b.rank === 3 ? b.shape[0] : 1;
  if (aBatch !== bBatch && aBatch !== 1 && bBatch !== 1) {
    throw new Error(`matMul: batch dimensions ${aBatch} and ${bBatch} do not match ${got}`);
  }
  const batch = Math.max(aBatch, bBatch);
  const [ar, ac] = a.shape.slice(-2), [br, bc] = b.shape.slice(-2);
  const M = transposeA ? ac : ar, Ka = transposeA ? ar : ac;
  const Kb = transposeB ? bc : br, N = transposeB ? br : bc;
  if (Ka !== Kb) throw new Error(`matMul: inner dimensions ${Ka} and ${Kb} do not match ${got}`);
  const K = Ka;
  const tA = transposeA ? 1 : 0, tB = transposeB ? 1 : 0;
  const outShape = a.rank === 3 || b.rank === 3 ? [batch, M, N] : [M, N];
  // [B,M,K]·[K,N] is one [B·M,K]·[K,N] product, forward and backward.
  const fold = batch > 1 && bBatch === 1 && !transposeA;
  const entries = fold ? 1 : batch, rows = fold ? batch * M : M;
  // Byte steps between batch entries; 0 repeats an unbatched (or batch-1) operand, whose
  // gradient then sums over the batch because gemm accumulates.
  const aStep = aBatch > 1 ? rows * K * 4 : 0, bStep = bBatch > 1 ? K * N * 4 : 0, cStep = rows * N * 4;
  const perEntry = (f: (i: number) => void) => { for (let i = 0; i < entries; i++) f(i); };

  const y = Tensor.empty(outShape), ws = gemmWorkspace();
  perEntry((i) => k().gemm_f32(y.ptr + i * cStep, a.ptr + i * aStep, b.ptr + i * bStep, rows, N, K, tA, tB, 0, ws));

  return record([a, b], y, (dy, [da, db]) => {
    const K_ = k();
    if (da) {
      perEntry((i) => {
        const g = dy.ptr + i * cStep, bp = b.ptr + i * bStep, d = da.ptr + i * aStep;
        if (!transposeA) K_.gemm_f32(d, g, bp, rows, K, N, 0, transposeB ? 0 : 1, 1, ws);   // dA(M,K) += dY·op(B)ᵀ
        else K_.gemm_f32(d, bp, g, K, rows, N, transposeB ? 1 : 0, 1, 1, ws);               // dA(K,M) += op(B)·dYᵀ
      });
    }
    if (db) {
      perEntry((i) => {
        const g = dy.ptr + i * cStep, ap = a.ptr + i * aStep, d = db.ptr + i * bStep;
        if (!transposeB) K_.gemm_f32(d, ap, g, K, N, rows, transposeA ? 0 : 1, 0, 1, ws);   // dB(K,N) += op(A)ᵀ·dY
        else K_.gemm_f32(d, g, ap, N, K, rows, 1, transposeA ? 1 : 0, 1, ws);               // dB(N,K) += dYᵀ·op(A)
      });
    }
  });
}
