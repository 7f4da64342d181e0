// conv2d / conv1d ops: forward and gradients against tfjs-core (cpu backend) wherever tfjs supports
// the configuration, and finite-difference checks everywhere (also 'full' padding and dilation
// with stride > 1, which tfjs refuses).
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

type Pad = 'valid' | 'same' | 'full';

const free = (ts: Array<{ dispose(): void }>) => ts.forEach((t) => t.dispose());

/** Ours vs tf.conv2d: forward, and dx, dfilter of sum(y · weights) (tfjs has no gradient with dilation > 1). */
function compareConv2d(xs: number[], fs: number[], strides: [number, number], pad: 'valid' | 'same', dil: [number, number], seed: number) {
  const xv = rand(xs.reduce((a, b) => a * b), seed), fv = rand(fs.reduce((a, b) => a * b), seed + 1);
  const x = nn.tensor(xv, xs), f = nn.tensor(fv, fs);
  const tx = tf.tensor(xv, xs), tfl = tf.tensor(fv, fs);
  const y = nn.conv2d(x, f, strides, pad, 'NHWC', dil);
  const ty = tf.conv2d(tx as any, tfl as any, strides, pad, 'NHWC', dil);
  const what = `x ${xs} f ${fs} s ${strides} ${pad} d ${dil}`;
  expect(y.shape, what).toEqual(ty.shape);
  expectClose(y.dataSync(), ty.dataSync(), 1e-5, `forward ${what}`);
  if (dil[0] > 1 || dil[1] > 1) { free([x, f, y, tx, tfl, ty]); return; }
  const wv = rand(y.size, seed + 2);
  const [gx, gf] = nn.grads((a: any, b: any) => nn.mul(nn.conv2d(a, b, strides, pad, 'NHWC', dil), nn.tensor(wv, y.shape)))([x, f]);
  const [tgx, tgf] = tf.grads((a: any, b: any) => tf.sum(tf.mul(tf.conv2d(a, b, strides, pad, 'NHWC', dil), tf.tensor(wv, ty.shape))))([tx, tfl]);
  expectClose(gx.dataSync(), tgx.dataSync(), 1e-4, `dx ${what}`);
  expectClose(gf.dataSync(), tgf.dataSync(), 1e-4, `dfilter ${what}`);
  free([x, f, y, gx, gf, tx, tfl, ty, tgx, tgf]);
}

describe('conv2d matches tfjs', () => {
  it('paddings, strides, even and odd kernels, multi-channel, many filters, 1×1', () => {
    let seed = 1;
    for (const pad of ['valid', 'same'] as const) {
      for (const [xs, fs] of [[[2, 7, 9, 3], [3, 3, 3, 5]], [[1, 8, 6, 2], [2, 2, 2, 4]], [[2, 5, 5, 4], [1, 1, 4, 9]],
        [[1, 9, 7, 1], [4, 3, 1, 12]], [[3, 6, 6, 5], [5, 5, 5, 3]]]) {
        for (const s of [[1, 1], [2, 2], [3, 1]] as [number, number][]) compareConv2d(xs, fs, s, pad, [1, 1], seed += 3);
      }
    }
  });

  it('dilation, forward (stride 1: the combination tfjs supports; its gradients refuse dilation)', () => {
    compareConv2d([2, 9, 11, 3], [3, 3, 3, 4], [1, 1], 'valid', [2, 2], 50);
    compareConv2d([2, 9, 11, 3], [3, 2, 3, 4], [1, 1], 'same', [2, 3], 51);
    compareConv2d([1, 10, 10, 2], [2, 2, 2, 3], [1, 1], 'same', [3, 1], 52);
  });

  it('takes rank-3 (unbatched) input as tfjs does', () => {
    const xv = rand(5 * 6 * 2, 3), fv = rand(3 * 3 * 2 * 4, 4);
    const y = nn.conv2d(nn.tensor(xv, [5, 6, 2]), nn.tensor(fv, [3, 3, 2, 4]), 1, 'same');
    const ty = tf.conv2d(tf.tensor3d(xv, [5, 6, 2]), tf.tensor4d(fv, [3, 3, 2, 4]), 1, 'same');
    expect(y.shape).toEqual([5, 6, 4]);
    expectClose(y.dataSync(), ty.dataSync(), 1e-5);
  });
});

describe('conv1d matches tfjs', () => {
  for (const pad of ['valid', 'same'] as const) {
    it(`${pad}: forward and gradients, strides`, () => {
      let seed = 100;
      for (const [s, d] of [[1, 1], [2, 1], [3, 1]]) {
        const xv = rand(2 * 11 * 3, seed++), fv = rand(3 * 3 * 5, seed++);
        const x = nn.tensor(xv, [2, 11, 3]), f = nn.tensor(fv, [3, 3, 5]);
        const tx = tf.tensor3d(xv, [2, 11, 3]), tfl = tf.tensor3d(fv, [3, 3, 5]);
        const y = nn.conv1d(x, f, s, pad, 'NWC', d), ty = tf.conv1d(tx, tfl, s, pad, 'NWC', d);
        expect(y.shape).toEqual(ty.shape);
        expectClose(y.dataSync(), ty.dataSync(), 1e-5, `conv1d s=${s} d=${d}`);
        const [gx, gf] = nn.grads((a: any, b: any) => nn.square(nn.conv1d(a, b, s, pad, 'NWC', d)))([x, f]);
        const [tgx, tgf] = tf.grads((a: any, b: any) => tf.sum(tf.square(tf.conv1d(a, b, s, pad, 'NWC', d))))([tx, tfl]);
        expectClose(gx.dataSync(), tgx.dataSync(), 1e-4, 'dx');
        expectClose(gf.dataSync(), tgf.dataSync(), 1e-4, 'dfilter');
      }
    });
  }
});

