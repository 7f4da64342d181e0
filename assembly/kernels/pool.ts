// Max and average pooling, NHWC, SIMD over channels. 1-D pooling is H = 1; global pooling is a
// window the size of the input. Geometry is an i32 block g (src/ops/pool.ts):
//   N, H, W, C, KH, KW, SH, SW, padTop, padLeft, OH, OW
// Windows are clipped to the input: max ignores the padding, average divides by the number of
// real cells (as tfjs does at 'same' edges). Max pooling saves the flat index of each output's
// winner (the first maximum; NaN wins, so it propagates), and its backward scatters through it:
// any stride and overlap work.
import { gi, imin, imax } from '../simd';
import { LANES, vectorStart, maxpool2x2 } from '../pool_util';

const G_N = 0, G_H = 1, G_W = 2, G_C = 3, G_KH = 4, G_KW = 5, G_SH = 6, G_SW = 7, G_PT = 8, G_PL = 9, G_OH = 10, G_OW = 11;
// The block is the caller's, one per call, and holds after those ints the Window the call works
// with (no mutable state in static memory, which threads sharing one memory would trample). Its
// size in ints, and the Window's byte offset:
export const POOL_GEOMETRY_INTS: i32 = 48;
const AT_WINDOW: usize = 64;

// The geometry in locals, and the clipped window of one output pixel: rows h0…h1-1, columns
// w0…w1-1 of image n, the flat index (floats, channel 0) of its first cell and of the output.
@unmanaged class Window {
  N: i32 = 0; H: i32 = 0; W: i32 = 0; C: i32 = 0; KH: i32 = 0; KW: i32 = 0; SH: i32 = 0; SW: i32 = 0; PT: i32 = 0; PL: i32 = 0;
  OH: i32 = 0; OW: i32 = 0;
  h0: i32 = 0; h1: i32 = 0; w0: i32 = 0; w1: i32 = 0; out: i32 = 0; first: i32 = 0; rowStep: i32 = 0;
}

function geometry(g: usize): Window {
  const w = changetype<Window>(g + AT_WINDOW);
  w.N = gi(g, G_N); w.H = gi(g, G_H); w.W = gi(g, G_W); w.C = gi(g, G_C); w.KH = gi(g, G_KH); w.KW = gi(g, G_KW);
  w.SH = gi(g, G_SH); w.SW = gi(g, G_SW); w.PT = gi(g, G_PT); w.PL = gi(g, G_PL); w.OH = gi(g, G_OH); w.OW = gi(g, G_OW);
  return w;
}

// @ts-ignore: decorator
@inline function windowOf(w: Window, n: i32, oh: i32, ow: i32): Window {
  const h = oh * w.SH - w.PT, c = ow * w.SW - w.PL;
  w.h0 = imax(h, 0); w.h1 = imin(h + w.KH, w.H);
  w.w0 = imax(c, 0); w.w1 = imin(c + w.KW, w.W);
  w.out = ((n * w.OH + oh) * w.OW + ow) * w.C;
  w.first = ((n * w.H + w.h0) * w.W + w.w0) * w.C;
  w.rowStep = w.W * w.C;
  return w;
}


// The max of 4 channels over the window starting at flat index `first`, and the winners.
// @ts-ignore: decorator
@inline function maxVec(y: usize, arg: usize, x: usize, first: i32, out: i32, rows: i32, cols: i32, rs: i32, C: i32): void {
  let best = v128.load(x + (<usize>first << 2)), idx = i32x4.add(i32x4.splat(first), LANES);
  for (let r = 0; r < rows; r++) {
    let i = first + r * rs;
    for (let q = 0; q < cols; q++) {
      const v = v128.load(x + (<usize>i << 2));
      const take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
      best = v128.bitselect(v, best, take);
      idx = v128.bitselect(i32x4.add(i32x4.splat(i), LANES), idx, take);
      i += C;
    }
  }
  v128.store(y + (<usize>out << 2), best);
  v128.store(arg + (<usize>out << 2), idx);
}

// The max of 4 channels only (no winners: inference).
// @ts-ignore: decorator
@inline function maxOnlyVec(y: usize, x: usize, first: i32, out: i32, rows: i32, cols: i32, rs: i32, C: i32): void {
  let best = v128.load(x + (<usize>first << 2));
  for (let r = 0; r < rows; r++) {
    let i = first + r * rs;
    for (let q = 0; q < cols; q++) {
      const v = v128.load(x + (<usize>i << 2));
      best = v128.bitselect(v, best, v128.or(f32x4.gt(v, best), f32x4.ne(v, v)));
      i += C;
    }
  }
  v128.store(y + (<usize>out << 2), best);
}

