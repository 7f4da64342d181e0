// Optimizers over a two-segment arena, step by step against tfjs-core's optimizers (cpu backend);
// AdamW, which tfjs lacks, against an f64 transcription of Keras 3's formula. Then clipping,
// schedules and errors.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from './setup';
import { tfReady, tf } from './tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

// Two parameter tensors, sizes chosen so the arena has a SIMD body and a tail.
const SEGMENTS = [{ name: 'kernel', offset: 0, size: 6 }, { name: 'bias', offset: 6, size: 5 }];
const N = 11;
const P0 = rand(N, 7);
const GRADS = [rand(N, 21, -2, 2), rand(N, 22, -2, 2), rand(N, 23, -2, 2)];

type Opt = ReturnType<typeof nn.optimizers.getOptimizer>;

/** Parameters after each of the steps, our optimizer on one arena. Disposes the optimizer. */
function ours(opt: Opt, grads = GRADS, p0 = P0, segments = SEGMENTS): Float32Array[] {
  const params = nn.tensor(p0);
  const out: Float32Array[] = [];
  for (const g of grads) {
    const gt = nn.tensor(g);
    opt.applyGradients(params.ptr, gt.ptr, p0.length, segments);
    gt.dispose();
    out.push(params.dataSync());
  }
  params.dispose();
  opt.dispose();
  return out;
}

let uid = 0;
/** The same steps with a tfjs optimizer on one tf.variable per segment. */
function theirs(opt: any, grads = GRADS): Float32Array[] {
  const vars = SEGMENTS.map((s) => tf.variable(tf.tensor(P0.slice(s.offset, s.offset + s.size)), true, `optim_test_${s.name}_${uid++}`));
  const out: Float32Array[] = [];
  for (const g of grads) {
    const named: Record<string, any> = {};
    SEGMENTS.forEach((s, i) => { named[vars[i].name] = tf.tensor(g.slice(s.offset, s.offset + s.size)); });
    opt.applyGradients(named);
    tf.dispose(Object.values(named));
    const flat = new Float32Array(N);
    SEGMENTS.forEach((s, i) => flat.set(vars[i].dataSync() as Float32Array, s.offset));
    out.push(flat);
  }
  tf.dispose(vars);
  opt.dispose();
  return out;
}

function compareSteps(name: string, a: Float32Array[], b: ArrayLike<number>[], tol = 1e-6): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, step) => expectClose(x, b[step], tol, `${name} step ${step + 1}`));
  // the test means something only if the parameters moved
  expect(Math.max(...a[2].map((v, i) => Math.abs(v - P0[i])))).toBeGreaterThan(1e-3);
}

