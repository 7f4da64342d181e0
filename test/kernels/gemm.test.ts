// gemm_f32 (packed, register-tiled, cache-blocked, with shortcuts for skinny shapes) against its
// scalar twin gemm_f32_ref, at the edges of every kernel's tile and of the cache blocks, for every
// transpose combination; then the BLAS-style entry points (gemm_f32_strided with leading
// dimensions and row ranges, gemm_pack_b + gemm_f32_packed) against gemm_f32_strided_ref.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, rawBuffers } from '../setup';

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
  K_.gemm_f32(c, a, b, M, N, K, tA, tB, acc, nn.internals.gemmWorkspace());
  K_.gemm_f32_ref(cRef, a, b, M, N, K, tA, tB, acc);
  const guard = download(c + M * N * 4, GUARD);
  if (guard.some((v) => v !== 1234.5)) throw new Error(`gemm M=${M} N=${N} K=${K}: wrote past the end of C`);
  const out: [Float32Array, Float32Array] = [download(c, M * N), download(cRef, M * N)];
  for (const p of [a, b, c, cRef]) K_.free(p);
  return out;
}

// Tile edges (micro-tile 4 rows × 8 columns up to 8 rows, for M ≤ 64 a multiple of 4 but not of 5,
// and on the relaxed build, else 5 × 8;
// 1–2 rows take the row kernels, 16 columns or 4 dot products wide) and sizes that cross the
// cache blocks (KC = 512, MC = 120, NC = 1024).
const SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17];
const LARGE: Array<[number, number, number]> = [[257, 300, 263], [300, 257, 513], [130, 1030, 300], [64, 10, 784], [33, 17, 1100],
  [10, 9, 20], [11, 24, 513], [121, 18, 40], [6, 13, 30], // 5-row tiles: 2, 2 + 1, MC + 1; 6 rows
  [1, 37, 1101], [2, 1030, 300], // 1–2 rows: the row-by-row path
  [32, 130, 300], [12, 40, 600], [44, 9, 520]]; // 4-row panels above 8 rows (M a multiple of 4, not of 5)

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

// ---- The BLAS-style entry points: leading dimensions, row ranges, a pack-once B --------------

const SENTINEL = -777.25;
const ws = () => nn.internals.gemmWorkspace();

/** A rows×cols matrix stored with rows `ld` elements apart; the gaps hold SENTINEL. */
function strided(rows: number, cols: number, ld: number, seed: number): Float32Array {
  const out = new Float32Array(Math.max(rows * ld, 1)).fill(SENTINEL);
  const v = rand(rows * cols, seed);
  for (let r = 0; r < rows; r++) out.set(v.subarray(r * cols, (r + 1) * cols), r * ld);
  return out;
}

/** Every element of C outside rows [m0, m1) × columns [0, N) still holds what it started with. */
function expectUntouched(c: Float32Array, c0: Float32Array, ldc: number, N: number, m0: number, m1: number, what: string): void {
  for (let i = 0; i < c.length; i++) {
    const r = Math.floor(i / ldc), col = i % ldc;
    if (r >= m0 && r < m1 && col < N) continue;
    if (c[i] !== c0[i] && !(Number.isNaN(c[i]) && Number.isNaN(c0[i]))) {
      throw new Error(`${what}: wrote outside its window at row ${r}, column ${col}`);
    }
  }
}

/** Rows [m0, m1) × columns [0, N) of a C with rows ldc apart, as a dense array. */
function windowOf(c: Float32Array, ldc: number, N: number, m0: number, m1: number): Float32Array {
  const out = new Float32Array((m1 - m0) * N);
  for (let r = m0; r < m1; r++) out.set(c.subarray(r * ldc, r * ldc + N), (r - m0) * N);
  return out;
}

interface Case { M: number; N: number; K: number; tA: number; tB: number; acc: number; seed: number }

/** A and B with padded rows (ld = width + 3 / + 5), C a column slice of a wider matrix. */
function operands({ M, N, K, tA, tB, seed }: Case) {
  const [ar, ac] = tA ? [K, M] : [M, K], [br, bc] = tB ? [N, K] : [K, N];
  const lda = ac + 3, ldb = bc + 5, ldc = N + 7;
  const a = strided(ar, ac, lda, seed), b = strided(br, bc, ldb, seed + 1);
  const c0 = strided(M, N, ldc, seed + 2);
  return { a, b, c0, lda, ldb, ldc };
}

