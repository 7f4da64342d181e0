// An independent JavaScript model of the random stream of assembly/kernels/random.ts, written from
// the published Philox4x32-10 algorithm with plain f64 arithmetic. Tests compare kernel output with
// it: that the bits follow from this formula alone is what makes them the same in every runtime.

const M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

/** [high, low] 32-bit halves of the 64-bit product a·b, exact in f64 via 16-bit limbs. */
function mulHiLo(a: number, b: number): [number, number] {
  const ah = a >>> 16, al = a & 0xffff, bh = b >>> 16, bl = b & 0xffff;
  const low = al * bl;
  const mid = ah * bl + al * bh + Math.floor(low / 65536); // < 2^34: exact
  const hi = ah * bh + Math.floor(mid / 65536);
  const lo = ((mid % 65536) * 65536 + (low % 65536)) >>> 0;
  return [hi >>> 0, lo];
}

export function philox4x32_10(ctr: readonly number[], key: readonly number[]): number[] {
  let [c0, c1, c2, c3] = ctr.map((v) => v >>> 0);
  let [k0, k1] = key.map((v) => v >>> 0);
  for (let round = 0; round < 10; round++) {
    const [hi0, lo0] = mulHiLo(M0, c0);
    const [hi1, lo1] = mulHiLo(M1, c2);
    [c0, c1, c2, c3] = [(hi1 ^ c1 ^ k0) >>> 0, lo1, (hi0 ^ c3 ^ k1) >>> 0, lo0];
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  return [c0, c1, c2, c3];
}

/** Stream word at 64-bit position p (a JS number < 2^53) under key, for a given redraw attempt. */
export function wordAt(p: number, key: readonly number[], attempt = 0): number {
  const block = Math.floor(p / 4);
  return philox4x32_10([block % 4294967296, Math.floor(block / 4294967296), attempt, 0], key)[p % 4];
}

export function uniformAt(p: number, key: readonly number[], lo = 0, hi = 1): number {
  const u = Math.fround((wordAt(p, key) >>> 8) * 2 ** -24);
  return Math.fround(lo + Math.fround(Math.fround(hi - lo) * u));
}

/** Standard normal (Box–Muller, f64) at position p; not rounded. */
export function normalAt(p: number, key: readonly number[], attempt = 0): number {
  const even = p - (p % 2);
  const a = wordAt(even, key, attempt), b = wordAt(even + 1, key, attempt);
  const r = Math.sqrt(-2 * Math.log((a + 0.5) * 2 ** -32));
  const theta = b * ((2 * Math.PI) / 4294967296);
  return r * (p % 2 ? Math.sin(theta) : Math.cos(theta));
}

export function truncatedNormalAt(p: number, key: readonly number[]): { z: number; attempts: number } {
  for (let attempt = 0; ; attempt++) {
    const z = normalAt(p, key, attempt);
    if (Math.abs(z) <= 2) return { z, attempts: attempt + 1 };
  }
}

/** The permutation shuffle_indices_i32 makes: Fisher–Yates from the top, j = ⌊w·(i+1)/2³²⌋. */
export function shuffledAt(n: number, start: number, key: readonly number[]): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((wordAt(start + (n - 1 - i), key) * (i + 1)) / 4294967296);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
