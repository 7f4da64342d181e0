// conv2d-fwd / conv2d-bwd (not in WORKLOADS.md, so not in `all`): the convolution kernels on their
// own, in GFLOP/s and (vsPeak) as a fraction of the host's wasm-peak measured in the same run.
// The layer is VGG-like: x [64, 16, 16, 64] NHWC ⋆ a 3×3 filter [3, 3, 64, 64], stride 1, padding
// 'same' (no bias, no activation), uniform inputs in [-1, 1).
// conv2d-fwd: one op-level conv2d plus the readback of y. GFLOP/s = 2·N·Ho·Wo·Co·Kh·Kw·Ci / time.
// conv2d-bwd: one grads call on conv2d with dy given (the forward, then the input and filter
// gradients: three convolutions' worth of work) plus the readback of both gradients.
// GFLOP/s = 3 · 2·N·Ho·Wo·Co·Kh·Kw·Ci / time. tfjs-backend-wasm has no Conv2DBackpropFilter kernel,
// so it fails there, as cnn-train does. tfjs-backend-cpu is slow: it times one repetition with no
// warm-up, and the backward one on 8 of the 64 images (REDUCED), to stay under 2 minutes.
import { uniform } from '../data.mjs';

const BATCH = 64, H = 16, W = 16, C = 64, F = 64, K = 3;

function conv(backward) {
  return {
    name: backward ? 'conv2d-bwd' : 'conv2d-fwd',
    extra: true,
    vsPeak: true,
    metric: 'GFLOP/s',
    unit: 'GFLOP/s',
    prepare(ctx) {
      const lib = ctx.kind === 'simdnn' ? ctx.nn : ctx.tf;
      const slowCpu = ctx.kind === 'tfjs' && ctx.tf.getBackend() === 'cpu';
      const N = slowCpu && backward ? 8 : BATCH;
      const FLOP = 2 * N * H * W * F * K * K * C; // 'same', stride 1: Ho = H, Wo = W
      const x = lib.tensor(uniform(N * H * W * C, 51, -1, 1), [N, H, W, C]);
      const w = lib.tensor(uniform(K * K * C * F, 52, -1, 1), [K, K, C, F]);
      const dy = lib.tensor(uniform(N * H * W * F, 53, -1, 1), [N, H, W, F]);
      const f = (a, b) => lib.conv2d(a, b, 1, 'same');
      const api = `${ctx.kind === 'simdnn' ? 'nn' : 'tf'}.conv2d`;
      let run;
      if (!backward) run = () => { const y = f(x, w); y.dataSync(); y.dispose(); };
      else {
        const g = lib.grads(f);
        run = () => { for (const t of g([x, w], dy)) { t.dataSync(); t.dispose(); } };
      }
      return {
        run,
        ...(slowCpu ? { warmup() {} } : {}),
        // At least 3 repetitions; up to 50 when they fit in about 2 s.
        reps: (warmMs) => (slowCpu ? 1 : Math.max(3, Math.min(50, Math.floor(2000 / Math.max(warmMs, 1e-3))))),
        value: (ms) => ((backward ? 3 : 1) * FLOP) / (ms * 1e6),
        notes: `${api} [${N},${H},${W},${C}] ⋆ [${K},${K},${C},${F}] same` +
          (backward ? `: grads(conv2d)([x, filter], dy), forward + dx + dfilter (3×${(FLOP / 1e9).toFixed(2)} GFLOP) + dataSync of both`
            : ` (${(FLOP / 1e9).toFixed(2)} GFLOP) + dataSync`) +
          (slowCpu ? `; REDUCED: no warm-up and 1 timed repetition${N < BATCH ? `, ${N} of the ${BATCH} images` : ''}, to stay under 2 minutes` : ''),
        dispose() { x.dispose(); w.dispose(); dy.dispose(); },
      };
    },
  };
}

export const workloads = [conv(false), conv(true)];
