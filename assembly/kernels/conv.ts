// 2-D convolution, NHWC, direct SIMD kernels (no im2col matrix):
//   forward      y:(N,OH,OW,F)  = x:(N,H,W,C) ⋆ w:(KH,KW,C,F) + b:(F)
//   bwd_data     dx:(N,H,W,C)  += Σ_taps dy · w(tap)ᵀ, scattered into a padded band, then added
//   bwd_filter   dw:(KH,KW,C,F) += Σ_pixels x-window ⊗ dy
// Geometry comes as an i32 block g (see G_* below), computed once by src/ops/conv.ts; kernels see
// only integers. Forward and filter gradient read the padded input one band of rows at a time,
// copied into the workspace with zeros at the borders, so the micro-kernels read every tap in
// bounds with no branch (an unpadded input is read in place); the input gradient accumulates into
// a zeroed padded band and adds its real cells to dx. Taps are reached through a table of byte
// offsets from a pixel's window origin: one per kernel row when the kernel's columns are
// contiguous (dilation 1: KW·C floats in a row), else one per (row, column). Peak workspace is the
// packed weights plus one band (about BAND_FLOATS floats), whatever the batch size.
// Forward with one input channel and stride 1 along the width (LeNet's first layer) may vectorize
// along the output width instead (conv_fwd_c1_2x16: 16 adjacent pixels × 2 filters), when that
// wastes fewer lanes than 8-filter panels (see use_c1). The forward kernel also applies an
// elementwise activation to each band of output rows while they are in cache, instead of a pass
// over the whole output.
import { madd, gi, imin, imax, store_columns } from '../simd';
import { act_forward_f32, act_forward_f32_ref, ACT_LINEAR } from './activation';
import { maxpool2x2 } from '../pool_util';

// Geometry block layout (i32): input N,H,W,C; filters F; kernel KH,KW; strides; dilations;
// low padding (top, left); output OH, OW.
const G_N = 0, G_H = 1, G_W = 2, G_C = 3, G_F = 4, G_KH = 5, G_KW = 6, G_SH = 7, G_SW = 8, G_DH = 9, G_DW = 10,
  G_PT = 11, G_PL = 12, G_OH = 13, G_OW = 14;
// The block is the caller's, one per call, and holds after those ints the descriptors the call
// works with (plan, source, cursor): no kernel keeps mutable state in static memory, which
// threads sharing one memory would trample. Its size in ints, and the descriptors' byte offsets:
export const CONV_GEOMETRY_INTS: i32 = 64;
const AT_PLAN: usize = 64, AT_SOURCE: usize = 128, AT_CURSOR: usize = 192;

const MR: i32 = 4; // output pixels (forward) or kernel rows (filter gradient) per tile
const NR: i32 = 8; // output channels per tile
// A band of padded input rows is sized to stay in L2 with the packed weights.
const BAND_FLOATS: i32 = 1 << 16;

// @ts-ignore: decorator
@inline function align16(bytes: i32): i32 { return (bytes + 15) & ~15; }

// ---- micro-kernels ---------------------------------------------------------------------------

// y:(mr ≤ 4 pixels, ldy bytes apart; nr ≤ 8 channels) = Σ_taps x · w. Pixel i's window origin
// is a_i (pass a_0 for the pixels beyond mr); tap segment s starts offs[s] bytes past the origin
// and holds seglen contiguous floats. w: the 8-channel panel, 8 bias values then 8 per tap float.
export function conv_fwd_4x8(y: usize, ldy: usize, a0: usize, a1: usize, a2: usize, a3: usize, w: usize,
                             offs: usize, nseg: i32, seglen: i32, mr: i32, nr: i32): void {
  let c0l = v128.load(w), c0h = v128.load(w, 16);
  let c1l = c0l, c1h = c0h, c2l = c0l, c2h = c0h, c3l = c0l, c3h = c0h;
  w += 32;
  const len = <usize>seglen << 2;
  const offEnd = offs + (<usize>nseg << 2);
  while (offs < offEnd) {
    const o = <usize>load<i32>(offs);
    let p0 = a0 + o, p1 = a1 + o, p2 = a2 + o, p3 = a3 + o;
    const end = p0 + len;
    do {
      const bl = v128.load(w), bh = v128.load(w, 16);
      let s = v128.load32_splat(p0);
      c0l = madd(s, bl, c0l); c0h = madd(s, bh, c0h);
      s = v128.load32_splat(p1);
      c1l = madd(s, bl, c1l); c1h = madd(s, bh, c1h);
      s = v128.load32_splat(p2);
      c2l = madd(s, bl, c2l); c2h = madd(s, bh, c2h);
      s = v128.load32_splat(p3);
      c3l = madd(s, bl, c3l); c3h = madd(s, bh, c3h);
      p0 += 4; p1 += 4; p2 += 4; p3 += 4; w += 32;
    } while (p0 != end);
    offs += 4;
  }
  const y1 = y + ldy, y2 = y1 + ldy, y3 = y2 + ldy;
  if (nr == NR) {
    v128.store(y, c0l); v128.store(y, c0h, 16);
    if (mr > 1) { v128.store(y1, c1l); v128.store(y1, c1h, 16); }
    if (mr > 2) { v128.store(y2, c2l); v128.store(y2, c2h, 16); }
    if (mr > 3) { v128.store(y3, c3l); v128.store(y3, c3h, 16); }
    return;
  }
  // A partial panel (fewer than 8 output channels left): lane stores, never past channel nr.
  store_columns(y, c0l, c0h, nr, 0);
  if (mr > 1) store_columns(y1, c1l, c1h, nr, 0);
  if (mr > 2) store_columns(y2, c2l, c2h, nr, 0);
  if (mr > 3) store_columns(y3, c3l, c3h, nr, 0);
}

// y:(2 pixels, ldy bytes apart; 16 channels) = Σ_taps x · w, for filter counts that are
// multiples of 16: 8 accumulators as conv_fwd_4x8, but each splat feeds 4 multiply-adds instead
// of 2 and only 2 pixel pointers advance (~27 instructions per 8 vector multiply-adds, not 29).
// Pixel 1's window origin is a1 (pass a0 when mr = 1); w: the 16-channel panel, 16 bias values
// then 16 per tap float.
export function conv_fwd_2x16(y: usize, ldy: usize, a0: usize, a1: usize, w: usize, offs: usize, nseg: i32, seglen: i32,
                              mr: i32): void {
  let c0a = v128.load(w), c0b = v128.load(w, 16), c0c = v128.load(w, 32), c0d = v128.load(w, 48);
  let c1a = c0a, c1b = c0b, c1c = c0c, c1d = c0d;
  w += 64;
  const len = <usize>seglen << 2;
  const offEnd = offs + (<usize>nseg << 2);
  while (offs < offEnd) {
    const o = <usize>load<i32>(offs);
    let p0 = a0 + o, p1 = a1 + o;
    const end = p0 + len;
    do {
      const b0 = v128.load(w), b1 = v128.load(w, 16), b2 = v128.load(w, 32), b3 = v128.load(w, 48);
      let s = v128.load32_splat(p0);
      c0a = madd(s, b0, c0a); c0b = madd(s, b1, c0b); c0c = madd(s, b2, c0c); c0d = madd(s, b3, c0d);
      s = v128.load32_splat(p1);
      c1a = madd(s, b0, c1a); c1b = madd(s, b1, c1b); c1c = madd(s, b2, c1c); c1d = madd(s, b3, c1d);
      p0 += 4; p1 += 4; w += 64;
    } while (p0 != end);
    offs += 4;
  }
  v128.store(y, c0a); v128.store(y, c0b, 16); v128.store(y, c0c, 32); v128.store(y, c0d, 48);
  if (mr > 1) {
    const y1 = y + ldy;
    v128.store(y1, c1a); v128.store(y1, c1b, 16); v128.store(y1, c1c, 32); v128.store(y1, c1d, 48);
  }
}

