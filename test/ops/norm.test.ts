// Gradient checks (central differences) for the normalization ops, zero padding and maximum/minimum,
// and their refusals of bad input (memory left as it was).
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, checkGrad, expectClose } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

/** Points the layer's first weights at the given tensors, so gradients with respect to them are its weights'. */
function useAsWeights(layer: nn.layers.Layer, ts: nn.Tensor[]): void {
  ts.forEach((t, i) => { layer.weights[i].value = t; });
}

/** The same layer called on each input, in training or inference mode, as a function of x, gamma, beta. */
function bnLayer(shape: number[], training: boolean) {
  const C = shape[shape.length - 1];
  const layer = nn.layers.batchNormalization({ momentum: 0.5 });
  layer.apply(nn.zeros(shape));
  // moving statistics away from 0/1 so that inference mode is not the identity
  layer.setWeights([nn.ones([C]), nn.zeros([C]), nn.tensor(rand(C, 2)), nn.tensor(rand(C, 3, 0.5, 2))]);
  return (x: nn.Tensor, gamma: nn.Tensor, beta: nn.Tensor) => {
    useAsWeights(layer, [gamma, beta]);
    return layer.apply(x, { training }) as nn.Tensor;
  };
}

describe('batch normalization gradients', () => {
  for (const shape of [[6, 3], [3, 4, 5], [2, 3, 2, 9]]) {
    for (const training of [true, false]) {
      it(`${training ? 'training' : 'inference'} mode, input ${JSON.stringify(shape)}: dx, dgamma, dbeta`, () => {
        const C = shape[shape.length - 1];
        const size = shape.reduce((a, b) => a * b, 1);
        const x = nn.tensor(rand(size, size, -2, 2), shape);
        const gamma = nn.tensor(rand(C, 5, 0.5, 1.5)), beta = nn.tensor(rand(C, 6));
        // weight the output so the summed gradient is not trivially 0 (Σ of normalized values is 0)
        const w = nn.tensor(rand(size, 7), shape);
        const f = bnLayer(shape, training);
        checkGrad((x, g, b) => nn.mul(f(x, g, b), w), [x, gamma, beta], { eps: 1e-2, tol: 3e-3 });
      });
    }
  }

  it('matches tfjs batchNorm and its gradients with batch statistics', () => {
    const shape = [4, 3, 5];
    const xv = rand(60, 11, -2, 3), gv = rand(5, 12, 0.5, 2), bv = rand(5, 13), dyv = rand(60, 14);
    const f = bnLayer(shape, true);
    const [gx, gg, gb] = nn.grads((x: nn.Tensor, g: nn.Tensor, b: nn.Tensor) => nn.mul(f(x, g, b), nn.tensor(dyv, shape)))(
      [nn.tensor(xv, shape), nn.tensor(gv), nn.tensor(bv)]);
    const tfF = (x: any, g: any, b: any) => {
      const { mean, variance } = tf.moments(x, [0, 1]);
      return tf.mul(tf.batchNorm(x, mean, variance, b, g, 1e-3), tf.tensor(dyv, shape));
    };
    const [tx, tg, tb] = tf.grads(tfF)([tf.tensor(xv, shape), tf.tensor(gv), tf.tensor(bv)]);
    expectClose(f(nn.tensor(xv, shape), nn.tensor(gv), nn.tensor(bv)).dataSync(),
      tf.div(tfF(tf.tensor(xv, shape), tf.tensor(gv), tf.tensor(bv)), tf.tensor(dyv, shape)).dataSync() as Float32Array, 1e-4, 'y');
    expectClose(gx.dataSync(), tx.dataSync() as Float32Array, 1e-4, 'dx');
    expectClose(gg.dataSync(), tg.dataSync() as Float32Array, 1e-4, 'dgamma');
    expectClose(gb.dataSync(), tb.dataSync() as Float32Array, 1e-5, 'dbeta');
  });
});

describe('layer normalization gradients', () => {
  for (const shape of [[3, 7], [2, 3, 4]]) {
    it(`input ${JSON.stringify(shape)}: dx, dgamma, dbeta`, () => {
      const C = shape[shape.length - 1];
      const size = shape.reduce((a, b) => a * b, 1);
      const layer = nn.layers.layerNormalization();
      layer.apply(nn.zeros(shape));
      const f = (x: nn.Tensor, g: nn.Tensor, b: nn.Tensor) => {
        useAsWeights(layer, [g, b]);
        return layer.apply(x) as nn.Tensor;
      };
      const w = nn.tensor(rand(size, 3), shape);
      checkGrad((x, g, b) => nn.mul(f(x, g, b), w), [nn.tensor(rand(size, 4, -2, 2), shape), nn.tensor(rand(C, 5, 0.5, 1.5)), nn.tensor(rand(C, 6))],
        { eps: 1e-2, tol: 3e-3 });
    });
  }
});

