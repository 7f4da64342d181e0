// Random numbers, dropout, shuffling, one-hot and the orthogonal initializer's QR.
//
// The generator is Philox4x32-10 (Salmon, Moraes, Dror, Shaw: "Parallel random numbers: as easy
// as 1, 2, 3", SC'11) — the counter-based generator behind TensorFlow, JAX and cuRAND. Counter-based
// means there is no state to carry: a 128-bit counter and a 64-bit key go in, four 32-bit words come
// out, so any element can be computed on its own, in any order, by SIMD lanes or threads, and the
// bits are fixed by the formula alone (integer ops only: identical in every runtime). It passes
// BigCrush, and its known-answer vectors let a test prove this is the real Philox.
//
// The stream: a draw of n values at 64-bit position `ctr` (ctrLo, ctrHi) under key (k0, k1) gives
// element i the word at position p = ctr + i, where
//   word(p, attempt) = Philox(counter = (lo32(p >> 2), hi32(p >> 2), attempt, 0), key)[p & 3].
// `attempt` is 0 except for truncated-normal redraws. Conversions:
//   uniform:   u(w) = (w >>> 8) · 2⁻²⁴ ∈ [0, 1)                        (f32, exact)
//              y = lo + (hi − lo)·u                                    (f32 mul then add)
//   normal:    element p uses words a = word(p & ~1), b = word(p | 1) (Box–Muller, in f64):
//              r = sqrt(−2 ln((a + ½)·2⁻³²)), θ = b·2π·2⁻³²; z = r·cos θ (p even), r·sin θ (p odd)
//   truncated: z redrawn with attempt = 1, 2, … while |z| > 2
// Plain mul + add (never madd) keeps draws bit-identical on the relaxed build too.

const PHILOX_M0: u32 = 0xD2511F53;
const PHILOX_M1: u32 = 0xCD9E8D57;
const PHILOX_W0: u32 = 0x9E3779B9; // key schedule: golden ratio
const PHILOX_W1: u32 = 0xBB67AE85; // key schedule: sqrt(3) - 1
const TWO_POW_M24: f32 = 5.9604644775390625e-8;
const TWO_POW_M32: f64 = 2.3283064365386963e-10;
const TWO_PI_TWO_POW_M32: f64 = 1.4629180792671596e-9; // 2π / 2³²
const TRUNCATE_AT: f64 = 2.0;
const MAX_ATTEMPTS: u32 = 64; // P(64 rejections in a row) = 0.0455⁶⁴ ≈ 1e-86

// ---------------------------------------------------------------------------------------------
// Scalar Philox with a one-block cache: consecutive positions share a block of four words.

let w0: u32 = 0, w1: u32 = 0, w2: u32 = 0, w3: u32 = 0;
let cachedBlock: u64 = 0, cachedAttempt: u32 = 0, cachedK0: u32 = 0, cachedK1: u32 = 0;
let cacheValid = false;

// @ts-ignore: decorator
@inline function philox_block(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let round = 0; round < 10; round++) {
    const p0 = <u64>PHILOX_M0 * <u64>c0;
    const p1 = <u64>PHILOX_M1 * <u64>c2;
    const n0 = <u32>(p1 >>> 32) ^ c1 ^ k0;
    const n2 = <u32>(p0 >>> 32) ^ c3 ^ k1;
    c1 = <u32>p1;
    c3 = <u32>p0;
    c0 = n0;
    c2 = n2;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  w0 = c0; w1 = c1; w2 = c2; w3 = c3;
}

/** The 32-bit word at stream position p (see the header). */
// @ts-ignore: decorator
@inline function word_at(p: u64, attempt: u32, k0: u32, k1: u32): u32 {
  const block = p >> 2;
  if (!cacheValid || block != cachedBlock || attempt != cachedAttempt || k0 != cachedK0 || k1 != cachedK1) {
    philox_block(<u32>block, <u32>(block >> 32), attempt, 0, k0, k1);
    cachedBlock = block; cachedAttempt = attempt; cachedK0 = k0; cachedK1 = k1; cacheValid = true;
  }
  const j = <u32>p & 3;
  return j == 0 ? w0 : j == 1 ? w1 : j == 2 ? w2 : w3;
}