/** gemm_f32_strided over rows [m0, m1) next to gemm_f32_strided_ref over the same rows. */
function stridedVsRef(cs: Case, ranges: Array<[number, number]>): { fast: Float32Array; ref: Float32Array; c0: Float32Array; ldc: number } {
  const K_ = nn.internals.kernels();
  const bufs = rawBuffers();
  try {
    const { a, b, c0, lda, ldb, ldc } = operands(cs);
    const ap = bufs.put(a), bp = bufs.put(b), cp = bufs.put(c0), rp = bufs.put(c0);
    for (const [m0, m1] of ranges) {
      K_.gemm_f32_strided(cp, ldc, ap, lda, bp, ldb, cs.M, cs.N, cs.K, m0, m1, cs.tA, cs.tB, cs.acc, ws());
      K_.gemm_f32_strided_ref(rp, ldc, ap, lda, bp, ldb, cs.M, cs.N, cs.K, m0, m1, cs.tA, cs.tB, cs.acc);
    }
    return { fast: bufs.get(cp, c0.length), ref: bufs.get(rp, c0.length), c0, ldc };
  } finally {
    bufs.freeAll();
  }
}

// MR − 1, MR, MR + 1 for both tiles (4 and 5 rows), 8 ± 1, 16 ± 1, and the row-by-row paths.
const EDGE = [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17];
const FORMS = [[0, 0], [1, 0], [0, 1], [1, 1]];

describe('gemm_f32_strided: leading dimensions wider than the matrices', () => {
  for (const [tA, tB] of FORMS) {
    it(`transA=${tA} transB=${tB}: tile edges; C is a column slice, the columns beside it untouched`, () => {
      let seed = 100;
      for (const M of EDGE) for (const N of EDGE) for (const K of [1, 4, 5, 9, 17]) {
        for (const acc of [0, 1]) {
          const cs = { M, N, K, tA, tB, acc, seed: seed += 3 };
          const what = `strided M=${M} N=${N} K=${K} tA=${tA} tB=${tB} acc=${acc}`;
          const { fast, ref, c0, ldc } = stridedVsRef(cs, [[0, M]]);
          expectUntouched(fast, c0, ldc, N, 0, M, what);
          expectClose(windowOf(fast, ldc, N, 0, M), windowOf(ref, ldc, N, 0, M), 1e-5, what);
        }
      }
    });

    it(`transA=${tA} transB=${tB}: sizes crossing the cache blocks (K > KC, M > MC, N > 16)`, () => {
      for (const [M, N, K] of [[121, 33, 600], [2, 70, 1030], [9, 12, 513], [40, 1030, 20]]) {
        for (const acc of [0, 1]) {
          const cs = { M, N, K, tA, tB, acc, seed: M + N + K };
          const what = `strided M=${M} N=${N} K=${K} tA=${tA} tB=${tB} acc=${acc}`;
          const { fast, ref, c0, ldc } = stridedVsRef(cs, [[0, M]]);
          expectUntouched(fast, c0, ldc, N, 0, M, what);
          expectClose(windowOf(fast, ldc, N, 0, M), windowOf(ref, ldc, N, 0, M), 1e-4, what);
        }
      }
    });
  }

  it('K = 0 zeroes the window (or leaves it, accumulating) and nothing else', () => {
    for (const acc of [0, 1]) {
      const { fast, c0, ldc } = stridedVsRef({ M: 3, N: 5, K: 0, tA: 0, tB: 0, acc, seed: 9 }, [[0, 3]]);
      expectUntouched(fast, c0, ldc, 5, 0, 3, 'K=0');
      expectClose(windowOf(fast, ldc, 5, 0, 3), acc ? windowOf(c0, ldc, 5, 0, 3) : new Float32Array(15), 0, 'K=0');
    }
  });
});

