// Initializers: Keras' formulas on dense and conv shapes, orthogonality, seeds, names and configs.
import { describe, it, expect, beforeAll, beforeEach } from 'vitest';
import { nn, ready } from './setup';
import { tfReady } from './tfjs';

beforeAll(ready);
beforeEach(() => nn.setSeed(0));

const I = nn.initializers;

/** Moments of a tensor's values (a simdnn or a tfjs tensor). */
function stats(t: { dataSync(): ArrayLike<number> }): { mean: number; variance: number; maxAbs: number; n: number } {
  const v = Array.from(t.dataSync());
  let s = 0, maxAbs = 0;
  for (const x of v) { s += x; maxAbs = Math.max(maxAbs, Math.abs(x)); }
  const mean = s / v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return { mean, variance: ss / v.length, maxAbs, n: v.length };
}

// [shape, fanIn, fanOut]: dense [in, out]; conv2d [kh, kw, in, out] (receptive field 9)
const SHAPES: Array<[number[], number, number]> = [[[200, 300], 200, 300], [[3, 3, 16, 32], 144, 288], [[5, 24, 40], 120, 200]];

// name → [scale, fan, distribution] as Keras' VarianceScaling presets
const PRESETS: Record<string, [number, 'in' | 'avg', 'uniform' | 'truncated']> = {
  glorotUniform: [1, 'avg', 'uniform'], glorotNormal: [1, 'avg', 'truncated'],
  heUniform: [2, 'in', 'uniform'], heNormal: [2, 'in', 'truncated'],
  lecunUniform: [1, 'in', 'uniform'], lecunNormal: [1, 'in', 'truncated'],
};

describe('variance-scaling presets follow Keras', () => {
  for (const [name, [scale, fan, dist]] of Object.entries(PRESETS)) {
    it(`${name}: variance scale/fan${fan}, ${dist === 'uniform' ? 'limit sqrt(3·variance)' : 'truncated at 2σ with σ = sqrt(variance)/0.8796'}`, () => {
      for (const [shape, fanIn, fanOut] of SHAPES) {
        const variance = scale / (fan === 'in' ? fanIn : (fanIn + fanOut) / 2);
        const w = (I as any)[name]().apply(shape);
        expect(w.shape).toEqual(shape);
        const s = stats(w);
        w.dispose();
        // relative standard error of a sample variance ≤ sqrt(2/n); allow 6 of them
        expect(Math.abs(s.variance / variance - 1), `${name} ${shape} variance`).toBeLessThan(6 * Math.sqrt(2 / s.n));
        expect(Math.abs(s.mean)).toBeLessThan(6 * Math.sqrt(variance / s.n));
        if (dist === 'uniform') {
          const limit = Math.sqrt(3 * variance);
          expect(s.maxAbs).toBeLessThanOrEqual(limit);
          expect(s.maxAbs).toBeGreaterThan(0.99 * limit);
        } else {
          const sigma = Math.sqrt(variance) / 0.87962566103423978;
          expect(s.maxAbs).toBeLessThanOrEqual(2 * sigma * (1 + 1e-6));
          expect(s.maxAbs).toBeGreaterThan(1.95 * sigma);
        }
      }
    });
  }

  it('varianceScaling: modes fanIn/fanOut/fanAvg and the untruncated normal; rank 0 and 1 fans', () => {
    const shape = [100, 400];
    for (const [mode, n] of [['fanIn', 100], ['fan_out', 400], ['fanAvg', 250]] as const) {
      const w = I.varianceScaling({ scale: 3, mode, distribution: 'untruncatedNormal' }).apply(shape);
      const s = stats(w); w.dispose();
      expect(Math.abs(s.variance / (3 / n) - 1), mode).toBeLessThan(6 * Math.sqrt(2 / s.n));
      expect(s.maxAbs).toBeGreaterThan(3 * Math.sqrt(3 / n)); // not truncated
    }
    // Keras: rank 1 → fanIn = fanOut = shape[0]; rank 0 → 1
    const b = stats(I.heUniform().apply([50_000]));
    expect(b.maxAbs).toBeLessThanOrEqual(Math.sqrt(6 / 50_000));
    expect(b.maxAbs).toBeGreaterThan(0.99 * Math.sqrt(6 / 50_000));
    expect(Math.abs(I.glorotUniform().apply([]).dataSync()[0])).toBeLessThanOrEqual(Math.sqrt(3));
  });

  it('the normal presets are Keras\'s, not tfjs\'s: tfjs omits the 1/0.8796 correction; uniform ones agree', async () => {
    const { tfl } = await tfReady();
    const shape = [200, 300];
    const compare = (ours: nn.initializers.Initializer, theirs: any) => {
      const t = theirs.apply(shape);
      const ratio = Math.sqrt(stats(ours.apply(shape)).variance / stats(t).variance);
      t.dispose();
      return ratio;
    };
    expect(Math.abs(compare(I.glorotNormal(), tfl.initializers.glorotNormal({ seed: 1 })) - 1 / 0.87962566103423978)).toBeLessThan(0.02);
    expect(Math.abs(compare(I.heNormal(), tfl.initializers.heNormal({ seed: 1 })) - 1 / 0.87962566103423978)).toBeLessThan(0.02);
    expect(Math.abs(compare(I.glorotUniform(), tfl.initializers.glorotUniform({ seed: 1 })) - 1)).toBeLessThan(0.02);
    expect(Math.abs(compare(I.lecunUniform(), tfl.initializers.leCunUniform({ seed: 1 })) - 1)).toBeLessThan(0.02);
  });
});

