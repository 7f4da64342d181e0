// Dense layers' weight gradients (kernel and bias) against tfjs-layers with the same weights:
// d sum(y · w) / d(kernel, bias) for a fixed weighting w, several activations, with and without bias.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const cases: Array<{ activation: string; useBias: boolean; inShape: number[] }> = [
  ...['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'relu6', 'hardSigmoid']
    .map((activation) => ({ activation, useBias: true, inShape: [4, 7] })),
  { activation: 'tanh', useBias: false, inShape: [4, 7] },
  { activation: 'relu', useBias: true, inShape: [2, 3, 7] }, // rank 3: the kernel gradient sums over both leading axes
];

describe('dense weight gradients against tfjs', () => {
  for (const { activation, useBias, inShape } of cases) {
    it(`${activation}${useBias ? '' : ', no bias'}, input [${inShape}]`, () => {
      const units = 5, rows = inShape.slice(0, -1).reduce((p, d) => p * d, 1);
      const ours = nn.layers.dense({ units, activation: activation as any, useBias, inputShape: [inShape.at(-1)!] });
      const x = rand(rows * 7, 71, -2, 2), w = rand(rows * units, 72);
      const xs = nn.tensor(x, inShape);
      ours.apply(xs); // builds the weights
      const theirs = tfl.layers.dense({ units, activation: activation as any, useBias, inputShape: [7] });
      theirs.apply(tf.zeros([1, 7]));
      theirs.setWeights(ours.getWeights().map((v) => tf.tensor(v.dataSync(), v.shape)));

      const params = ours.trainableWeights.map((v) => v.value);
      expect(params).toHaveLength(useBias ? 2 : 1);
      const outShape = [...inShape.slice(0, -1), units];
      const g = nn.grads(() => nn.mul(ours.apply(xs) as nn.Tensor, nn.tensor(w, outShape)))(params);

      const vars = theirs.trainableWeights.map((v: any) => v.read());
      const tx = tf.tensor(x, inShape), tw = tf.tensor(w, outShape);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(theirs.apply(tx) as any, tw)) as tf.Scalar, vars);
      vars.forEach((v: any, i: number) => {
        expect(g[i].shape).toEqual(v.shape);
        expectClose(g[i].dataSync(), grads[v.name].dataSync(), 1e-5, i === 0 ? 'kernel gradient' : 'bias gradient');
      });
      expect(g.some((t) => t.dataSync().some((v) => v !== 0))).toBe(true);
    });
  }
});