// @ts-ignore: decorator
@inline function position(ctrLo: u32, ctrHi: u32): u64 {
  return (<u64>ctrHi << 32) | <u64>ctrLo;
}

// @ts-ignore: decorator
@inline function unit_f32(w: u32): f32 {
  return <f32>(w >>> 8) * TWO_POW_M24;
}

// Box–Muller: radius and angle from the pair of words at positions (pEven, pEven + 1); z = r·cos θ for
// the even position, r·sin θ for the odd one. Kernels that fill both elements of a pair share r and θ.
let polarR: f64 = 0, polarTheta: f64 = 0;

// @ts-ignore: decorator
@inline function polar_at(pEven: u64, attempt: u32, k0: u32, k1: u32): void {
  const a = word_at(pEven, attempt, k0, k1);
  const b = word_at(pEven | 1, attempt, k0, k1);
  polarR = Math.sqrt(-2.0 * Math.log((<f64>a + 0.5) * TWO_POW_M32));
  polarTheta = <f64>b * TWO_PI_TWO_POW_M32;
}

/** Standard normal for stream position p. */
// @ts-ignore: decorator
@inline function normal_at(p: u64, attempt: u32, k0: u32, k1: u32): f64 {
  polar_at(p & ~(<u64>1), attempt, k0, k1);
  return polarR * ((p & 1) ? Math.sin(polarTheta) : Math.cos(polarTheta));
}

// out:(4) u32 = Philox4x32-10(counter c0..c3, key k0,k1) — exposed for known-answer tests.
export function philox4x32_10(out: usize, c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  philox_block(c0, c1, c2, c3, k0, k1);
  cacheValid = false; // w0..w3 no longer hold the cached block
  store<u32>(out, w0); store<u32>(out, w1, 4); store<u32>(out, w2, 8); store<u32>(out, w3, 12);
}

// ---------------------------------------------------------------------------------------------
// SIMD Philox: four consecutive blocks in the four lanes (16 words per call).

let v0: v128 = i32x4.splat(0), v1: v128 = i32x4.splat(0), v2: v128 = i32x4.splat(0), v3: v128 = i32x4.splat(0);

// @ts-ignore: decorator
@inline function philox_lanes(block: u64, k0: u32, k1: u32): void {
  const lo = <u32>block;
  let c0 = i32x4.add(i32x4.splat(lo), i32x4(0, 1, 2, 3));
  // a lane whose low word wrapped carries one into the high word (the mask is -1 there)
  let c1 = i32x4.sub(i32x4.splat(<u32>(block >> 32)), i32x4.lt_u(c0, i32x4.splat(lo)));
  let c2 = i32x4.splat(0);
  let c3 = i32x4.splat(0);
  const m0 = i32x4.splat(PHILOX_M0), m1 = i32x4.splat(PHILOX_M1);
  let key0 = k0, key1 = k1;
  for (let round = 0; round < 10; round++) {
    const p0l = i64x2.extmul_low_i32x4_u(c0, m0), p0h = i64x2.extmul_high_i32x4_u(c0, m0);
    const p1l = i64x2.extmul_low_i32x4_u(c2, m1), p1h = i64x2.extmul_high_i32x4_u(c2, m1);
    const hi0 = i32x4.shuffle(p0l, p0h, 1, 3, 5, 7), lo0 = i32x4.shuffle(p0l, p0h, 0, 2, 4, 6);
    const hi1 = i32x4.shuffle(p1l, p1h, 1, 3, 5, 7), lo1 = i32x4.shuffle(p1l, p1h, 0, 2, 4, 6);
    const n0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(key0));
    const n2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(key1));
    c1 = lo1;
    c3 = lo0;
    c0 = n0;
    c2 = n2;
    key0 += PHILOX_W0;
    key1 += PHILOX_W1;
  }
  // transpose so that v<j> holds the four words of block + j, in stream order
  const t0 = i32x4.shuffle(c0, c1, 0, 4, 1, 5), t1 = i32x4.shuffle(c2, c3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(c0, c1, 2, 6, 3, 7), t3 = i32x4.shuffle(c2, c3, 2, 6, 3, 7);
  v0 = i32x4.shuffle(t0, t1, 0, 1, 4, 5);
  v1 = i32x4.shuffle(t0, t1, 2, 3, 6, 7);
  v2 = i32x4.shuffle(t2, t3, 0, 1, 4, 5);
  v3 = i32x4.shuffle(t2, t3, 2, 3, 6, 7);
}

