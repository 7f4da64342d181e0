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

  it('matches tf.matMul on a rank-3 batch', () => {
    const [B, M, K, N] = [3, 5, 6, 11];
    for (const [tA, tB] of COMBOS) {
      const sa = [B, ...stored(M, K, tA)], sb = [B, ...stored(K, N, tB)];
      const a = rand(B * M * K, 3), b = rand(B * K * N, 4);
      const y = nn.matMul(nn.tensor(a, sa), nn.tensor(b, sb), tA, tB);
      expect(y.shape).toEqual([B, M, N]);
      const ref = tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), tA, tB);
      expectClose(y.dataSync(), ref.dataSync(), 1e-5, `batched matMul tA=${tA} tB=${tB}`);
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
  });

  it('names the shapes when they do not fit', () => {
    const a = nn.zeros([2, 3]), b = nn.zeros([4, 5]);
    expect(() => nn.matMul(a, b)).toThrow('matMul: inner dimensions 3 and 4 do not match (got [2,3] and [4,5])');
    expect(() => nn.matMul(a, b, true, true)).toThrow('matMul: inner dimensions 2 and 5 do not match (got [2,3] and [4,5])');
    expect(() => nn.matMul(a, nn.zeros([3]))).toThrow(/matMul: .*rank.*\(got \[2,3\] and \[3\]\)/);
    expect(() => nn.matMul(nn.zeros([2, 2, 3]), nn.zeros([3, 3, 4]))).toThrow(/matMul: batch dimensions 2 and 3 do not match/);
  });
});
