// gemm-256/512/1024: C = A·B, dense float32 N×N, no transposes; each repetition is one matmul
// plus the readback of C to a Float32Array. Metric: 2·N³ / median time.
import { uniform } from '../data.mjs';

function gemm(n) {
  return {
    name: `gemm-${n}`,
    metric: 'GFLOP/s',
    unit: 'GFLOP/s',
    prepare(ctx) {
      const a = uniform(n * n, 11, -1, 1), b = uniform(n * n, 12, -1, 1);
      let A, B, run, api;
      if (ctx.kind === 'simdnn') {
        const { nn } = ctx;
        A = nn.tensor(a, [n, n]); B = nn.tensor(b, [n, n]);
        run = () => { const c = nn.matMul(A, B); c.dataSync(); c.dispose(); };
        api = 'nn.matMul + dataSync (copy out of wasm memory)';
      } else {
        const { tf } = ctx;
        A = tf.tensor2d(a, [n, n]); B = tf.tensor2d(b, [n, n]);
        run = () => { const c = tf.matMul(A, B); c.dataSync(); c.dispose(); };
        api = 'tf.matMul + dataSync';
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

export const workloads = [gemm(256), gemm(512), gemm(1024)];
