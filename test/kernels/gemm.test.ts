// gemm_f32 (packed, register-tiled, cache-blocked, with shortcuts for skinny shapes) against its
// scalar twin gemm_f32_ref, at the edges of every kernel's tile and of the cache blocks, for every
// transpose combination.
import { describe, it, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from '../setup';

beforeAll(ready);

function heap(): Float32Array { return new Float32Array(nn.internals.kernels().memory.buffer); }

function upload(values: Float32Array): number {
  const ptr = nn.internals.kernels().alloc(Math.max(16, values.length * 4));
  heap().set(values, ptr >>> 2);
  return ptr;
}

function download(ptr: number, n: number): Float32Array { return heap().slice(ptr >>> 2, (ptr >>> 2) + n); }

const GUARD = 8;

/** Runs both kernels on the same inputs and starting C, returns [fast, ref]. */
function both(M: number, N: number, K: number, tA: number, tB: number, acc: number, seed: number): [Float32Array, Float32Array] {
  const K_ = nn.internals.kernels();
  const a = upload(rand(M * K, seed)), b = upload(rand(K * N, seed + 1));
  // C is followed by guard values that no store may touch.
  const c0 = new Float32Array(M * N + GUARD).fill(1234.5);
  c0.set(rand(M * N, seed + 2));
  const c = upload(c0), cRef = upload(c0);
  K_.gemm_f32(c, a, b, M, N, K, tA, tB, acc);
  K_.gemm_f32_ref(cRef, a, b, M, N, K, tA, tB, acc);
  const guard = download(c + M * N * 4, GUARD);
  if (guard.some((v) => v !== 1234.5)) throw new Error(`gemm M=${M} N=${N} K=${K}: wrote past the end of C`);
  const out: [Float32Array, Float32Array] = [download(c, M * N), download(cRef, M * N)];
  for (const p of [a, b, c, cRef]) K_.free(p);
  return out;
}

// Tile edges (micro-tile 4 rows × 8 columns up to 8 rows and on the relaxed build, else 5 × 8;
// 1–2 rows take the row kernels, 16 columns or 4 dot products wide) and sizes that cross the
// cache blocks (KC = 512, MC = 120, NC = 1024).
const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17];
const LARGE: Array<[number, number, number]> = [[257, 300, 263], [300, 257, 513], [130, 1030, 300], [64, 10, 784], [33, 17, 1100],
  [10, 9, 20], [11, 24, 513], [121, 18, 40], [6, 13, 30], // 5-row tiles: 2, 2 + 1, MC + 1; 6 rows
  [1, 37, 1101], [2, 1030, 300]]; // 1–2 rows: the row-by-row path

describe('gemm_f32 vs gemm_f32_ref', () => {
  for (const [tA, tB] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
    it(`transA=${tA} transB=${tB}: every combination of small sizes, accumulate 0 and 1`, () => {
      let seed = 1;
      for (const M of SIZES) for (const N of SIZES) for (const K of SIZES) {
        for (const acc of [0, 1]) {
          const [fast, ref] = both(M, N, K, tA, tB, acc, seed += 3);
          expectClose(fast, ref, 1e-5, `gemm M=${M} N=${N} K=${K} tA=${tA} tB=${tB} acc=${acc}`);
        }
      }
    });

    it(`transA=${tA} transB=${tB}: sizes crossing cache blocks`, () => {
      for (const [M, N, K] of LARGE) {
        for (const acc of [0, 1]) {
          const [fast, ref] = both(M, N, K, tA, tB, acc, M + N + K + acc);
          expectClose(fast, ref, 1e-4, `gemm M=${M} N=${N} K=${K} tA=${tA} tB=${tB} acc=${acc}`);
        }
      }
    });
  }

  it('K = 0 gives C = 0, or leaves C unchanged when accumulating', () => {
    const [set] = both(3, 4, 0, 0, 0, 0, 7);
    expectClose(set, new Float32Array(12), 0);
    const [kept, ref] = both(3, 4, 0, 0, 0, 1, 7);
    expectClose(kept, ref, 0);
  });
});