// One input channel, stride 1: up to 16 adjacent pixels of one output row (NX vectors of 4
// columns) × 2 filters; at most 8 accumulators (V8 hoists every load of an iteration, and 3 filters
// × 12 pixels spilled one). Pixel j's window origin is a + 4j bytes; tap segment s starts offs[s]
// bytes past it and holds seglen taps dstep bytes apart. w: the group's panel, 2 biases then 2
// weights per tap. The first n pixels (of 4·NX) are stored, ps bytes apart from y on, nf (1 or 2)
// filters each. NX is a constant in each exported variant below.
// @ts-ignore: decorator
@inline function c1_tile(NX: i32, y: usize, n: i32, ps: usize, nf: i32, a: usize, w: usize, offs: usize, nseg: i32,
                         seglen: i32, dstep: usize): void {
  let s = v128.load32_splat(w);
  let c00 = s, c01 = s, c02 = s, c03 = s;
  s = v128.load32_splat(w, 4);
  let c10 = s, c11 = s, c12 = s, c13 = s;
  w += 8;
  const len = <usize>seglen * dstep;
  const offEnd = offs + (<usize>nseg << 2);
  while (offs < offEnd) {
    let p = a + <usize>load<i32>(offs);
    const end = p + len;
    do {
      const x0 = v128.load(p);
      const x1 = NX > 1 ? v128.load(p, 16) : x0, x2 = NX > 2 ? v128.load(p, 32) : x0, x3 = NX > 3 ? v128.load(p, 48) : x0;
      s = v128.load32_splat(w);
      c00 = madd(x0, s, c00);
      if (NX > 1) c01 = madd(x1, s, c01);
      if (NX > 2) c02 = madd(x2, s, c02);
      if (NX > 3) c03 = madd(x3, s, c03);
      s = v128.load32_splat(w, 4);
      c10 = madd(x0, s, c10);
      if (NX > 1) c11 = madd(x1, s, c11);
      if (NX > 2) c12 = madd(x2, s, c12);
      if (NX > 3) c13 = madd(x3, s, c13);
      p += dstep; w += 8;
    } while (p != end);
    offs += 4;
  }
  const p4 = ps << 2;
  store_c1(y, c00, c10, n, ps, nf);
  if (NX > 1) store_c1(y + p4, c01, c11, n - 4, ps, nf);
  if (NX > 2) store_c1(y + 2 * p4, c02, c12, n - 8, ps, nf);
  if (NX > 3) store_c1(y + 3 * p4, c03, c13, n - 12, ps, nf);
}

export function conv_fwd_c1_2x16(y: usize, n: i32, ps: usize, nf: i32, a: usize, w: usize, offs: usize, nseg: i32,
                                 seglen: i32, dstep: usize): void {
  c1_tile(4, y, n, ps, nf, a, w, offs, nseg, seglen, dstep);
}
export function conv_fwd_c1_2x12(y: usize, n: i32, ps: usize, nf: i32, a: usize, w: usize, offs: usize, nseg: i32,
                                 seglen: i32, dstep: usize): void {
  c1_tile(3, y, n, ps, nf, a, w, offs, nseg, seglen, dstep);
}
export function conv_fwd_c1_2x8(y: usize, n: i32, ps: usize, nf: i32, a: usize, w: usize, offs: usize, nseg: i32,
                                seglen: i32, dstep: usize): void {
  c1_tile(2, y, n, ps, nf, a, w, offs, nseg, seglen, dstep);
}
export function conv_fwd_c1_2x4(y: usize, n: i32, ps: usize, nf: i32, a: usize, w: usize, offs: usize, nseg: i32,
                                seglen: i32, dstep: usize): void {
  c1_tile(1, y, n, ps, nf, a, w, offs, nseg, seglen, dstep);
}

// Pixels (lanes) 0 … min(n, 4)-1 of filters f0, f1: pixel i's nf values go to y + i·ps.
// @ts-ignore: decorator
@inline function store_c1(y: usize, f0: v128, f1: v128, n: i32, ps: usize, nf: i32): void {
  if (nf == 2 && n >= 4) {
    // Pixel i's pair (f0[i], f1[i]) is one 64-bit lane of the interleaved vectors.
    const lo = v128.shuffle<f32>(f0, f1, 0, 4, 1, 5), hi = v128.shuffle<f32>(f0, f1, 2, 6, 3, 7);
    v128.store64_lane(y, lo, 0); v128.store64_lane(y + ps, lo, 1);
    v128.store64_lane(y + 2 * ps, hi, 0); v128.store64_lane(y + 3 * ps, hi, 1);
    return;
  }
  // A row's last pixels or a last single filter: lane 0 each time, the vectors rotated.
  const m = imin(n, 4);
  for (let i = 0; i < m; i++) {
    v128.store32_lane(y, f0, 0);
    if (nf > 1) v128.store32_lane(y, f1, 0, 4);
    f0 = v128.shuffle<f32>(f0, f0, 1, 2, 3, 0); f1 = v128.shuffle<f32>(f1, f1, 1, 2, 3, 0);
    y += ps;
  }
}

// acc:(4 kernel rows, 8 channels, contiguous) += Σ_rows Σ_pixels x(pixel, k_i) · dy(pixel, 0..8).
// Kernel row i of pixel 0 of output row 0 is at a_i; pixels are ps bytes apart, output rows rs
// bytes apart; b: the packed dy panel, 8 floats per pixel, rows after one another.
export function conv_wgrad_4x8(acc: usize, a0: usize, a1: usize, a2: usize, a3: usize, ps: usize, rs: usize,
                               b: usize, rows: i32, npix: i32): void {
  let c0l = v128.load(acc), c0h = v128.load(acc, 16), c1l = v128.load(acc, 32), c1h = v128.load(acc, 48);
  let c2l = v128.load(acc, 64), c2h = v128.load(acc, 80), c3l = v128.load(acc, 96), c3h = v128.load(acc, 112);
  const rowBytes = <usize>npix << 5;
  for (let r = 0; r < rows; r++) {
    const ro = <usize>r * rs;
    let p0 = a0 + ro, p1 = a1 + ro, p2 = a2 + ro, p3 = a3 + ro;
    const bEnd = b + rowBytes;
    do {
      const bl = v128.load(b), bh = v128.load(b, 16);
      let s = v128.load32_splat(p0);
      c0l = madd(s, bl, c0l); c0h = madd(s, bh, c0h);
      s = v128.load32_splat(p1);
      c1l = madd(s, bl, c1l); c1h = madd(s, bh, c1h);
      s = v128.load32_splat(p2);
      c2l = madd(s, bl, c2l); c2h = madd(s, bh, c2h);
      s = v128.load32_splat(p3);
      c3l = madd(s, bl, c3l); c3h = madd(s, bh, c3h);
      p0 += ps; p1 += ps; p2 += ps; p3 += ps; b += 32;
    } while (b != bEnd);
  }
  v128.store(acc, c0l); v128.store(acc, c0h, 16); v128.store(acc, c1l, 32); v128.store(acc, c1h, 48);
  v128.store(acc, c2l, 64); v128.store(acc, c2h, 80); v128.store(acc, c3l, 96); v128.store(acc, c3h, 112);
}

