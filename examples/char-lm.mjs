// A character-level language model: an LSTM reads 40 characters of public-domain verse (Shakespeare's
// sonnets 18, 116 and 130 and Hamlet's soliloquy, Genesis 1 in the King James Version, the start of
// Poe's "The Raven"; char-lm-text.txt) and predicts the next character at every step. It prints the
// perplexity per epoch, then text sampled at two temperatures.
import * as nn from '../build/simdnn.mjs';
import { readFileSync } from 'node:fs';
import { exampleArgs } from './args.mjs';

const { epochs, seed } = exampleArgs({ epochs: 20, seed: 1 });
await nn.ready();
nn.setSeed(seed);

const text = readFileSync(new URL('./char-lm-text.txt', import.meta.url), 'utf8');
const chars = [...new Set(text)].sort();
const id = new Map(chars.map((c, i) => [c, i]));
const window = 40, stride = 3;
const starts = [];
for (let s = 0; s + window + 1 <= text.length; s += stride) starts.push(s);
const xs = new Float32Array(starts.length * window), ys = new Float32Array(starts.length * window);
starts.forEach((s, n) => {
  for (let t = 0; t < window; t++) {
    xs[n * window + t] = id.get(text[s + t]);
    ys[n * window + t] = id.get(text[s + t + 1]);
  }
});
console.log(`${text.length} characters, ${chars.length} distinct; ${starts.length} windows of ${window}`);

const model = nn.sequential({ layers: [
  nn.layers.embedding({ inputDim: chars.length, outputDim: 24, inputShape: [window] }),
  nn.layers.lstm({ units: 128, returnSequences: true }),
  nn.layers.dense({ units: chars.length, activation: 'softmax' }),
] });
model.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.01, clipNorm: 5 }), loss: 'sparseCategoricalCrossentropy' });
const x = nn.tensor(xs, [starts.length, window]), y = nn.tensor(ys, [starts.length, window]);
await model.fit(x, y, {
  epochs, batchSize: 32, shuffle: true, verbose: 0,
  callbacks: { onEpochEnd: (epoch, logs) => console.log(`epoch ${epoch + 1} perplexity ${Math.exp(logs.loss).toFixed(2)}`) },
});

// Sampling: feed the last `window` characters, draw the next one from p^(1/temperature).
let state = seed * 2654435761 >>> 0;
const uniform = () => { state = (state * 1664525 + 1013904223) >>> 0; return state / 4294967296; };
function sample(prompt, length, temperature) {
  let out = prompt;
  for (let i = 0; i < length; i++) {
    const ctx = out.slice(-window).padStart(window, ' ');
    const probs = nn.tidy(() => model.predict(nn.tensor([[...ctx].map((c) => id.get(c) ?? id.get(' '))])).dataSync());
    const last = probs.subarray((window - 1) * chars.length);
    const w = Array.from(last, (p) => Math.pow(p, 1 / temperature));
    const total = w.reduce((a, b) => a + b, 0);
    let r = uniform() * total, k = 0;
    while (k < w.length - 1 && (r -= w[k]) > 0) k++;
    out += chars[k];
  }
  return out;
}
for (const temperature of [0.5, 1.0]) {
  console.log(`--- sample at temperature ${temperature} ---`);
  console.log(sample('And God said, ', 200, temperature));
}
