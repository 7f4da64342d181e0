// The binary ops (add/sub/mul/div, maximum, minimum, pow, squaredDifference, mod, floorDiv, the six
// comparisons and the logical ops) against tfjs-core (cpu) in every broadcasting operand order, with
// their gradients.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

/** Equal within tol; NaN and ±Infinity only where the reference has them. */
function sameValues(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-6): void {
  const special = (v: number) => (Number.isFinite(v) ? 'finite' : String(v));
  expect(Array.from(actual, special), `${what}: NaN/Infinity positions`).toEqual(Array.from(expected, special));
  const finite = (v: number) => (Number.isFinite(v) ? v : 0);
  expectClose(Array.from(actual, finite), Array.from(expected, finite), tol, what);
}

// Operand shape pairs: same shape, row vector either side, column against row, scalars either side, general.
const PAIRS: Array<[number[], number[]]> = [
  [[3, 4], [3, 4]], [[4], [3, 4]], [[3, 4], [4]], [[3, 1], [1, 4]], [[], [3, 4]], [[3, 4], []], [[2, 1, 3], [4, 1]],
];

/** Values on a 0.5 grid in [-2, 2]: ties for the comparisons and maximum/minimum. */
const grid = (n: number, seed: number) => Float32Array.from(rand(n, seed, -2, 2), (v) => Math.round(v * 2) / 2);
const size = (s: number[]) => s.reduce((a, d) => a * d, 1);

const OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'squaredDifference', 'mod', 'equal', 'notEqual',
  'greater', 'greaterEqual', 'less', 'lessEqual'] as const;

describe('binary ops match tfjs', () => {
  it('values and shapes for every operand order (NaN from pow where tfjs has it too)', () => {
    for (const [sa, sb] of PAIRS) {
      const va = grid(size(sa), size(sa) + 1), vb = grid(size(sb), size(sb) + 7);
      const a = nn.tensor(va, sa), b = nn.tensor(vb, sb);
      const ta = tf.tensor(va, sa), tb = tf.tensor(vb, sb);
      for (const name of OPS) {
        const y = (nn as any)[name](a, b), ty = (tf as any)[name](ta, tb);
        expect(y.shape, `${name} ${sa} ${sb}`).toEqual(ty.shape);
        sameValues(y.dataSync(), ty.dataSync(), `${name}([${sa}], [${sb}])`);
        y.dispose(); ty.dispose();
      }
      a.dispose(); b.dispose(); ta.dispose(); tb.dispose();
    }
  });

  it('plain numbers on either side', () => {
    const v = grid(6, 3);
    const x = nn.tensor(v, [2, 3]), tx = tf.tensor(v, [2, 3]);
    for (const name of OPS) {
      sameValues((nn as any)[name](x, 0.5).dataSync(), (tf as any)[name](tx, 0.5).dataSync(), `${name}(x, 0.5)`);
      sameValues((nn as any)[name](2, x).dataSync(), (tf as any)[name](2, tx).dataSync(), `${name}(2, x)`);
    }
  });

  it('pow with negative bases and integer exponents, and 0^0', () => {
    const a = [-2, -1.5, 0, 0, 3, -3], b = [3, 2, 0, -1, 0.5, 0.5];
    sameValues(nn.pow(a, b).dataSync(), tf.pow(a, b).dataSync(), 'pow');
  });

  it('maximum/minimum propagate NaN as tfjs', () => {
    const a = [NaN, 1, 2], b = [0, NaN, 1];
    sameValues(nn.maximum(a, b).dataSync(), tf.maximum(a, b).dataSync(), 'maximum');
    sameValues(nn.minimum(a, b).dataSync(), tf.minimum(a, b).dataSync(), 'minimum');
  });

  it('logical ops, isNaN/isInf/isFinite match tfjs (nonzero is true)', () => {
    for (const [sa, sb] of PAIRS) {
      const va = Float32Array.from(grid(size(sa), 2), (v) => (v > 0 ? 1 : 0)), vb = Float32Array.from(grid(size(sb), 3), (v) => (v > 0 ? 1 : 0));
      for (const name of ['logicalAnd', 'logicalOr', 'logicalXor'] as const) {
        const y = nn[name](nn.tensor(va, sa), nn.tensor(vb, sb)), ty = tf[name](tf.tensor(va, sa, 'bool'), tf.tensor(vb, sb, 'bool'));
        expect(y.shape).toEqual(ty.shape);
        expect(Array.from(y.dataSync()), `${name} ${sa} ${sb}`).toEqual(Array.from(ty.dataSync()));
      }
    }
    expect(Array.from(nn.logicalAnd([2, 0, NaN, -1], [0.5, 1, 1, -3]).dataSync())).toEqual([1, 0, 1, 1]);
    expect(Array.from(nn.logicalNot([2, 0, -0, NaN]).dataSync())).toEqual([0, 1, 1, 0]);
    const v = [1, NaN, Infinity, -Infinity, 0, -3];
    for (const name of ['isNaN', 'isInf', 'isFinite'] as const) {
      expect(Array.from(nn[name](v).dataSync()), name).toEqual(Array.from(tf[name](v).dataSync()));
    }
  });

  it('mod takes the sign of the divisor; floorDiv matches tfjs for nonzero divisors', () => {
    const a = [7, -7, 7, -7, 5.5, 0, 3], b = [3, 3, -3, -3, 2, 2, 0];
    sameValues(nn.mod(a, b).dataSync(), tf.mod(a, b).dataSync(), 'mod');
    // tfjs' floorDiv returns int32, where x/0 becomes 0; here it stays ±Infinity (or NaN for 0/0)
    sameValues(nn.floorDiv(a, b).dataSync(), [2, -3, -3, 2, 2, 0, Infinity], 'floorDiv');
    for (const [sa, sb] of PAIRS) {
      const va = grid(size(sa), 5), vb = Float32Array.from(grid(size(sb), 6), (v) => (v === 0 ? 1.5 : v));
      const y = nn.floorDiv(nn.tensor(va, sa), nn.tensor(vb, sb)), ty = tf.floorDiv(tf.tensor(va, sa), tf.tensor(vb, sb));
      expect(y.shape).toEqual(ty.shape);
      expect(Array.from(y.dataSync()), `floorDiv ${sa} ${sb}`).toEqual(Array.from(ty.dataSync()));
    }
  });

  it('comparisons give 0/1 float tensors', () => {
    const y = nn.greater([1, 2, 3], 2);
    expect(y.dtype).toBe('float32');
    expect(Array.from(y.dataSync())).toEqual([0, 0, 1]);
  });

  it('a shape mismatch is refused naming the op and shapes, leaving memory as it was', () => {
    const a = nn.zeros([2, 3]), c = nn.zeros([3, 3]);
    const before = nn.memory();
    expect(() => nn.maximum(a, [1, 2])).toThrow(/maximum: shapes \[2,3\] and \[2\] cannot be broadcast together/);
    expect(() => nn.lessEqual([[1, 2]], c)).toThrow(/lessEqual: shapes \[1,2\] and \[3,3\]/);
    expect(nn.memory().numTensors).toBe(before.numTensors);
    expect(nn.memory().numBytes).toBe(before.numBytes);
    a.dispose(); c.dispose();
  });

  it('ops on plain numbers do not leave tensors behind', () => {
    const x = nn.tensor([1, 2, 3]);
    const before = nn.memory().numTensors;
    const y = nn.pow(x, 2);
    expect(nn.memory().numTensors).toBe(before + 1);
    y.dispose(); x.dispose();
  });
});