describe('gemm_f32_strided: row ranges', () => {
  // Splits at odd rows, of the row-by-row (M ≤ 2), 4-row (M ≤ 8) and 5-row tile paths and across MC = 120.
  const SPLITS: Array<[number, number, number, Array<[number, number]>]> = [
    [2, 19, 30, [[0, 1], [1, 2]]],
    [7, 13, 9, [[0, 3], [3, 4], [4, 7]]],
    [13, 21, 530, [[0, 1], [1, 6], [6, 13]]],
    [251, 40, 70, [[0, 3], [3, 121], [121, 250], [250, 251]]],
  ];
  for (const [tA, tB] of FORMS) {
    it(`transA=${tA} transB=${tB}: each range writes only its rows; together they give the whole product, bit for bit`, () => {
      for (const [M, N, K, ranges] of SPLITS) {
        for (const acc of [0, 1]) {
          const cs = { M, N, K, tA, tB, acc, seed: 7 * M + N };
          const what = `rows M=${M} N=${N} K=${K} tA=${tA} tB=${tB} acc=${acc}`;
          // One range alone touches nothing outside it.
          const [m0, m1] = ranges[1];
          const one = stridedVsRef(cs, [[m0, m1]]);
          expectUntouched(one.fast, one.c0, one.ldc, N, m0, m1, `${what} range [${m0},${m1})`);
          expectClose(windowOf(one.fast, one.ldc, N, m0, m1), windowOf(one.ref, one.ldc, N, m0, m1), 1e-4, what);
          // All ranges: the same bits as one call over [0, M).
          const split = stridedVsRef(cs, ranges), whole = stridedVsRef(cs, [[0, M]]);
          expectClose(split.fast, whole.fast, 0, `${what} split vs whole`);
          expectClose(windowOf(split.fast, split.ldc, N, 0, M), windowOf(split.ref, split.ldc, N, 0, M), 1e-4, what);
        }
      }
    });
  }
});

describe('gemm_pack_b + gemm_f32_packed', () => {
  /** Packs op(B) once, overwrites B, then runs 3 products against the packed copy. */
  function packedRuns(M: number, N: number, K: number, tA: number, tB: number, ranges: Array<[number, number]> = [[0, M]]): void {
    const K_ = nn.internals.kernels();
    const bufs = rawBuffers();
    try {
      const { b, ldb } = operands({ M, N, K, tA, tB, acc: 0, seed: 5 });
      const bp = bufs.put(b);
      const size = K_.gemm_pack_b_size(K, N);
      expect(size).toBe(Math.ceil(N / 8) * 8 * K * 4);
      const packed = bufs.put(new Float32Array(size / 4 + 8).fill(SENTINEL));
      K_.gemm_pack_b(packed, bp, ldb, K, N, tB);
      // It wrote exactly its size: the guard after it is intact.
      expect([...bufs.get(packed + size, 8)]).toEqual(new Array(8).fill(SENTINEL));
      const bRef = bufs.put(b);
      // B itself is never read again: poison it.
      new Float32Array(K_.memory.buffer).fill(NaN, bp >>> 2, (bp >>> 2) + b.length);
      for (let call = 0; call < 3; call++) {
        const acc = call === 2 ? 1 : 0;
        const { a, c0, lda, ldc } = operands({ M, N, K, tA, tB, acc, seed: 31 * call + M });
        const ap = bufs.put(a), cp = bufs.put(c0), rp = bufs.put(c0);
        for (const [m0, m1] of ranges) {
          K_.gemm_f32_packed(cp, ldc, ap, lda, packed, M, N, K, m0, m1, tA, acc, ws());
          K_.gemm_f32_strided_ref(rp, ldc, ap, lda, bRef, ldb, M, N, K, m0, m1, tA, tB, acc);
        }
        const what = `packed M=${M} N=${N} K=${K} tA=${tA} tB=${tB} call ${call}`;
        const fast = bufs.get(cp, c0.length), ref = bufs.get(rp, c0.length);
        expectUntouched(fast, c0, ldc, N, 0, M, what);
        expectClose(windowOf(fast, ldc, N, 0, M), windowOf(ref, ldc, N, 0, M), 1e-4, what);
      }
    } finally {
      bufs.freeAll();
    }
  }

  for (const [tA, tB] of FORMS) {
    it(`transA=${tA} transB=${tB}: tile edges, B packed once and used by 3 calls (the last accumulating)`, () => {
      for (const M of [1, 2, 3, 4, 5, 6, 9]) for (const N of [1, 7, 8, 9, 17]) for (const K of [1, 3, 4, 5, 8, 9]) packedRuns(M, N, K, tA, tB);
    });

    it(`transA=${tA} transB=${tB}: K crossing KC, N crossing NC, split rows`, () => {
      packedRuns(32, 512, 600, tA, tB, [[0, 7], [7, 32]]);
      packedRuns(125, 9, 1100, tA, tB, [[0, 121], [121, 125]]);
      packedRuns(6, 1030, 40, tA, tB);
    });
  }
});
