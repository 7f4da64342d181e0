// Broadcasting in add/sub/mul/div, every operand order, values and both gradients against tfjs.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const M = 3, N = 5;
// each pair is tried in both orders; divisors stay in [0.5, 2] so no quotient blows up
const shapes: Array<[string, number[], number[]]> = [
  ['scalar vs [m,n]', [], [M, N]],
  ['[n] vs [m,n]', [N], [M, N]],
  ['[m,1] vs [1,n]', [M, 1], [1, N]],
  ['[m,1] vs [m,n]', [M, 1], [M, N]],
  ['[1,n] vs [m,n]', [1, N], [M, N]],
  ['[2,1,n] vs [m,1]', [2, 1, N], [M, 1]],
  ['same shape [m,n]', [M, N], [M, N]],
];
const ops = ['add', 'sub', 'mul', 'div'] as const;
const size = (s: number[]) => s.reduce((p, d) => p * d, 1);

describe('broadcasting add/sub/mul/div against tfjs', () => {
  for (const [what, s1, s2] of shapes) {
    for (const [sa, sb, order] of [[s1, s2, 'a∘b'], [s2, s1, 'b∘a']] as const) {
      it(`${what}, ${order}: values and both gradients`, () => {
        const a = rand(size(sa), 31 + sa.length, 0.5, 2), b = rand(size(sb), 41 + sb.length, 0.5, 2);
        for (const op of ops) {
          const before = nn.memory().numTensors;
          const ta = nn.tensor(a, sa), tb = nn.tensor(b, sb);
          const fa = tf.tensor(a, sa), fb = tf.tensor(b, sb);
          const y = (nn as any)[op](ta, tb) as nn.Tensor, ty = (tf as any)[op](fa, fb);
          expect(y.shape, `${op} shape`).toEqual(ty.shape);
          expectClose(y.dataSync(), ty.dataSync(), 1e-6, `${op} values`);
          // gradients of sum(op(a, b) · w) with a fixed weighting w of the broadcast result
          const w = rand(size(ty.shape), 51);
          const [ga, gb] = nn.grads((p, q) => nn.mul((nn as any)[op](p, q), nn.tensor(w, ty.shape)))([ta, tb]);
          const [tga, tgb] = tf.grads((p: any, q: any) => tf.sum(tf.mul((tf as any)[op](p, q), tf.tensor(w, ty.shape))))([fa, fb]);
          expect(ga.shape).toEqual(sa);
          expect(gb.shape).toEqual(sb);
          expectClose(ga.dataSync(), tga.dataSync(), 1e-5, `${op} d/da`);
          expectClose(gb.dataSync(), tgb.dataSync(), 1e-5, `${op} d/db`);
          for (const t of [ta, tb, y, ga, gb]) t.dispose();
          expect(nn.memory().numTensors, `${op} leaves no tensor behind`).toBe(before);
          tf.dispose([fa, fb, ty, tga, tgb]);
        }
      });
    }
  }

  it('a JavaScript number on either side is a scalar', () => {
    const a = rand(M * N, 61, 0.5, 2);
    for (const op of ops) {
      const left = (nn as any)[op](2.5, nn.tensor(a, [M, N])) as nn.Tensor;
      const right = (nn as any)[op](nn.tensor(a, [M, N]), 2.5) as nn.Tensor;
      expectClose(left.dataSync(), (tf as any)[op](2.5, tf.tensor(a, [M, N])).dataSync(), 1e-6, `${op}(2.5, a)`);
      expectClose(right.dataSync(), (tf as any)[op](tf.tensor(a, [M, N]), 2.5).dataSync(), 1e-6, `${op}(a, 2.5)`);
    }
  });
});