// @ts-ignore: decorator
@inline function unit_f32x4(w: v128): v128 {
  return f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(w, 8)), f32x4.splat(TWO_POW_M24));
}

/** Elements before the first block boundary go through the scalar path. */
// @ts-ignore: decorator
@inline function head_length(base: u64, n: i32): i32 {
  const h = <i32>((4 - (<u32>base & 3)) & 3);
  return h < n ? h : n;
}

// ---------------------------------------------------------------------------------------------
// Uniform

// @ts-ignore: decorator
@inline function uniform_at(p: u64, k0: u32, k1: u32, lo: f32, range: f32): f32 {
  return lo + range * unit_f32(word_at(p, 0, k0, k1));
}

// y:(n) = uniform [lo, hi) draws at positions ctr .. ctr+n-1
export function random_uniform_f32(y: usize, n: i32, k0: u32, k1: u32, ctrLo: u32, ctrHi: u32, lo: f32, hi: f32): void {
  const base = position(ctrLo, ctrHi);
  const range = hi - lo;
  let i = head_length(base, n);
  for (let j = 0; j < i; j++) store<f32>(y + (<usize>j << 2), uniform_at(base + <u64>j, k0, k1, lo, range));
  const lov = f32x4.splat(lo), rangev = f32x4.splat(range);
  for (; i + 16 <= n; i += 16) {
    philox_lanes((base + <u64>i) >> 2, k0, k1);
    const o = y + (<usize>i << 2);
    v128.store(o, f32x4.add(lov, f32x4.mul(rangev, unit_f32x4(v0))));
    v128.store(o, f32x4.add(lov, f32x4.mul(rangev, unit_f32x4(v1))), 16);
    v128.store(o, f32x4.add(lov, f32x4.mul(rangev, unit_f32x4(v2))), 32);
    v128.store(o, f32x4.add(lov, f32x4.mul(rangev, unit_f32x4(v3))), 48);
  }
  for (; i < n; i++) store<f32>(y + (<usize>i << 2), uniform_at(base + <u64>i, k0, k1, lo, range));
}

export function random_uniform_f32_ref(y: usize, n: i32, k0: u32, k1: u32, ctrLo: u32, ctrHi: u32, lo: f32, hi: f32): void {
  const base = position(ctrLo, ctrHi);
  const range = hi - lo;
  for (let i = 0; i < n; i++) store<f32>(y + (<usize>i << 2), uniform_at(base + <u64>i, k0, k1, lo, range));
}

// ---------------------------------------------------------------------------------------------
// Normal and truncated normal (scalar: the logarithm and cosine dominate, not the generator)

// @ts-ignore: decorator
@inline function store_scaled(y: usize, i: i32, mean: f32, stddev: f32, z: f64): void {
  store<f32>(y + (<usize>i << 2), <f32>(<f64>mean + <f64>stddev * z));
}

// y:(n) = mean + stddev · N(0,1) at positions ctr .. ctr+n-1
export function random_normal_f32(y: usize, n: i32, k0: u32, k1: u32, ctrLo: u32, ctrHi: u32, mean: f32, stddev: f32): void {
  const base = position(ctrLo, ctrHi);
  let i = 0;
  while (i < n) {
    const p = base + <u64>i;
    if ((p & 1) == 0 && i + 1 < n) { // a whole pair: one logarithm for two values
      polar_at(p, 0, k0, k1);
      store_scaled(y, i, mean, stddev, polarR * Math.cos(polarTheta));
      store_scaled(y, i + 1, mean, stddev, polarR * Math.sin(polarTheta));
      i += 2;
    } else {
      store_scaled(y, i, mean, stddev, normal_at(p, 0, k0, k1));
      i++;
    }
  }
}

/** z at position p given its first draw z0: redrawn with attempt 1, 2, … while |z| > 2. */
// @ts-ignore: decorator
@inline function truncate(z0: f64, p: u64, k0: u32, k1: u32): f64 {
  let z = z0;
  for (let attempt: u32 = 1; Math.abs(z) > TRUNCATE_AT; attempt++) {
    z = attempt < MAX_ATTEMPTS ? normal_at(p, attempt, k0, k1) : 0;
  }
  return z;
}

