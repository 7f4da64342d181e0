// Activation, unary-math and softmax kernels: SIMD against the scalar f64 `_ref` twins at the
// tile edges, against JavaScript's Math in f64 over wide ranges, and at extreme inputs.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { nn, ready, rand, rawBuffers } from '../setup';

let K: any;
const { put, get, freeAll } = rawBuffers();
beforeAll(async () => { await ready(); K = nn.internals.kernels(); });
afterAll(freeAll);

/** |a - b| <= tol · max(|b|, floor): relative, with an absolute floor for values near 0. */
function expectRel(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string, floor = 1e-30): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], b = expected[i];
    if (Number.isNaN(b)) { if (!Number.isNaN(a)) throw new Error(`${what}[${i}]: ${a}, expected NaN`); continue; }
    if (a === b) continue;
    const err = Math.abs(a - b) / Math.max(Math.abs(b), floor);
    if (!(err <= tol)) throw new Error(`${what}[${i}]: ${a} vs expected ${b} (rel err ${err.toExponential(2)} > ${tol})`);
  }
}

// name → kernel kind, read from the module's exported constants.
const KINDS = ['ACT_LINEAR', 'ACT_SIGMOID', 'ACT_HARD_SIGMOID', 'ACT_TANH', 'ACT_RELU', 'ACT_RELU6', 'ACT_LEAKY_RELU',
  'ACT_ELU', 'ACT_SELU', 'ACT_SOFTPLUS', 'ACT_SOFTSIGN', 'ACT_SWISH', 'ACT_GELU', 'ACT_STEP', 'ACT_SIGN',
  'UNARY_EXP', 'UNARY_LOG', 'UNARY_SQRT', 'UNARY_SQUARE', 'UNARY_NEG', 'UNARY_ABS', 'ACT_HARD_TANH',
  'UNARY_FLOOR', 'UNARY_CEIL', 'UNARY_ROUND', 'UNARY_TRUNC', 'UNARY_RECIPROCAL', 'UNARY_RSQRT', 'UNARY_LOG1P', 'UNARY_EXPM1'];
const kind = (name: string): number => K[name].value;
const POSITIVE_ONLY = new Set(['UNARY_LOG', 'UNARY_SQRT', 'UNARY_RSQRT', 'UNARY_LOG1P']);
const ALPHA: Record<string, number> = { ACT_LEAKY_RELU: 0.2, ACT_ELU: 1, ACT_SWISH: 1 };

const SIZES = [1, 3, 4, 5, 7, 8, 9, 16, 17, 33];
const EXTREMES = [100, -100, 0, -0, 1e-30, -1e-30, 1e-7, -1e-7, 50, -50, 88, -88, 6, 2.5, -2.5, 20, -20];

/** n test inputs: random in [-4, 4] with extremes sprinkled at every position class (even the tail). */
function inputs(n: number, seed: number, positive: boolean): Float32Array {
  const xs = rand(n, seed, -4, 4);
  for (let i = 0; i < n; i += 2) xs[i] = EXTREMES[(i / 2 + seed) % EXTREMES.length];
  if (positive) for (let i = 0; i < n; i++) xs[i] = Math.abs(xs[i]);
  return xs;
}

// ---- accurate f64 references for the special functions JavaScript lacks ----
function erfc(z: number): number {
  if (z < 3) {
    let s = 0, t = z;
    for (let n = 0; n < 200 && (n < 3 || Math.abs(t) > 1e-17 * Math.abs(s)); ) { s += t / (2 * n + 1); n++; t *= -z * z / n; }
    return 1 - (2 / Math.sqrt(Math.PI)) * s;
  }
  let f = 0;
  for (let k = 80; k >= 1; k--) f = k / 2 / (z + f);
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f);
}
const normalCdf = (x: number): number => (x >= 0 ? 1 - 0.5 * erfc(x / Math.SQRT2) : 0.5 * erfc(-x / Math.SQRT2));
const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

