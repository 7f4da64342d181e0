// General matrix multiply, row-major f32: C = op(A)·op(B) (or C += … when accumulate != 0).
// c:(M,N)  a:(M,K), or (K,M) when transA != 0  b:(K,N), or (N,K) when transB != 0

// @ts-ignore: decorator
@inline function elemA(a: usize, i: i32, p: i32, M: i32, K: i32, transA: i32): f32 {
  return load<f32>(a + ((transA ? <usize>p * <usize>M + <usize>i : <usize>i * <usize>K + <usize>p) << 2));
}

// @ts-ignore: decorator
@inline function elemB(b: usize, p: i32, j: i32, N: i32, K: i32, transB: i32): f32 {
  return load<f32>(b + ((transB ? <usize>j * <usize>K + <usize>p : <usize>p * <usize>N + <usize>j) << 2));
}

export function gemm_f32(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                         transA: i32, transB: i32, accumulate: i32): void {
  gemm_f32_ref(c, a, b, M, N, K, transA, transB, accumulate);
}

// The scalar twin: one dot product per element of C, summed in k order.
export function gemm_f32_ref(c: usize, a: usize, b: usize, M: i32, N: i32, K: i32,
                             transA: i32, transB: i32, accumulate: i32): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s: f32 = 0;
      for (let p = 0; p < K; p++) s += elemA(a, i, p, M, K, transA) * elemB(b, p, j, N, K, transB);
      const cp = c + ((<usize>i * <usize>N + <usize>j) << 2);
      store<f32>(cp, accumulate ? load<f32>(cp) + s : s);
    }
  }
}