describe('orthogonal', () => {
  function gram(w: nn.Tensor): { maxOff: number; maxDiag: number; minDiag: number } {
    const cols = w.shape[w.rank - 1], rows = w.size / cols, v = w.dataSync();
    const tall = rows >= cols, k = Math.min(rows, cols), len = Math.max(rows, cols);
    let maxOff = 0, maxDiag = -Infinity, minDiag = Infinity;
    for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += tall ? v[i * cols + p] * v[i * cols + q] : v[p * cols + i] * v[q * cols + i];
      if (p === q) { maxDiag = Math.max(maxDiag, dot); minDiag = Math.min(minDiag, dot); } else maxOff = Math.max(maxOff, Math.abs(dot));
    }
    return { maxOff, maxDiag, minDiag };
  }

  for (const [shape, gain] of [[[64, 16], 1], [[16, 64], 1], [[32, 32], 1], [[3, 3, 4, 8], 2], [[10, 128], 0.5]] as const) {
    it(`${JSON.stringify(shape)} gain ${gain}: the smaller Gram matrix is gain²·I`, () => {
      const w = I.orthogonal({ gain }).apply(shape as unknown as number[]);
      expect(w.shape).toEqual(shape);
      const g = gram(w);
      w.dispose();
      expect(g.maxOff).toBeLessThan(1e-5 * gain * gain);
      expect(Math.abs(g.maxDiag - gain * gain)).toBeLessThan(1e-5 * gain * gain);
      expect(Math.abs(g.minDiag - gain * gain)).toBeLessThan(1e-5 * gain * gain);
    });
  }

  it('is Q of a seeded normal draw, so a seed fixes it; rank < 2 is an error', () => {
    const a = I.orthogonal({ seed: 4 }).apply([20, 30]).dataSync();
    nn.randomUniform([7]).dispose();
    expect(Array.from(I.orthogonal({ seed: 4 }).apply([20, 30]).dataSync())).toEqual(Array.from(a));
    expect(Array.from(I.orthogonal({ seed: 5 }).apply([20, 30]).dataSync())).not.toEqual(Array.from(a));
    expect(() => I.orthogonal().apply([5])).toThrow('orthogonal initializer: the shape must have rank >= 2 (got [5])');
  });
});

