// Elementwise, dense-bias and PReLU kernels: SIMD vs scalar `_ref` twins at the SIMD tile edges
// (tile = 4 floats), plus the gather and non-finite helpers.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, kernelByName } from '../setup';

beforeAll(ready);

const SIZES = [1, 3, 4, 5, 8, 9, 17];

/** Runs SIMD and _ref on identical inputs; out is written in place into buffer 0. */
function twins(simd: string, ref: string, buffers: (n: number) => Float32Array[], call: (f: any, ptrs: number[]) => void, n: number) {
  const data = buffers(n);
  const a = data.map((d) => nn.tensor(d)), b = data.map((d) => nn.tensor(d));
  call(kernelByName(simd), a.map((t) => t.ptr));
  call(kernelByName(ref), b.map((t) => t.ptr));
  expect(Array.from(a[0].dataSync()), `${simd} n=${n}`).toEqual(Array.from(b[0].dataSync()));
  [...a, ...b].forEach((t) => t.dispose());
}

describe('core kernels: SIMD == _ref', () => {
  it('binary ops (add, sub, mul, div, max, min)', () => {
    for (const n of SIZES) for (let op = 0; op <= 5; op++) {
      twins('binary_f32_simd', 'binary_f32_ref', (m) => [new Float32Array(m), rand(m, 1), rand(m, 2, 0.5, 2)],
        (f, [y, a, b]) => f(y, a, b, n, op), n);
    }
  });

  it('axpy', () => {
    for (const n of SIZES) twins('axpy_f32', 'axpy_f32_ref', (m) => [rand(m, 3), rand(m, 4)], (f, [y, a]) => f(y, a, -0.75, n), n);
  });

  it('bias add and bias backward over rows × cols', () => {
    for (const cols of SIZES) for (const rows of [1, 3]) {
      twins('bias_add_f32', 'bias_add_f32_ref', () => [rand(rows * cols, 5), rand(cols, 6)], (f, [y, b]) => f(y, b, rows, cols), cols);
      twins('bias_backward_f32', 'bias_backward_f32_ref', () => [rand(cols, 7), rand(rows * cols, 8)], (f, [db, dy]) => f(db, dy, rows, cols), cols);
    }
  });

  it('prelu forward', () => {
    for (const ch of SIZES) {
      twins('prelu_forward', 'prelu_forward_ref', () => [new Float32Array(2 * ch), rand(2 * ch, 9), rand(ch, 10, 0, 0.5)],
        (f, [y, x, al]) => f(y, x, al, 2, ch), ch);
    }
  });
});

describe('helper kernels', () => {
  it('gather_rows copies the indexed rows', () => {
    const K = nn.internals.kernels();
    const x = nn.tensor([[1, 2], [3, 4], [5, 6]]);
    const y = nn.zeros([3, 2]);
    const idx = K.alloc(12);
    new Int32Array(K.memory.buffer, idx, 3).set([2, 0, 2]);
    K.gather_rows_f32(y.ptr, x.ptr, idx, 3, 2);
    K.free(idx);
    expect(Array.from(y.dataSync())).toEqual([5, 6, 1, 2, 5, 6]);
  });

  it('count_nonfinite counts NaN and ±Infinity', () => {
    const t = nn.tensor([1, NaN, Infinity, -Infinity, 0, 3.4e38]);
    expect(nn.internals.kernels().count_nonfinite_f32(t.ptr, t.size)).toBe(3);
  });
});