// y:(n) = mean + stddev · z with z ~ N(0,1) redrawn (attempt 1, 2, …) while |z| > 2
export function truncated_normal_f32(y: usize, n: i32, k0: u32, k1: u32, ctrLo: u32, ctrHi: u32, mean: f32, stddev: f32): void {
  const base = position(ctrLo, ctrHi);
  let i = 0;
  while (i < n) {
    const p = base + <u64>i;
    if ((p & 1) == 0 && i + 1 < n) {
      polar_at(p, 0, k0, k1);
      const z0 = polarR * Math.cos(polarTheta), z1 = polarR * Math.sin(polarTheta);
      store_scaled(y, i, mean, stddev, truncate(z0, p, k0, k1));
      store_scaled(y, i + 1, mean, stddev, truncate(z1, p | 1, k0, k1));
      i += 2;
    } else {
      store_scaled(y, i, mean, stddev, truncate(normal_at(p, 0, k0, k1), p, k0, k1));
      i++;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Inverted dropout: element i kept iff u(word(ctr + i)) >= rate; kept values scaled by 1/(1-rate).

// y:(n) = x · mask, mask:(n) = kept ? 1/(1-rate) : 0 (mask == 0: not stored, nothing needs it)
export function dropout_mask_forward(y: usize, mask: usize, x: usize, n: i32, rate: f32,
                                     k0: u32, k1: u32, ctrLo: u32, ctrHi: u32): void {
  const base = position(ctrLo, ctrHi);
  const scale: f32 = <f32>1 / (<f32>1 - rate);
  let i = head_length(base, n);
  for (let j = 0; j < i; j++) dropout_one(y, mask, x, j, base, rate, scale, k0, k1);
  const ratev = f32x4.splat(rate), scalev = f32x4.splat(scale);
  for (; i + 16 <= n; i += 16) {
    philox_lanes((base + <u64>i) >> 2, k0, k1);
    const o = <usize>i << 2;
    dropout_four(y + o, mask ? mask + o : 0, x + o, v0, ratev, scalev);
    dropout_four(y + o + 16, mask ? mask + o + 16 : 0, x + o + 16, v1, ratev, scalev);
    dropout_four(y + o + 32, mask ? mask + o + 32 : 0, x + o + 32, v2, ratev, scalev);
    dropout_four(y + o + 48, mask ? mask + o + 48 : 0, x + o + 48, v3, ratev, scalev);
  }
  for (; i < n; i++) dropout_one(y, mask, x, i, base, rate, scale, k0, k1);
}

export function dropout_mask_forward_ref(y: usize, mask: usize, x: usize, n: i32, rate: f32,
                                         k0: u32, k1: u32, ctrLo: u32, ctrHi: u32): void {
  const base = position(ctrLo, ctrHi);
  const scale: f32 = <f32>1 / (<f32>1 - rate);
  for (let i = 0; i < n; i++) dropout_one(y, mask, x, i, base, rate, scale, k0, k1);
}

// @ts-ignore: decorator
@inline function dropout_one(y: usize, mask: usize, x: usize, i: i32, base: u64, rate: f32, scale: f32, k0: u32, k1: u32): void {
  const o = <usize>i << 2;
  const m: f32 = unit_f32(word_at(base + <u64>i, 0, k0, k1)) >= rate ? scale : 0;
  if (mask) store<f32>(mask + o, m);
  store<f32>(y + o, load<f32>(x + o) * m);
}

// @ts-ignore: decorator
@inline function dropout_four(y: usize, mask: usize, x: usize, words: v128, ratev: v128, scalev: v128): void {
  const m = v128.and(f32x4.ge(unit_f32x4(words), ratev), scalev);
  if (mask) v128.store(mask, m);
  v128.store(y, f32x4.mul(v128.load(x), m));
}

// dx:(n) += dy:(n) · mask:(n)
export function dropout_backward(dx: usize, dy: usize, mask: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, f32x4.add(v128.load(dx + o), f32x4.mul(v128.load(dy + o), v128.load(mask + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(dx + o) + load<f32>(dy + o) * load<f32>(mask + o));
  }
}

export function dropout_backward_ref(dx: usize, dy: usize, mask: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(dx + o) + load<f32>(dy + o) * load<f32>(mask + o));
  }
}

// ---------------------------------------------------------------------------------------------
// Shuffling and one-hot

// out:(n) i32 = a uniformly random permutation of 0..n-1 (Fisher–Yates from the top; step i = n-1..1
// takes the word at position ctr + (n-1-i) and picks j = ⌊word·(i+1) / 2³²⌋ ∈ [0, i], whose bias is
// at most (i+1)/2³², far below sampling noise for any dataset that fits in memory).
export function shuffle_indices_i32(out: usize, n: i32, k0: u32, k1: u32, ctrLo: u32, ctrHi: u32): void {
  const base = position(ctrLo, ctrHi);
  for (let i = 0; i < n; i++) store<i32>(out + (<usize>i << 2), i);
  for (let i = n - 1; i > 0; i--) {
    const w = word_at(base + <u64>(n - 1 - i), 0, k0, k1);
    const j = <i32>((<u64>w * <u64>(i + 1)) >> 32);
    const pi = out + (<usize>i << 2), pj = out + (<usize>j << 2);
    const t = load<i32>(pi);
    store<i32>(pi, load<i32>(pj));
    store<i32>(pj, t);
  }
}

// y:(n,depth) = one-hot rows of labels:(n) i32. Returns -1, or the index of the first label outside
// [0, depth) (y is then incomplete and the caller throws).
export function one_hot_f32(y: usize, labels: usize, n: i32, depth: i32): i32 {
  memory.fill(y, 0, <usize>n * <usize>depth << 2);
  for (let i = 0; i < n; i++) {
    const c = load<i32>(labels + (<usize>i << 2));
    if (c < 0 || c >= depth) return i;
    store<f32>(y + ((<usize>i * <usize>depth + <usize>c) << 2), 1);
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Orthogonal initializer: y:(rows,cols) = gain · Q (rows >= cols) or gain · Qᵀ (rows < cols), where
// Q:(m,n), m = max(rows,cols), n = min(rows,cols), comes from the QR factorization of a normal draw.
// a:(n,m) holds that draw with Q's columns as its rows (contiguous, so the loops stream through
// memory) and is overwritten by them. Modified Gram–Schmidt, run twice per vector ("twice is enough",
// Giraud et al.) with f64 sums, leaves R with a positive diagonal: the same Q as Keras' qr followed by
// q · sign(diag(r)).
export function orthogonal_f32(y: usize, a: usize, rows: i32, cols: i32, gain: f32): void {
  const m = rows > cols ? rows : cols;
  const n = rows > cols ? cols : rows;
  const len = <usize>m << 2;
  for (let j = 0; j < n; j++) {
    const vj = a + <usize>j * len;
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < j; q++) {
        const vq = a + <usize>q * len;
        let dot: f64 = 0;
        for (let i = 0; i < m; i++) dot += <f64>load<f32>(vq + (<usize>i << 2)) * <f64>load<f32>(vj + (<usize>i << 2));
        for (let i = 0; i < m; i++) {
          const o = <usize>i << 2;
          store<f32>(vj + o, <f32>(<f64>load<f32>(vj + o) - dot * <f64>load<f32>(vq + o)));
        }
      }
    }
    let norm2: f64 = 0;
    for (let i = 0; i < m; i++) { const v = <f64>load<f32>(vj + (<usize>i << 2)); norm2 += v * v; }
    const inv: f64 = norm2 > 0 ? 1.0 / Math.sqrt(norm2) : 0;
    for (let i = 0; i < m; i++) {
      const o = <usize>i << 2;
      store<f32>(vj + o, <f32>(<f64>load<f32>(vj + o) * inv));
    }
  }
  // y[r, c] = gain · (rows >= cols ? Q[r, c] : Q[c, r]), and Q[i, j] = a[j, i]
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const src = rows >= cols ? <usize>c * <usize>m + <usize>r : <usize>r * <usize>m + <usize>c;
      store<f32>(y + ((<usize>r * <usize>cols + <usize>c) << 2), gain * load<f32>(a + (src << 2)));
    }
  }
}
