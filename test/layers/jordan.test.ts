// jordanRNN: h_t = f(W x_t + U y_{t−1} + b), y_t = g(V h_t + c), against a plain step-by-step
// reference; central-difference gradients through time; saving and loading here.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose, checkGrad } from '../setup';

beforeAll(ready);

const T = 4, F = 3, U = 5, O = 2;

function reference(x: Float32Array, [W, Ur, b, V, c]: Float32Array[], goBackwards: boolean, B: number): number[][][] {
  const out: number[][][] = [];
  for (let n = 0; n < B; n++) {
    let y = new Array(O).fill(0);
    const seq: number[][] = [];
    for (let s = 0; s < T; s++) {
      const t = goBackwards ? T - 1 - s : s;
      const h = Array.from({ length: U }, (_, j) => {
        let z = b[j];
        for (let f = 0; f < F; f++) z += x[(n * T + t) * F + f] * W[f * U + j];
        for (let i = 0; i < O; i++) z += y[i] * Ur[i * U + j];
        return Math.tanh(z);
      });
      y = Array.from({ length: O }, (_, k) => {
        let z = c[k];
        for (let j = 0; j < U; j++) z += h[j] * V[j * O + k];
        return 1 / (1 + Math.exp(-z));
      });
      seq.push(y);
    }
    out.push(seq);
  }
  return out;
}

describe('jordanRNN', () => {
  // 2 rows run gemm's in-place vector path per step; 5 rows multiply by U and V packed once.
  for (const [goBackwards, B] of [[false, 2], [true, 2], [false, 5]] as [boolean, number][]) {
    it(`matches a plain reference (goBackwards ${goBackwards}, ${B} rows); gradients through time = central differences`, () => {
      nn.setSeed(51);
      const l = nn.layers.jordanRNN({ units: U, outputUnits: O, outputActivation: 'sigmoid', returnSequences: true, goBackwards,
        biasInitializer: 'randomNormal', outputBiasInitializer: 'randomNormal' });
      const xs = rand(B * T * F, 52);
      const x = nn.tensor(xs, [B, T, F]);
      const y = l.apply(x) as nn.Tensor;
      expect(l.weights.map((w) => w.shape)).toEqual([[F, U], [O, U], [U], [U, O], [O]]);
      expectClose(y.dataSync(), reference(xs, l.getWeights().map((w) => w.dataSync()), goBackwards, B).flat(2), 2e-6, 'jordan output');
      const vars = l.weights, originals = vars.map((v) => v.value);
      const y0 = nn.tensor(rand(B * O, 53, -0.5, 0.5), [B, O]);
      const R = nn.tensor(rand(B * T * O, 54), [B, T, O]), R2 = nn.tensor(rand(B * O, 55), [B, O]);
      const st = nn.layers.jordanRNN({ units: U, outputUnits: O, outputActivation: 'sigmoid', returnSequences: true, returnState: true, goBackwards });
      st.apply([x, y0]);
      st.setWeights(l.getWeights());
      const sv = st.weights;
      try {
        checkGrad((xIn, s0, ...ws) => {
          ws.forEach((w, i) => { sv[i].value = w; });
          const [seq, last] = st.call([xIn, s0]) as nn.Tensor[];
          return nn.add(nn.sum(nn.mul(seq, R)), nn.sum(nn.mul(last, R2)));
        }, [x, y0, ...sv.map((v) => v.value)], { eps: 1e-2, tol: 2e-3 });
      } finally { vars.forEach((v, i) => { v.value = originals[i]; }); }
    });
  }

  it('trains in a model, saves and loads back here with the same predictions', async () => {
    nn.setSeed(56);
    const m = nn.sequential({ layers: [nn.layers.jordanRNN({ units: 6, outputUnits: 3, inputShape: [T, F] }), nn.layers.dense({ units: 1 })] });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = nn.tensor(rand(8 * T * F, 57), [8, T, F]), y = nn.tensor(rand(8, 58), [8, 1]);
    const h = await m.fit(x, y, { epochs: 30, batchSize: 8, verbose: 0 });
    expect(h.history.loss.at(-1)).toBeLessThan(h.history.loss[0]);
    const saved = nn.io.memory();
    const warn = console.warn; console.warn = () => {};
    try { await m.save(saved); } finally { console.warn = warn; }
    const back = await nn.loadLayersModel(saved);
    expect(Array.from(back.predict(x).dataSync())).toEqual(Array.from(m.predict(x).dataSync()));
  });
});