describe('optimizers match tfjs-core over 3 steps', () => {
  const cases: Array<[string, () => Opt, () => any]> = [
    ['sgd', () => nn.optimizers.sgd({ learningRate: 0.1 }), () => tf.train.sgd(0.1)],
    ['momentum', () => nn.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), () => tf.train.momentum(0.1, 0.9)],
    ['nesterov', () => nn.optimizers.sgd({ learningRate: 0.1, momentum: 0.8, nesterov: true }), () => tf.train.momentum(0.1, 0.8, true)],
    ['adagrad', () => nn.optimizers.adagrad({ learningRate: 0.1 }), () => tf.train.adagrad(0.1)],
    ['adagrad init 0.5', () => nn.optimizers.adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.5 }), () => tf.train.adagrad(0.1, 0.5)],
    ['adadelta', () => nn.optimizers.adadelta({ learningRate: 1 }), () => tf.train.adadelta(1, 0.95, 1e-7)],
    ['adadelta rho 0.8', () => nn.optimizers.adadelta({ learningRate: 0.5, rho: 0.8, epsilon: 1e-6 }), () => tf.train.adadelta(0.5, 0.8, 1e-6)],
    ['rmsprop', () => nn.optimizers.rmsprop({ learningRate: 0.01 }), () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7)],
    ['rmsprop momentum', () => nn.optimizers.rmsprop({ learningRate: 0.01, rho: 0.8, momentum: 0.7 }), () => tf.train.rmsprop(0.01, 0.8, 0.7, 1e-7)],
    // tfjs subtracts epsilon where Keras adds it (see RMSPropOptimizer); with epsilon 0 they coincide
    ['rmsprop centered', () => nn.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true, epsilon: 0 }),
      () => tf.train.rmsprop(0.01, 0.9, 0.5, 0, true)],
    ['adam', () => nn.optimizers.adam({ learningRate: 0.01 }), () => tf.train.adam(0.01, 0.9, 0.999, 1e-7)],
    ['adam betas', () => nn.optimizers.adam({ learningRate: 0.05, beta1: 0.5, beta2: 0.6, epsilon: 1e-3 }), () => tf.train.adam(0.05, 0.5, 0.6, 1e-3)],
    ['adamax', () => nn.optimizers.adamax({ learningRate: 0.01 }), () => tf.train.adamax(0.01, 0.9, 0.999, 1e-7)],
    ['adamax betas', () => nn.optimizers.adamax({ learningRate: 0.05, beta1: 0.5, beta2: 0.6, epsilon: 1e-3 }), () => tf.train.adamax(0.05, 0.5, 0.6, 1e-3)],
  ];
  for (const [name, mine, ref] of cases) {
    it(name, () => {
      const opt = mine(), tfOpt = ref();
      expect(opt.className).toBe(tfOpt.getClassName());
      compareSteps(name, ours(opt), theirs(tfOpt));
    });
  }

  it('rmsprop centered puts epsilon where Keras does: sqrt(ms - mg² + eps)', () => {
    const [lr, rho, mu, eps] = [0.01, 0.9, 0.5, 1e-3];
    const p = Array.from(P0, Number), ms = new Array(N).fill(0), mg = new Array(N).fill(0), mom = new Array(N).fill(0);
    const expected = GRADS.map((g) => {
      for (let i = 0; i < N; i++) {
        ms[i] = rho * ms[i] + (1 - rho) * g[i] * g[i];
        mg[i] = rho * mg[i] + (1 - rho) * g[i];
        mom[i] = mu * mom[i] + lr * g[i] / Math.sqrt(ms[i] - mg[i] * mg[i] + eps);
        p[i] -= mom[i];
      }
      return p.slice();
    });
    compareSteps('rmsprop centered eps', ours(nn.optimizers.rmsprop({ learningRate: lr, rho, momentum: mu, epsilon: eps, centered: true })), expected);
  });
});

