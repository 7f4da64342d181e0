// A small ResNet on real handwritten digits (the `mnist` package): a strided stem convolution,
// residual blocks (3×3 convolutions with batch normalization; identity shortcuts, and a strided
// 1×1-projection shortcut where the shape changes), global average pooling and a softmax.
// Trains on 8,000 digits and reports accuracy on 2,000 held-out ones.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as nn from '../build/simdnn.mjs';
import { splitDigits } from './mnist-data.mjs';
import { exampleArgs } from './args.mjs';

const digitsDir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
const raw = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(digitsDir, `${d}.json`), 'utf8')).data);

const { epochs, seed } = exampleArgs({ epochs: 3, seed: 42 });
await nn.ready();
nn.setSeed(seed);
const { xTrain, yTrain, xTest, yTest, trainN, testN } = splitDigits(raw);
console.log(`MNIST digits: ${trainN} for training, ${testN} held out for testing`);

const L = nn.layers;
// momentum 0.9: the moving statistics used at test time settle within this short run (0.99 needs ~500 steps)
const convBn = (x, filters, kernelSize, strides = 1) =>
  L.batchNormalization({ momentum: 0.9 }).apply(L.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false }).apply(x));
const relu = (x) => L.activation({ activation: 'relu' }).apply(x);

/** y = relu(F(x) + shortcut(x)); the shortcut projects with a strided 1×1 convolution when the shape changes. */
function residualBlock(x, filters, strides = 1) {
  const f = convBn(relu(convBn(x, filters, 3, strides)), filters, 3);
  const changes = strides !== 1 || x.shape[3] !== filters;
  return relu(L.add().apply([f, changes ? convBn(x, filters, 1, strides) : x]));
}

const input = nn.input({ shape: [28, 28, 1] });
let x = relu(convBn(input, 16, 3, 2)); // 14×14×16
x = residualBlock(x, 16);               // identity shortcut
x = residualBlock(x, 32, 2);            // 7×7×32, projection shortcut
x = residualBlock(x, 32);
const output = L.dense({ units: 10, activation: 'softmax' }).apply(L.globalAveragePooling2d().apply(x));
const model = nn.model({ inputs: input, outputs: output, name: 'small_resnet' });
model.compile({ optimizer: nn.optimizers.adam({ learningRate: 3e-3 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
model.summary(90);

const t0 = performance.now();
await model.fit({ data: xTrain, shape: [trainN, 28, 28, 1] }, { data: yTrain, shape: [trainN, 10] },
  { epochs, batchSize: 64, verbose: 1 });
const seconds = (performance.now() - t0) / 1000;

const [loss, acc] = model.evaluate({ data: xTest, shape: [testN, 28, 28, 1] }, { data: yTest, shape: [testN, 10] }, { batchSize: 256 });
console.log(`\nTest accuracy on ${testN} held-out digits: ${(acc.dataSync()[0] * 100).toFixed(2)}% ` +
  `(loss ${loss.dataSync()[0].toFixed(4)}); trained in ${seconds.toFixed(1)} s`);