describe('constants and plain random initializers', () => {
  it('zeros, ones, constant', () => {
    expect(Array.from(I.zeros().apply([2, 3]).dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(I.ones().apply([5]).dataSync())).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from(I.constant({ value: -2.5 }).apply([3]).dataSync())).toEqual([-2.5, -2.5, -2.5]);
    expect(() => I.constant({ value: NaN })).toThrow(/constant: value must be a finite number/);
  });

  it('randomUniform/randomNormal/truncatedNormal defaults as Keras (±0.05, stddev 0.05)', () => {
    const u = stats(I.randomUniform().apply([50_000]));
    expect(u.maxAbs).toBeLessThanOrEqual(0.05);
    expect(u.maxAbs).toBeGreaterThan(0.0499);
    const n = stats(I.randomNormal().apply([50_000]));
    expect(Math.abs(Math.sqrt(n.variance) - 0.05)).toBeLessThan(0.05 * 6 / Math.sqrt(100_000));
    const t = stats(I.truncatedNormal({ mean: 1, stddev: 0.1 }).apply([50_000]));
    expect(Math.abs(t.mean - 1)).toBeLessThan(0.003);
    expect(Math.abs(Math.sqrt(t.variance) - 0.1 * 0.87962566103423978)).toBeLessThan(0.002);
  });

  it('fill() works in place on an existing tensor', () => {
    const t = nn.zeros([4, 4]);
    I.heNormal({ seed: 1 }).fill(t);
    expect(Array.from(t.dataSync())).toEqual(Array.from(I.heNormal({ seed: 1 }).apply([4, 4]).dataSync()));
    t.dispose();
  });
});

describe('seeds', () => {
  it('a seeded initializer gives the same weights every time, whatever the global stream did', () => {
    for (const make of [() => I.glorotUniform({ seed: 3 }), () => I.heNormal({ seed: 3 }), () => I.randomNormal({ seed: 3 })]) {
      const a = make().apply([6, 7]).dataSync();
      nn.randomNormal([33]).dispose();
      expect(Array.from(make().apply([6, 7]).dataSync())).toEqual(Array.from(a));
    }
  });

  it('unseeded initializers follow setSeed', () => {
    nn.setSeed(77);
    const a = I.glorotUniform().apply([8, 8]).dataSync(), b = I.lecunNormal().apply([8, 8]).dataSync();
    nn.setSeed(77);
    expect(Array.from(I.glorotUniform().apply([8, 8]).dataSync())).toEqual(Array.from(a));
    expect(Array.from(I.lecunNormal().apply([8, 8]).dataSync())).toEqual(Array.from(b));
    expect(Array.from(I.glorotUniform().apply([8, 8]).dataSync())).not.toEqual(Array.from(a));
  });
});