describe('binary op gradients', () => {
  it('the arithmetic ops, maximum, minimum, pow, squaredDifference match finite differences in every operand order', () => {
    for (const [sa, sb] of PAIRS) {
      // distinct values (no ties) so that maximum/minimum are differentiable at the probes
      const a = nn.tensor(rand(size(sa), 11 + size(sa), 0.5, 2), sa);
      const b = nn.tensor(rand(size(sb), 23 + size(sb), 0.5, 2), sb);
      for (const name of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'squaredDifference', 'mod'] as const) {
        const w = nn.tensor(rand(size(nn.add(a, b).shape), 5), nn.add(a, b).shape);
        checkGrad((x, y) => nn.mul(nn[name](x, y), w), [a, b]);
      }
    }
  });

  it('pow: d/db is 0 where the base is not positive, as tfjs', () => {
    const va = [-2, 0, 1.5, 2], vb = [2, 3, 0.5, -1];
    const [ga, gb] = nn.grads((x, y) => nn.pow(x, y))([nn.tensor(va), nn.tensor(vb)]);
    const [ta, tb] = tf.grads((x: any, y: any) => tf.pow(x, y))([tf.tensor(va), tf.tensor(vb)]);
    sameValues(ga.dataSync(), ta.dataSync(), 'd/da');
    sameValues(gb.dataSync(), tb.dataSync(), 'd/db');
  });

  it('maximum/minimum route ties as tfjs', () => {
    // same shapes: tfjs' maximum/minimum gradients do not reduce over broadcast axes (checkGrad covers those)
    const va = [[1, 2, 3], [3, 2, 1]], vb = [[2, 2, 2], [2, 1, 2]];
    for (const name of ['maximum', 'minimum'] as const) {
      const [ga, gb] = nn.grads((x, y) => nn[name](x, y))([nn.tensor(va), nn.tensor(vb)]);
      const [ta, tb] = tf.grads((x: any, y: any) => (tf as any)[name](x, y))([tf.tensor(va), tf.tensor(vb)]);
      expect(Array.from(ga.dataSync()), name).toEqual(Array.from(ta.dataSync()));
      expect(Array.from(gb.dataSync()), name).toEqual(Array.from(tb.dataSync()));
    }
  });

  it('comparisons, floorDiv and the logical ops pass no gradient', () => {
    const x = nn.tensor([1, 2, 3.5]);
    for (const name of ['equal', 'notEqual', 'greater', 'greaterEqual', 'less', 'lessEqual', 'floorDiv', 'logicalAnd', 'logicalOr'] as const) {
      const g = nn.grad((t) => nn.add(nn.mul(nn[name](t, 2), t), 0))(x);
      const plain = nn.grad((t) => nn.mul(nn[name](x, 2), t))(x);
      expect(Array.from(g.dataSync()), name).toEqual(Array.from(plain.dataSync()));
    }
  });
});
