// Normalization kernels: SIMD against their scalar `_ref` twins at the tile edges (channels 1, 3, 4, 5,
// 8, 9; rows around the 64-row summation block), against a float64 reference computed here, with and
// without gamma/beta, and backward accumulating onto what the gradient buffers already hold.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { nn, ready, rand, rawBuffers, expectClose } from '../setup';

let K: any;
const { put, get, freeAll } = rawBuffers();
beforeAll(async () => { await ready(); K = nn.internals.kernels(); });
afterAll(freeAll);

const CHANNELS = [1, 3, 4, 5, 8, 9];
const ROWS = [1, 3, 63, 64, 65, 130];
const same = (a: Float32Array, b: Float32Array, what: string) => expect(Array.from(a), what).toEqual(Array.from(b));

/** Column statistics in float64. */
function columnStats(x: Float32Array, rows: number, C: number) {
  const mean = new Float64Array(C), variance = new Float64Array(C);
  for (let r = 0; r < rows; r++) for (let c = 0; c < C; c++) mean[c] += x[r * C + c] / rows;
  for (let r = 0; r < rows; r++) for (let c = 0; c < C; c++) variance[c] += (x[r * C + c] - mean[c]) ** 2 / rows;
  return { mean, variance };
}

describe('batchnorm kernels', () => {
  for (const C of CHANNELS) for (const rows of ROWS) {
    it(`forward (training and inference) and backward match the twins, C = ${C}, rows = ${rows}`, () => {
      const n = rows * C, eps = 1e-3;
      const x = rand(n, C * 100 + rows, -2, 3), gamma = rand(C, 7, 0.5, 2), beta = rand(C, 8), dy = rand(n, rows + 5);
      const px = put(x), pg = put(gamma), pb = put(beta), pdy = put(dy);
      for (const [g, b] of [[pg, pb], [0, 0]]) {
        // training forward
        const out = [0, 1].map(() => ({ y: put(new Float32Array(n)), mean: put(new Float32Array(C)), v: put(new Float32Array(C)), rstd: put(new Float32Array(C)) }));
        K.batchnorm_forward_train(out[0].y, out[0].mean, out[0].v, out[0].rstd, px, g, b, rows, C, eps);
        K.batchnorm_forward_train_ref(out[1].y, out[1].mean, out[1].v, out[1].rstd, px, g, b, rows, C, eps);
        for (const key of ['y', 'mean', 'v', 'rstd'] as const) same(get(out[0][key], key === 'y' ? n : C), get(out[1][key], key === 'y' ? n : C), key);
        const { mean, variance } = columnStats(x, rows, C);
        expectClose(get(out[0].mean, C), mean, 1e-6, 'mean');
        expectClose(get(out[0].v, C), variance, 1e-5, 'variance');
        const expectY = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const c = i % C;
          expectY[i] = (x[i] - mean[c]) / Math.sqrt(variance[c] + eps) * (g ? gamma[c] : 1) + (b ? beta[c] : 0);
        }
        expectClose(get(out[0].y, n), expectY, 2e-5, 'y');

        // backward, training and inference statistics, accumulating onto 0.5
        for (const training of [1, 0]) {
          const grads = [0, 1].map(() => ({ dx: put(new Float32Array(n).fill(0.5)), dg: put(new Float32Array(C).fill(0.5)), db: put(new Float32Array(C).fill(0.5)) }));
          const scratch = put(new Float32Array(4 * C));
          K.batchnorm_backward(grads[0].dx, grads[0].dg, grads[0].db, scratch, pdy, px, out[0].mean, out[0].rstd, g, rows, C, training);
          K.batchnorm_backward_ref(grads[1].dx, grads[1].dg, grads[1].db, scratch, pdy, px, out[0].mean, out[0].rstd, g, rows, C, training);
          same(get(grads[0].dx, n), get(grads[1].dx, n), 'dx');
          same(get(grads[0].dg, C), get(grads[1].dg, C), 'dgamma');
          same(get(grads[0].db, C), get(grads[1].db, C), 'dbeta');
          // float64 reference
          const rstd = Array.from(mean, (_, c) => 1 / Math.sqrt(variance[c] + eps));
          const sdy = new Float64Array(C), sdyx = new Float64Array(C);
          for (let i = 0; i < n; i++) { const c = i % C; sdy[c] += dy[i]; sdyx[c] += dy[i] * (x[i] - mean[c]) * rstd[c]; }
          const dx = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            const c = i % C, xh = (x[i] - mean[c]) * rstd[c];
            const t = training ? dy[i] - sdy[c] / rows - xh * sdyx[c] / rows : dy[i];
            dx[i] = 0.5 + t * (g ? gamma[c] : 1) * rstd[c];
          }
          expectClose(get(grads[0].dx, n), dx, 2e-4, 'dx vs f64');
          expectClose(get(grads[0].dg, C), sdyx.map((v) => v + 0.5), 1e-4, 'dgamma vs f64');
          expectClose(get(grads[0].db, C), sdy.map((v) => v + 0.5), 1e-5, 'dbeta vs f64');
        }
        // inference forward with given statistics
        const infer = [0, 1].map(() => ({ y: put(new Float32Array(n)), rstd: put(new Float32Array(C)) }));
        const pm = put(rand(C, 3)), pv = put(rand(C, 4, 0.2, 2));
        K.batchnorm_forward_infer(infer[0].y, infer[0].rstd, px, pm, pv, g, b, rows, C, eps);
        K.batchnorm_forward_infer_ref(infer[1].y, infer[1].rstd, px, pm, pv, g, b, rows, C, eps);
        same(get(infer[0].y, n), get(infer[1].y, n), 'inference y');
        same(get(infer[0].rstd, C), get(infer[1].rstd, C), 'inference rstd');
      }
      // dx, dgamma, dbeta may each be skipped
      const scratch = put(new Float32Array(4 * C)), mean = put(new Float32Array(C)), rstd = put(new Float32Array(C).fill(1));
      const dg = put(new Float32Array(C));
      K.batchnorm_backward(0, dg, 0, scratch, pdy, px, mean, rstd, pg, rows, C, 1);
      const expectDg = new Float64Array(C);
      for (let i = 0; i < n; i++) expectDg[i % C] += dy[i] * x[i];
      expectClose(get(dg, C), expectDg, 1e-4, 'dgamma alone');
      freeAll();
    });
  }
});

