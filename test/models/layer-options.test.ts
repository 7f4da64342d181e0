// The core layers refuse option keys they do not know (a misspelling would otherwise be ignored).
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

describe('layer options', () => {
  it('every core layer names an unknown key and lists the known ones', () => {
    const L = nn.layers as any;
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['dense', { units: 2, activaton: 'relu' }, /unknown option 'activaton'; known options: .*activation.*units/],
      ['activation', { activation: 'relu', alpha: 1 }, /unknown option 'alpha'/],
      ['dropout', { rate: 0.5, noise_shape: [1] }, /unknown option 'noise_shape'/],
      ['flatten', { dataFormat: 'channelsFirst', foo: 1 }, /unknown option/],
      ['reshape', { targetShape: [2], shape: [2] }, /unknown option 'shape'/],
      ['leakyReLU', { alpha: 0.1, slope: 0.2 }, /unknown option 'slope'/],
      ['elu', { alpha: 1, beta: 1 }, /unknown option 'beta'/],
      ['softmax', { axis: -1, dim: 1 }, /unknown option 'dim'/],
      ['prelu', { alphaInit: 'zeros' }, /unknown option 'alphaInit'/],
      ['swish', { beta: 1, gamma: 2 }, /unknown option 'gamma'/],
    ];
    for (const [name, args, msg] of cases) expect(() => L[name](args), name).toThrow(msg);
  });

  it('the options every layer takes are accepted', () => {
    const d = nn.layers.dense({ units: 2, name: 'd_opts', inputShape: [3], trainable: false, dtype: 'float32' });
    expect(d.name).toBe('d_opts');
    const s = nn.layers.swish({ beta: 2, trainable: true });
    expect(s.trainable).toBe(true);
  });
});