// The input gradient, scattered: for each tap, acc:(4 dy pixels, 8 input channels) = Σ_f dy(pixel, f)
// · w(tap, channels, f), added into the padded gradient buffer at d_i + offs[tap] (pixels beyond
// mr are neither read nor written). dy pixel i is at g0 + i·ldy; w: the channel panel, per tap F
// rows of 8.
export function conv_bwd_data_4x8(d0: usize, d1: usize, d2: usize, d3: usize, offs: usize, ntaps: i32, g0: usize,
                                  ldy: usize, F: i32, w: usize, mr: i32): void {
  const g1 = mr > 1 ? g0 + ldy : g0, g2 = mr > 2 ? g0 + 2 * ldy : g0, g3 = mr > 3 ? g0 + 3 * ldy : g0;
  const fBytes = <usize>F << 2;
  const offEnd = offs + (<usize>ntaps << 2);
  while (offs < offEnd) {
    let c0l = f32x4.splat(0), c0h = c0l, c1l = c0l, c1h = c0l, c2l = c0l, c2h = c0l, c3l = c0l, c3h = c0l;
    let p0 = g0, p1 = g1, p2 = g2, p3 = g3;
    const end = g0 + fBytes;
    do {
      const bl = v128.load(w), bh = v128.load(w, 16);
      let s = v128.load32_splat(p0);
      c0l = madd(s, bl, c0l); c0h = madd(s, bh, c0h);
      s = v128.load32_splat(p1);
      c1l = madd(s, bl, c1l); c1h = madd(s, bh, c1h);
      s = v128.load32_splat(p2);
      c2l = madd(s, bl, c2l); c2h = madd(s, bh, c2h);
      s = v128.load32_splat(p3);
      c3l = madd(s, bl, c3l); c3h = madd(s, bh, c3h);
      p0 += 4; p1 += 4; p2 += 4; p3 += 4; w += 32;
    } while (p0 != end);
    const o = <usize>load<i32>(offs);
    addTo(d0 + o, c0l, c0h);
    if (mr > 1) addTo(d1 + o, c1l, c1h);
    if (mr > 2) addTo(d2 + o, c2l, c2h);
    if (mr > 3) addTo(d3 + o, c3l, c3h);
    offs += 4;
  }
}

// @ts-ignore: decorator
@inline function addTo(p: usize, lo: v128, hi: v128): void {
  v128.store(p, f32x4.add(v128.load(p), lo));
  v128.store(p, f32x4.add(v128.load(p, 16), hi), 16);
}

// ---- bands of padded input ---------------------------------------------------------------------

// An input image (H, W, C) padded by (pt, pl) at the low sides (and with zeros past its ends).
@unmanaged class Source {
  ptr: usize = 0; H: i32 = 0; W: i32 = 0; C: i32 = 0; pt: i32 = 0; pl: i32 = 0;
}

// band:(rows, Wp, C) = padded rows pr0 … pr0+rows-1 of the source, columns 0 … Wp-1.
function fill_band(band: usize, s: Source, pr0: i32, rows: i32, Wp: i32): void {
  const C = s.C;
  const pix = <usize>C << 2, rowBytes = <usize>Wp * pix;
  for (let r = 0; r < rows; r++) {
    const dst = band + <usize>r * rowBytes;
    const sr = pr0 + r - s.pt;
    if (sr < 0 || sr >= s.H) { zero_floats(dst, rowBytes); continue; }
    const srow = s.ptr + <usize>sr * <usize>s.W * pix;
    // Columns q with 0 ≤ q - pl < W are one contiguous copy; the rest are zeros.
    const q0 = imin(imax(s.pl, 0), Wp), q1 = imax(imin(s.pl + s.W, Wp), q0);
    if (q0 > 0) zero_floats(dst, <usize>q0 * pix);
    if (q1 > q0) copy_floats(dst + <usize>q0 * pix, srow + <usize>(q0 - s.pl) * pix, <usize>(q1 - q0) * pix);
    if (Wp > q1) zero_floats(dst + <usize>q1 * pix, <usize>(Wp - q1) * pix);
  }
}

// memory.copy and memory.fill call out of the wasm code: for the short rows of small images
// (one channel: a few dozen floats) a loop is several times faster.
const SHORT_BYTES: usize = 512;

// @ts-ignore: decorator
@inline function copy_floats(dst: usize, src: usize, bytes: usize): void {
  if (bytes > SHORT_BYTES) { memory.copy(dst, src, bytes); return; }
  const end = dst + bytes;
  for (; dst + 16 <= end; dst += 16, src += 16) v128.store(dst, v128.load(src));
  for (; dst < end; dst += 4, src += 4) store<f32>(dst, load<f32>(src));
}

// @ts-ignore: decorator
@inline function zero_floats(dst: usize, bytes: usize): void {
  if (bytes > SHORT_BYTES) { memory.fill(dst, 0, bytes); return; }
  const end = dst + bytes, z = f32x4.splat(0);
  for (; dst + 16 <= end; dst += 16) v128.store(dst, z);
  for (; dst < end; dst += 4) store<f32>(dst, 0);
}

// How a convolution reads its source: in place, or through bands of `bandRows` output rows.
@unmanaged class Plan {
  direct: bool = false;
  Wp: i32 = 0;        // padded columns read (band layout)
  ldx: i32 = 0;       // bytes between input rows
  bandRows: i32 = 0;  // output rows per band
  bandFloats: i32 = 0;
}

function plan(p: Plan, s: Source, KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, OH: i32, OW: i32, dyFloatsPerRow: i32,
              poolRowFloats: i32 = 0): void {
  const Wp = (OW - 1) * SW + (KW - 1) * DW + 1;
  const spanH = (KH - 1) * DH + 1;
  p.Wp = Wp;
  p.direct = s.pt == 0 && s.pl == 0 && (OH - 1) * SH + spanH <= s.H && Wp <= s.W;
  const rowFloats = Wp * s.C;
  if (p.direct) {
    p.ldx = s.W * s.C * 4;
    // Only the packed dy rows (filter gradient) need room; bands bound that.
    p.bandRows = dyFloatsPerRow > 0 ? imax(1, imin(OH, BAND_FLOATS / dyFloatsPerRow)) : OH;
    p.bandFloats = 0;
  } else {
    p.ldx = rowFloats * 4;
    const perRow = SH * rowFloats + dyFloatsPerRow;
    const fixed = (spanH - SH) * rowFloats;
    p.bandRows = imax(1, imin(OH, (BAND_FLOATS - fixed) / imax(perRow, 1)));
  }
  if (poolRowFloats > 0) p.bandRows = pool_band_rows(p.bandRows, poolRowFloats);
  if (!p.direct) p.bandFloats = ((p.bandRows - 1) * SH + spanH) * rowFloats;
}

