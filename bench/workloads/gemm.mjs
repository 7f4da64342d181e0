// gemm-256/512/1024: C = A·B, dense float32 N×N, no transposes; each repetition is one matmul
// plus the readback of C to a Float32Array. Metric: 2·N³ / median time.
// gemm-N-tn / -nt / -tt (not in WORKLOADS.md, so not in `all`): the same with A and/or B
// stored transposed — the forms a backward pass runs.
import { uniform } from '../data.mjs';

function gemm(n, transposeA = false, transposeB = false) {
  const form = transposeA || transposeB ? `-${transposeA ? 't' : 'n'}${transposeB ? 't' : 'n'}` : '';
  return {
    name: `gemm-${n}${form}`,
    extra: form !== '',
    vsPeak: true,
    metric: 'GFLOP/s',
    unit: 'GFLOP/s',
    prepare(ctx) {
      const a = uniform(n * n, 11, -1, 1), b = uniform(n * n, 12, -1, 1);
      let A, B, run, api;
      if (ctx.kind === 'simdnn') {
        const { nn } = ctx;
        A = nn.tensor(a, [n, n]); B = nn.tensor(b, [n, n]);
        run = () => { const c = nn.matMul(A, B, transposeA, transposeB); c.dataSync(); c.dispose(); };
        api = `nn.matMul${form ? ` (${form.slice(1)})` : ''} + dataSync (copy out of wasm memory)`;
      } else {
        const { tf } = ctx;
        A = tf.tensor2d(a, [n, n]); B = tf.tensor2d(b, [n, n]);
        run = () => { const c = tf.matMul(A, B, transposeA, transposeB); c.dataSync(); c.dispose(); };
        api = `tf.matMul${form ? ` (${form.slice(1)})` : ''} + dataSync`;
      }
      return {
        run,
        // At least 5 repetitions; up to 50 when they fit in about 2 s.
        reps: (warmMs) => Math.max(5, Math.min(50, Math.floor(2000 / Math.max(warmMs, 1e-3)))),
        value: (ms) => (2 * n ** 3) / (ms * 1e6),
        notes: api,
        dispose() { A.dispose(); B.dispose(); },
      };
    },
  };
}

export const workloads = [256, 512, 1024].flatMap((n) =>
  [gemm(n), gemm(n, true, false), gemm(n, false, true), gemm(n, true, true)]);
