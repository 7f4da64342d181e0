// LeNet-5 on real handwritten digits (the `mnist` package: 10,000 digits): trains on 8,000 — each
// epoch a fresh random small rotation, scaling and shift of every one — then reports accuracy on
// the 2,000 held-out digits it never trained on.
//   node examples/lenet5.mjs [--epochs N] [--seed N]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as nn from '../build/simdnn.mjs';
import { exampleArgs } from './args.mjs';
import { splitDigits } from './mnist-data.mjs';
import { lenet5, distortedDigits, LENET5_EPOCHS } from './lenet5-model.mjs';

const { epochs, seed } = exampleArgs({ epochs: LENET5_EPOCHS, seed: 42 });
const digitsDir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
const raw = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')).data);

await nn.ready();
nn.setSeed(seed);
const { xTrain, yTrain, xTest, yTest, trainN, testN } = splitDigits(raw);
console.log(`MNIST digits: ${trainN} for training, ${testN} held out for testing`);

const model = lenet5(nn, { samples: trainN, epochs });
model.summary();
const t0 = performance.now();
await model.fit(distortedDigits(xTrain, yTrain, trainN, seed), { epochs, verbose: 1 });
const seconds = (performance.now() - t0) / 1000;

const [loss, acc] = model.evaluate({ data: xTest, shape: [testN, 28, 28, 1] }, { data: yTest, shape: [testN, 10] }, { batchSize: 256 });
console.log(`\nTest accuracy on ${testN} held-out digits: ${(acc.dataSync()[0] * 100).toFixed(2)}% ` +
  `(loss ${loss.dataSync()[0].toFixed(4)}); trained in ${seconds.toFixed(1)} s`);
