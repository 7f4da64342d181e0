// Conv1D / Conv2D layers: forward and gradients (input, kernel, bias) against tfjs-layers on the
// cpu backend with the same weights; finite differences where tfjs has no counterpart ('full',
// dilation with stride > 1); clear errors. (Memory over a CNN training run: conv-memory.test.ts.)
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

/** Gradients of sum(layer(x) · w) with respect to x and every weight, ours. */
function ourGrads(layer: any, x: any, w: any): Float32Array[] {
  const vars = layer.weights;
  const f = (a: any, ...ws: any[]) => {
    const saved = vars.map((v: any) => v.value);
    vars.forEach((v: any, i: number) => { v.value = ws[i]; });
    try { return nn.mul(layer.apply(a), w); } finally { vars.forEach((v: any, i: number) => { v.value = saved[i]; }); }
  };
  return nn.grads(f)([x, ...vars.map((v: any) => v.value)]).map((g) => g.dataSync());
}

/** The same gradients from tfjs-layers. */
function theirGrads(layer: any, tx: any, tw: any): Float32Array[] {
  const [gx] = tf.grads((a: any) => tf.sum(tf.mul(layer.apply(a), tw)))([tx]);
  const vars = layer.trainableWeights.map((v: any) => v.read());
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(tx), tw)) as any, vars);
  return [gx.dataSync() as Float32Array, ...vars.map((v: any) => grads[v.name].dataSync() as Float32Array)];
}

function compare(rank: 1 | 2, config: Record<string, unknown>, inputShape: number[], seed: number, grads = true): void {
  const make = rank === 2 ? 'conv2d' : 'conv1d';
  const ours = (nn.layers as any)[make]({ ...config, inputShape });
  const theirs = (tfl.layers as any)[make]({ ...config, inputShape });
  const shape = [2, ...inputShape];
  const xv = rand(shape.reduce((a, b) => a * b), seed, -1, 1);
  const x = nn.tensor(xv, shape), tx = tf.tensor(xv, shape);
  const y = ours.apply(x);
  theirs.apply(tx);
  // Our initial weights (with a non-zero bias) go into both.
  if (ours.bias) ours.bias.assign(nn.tensor(rand(ours.bias.value.size, seed + 1)), 'test');
  theirs.setWeights(ours.getWeights().map((t: any) => tf.tensor(t.dataSync(), t.shape)));
  const what = `${make} ${JSON.stringify(config)} input ${inputShape}`;
  const y2 = ours.apply(x), ty = theirs.apply(tx);
  expect(y2.shape, what).toEqual(ty.shape);
  expect(y.shape).toEqual(y2.shape);
  expectClose(y2.dataSync(), ty.dataSync(), 1e-5, `forward ${what}`);
  if (!grads) return;
  const wv = rand(y2.size, seed + 2);
  const mine = ourGrads(ours, x, nn.tensor(wv, y2.shape)), ref = theirGrads(theirs, tx, tf.tensor(wv, ty.shape));
  ['dx', 'dkernel', 'dbias'].slice(0, ref.length).forEach((name, i) => expectClose(mine[i], ref[i], 1e-4, `${name} ${what}`));
}

describe('conv2d layer matches tfjs-layers', () => {
  it('padding, strides, kernel sizes, activations, with and without bias', () => {
    let seed = 1;
    for (const padding of ['valid', 'same']) {
      compare(2, { filters: 4, kernelSize: 3, padding, activation: 'relu' }, [7, 6, 3], seed += 5);
      compare(2, { filters: 9, kernelSize: [2, 3], strides: 2, padding, activation: 'tanh' }, [8, 9, 2], seed += 5);
      compare(2, { filters: 3, kernelSize: 1, strides: [1, 2], padding, useBias: false }, [5, 5, 5], seed += 5);
      compare(2, { filters: 5, kernelSize: 4, strides: 3, padding, activation: 'sigmoid' }, [9, 10, 1], seed += 5);
    }
  });

  it("one input channel at stride 1 (LeNet's first layer: the width-vectorized kernel), activation fused", () => {
    compare(2, { filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }, [9, 20, 1], 30);
    compare(2, { filters: 5, kernelSize: [3, 4], padding: 'valid', activation: 'tanh' }, [6, 21, 1], 31);
    compare(1, { filters: 4, kernelSize: 5, padding: 'same', activation: 'elu' }, [30, 1], 32);
  });

  it('dilation (forward; tfjs has no dilated gradient)', () => {
    compare(2, { filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'relu' }, [9, 8, 2], 40, false);
    compare(2, { filters: 2, kernelSize: [2, 3], dilationRate: [3, 1], padding: 'valid' }, [9, 8, 3], 41, false);
  });
});

