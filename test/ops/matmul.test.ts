import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const COMBOS: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

/** Stored shape of an operand whose op() has shape [r, c]. */
const stored = (r: number, c: number, t: boolean) => (t ? [c, r] : [r, c]);

describe('matMul', () => {
  it('matches tf.matMul for every transpose combination', () => {
    const [M, K, N] = [7, 13, 9];
    for (const [tA, tB] of COMBOS) {
      const sa = stored(M, K, tA), sb = stored(K, N, tB);
      const a = rand(M * K, 1), b = rand(K * N, 2);
      const y = nn.matMul(nn.tensor(a, sa), nn.tensor(b, sb), tA, tB);
      expect(y.shape).toEqual([M, N]);
      const ref = tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), tA, tB);
      expectClose(y.dataSync(), ref.dataSync(), 1e-5, `matMul tA=${tA} tB=${tB}`);
    }
  });

  it('matches tf.matMul on rank-3 batches, broadcasting a rank-2 or batch-1 operand', () => {
    const [B, M, K, N] = [3, 5, 6, 11];
    const cases: Array<[number | null, number | null]> = [[B, B], [B, null], [null, B], [1, B], [B, 1]];
    for (const [tA, tB] of COMBOS) {
      for (const [ba, bb] of cases) {
        const sa = [...(ba ? [ba] : []), ...stored(M, K, tA)], sb = [...(bb ? [bb] : []), ...stored(K, N, tB)];
        const a = rand(sa.reduce((x, y) => x * y), 3), b = rand(sb.reduce((x, y) => x * y), 4);
        const y = nn.matMul(nn.tensor(a, sa), nn.tensor(b, sb), tA, tB);
        expect(y.shape).toEqual([B, M, N]);
        const ref = tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), tA, tB);
        expectClose(y.dataSync(), ref.dataSync(), 1e-5, `matMul ${JSON.stringify(sa)}·${JSON.stringify(sb)} tA=${tA} tB=${tB}`);
      }
    }
  });

  it('gradients match finite differences for every transpose combination', () => {
    const [M, K, N] = [4, 6, 9];
    for (const [tA, tB] of COMBOS) {
      const a = nn.tensor(rand(M * K, 5), stored(M, K, tA));
      const b = nn.tensor(rand(K * N, 6), stored(K, N, tB));
      // A weighting makes every output element's gradient distinct.
      const w = nn.tensor(rand(M * N, 7), [M, N]);
      checkGrad((x, y) => nn.mul(nn.matMul(x, y, tA, tB), w), [a, b]);
      checkGrad((x) => nn.matMul(x, x, tA, !tA), [a]);
    }
    const a3 = nn.tensor(rand(2 * 3 * 4, 8), [2, 3, 4]), b3 = nn.tensor(rand(2 * 5 * 4, 9), [2, 5, 4]);
    checkGrad((x, y) => nn.matMul(x, y, false, true), [a3, b3]);
    // Broadcast operands: their gradient sums over the batch (folded and per-entry paths).
    const b2 = nn.tensor(rand(5 * 4, 10), [5, 4]), a2 = nn.tensor(rand(4 * 3, 11), [4, 3]);
    checkGrad((x, y) => nn.matMul(x, y, false, true), [a3, b2]);
    checkGrad((x, y) => nn.matMul(x, y, true, false), [a2, nn.tensor(rand(2 * 4 * 5, 12), [2, 4, 5])]);
    checkGrad((x, y) => nn.matMul(x, y, true, true), [a3, nn.tensor(rand(5 * 3, 13), [1, 5, 3])]);
  });

  it('names the shapes when they do not fit', () => {
    const a = nn.zeros([2, 3]), b = nn.zeros([4, 5]);
    expect(() => nn.matMul(a, b)).toThrow('matMul: inner dimensions 3 and 4 do not match (got [2,3] and [4,5])');
    expect(() => nn.matMul(a, b, true, true)).toThrow('matMul: inner dimensions 2 and 5 do not match (got [2,3] and [4,5])');
    expect(() => nn.matMul(a, nn.zeros([3]))).toThrow(/matMul: .*rank.*\(got \[2,3\] and \[3\]\)/);
    expect(() => nn.matMul(nn.zeros([2, 2, 3]), nn.zeros([3, 3, 4]))).toThrow(/matMul: batch dimensions 2 and 3 do not match/);
  });
});
