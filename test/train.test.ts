// nn.train.*: tfjs' optimizer factories with tfjs' positional arguments, stepped side by side
// with tf.train.* (tfjs-core, cpu backend) on the same parameters and gradients.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from './setup';
import { tfReady, tf } from './tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const N = 9; // a SIMD body and a tail
const P0 = rand(N, 3);
const GRADS = [rand(N, 4, -2, 2), rand(N, 5, -2, 2), rand(N, 6, -2, 2)];

/** Parameters after each step with ours (one arena) and theirs (one tf.variable). */
function stepBoth(ours: any, theirs: any): [Float32Array[], Float32Array[]] {
  const p = nn.tensor(P0), v = tf.variable(tf.tensor(P0));
  const a: Float32Array[] = [], b: Float32Array[] = [];
  for (const g of GRADS) {
    const gt = nn.tensor(g);
    ours.applyGradients(p.ptr, gt.ptr, N, [{ name: 'w', offset: 0, size: N }]);
    gt.dispose();
    a.push(p.dataSync());
    const tg = tf.tensor(g);
    theirs.applyGradients({ [v.name]: tg });
    tg.dispose();
    b.push(v.dataSync() as Float32Array);
  }
  p.dispose(); v.dispose(); ours.dispose(); theirs.dispose();
  return [a, b];
}

describe('nn.train matches tf.train with the same positional arguments', () => {
  const cases: Array<[string, any[]]> = [
    ['sgd', [0.5]], ['momentum', [0.1, 0.9]], ['momentum', [0.1, 0.8, true]],
    ['adagrad', [0.2]], ['adagrad', [0.2, 0.5]],
    ['adadelta', []], ['adadelta', [0.5, 0.9, 1e-6]],
    ['rmsprop', [0.01]], ['rmsprop', [0.01, 0.8, 0.7, 1e-7]], // centered with epsilon 0: with eps > 0 the centered forms differ on purpose (see src/optimizers/index.ts)
    ['rmsprop', [0.01, 0.8, 0.5, 0, true]],
    ['adam', []], ['adam', [0.01, 0.9, 0.999, 1e-7]], ['adam', [0.05, 0.5, 0.6, 1e-3]],
    ['adamax', []], ['adamax', [0.05, 0.5, 0.6, 1e-3]], ['adamax', [0.01, undefined, undefined, null, 0]],
  ];
  for (const [name, args] of cases) {
    it(`${name}(${args.map(String).join(', ')})`, () => {
      const [a, b] = stepBoth((nn.train as any)[name](...args), (tf.train as any)[name](...args));
      a.forEach((x, i) => expectClose(x, b[i], 2e-6, `${name} step ${i + 1}`));
      expect(Math.max(...a[2].map((v, i) => Math.abs(v - P0[i])))).toBeGreaterThan(1e-4); // it moved
    });
  }

  it('builds the same optimizer classes as nn.optimizers', () => {
    expect(nn.train.adam(0.01)).toBeInstanceOf(nn.optimizers.AdamOptimizer);
    expect(nn.train.momentum(0.1, 0.9)).toBeInstanceOf(nn.optimizers.MomentumOptimizer);
    expect(nn.train.sgd(0.5).getConfig()).toEqual(nn.optimizers.sgd({ learningRate: 0.5 }).getConfig());
    expect(nn.train.rmsprop(0.01, 0.8).getConfig()).toEqual(nn.optimizers.rmsprop({ learningRate: 0.01, rho: 0.8 }).getConfig());
  });

  it('refuses a missing learning rate where tfjs requires one, and a nonzero adamax decay', () => {
    expect(() => (nn.train.sgd as any)()).toThrow(/train.sgd: learningRate must be a number \(got undefined\)/);
    expect(() => (nn.train.momentum as any)(0.1)).toThrow(/train.momentum: momentum must be a number/);
    expect(() => nn.train.adamax(0.01, 0.9, 0.999, 1e-7, 0.1)).toThrow(/train.adamax: a learning-rate decay is not supported/);
    expect(() => nn.train.adam(0.01, 2)).toThrow(/beta1/);
  });
});