// A forward convolution that pools its output 2×2 (conv2d_forward_maxpool2x2) computes an even
// number of output rows per band, into a scratch of at most about BAND_FLOATS floats.
// @ts-ignore: decorator
@inline function pool_band_rows(rows: i32, rowFloats: i32): i32 { return imax(2, imin(rows, BAND_FLOATS / rowFloats)) & ~1; }

// @ts-ignore: decorator
@inline function planOf(g: usize): Plan { return changetype<Plan>(g + AT_PLAN); }

// Tap segments from a window origin: per kernel row when its KW·C floats are contiguous.
function fill_offsets(offs: usize, KH: i32, KW: i32, C: i32, DH: i32, DW: i32, ldx: i32): i32 {
  let n = 0;
  for (let kh = 0; kh < KH; kh++) {
    if (DW == 1) { store<i32>(offs + (<usize>(n++) << 2), kh * DH * ldx); continue; }
    for (let kw = 0; kw < KW; kw++) store<i32>(offs + (<usize>(n++) << 2), kh * DH * ldx + kw * DW * C * 4);
  }
  return n;
}

// ---- weight packing ------------------------------------------------------------------------------

// Panels of nr (8 or 16) output channels of w:(KH,KW,Cin,Fout): [nr bias][KH·KW·Cin rows of nr],
// zeros beyond Fout.
function pack_weights(dst: usize, w: usize, bias: usize, KH: i32, KW: i32, Cin: i32, Fout: i32, nr: i32): void {
  const panels = (Fout + nr - 1) / nr;
  for (let p = 0; p < panels; p++) {
    const f0 = p * nr;
    for (let j = 0; j < nr; j++) {
      const f = f0 + j;
      store<f32>(dst + (<usize>j << 2), bias != 0 && f < Fout ? load<f32>(bias + (<usize>f << 2)) : 0);
    }
    dst += <usize>nr * 4;
    for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) for (let c = 0; c < Cin; c++) {
      for (let j = 0; j < nr; j++) {
        const f = f0 + j;
        let v: f32 = 0;
        if (f < Fout) {
          v = load<f32>(w + (<usize>(((kh * KW + kw) * Cin + c) * Fout + f) << 2));
        }
        store<f32>(dst + (<usize>j << 2), v);
      }
      dst += <usize>nr * 4;
    }
  }
}

function panel_bytes(KH: i32, KW: i32, Cin: i32, nr: i32): i32 { return (1 + KH * KW * Cin) * nr * 4; }

// Forward panels: 16 channels (conv_fwd_2x16) when the filters fill them, else 8 (conv_fwd_4x8).
// @ts-ignore: decorator
@inline function fwd_panel_width(F: i32): i32 { return F % 16 == 0 ? 16 : NR; }

// ---- the shared direct convolution ---------------------------------------------------------------

// y:(N,OH,OW,F) = the source convolved with the packed weights wp. ws: offsets then the band.
// pooled: y is the 2×2 max pooling of that (only the rows and columns pooling reads), each band
// of rows computed into a scratch after the band.
function conv_direct(g: usize, y: usize, s: Source, N: i32, srcImg: i32, wp: usize, F: i32, KH: i32, KW: i32, SH: i32, SW: i32,
                     DH: i32, DW: i32, OH: i32, OW: i32, act: i32, alpha: f32, ws: usize, pooled: bool): void {
  const pl = planOf(g);
  if (pooled) OH &= ~1;
  plan(pl, s, KH, KW, SH, SW, DH, DW, OH, OW, 0, pooled ? OW * F : 0);
  const C = s.C;
  const offs = ws;
  const band = ws + <usize>align16(KH * KW * 4);
  const nseg = fill_offsets(offs, KH, KW, C, DH, DW, pl.ldx);
  const seglen = DW == 1 ? KW * C : C;
  const nr = fwd_panel_width(F), panels = (F + nr - 1) / nr, pbytes = <usize>panel_bytes(KH, KW, C, nr);
  const ldy = <usize>F << 2, ps = <usize>(SW * C * 4), rs = <usize>(SH * pl.ldx);
  const zs = band + <usize>align16(pl.bandFloats * 4);
  const src0 = s.ptr;
  for (let n = 0; n < N; n++) {
    s.ptr = src0 + <usize>n * <usize>srcImg * 4;
    const yimg = y + <usize>n * <usize>(pooled ? (OH >> 1) * (OW >> 1) : OH * OW) * ldy;
    for (let oh0 = 0; oh0 < OH; oh0 += pl.bandRows) {
      const rows = imin(pl.bandRows, OH - oh0);
      let base: usize;
      if (pl.direct) base = s.ptr + <usize>oh0 * rs;
      else { fill_band(band, s, oh0 * SH, (rows - 1) * SH + (KH - 1) * DH + 1, pl.Wp); base = band; }
      const npix = rows * OW;
      const cur = cursor(g, base, OW, rs, ps);
      const yband = pooled ? zs : yimg + <usize>oh0 * <usize>OW * ldy;
      if (nr == 16) {
        for (let t0 = 0; t0 < npix; t0 += 2) {
          const mr = imin(2, npix - t0);
          const a0 = cur.next();
          const a1 = mr > 1 ? cur.next() : a0;
          const yt = yband + <usize>t0 * ldy;
          for (let p = 0; p < panels; p++) {
            conv_fwd_2x16(yt + (<usize>p << 6), ldy, a0, a1, wp + <usize>p * pbytes, offs, nseg, seglen, mr);
          }
        }
      } else {
        for (let t0 = 0; t0 < npix; t0 += MR) {
          const mr = imin(MR, npix - t0);
          const a0 = cur.next();
          const a1 = mr > 1 ? cur.next() : a0;
          const a2 = mr > 2 ? cur.next() : a0;
          const a3 = mr > 3 ? cur.next() : a0;
          const yt = yband + <usize>t0 * ldy;
          for (let p = 0; p < panels; p++) {
            conv_fwd_4x8(yt + (<usize>p * NR << 2), ldy, a0, a1, a2, a3, wp + <usize>p * pbytes, offs, nseg, seglen,
              mr, imin(NR, F - p * NR));
          }
        }
      }
      finish_band(yimg, yband, oh0, rows, OW, F, act, alpha, pooled);
    }
  }
  s.ptr = src0;
}