// One channel's winner: the scalar path and the reference.
// @ts-ignore: decorator
@inline function maxOne(x: usize, first: i32, rows: i32, cols: i32, rs: i32, C: i32): i32 {
  let bi = first, best = load<f32>(x + (<usize>first << 2));
  for (let r = 0; r < rows; r++) {
    let i = first + r * rs;
    for (let q = 0; q < cols; q++) {
      const v = load<f32>(x + (<usize>i << 2));
      if (v > best || v != v) { best = v; bi = i; }
      i += C;
    }
  }
  return bi;
}

// @ts-ignore: decorator
@inline function maxStore(y: usize, arg: usize, x: usize, bi: i32, o: i32): void {
  store<f32>(y + (<usize>o << 2), load<f32>(x + (<usize>bi << 2)));
  if (arg != 0) store<i32>(arg + (<usize>o << 2), bi);
}

// y:(N,OH,OW,C) = window max of x:(N,H,W,C); arg:(N,OH,OW,C) i32 = flat index of the winner
// (arg = 0: not needed, as in inference).
export function maxpool2d_forward(y: usize, arg: usize, x: usize, g: usize): void {
  const w = geometry(g);
  const N = w.N, OH = w.OH, OW = w.OW, C = w.C, H = w.H, W = w.W, SH = w.SH, SW = w.SW, KH = w.KH, KW = w.KW;
  // With no window clipped (the common 'valid' pooling), windows come straight from the indices:
  // no per-pixel window record in memory.
  const inside = w.PT == 0 && w.PL == 0 && (OH - 1) * SH + KH <= H && (OW - 1) * SW + KW <= W;
  if (inside && KH == 2 && KW == 2 && SH == 2 && SW == 2 && C >= 4) {
    maxpool2x2(y, arg, x, N, H, W, C, OH, OW);
    return;
  }
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    let rows = KH, cols = KW, rs = W * C, first = ((n * H + oh * SH) * W + ow * SW) * C, out = ((n * OH + oh) * OW + ow) * C;
    if (!inside) {
      windowOf(w, n, oh, ow);
      rows = w.h1 - w.h0; cols = w.w1 - w.w0; rs = w.rowStep; first = w.first; out = w.out;
    }
    if (C >= 4) {
      for (let c = 0; c < C; c += 4) {
        const cc = vectorStart(c, C);
        if (arg != 0) maxVec(y, arg, x, first + cc, out + cc, rows, cols, rs, C);
        else maxOnlyVec(y, x, first + cc, out + cc, rows, cols, rs, C);
      }
    } else {
      for (let c = 0; c < C; c++) maxStore(y, arg, x, maxOne(x, first + c, rows, cols, rs, C), out + c);
    }
  }
}

export function maxpool2d_forward_ref(y: usize, arg: usize, x: usize, g: usize): void {
  const w = geometry(g);
  for (let n = 0; n < w.N; n++) for (let oh = 0; oh < w.OH; oh++) for (let ow = 0; ow < w.OW; ow++) {
    windowOf(w, n, oh, ow);
    for (let c = 0; c < w.C; c++) maxStore(y, arg, x, maxOne(x, w.first + c, w.h1 - w.h0, w.w1 - w.w0, w.rowStep, w.C), w.out + c);
  }
}

// dx:(N,H,W,C) += dy scattered to the saved winners; count = N·OH·OW·C.
export function maxpool2d_backward(dx: usize, dy: usize, arg: usize, count: i32): void {
  for (let i = 0; i < count; i++) {
    const d = dx + (<usize>load<i32>(arg + (<usize>i << 2)) << 2);
    store<f32>(d, load<f32>(d) + load<f32>(dy + (<usize>i << 2)));
  }
}

// The reference finds each winner again from x, independently of the saved indices.
export function maxpool2d_backward_ref(dx: usize, dy: usize, x: usize, g: usize): void {
  const w = geometry(g);
  for (let n = 0; n < w.N; n++) for (let oh = 0; oh < w.OH; oh++) for (let ow = 0; ow < w.OW; ow++) {
    windowOf(w, n, oh, ow);
    for (let c = 0; c < w.C; c++) {
      const d = dx + (<usize>maxOne(x, w.first + c, w.h1 - w.h0, w.w1 - w.w0, w.rowStep, w.C) << 2);
      store<f32>(d, load<f32>(d) + load<f32>(dy + (<usize>(w.out + c) << 2)));
    }
  }
}