describe('conv1d layer matches tfjs-layers', () => {
  it('padding, strides, activations', () => {
    let seed = 60;
    for (const padding of ['valid', 'same']) {
      compare(1, { filters: 5, kernelSize: 3, padding, activation: 'relu' }, [11, 3], seed += 5);
      compare(1, { filters: 2, kernelSize: 4, strides: 2, padding, activation: 'elu' }, [9, 4], seed += 5);
    }
    compare(1, { filters: 3, kernelSize: 3, dilationRate: 2, padding: 'valid' }, [12, 2], seed += 5, false);
  });
});

describe('conv layers: finite-difference gradients of x, kernel and bias', () => {
  const check = (layer: any, shape: number[], seed: number) => {
    const x = nn.tensor(rand(shape.reduce((a, b) => a * b), seed), shape);
    layer.apply(x);
    const vars = layer.weights;
    const w = nn.tensor(rand(layer.apply(x).size, seed + 1));
    const f = (a: any, ...ws: any[]) => {
      const saved = vars.map((v: any) => v.value);
      vars.forEach((v: any, i: number) => { v.value = ws[i]; });
      try { return nn.mul(nn.reshape(layer.apply(a), [-1]), w); } finally { vars.forEach((v: any, i: number) => { v.value = saved[i]; }); }
    };
    checkGrad(f, [x, ...vars.map((v: any) => v.value)]);
  };
  it("'full' padding, dilation with stride > 1, even kernels, odd sizes", () => {
    check(nn.layers.conv2d({ filters: 3, kernelSize: 2, padding: 'full', activation: 'tanh' }), [2, 5, 3, 2], 1);
    check(nn.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2, padding: 'same' }), [1, 9, 7, 2], 2);
    check(nn.layers.conv2d({ filters: 2, kernelSize: [4, 3], strides: [2, 3], padding: 'valid', activation: 'softplus' }), [1, 7, 9, 3], 3);
    check(nn.layers.conv1d({ filters: 3, kernelSize: 3, strides: 2, dilationRate: 2, padding: 'full' }), [2, 7, 2], 4);
  });
});

describe('conv layers: clear errors', () => {
  it('refuses bad options', () => {
    expect(() => nn.layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' as any })).toThrow(/dataFormat 'channelsFirst' \(a string\) is not supported; only 'channelsLast'/);
    expect(() => nn.layers.conv2d({ filters: 2, kernelSize: 3, kernalSize: 2 } as any)).toThrow(/unknown option 'kernalSize'/);
    expect(() => nn.layers.conv2d({ filters: 0, kernelSize: 3 })).toThrow(/filters must be a positive integer, got 0/);
    expect(() => nn.layers.conv2d({ filters: 2, kernelSize: [3, -1] })).toThrow(/kernelSize must be a positive integer or 2 of them/);
    expect(() => nn.layers.conv1d({ filters: 2, kernelSize: 3, strides: [1, 1] })).toThrow(/strides must be a positive integer or 1 of them/);
    expect(() => nn.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'causal' as any })).toThrow(/padding must be 'valid', 'same', 'full'/);
    expect(() => nn.layers.conv2d({ filters: 2 } as any)).toThrow(/kernelSize is required/);
    expect(() => nn.layers.conv2d({ filters: 2, kernelSize: 3, kernelConstraint: 'maxNorm' as any })).toThrow(/kernelConstraint is not supported/);
  });

  it('refuses inputs that do not fit, naming the layer and shapes, leaving memory as it was', () => {
    expect(() => nn.sequential({ layers: [nn.layers.conv2d({ name: 'c', filters: 2, kernelSize: 5, inputShape: [4, 9, 1] })] }))
      .toThrow(/c \(input size 4 along spatial axis 1\): the kernel \(size 5\) is larger than the input \(size 4\)/);
    expect(() => nn.sequential({ layers: [nn.layers.conv2d({ name: 'c2', filters: 2, kernelSize: 3, inputShape: [28, 28] })] }))
      .toThrow(/c2: expects input of rank 4 \[batch, height, width, channels\], got shape \[null,28,28\]/);
    const layer = nn.layers.conv2d({ name: 'c3', filters: 2, kernelSize: 3 });
    layer.apply(nn.zeros([1, 5, 5, 3]));
    const wrong = nn.zeros([1, 5, 5, 2]), small = nn.zeros([1, 2, 5, 3]), flat = nn.zeros([5, 5]);
    const before = nn.memory();
    expect(() => layer.apply(wrong)).toThrow(/c3: the input has 2 channels but the filter expects 3 \(input \[1,5,5,2\], filter \[3,3,3,2\]\)/);
    expect(() => layer.apply(small)).toThrow(/c3 .*height: the kernel \(size 3\) is larger than the input \(size 2\)/);
    expect(() => layer.apply(flat)).toThrow(/c3: expects input of rank 4/);
    expect(nn.memory()).toEqual(before);
  });
});
