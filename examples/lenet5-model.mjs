// LeNet-5 (LeCun et al. 1998, with ReLU, max pooling and softmax as usual today) for 28×28 grey
// digits, NHWC, and how it is trained: every epoch sees a fresh random small affine distortion
// (rotation, scale, shift) of each training digit — 8,000 digits are few for a CNN, and these
// distortions are the classic cheap way to see more handwriting. Shared by examples/lenet5.mjs
// and the test that holds it to its accuracy bar; no Node imports.
import { mulberry32 } from '../bench/data.mjs'; // the benchmarks' seeded PRNG

export const LENET5_EPOCHS = 16;
export const LENET5_BATCH = 32;

export function lenet5(nn, { samples, epochs = LENET5_EPOCHS, learningRate = 3e-3, finalRate = 1e-4 } = {}) {
  const L = nn.layers;
  const model = nn.sequential({ layers: [
    L.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }), // 28×28×6
    L.maxPooling2d({ poolSize: 2 }),                                                                      // 14×14×6
    L.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),                                         // 10×10×16
    L.maxPooling2d({ poolSize: 2 }),                                                                      // 5×5×16
    L.flatten(),
    L.dense({ units: 120, activation: 'relu' }),
    L.dense({ units: 84, activation: 'relu' }),
    L.dense({ units: 10, activation: 'softmax' }),
  ] });
  // The learning rate decays exponentially from learningRate to finalRate over the run.
  const steps = Math.ceil(samples / LENET5_BATCH) * epochs;
  const learning = nn.schedules.exponentialDecay({ initialLearningRate: learningRate, decaySteps: steps,
    decayRate: finalRate / learningRate });
  model.compile({ optimizer: nn.optimizers.adam({ learningRate: learning }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/**
 * n 28×28 images (flat, row-major), each rotated by up to ±maxDegrees, scaled by 1 ± maxScale and
 * shifted by up to ±maxShift pixels about its centre (bilinear sampling, zeros outside).
 */
export function distort(x, n, random, { maxDegrees = 12, maxScale = 0.1, maxShift = 2 } = {}) {
  const out = new Float32Array(n * 784);
  const c = 13.5;
  const at = (img, r, q) => (r >= 0 && r < 28 && q >= 0 && q < 28 ? x[img * 784 + r * 28 + q] : 0);
  for (let i = 0; i < n; i++) {
    const angle = (random() * 2 - 1) * maxDegrees * Math.PI / 180, scale = 1 + (random() * 2 - 1) * maxScale;
    const dx = (random() * 2 - 1) * maxShift, dy = (random() * 2 - 1) * maxShift;
    // Output pixel (r, q) samples the source at R(−angle)·((q, r) − centre − shift) / scale + centre.
    const cos = Math.cos(angle) / scale, sin = Math.sin(angle) / scale;
    for (let r = 0; r < 28; r++) {
      for (let q = 0; q < 28; q++) {
        const u = q - c - dx, v = r - c - dy;
        const sq = cos * u + sin * v + c, sr = -sin * u + cos * v + c;
        const r0 = Math.floor(sr), q0 = Math.floor(sq), fr = sr - r0, fq = sq - q0;
        out[i * 784 + r * 28 + q] = (1 - fr) * ((1 - fq) * at(i, r0, q0) + fq * at(i, r0, q0 + 1)) +
          fr * ((1 - fq) * at(i, r0 + 1, q0) + fq * at(i, r0 + 1, q0 + 1));
      }
    }
  }
  return out;
}

/**
 * The training data as a dataset for model.fit: each epoch, a fresh distortion of every digit
 * in batches of LENET5_BATCH, from a seeded stream (the same run every time).
 */
export function distortedDigits(x, y, n, seed = 1, distortion = {}) {
  const random = mulberry32(seed);
  return () => {
    const xs = distort(x, n, random, distortion);
    return (function* batches() {
      for (let b = 0; b < n; b += LENET5_BATCH) {
        const m = Math.min(LENET5_BATCH, n - b);
        yield { xs: { data: xs.subarray(b * 784, (b + m) * 784), shape: [m, 28, 28, 1] },
          ys: { data: y.subarray(b * 10, (b + m) * 10), shape: [m, 10] } };
      }
    })();
  };
}
