// L1/L2 regularizers: values and gradients against tfjs' tf.regularizers and finite differences.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from './setup';
import { tfReady } from './tfjs';

beforeAll(ready);

const R = nn.regularizers;

describe('regularizer values and gradients', () => {
  it('match tfjs l1, l2 and l1l2 (penalty λ·Σw², no ½)', async () => {
    const { tf, tfl } = await tfReady();
    const values = rand(37, 3, -2, 2);
    const w = nn.tensor(values, [37]);
    const pairs: Array<[nn.regularizers.Regularizer, any]> = [
      [R.l1(0.1), tfl.regularizers.l1({ l1: 0.1 })],
      [R.l2(0.3), tfl.regularizers.l2({ l2: 0.3 })],
      [R.l1l2({ l1: 0.05, l2: 0.2 }), tfl.regularizers.l1l2({ l1: 0.05, l2: 0.2 })],
      [R.l1l2(), tfl.regularizers.l1l2()],
    ];
    for (const [ours, theirs] of pairs) {
      const tw = tf.tensor1d(values);
      const penalty = ours.apply(w);
      expect(penalty.shape).toEqual([]);
      const ref = theirs.apply(tw);
      expectClose(penalty.dataSync(), ref.dataSync(), 1e-5, `${JSON.stringify(ours.getConfig())} value`);
      // tfjs differentiates abs as sign (0 at 0) too
      const g = nn.grad((x) => ours.apply(x))(w);
      const tg = tf.grad((x: any) => theirs.apply(x))(tw);
      expectClose(g.dataSync(), tg.dataSync(), 1e-5, `${JSON.stringify(ours.getConfig())} gradient`);
      penalty.dispose(); g.dispose();
      tw.dispose(); ref.dispose(); tg.dispose();
    }
    w.dispose();
  });

  it('hand formula on a small example; zero weights get no L1 push', () => {
    const w = nn.tensor([[1, -2], [0, 3]]);
    const r = R.l1l2({ l1: 0.5, l2: 0.25 });
    expectClose(r.apply(w).dataSync(), [0.5 * 6 + 0.25 * 14], 1e-7);
    expectClose(nn.grad((x) => r.apply(x))(w).dataSync(), [0.5 + 0.5, -0.5 - 1, 0, 0.5 + 1.5], 1e-7);
    w.dispose();
  });

  it('pass finite-difference gradient checks, also scaled by an upstream gradient', () => {
    const w = nn.tensor(rand(24, 5, 0.1, 1).map((v, i) => (i % 2 ? -v : v)), [4, 6]);
    checkGrad((x) => R.l2(0.7).apply(x), [w]);
    checkGrad((x) => R.l1l2({ l1: 0.2, l2: 0.4 }).apply(x), [w]);
    checkGrad((x) => nn.mul(R.l1(0.3).apply(x), nn.tensor(2.5)), [w]);
    w.dispose();
  });
});

describe('construction and lookup', () => {
  const { getRegularizer, Regularizer } = R;

  it('factories take a number or tfjs args; config and className are tfjs\'', () => {
    expect(R.l1(0.2).getConfig()).toEqual({ l1: 0.2, l2: 0 });
    expect(R.l1({ l1: 0.2 }).getConfig()).toEqual({ l1: 0.2, l2: 0 });
    expect(R.l2().getConfig()).toEqual({ l1: 0, l2: 0.01 });
    expect(R.l1l2({ l2: 1 }).getConfig()).toEqual({ l1: 0.01, l2: 1 });
    expect(R.l2(0.5).serialize()).toEqual({ className: 'L1L2', config: { l1: 0, l2: 0.5 } });
  });

  it('getRegularizer: null, instances, names, tfjs and Keras configs', () => {
    expect(getRegularizer(undefined, 'dense')).toBeNull();
    expect(getRegularizer(null, 'dense')).toBeNull();
    const r = R.l1(0.3);
    expect(getRegularizer(r, 'dense')).toBe(r);
    expect(getRegularizer('l2', 'dense')!.getConfig()).toEqual({ l1: 0, l2: 0.01 });
    expect(getRegularizer('l1l2', 'dense')!.getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(getRegularizer('l1_l2', 'dense')!.getConfig()).toEqual({ l1: 0.01, l2: 0.01 });
    expect(getRegularizer({ className: 'L1L2', config: { l1: 0, l2: 0.2 } }, 'dense')!.getConfig()).toEqual({ l1: 0, l2: 0.2 });
    expect(getRegularizer({ class_name: 'L2', config: { l2: 0.04 } }, 'dense')!.getConfig()).toEqual({ l1: 0, l2: 0.04 });
    expect(getRegularizer({ class_name: 'L1', config: { l1: 0.04 } }, 'dense')).toBeInstanceOf(Regularizer);
  });

  it('errors name the caller and the problem', () => {
    // @ts-expect-error: not a regularizer name
    expect(() => getRegularizer('l3', 'conv2d')).toThrow("conv2d: unknown regularizer 'l3'; known: l1, l2, l1l2 (L1, L2, L1L2)");
    expect(() => getRegularizer({ className: 'Dropout' }, 'dense')).toThrow(/dense: unknown regularizer 'Dropout'/);
    expect(() => R.l2(-1)).toThrow('l2: l2 must be a finite number >= 0 (got -1)');
    expect(() => R.l1l2({ l1: NaN })).toThrow(/l1l2: l1 must be a finite number >= 0 \(got NaN\)/);
    expect(() => getRegularizer({ className: 'L1L2', config: { l1: -2 } }, 'lstm')).toThrow(/lstm: l1 must be a finite number >= 0/);
  });
});
