// Convolution kernels (direct SIMD: 4 pixels or kernel rows × 8 channels per tile; 2 pixels × 16
// filters; one input channel along the width; the forward that pools its output 2×2) against their
// scalar `_ref` twins: channel and filter counts around the tile edges (1, 3, 4, 5, 7, 8, 9),
// widths that are not multiples of 4, every padding, stride and dilation (also both at once),
// even and odd kernels. Backward kernels must accumulate into what the buffer held.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, rawBuffers } from '../setup';
import { CONV_GEOMETRY_INTS } from '../../src/kernels.generated';

beforeAll(async () => {
  await ready();
  const K = nn.internals.kernels() as unknown as Record<string, { value: number }>;
  Object.assign(ACTS, { linear: K.ACT_LINEAR.value, relu: K.ACT_RELU.value, tanh: K.ACT_TANH.value, elu: K.ACT_ELU.value });
});

type Pad = 'valid' | 'same' | 'full';

/** Per-axis {padLo, out}, computed here independently of src/ops/conv.ts. */
function axis(n: number, k: number, s: number, d: number, pad: Pad): [number, number] {
  const ke = (k - 1) * d + 1;
  if (pad === 'valid') return [0, Math.floor((n - ke) / s) + 1];
  if (pad === 'full') return [ke - 1, Math.floor((n + ke - 2) / s) + 1];
  const out = Math.ceil(n / s);
  return [Math.floor(Math.max((out - 1) * s + ke - n, 0) / 2), out];
}

interface Case { N: number; H: number; W: number; C: number; F: number; KH: number; KW: number; s: [number, number]; d: [number, number]; pad: Pad }

/** The kernels' geometry block: 15 ints, then the room the kernels keep their descriptors in. */
function geometry(c: Case): Int32Array {
  const [pt, oh] = axis(c.H, c.KH, c.s[0], c.d[0], c.pad), [pl, ow] = axis(c.W, c.KW, c.s[1], c.d[1], c.pad);
  const block = new Int32Array(CONV_GEOMETRY_INTS);
  block.set([c.N, c.H, c.W, c.C, c.F, c.KH, c.KW, c.s[0], c.s[1], c.d[0], c.d[1], pt, pl, oh, ow]);
  return block;
}

const GUARD = 8;

const ACTS: Record<string, number> = {};

