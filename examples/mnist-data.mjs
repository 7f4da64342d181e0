// Splits the `mnist` package's 10,000 real digits (about 1,000 per class, 28×28 grey levels in
// [0, 1]) into training and held-out test sets, deterministically: the last `testFraction` of
// each class is held out. Input: the ten per-digit flat pixel arrays.
export function splitDigits(rawByDigit, { testFraction = 0.2 } = {}) {
  const pixels = 784;
  const counts = rawByDigit.map((raw) => Math.floor(raw.length / pixels));
  const nTest = counts.map((n) => Math.round(n * testFraction));
  const total = (f) => counts.reduce((s, n, d) => s + f(n, d), 0);
  const trainN = total((n, d) => n - nTest[d]), testN = total((_, d) => nTest[d]);
  const out = {
    xTrain: new Float32Array(trainN * pixels), yTrain: new Float32Array(trainN * 10),
    xTest: new Float32Array(testN * pixels), yTest: new Float32Array(testN * 10), trainN, testN,
  };
  // Interleave classes so that contiguous batches mix digits even without shuffling.
  let tr = 0, te = 0;
  const maxN = Math.max(...counts);
  for (let i = 0; i < maxN; i++) {
    for (let d = 0; d < 10; d++) {
      if (i >= counts[d]) continue;
      const sample = rawByDigit[d].slice(i * pixels, (i + 1) * pixels);
      if (i < counts[d] - nTest[d]) { out.xTrain.set(sample, tr * pixels); out.yTrain[tr * 10 + d] = 1; tr++; }
      else { out.xTest.set(sample, te * pixels); out.yTest[te * 10 + d] = 1; te++; }
    }
  }
  return out;
}

/**
 * Adds copies of every training digit shifted by one pixel up, down, left and right: 8,000 digits
 * are few for an MLP, and small translations are the cheapest honest way to see more handwriting.
 */
export function withShifts(x, y, n) {
  const shifts = [[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1]];
  const total = n * shifts.length;
  const xa = new Float32Array(total * 784), ya = new Float32Array(total * 10);
  shifts.forEach(([dx, dy], s) => {
    for (let i = 0; i < n; i++) {
      const o = s * n + i;
      ya.set(y.subarray(i * 10, i * 10 + 10), o * 10);
      for (let r = 0; r < 28; r++) {
        for (let c = 0; c < 28; c++) {
          const rr = r - dy, cc = c - dx;
          if (rr >= 0 && rr < 28 && cc >= 0 && cc < 28) xa[o * 784 + r * 28 + c] = x[i * 784 + rr * 28 + cc];
        }
      }
    }
  });
  return { x: xa, y: ya, n: total };
}

/** The MLP used by `npm start` and by the test that holds it to its accuracy bar. */
export function mnistModel(nn) {
  const model = nn.sequential({ layers: [
    nn.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }),
    nn.layers.dropout({ rate: 0.2 }),
    nn.layers.dense({ units: 128, activation: 'relu' }),
    nn.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  model.compile({ optimizer: nn.optimizers.adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
