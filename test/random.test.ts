// The seeded stream and the random tensors, oneHot, shuffledIndices and dropout.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from './setup';
import { tfReady } from './tfjs';
import { uniformAt } from './philox';

beforeAll(ready);
beforeEach(() => nn.setSeed(0));

const bits = (t: nn.Tensor): number[] => { const v = Array.from(new Uint32Array(t.dataSync().buffer)); t.dispose(); return v; };

function moments(v: Float32Array): { mean: number; variance: number; min: number; max: number } {
  let s = 0, min = Infinity, max = -Infinity;
  for (const x of v) { s += x; if (x < min) min = x; if (x > max) max = x; }
  const mean = s / v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return { mean, variance: ss / v.length, min, max };
}

/** Kolmogorov–Smirnov distance between the sample and a CDF. */
function ksDistance(v: Float32Array, cdf: (x: number) => number): number {
  const s = Float64Array.from(v).sort();
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const f = cdf(s[i]);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs((i + 1) / s.length - f));
  }
  return d;
}

/** Standard normal CDF through erf (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2, t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
  return 0.5 * (1 + (x >= 0 ? erf : -erf));
}

// With n = 200000 samples: the standard error of a mean is sd/447; bounds below are ≥ 5 standard
// errors, and the KS bound 1.95/√n is the 0.1% critical value.
const N = 200_000;
const KS_BOUND = 1.95 / Math.sqrt(N);

describe('the seeded stream', () => {
  it('same seed → identical bits; different seed → different values', () => {
    nn.setSeed(42);
    const a = bits(nn.randomUniform([100])), b = bits(nn.randomNormal([7, 3]));
    nn.setSeed(42);
    expect(bits(nn.randomUniform([100]))).toEqual(a);
    expect(bits(nn.randomNormal([7, 3]))).toEqual(b);
    nn.setSeed(43);
    const c = bits(nn.randomUniform([100]));
    expect(c.filter((v, i) => v === a[i]).length).toBeLessThan(3);
  });

  it('successive draws continue the stream instead of repeating it', () => {
    const a = bits(nn.randomUniform([64])), b = bits(nn.randomUniform([64]));
    expect(a.filter((v, i) => v === b[i]).length).toBeLessThan(3);
  });

  it('the default seed is fixed (0): a fresh stream equals setSeed(0)', () => {
    const a = bits(nn.randomUniform([10]));
    nn.setSeed(0);
    expect(bits(nn.randomUniform([10]))).toEqual(a);
  });

  it('the bits are the stream formula (key = seed, counters from 0 in blocks of 4), hence the same in every runtime', () => {
    nn.setSeed(2 ** 32 + 7); // key (7, 1)
    const first = nn.randomUniform([6], { minval: -1, maxval: 3 });
    const second = nn.randomUniform([3]); // starts at counter 8: draws are rounded up to whole Philox blocks
    expect(bits(first)).toEqual(bits(nn.tensor(Array.from({ length: 6 }, (_, i) => uniformAt(i, [7, 1], -1, 3)))));
    expect(bits(second)).toEqual(bits(nn.tensor(Array.from({ length: 3 }, (_, i) => uniformAt(8 + i, [7, 1])))));
  });

  it('a draw with its own seed ignores and does not move the global stream', () => {
    const own = bits(nn.randomNormal([50], { seed: 9 }));
    nn.setSeed(1);
    nn.randomUniform([13]).dispose();
    expect(bits(nn.randomNormal([50], { seed: 9 }))).toEqual(own);
    const next = bits(nn.randomUniform([8]));
    nn.setSeed(1);
    nn.randomUniform([13]).dispose();
    nn.randomNormal([50], { seed: 123 }).dispose();
    expect(bits(nn.randomUniform([8]))).toEqual(next);
  });

  it('rejects bad seeds and parameters, naming the call', () => {
    expect(() => nn.setSeed(1.5)).toThrow(/setSeed: seed must be an integer \(got 1.5\)/);
    expect(() => nn.randomUniform([2], { seed: NaN })).toThrow(/randomUniform: seed must be an integer/);
    expect(() => nn.randomUniform([2], { minval: 2, maxval: 1 })).toThrow(/randomUniform: minval must not exceed maxval \(got 2 and 1\)/);
    expect(() => nn.randomNormal([2], { stddev: -1 })).toThrow(/randomNormal: stddev must be >= 0 \(got -1\)/);
    expect(() => nn.truncatedNormal([2, -1])).toThrow(/truncatedNormal: invalid shape \[2,-1\]/);
  });
});

describe('distributions', () => {
  it('randomUniform: [minval, maxval), mean, variance and KS distance of U(-1, 3)', () => {
    const t = nn.randomUniform([N], { minval: -1, maxval: 3 });
    const v = t.dataSync(); t.dispose();
    const m = moments(v);
    expect(m.min).toBeGreaterThanOrEqual(-1);
    expect(m.max).toBeLessThan(3);
    expect(m.min).toBeLessThan(-1 + 1e-3);
    expect(m.max).toBeGreaterThan(3 - 1e-3);
    expect(Math.abs(m.mean - 1)).toBeLessThan(5 * 1.1547 / Math.sqrt(N)); // sd = 4/√12
    expect(Math.abs(m.variance - 16 / 12)).toBeLessThan(0.01);           // se of the variance ≈ 0.0027
    expect(ksDistance(v, (x) => Math.min(1, Math.max(0, (x + 1) / 4)))).toBeLessThan(KS_BOUND);
    expect(nn.randomUniform([2, 3]).shape).toEqual([2, 3]);
  });

  it('randomNormal: mean, stddev and KS distance of N(2, 0.5²)', () => {
    const t = nn.randomNormal([N], { mean: 2, stddev: 0.5 });
    const v = t.dataSync(); t.dispose();
    const m = moments(v);
    expect(Math.abs(m.mean - 2)).toBeLessThan(5 * 0.5 / Math.sqrt(N));
    expect(Math.abs(Math.sqrt(m.variance) - 0.5)).toBeLessThan(5 * 0.5 / Math.sqrt(2 * N));
    expect(ksDistance(v, (x) => normalCdf((x - 2) / 0.5))).toBeLessThan(KS_BOUND);
    expect(m.max - 2).toBeGreaterThan(4 * 0.5); // tails exist: P(max of 2e5 < 4σ) ≈ 0.2%…
  });

  it('truncatedNormal: everything within 2σ, stddev 0.8796σ, KS against the truncated CDF', () => {
    const t = nn.truncatedNormal([N], { mean: -1, stddev: 3 });
    const v = t.dataSync(); t.dispose();
    const m = moments(v);
    expect(m.min).toBeGreaterThanOrEqual(-1 - 6);
    expect(m.max).toBeLessThanOrEqual(-1 + 6);
    expect(Math.abs(m.mean + 1)).toBeLessThan(5 * 3 * 0.88 / Math.sqrt(N));
    expect(Math.abs(Math.sqrt(m.variance) / 3 - 0.87962566103423978)).toBeLessThan(0.005);
    const mass = normalCdf(2) - normalCdf(-2);
    expect(ksDistance(v, (x) => (normalCdf((x + 1) / 3) - normalCdf(-2)) / mass)).toBeLessThan(KS_BOUND);
  });
});

describe('oneHot', () => {
  it('matches tf.oneHot for arrays and Int32Array', async () => {
    const { tf } = await tfReady();
    const labels = [3, 0, 2, 2, 1, 4];
    const ours = nn.oneHot(labels, 5);
    const theirs = tf.oneHot(tf.tensor1d(labels, 'int32'), 5);
    expect(ours.shape).toEqual([6, 5]);
    expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    expect(Array.from(nn.oneHot(Int32Array.from(labels), 5).dataSync())).toEqual(Array.from(theirs.dataSync()));
    theirs.dispose();
    expect(nn.oneHot([], 3).shape).toEqual([0, 3]);
  });

  it('names the label out of range and leaks nothing', () => {
    const before = nn.memory().numTensors;
    expect(() => nn.oneHot([0, 1, 3], 3)).toThrow('oneHot: label 3 at index 2 is outside [0, 3)');
    expect(() => nn.oneHot([-1], 3)).toThrow('oneHot: label -1 at index 0 is outside [0, 3)');
    expect(() => nn.oneHot(Int32Array.from([1, 7]), 3)).toThrow('oneHot: label 7 at index 1 is outside [0, 3)');
    expect(() => nn.oneHot([0, 1.5], 3)).toThrow('oneHot: label 1.5 at index 1 is not an integer in [0, 3)');
    expect(() => nn.oneHot([2 ** 32], 3)).toThrow(/oneHot: label 4294967296 at index 0 is outside \[0, 3\)/);
    expect(() => nn.oneHot([0], 0)).toThrow(/oneHot: depth must be a positive integer \(got 0\)/);
    expect(nn.memory().numTensors).toBe(before);
  });
});

describe('shuffledIndices', () => {
  it('is a permutation, reproducible under a seed, and moves the global stream', () => {
    const n = 1000;
    const a = nn.shuffledIndices(n);
    expect(a).toBeInstanceOf(Int32Array);
    expect(Array.from(a).sort((p, q) => p - q)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(a.filter((v, i) => v === i).length).toBeLessThan(10); // ~1 fixed point expected
    const b = nn.shuffledIndices(n);
    expect(Array.from(b)).not.toEqual(Array.from(a));
    nn.setSeed(0);
    expect(Array.from(nn.shuffledIndices(n))).toEqual(Array.from(a));
    expect(Array.from(nn.shuffledIndices(n, 5))).toEqual(Array.from(nn.shuffledIndices(n, 5)));
    expect(Array.from(nn.shuffledIndices(0))).toEqual([]);
    expect(() => nn.shuffledIndices(-1)).toThrow(/shuffledIndices: n must be a non-negative integer \(got -1\)/);
  });

  it('puts each index at each place equally often', () => {
    // 4000 shuffles of 5: each (index, place) count is Binomial(4000, 1/5), sd ≈ 25
    const counts = new Array(25).fill(0);
    for (let r = 0; r < 4000; r++) nn.shuffledIndices(5).forEach((v, place) => counts[v * 5 + place]++);
    for (const c of counts) expect(Math.abs(c - 800)).toBeLessThan(130);
  });
});

describe('dropout', () => {
  it('zeroes about `rate` of the elements and scales the rest by 1/(1-rate)', () => {
    const n = 100_000, rate = 0.3;
    const x = nn.tensor(rand(n, 5, 0.5, 1.5));
    const y = nn.dropout(x, rate);
    const xv = x.dataSync(), yv = y.dataSync();
    const scale = Math.fround(1 / Math.fround(1 - Math.fround(rate)));
    let kept = 0, wrong = 0;
    for (let i = 0; i < n; i++) {
      if (yv[i] !== 0) { kept++; if (yv[i] !== Math.fround(xv[i] * scale)) wrong++; }
    }
    expect(wrong).toBe(0);
    // binomial: sd of the kept fraction = sqrt(0.21/n) ≈ 0.00145
    expect(Math.abs(kept / n - (1 - rate))).toBeLessThan(0.008);
    x.dispose(); y.dispose();
  });

  it('is reproducible with a seed, follows the global stream without one, and rate 0 is the identity', () => {
    const x = nn.tensor(rand(40, 6));
    expect(bits(nn.dropout(x, 0.5, 7))).toEqual(bits(nn.dropout(x, 0.5, 7)));
    nn.setSeed(3);
    const a = bits(nn.dropout(x, 0.5));
    nn.setSeed(3);
    expect(bits(nn.dropout(x, 0.5))).toEqual(a);
    expect(bits(nn.dropout(x, 0))).toEqual(bits(nn.tensor(x.dataSync())));
    x.dispose();
  });

  it('backward reuses the forward mask (dx = dy · mask)', () => {
    const x = nn.tensor(rand(64, 7, 0.5, 1.5), [8, 8]);
    const dy = nn.tensor(rand(64, 8), [8, 8]);
    nn.setSeed(11);
    const { value, grads } = nn.valueAndGrads((t) => nn.dropout(t, 0.4))([x], dy);
    const y = value.dataSync(), g = grads[0].dataSync(), xv = x.dataSync(), dyv = dy.dataSync();
    const scale = Math.fround(1 / Math.fround(1 - Math.fround(0.4)));
    for (let i = 0; i < 64; i++) {
      const mask = y[i] === 0 ? 0 : scale;
      expect(y[i] === 0 || y[i] === Math.fround(xv[i] * scale)).toBe(true);
      expect(g[i]).toBe(0 + Math.fround(dyv[i] * mask)); // accumulated onto +0
    }
    value.dispose(); grads[0].dispose(); x.dispose(); dy.dispose();
  });

  it('passes a finite-difference gradient check with a fixed seed', () => {
    const x = nn.tensor(rand(30, 9), [5, 6]);
    checkGrad((t) => nn.mul(nn.dropout(t, 0.5, 1234), t), [x]);
    x.dispose();
  });

  it('rejects a rate outside [0, 1)', () => {
    const x = nn.tensor([1, 2]);
    expect(() => nn.dropout(x, 1)).toThrow('dropout: rate must be in [0, 1) (got 1) for input [2]');
    expect(() => nn.dropout(x, -0.1)).toThrow(/dropout: rate must be in \[0, 1\) \(got -0.1\)/);
    x.dispose();
  });
});

describe('memory', () => {
  it('random tensors and dropout inside tidy leak nothing', () => {
    const before = nn.memory().numTensors;
    const x = nn.tensor(rand(20, 1));
    nn.tidy(() => { nn.randomUniform([5]); nn.truncatedNormal([5]); nn.dropout(x, 0.2); nn.grad((t) => nn.dropout(t, 0.2))(x); });
    x.dispose();
    expect(nn.memory().numTensors).toBe(before);
  });
});
