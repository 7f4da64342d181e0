// Shared helpers for the test files: load the built bundle once, compare arrays, check gradients.
// build/internal/simdnn.mjs is build/simdnn.mjs with declarations that keep the @internal members
// (tensor pointers, kernel access) the published build/simdnn.d.ts leaves out.
import * as nn from '../build/internal/simdnn.mjs';

export { nn };

const env = (globalThis as any).process?.env ?? {};
export const relaxed = env.SIMDNN_RELAXED === '1';

export async function ready(): Promise<void> {
  await nn.ready({ relaxedSimd: relaxed });
}

/** Max |a-b| / (1 + |b|) over the arrays; throws with the first offending index when > tol. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5, what = 'values'): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], b = expected[i];
    const err = Math.abs(a - b) / (1 + Math.abs(b));
    if (!(err <= tol)) throw new Error(`${what}[${i}]: ${a} vs expected ${b} (rel err ${err.toExponential(2)} > ${tol})`);
  }
}

/** Deterministic uniform values in [lo, hi) (mulberry32), for test inputs. */
export function rand(n: number, seed = 1, lo = -1, hi = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/**
 * Central-difference gradient check of a scalar-valued f at the given inputs, in f64 on the TS side.
 * f receives tensors and must return a tensor; its sum is differentiated.
 */
export function checkGrad(f: (...xs: nn.Tensor[]) => nn.Tensor, inputs: nn.Tensor[], { eps = 1e-3, tol = 1e-3 } = {}): void {
  const analytic = nn.grads(f)(inputs).map((g) => { const d = g.dataSync(); g.dispose(); return d; });
  const sumOf = (xs: nn.Tensor[]) => nn.tidy(() => { let s = 0; for (const v of f(...xs).dataSync()) s += v; return s; });
  inputs.forEach((x, which) => {
    const base = x.dataSync();
    const numeric = new Float64Array(base.length);
    for (let i = 0; i < base.length; i++) {
      const probe = (delta: number) => {
        const v = Float32Array.from(base); v[i] += delta;
        const xs = inputs.map((t, j) => (j === which ? nn.tensor(v, t.shape) : t));
        const s = sumOf(xs);
        xs[which].dispose();
        return s;
      };
      numeric[i] = (probe(eps) - probe(-eps)) / (2 * eps);
    }
    expectClose(analytic[which], numeric, tol, `d/dx${which}`);
  });
}

/**
 * Raw wasm buffers for kernel tests: `put`/`putInts` copy f32/i32 values in and return the pointer,
 * `get` copies n floats out; `freeAll` frees every buffer put so far.
 */
export function rawBuffers() {
  const ptrs: number[] = [];
  const K = () => nn.internals.kernels();
  function copyIn(values: ArrayLike<number>, View: Float32ArrayConstructor | Int32ArrayConstructor): number {
    const p = K().alloc(Math.max(16, values.length * 4));
    ptrs.push(p);
    new View(K().memory.buffer).set(values, p >>> 2);
    return p;
  }
  return {
    put: (values: ArrayLike<number>) => copyIn(values, Float32Array),
    putInts: (values: ArrayLike<number>) => copyIn(values, Int32Array),
    get(p: number, n: number): Float32Array {
      return new Float32Array(K().memory.buffer).slice(p >>> 2, (p >>> 2) + n);
    },
    freeAll(): void { for (const p of ptrs.splice(0)) K().free(p); },
  };
}

/**
 * A kernel by a name computed at run time (the `_ref` twin of another, one of a list): tsc cannot
 * check those calls against the generated kernel interface, so this checks that the export exists.
 */
export function kernelByName(name: string): (...args: number[]) => number {
  const f = (nn.internals.kernels() as unknown as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new Error(`no kernel named ${name} in the wasm exports`);
  return f as (...args: number[]) => number;
}
