// Max and average pooling, NHWC, SIMD over channels. 1-D pooling is H = 1; global pooling is a
// window the size of the input. Geometry is an i32 block g (src/ops/pool.ts):
//   N, H, W, C, KH, KW, SH, SW, padTop, padLeft, OH, OW
// Windows are clipped to the input: max ignores the padding, average divides by the number of
// real cells (as tfjs does at 'same' edges). Max pooling saves the flat index of each output's
// winner (the first maximum; NaN wins, so it propagates), and its backward scatters through it:
// any stride and overlap work.

const G_N = 0, G_H = 1, G_W = 2, G_C = 3, G_KH = 4, G_KW = 5, G_SH = 6, G_SW = 7, G_PT = 8, G_PL = 9, G_OH = 10, G_OW = 11;

// @ts-ignore: decorator
@inline function gi(g: usize, i: i32): i32 { return load<i32>(g + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function imin(a: i32, b: i32): i32 { return a < b ? a : b; }
// @ts-ignore: decorator
@inline function imax(a: i32, b: i32): i32 { return a > b ? a : b; }

// The clipped window of one output pixel: rows h0…h1-1, columns w0…w1-1 of image n, and the
// flat index (in floats, channel 0) of the output.
@unmanaged class Window { h0: i32 = 0; h1: i32 = 0; w0: i32 = 0; w1: i32 = 0; out: i32 = 0; img: i32 = 0; }
const WIN: usize = memory.data(offsetof<Window>(), 16);

// @ts-ignore: decorator
@inline function windowOf(g: usize, n: i32, oh: i32, ow: i32): Window {
  const w = changetype<Window>(WIN);
  const H = gi(g, G_H), W = gi(g, G_W), C = gi(g, G_C);
  const h = oh * gi(g, G_SH) - gi(g, G_PT), c = ow * gi(g, G_SW) - gi(g, G_PL);
  w.h0 = imax(h, 0); w.h1 = imin(h + gi(g, G_KH), H);
  w.w0 = imax(c, 0); w.w1 = imin(c + gi(g, G_KW), W);
  w.out = ((n * gi(g, G_OH) + oh) * gi(g, G_OW) + ow) * C;
  w.img = n * H * W * C;
  return w;
}

// @ts-ignore: decorator
@inline function cellIndex(g: usize, win: Window, ih: i32, iw: i32): i32 { return win.img + (ih * gi(g, G_W) + iw) * gi(g, G_C); }

// y:(N,OH,OW,C) = window max of x:(N,H,W,C); arg:(N,OH,OW,C) i32 = flat index of the winner.
export function maxpool2d_forward(y: usize, arg: usize, x: usize, g: usize): void {
  const N = gi(g, G_N), C = gi(g, G_C), OH = gi(g, G_OH), OW = gi(g, G_OW);
  const lanes = i32x4(0, 1, 2, 3);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    const win = windowOf(g, n, oh, ow);
    const first = cellIndex(g, win, win.h0, win.w0);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      let best = v128.load(x + (<usize>(first + c) << 2)), idx = i32x4.add(i32x4.splat(first + c), lanes);
      for (let ih = win.h0; ih < win.h1; ih++) for (let iw = win.w0; iw < win.w1; iw++) {
        const i = cellIndex(g, win, ih, iw) + c;
        const v = v128.load(x + (<usize>i << 2));
        const take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
        best = v128.bitselect(v, best, take);
        idx = v128.bitselect(i32x4.add(i32x4.splat(i), lanes), idx, take);
      }
      v128.store(y + (<usize>(win.out + c) << 2), best);
      v128.store(arg + (<usize>(win.out + c) << 2), idx);
    }
    for (; c < C; c++) maxCell(y, arg, x, g, win, c);
  }
}

// One channel of one output: the scalar tail, and the reference.
// @ts-ignore: decorator
@inline function maxCell(y: usize, arg: usize, x: usize, g: usize, win: Window, c: i32): void {
  let bi = cellIndex(g, win, win.h0, win.w0) + c;
  let best = load<f32>(x + (<usize>bi << 2));
  for (let ih = win.h0; ih < win.h1; ih++) for (let iw = win.w0; iw < win.w1; iw++) {
    const i = cellIndex(g, win, ih, iw) + c;
    const v = load<f32>(x + (<usize>i << 2));
    if (v > best || v != v) { best = v; bi = i; }
  }
  store<f32>(y + (<usize>(win.out + c) << 2), best);
  store<i32>(arg + (<usize>(win.out + c) << 2), bi);
}

