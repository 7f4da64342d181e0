// Tensor methods (`x.square().sum()`): every one is the op of the same name with the tensor first,
// spelled as tfjs spells its chained ops (all but softsign, which tfjs lacks as an op), and chains
// give tfjs' values and the ops' gradients.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const x0 = rand(12, 1, 0.2, 2);

// method → the same call as a function, and its arguments (after the tensor).
const cases = (): Array<[string, (x: nn.Tensor, ...a: any[]) => any, any[]]> => [
  ['add', nn.add, [[1, 2, 3, 4]]], ['sub', nn.sub, [2]], ['mul', nn.mul, [[[2], [3], [4]]]], ['div', nn.div, [4]],
  ['maximum', nn.maximum, [1]], ['minimum', nn.minimum, [1]], ['pow', nn.pow, [2.5]], ['squaredDifference', nn.squaredDifference, [1]],
  ['equal', nn.equal, [1]], ['notEqual', nn.notEqual, [1]], ['greater', nn.greater, [1]], ['greaterEqual', nn.greaterEqual, [1]],
  ['less', nn.less, [1]], ['lessEqual', nn.lessEqual, [1]],
  ['matMul', nn.matMul, [nn.tensor(rand(8, 2), [4, 2])]], ['matMul', nn.matMul, [nn.tensor(rand(6, 3), [3, 2]), true]],
  ['sum', nn.sum, []], ['sum', nn.sum, [1, true]], ['mean', nn.mean, [0]], ['max', nn.max, [-1]], ['min', nn.min, [[0, 1]]],
  ['mod', nn.mod, [0.7]], ['floorDiv', nn.floorDiv, [0.7]], ['logicalAnd', nn.logicalAnd, [[0, 1, 1, 0]]],
  ['logicalOr', nn.logicalOr, [0]], ['logicalXor', nn.logicalXor, [1]], ['logicalNot', nn.logicalNot, []], ['isNaN', nn.isNaN, []],
  ['isInf', nn.isInf, []], ['isFinite', nn.isFinite, []], ['reverse', nn.reverse, [1]], ['logSumExp', nn.logSumExp, [1, true]],
  ['norm', nn.norm, [1, 0]],
  ['argMax', nn.argMax, []], ['argMax', nn.argMax, [-1]], ['argMin', nn.argMin, [1]],
  ['reshape', nn.reshape, [[2, 6]]], ['transpose', nn.transpose, []], ['squeeze', nn.squeeze, []],
  ['expandDims', nn.expandDims, [1]], ['slice', nn.slice, [[1, 0], [2, -1]]], ['gather', nn.gather, [[2, 0], 1]],
  ['unstack', nn.unstack, [1]], ['split', nn.split, [[1, 2], 0]], ['tile', nn.tile, [[2, 1]]],
  ['pad', nn.pad, [[[1, 0], [0, 2]], 7]], ['broadcastTo', nn.broadcastTo, [[2, 3, 4]]], ['clipByValue', nn.clipByValue, [0.5, 1.5]],
  ['cast', nn.cast, ['int32']], ['relu', nn.relu, []], ['relu6', nn.relu6, []], ['sigmoid', nn.sigmoid, []], ['tanh', nn.tanh, []],
  ['elu', nn.elu, []], ['selu', nn.selu, []], ['leakyRelu', nn.leakyRelu, [0.1]], ['softplus', nn.softplus, []],
  ['softsign', nn.softsign, []], ['step', nn.step, []], ['sign', nn.sign, []], ['softmax', nn.softmax, []],
  ['logSoftmax', nn.logSoftmax, []], ['exp', nn.exp, []], ['log', nn.log, []], ['sqrt', nn.sqrt, []], ['square', nn.square, []],
  ['neg', nn.neg, []], ['abs', nn.abs, []], ['floor', nn.floor, []], ['ceil', nn.ceil, []], ['round', nn.round, []],
  ['reciprocal', nn.reciprocal, []], ['rsqrt', nn.rsqrt, []], ['log1p', nn.log1p, []], ['expm1', nn.expm1, []],
];

