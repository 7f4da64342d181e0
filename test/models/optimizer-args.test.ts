// Optimizers take a learning rate as a number (tfjs: tf.train.adam(0.01)) and refuse option keys
// they do not know, instead of silently training at the default rate.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

const FACTORIES = ['sgd', 'momentum', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax', 'adamw'] as const;

describe('optimizer arguments', () => {
  it('a number is the learning rate, for every optimizer', () => {
    for (const name of FACTORIES) {
      const opt = (nn.optimizers as any)[name](0.0375);
      expect(opt.learningRate, name).toBe(0.0375);
      opt.dispose();
    }
  });

  it('sgd(0.5) trains at 0.5: one step moves a weight by lr·grad', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'zeros' })] });
    m.compile({ optimizer: nn.optimizers.sgd(0.5), loss: 'mse' });
    await m.trainOnBatch([[1]], [[1]]); // loss (w-1)², grad at w=0: -2 → w = 0.5·2 = 1
    expect(m.getWeights()[0].dataSync()[0]).toBeCloseTo(1, 6);
    m.dispose();
  });

  it('unknown keys are refused, naming the key and the known ones', () => {
    expect(() => nn.optimizers.adam({ lr: 0.01 } as any)).toThrow(/adam: unknown option 'lr'; known options: .*beta1.*learningRate/);
    expect(() => nn.optimizers.sgd({ learning_rate: 0.01 } as any)).toThrow(/sgd: unknown option 'learning_rate'; known options: .*learningRate.*momentum.*nesterov/);
    expect(() => nn.optimizers.adamw({ decay: 0.1 } as any)).toThrow(/adamw: unknown option 'decay'.*weightDecay/);
    expect(() => nn.optimizers.momentum({ beta1: 0.9 } as any)).toThrow(/momentum: unknown option 'beta1'/);
    for (const name of FACTORIES) expect(() => (nn.optimizers as any)[name]({ foo: 1 }), name).toThrow(/unknown option 'foo'/);
  });

  it('a learning rate that is not a non-negative finite number is refused', () => {
    expect(() => nn.optimizers.adam(-1)).toThrow(/learningRate/);
    expect(() => nn.optimizers.sgd('0.1' as any)).toThrow(/expected an options object or a learning rate/);
  });
});