// @ts-ignore: decorator
@inline function sumVec(x: usize, first: i32, rows: i32, cols: i32, rs: i32, C: i32): v128 {
  let s = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    let i = first + r * rs;
    for (let q = 0; q < cols; q++) { s = f32x4.add(s, v128.load(x + (<usize>i << 2))); i += C; }
  }
  return s;
}

// @ts-ignore: decorator
@inline function sumOne(x: usize, first: i32, rows: i32, cols: i32, rs: i32, C: i32): f32 {
  let s: f32 = 0;
  for (let r = 0; r < rows; r++) {
    let i = first + r * rs;
    for (let q = 0; q < cols; q++) { s += load<f32>(x + (<usize>i << 2)); i += C; }
  }
  return s;
}

// y:(N,OH,OW,C) = window mean of x over the real cells.
export function avgpool2d_forward(y: usize, x: usize, g: usize): void {
  const w = geometry(g);
  const N = w.N, OH = w.OH, OW = w.OW, C = w.C;
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    windowOf(w, n, oh, ow);
    const rows = w.h1 - w.h0, cols = w.w1 - w.w0, rs = w.rowStep, first = w.first, out = w.out;
    const count = <f32>(rows * cols);
    if (C >= 4) {
      for (let c = 0; c < C; c += 4) {
        const cc = vectorStart(c, C);
        v128.store(y + (<usize>(out + cc) << 2), f32x4.div(sumVec(x, first + cc, rows, cols, rs, C), f32x4.splat(count)));
      }
    } else {
      for (let c = 0; c < C; c++) store<f32>(y + (<usize>(out + c) << 2), sumOne(x, first + c, rows, cols, rs, C) / count);
    }
  }
}

export function avgpool2d_forward_ref(y: usize, x: usize, g: usize): void {
  const w = geometry(g);
  for (let n = 0; n < w.N; n++) for (let oh = 0; oh < w.OH; oh++) for (let ow = 0; ow < w.OW; ow++) {
    windowOf(w, n, oh, ow);
    const rows = w.h1 - w.h0, cols = w.w1 - w.w0;
    for (let c = 0; c < w.C; c++) {
      store<f32>(y + (<usize>(w.out + c) << 2), sumOne(x, w.first + c, rows, cols, w.rowStep, w.C) / <f32>(rows * cols));
    }
  }
}

// @ts-ignore: decorator
@inline function spreadOne(dx: usize, first: i32, rows: i32, cols: i32, rs: i32, C: i32, share: f32): void {
  for (let r = 0; r < rows; r++) {
    let i = first + r * rs;
    for (let q = 0; q < cols; q++) { const d = dx + (<usize>i << 2); store<f32>(d, load<f32>(d) + share); i += C; }
  }
}

// dx:(N,H,W,C) += dy / count over each window's real cells (vectors of 4 channels, then a
// scalar tail: accumulation cannot overlap).
export function avgpool2d_backward(dx: usize, dy: usize, g: usize): void {
  const w = geometry(g);
  const N = w.N, OH = w.OH, OW = w.OW, C = w.C;
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    windowOf(w, n, oh, ow);
    const rows = w.h1 - w.h0, cols = w.w1 - w.w0, rs = w.rowStep, first = w.first, out = w.out;
    const count = <f32>(rows * cols);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const share = f32x4.div(v128.load(dy + (<usize>(out + c) << 2)), f32x4.splat(count));
      for (let r = 0; r < rows; r++) {
        let i = first + c + r * rs;
        for (let q = 0; q < cols; q++) {
          const d = dx + (<usize>i << 2);
          v128.store(d, f32x4.add(v128.load(d), share));
          i += C;
        }
      }
    }
    for (; c < C; c++) spreadOne(dx, first + c, rows, cols, rs, C, load<f32>(dy + (<usize>(out + c) << 2)) / count);
  }
}

export function avgpool2d_backward_ref(dx: usize, dy: usize, g: usize): void {
  const w = geometry(g);
  for (let n = 0; n < w.N; n++) for (let oh = 0; oh < w.OH; oh++) for (let ow = 0; ow < w.OW; ow++) {
    windowOf(w, n, oh, ow);
    const rows = w.h1 - w.h0, cols = w.w1 - w.w0;
    for (let c = 0; c < w.C; c++) {
      spreadOne(dx, w.first + c, rows, cols, w.rowStep, w.C, load<f32>(dy + (<usize>(w.out + c) << 2)) / <f32>(rows * cols));
    }
  }
}