// A band of output rows just written (still in cache) at yband: its activation in place, then
// (pooled) its 2×2 max pooling into the pooled image yimg.
// @ts-ignore: decorator
@inline function finish_band(yimg: usize, yband: usize, oh0: i32, rows: i32, OW: i32, F: i32, act: i32, alpha: f32,
                             pooled: bool): void {
  activate_rows(yband, rows * OW * F, act, alpha);
  if (pooled) maxpool2x2(yimg + (<usize>((oh0 >> 1) * (OW >> 1) * F) << 2), 0, yband, 1, rows, OW, F, rows >> 1, OW >> 1);
}

// y:(n) = act(y) in place, on a band of output rows just written (still in cache).
// @ts-ignore: decorator
@inline function activate_rows(y: usize, n: i32, act: i32, alpha: f32): void {
  if (act != ACT_LINEAR) act_forward_f32(y, y, n, act, alpha);
}

// ---- one input channel, stride 1 along the width --------------------------------------------

const C1_PX: i32 = 16, C1_FG: i32 = 2; // pixels per tile (at most), filters per group

// Whether the c1 kernels serve this forward convolution: one input channel, stride 1 along the
// width, and fewer wasted lanes per instruction than 8-filter panels (c1 issues ~26 instructions
// per 8 vector multiply-adds, conv_fwd_4x8 ~29 per 8; c1 wastes lanes on a last group of 1 filter
// and on a row's last vector, 8-filter panels on a partial last panel).
function use_c1(C: i32, F: i32, SW: i32, OW: i32): bool {
  if (C != 1 || SW != 1) return false;
  const c1 = <f64>26 / 8 * <f64>((F + C1_FG - 1) / C1_FG * C1_FG) / <f64>F * <f64>((OW + 3) & ~3) / <f64>OW;
  const panels = <f64>29 / 8 * <f64>((F + NR - 1) / NR * NR) / <f64>F;
  return c1 < panels;
}

// Band columns: every input column that a row's vectors of 4 pixels read (its last vector may
// reach up to 3 columns past the output).
// @ts-ignore: decorator
@inline function c1_columns(OW: i32, KW: i32, DW: i32): i32 { return ((OW + 3) & ~3) + (KW - 1) * DW; }

// Output rows per band: the band holds (rows - 1)·SH + (KH - 1)·DH + 1 padded input rows.
function c1_band_rows(OH: i32, Wp: i32, KH: i32, SH: i32, DH: i32, poolRowFloats: i32): i32 {
  const rows = imax(1, imin(OH, (BAND_FLOATS - ((KH - 1) * DH + 1 - SH) * Wp) / (SH * Wp)));
  return poolRowFloats > 0 ? pool_band_rows(rows, poolRowFloats) : rows;
}

function c1_band_floats(OH: i32, OW: i32, KH: i32, KW: i32, SH: i32, DH: i32, DW: i32, poolRowFloats: i32): i32 {
  const Wp = c1_columns(OW, KW, DW);
  return ((c1_band_rows(OH, Wp, KH, SH, DH, poolRowFloats) - 1) * SH + (KH - 1) * DH + 1) * Wp;
}

function c1_panel_bytes(KH: i32, KW: i32): i32 { return (1 + KH * KW) * C1_FG * 4; }

// Groups of 2 filters of w:(KH,KW,1,F): [2 bias][KH·KW taps of 2], zeros beyond F.
function pack_c1(dst: usize, w: usize, bias: usize, KH: i32, KW: i32, F: i32): void {
  const taps = KH * KW;
  for (let f0 = 0; f0 < F; f0 += C1_FG) {
    for (let j = 0; j < C1_FG; j++) {
      const f = f0 + j;
      store<f32>(dst + (<usize>j << 2), bias != 0 && f < F ? load<f32>(bias + (<usize>f << 2)) : 0);
      for (let t = 0; t < taps; t++) {
        store<f32>(dst + (<usize>((1 + t) * C1_FG + j) << 2), f < F ? load<f32>(w + (<usize>(t * F + f) << 2)) : 0);
      }
    }
    dst += <usize>c1_panel_bytes(KH, KW);
  }
}

// y:(N,OH,OW,F) = act(the one-channel source ⋆ the packed groups wp), each output row in tiles of
// 16 pixels and a last tile of 4, 8, 12 or 16 (its columns past OW computed, not stored).
function conv_c1(y: usize, s: Source, N: i32, wp: usize, F: i32, KH: i32, KW: i32, SH: i32, DH: i32, DW: i32,
                 OH: i32, OW: i32, act: i32, alpha: f32, ws: usize, pooled: bool): void {
  if (pooled) OH &= ~1;
  const Wp = c1_columns(OW, KW, DW), bandRows = c1_band_rows(OH, Wp, KH, SH, DH, pooled ? OW * F : 0);
  const offs = ws, band = ws + <usize>align16(KH * 4);
  const zs = band + <usize>align16(c1_band_floats(OH, OW, KH, KW, SH, DH, DW, pooled ? OW * F : 0) * 4);
  for (let kh = 0; kh < KH; kh++) store<i32>(offs + (<usize>kh << 2), kh * DH * Wp * 4);
  const groups = (F + C1_FG - 1) / C1_FG, gbytes = <usize>c1_panel_bytes(KH, KW);
  const ps = <usize>F << 2, dstep = <usize>DW << 2, rs = <usize>(SH * Wp) << 2;
  const src0 = s.ptr;
  for (let n = 0; n < N; n++) {
    s.ptr = src0 + <usize>n * <usize>(s.H * s.W) * 4;
    const yimg = y + <usize>n * <usize>(pooled ? (OH >> 1) * (OW >> 1) : OH * OW) * ps;
    for (let oh0 = 0; oh0 < OH; oh0 += bandRows) {
      const rows = imin(bandRows, OH - oh0);
      fill_band(band, s, oh0 * SH, (rows - 1) * SH + (KH - 1) * DH + 1, Wp);
      const yband = pooled ? zs : yimg + <usize>oh0 * <usize>OW * ps;
      for (let r = 0; r < rows; r++) {
        const arow = band + <usize>r * rs, yrow = yband + <usize>(r * OW) * ps;
        for (let col = 0; col < OW; col += C1_PX) {
          const left = OW - col, yt = yrow + <usize>col * ps, a = arow + (<usize>col << 2);
          for (let g = 0; g < groups; g++) {
            const yg = yt + (<usize>(g * C1_FG) << 2), nf = imin(C1_FG, F - g * C1_FG), wg = wp + <usize>g * gbytes;
            if (left > 12) conv_fwd_c1_2x16(yg, left, ps, nf, a, wg, offs, KH, KW, dstep);
            else if (left > 8) conv_fwd_c1_2x12(yg, left, ps, nf, a, wg, offs, KH, KW, dstep);
            else if (left > 4) conv_fwd_c1_2x8(yg, left, ps, nf, a, wg, offs, KH, KW, dstep);
            else conv_fwd_c1_2x4(yg, left, ps, nf, a, wg, offs, KH, KW, dstep);
          }
        }
      }
      finish_band(yimg, yband, oh0, rows, OW, F, act, alpha, pooled);
    }
  }
  s.ptr = src0;
}

