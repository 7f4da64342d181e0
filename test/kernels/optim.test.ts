// Optimizer kernels: SIMD vs scalar `_ref` twins at the SIMD tile edges (tile = 4 floats).
// Both share their per-element step, so the default build must agree bit for bit.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, relaxed, kernelByName } from '../setup';

beforeAll(ready);

const SIZES = [1, 3, 4, 5, 8, 17];

/** Runs `call(kernelName, buffers)` on two identical buffer sets, SIMD and _ref, 3 steps, and compares. */
function twins(name: string, buffers: number, call: (fn: (...a: number[]) => void, ptrs: number[], n: number, step: number) => void,
  init: (which: number, n: number) => Float32Array = (which, n) => rand(n, 10 + which, which >= 2 ? 0 : -1, 1)): void {
  for (const n of SIZES) {
    const make = () => Array.from({ length: buffers }, (_, b) => nn.tensor(init(b, n)));
    const a = make(), b = make();
    for (let step = 1; step <= 3; step++) {
      // a fresh gradient (buffer 1) each step, the same in both sets
      const g = rand(n, 100 * step + n, -2, 2);
      a[1].dispose(); b[1].dispose();
      a[1] = nn.tensor(g); b[1] = nn.tensor(g);
      call(kernelByName(name), a.map((t) => t.ptr), n, step);
      call(kernelByName(`${name}_ref`), b.map((t) => t.ptr), n, step);
    }
    a.forEach((t, i) => {
      const x = t.dataSync(), y = b[i].dataSync();
      if (relaxed) expectClose(x, y, 1e-5, `${name} n=${n} buffer ${i}`);
      else expect(Array.from(x), `${name} n=${n} buffer ${i}`).toEqual(Array.from(y));
      expect(x.every(Number.isFinite)).toBe(true);
    });
    [...a, ...b].forEach((t) => t.dispose());
  }
}

describe('optimizer kernels: SIMD == _ref', () => {
  it('sgd_update', () => twins('sgd_update', 2, (f, [p, g], n) => f(p, g, n, 0.1)));
  it('momentum_update, plain and Nesterov', () => {
    twins('momentum_update', 3, (f, [p, g, v], n) => f(p, g, v, n, 0.1, 0.9, 0));
    twins('momentum_update', 3, (f, [p, g, v], n) => f(p, g, v, n, 0.1, 0.9, 1));
  });
  it('adagrad_update', () => twins('adagrad_update', 3, (f, [p, g, a], n) => f(p, g, a, n, 0.1, 1e-7)));
  it('adadelta_update', () => twins('adadelta_update', 4, (f, [p, g, a, u], n) => f(p, g, a, u, n, 1, 0.95, 1e-7)));
  it('rmsprop_update, plain and centered', () => {
    twins('rmsprop_update', 4, (f, [p, g, ms, mom], n) => f(p, g, ms, mom, 0, n, 0.01, 0.9, 0.5, 1e-7, 0));
    twins('rmsprop_update', 5, (f, [p, g, ms, mom, mg], n) => f(p, g, ms, mom, mg, n, 0.01, 0.9, 0.5, 1e-7, 1),
      // mean square must stay above the squared mean gradient, as it does when both start at 0
      (which, n) => which === 2 ? new Float32Array(n).fill(4) : which === 4 ? new Float32Array(n) : rand(n, 10 + which));
  });
  it('adam_update, adamax_update, adamw_update', () => {
    twins('adam_update', 4, (f, [p, g, m, v], n, step) => f(p, g, m, v, n, 0.01, 0.9, 0.999, 1e-7, step));
    twins('adamax_update', 4, (f, [p, g, m, u], n, step) => f(p, g, m, u, n, 0.01, 0.9, 0.999, 1e-7, step));
    twins('adamw_update', 4, (f, [p, g, m, v], n, step) => f(p, g, m, v, n, 0.01, 0.9, 0.999, 1e-7, step, 0.1));
  });
  it('scale_inplace and clip_value_inplace', () => {
    twins('scale_inplace', 2, (f, [x], n) => f(x, n, -0.75));
    twins('clip_value_inplace', 2, (f, [, g], n) => f(g, n, 0.5));
  });
  it('clip_value_inplace clamps to [-c, c] and keeps NaN', () => {
    for (const fn of ['clip_value_inplace', 'clip_value_inplace_ref']) {
      const x = nn.tensor([-3, -0.5, 0.2, 0.5, 7, NaN, -Infinity, 1e-3, 2]);
      kernelByName(fn)(x.ptr, x.size, 0.5);
      expect(Array.from(x.dataSync()), fn).toEqual([-0.5, -0.5, Math.fround(0.2), 0.5, 0.5, NaN, -0.5, Math.fround(1e-3), 0.5]);
      x.dispose();
    }
  });
  it('sum_squares matches an f64 sum and is the same on every call', () => {
    const K = nn.internals.kernels();
    for (const n of [...SIZES, 1023, 1024, 1025, 5000]) {
      const v = rand(n, n, -3, 3);
      const x = nn.tensor(v);
      let exact = 0;
      for (const e of v) exact += e * e;
      const s = K.sum_squares(x.ptr, n);
      expectClose([s], [exact], 1e-6, `sum_squares n=${n}`);
      expectClose([K.sum_squares_ref(x.ptr, n)], [exact], 1e-12, `sum_squares_ref n=${n}`);
      expect(K.sum_squares(x.ptr, n)).toBe(s);
      x.dispose();
    }
  });
});
