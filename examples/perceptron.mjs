// Rosenblatt's perceptron: one dense unit with a sign output, trained with the perceptron loss
// on a linearly separable set (points above/below the line x1 + 2·x2 = 0.5).
import * as nn from '../build/simdnn.mjs';
import { exampleArgs } from './args.mjs';

const { epochs, seed } = exampleArgs({ epochs: 50, seed: 7 });
await nn.ready();
nn.setSeed(seed);
const n = 200;
const points = nn.randomUniform([n, 2], { minval: -1, maxval: 1 });
const p = points.arraySync();
const labels = nn.tensor(p.map(([a, b]) => [a + 2 * b > 0.5 ? 1 : -1]));

// Training uses the linear score (the perceptron loss needs it); the sign unit reads it out.
const score = nn.layers.dense({ units: 1, inputShape: [2] });
const model = nn.sequential({ layers: [score] });
model.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.1 }), loss: 'perceptron', metrics: ['accuracy'] });
await model.fit(points, labels, { epochs, batchSize: 1, verbose: 0 });

const classifier = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2], activation: 'sign' })] });
classifier.setWeights(model.getWeights());
const out = classifier.predict(points).dataSync();
const truth = labels.dataSync();
const correct = out.reduce((c, v, i) => c + (v === truth[i] ? 1 : 0), 0);
console.log(`perceptron: ${correct}/${n} points on the right side of the learned line`);
