// The classic fixed 3×3 image kernels, applied by nn.conv2d to a real handwritten digit (the
// `mnist` package), written out as one PNG sheet: the input, then each filtered image.
//   node examples/filters.mjs [--digit 3] [--out filters.png]
// The sheet: 28×28 tiles scaled 6×, 4-pixel grey borders; values clamped to [0, 1], the edge
// filter shown as |response| / 4.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import * as nn from '../build/simdnn.mjs';

/** name → 3×3 kernel, row-major. */
const FILTERS = {
  identity: [0, 0, 0, 0, 1, 0, 0, 0, 0],
  edges: [-1, -1, -1, -1, 8, -1, -1, -1, -1],
  sharpen: [0, -1, 0, -1, 5, -1, 0, -1, 0],
  blur: [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
};

/**
 * Convolves one 28×28 image (784 values in [0, 1]) with every filter at once: a [3, 3, 1, F]
 * kernel, 'same' padding. Returns one Float32Array of 784 values per filter, in FILTERS order.
 */
function applyFilters(lib, pixels) {
  const names = Object.keys(FILTERS);
  const kernel = new Float32Array(9 * names.length);
  names.forEach((name, f) => FILTERS[name].forEach((v, tap) => { kernel[tap * names.length + f] = v; }));
  const out = lib.tidy(() => lib.conv2d(lib.tensor(pixels, [1, 28, 28, 1]), lib.tensor(kernel, [3, 3, 1, names.length]), 1, 'same').dataSync());
  return names.map((_, f) => Float32Array.from({ length: 784 }, (_, i) => out[i * names.length + f]));
}

// --- a minimal PNG encoder (8-bit grey, no filtering), on node:zlib ---------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG file of a width×height grey image (values 0…255, row-major). */
function encodePng(grey, width, height) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter, no interlace
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) raw.set(grey.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * Lays 28×28 images side by side, each scaled up `scale` times with a `gap`-pixel grey border;
 * values are clamped to [0, 1].
 */
function sheet(images, { scale = 6, gap = 4 } = {}) {
  const tile = 28 * scale;
  const width = images.length * (tile + gap) + gap, height = tile + 2 * gap;
  const grey = new Uint8Array(width * height).fill(96);
  images.forEach((img, i) => {
    for (let y = 0; y < tile; y++) for (let x = 0; x < tile; x++) {
      const v = img[Math.floor(y / scale) * 28 + Math.floor(x / scale)];
      grey[(gap + y) * width + gap + i * (tile + gap) + x] = Math.round(255 * Math.min(1, Math.max(0, v)));
    }
  });
  return { grey, width, height };
}

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const digit = Number(opt('--digit', '3')), outPath = opt('--out', 'filters.png');
const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
const pixels = JSON.parse(readFileSync(join(dir, `${digit}.json`), 'utf8')).data.slice(0, 784);
await nn.ready();
// The edge filter answers ±8 at most: its magnitude / 4 shows the outlines.
const filtered = applyFilters(nn, pixels).map((img, f) => (Object.keys(FILTERS)[f] === 'edges' ? img.map((v) => Math.abs(v) / 4) : img));
const { grey, width, height } = sheet([Float32Array.from(pixels), ...filtered]);
writeFileSync(outPath, encodePng(grey, width, height));
console.log(`${outPath}: ${width}×${height}, input digit ${digit} then ${Object.keys(FILTERS).join(', ')}`);