describe('moving_average_update', () => {
  for (const n of [1, 3, 4, 5, 8, 9, 17]) {
    it(`matches its twin and the formula, n = ${n}`, () => {
      const m = rand(n, n), v = rand(n, n + 1);
      const a = put(m), b = put(m), pv = put(v);
      K.moving_average_update(a, pv, n, 0.9);
      K.moving_average_update_ref(b, pv, n, 0.9);
      same(get(a, n), get(b, n), 'moving');
      expectClose(get(a, n), Array.from(m, (mi, i) => mi * 0.9 + v[i] * 0.1), 1e-6, 'moving vs formula');
      freeAll();
    });
  }
});

describe('layernorm kernels', () => {
  for (const C of CHANNELS) for (const rows of [1, 2, 5]) {
    it(`forward and backward match the twins, C = ${C}, rows = ${rows}`, () => {
      const n = rows * C, eps = 1e-3;
      const x = rand(n, C * 10 + rows, -2, 3), gamma = rand(C, 3, 0.5, 2), beta = rand(C, 4), dy = rand(n, 9);
      const px = put(x), pdy = put(dy);
      for (const [g, b] of [[put(gamma), put(beta)], [0, 0]]) {
        const out = [0, 1].map(() => ({ y: put(new Float32Array(n)), mean: put(new Float32Array(rows)), rstd: put(new Float32Array(rows)) }));
        K.layernorm_forward(out[0].y, out[0].mean, out[0].rstd, px, g, b, rows, C, eps);
        K.layernorm_forward_ref(out[1].y, out[1].mean, out[1].rstd, px, g, b, rows, C, eps);
        expectClose(get(out[0].y, n), get(out[1].y, n), 1e-5, 'y');
        expectClose(get(out[0].mean, rows), get(out[1].mean, rows), 1e-6, 'mean');
        expectClose(get(out[0].rstd, rows), get(out[1].rstd, rows), 1e-5, 'rstd');
        const grads = [0, 1].map(() => ({ dx: put(new Float32Array(n).fill(0.5)), dg: put(new Float32Array(C).fill(0.5)), db: put(new Float32Array(C).fill(0.5)) }));
        K.layernorm_backward(grads[0].dx, grads[0].dg, grads[0].db, pdy, px, out[1].mean, out[1].rstd, g, rows, C);
        K.layernorm_backward_ref(grads[1].dx, grads[1].dg, grads[1].db, pdy, px, out[1].mean, out[1].rstd, g, rows, C);
        expectClose(get(grads[0].dx, n), get(grads[1].dx, n), 1e-5, 'dx');
        expectClose(get(grads[0].dg, C), get(grads[1].dg, C), 1e-5, 'dgamma');
        expectClose(get(grads[0].db, C), get(grads[1].db, C), 1e-6, 'dbeta');
        // a row's normalized values have mean 0 (checked without gamma/beta)
        if (!g) for (let r = 0; r < rows; r++) {
          const row = get(out[0].y, n).slice(r * C, r * C + C);
          expect(Math.abs(row.reduce((s, v) => s + v, 0) / C)).toBeLessThan(1e-5);
        }
      }
      freeAll();
    });
  }
});