// Window origins of output pixels 0, 1, 2, … of a band, row by row (no division per pixel).
@unmanaged class Cursor {
  base: usize = 0; rs: usize = 0; ps: usize = 0; OW: i32 = 0; col: i32 = 0; row: usize = 0;
  // @ts-ignore: decorator
  @inline next(): usize {
    const a = this.row + <usize>this.col * this.ps;
    if (++this.col == this.OW) { this.col = 0; this.row += this.rs; }
    return a;
  }
}

// @ts-ignore: decorator
@inline function cursor(g: usize, base: usize, OW: i32, rs: usize, ps: usize): Cursor {
  const c = changetype<Cursor>(g + AT_CURSOR);
  c.base = base; c.rs = rs; c.ps = ps; c.OW = OW; c.col = 0; c.row = base;
  return c;
}

function source(g: usize, ptr: usize, H: i32, W: i32, C: i32, pt: i32, pl: i32): Source {
  const s = changetype<Source>(g + AT_SOURCE);
  s.ptr = ptr; s.H = H; s.W = W; s.C = C; s.pt = pt; s.pl = pl;
  return s;
}

// ---- public kernels ----------------------------------------------------------------------------

// Workspace bytes for kernel `which`: 0 forward, 1 input gradient, 2 filter gradient.
export function conv2d_workspace_size(g: usize, which: i32): i32 {
  const C = gi(g, G_C), F = gi(g, G_F), KH = gi(g, G_KH), KW = gi(g, G_KW);
  const pl = planOf(g);
  if (which == 2) {
    const K = KH * KW * C, Kp = (K + MR - 1) / MR * MR, Fp = (F + NR - 1) / NR * NR;
    const s = source(g, 0, gi(g, G_H), gi(g, G_W), C, gi(g, G_PT), gi(g, G_PL));
    plan(pl, s, KH, KW, gi(g, G_SH), gi(g, G_SW), gi(g, G_DH), gi(g, G_DW), gi(g, G_OH), gi(g, G_OW), gi(g, G_OW) * Fp);
    return align16(Kp * 4) + Kp * Fp * 4 + align16(pl.bandFloats * 4) + pl.bandRows * gi(g, G_OW) * Fp * 4;
  }
  if (which == 1) {
    bwd_data_plan(pl, g);
    return align16(KH * KW * 4) + (C + NR - 1) / NR * KH * KW * F * NR * 4 + pl.bandFloats * 4;
  }
  // 0: forward; 3: forward pooled 2×2 (plus the scratch of one band of output rows).
  const pooled = which == 3;
  const DH = gi(g, G_DH), DW = gi(g, G_DW), OW = gi(g, G_OW), OH = pooled ? gi(g, G_OH) & ~1 : gi(g, G_OH);
  const poolRow = pooled ? OW * F : 0;
  if (use_c1(C, F, gi(g, G_SW), OW)) {
    const bandFloats = c1_band_floats(OH, OW, KH, KW, gi(g, G_SH), DH, DW, poolRow);
    const scratch = pooled ? c1_band_rows(OH, c1_columns(OW, KW, DW), KH, gi(g, G_SH), DH, poolRow) * poolRow * 4 : 0;
    return align16((F + C1_FG - 1) / C1_FG * c1_panel_bytes(KH, KW)) + align16(KH * 4) + align16(bandFloats * 4) + scratch;
  }
  const s = source(g, 0, gi(g, G_H), gi(g, G_W), C, gi(g, G_PT), gi(g, G_PL));
  plan(pl, s, KH, KW, gi(g, G_SH), gi(g, G_SW), DH, DW, OH, OW, 0, poolRow);
  const nr = fwd_panel_width(F);
  return (F + nr - 1) / nr * panel_bytes(KH, KW, C, nr) + align16(KH * KW * 4) + align16(pl.bandFloats * 4) +
    pl.bandRows * poolRow * 4;
}

// The input gradient accumulates one band of dy rows at a time into a zeroed padded buffer
// dxP:(rows, Wp, Cp) — the input rows and columns the band's windows cover, channels rounded up
// to 8 — then adds its real cells into dx.
function bwd_data_plan(p: Plan, g: usize): void {
  const KH = gi(g, G_KH), SH = gi(g, G_SH), DH = gi(g, G_DH), OH = gi(g, G_OH);
  const Cp = (gi(g, G_C) + NR - 1) / NR * NR;
  p.Wp = (gi(g, G_OW) - 1) * gi(g, G_SW) + (gi(g, G_KW) - 1) * gi(g, G_DW) + 1;
  p.direct = false;
  p.ldx = p.Wp * Cp * 4;
  const rowFloats = p.Wp * Cp, spanH = (KH - 1) * DH + 1;
  p.bandRows = imax(1, imin(OH, (BAND_FLOATS - (spanH - SH) * rowFloats) / imax(SH * rowFloats, 1)));
  p.bandFloats = ((p.bandRows - 1) * SH + spanH) * rowFloats;
}

// y:(N,OH,OW,F) = act(x:(N,H,W,C) ⋆ w:(KH,KW,C,F) + b:(F)) (b = 0: no bias). act: an elementwise
// kind of act_forward_f32 (ACT_LINEAR: none; never softmax), alpha its parameter.
export function conv2d_forward(y: usize, x: usize, w: usize, b: usize, act: i32, alpha: f32, ws: usize, g: usize): void {
  forward(y, x, w, b, act, alpha, ws, g, false);
}

// y:(N,OH/2,OW/2,F) = 2×2 stride-2 max pooling ('valid': an odd last row or column is dropped) of
// act(x ⋆ w + b), as maxpool2d_forward without winners gives it: each band of convolution rows is
// pooled from the workspace, so the convolution's output never goes to memory. F ≥ 4, OH, OW ≥ 2.
export function conv2d_forward_maxpool2x2(y: usize, x: usize, w: usize, b: usize, act: i32, alpha: f32, ws: usize,
                                          g: usize): void {
  forward(y, x, w, b, act, alpha, ws, g, true);
}

function forward(y: usize, x: usize, w: usize, b: usize, act: i32, alpha: f32, ws: usize, g: usize, pooled: bool): void {
  const H = gi(g, G_H), W = gi(g, G_W), C = gi(g, G_C), F = gi(g, G_F), KH = gi(g, G_KH), KW = gi(g, G_KW);
  const SH = gi(g, G_SH), SW = gi(g, G_SW), DH = gi(g, G_DH), DW = gi(g, G_DW), OH = gi(g, G_OH), OW = gi(g, G_OW);
  const s = source(g, x, H, W, C, gi(g, G_PT), gi(g, G_PL));
  if (use_c1(C, F, SW, OW)) {
    pack_c1(ws, w, b, KH, KW, F);
    const packed = <usize>align16((F + C1_FG - 1) / C1_FG * c1_panel_bytes(KH, KW));
    conv_c1(y, s, gi(g, G_N), ws, F, KH, KW, SH, DH, DW, OH, OW, act, alpha, ws + packed, pooled);
    return;
  }
  const nr = fwd_panel_width(F);
  pack_weights(ws, w, b, KH, KW, C, F, nr);
  const packed = <usize>((F + nr - 1) / nr * panel_bytes(KH, KW, C, nr));
  conv_direct(g, y, s, gi(g, G_N), H * W * C, ws, F, KH, KW, SH, SW, DH, DW, OH, OW, act, alpha, ws + packed, pooled);
}