/** Keras 3 AdamW in f64: decoupled decay, then Adam with epsilon added to sqrt(v). */
function kerasAdamW(lr: number, b1: number, b2: number, eps: number, wd: number, lrAt = (_: number) => lr): number[][] {
  const p = Array.from(P0, Number), m = new Array(N).fill(0), v = new Array(N).fill(0);
  return GRADS.map((g, it) => {
    const rate = lrAt(it), t = it + 1;
    const alpha = rate * Math.sqrt(1 - b2 ** t) / (1 - b1 ** t);
    for (let i = 0; i < N; i++) {
      p[i] -= p[i] * wd * rate;
      m[i] += (g[i] - m[i]) * (1 - b1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
      p[i] -= m[i] * alpha / (Math.sqrt(v[i]) + eps);
    }
    return p.slice();
  });
}

describe('adamw (Keras 3 semantics)', () => {
  it('matches the f64 Keras formula', () => {
    const opt = nn.optimizers.adamw({ learningRate: 0.01, weightDecay: 0.1 });
    expect(opt.className).toBe('AdamW');
    compareSteps('adamw', ours(opt), kerasAdamW(0.01, 0.9, 0.999, 1e-7, 0.1));
  });
  it('matches with other betas, a large epsilon and a schedule', () => {
    const sched = nn.schedules.exponentialDecay({ initialLearningRate: 0.05, decaySteps: 1, decayRate: 0.5 });
    const opt = nn.optimizers.adamw({ learningRate: sched, beta1: 0.5, beta2: 0.6, epsilon: 1e-2, weightDecay: 0.3 });
    compareSteps('adamw', ours(opt), kerasAdamW(0.05, 0.5, 0.6, 1e-2, 0.3, (s) => 0.05 * 0.5 ** s));
  });
  it('decays weights even with zero gradients', () => {
    const zeros = GRADS.map(() => new Float32Array(N));
    const [, , last] = ours(nn.optimizers.adamw({ learningRate: 0.1, weightDecay: 0.5 }), zeros);
    expectClose(last, Array.from(P0, (p) => p * 0.95 ** 3), 1e-6);
  });
});

describe('gradient clipping', () => {
  const norm = (x: ArrayLike<number>, from: number, to: number) => {
    let s = 0;
    for (let i = from; i < to; i++) s += x[i] * x[i];
    return Math.sqrt(s);
  };
  // With SGD at lr 1 the step taken is exactly the clipped gradient.
  const stepTaken = (opt: Opt, g: Float32Array) => {
    const [p1] = ours(opt, [g]);
    return Array.from(p1, (v, i) => P0[i] - v);
  };

  it('clipValue clamps each element', () => {
    const g = GRADS[0];
    expectClose(stepTaken(nn.optimizers.sgd({ learningRate: 1, clipValue: 0.5 }), g), Array.from(g, (v) => Math.max(-0.5, Math.min(0.5, v))), 1e-6);
  });

  it('clipNorm rescales each segment on its own, and leaves small ones alone', () => {
    const g = Float32Array.from(GRADS[0], (v, i) => (i < 6 ? 10 * v : 0.01 * v));
    expect(norm(g, 0, 6)).toBeGreaterThan(1);
    expect(norm(g, 6, N)).toBeLessThan(1);
    const step = stepTaken(nn.optimizers.sgd({ learningRate: 1, clipNorm: 1 }), g);
    expectClose([norm(step, 0, 6)], [1], 1e-6, 'clipped segment norm');
    const scale = 1 / norm(g, 0, 6);
    expectClose(step.slice(0, 6), Array.from(g.slice(0, 6), (v) => v * scale), 1e-6, 'direction kept');
    expectClose(step.slice(6), g.slice(6), 1e-6, 'small segment untouched');
  });

  it('clipNorm without segments treats the arena as one parameter', () => {
    const g = Float32Array.from(GRADS[0], (v) => 10 * v);
    const [p1] = ours(nn.optimizers.sgd({ learningRate: 1, clipNorm: 1 }), [g], P0, []);
    const total = norm(g, 0, N);
    expectClose(Array.from(p1, (v, i) => P0[i] - v), Array.from(g, (v) => v / total), 1e-6);
  });

  it('clipValue applies before clipNorm', () => {
    const g = Float32Array.from(GRADS[1], (v) => 10 * v);
    const clipped = Array.from(g, (v) => Math.max(-3, Math.min(3, v)));
    const expected = [...SEGMENTS].flatMap((s) => {
      const part = clipped.slice(s.offset, s.offset + s.size);
      const n = norm(part, 0, part.length);
      return part.map((v) => (n > 2 ? v * 2 / n : v));
    });
    expectClose(stepTaken(nn.optimizers.sgd({ learningRate: 1, clipValue: 3, clipNorm: 2 }), g), expected, 1e-6);
  });

  it('globalClipNorm rescales all segments together', () => {
    const g = Float32Array.from(GRADS[2], (v) => 5 * v);
    const total = norm(g, 0, N);
    expect(total).toBeGreaterThan(1);
    expectClose(stepTaken(nn.optimizers.sgd({ learningRate: 1, globalClipNorm: 1 }), g), Array.from(g, (v) => v / total), 1e-6);
  });

  it('clipping works for every optimizer (adam with clipNorm vs tfjs adam on pre-clipped gradients)', () => {
    const big = GRADS.map((g) => Float32Array.from(g, (v) => 50 * v));
    const preclipped = big.map((g) => Float32Array.from(g, (_, i) => {
      const s = SEGMENTS.find((seg) => i >= seg.offset && i < seg.offset + seg.size)!;
      return g[i] * 1.5 / norm(g, s.offset, s.offset + s.size);
    }));
    compareSteps('adam clipNorm', ours(nn.optimizers.adam({ learningRate: 0.01, clipNorm: 1.5 }), big), theirs(tf.train.adam(0.01, 0.9, 0.999, 1e-7), preclipped));
  });
});

describe('learning-rate schedules', () => {
  it('exponentialDecay, continuous and staircase', () => {
    const s = nn.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
    expectClose([s(0), s(5), s(10), s(25)], [0.1, 0.1 * Math.SQRT1_2, 0.05, 0.1 * 0.5 ** 2.5], 1e-12);
    const st = nn.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expectClose([st(0), st(9), st(10), st(25)], [0.1, 0.1, 0.05, 0.025], 1e-12);
    expect(st.getConfig()).toEqual({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
    expect(st.className).toBe('ExponentialDecay');
  });

  it('stepDecay drops by decayRate every dropEvery steps', () => {
    const s = nn.schedules.stepDecay({ initialLearningRate: 1, dropEvery: 3, decayRate: 0.1 });
    expectClose([s(0), s(2), s(3), s(6), s(8)], [1, 1, 0.1, 0.01, 0.01], 1e-12);
    const syn = nn.schedules.stepDecay({ initialLearningRate: 1, decaySteps: 3 });
    expectClose([syn(3)], [0.5], 1e-12);
    expect(() => nn.schedules.stepDecay({ initialLearningRate: 1 })).toThrow(/stepDecay: dropEvery \(or decaySteps\) is required/);
  });

  it('cosineDecay follows Keras, with alpha and warmup', () => {
    const s = nn.schedules.cosineDecay({ initialLearningRate: 1, decaySteps: 100, alpha: 0.1 });
    expectClose([s(0), s(50), s(100), s(1000)], [1, 0.55, 0.1, 0.1], 1e-12);
    expectClose([s(25)], [0.9 * 0.5 * (1 + Math.SQRT1_2) + 0.1], 1e-12);
    const w = nn.schedules.cosineDecay({ initialLearningRate: 0, decaySteps: 10, warmupTarget: 1, warmupSteps: 10 });
    expectClose([w(0), w(5), w(10), w(15), w(20), w(30)], [0, 0.5, 1, 0.5, 0, 0], 1e-12);
  });

  it('an optimizer evaluates its schedule at `iterations` before each update', () => {
    const sched = nn.schedules.exponentialDecay({ initialLearningRate: 0.4, decaySteps: 1, decayRate: 0.5 });
    const opt = nn.optimizers.sgd({ learningRate: sched });
    expect(opt.currentLearningRate()).toBe(0.4);
    const steps = ours(opt);
    let p = Array.from(P0, Number);
    const expected = GRADS.map((g, it) => (p = p.map((v, i) => v - 0.4 * 0.5 ** it * g[i])));
    compareSteps('scheduled sgd', steps, expected);
    expect(opt.iterations).toBe(3);
    expect(opt.currentLearningRate()).toBeCloseTo(0.05, 12);
    expect(opt.getConfig().learningRate).toEqual({ className: 'ExponentialDecay', config: sched.getConfig() });
  });

  it('the learning rate can be replaced by a number between steps (reduceLROnPlateau)', () => {
    const opt = nn.optimizers.sgd({ learningRate: 0.1 });
    const params = nn.tensor(P0), g = nn.tensor(GRADS[0]);
    opt.applyGradients(params.ptr, g.ptr, N, SEGMENTS);
    opt.learningRate = 0.01;
    expect(opt.currentLearningRate()).toBe(0.01);
    opt.applyGradients(params.ptr, g.ptr, N, SEGMENTS);
    expectClose(params.dataSync(), Array.from(P0, (v, i) => v - 0.11 * GRADS[0][i]), 1e-6);
    expect(() => { opt.learningRate = -1; }).toThrow(/sgd: learningRate must be a finite number >= 0 \(got -1\)/);
    params.dispose(); g.dispose(); opt.dispose();
  });

  it('rejects bad schedule arguments', () => {
    expect(() => nn.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(/exponentialDecay: decaySteps must be > 0 \(got 0\)/);
    expect(() => nn.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 2 })).toThrow(/cosineDecay: alpha must be in \[0, 1\]/);
    expect(() => nn.schedules.exponentialDecay({ initialLearningRate: -1, decaySteps: 1, decayRate: 0.5 })).toThrow(/initialLearningRate/);
  });
});

describe('optimizer API', () => {
  it('getWeights names and orders state as tfjs does, and setWeights resumes exactly', async () => {
    const cases: Array<[() => Opt, () => any]> = [
      [() => nn.optimizers.adam({ learningRate: 0.01 }), () => tf.train.adam(0.01, 0.9, 0.999, 1e-7)],
      [() => nn.optimizers.rmsprop({ learningRate: 0.01, momentum: 0.5, centered: true, epsilon: 0 }), () => tf.train.rmsprop(0.01, 0.9, 0.5, 0, true)],
      [() => nn.optimizers.adadelta({ learningRate: 1 }), () => tf.train.adadelta(1, 0.95, 1e-7)],
      [() => nn.optimizers.adagrad({ learningRate: 0.1 }), () => tf.train.adagrad(0.1)],
      [() => nn.optimizers.sgd({ learningRate: 0.1, momentum: 0.9 }), () => tf.train.momentum(0.1, 0.9)],
    ];
    for (const [mine, ref] of cases) {
      const segs = SEGMENTS.map((s) => ({ ...s, name: `state_${s.name}_${uid++}` }));
      // tfjs: one step, then its state
      const tfOpt = ref();
      const vars = segs.map((s) => tf.variable(tf.tensor(P0.slice(s.offset, s.offset + s.size)), true, s.name));
      tfOpt.applyGradients(Object.fromEntries(segs.map((s) => [s.name, tf.tensor(GRADS[0].slice(s.offset, s.offset + s.size))])));
      const tfState: Array<{ name: string; tensor: any }> = await tfOpt.getWeights();
      // ours: one step, then the same names in the same order, and the same values
      const opt = mine();
      const params = nn.tensor(P0), g0 = nn.tensor(GRADS[0]);
      opt.applyGradients(params.ptr, g0.ptr, N, segs);
      const state = opt.getWeights(N, segs);
      expect(state.map((w) => w.name), opt.className).toEqual(tfState.map((w) => w.name));
      state.forEach((w, i) => expectClose(w.tensor.dataSync(), tfState[i].tensor.dataSync(), 1e-6, `${opt.className} ${w.name}`));
      // a fresh optimizer given that state continues exactly like the original
      const resumed = mine();
      resumed.setWeights(state, N, segs);
      expect(resumed.iterations).toBe(1);
      const twin = nn.tensor(params.dataSync());
      for (const g of GRADS.slice(1)) {
        const gt = nn.tensor(g);
        opt.applyGradients(params.ptr, gt.ptr, N, segs);
        resumed.applyGradients(twin.ptr, gt.ptr, N, segs);
        gt.dispose();
      }
      expect(Array.from(twin.dataSync()), opt.className).toEqual(Array.from(params.dataSync()));
      state.forEach((w) => w.tensor.dispose());
      [params, g0, twin].forEach((t) => t.dispose());
      opt.dispose(); resumed.dispose(); tfOpt.dispose(); tf.dispose(vars);
    }
    expect(() => nn.optimizers.adam().setWeights([], N, SEGMENTS)).toThrow(/adam: setWeights is missing 'kernel\/m'/);
  });

  it('factories use Keras 3 defaults and report them in getConfig', () => {
    expect(nn.optimizers.sgd().getConfig()).toEqual({ learningRate: 0.01 });
    expect(nn.optimizers.sgd({ momentum: 0.9 }).getConfig()).toEqual({ learningRate: 0.01, momentum: 0.9, nesterov: false });
    expect(nn.optimizers.adam().getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(nn.optimizers.adamax().getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(nn.optimizers.adamw().getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.004 });
    expect(nn.optimizers.rmsprop().getConfig()).toEqual({ learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    expect(nn.optimizers.adagrad().getConfig()).toEqual({ learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 });
    expect(nn.optimizers.adadelta().getConfig()).toEqual({ learningRate: 0.001, rho: 0.95, epsilon: 1e-7 });
    expect(nn.optimizers.adam({ clipNorm: 1, clipValue: 2 }).getConfig()).toMatchObject({ clipNorm: 1, clipValue: 2 });
  });

  it('getOptimizer takes names (any case) and instances', () => {
    const names: Record<string, string> = { sgd: 'SGD', momentum: 'Momentum', adagrad: 'Adagrad', adadelta: 'Adadelta',
      rmsprop: 'RMSProp', RMSProp: 'RMSProp', adam: 'Adam', Adam: 'Adam', adamax: 'Adamax', adamw: 'AdamW' };
    for (const [name, cls] of Object.entries(names)) expect(nn.optimizers.getOptimizer(name).className).toBe(cls);
    const a = nn.optimizers.adam();
    expect(nn.optimizers.getOptimizer(a)).toBe(a);
    expect(nn.optimizers.getOptimizer('adam')).toBeInstanceOf(nn.optimizers.Optimizer);
    expect(() => nn.optimizers.getOptimizer('foo')).toThrow(
      "compile: unknown optimizer 'foo'; known: sgd, momentum, adagrad, adadelta, rmsprop, adam, adamax, adamw");
    expect(() => nn.optimizers.getOptimizer('constructor')).toThrow(/unknown optimizer 'constructor'/);
  });

  it('rejects invalid hyperparameters with clear errors', () => {
    expect(() => nn.optimizers.sgd({ learningRate: -0.1 })).toThrow('sgd: learningRate must be a finite number >= 0 (got -0.1)');
    expect(() => nn.optimizers.sgd({ momentum: 1.5 })).toThrow('momentum: momentum must be in [0, 1] (got 1.5)');
    expect(() => nn.optimizers.adam({ beta1: 1 })).toThrow('adam: beta1 must be in [0, 1) (got 1)');
    expect(() => nn.optimizers.adamax({ beta2: -0.1 })).toThrow('adamax: beta2 must be in [0, 1) (got -0.1)');
    expect(() => nn.optimizers.adam({ epsilon: NaN })).toThrow(/adam: epsilon must be/);
    expect(() => nn.optimizers.rmsprop({ rho: 2 })).toThrow('rmsprop: rho must be in [0, 1] (got 2)');
    expect(() => nn.optimizers.adadelta({ rho: -1 })).toThrow(/adadelta: rho/);
    expect(() => nn.optimizers.adagrad({ initialAccumulatorValue: -1 })).toThrow(/adagrad: initialAccumulatorValue/);
    expect(() => nn.optimizers.adamw({ weightDecay: -1 })).toThrow(/adamw: weightDecay/);
    expect(() => nn.optimizers.adam({ clipNorm: 0 })).toThrow('adam: clipNorm must be a finite number > 0 (got 0)');
    expect(() => nn.optimizers.sgd({ clipValue: -1 })).toThrow(/sgd: clipValue/);
  });

  it('state is built once per arena size; another size or a bad segment throws', () => {
    const opt = nn.optimizers.adam();
    const params = nn.tensor(P0), g = nn.tensor(GRADS[0]);
    const before = nn.memory().numTensors;
    opt.applyGradients(params.ptr, g.ptr, N, SEGMENTS);
    expect(nn.memory().numTensors).toBe(before + 2);   // m and v
    opt.applyGradients(params.ptr, g.ptr, N, SEGMENTS);
    expect(nn.memory().numTensors).toBe(before + 2);   // reused
    expect(() => opt.applyGradients(params.ptr, g.ptr, 8, [])).toThrow(/adam: applyGradients got an arena of 8 floats, but this optimizer's state was built for 11/);
    expect(() => opt.applyGradients(params.ptr, g.ptr, N, [{ name: 'w', offset: 8, size: 5 }])).toThrow("adam: segment 'w' [offset 8, size 5] does not fit an arena of 11 floats");
    expect(() => opt.applyGradients(params.ptr, g.ptr, 0, [])).toThrow(/adam: applyGradients needs a positive arena size/);
    expect(opt.iterations).toBe(2);
    opt.dispose();
    expect(nn.memory().numTensors).toBe(before);
    // after dispose, a fresh start of any size
    opt.applyGradients(params.ptr, g.ptr, 8, []);
    opt.dispose();
    params.dispose(); g.dispose();
  });

  it('state survives tidy() around applyGradients', () => {
    const opt = nn.optimizers.sgd({ momentum: 0.9, learningRate: 0.1 });
    const params = nn.tensor(P0), g = nn.tensor(GRADS[0]);
    nn.tidy(() => opt.applyGradients(params.ptr, g.ptr, N, SEGMENTS));
    nn.tidy(() => opt.applyGradients(params.ptr, g.ptr, N, SEGMENTS));
    // velocity after two steps is 1.9 g, so the parameters moved by 0.1 * 2.9 g
    expectClose(params.dataSync(), Array.from(P0, (v, i) => v - 0.29 * GRADS[0][i]), 1e-6);
    opt.dispose(); params.dispose(); g.dispose();
  });
});
