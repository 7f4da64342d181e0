// Finite-difference gradient checks through time for every recurrent cell and loop option: the
// analytic gradients of the whole-sequence op (one tape entry, backward in wasm) with respect to
// the input, every weight and the initial states, against central differences.
import { describe, it, beforeAll } from 'vitest';
import { nn, ready, rand, checkGrad } from '../setup';

beforeAll(ready);

type AnyLayer = nn.layers.RNN;
const cells: [string, (o: object) => AnyLayer][] = [
  ['simpleRNN', (o) => nn.layers.simpleRNN({ units: 3, ...o })],
  ['lstm', (o) => nn.layers.lstm({ units: 3, ...o })],
  ['gru (resetAfter)', (o) => nn.layers.gru({ units: 3, ...o })],
  ['gru (resetAfter false)', (o) => nn.layers.gru({ units: 3, resetAfter: false, ...o })],
];

/**
 * Checks d/d(x, weights…, states…) of Σ outputs·R (R fixed random weights per output) through the
 * given layers applied in sequence; `initial` feeds random initial states to the first layer.
 */
function check(layers: AnyLayer[], { B = 2, T = 4, F = 3, initial = false, seed = 1 } = {}): void {
  const x = nn.tensor(rand(B * T * F, seed, -1, 1), [B, T, F]);
  const states = initial ? Array.from({ length: layers[0].className === 'LSTM' ? 2 : 1 },
    (_, i) => nn.tensor(rand(B * layers[0].units, seed + 10 + i, -0.8, 0.8), [B, layers[0].units])) : [];
  let probe: nn.Tensor | nn.Tensor[] = x;
  for (const l of layers) probe = l.apply(probe as nn.Tensor) as nn.Tensor;
  const vars = layers.flatMap((l) => l.weights);
  const run = (xs: nn.Tensor[]) => {
    const [xIn, ...rest] = xs;
    vars.forEach((v, i) => { v.value = rest[i]; });
    const init = rest.slice(vars.length);
    let y: nn.Tensor | nn.Tensor[] = layers[0].call(init.length ? [xIn, ...init] : xIn);
    for (const l of layers.slice(1)) y = l.call(Array.isArray(y) ? y[0] : y);
    return Array.isArray(y) ? y : [y];
  };
  const originals = vars.map((v) => v.value);
  const shapes = nn.tidy(() => run([x, ...originals, ...states]).map((t) => t.shape));
  const R = shapes.map((s, i) => nn.tensor(rand(s.reduce((a, b) => a * b, 1), seed + 100 + i, -1, 1), s));
  try {
    checkGrad((...xs) => {
      const outs = run(xs);
      return outs.map((o, i) => nn.sum(nn.mul(o, R[i]))).reduce((a, b) => nn.add(a, b));
    }, [x, ...originals, ...states], { eps: 1e-2, tol: 2e-3 });
  } finally {
    vars.forEach((v, i) => { v.value = originals[i]; });
  }
  for (const t of [x, ...states, ...R]) t.dispose();
  for (const l of layers) l.dispose();
}

describe('recurrent layers: gradients through time = central differences', () => {
  for (const [name, make] of cells) {
    describe(name, () => {
      // Random biases so that every gate is away from its symmetric point.
      const init = { biasInitializer: nn.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 3 }) };
      it('last output', () => { nn.setSeed(1); check([make(init)]); });
      it('returnSequences', () => { nn.setSeed(2); check([make({ ...init, returnSequences: true })]); });
      it('goBackwards with returnSequences', () => { nn.setSeed(3); check([make({ ...init, goBackwards: true, returnSequences: true })]); });
      it('returnState (every output and state weighted)', () => {
        nn.setSeed(4); check([make({ ...init, returnState: true, returnSequences: true })]);
      });
      it('initialState', () => { nn.setSeed(5); check([make({ ...init, returnState: true })], { initial: true }); });
      it('more than two rows: the recurrent kernel packed once per sequence', () => {
        // 1–2 rows take gemm's in-place vector path; from 3 rows every step multiplies by U (Uᵀ
        // backward) packed once.
        nn.setSeed(9); check([make({ ...init, returnState: true, returnSequences: true })], { B: 5, T: 3, initial: true });
      });
      it('stacked under a second layer', () => {
        nn.setSeed(6); check([make({ ...init, returnSequences: true }), make(init)], { T: 3 });
      });
      it('other activations (relu cell, hardSigmoid gates), no bias', () => {
        nn.setSeed(7);
        check([make({ activation: 'softsign', useBias: false, ...(name === 'simpleRNN' ? {} : { recurrentActivation: 'hardSigmoid' }) })]);
      });
      it('one time step, one sample, one unit', () => {
        nn.setSeed(8);
        const l = make(init) as any;
        check([name === 'lstm' ? nn.layers.lstm({ units: 1, ...init }) : name === 'simpleRNN' ? nn.layers.simpleRNN({ units: 1, ...init })
          : nn.layers.gru({ units: 1, resetAfter: name === 'gru (resetAfter)', ...init })], { B: 1, T: 1, F: 2 });
        l.dispose?.();
      });
    });
  }
});