describe('activation kernels', () => {
  it('export one numbering for every kind', () => {
    expect(KINDS.map(kind)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 20, 21, 22,
      23, 24, 25, 26, 27, 28, 29, 30]);
    expect(K.ACT_SOFTMAX.value).toBe(15);
  });

  it('forward: SIMD matches the f64 reference for every kind, size and extreme input', () => {
    for (const name of KINDS) {
      for (const n of SIZES) {
        const xs = inputs(n, n, POSITIVE_ONLY.has(name));
        const x = put(xs), y = put(new Float32Array(n)), yr = put(new Float32Array(n));
        K.act_forward_f32(y, x, n, kind(name), ALPHA[name] ?? 0);
        K.act_forward_f32_ref(yr, x, n, kind(name), ALPHA[name] ?? 0);
        const got = get(y, n);
        expectRel(got, get(yr, n), 1e-6, `${name} n=${n}`);
        for (let i = 0; i < n; i++) if (Number.isNaN(got[i])) throw new Error(`${name}(${xs[i]}) is NaN`);
        // In place (y == x) gives the same values.
        K.act_forward_f32(x, x, n, kind(name), ALPHA[name] ?? 0);
        expect(Array.from(get(x, n))).toEqual(Array.from(got));
      }
    }
  });

  it('backward: SIMD matches the f64 reference and accumulates into dx', () => {
    for (const name of KINDS) {
      for (const n of SIZES) {
        const xs = inputs(n, n + 7, POSITIVE_ONLY.has(name));
        const x = put(xs), y = put(new Float32Array(n));
        K.act_forward_f32(y, x, n, kind(name), ALPHA[name] ?? 0);
        const dy = put(rand(n, 3 * n)), dx0 = rand(n, 5 * n);
        const dx = put(dx0), dxr = put(dx0);
        K.act_backward_f32(dx, dy, x, y, n, kind(name), ALPHA[name] ?? 0);
        K.act_backward_f32_ref(dxr, dy, x, y, n, kind(name), ALPHA[name] ?? 0);
        // (1 + |b|) scale: the accumulated dx0 is O(1), so this is relative to the sum.
        const got = get(dx, n), want = get(dxr, n);
        for (let i = 0; i < n; i++) {
          if (got[i] === want[i]) continue; // includes ±Infinity (exp' at 100)
          const err = Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i]));
          if (!(err <= 2e-6)) throw new Error(`${name}' n=${n} [${i}] x=${xs[i]}: ${got[i]} vs ${want[i]}`);
        }
      }
    }
  });

  it('kinds whose backward needs only y give the same gradient after an in-place forward', () => {
    // The contract behind backwardReadsInput(): these may run forward in place (x overwritten by y).
    const READS_X = new Set(['ACT_SWISH', 'ACT_GELU', 'UNARY_LOG', 'UNARY_SQUARE', 'UNARY_ABS', 'ACT_HARD_TANH', 'UNARY_LOG1P']);
    const n = 17;
    for (const name of KINDS) {
      if (READS_X.has(name)) continue;
      const xs = inputs(n, 42, POSITIVE_ONLY.has(name));
      const x = put(xs), y = put(new Float32Array(n)), dy = put(rand(n, 43));
      K.act_forward_f32(y, x, n, kind(name), ALPHA[name] ?? 0);
      const a = put(new Float32Array(n)), b = put(new Float32Array(n));
      K.act_backward_f32(a, dy, x, y, n, kind(name), ALPHA[name] ?? 0);
      K.act_backward_f32(b, dy, y, y, n, kind(name), ALPHA[name] ?? 0);
      expect(Array.from(get(b, n)), name).toEqual(Array.from(get(a, n)));
    }
  });

  it('leakyRelu and elu with a negative alpha read the input sign', () => {
    for (const name of ['ACT_LEAKY_RELU', 'ACT_ELU']) {
      const n = 9, xs = inputs(n, 5, false);
      const x = put(xs), y = put(new Float32Array(n)), yr = put(new Float32Array(n)), dy = put(rand(n, 6));
      K.act_forward_f32(y, x, n, kind(name), -0.5);
      K.act_forward_f32_ref(yr, x, n, kind(name), -0.5);
      expectRel(get(y, n), get(yr, n), 1e-6, name);
      const dx = put(new Float32Array(n)), dxr = put(new Float32Array(n));
      K.act_backward_f32(dx, dy, x, y, n, kind(name), -0.5);
      K.act_backward_f32_ref(dxr, dy, x, y, n, kind(name), -0.5);
      expectRel(get(dx, n), get(dxr, n), 1e-6, `${name}'`);
      const want = Array.from(xs, (v, i) => (v > 0 ? 1 : name === 'ACT_ELU' ? -0.5 * Math.exp(v) : -0.5) * get(dy, n)[i]);
      expectRel(get(dx, n), want, 1e-6, `${name}' formula`, 1e-6);
    }
  });

  it('step and sign have a zero gradient: dx is left as it was', () => {
    for (const name of ['ACT_STEP', 'ACT_SIGN']) {
      const dx0 = rand(9, 1), dx = put(dx0), x = put(rand(9, 2)), y = put(new Float32Array(9)), dy = put(rand(9, 3));
      K.act_backward_f32(dx, dy, x, y, 9, kind(name), 0);
      expect(Array.from(get(dx, 9))).toEqual(Array.from(dx0));
    }
  });

  it('exp, log, tanh, sigmoid, softplus, elu, gelu agree with f64 math to ~1e-6 relative over wide ranges', () => {
    const n = 4099;
    const check = (name: string, lo: number, hi: number, f: (v: number) => number, alpha = 0) => {
      const xs = new Float32Array(n);
      for (let i = 0; i < n; i++) xs[i] = lo + ((hi - lo) * i) / (n - 1);
      const x = put(xs), y = put(new Float32Array(n));
      K.act_forward_f32(y, x, n, kind(name), alpha);
      // Below ~1e-37 results are denormal and lose relative precision by construction.
      expectRel(get(y, n), Array.from(xs, f), 1e-6, `${name} on [${lo}, ${hi}]`, 1e-37);
    };
    check('UNARY_EXP', -87, 88.7, Math.exp);
    check('UNARY_EXP', -1, 1, Math.exp);
    check('UNARY_LOG', 1e-6, 1e6, Math.log);
    check('UNARY_LOG', 0.5, 2, Math.log);
    check('UNARY_LOG', 1e-44, 1e-38, Math.log); // denormal inputs
    check('ACT_TANH', -20, 20, Math.tanh);
    check('ACT_TANH', -0.05, 0.05, Math.tanh);
    check('ACT_SIGMOID', -87, 87, sigmoid);
    check('ACT_SOFTPLUS', -80, 80, (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))));
    check('ACT_ELU', -20, 2, (v) => (v > 0 ? v : Math.expm1(v)), 1);
    check('ACT_ELU', -1e-3, 1e-3, (v) => (v > 0 ? v : Math.expm1(v)), 1);
    check('ACT_SWISH', -80, 80, (v) => v * sigmoid(v), 1);
    check('ACT_GELU', -12, 12, (v) => v * normalCdf(v));
    check('ACT_GELU', -0.1, 0.1, (v) => v * normalCdf(v));
  });

  it('tanh and sigmoid hold their documented bounds on a dense grid (3.5e-7 and 2e-7 relative)', () => {
    // The recurrent cells spend most of their time in these two, so they are the fast forms of
    // assembly/vmath.ts; a change to their polynomials must not cost accuracy silently.
    const n = 200_001;
    const check = (name: string, lo: number, hi: number, f: (v: number) => number, rel: number) => {
      const xs = new Float32Array(n);
      for (let i = 0; i < n; i++) xs[i] = lo + ((hi - lo) * i) / (n - 1);
      const x = put(xs), y = put(new Float32Array(n));
      K.act_forward_f32(y, x, n, kind(name), 0);
      expectRel(get(y, n), Array.from(xs, f), rel, `${name} on [${lo}, ${hi}]`, 1e-37);
    };
    check('ACT_TANH', -10, 10, Math.tanh, 3.5e-7);
    check('ACT_TANH', -1e-3, 1e-3, Math.tanh, 3.5e-7);
    check('ACT_SIGMOID', -87, 87, sigmoid, 2e-7);
    check('ACT_SIGMOID', -4, 4, sigmoid, 2e-7);
  });

  it('handles IEEE special values', () => {
    const xs = [NaN, Infinity, -Infinity, 0];
    const run = (name: string) => { const x = put(xs), y = put(new Float32Array(4)); K.act_forward_f32(y, x, 4, kind(name), ALPHA[name] ?? 0); return Array.from(get(y, 4)); };
    expect(run('UNARY_EXP')).toEqual([NaN, Infinity, 0, 1]);
    expect(run('UNARY_LOG')).toEqual([NaN, Infinity, NaN, -Infinity]);
    expect(run('ACT_SIGMOID')).toEqual([NaN, 1, 0, 0.5]);
    expect(run('ACT_TANH')).toEqual([NaN, 1, -1, 0]);
    expect(run('ACT_SOFTPLUS')).toEqual([NaN, Infinity, 0, Math.fround(Math.LN2)]);
    expect(run('ACT_RELU')).toEqual([NaN, Infinity, 0, 0]);
    const e = put([88.72, 88.73, -103.9, -104.5]), ey = put(new Float32Array(4));
    K.act_forward_f32(ey, e, 4, kind('UNARY_EXP'), 0);
    const [big, over, denorm, under] = get(ey, 4);
    expect(big).toBeGreaterThan(3.3e38);
    expect(over).toBe(Infinity);
    expect(denorm).toBeGreaterThan(0); // the smallest denormals, not flushed
    expect(under).toBe(0);
  });
});

