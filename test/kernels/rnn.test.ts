// The fused recurrent cells (assembly/kernels/rnn.ts): SIMD against their scalar `_ref` twins at
// the tile edges (units 1, 3, 4, 5, 8, 9 with 4-lane vectors), forward and backward, for every gate
// activation kind the cells allow; and the layout helpers against their twins.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { nn, ready, rand, rawBuffers, expectClose } from '../setup';

let K: any;
const { put, get, freeAll } = rawBuffers();
beforeAll(async () => { await ready(); K = nn.internals.kernels(); });
afterAll(freeAll);

const UNITS = [1, 3, 4, 5, 8, 9];
const B = 3;
// [act, ract]: tanh/sigmoid (the defaults), relu/hardSigmoid (clipped, piecewise), softsign/linear.
const KINDS: [number, number][] = [[3, 1], [4, 2], [10, 0]];

/** Runs `kernel` and `kernel_ref` on copies of the same buffers; compares the outputs named by index. */
function twin(name: string, buffers: Float32Array[], outs: number[], scalars: (ptrs: number[]) => number[], tol = 1e-6): void {
  const run = (fn: string) => {
    const ptrs = buffers.map((b) => put(b));
    K[fn](...scalars(ptrs));
    return outs.map((i) => get(ptrs[i], buffers[i].length));
  };
  const simd = run(name), ref = run(`${name}_ref`);
  simd.forEach((v, j) => expectClose(v, ref[j], tol, `${name} output ${outs[j]}`));
}

describe('recurrent cells: SIMD = scalar twin', () => {
  for (const u of UNITS) {
    for (const [act, ract] of KINDS) {
      it(`lstm cell, units ${u}, kinds ${act}/${ract}`, () => {
        const z = rand(B * 4 * u, u, -3, 3), cp = rand(B * u, u + 1), h = new Float32Array(B * u), c = new Float32Array(B * u);
        const rec = rand(B * 4 * u, u + 7, -1, 1);
        twin('lstm_cell_forward', [h, c, z, rec, cp], [0, 1, 2], ([ph, pc, pz, pr, pcp]) => [ph, pc, pz, pr, pcp, B, u, act, ract]);
        // backward from activated gates in (0, 1) and states in (-1, 1)
        const gates = rand(B * 4 * u, u + 2, 0.05, 0.95), dh = rand(B * u, u + 3), dhs = rand(B * u, u + 4);
        const dc = rand(B * u, u + 5), cc = rand(B * u, u + 6), dz = new Float32Array(B * 4 * u);
        for (const withSeq of [0, 1]) {
          twin('lstm_cell_backward', [dz, dc, dh, dhs, gates, cp, cc], [0, 1],
            ([pdz, pdc, pdh, pdhs, pz, pcp, pc]) => [pdz, pdc, pdh, withSeq ? pdhs : 0, pz, pcp, pc, B, u, act, ract]);
        }
      });
      it(`gru cells (both reset forms), units ${u}, kinds ${act}/${ract}`, () => {
        const z = rand(B * 3 * u, u, -3, 3), rec = rand(B * 3 * u, u + 1, -2, 2), brec = rand(3 * u, u + 2);
        const hp = rand(B * u, u + 3), h = new Float32Array(B * u), recH = new Float32Array(B * u);
        for (const withBias of [0, 1]) {
          twin('gru_cell_forward', [h, recH, z, rec, brec, hp], [0, 1, 2],
            ([ph, prh, pz, prec, pb, php]) => [ph, prh, pz, prec, withBias ? pb : 0, php, B, u, act, ract]);
        }
        const gates = rand(B * 3 * u, u + 4, 0.05, 0.95), dh = rand(B * u, u + 5), dhs = rand(B * u, u + 6);
        const dz = new Float32Array(B * 3 * u), drec = new Float32Array(B * 3 * u);
        twin('gru_cell_backward', [dz, drec, dh, dhs, gates, recH.map((_, i) => Math.sin(i)), hp], [0, 1, 2],
          ([pdz, pdr, pdh, pdhs, pz, prh, php]) => [pdz, pdr, pdh, pdhs, pz, prh, php, B, u, act, ract]);
        // reset before the recurrent matmul
        const rec2 = rand(B * 2 * u, u + 7, -2, 2), rh = new Float32Array(B * u), cand = rand(B * u, u + 8);
        twin('gru_reset_forward', [rh, z, rec2, hp], [0, 1], ([prh, pz, prec, php]) => [prh, pz, prec, php, B, u, ract]);
        twin('gru_candidate_forward', [h, gates, cand, hp], [0, 1], ([ph, pz, pc, php]) => [ph, pz, pc, php, B, u, act]);
        const dzh = new Float32Array(B * u), dzr = new Float32Array(B * 2 * u), drh = rand(B * u, u + 9);
        twin('gru_candidate_backward', [dz, dzh, dh, dhs, gates, hp], [0, 1, 2],
          ([pdz, pdzh, pdh, pdhs, pz, php]) => [pdz, pdzh, pdh, pdhs, pz, php, B, u, act, ract]);
        twin('gru_reset_backward', [rand(B * 3 * u, u + 10), dzr, rand(B * u, u + 11), drh, gates, hp], [0, 1, 2],
          ([pdz, pdzr, pdh, pdrh, pz, php]) => [pdz, pdzr, pdh, pdrh, pz, php, B, u, ract]);
      });
      it(`simple rnn step backward, units ${u}, kind ${act}`, () => {
        const y = rand(B * u, u, -0.9, 0.9), dh = rand(B * u, u + 1), dhs = rand(B * u, u + 2), dz = new Float32Array(B * u);
        twin('rnn_step_backward', [dz, dh, dhs, y], [0], ([pdz, pdh, pdhs, py]) => [pdz, pdh, pdhs, py, B * u, act]);
      });
    }
  }
});

