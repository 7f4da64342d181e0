import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

/** Builds the same layer in tfjs with our weights copied in. */
function twin(ours: any, make: () => any, inputShape: number[]) {
  const theirs = make();
  theirs.apply(tf.zeros([1, ...inputShape]));
  theirs.setWeights(ours.getWeights().map((w: any) => tf.tensor(w.dataSync(), w.shape)));
  return theirs;
}

describe('dense layer', () => {
  const acts: nn.ActivationIdentifier[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign'];
  for (const activation of acts) {
    it(`${activation}: forward and input/weight gradients match tfjs`, () => {
      const layer = nn.layers.dense({ units: 5, activation, inputShape: [7] });
      const x = rand(3 * 7, 11);
      const xs = nn.tensor(x, [3, 7]);
      const y = layer.apply(xs) as any;
      const theirs = twin(layer, () => tfl.layers.dense({ units: 5, activation: activation as any, inputShape: [7] }), [7]);
      const tx = tf.tensor(x, [3, 7]);
      expectClose(y.dataSync(), theirs.apply(tx).dataSync(), 1e-5, 'forward');
      // d(sum(y·w))/dx with a fixed weighting w, ours vs tfjs
      const w = rand(15, 12);
      const [gx] = nn.grads((a: any) => nn.mul(layer.apply(a) as any, nn.tensor(w, [3, 5])))([xs]);
      const tgx = tf.grad((a: any) => tf.sum(tf.mul(theirs.apply(a), tf.tensor(w, [3, 5]))))(tx);
      expectClose(gx.dataSync(), tgx.dataSync(), 1e-5, 'dx');
    });
  }

  it('kernel and bias gradients pass a finite-difference check', () => {
    const layer = nn.layers.dense({ units: 4, activation: 'tanh', inputShape: [6] }) as any;
    const x = nn.tensor(rand(5 * 6, 3), [5, 6]);
    layer.apply(x);
    const [kernel, bias] = [layer.kernel.value, layer.bias.value];
    const f = (a: any, W: any, b: any) => {
      const saved = [layer.kernel.value, layer.bias.value];
      layer.kernel.value = W; layer.bias.value = b;
      try { return layer.apply(a); } finally { [layer.kernel.value, layer.bias.value] = saved; }
    };
    checkGrad(f, [x, kernel, bias]);
  });

  it('applies to rank-3 inputs along the last axis', () => {
    const layer = nn.layers.dense({ units: 2, inputShape: [4, 3] });
    const y = layer.apply(nn.tensor(rand(2 * 4 * 3, 5), [2, 4, 3])) as any;
    expect(y.shape).toEqual([2, 4, 2]);
  });

  it('rejects bad configuration and bad inputs with clear errors', () => {
    expect(() => nn.layers.dense({ units: 0 })).toThrow(/units must be a positive integer/);
    // @ts-expect-error: not an activation name
    expect(() => nn.layers.dense({ units: 3, activation: 'nope' })).toThrow(/unknown activation 'nope'/);
    const layer = nn.layers.dense({ units: 3, name: 'd1', inputShape: [4] });
    layer.apply(nn.zeros([1, 4]));
    expect(() => layer.apply(nn.zeros([2, 5]))).toThrow(/d1: expected input with last dimension 4, got shape \[2,5\]/);
  });
});

describe('activation layers', () => {
  it('leakyReLU, elu, softmax and prelu match tfjs', () => {
    const x = rand(4 * 6, 21, -2, 2);
    const tx = tf.tensor(x, [4, 6]);
    const cases: Array<[any, any]> = [
      [nn.layers.leakyReLU({ alpha: 0.2 }), tfl.layers.leakyReLU({ alpha: 0.2 })],
      [nn.layers.elu(), tfl.layers.elu()],
      [nn.layers.softmax(), tfl.layers.softmax()],
      [nn.layers.activation({ activation: 'relu6' }), tfl.layers.activation({ activation: 'relu6' })],
    ];
    for (const [ours, theirs] of cases) {
      expectClose((ours.apply(nn.tensor(x, [4, 6])) as any).dataSync(), theirs.apply(tx).dataSync(), 1e-5, ours.className);
    }
    const p = nn.layers.prelu({ alphaInitializer: nn.initializers.constant({ value: 0.25 }) });
    const tp = tfl.layers.prelu({});
    tp.apply(tx);
    const y = p.apply(nn.tensor(x, [4, 6])) as any;
    tp.setWeights(p.getWeights().map((w: any) => tf.tensor(w.dataSync(), w.shape)));
    expectClose(y.dataSync(), (tp.apply(tx) as any).dataSync(), 1e-6, 'prelu');
  });

  it('prelu learns one slope per channel: gradients check out', () => {
    const alpha = nn.tensor([0.1, 0.2, 0.3]);
    const x = nn.tensor(rand(12, 9, -1, 1), [4, 3]);
    checkGrad((a: any, al: any) => nn.prelu(a, al), [x, alpha]);
  });
});