describe('softmax kernels', () => {
  const COLS = [1, 3, 4, 5, 8, 9, 17];
  const rows = 3;
  const logits = (cols: number, seed: number) => {
    const xs = rand(rows * cols, seed, -5, 5);
    xs[0] = 1000; // large logits must not overflow
    if (xs.length > 2) xs[2] = -1000;
    return xs;
  };

  it('softmax and logSoftmax forward match the f64 reference; rows sum to 1', () => {
    for (const cols of COLS) {
      const n = rows * cols, x = put(logits(cols, cols));
      for (const [fwd, name] of [['softmax_forward', 'softmax'], ['log_softmax_forward', 'logSoftmax']]) {
        const y = put(new Float32Array(n)), yr = put(new Float32Array(n));
        K[fwd](y, x, rows, cols);
        K[fwd + '_ref'](yr, x, rows, cols);
        const got = get(y, n);
        if (name === 'softmax') {
          expectRel(got, get(yr, n), 1e-6, `${name} cols=${cols}`, 1e-30);
          for (let r = 0; r < rows; r++) {
            let s = 0;
            for (let j = 0; j < cols; j++) s += got[r * cols + j];
            expect(Math.abs(s - 1)).toBeLessThan(1e-6);
          }
        } else {
          const want = get(yr, n);
          for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(want[i])));
        }
        // In place.
        const xc = put(get(x, n));
        K[fwd](xc, xc, rows, cols);
        expect(Array.from(get(xc, n))).toEqual(Array.from(got));
      }
    }
  });

  it('backward kernels match the f64 reference and accumulate', () => {
    for (const cols of COLS) {
      const n = rows * cols, x = put(logits(cols, cols + 1)), dy = put(rand(n, cols + 2));
      for (const [fwd, bwd] of [['softmax_forward', 'softmax_backward'], ['log_softmax_forward', 'log_softmax_backward']]) {
        const y = put(new Float32Array(n));
        K[fwd](y, x, rows, cols);
        const dx0 = rand(n, cols + 3), dx = put(dx0), dxr = put(dx0);
        K[bwd](dx, dy, y, rows, cols);
        K[bwd + '_ref'](dxr, dy, y, rows, cols);
        const got = get(dx, n), want = get(dxr, n);
        for (let i = 0; i < n; i++) {
          expect(Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i]))).toBeLessThanOrEqual(2e-6);
        }
      }
    }
  });
});
