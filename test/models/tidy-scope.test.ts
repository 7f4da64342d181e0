// What predict and evaluate return belongs to the caller's tidy scope, like any op's result.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

describe('model outputs inside nn.tidy', () => {
  const m = () => {
    const model = nn.sequential({ layers: [nn.layers.dense({ units: 2, inputShape: [3] })] });
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    return model;
  };
  const X = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];

  it('predict inside tidy leaks nothing, for one batch or several', () => {
    const model = m();
    const x = nn.tensor(X);
    for (const batchSize of [32, 2]) {
      const before = nn.memory().numTensors;
      for (let i = 0; i < 3; i++) nn.tidy(() => { model.predict(x, { batchSize }).dataSync(); });
      expect(nn.memory().numTensors).toBe(before);
    }
    x.dispose(); model.dispose();
  });

  it('evaluate inside tidy leaks nothing', () => {
    const model = m();
    const before = nn.memory().numTensors;
    nn.tidy(() => { (model.evaluate(X, [[1, 0], [0, 1], [1, 1]]) as nn.Tensor[]).map((t) => t.dataSync()); });
    expect(nn.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('a predict result returned from tidy survives it', () => {
    const model = m();
    const y = nn.tidy(() => model.predict(X));
    expect(y.isDisposed).toBe(false);
    expect(y.shape).toEqual([3, 2]);
    y.dispose(); model.dispose();
  });
});