const flat = (r: any): number[] => (r instanceof nn.Tensor ? Array.from(r.dataSync()) : r.flatMap ? r.flatMap(flat) : flat(r.values));

describe('tensor methods', () => {
  it('x.op(...args) is nn.op(x, ...args) for every method', () => {
    const x = nn.tensor(x0, [3, 4]);
    for (const [name, fn, args] of cases()) {
      const viaMethod = (x as any)[name](...args), viaOp = fn(x, ...args);
      expect(flat(viaMethod), name).toEqual(flat(viaOp));
    }
  });

  it('the methods not covered by a same-named op: flatten, clone, reshapeAs, as1D…as4D, asScalar, concat, stack, where, topk, toFloat/toInt/toBool', () => {
    const x = nn.tensor(x0, [3, 4]);
    expect(x.flatten().shape).toEqual([12]);
    expect(Array.from(x.flatten().dataSync())).toEqual(Array.from(x.dataSync()));
    const c = x.clone();
    expect(c).not.toBe(x);
    expect(Array.from(c.dataSync())).toEqual(Array.from(x.dataSync()));
    expect(x.reshapeAs(nn.zeros([4, 3])).shape).toEqual([4, 3]);
    expect([x.as1D().shape, x.as2D(6, 2).shape, x.as3D(2, 3, 2).shape, x.as4D(1, 2, 3, 2).shape]).toEqual([[12], [6, 2], [2, 3, 2], [1, 2, 3, 2]]);
    expect(nn.tensor([[5]]).asScalar().shape).toEqual([]);
    expect(x.concat(x, 1).shape).toEqual([3, 8]);
    expect(x.concat([x, x]).shape).toEqual([9, 4]);
    expect(x.stack(x).shape).toEqual([2, 3, 4]);
    expect(Array.from(x.where(nn.greater(x, 1), 0).dataSync())).toEqual(Array.from(x0, (v) => Math.fround(v > 1 ? v : 0)));
    expect(Array.from(x.topk(2).indices.dataSync())).toEqual(Array.from(nn.topk(x, 2).indices.dataSync()));
    expect(Array.from(nn.tensor([1.7, -1.7, 0]).toInt().dataSync())).toEqual([1, -1, 0]);
    expect(Array.from(nn.tensor([1.7, 0]).toBool().dataSync())).toEqual([1, 0]);
    expect(Array.from(nn.tensor([1.5]).toFloat().dataSync())).toEqual([1.5]);
  });

  it('a chain gives the values the same tfjs ops give', () => {
    // (tfjs-core alone does not install its chained ops; the test compares with its functions)
    const v = rand(24, 5), w = rand(8, 6);
    const ours = nn.tensor(v, [6, 4]).matMul(nn.tensor(w, [4, 2])).relu().add(0.1).square().mean(0).sqrt();
    const theirs = tf.sqrt(tf.mean(tf.square(tf.add(tf.relu(tf.matMul(tf.tensor(v, [6, 4]), tf.tensor(w, [4, 2]))), 0.1)), 0));
    expect(ours.shape).toEqual(theirs.shape);
    expectClose(ours.dataSync(), theirs.dataSync(), 1e-6, 'chain');
    const am = nn.tensor(v, [6, 4]).abs().pow(2).clipByValue(0, 0.5).argMax(-1);
    const tam = tf.argMax(tf.clipByValue(tf.pow(tf.abs(tf.tensor(v, [6, 4])), 2), 0, 0.5), -1);
    expect(Array.from(am.dataSync())).toEqual(Array.from(tam.dataSync()));
  });

  it('gradients flow through chains', () => {
    const a = nn.tensor(rand(6, 7), [2, 3]), b = nn.tensor(rand(3, 8, 0.5, 1.5), [3]);
    checkGrad((p, q) => p.mul(q).sub(p.square()).tanh().sum(1).exp(), [a, b]);
    checkGrad((p) => p.transpose().reshape([6]).slice(1, 4).neg().expandDims(0).squeeze(), [a]);
  });
});