describe('zero padding and maximum/minimum gradients', () => {
  it('zeroPadding2d passes the inner block of the gradient back', () => {
    const layer = nn.layers.zeroPadding2d({ padding: [[1, 0], [2, 1]] });
    const w = nn.tensor(rand(2 * 4 * 6 * 2, 1), [2, 4, 6, 2]);
    checkGrad((x) => nn.mul(layer.apply(x) as nn.Tensor, w), [nn.tensor(rand(2 * 3 * 3 * 2, 2), [2, 3, 3, 2])]);
  });

  it('maximum and minimum, same shape and broadcast', () => {
    for (const op of [nn.maximum, nn.minimum]) {
      const a = nn.tensor(rand(12, 1), [3, 4]), b = nn.tensor(rand(12, 2), [3, 4]), c = nn.tensor(rand(4, 3), [4]);
      checkGrad((a, b) => op(a, b), [a, b]);
      checkGrad((a, c) => nn.mul(op(a, c), nn.tensor(rand(12, 4), [3, 4])), [a, c]);
    }
    // ties go to the first input, as tfjs
    const [ga, gb] = nn.grads((a: nn.Tensor, b: nn.Tensor) => nn.maximum(a, b))([nn.tensor([1, 2, 3]), nn.tensor([1, 5, 0])]);
    expect(Array.from(ga.dataSync())).toEqual([1, 0, 1]);
    expect(Array.from(gb.dataSync())).toEqual([0, 1, 0]);
  });
});

describe('refusals', () => {
  it('bad input gives clear errors and leaves memory as it was', () => {
    const bn = nn.layers.batchNormalization();
    bn.apply(nn.zeros([2, 3]));
    const ln = nn.layers.layerNormalization();
    ln.apply(nn.zeros([2, 3]));
    const x4 = nn.zeros([2, 4]), x1 = nn.zeros([3]), empty = nn.zeros([0, 3]);
    const before = nn.memory();
    expect(() => bn.apply(x4, { training: true })).toThrow(/batch_normalization_\d+: was built for 3 channels \(the last axis\), got input \[2,4\]/);
    expect(() => bn.apply(x1)).toThrow(/was built for 3 channels/);
    expect(() => bn.apply(empty, { training: true })).toThrow(/cannot compute batch statistics of an empty batch \[0,3\]/);
    expect(() => ln.apply(x4)).toThrow(/layer_normalization_\d+: was built to normalize groups of 3 values, but input \[2,4\] has 4/);
    expect(() => nn.layers.zeroPadding1d().apply(x4)).toThrow(/zero_padding1d_\d+: expects inputs of rank 3 \(batch, steps, channels\), got \[2,4\]/);
    expect(() => nn.maximum(x4, x1)).toThrow(/maximum: shapes \[2,4\] and \[3\] cannot be broadcast together/);
    expect(nn.memory()).toEqual(before);
  });

  it('options are checked', () => {
    expect(() => nn.layers.batchNormalization({ momentum: 1.5 })).toThrow(/momentum must be a number in \[0, 1\], got 1.5/);
    expect(() => nn.layers.batchNormalization({ epsilon: 0 })).toThrow(/epsilon must be a number in \(0, Infinity\], got 0/);
    expect(() => nn.layers.batchNormalization({ center: 'yes' as any })).toThrow(/center must be true or false, got 'yes'/);
    expect(() => nn.layers.batchNormalization({ gammaConstraint: 'nonNeg' as any })).toThrow(/gammaConstraint is not supported/);
    expect(() => nn.layers.batchNormalization({ moment: 0.9 } as any)).toThrow(/unknown option 'moment'; known options: .*momentum/);
    expect(() => nn.layers.batchNormalization({ axis: 1 }).apply(nn.zeros([2, 3, 4]))).toThrow(/only the last axis \(-1\) can be the channel axis, got axis 1/);
    expect(() => nn.layers.layerNormalization({ axis: 1 }).apply(nn.zeros([2, 3, 4]))).toThrow(/axis 1 must name the trailing non-batch axes of input \[2,3,4\]/);
    expect(() => nn.layers.layerNormalization({ epsilon: -1 })).toThrow(/epsilon must be a number/);
    expect(() => nn.layers.zeroPadding2d({ padding: [1, 2, 3] as any })).toThrow(/padding must be a non-negative integer, a pair \[rows, columns\] or \[\[top, bottom\], \[left, right\]\], got \[1, 2, 3\]/);
    expect(() => nn.layers.zeroPadding1d({ padding: -1 })).toThrow(/padding must be a non-negative integer or a pair of them, got -1/);
    expect(() => nn.layers.zeroPadding2d({ dataFormat: 'channelsFirst' as any })).toThrow(/only dataFormat 'channelsLast' is supported/);
    expect(() => nn.layers.spatialDropout1d({ rate: 1 })).toThrow(/rate must be a number in \[0, 1\), got 1/);
    expect(() => nn.layers.spatialDropout2d({ rate: 0.1, sed: 1 } as any)).toThrow(/unknown option 'sed'/);
    expect(() => nn.layers.concatenate({ axis: 1.5 })).toThrow(/axis must be an integer, got 1.5/);
    expect(() => nn.layers.add({ axis: 1 } as any)).toThrow(/add_\d+: unknown option 'axis'/);
  });
});