// dx:(N,H,W,C) += Σ over dy pixels and taps of dy(pixel, :) · w(tap)ᵀ, scattered to the tap's cell.
export function conv2d_backward_data(dx: usize, dy: usize, w: usize, ws: usize, g: usize): void {
  const N = gi(g, G_N), H = gi(g, G_H), W = gi(g, G_W), C = gi(g, G_C), F = gi(g, G_F);
  const KH = gi(g, G_KH), KW = gi(g, G_KW), SH = gi(g, G_SH), SW = gi(g, G_SW), DH = gi(g, G_DH), DW = gi(g, G_DW);
  const PT = gi(g, G_PT), PL = gi(g, G_PL), OH = gi(g, G_OH), OW = gi(g, G_OW);
  const pl = planOf(g);
  bwd_data_plan(pl, g);
  const panels = (C + NR - 1) / NR, Cp = panels * NR, taps = KH * KW;
  const offs = ws, wp = offs + <usize>align16(taps * 4);
  const panelBytes = <usize>taps * <usize>F * NR * 4;
  const dxp = wp + <usize>panels * panelBytes;
  // Panels of 8 input channels: per tap, F rows of w(tap, c0…c0+7, f), zeros beyond C.
  for (let p = 0; p < panels; p++) for (let t = 0; t < taps; t++) for (let f = 0; f < F; f++) {
    const d = wp + <usize>p * panelBytes + ((<usize>(t * F + f) * NR) << 2);
    for (let j = 0; j < NR; j++) {
      const c = p * NR + j;
      store<f32>(d + (<usize>j << 2), c < C ? load<f32>(w + (<usize>((t * C + c) * F + f) << 2)) : 0);
    }
  }
  for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
    store<i32>(offs + (<usize>(kh * KW + kw) << 2), (kh * DH * pl.Wp + kw * DW) * Cp * 4);
  }
  const ldy = <usize>F << 2, ps = <usize>(SW * Cp * 4), rs = <usize>(SH * pl.ldx);
  for (let n = 0; n < N; n++) {
    for (let oh0 = 0; oh0 < OH; oh0 += pl.bandRows) {
      const rows = imin(pl.bandRows, OH - oh0), rowsP = (rows - 1) * SH + (KH - 1) * DH + 1;
      memory.fill(dxp, 0, <usize>rowsP * <usize>pl.ldx);
      const npix = rows * OW;
      const dyBand = dy + <usize>((n * OH + oh0) * OW) * ldy;
      const cur = cursor(g, dxp, OW, rs, ps);
      for (let t0 = 0; t0 < npix; t0 += MR) {
        const mr = imin(MR, npix - t0);
        const d0 = cur.next();
        const d1 = mr > 1 ? cur.next() : d0;
        const d2 = mr > 2 ? cur.next() : d0;
        const d3 = mr > 3 ? cur.next() : d0;
        const g0 = dyBand + <usize>t0 * ldy;
        for (let p = 0; p < panels; p++) {
          conv_bwd_data_4x8(d0 + (<usize>p << 5), d1 + (<usize>p << 5), d2 + (<usize>p << 5), d3 + (<usize>p << 5), offs, taps,
            g0, ldy, F, wp + <usize>p * panelBytes, mr);
        }
      }
      // The band's real cells into dx.
      for (let r = 0; r < rowsP; r++) {
        const ih = oh0 * SH + r - PT;
        if (ih < 0 || ih >= H) continue;
        const q0 = imax(PL, 0), q1 = imin(pl.Wp, W + PL);
        for (let q = q0; q < q1; q++) {
          const src = dxp + <usize>r * <usize>pl.ldx + <usize>q * <usize>Cp * 4;
          const dst = dx + (<usize>(((n * H + ih) * W + q - PL) * C) << 2);
          let c = 0;
          for (; c + 4 <= C; c += 4) v128.store(dst + (<usize>c << 2), f32x4.add(v128.load(dst + (<usize>c << 2)), v128.load(src + (<usize>c << 2))));
          for (; c < C; c++) store<f32>(dst + (<usize>c << 2), load<f32>(dst + (<usize>c << 2)) + load<f32>(src + (<usize>c << 2)));
        }
      }
    }
  }
}

// dw:(KH,KW,C,F) += Σ_{n,oh,ow} x(window tap) · dy(n,oh,ow,:).
export function conv2d_backward_filter(dw: usize, x: usize, dy: usize, ws: usize, g: usize): void {
  const N = gi(g, G_N), H = gi(g, G_H), W = gi(g, G_W), C = gi(g, G_C), F = gi(g, G_F);
  const KH = gi(g, G_KH), KW = gi(g, G_KW), SH = gi(g, G_SH), SW = gi(g, G_SW), DH = gi(g, G_DH), DW = gi(g, G_DW);
  const OH = gi(g, G_OH), OW = gi(g, G_OW);
  const K = KH * KW * C, Kp = (K + MR - 1) / MR * MR, panels = (F + NR - 1) / NR, Fp = panels * NR;
  const s = source(g, x, H, W, C, gi(g, G_PT), gi(g, G_PL));
  const pl = planOf(g);
  plan(pl, s, KH, KW, SH, SW, DH, DW, OH, OW, OW * Fp);
  const koffs = ws;
  const acc = koffs + <usize>align16(Kp * 4);
  const band = acc + <usize>Kp * <usize>Fp * 4;
  const dyp = band + <usize>align16(pl.bandFloats * 4);
  // Offsets of kernel rows (kh, kw, c) from a window origin; padding rows repeat the last one.
  for (let k = 0; k < Kp; k++) {
    const kk = imin(k, K - 1), c = kk % C, t = kk / C, kw = t % KW, kh = t / KW;
    store<i32>(koffs + (<usize>k << 2), kh * DH * pl.ldx + (kw * DW * C + c) * 4);
  }
  memory.fill(acc, 0, <usize>Kp * <usize>Fp * 4);
  const ps = <usize>(SW * C * 4), rs = <usize>(SH * pl.ldx);
  const dyEnd = dy + (<usize>N * <usize>OH * <usize>OW * <usize>F << 2);
  for (let n = 0; n < N; n++) {
    const img = x + <usize>n * <usize>(H * W * C) * 4;
    s.ptr = img;
    for (let oh0 = 0; oh0 < OH; oh0 += pl.bandRows) {
      const rows = imin(pl.bandRows, OH - oh0);
      let base: usize;
      if (pl.direct) base = img + <usize>oh0 * rs;
      else { fill_band(band, s, oh0 * SH, (rows - 1) * SH + (KH - 1) * DH + 1, pl.Wp); base = band; }
      // dy rows of this band → panels of 8 channels, zeros beyond F.
      const npix = rows * OW;
      const dyRows = dy + (<usize>(n * OH + oh0) * <usize>OW * <usize>F << 2);
      for (let p = 0; p < panels; p++) {
        const f0 = p * NR, nf = imin(NR, F - f0);
        const dst = dyp + <usize>p * <usize>npix * 32;
        // A partial panel reads 8 values and clears the lanes past F, except where 8 values
        // would read past the end of dy.
        const lanes = i32x4(0, 1, 2, 3), keepLo = i32x4.lt_s(lanes, i32x4.splat(nf)), keepHi = i32x4.lt_s(lanes, i32x4.splat(nf - 4));
        for (let q = 0; q < npix; q++) {
          const d = dst + (<usize>q << 5), srow = dyRows + ((<usize>q * <usize>F + <usize>f0) << 2);
          if (nf == NR) { v128.store(d, v128.load(srow)); v128.store(d, v128.load(srow, 16), 16); }
          else if (srow + 32 <= dyEnd) {
            v128.store(d, v128.and(v128.load(srow), keepLo)); v128.store(d, v128.and(v128.load(srow, 16), keepHi), 16);
          } else for (let j = 0; j < NR; j++) store<f32>(d + (<usize>j << 2), j < nf ? load<f32>(srow + (<usize>j << 2)) : 0);
        }
      }
      for (let k0 = 0; k0 < Kp; k0 += MR) {
        const o = koffs + (<usize>k0 << 2);
        const a0 = base + <usize>load<i32>(o), a1 = base + <usize>load<i32>(o, 4);
        const a2 = base + <usize>load<i32>(o, 8), a3 = base + <usize>load<i32>(o, 12);
        for (let p = 0; p < panels; p++) {
          conv_wgrad_4x8(acc + ((<usize>p * <usize>Kp + <usize>k0) << 5), a0, a1, a2, a3, ps, rs,
            dyp + <usize>p * <usize>npix * 32, rows, OW);
        }
      }
    }
  }
  // dw += the accumulated panels (their first K rows and F columns).
  for (let k = 0; k < K; k++) {
    for (let f = 0; f < F; f++) {
      const d = dw + ((<usize>k * <usize>F + <usize>f) << 2);
      const p = f / NR;
      store<f32>(d, load<f32>(d) + load<f32>(acc + ((((<usize>p * <usize>Kp + <usize>k) << 3) + <usize>(f - p * NR)) << 2)));
    }
  }
}

