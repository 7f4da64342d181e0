// Deterministic synthetic inputs, as in shared/WORKLOADS.md (the tfjs harness's PRNG).

/** mulberry32(seed): uniform floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n values lo + (hi - lo)·r(), in row-major order. */
export function uniform(n, seed, lo = 0, hi = 1) {
  const r = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * r();
  return out;
}

/** rows one-hot rows over `classes`: row i has a 1 at floor(r()·classes). */
export function oneHot(rows, classes, seed) {
  const r = mulberry32(seed);
  const out = new Float32Array(rows * classes);
  for (let i = 0; i < rows; i++) out[i * classes + Math.floor(r() * classes)] = 1;
  return out;
}
