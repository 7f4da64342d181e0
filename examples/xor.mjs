// XOR: the classic problem a single perceptron cannot solve and a small MLP can.
import * as nn from '../build/simdnn.mjs';
import { exampleArgs } from './args.mjs';

const { epochs, seed } = exampleArgs({ epochs: 300, seed: 1 });
await nn.ready();
nn.setSeed(seed);
const x = nn.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const y = nn.tensor([[0], [1], [1], [0]]);
const model = nn.sequential({ layers: [
  nn.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
  nn.layers.dense({ units: 1, activation: 'sigmoid' }),
] });
model.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const history = await model.fit(x, y, { epochs, batchSize: 4, verbose: 0 });
console.log('final loss', history.history.loss.at(-1).toFixed(4));
console.log('predictions', Array.from(model.predict(x).dataSync(), (v) => v.toFixed(3)).join(' '));