describe('conv gradients pass finite-difference checks', () => {
  const cases: Array<{ xs: number[]; fs: number[]; s: [number, number]; d: [number, number] }> = [
    { xs: [2, 5, 6, 2], fs: [3, 3, 2, 3], s: [1, 1], d: [1, 1] },
    { xs: [1, 7, 5, 3], fs: [2, 2, 3, 2], s: [2, 2], d: [1, 1] },   // even kernel, stride, odd sizes
    { xs: [1, 7, 7, 2], fs: [3, 2, 2, 2], s: [1, 1], d: [2, 2] },   // dilation
    { xs: [1, 9, 8, 2], fs: [2, 3, 2, 3], s: [2, 3], d: [2, 2] },   // dilation with stride > 1
    { xs: [2, 4, 5, 3], fs: [1, 1, 3, 4], s: [1, 2], d: [1, 1] },   // 1×1
  ];
  for (const pad of ['valid', 'same', 'full'] as Pad[]) {
    it(`${pad}: x and filter`, () => {
      let seed = 200;
      for (const c of cases) {
        const x = nn.tensor(rand(c.xs.reduce((a, b) => a * b), seed++), c.xs);
        const f = nn.tensor(rand(c.fs.reduce((a, b) => a * b), seed++), c.fs);
        const w = nn.tensor(rand(nn.conv2d(x, f, c.s, pad, 'NHWC', c.d).size, seed++));
        checkGrad((a, b) => nn.mul(nn.reshape(nn.conv2d(a, b, c.s, pad, 'NHWC', c.d), [-1]), w), [x, f]);
      }
    });
  }

  it('conv1d with full padding, stride and dilation together', () => {
    const x = nn.tensor(rand(2 * 9 * 2, 300), [2, 9, 2]), f = nn.tensor(rand(3 * 2 * 3, 301), [3, 2, 3]);
    checkGrad((a, b) => nn.square(nn.conv1d(a, b, 2, 'full', 'NWC', 2)), [x, f]);
  });

  it("'full' pads k_eff − 1 on each side: output size n + k_eff − 1 at stride 1", () => {
    const y = nn.conv2d(nn.ones([1, 4, 5, 1]), nn.ones([3, 2, 1, 1]), 1, 'full', 'NHWC', [2, 1]);
    expect(y.shape).toEqual([1, 4 + 5 - 1, 5 + 2 - 1, 1]);
    // Corner: only the kernel's last tap overlaps the input's first cell.
    expect(y.dataSync()[0]).toBe(1);
  });
});

describe('conv ops refuse bad input clearly, leaving memory as it was', () => {
  it('channel mismatch, kernel larger than the input, bad ranks, bad options', () => {
    const x = nn.zeros([1, 4, 4, 3]), f = nn.zeros([3, 3, 2, 5]), big = nn.zeros([5, 2, 3, 1]);
    const x2 = nn.zeros([4, 4]), f3 = nn.zeros([3, 3, 3, 1]), x1 = nn.zeros([1, 4, 3]), f1 = nn.zeros([5, 3, 1]);
    const before = nn.memory();
    expect(() => nn.conv2d(x, f, 1, 'same')).toThrow(/conv2d: the input has 3 channels but the filter expects 2 \(input \[1,4,4,3\], filter \[3,3,2,5\]\)/);
    expect(() => nn.conv2d(x, big, 1, 'valid')).toThrow(/conv2d .*height: the kernel \(size 5\) is larger than the input \(size 4\)/);
    expect(() => nn.conv2d(x, f3, 1, 'valid', 'NHWC', 2)).toThrow(/dilation 2: spans 5\) is larger than the input/);
    expect(() => nn.conv2d(x2, f, 1, 'same')).toThrow(/conv2d: expected an input of rank 3 or 4 and a filter of rank 4/);
    expect(() => nn.conv2d(x, f, 0, 'same')).toThrow(/conv2d: strides must be a positive integer/);
    expect(() => nn.conv2d(x, big, 1, 'causal' as any)).toThrow(/padding must be 'valid', 'same', 'full'/);
    expect(() => nn.conv2d(x, big, 1, 'same', 'NCHW' as any)).toThrow(/dataFormat "NCHW" is not supported/);
    expect(() => nn.conv1d(x1, f1, 1, 'valid')).toThrow(/conv1d .*width: the kernel \(size 5\) is larger/);
    expect(() => nn.conv2d([[[[1]]]], [[[[1, 2]]]], 1, 'valid', 'NHWC', 1, 'round')).toThrow(/dimRoundingMode/);
    expect(nn.memory()).toEqual(before);
  });

  it('a call with a plain-array input keeps it alive for the filter gradient, and tidy frees it', () => {
    const before = nn.memory().numTensors;
    const f = nn.tensor(rand(2 * 2 * 1 * 2, 9), [2, 2, 1, 2]);
    const [gf] = nn.grads((b: any) => nn.conv2d([[[[1], [2]], [[3], [4]]]], b, 1, 'valid'))([f]);
    expect(Array.from(gf.dataSync())).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    free([f, gf]);
    expect(nn.memory().numTensors).toBe(before);
  });
});