// ---- scalar references -------------------------------------------------------------------------

// The input coordinate of output o and tap t along one axis, or -1 when it falls in the padding.
// @ts-ignore: decorator
@inline function inCoord(o: i32, t: i32, s: i32, d: i32, pad: i32, n: i32): i32 {
  const i = o * s - pad + t * d;
  return i >= 0 && i < n ? i : -1;
}

export function conv2d_forward_ref(y: usize, x: usize, w: usize, b: usize, act: i32, alpha: f32, g: usize): void {
  const N = gi(g, G_N), H = gi(g, G_H), W = gi(g, G_W), C = gi(g, G_C), F = gi(g, G_F);
  const KH = gi(g, G_KH), KW = gi(g, G_KW), OH = gi(g, G_OH), OW = gi(g, G_OW);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) for (let f = 0; f < F; f++) {
    let acc: f32 = b != 0 ? load<f32>(b + (<usize>f << 2)) : 0;
    for (let kh = 0; kh < KH; kh++) {
      const ih = inCoord(oh, kh, gi(g, G_SH), gi(g, G_DH), gi(g, G_PT), H);
      if (ih < 0) continue;
      for (let kw = 0; kw < KW; kw++) {
        const iw = inCoord(ow, kw, gi(g, G_SW), gi(g, G_DW), gi(g, G_PL), W);
        if (iw < 0) continue;
        for (let c = 0; c < C; c++) {
          acc += load<f32>(x + (<usize>(((n * H + ih) * W + iw) * C + c) << 2)) *
                 load<f32>(w + (<usize>(((kh * KW + kw) * C + c) * F + f) << 2));
        }
      }
    }
    store<f32>(y + (<usize>(((n * OH + oh) * OW + ow) * F + f) << 2), acc);
  }
  if (act != ACT_LINEAR) act_forward_f32_ref(y, y, N * OH * OW * F, act, alpha);
}

// z: a scratch of N·OH·OW·F floats for the convolution's output, then pooled 2×2 into y (the first
// maximum of each window; NaN wins).
export function conv2d_forward_maxpool2x2_ref(y: usize, z: usize, x: usize, w: usize, b: usize, act: i32, alpha: f32,
                                              g: usize): void {
  conv2d_forward_ref(z, x, w, b, act, alpha, g);
  const N = gi(g, G_N), F = gi(g, G_F), OH = gi(g, G_OH), OW = gi(g, G_OW), PH = OH >> 1, PW = OW >> 1;
  for (let n = 0; n < N; n++) for (let ph = 0; ph < PH; ph++) for (let pw = 0; pw < PW; pw++) for (let f = 0; f < F; f++) {
    let best = load<f32>(z + (<usize>(((n * OH + 2 * ph) * OW + 2 * pw) * F + f) << 2));
    for (let i = 1; i < 4; i++) {
      const v = load<f32>(z + (<usize>(((n * OH + 2 * ph + (i >> 1)) * OW + 2 * pw + (i & 1)) * F + f) << 2));
      if (v > best || v != v) best = v;
    }
    store<f32>(y + (<usize>(((n * PH + ph) * PW + pw) * F + f) << 2), best);
  }
}

// Backward references: one visit per (output pixel, tap, channel pair), accumulating.
// which = 1: dx += dy·w; which = 2: dw += x·dy.
function conv2d_backward_ref(out: usize, a: usize, dy: usize, g: usize, which: i32): void {
  const N = gi(g, G_N), H = gi(g, G_H), W = gi(g, G_W), C = gi(g, G_C), F = gi(g, G_F);
  const KH = gi(g, G_KH), KW = gi(g, G_KW), OH = gi(g, G_OH), OW = gi(g, G_OW);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    for (let kh = 0; kh < KH; kh++) {
      const ih = inCoord(oh, kh, gi(g, G_SH), gi(g, G_DH), gi(g, G_PT), H);
      if (ih < 0) continue;
      for (let kw = 0; kw < KW; kw++) {
        const iw = inCoord(ow, kw, gi(g, G_SW), gi(g, G_DW), gi(g, G_PL), W);
        if (iw < 0) continue;
        for (let c = 0; c < C; c++) for (let f = 0; f < F; f++) {
          const xi = <usize>(((n * H + ih) * W + iw) * C + c) << 2, wi = <usize>(((kh * KW + kw) * C + c) * F + f) << 2;
          const g_ = load<f32>(dy + (<usize>(((n * OH + oh) * OW + ow) * F + f) << 2));
          if (which == 1) store<f32>(out + xi, load<f32>(out + xi) + g_ * load<f32>(a + wi));
          else store<f32>(out + wi, load<f32>(out + wi) + g_ * load<f32>(a + xi));
        }
      }
    }
  }
}

export function conv2d_backward_data_ref(dx: usize, dy: usize, w: usize, g: usize): void { conv2d_backward_ref(dx, w, dy, g, 1); }
export function conv2d_backward_filter_ref(dw: usize, x: usize, dy: usize, g: usize): void { conv2d_backward_ref(dw, x, dy, g, 2); }
