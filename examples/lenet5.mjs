// LeNet-5 on real handwritten digits (the `mnist` package: 10,000 digits): trains on 8,000 and
// their one-pixel shifts, then reports accuracy on 2,000 held-out digits it never trained on.
//   node examples/lenet5.mjs [--epochs N]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as nn from '../build/simdnn.mjs';
import { splitDigits, withShifts } from './mnist-data.mjs';
import { lenet5, LENET5_EPOCHS, LENET5_BATCH } from './lenet5-model.mjs';

const args = process.argv.slice(2);
const at = args.indexOf('--epochs');
const epochs = at >= 0 ? Number(args[at + 1]) : LENET5_EPOCHS;
if (!(Number.isInteger(epochs) && epochs > 0)) throw new Error(`--epochs must be a positive integer, got ${args[at + 1]}`);

const digitsDir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
const raw = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')).data);

await nn.ready();
nn.setSeed(42);
const { xTrain, yTrain, xTest, yTest, trainN, testN } = splitDigits(raw);
const train = withShifts(xTrain, yTrain, trainN);
console.log(`MNIST digits: ${trainN} for training (${train.n} with one-pixel shifts), ${testN} held out for testing`);

const model = lenet5(nn, { samples: train.n, epochs });
model.summary();
const t0 = performance.now();
await model.fit({ data: train.x, shape: [train.n, 28, 28, 1] }, { data: train.y, shape: [train.n, 10] },
  { epochs, batchSize: LENET5_BATCH, verbose: 1 });
const seconds = (performance.now() - t0) / 1000;

const [loss, acc] = model.evaluate({ data: xTest, shape: [testN, 28, 28, 1] }, { data: yTest, shape: [testN, 10] }, { batchSize: 256 });
console.log(`\nTest accuracy on ${testN} held-out digits: ${(acc.dataSync()[0] * 100).toFixed(2)}% ` +
  `(loss ${loss.dataSync()[0].toFixed(4)}); trained in ${seconds.toFixed(1)} s`);
