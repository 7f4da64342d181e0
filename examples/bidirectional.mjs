// A task only right-hand context solves: at every step, name the token that comes NEXT. A GRU that
// reads left to right cannot know it; the same GRU wrapped in `bidirectional` reads the sequence
// both ways and can. Integer labels at every step (many-to-many) with sparseCategoricalCrossentropy.
import * as nn from '../build/simdnn.mjs';
import { exampleArgs } from './args.mjs';

const { epochs, seed } = exampleArgs({ epochs: 40, seed: 1 });
await nn.ready();

const samples = 128, steps = 8, vocab = 5; // tokens 1..4; label 0 marks "no next token" at the end
function data(seedValue) {
  let a = seedValue >>> 0;
  const r = () => { a = (a * 1664525 + 1013904223) >>> 0; return a / 4294967296; };
  const ids = new Float32Array(samples * steps), labels = new Float32Array(samples * steps);
  for (let i = 0; i < ids.length; i++) ids[i] = 1 + Math.floor(r() * (vocab - 1));
  for (let b = 0; b < samples; b++) {
    for (let t = 0; t < steps; t++) labels[b * steps + t] = t + 1 < steps ? ids[b * steps + t + 1] : 0;
  }
  return { x: nn.tensor(ids, [samples, steps]), y: nn.tensor(labels, [samples, steps]) };
}
const train = data(seed + 100), test = data(seed + 200);

console.log('model          train loss  test accuracy');
for (const bidirectional of [false, true]) {
  nn.setSeed(seed);
  const gru = nn.layers.gru({ units: 16, returnSequences: true });
  const model = nn.sequential({ layers: [
    nn.layers.embedding({ inputDim: vocab, outputDim: 8, inputShape: [steps] }),
    bidirectional ? nn.layers.bidirectional({ layer: gru, mergeMode: 'concat' }) : gru,
    nn.layers.dense({ units: vocab, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.02 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(train.x, train.y, { epochs, batchSize: 16, verbose: 0 });
  const [, acc] = model.evaluate(test.x, test.y).map((t) => t.dataSync()[0]);
  const name = bidirectional ? 'bidirectional' : 'left-to-right';
  console.log(`${name.padEnd(15)}${history.history.loss.at(-1).toFixed(3).padStart(10)}  ${(100 * acc).toFixed(1).padStart(12)}%`);
}
