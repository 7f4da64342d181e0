// Forecasting a noisy periodic series: from the last 24 values of sin(t/3)·cos(t/7) plus noise,
// predict the next clean value. A GRU, an LSTM, a simple (Elman) RNN and a Jordan RNN (its output fed
// back) of the same width, trained alike; one table of their held-out mean squared errors beside the "repeat the last value" baseline.
import * as nn from '../build/simdnn.mjs';
import { exampleArgs } from './args.mjs';

const { epochs, seed } = exampleArgs({ epochs: 30, seed: 1 });
await nn.ready();

const window = 24, count = 600;
let a = (seed * 2654435761) >>> 0;
const uniform = () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 4294967296; };
const clean = (t) => Math.sin(t / 3) * Math.cos(t / 7);
const series = Array.from({ length: count + window + 1 }, (_, t) => clean(t) + 0.1 * (uniform() + uniform() - 1));
const xs = new Float32Array(count * window), ys = new Float32Array(count);
for (let i = 0; i < count; i++) {
  for (let t = 0; t < window; t++) xs[i * window + t] = series[i + t];
  ys[i] = clean(i + window);
}
const split = 480; // the first 480 windows train, the last 120 (later in time) test
const x = nn.tensor(xs, [count, window, 1]);
const part = (t, from, to) => nn.slice(t, [from, ...t.shape.slice(1).map(() => 0)], [to - from, ...t.shape.slice(1)]);
const y = nn.tensor(ys, [count, 1]);
const [xTrain, yTrain, xTest, yTest] = [part(x, 0, split), part(y, 0, split), part(x, split, count), part(y, split, count)];

let baseline = 0;
for (let i = split; i < count; i++) baseline += (xs[i * window + window - 1] - ys[i]) ** 2;
baseline /= count - split;

console.log('model        parameters   test MSE');
for (const [name, make] of [['GRU', (o) => nn.layers.gru(o)], ['LSTM', (o) => nn.layers.lstm(o)], ['simple RNN', (o) => nn.layers.simpleRNN(o)],
  ['Jordan RNN', (o) => nn.layers.jordanRNN({ ...o, outputUnits: 4, outputActivation: 'tanh' })]]) {
  nn.setSeed(seed);
  const model = nn.sequential({ layers: [make({ units: 16, inputShape: [window, 1] }), nn.layers.dense({ units: 1 })] });
  model.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
  await model.fit(xTrain, yTrain, { epochs, batchSize: 32, verbose: 0 });
  const mse = model.evaluate(xTest, yTest).dataSync()[0];
  console.log(`${name.padEnd(12)} ${String(model.countParams()).padStart(10)}   ${mse.toFixed(5)}`);
}
console.log(`${'last value'.padEnd(12)} ${'0'.padStart(10)}   ${baseline.toFixed(5)}`);