function run(c: Case, seed: number, act_ = 'relu'): void {
  const K = nn.internals.kernels();
  const b = rawBuffers();
  const g = geometry(c);
  const [OH, OW] = [g[13], g[14]];
  const xn = c.N * c.H * c.W * c.C, wn = c.KH * c.KW * c.C * c.F, yn = c.N * OH * OW * c.F;
  const gp = b.putInts(g);
  const x = b.put(rand(xn, seed)), w = b.put(rand(wn, seed + 1)), bias = b.put(rand(c.F, seed + 2));
  const dy = b.put(rand(yn, seed + 3));
  const what = JSON.stringify(c);
  const withGuard = (n: number, s: number) => { const v = new Float32Array(n + GUARD).fill(777); v.set(rand(n, s)); return v; };
  const guarded = (p: number, n: number, name: string) => {
    expect(Array.from(b.get(p + n * 4, GUARD)), `${name} wrote past its end: ${what}`).toEqual(new Array(GUARD).fill(777));
  };
  const ws = (which: number) => b.put(new Float32Array(Math.ceil(K.conv2d_workspace_size(gp, which) / 4)));

  // Without bias, with bias, and with bias and an activation fused into the forward kernel.
  for (const [withBias, act] of [[false, 'linear'], [true, 'linear'], [true, act_]] as [boolean, string][]) {
    const y = b.put(withGuard(yn, seed + 4)), yRef = b.put(new Float32Array(yn));
    const kind = ACTS[act];
    K.conv2d_forward(y, x, w, withBias ? bias : 0, kind, 0.3, ws(0), gp);
    K.conv2d_forward_ref(yRef, x, w, withBias ? bias : 0, kind, 0.3, gp);
    expectClose(b.get(y, yn), b.get(yRef, yn), 1e-5, `forward ${act} ${what}`);
    guarded(y, yn, 'forward');
  }

  // The forward that pools its output 2×2 (stride 2, 'valid': an odd last row or column dropped).
  if (c.F >= 4 && OH >= 2 && OW >= 2) {
    const pn = c.N * (OH >> 1) * (OW >> 1) * c.F;
    const y = b.put(withGuard(pn, seed + 7)), yRef = b.put(new Float32Array(pn)), z = b.put(new Float32Array(yn));
    K.conv2d_forward_maxpool2x2(y, x, w, bias, ACTS[act_], 0.3, ws(3), gp);
    K.conv2d_forward_maxpool2x2_ref(yRef, z, x, w, bias, ACTS[act_], 0.3, gp);
    expectClose(b.get(y, pn), b.get(yRef, pn), 1e-5, `forward pooled ${act_} ${what}`);
    guarded(y, pn, 'forward pooled');
  }

  // Backward kernels accumulate: both start from the same non-zero values.
  const dx = b.put(withGuard(xn, seed + 5)), dxRef = b.put(rand(xn, seed + 5));
  K.conv2d_backward_data(dx, dy, w, ws(1), gp);
  K.conv2d_backward_data_ref(dxRef, dy, w, gp);
  expectClose(b.get(dx, xn), b.get(dxRef, xn), 1e-5, `backward_data ${what}`);
  guarded(dx, xn, 'backward_data');

  const dw = b.put(withGuard(wn, seed + 6)), dwRef = b.put(rand(wn, seed + 6));
  K.conv2d_backward_filter(dw, x, dy, ws(2), gp);
  K.conv2d_backward_filter_ref(dwRef, x, dy, gp);
  expectClose(b.get(dw, wn), b.get(dwRef, wn), 1e-4, `backward_filter ${what}`);
  guarded(dw, wn, 'backward_filter');
  b.freeAll();
}

const EDGES = [1, 3, 4, 5, 7, 8, 9];