describe('layout helpers: SIMD = scalar twin', () => {
  for (const F of [1, 3, 4, 5, 8, 9]) {
    it(`seq_permute_f32 with F = ${F}, every reversal, copy and accumulate`, () => {
      const D0 = 3, D1 = 5;
      for (const [rev0, rev1, acc] of [[0, 0, 0], [0, 1, 0], [1, 0, 1], [1, 1, 1]]) {
        twin('seq_permute_f32', [rand(D0 * D1 * F, F + 20), rand(D0 * D1 * F, F)], [0],
          ([py, px]) => [py, px, D0, D1, F, rev0, rev1, acc], 0);
      }
    });
  }
  for (const n of [1, 3, 4, 5, 8, 9]) {
    it(`seq_mask_rows_f32 with n = ${n}: only masked rows change, to a + b, a, or zeros`, () => {
      const rows = 5, mask = Float32Array.from([1, 0, 0.5, 0, 0]);
      for (const [withA, withB] of [[1, 1], [1, 0], [0, 0]]) {
        twin('seq_mask_rows_f32', [rand(rows * n, n + 30), rand(rows * n, n + 31), rand(rows * n, n + 32), mask], [0],
          ([pd, pa, pb, pm]) => [pd, withA ? pa : 0, withB ? pb : 0, pm, rows, n], 0);
      }
      // the semantics, not only the twins' agreement
      const d = rand(rows * n, n + 30), a = rand(rows * n, n + 31);
      const pd = put(d);
      K.seq_mask_rows_f32(pd, put(a), 0, put(mask), rows, n);
      const y = get(pd, rows * n);
      for (let r = 0; r < rows; r++) {
        const want = (mask[r] === 0 ? a : d).slice(r * n, (r + 1) * n);
        expectClose(y.slice(r * n, (r + 1) * n), want, 0, `row ${r}`);
      }
    });
  }
  for (const n of [1, 3, 4, 5, 8, 9, 12, 13]) {
    it(`rnn_mul_f32 (the recurrent-dropout mask) with n = ${n}, out of place and in place`, () => {
      const a = rand(n, n + 40), m = rand(n, n + 41, 0, 2);
      twin('rnn_mul_f32', [new Float32Array(n), a, m], [0], ([py, pa, pm]) => [py, pa, pm, n], 0);
      twin('rnn_mul_f32', [a, m], [0], ([pa, pm]) => [pa, pa, pm, n], 0);
      const pa = put(a);
      K.rnn_mul_f32(pa, pa, put(m), n);
      expectClose(get(pa, n), a.map((v, i) => v * m[i]), 0, 'a ∘ m');
    });
  }
  it('rnn_prev_state: the slice itself without a mask, else the masked copy in the other buffer', () => {
    const n = 5, T = 3, s = rand(T * n, 50), m = rand(n, 51);
    const ps = put(s), psm = put(new Float32Array(T * n)), pm = put(m);
    expect(K.rnn_prev_state(ps, psm, 0, 2, n)).toBe(ps + 2 * n * 4);
    expect(K.rnn_prev_state(ps, psm, pm, 2, n)).toBe(psm + 2 * n * 4);
    expectClose(get(psm + 2 * n * 4, n), s.slice(2 * n).map((v, i) => v * m[i]), 0, 'masked slice');
  });
  it('seq_permute_f32 swaps the batch and time axes (and reverses time when asked)', () => {
    const B = 2, T = 3, F = 2;
    const x = Float32Array.from({ length: B * T * F }, (_, i) => i);
    const px = put(x), py = put(new Float32Array(B * T * F));
    K.seq_permute_f32(py, px, B, T, F, 0, 1, 0);
    const y = get(py, B * T * F);
    // y[t, b, f] = x[b, T−1−t, f]
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let f = 0; f < F; f++) {
      expectClose([y[(t * B + b) * F + f]], [x[(b * T + (T - 1 - t)) * F + f]], 0, 'permuted');
    }
  });
});