export function maxpool2d_forward_ref(y: usize, arg: usize, x: usize, g: usize): void {
  const N = gi(g, G_N), C = gi(g, G_C), OH = gi(g, G_OH), OW = gi(g, G_OW);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    const win = windowOf(g, n, oh, ow);
    for (let c = 0; c < C; c++) maxCell(y, arg, x, g, win, c);
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
  const N = gi(g, G_N), C = gi(g, G_C), OH = gi(g, G_OH), OW = gi(g, G_OW);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    const win = windowOf(g, n, oh, ow);
    for (let c = 0; c < C; c++) {
      let bi = cellIndex(g, win, win.h0, win.w0) + c;
      let best = load<f32>(x + (<usize>bi << 2));
      for (let ih = win.h0; ih < win.h1; ih++) for (let iw = win.w0; iw < win.w1; iw++) {
        const i = cellIndex(g, win, ih, iw) + c;
        const v = load<f32>(x + (<usize>i << 2));
        if (v > best || v != v) { best = v; bi = i; }
      }
      const d = dx + (<usize>bi << 2);
      store<f32>(d, load<f32>(d) + load<f32>(dy + (<usize>(win.out + c) << 2)));
    }
  }
}

// y:(N,OH,OW,C) = window mean of x over the real cells.
export function avgpool2d_forward(y: usize, x: usize, g: usize): void {
  const N = gi(g, G_N), C = gi(g, G_C), OH = gi(g, G_OH), OW = gi(g, G_OW);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    const win = windowOf(g, n, oh, ow);
    const count = <f32>((win.h1 - win.h0) * (win.w1 - win.w0));
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      let s = f32x4.splat(0);
      for (let ih = win.h0; ih < win.h1; ih++) for (let iw = win.w0; iw < win.w1; iw++) {
        s = f32x4.add(s, v128.load(x + (<usize>(cellIndex(g, win, ih, iw) + c) << 2)));
      }
      v128.store(y + (<usize>(win.out + c) << 2), f32x4.div(s, f32x4.splat(count)));
    }
    for (; c < C; c++) avgCell(y, x, g, win, c, count);
  }
}

// @ts-ignore: decorator
@inline function avgCell(y: usize, x: usize, g: usize, win: Window, c: i32, count: f32): void {
  let s: f32 = 0;
  for (let ih = win.h0; ih < win.h1; ih++) for (let iw = win.w0; iw < win.w1; iw++) {
    s += load<f32>(x + (<usize>(cellIndex(g, win, ih, iw) + c) << 2));
  }
  store<f32>(y + (<usize>(win.out + c) << 2), s / count);
}

export function avgpool2d_forward_ref(y: usize, x: usize, g: usize): void {
  const N = gi(g, G_N), C = gi(g, G_C), OH = gi(g, G_OH), OW = gi(g, G_OW);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    const win = windowOf(g, n, oh, ow);
    const count = <f32>((win.h1 - win.h0) * (win.w1 - win.w0));
    for (let c = 0; c < C; c++) avgCell(y, x, g, win, c, count);
  }
}

// dx:(N,H,W,C) += dy / count over each window's real cells.
export function avgpool2d_backward(dx: usize, dy: usize, g: usize): void {
  const N = gi(g, G_N), C = gi(g, G_C), OH = gi(g, G_OH), OW = gi(g, G_OW);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    const win = windowOf(g, n, oh, ow);
    const count = <f32>((win.h1 - win.h0) * (win.w1 - win.w0));
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const share = f32x4.div(v128.load(dy + (<usize>(win.out + c) << 2)), f32x4.splat(count));
      for (let ih = win.h0; ih < win.h1; ih++) for (let iw = win.w0; iw < win.w1; iw++) {
        const d = dx + (<usize>(cellIndex(g, win, ih, iw) + c) << 2);
        v128.store(d, f32x4.add(v128.load(d), share));
      }
    }
    for (; c < C; c++) avgCellBackward(dx, dy, g, win, c, count);
  }
}

// @ts-ignore: decorator
@inline function avgCellBackward(dx: usize, dy: usize, g: usize, win: Window, c: i32, count: f32): void {
  const share = load<f32>(dy + (<usize>(win.out + c) << 2)) / count;
  for (let ih = win.h0; ih < win.h1; ih++) for (let iw = win.w0; iw < win.w1; iw++) {
    const d = dx + (<usize>(cellIndex(g, win, ih, iw) + c) << 2);
    store<f32>(d, load<f32>(d) + share);
  }
}

export function avgpool2d_backward_ref(dx: usize, dy: usize, g: usize): void {
  const N = gi(g, G_N), C = gi(g, G_C), OH = gi(g, G_OH), OW = gi(g, G_OW);
  for (let n = 0; n < N; n++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
    const win = windowOf(g, n, oh, ow);
    const count = <f32>((win.h1 - win.h0) * (win.w1 - win.w0));
    for (let c = 0; c < C; c++) avgCellBackward(dx, dy, g, win, c, count);
  }
}