describe('conv2d kernels: SIMD == _ref', () => {
  it('channels and filters around the tile edges, widths not multiples of 4', () => {
    let seed = 1;
    for (const C of EDGES) for (const F of EDGES) {
      for (const pad of ['valid', 'same'] as Pad[]) {
        run({ N: 2, H: 5, W: 7, C, F, KH: 3, KW: 3, s: [1, 1], d: [1, 1], pad }, seed += 10);
      }
    }
  });

  it('every padding with strides, dilations (also together), even and odd kernels, odd sizes', () => {
    let seed = 1000;
    for (const pad of ['valid', 'same', 'full'] as Pad[]) {
      for (const [KH, KW] of [[1, 1], [2, 2], [3, 2], [2, 5], [3, 3], [4, 1]]) {
        for (const [s, d] of [[[1, 1], [1, 1]], [[2, 2], [1, 1]], [[1, 3], [1, 1]], [[1, 1], [2, 2]], [[2, 1], [1, 3]], [[3, 2], [2, 2]]] as [number, number][][]) {
          const H = 9, W = 11;
          const keH = (KH - 1) * d[0] + 1, keW = (KW - 1) * d[1] + 1;
          if (pad === 'valid' && (keH > H || keW > W)) continue;
          run({ N: 2, H, W, C: 3, F: 5, KH, KW, s, d, pad }, seed += 10);
        }
      }
    }
  });

  it('LeNet shapes and a batch of many images', () => {
    run({ N: 3, H: 28, W: 28, C: 1, F: 6, KH: 5, KW: 5, s: [1, 1], d: [1, 1], pad: 'same' }, 7);
    run({ N: 3, H: 14, W: 14, C: 6, F: 16, KH: 5, KW: 5, s: [1, 1], d: [1, 1], pad: 'valid' }, 8);
    run({ N: 17, H: 6, W: 5, C: 4, F: 9, KH: 3, KW: 3, s: [1, 1], d: [1, 1], pad: 'same' }, 9);
  });

  it('filter counts that fill 16-channel panels (2 pixels × 16 filters), odd pixel counts, strides, dilations', () => {
    let seed = 3000;
    for (const F of [16, 32]) {
      for (const C of [1, 3, 8]) {
        for (const pad of ['valid', 'same'] as Pad[]) {
          run({ N: 2, H: 5, W: 7, C, F, KH: 3, KW: 3, s: [1, 1], d: [1, 1], pad }, seed += 10);
        }
      }
      run({ N: 1, H: 9, W: 11, C: 5, F, KH: 3, KW: 2, s: [2, 3], d: [1, 1], pad: 'same' }, seed += 10, 'tanh');
      run({ N: 1, H: 9, W: 11, C: 5, F, KH: 2, KW: 3, s: [1, 1], d: [2, 3], pad: 'full' }, seed += 10);
    }
  });

  it('one input channel: widths and filter counts around the 16-pixel × 2-filter tile, strides, dilations, activations', () => {
    let seed = 2000;
    for (const W of [1, 3, 4, 5, 8, 11, 15, 16, 17, 24, 29, 33]) {
      for (const F of [1, 2, 3, 4, 5, 6, 7, 10]) {
        for (const pad of ['valid', 'same'] as Pad[]) {
          if (pad === 'valid' && W < 3) continue;
          run({ N: 2, H: 4, W, C: 1, F, KH: 3, KW: 3, s: [1, 1], d: [1, 1], pad }, seed += 10, F % 2 ? 'relu' : 'tanh');
        }
      }
    }
    for (const [s, d] of [[[1, 1], [2, 3]], [[2, 1], [1, 1]], [[1, 2], [1, 1]], [[1, 1], [1, 2]]] as [number, number][][]) {
      for (const pad of ['valid', 'same', 'full'] as Pad[]) {
        run({ N: 2, H: 9, W: 17, C: 1, F: 6, KH: 3, KW: 4, s, d, pad }, seed += 10, 'elu');
      }
    }
    // conv1d with one channel: height 1.
    run({ N: 3, H: 1, W: 40, C: 1, F: 6, KH: 1, KW: 5, s: [1, 1], d: [1, 1], pad: 'same' }, seed += 10);
  });

  it('inputs larger than one workspace band (several bands per image)', () => {
    run({ N: 1, H: 300, W: 301, C: 1, F: 6, KH: 5, KW: 5, s: [1, 1], d: [1, 1], pad: 'same' }, 10);
    run({ N: 1, H: 70, W: 75, C: 16, F: 9, KH: 3, KW: 3, s: [1, 1], d: [1, 1], pad: 'same' }, 11);
    run({ N: 1, H: 61, W: 67, C: 17, F: 3, KH: 3, KW: 2, s: [2, 1], d: [1, 2], pad: 'valid' }, 12);
  });
});

describe('conv2d workspace', () => {
  it('does not grow with the batch, and stays within a few MB for a large image', () => {
    const K = nn.internals.kernels();
    const b = rawBuffers();
    const size = (c: Case, which: number) => K.conv2d_workspace_size(b.putInts(geometry(c)), which);
    for (const pad of ['valid', 'same'] as Pad[]) {
      const one: Case = { N: 1, H: 28, W: 28, C: 6, F: 16, KH: 5, KW: 5, s: [1, 1], d: [1, 1], pad };
      for (const which of [0, 1, 2]) expect(size({ ...one, N: 4096 }, which)).toBe(size(one, which));
      const big: Case = { N: 64, H: 224, W: 224, C: 64, F: 64, KH: 3, KW: 3, s: [1, 1], d: [1, 1], pad };
      for (const which of [0, 1, 2]) expect(size(big, which)).toBeLessThan(4 << 20);
    }
    b.freeAll();
  });
});