describe('names and serialization', () => {
  const { getInitializer } = I;

  it('accepts API.md names, tfjs/Keras class names and snake_case', () => {
    const cases: Array<[nn.InitializerName, string]> = [
      ['glorotUniform', 'GlorotUniform'], ['GlorotUniform', 'GlorotUniform'], ['glorot_uniform', 'GlorotUniform'],
      ['heNormal', 'HeNormal'], ['he_uniform', 'HeUniform'], ['lecunNormal', 'LeCunNormal'], ['leCunUniform', 'LeCunUniform'],
      ['LeCunNormal', 'LeCunNormal'], ['orthogonal', 'Orthogonal'], ['zeros', 'Zeros'], ['Zeros', 'Zeros'], ['ones', 'Ones'],
      ['randomNormal', 'RandomNormal'], ['random_uniform', 'RandomUniform'], ['TruncatedNormal', 'TruncatedNormal'],
      ['varianceScaling', 'VarianceScaling'], ['constant', 'Constant'],
    ];
    for (const [name, cls] of cases) expect(getInitializer(name, 'zeros', 'dense').className, name).toBe(cls);
    expect(getInitializer(undefined, 'glorotUniform', 'dense').className).toBe('GlorotUniform');
    const inst = I.heUniform();
    expect(getInitializer(inst, 'zeros', 'dense')).toBe(inst);
  });

  it('reads tfjs {className, config} and Keras {class_name, config}', () => {
    const vs = getInitializer({ className: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'truncated_normal', seed: null } }, 'zeros', 'conv2d');
    expect(vs.getConfig()).toEqual({ scale: 2, mode: 'fanOut', distribution: 'truncatedNormal', seed: null });
    const he = getInitializer({ class_name: 'HeNormal', config: { seed: 5 } }, 'zeros', 'dense');
    expect(Array.from(he.apply([3, 3]).dataSync())).toEqual(Array.from(I.heNormal({ seed: 5 }).apply([3, 3]).dataSync()));
    expect(getInitializer({ className: 'Constant', config: { value: 3 } }, 'zeros', 'dense').apply([2]).dataSync()[0]).toBe(3);
    expect(getInitializer({ className: 'RandomUniform', config: { minval: 1, maxval: 2, seed: null } }, 'zeros', 'dense').getConfig())
      .toEqual({ minval: 1, maxval: 2, seed: null });
  });

  it('writes the tfjs serialization form, which tfjs can deserialize', async () => {
    const { tf } = await tfReady();
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    const all = [I.glorotUniform(), I.glorotNormal({ seed: 2 }), I.heNormal(), I.heUniform(), I.lecunNormal(), I.lecunUniform(),
      I.orthogonal({ gain: 2 }), I.zeros(), I.ones(), I.constant({ value: 4 }), I.randomNormal({ mean: 1 }),
      I.randomUniform({ maxval: 3 }), I.truncatedNormal({ stddev: 2 }), I.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'uniform' })];
    for (const init of all) {
      const { className, config } = init.serialize();
      expect(map[className], className).toBeDefined();
      const [cls, fromConfig] = map[className];
      const theirs = fromConfig(cls, config as any) as any;
      expect(theirs.getConfig().seed ?? null, className).toEqual(config.seed ?? null);
      // (tfjs' Orthogonal.apply needs tfjs' chained ops, which the test bundle does not register)
      if (className !== 'Orthogonal') {
        const t = theirs.apply([4, 6]);
        expect(t.shape, className).toEqual([4, 6]);
        t.dispose();
      }
      // and back: our reader accepts what we wrote
      expect(getInitializer({ className, config }, 'zeros', 'x').getConfig()).toEqual(init.getConfig());
    }
    expect(I.glorotUniform().serialize()).toEqual({ className: 'GlorotUniform', config: { seed: null } });
    expect(I.orthogonal({ gain: 2, seed: 1 }).serialize()).toEqual({ className: 'Orthogonal', config: { gain: 2, seed: 1 } });
  });

  it('names the unknown initializer, the caller and the known names', () => {
    // @ts-expect-error: not an initializer name (checked at run time too)
    expect(() => getInitializer('foo', 'zeros', 'dense')).toThrow(
      "dense: unknown initializer 'foo'; known: glorotUniform, glorotNormal, heNormal, heUniform, lecunNormal, lecunUniform, " +
      'orthogonal, zeros, ones, constant, randomNormal, randomUniform, truncatedNormal, varianceScaling');
    expect(() => getInitializer({ className: 'Nope' }, 'zeros', 'lstm')).toThrow(/lstm: unknown initializer 'Nope'/);
    // @ts-expect-error: not a fan mode
    expect(() => I.varianceScaling({ mode: 'fanMiddle' })).toThrow(/varianceScaling: mode must be one of fanIn, fanOut, fanAvg \(got 'fanMiddle'\)/);
    expect(() => I.varianceScaling({ scale: 0 })).toThrow(/varianceScaling: scale must be positive \(got 0\)/);
  });
});
