// API.md's plain <script> path: the IIFE bundle, loaded by a script tag, defines globalThis.simdnn
// and trains; the page fetches nothing but that one file. (Browser only: see test/vitest.config.mjs.)
import { describe, it, expect, beforeAll } from 'vitest';
import { commands } from 'vitest/browser';
import { nn, ready } from '../setup';

beforeAll(ready);

// vitest's dev server rewrites every .js it serves into a module (the bundle's dynamic import of
// node:fs gets a helper import), so /build/simdnn.js is not served as the file is. The exact bytes
// are read through vitest's file command and served from a Blob URL instead: still a classic
// <script src>, still one file.
async function bundleUrl(): Promise<string> {
  const text = await commands.readFile('build/simdnn.js') // relative to the project root;
  return URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
}

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

async function trainTiny(lib: typeof nn): Promise<{ losses: number[]; prediction: number[] }> {
  await lib.ready();
  lib.setSeed(11);
  const m = lib.sequential({ layers: [
    lib.layers.dense({ units: 6, activation: 'relu', inputShape: [2] }),
    lib.layers.dense({ units: 1, activation: 'sigmoid' }),
  ] });
  m.compile({ optimizer: lib.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
  const X = [[0, 0], [0, 1], [1, 0], [1, 1]], Y = [[0], [1], [1], [0]];
  const epochsSeen: number[] = [];
  const h = await m.fit(X, Y, { epochs: 6, batchSize: 4, verbose: 1, callbacks: { onEpochEnd: (e) => { epochsSeen.push(e); } } });
  expect(epochsSeen).toEqual([0, 1, 2, 3, 4, 5]); // in a browser, progress goes to callbacks
  const p = m.predict(X);
  const prediction = Array.from(p.dataSync());
  p.dispose();
  m.dispose();
  return { losses: h.history.loss.slice(), prediction };
}

describe('<script src="simdnn.js">', () => {
  it('defines globalThis.simdnn, which trains like the ESM build, and fetches no side file', async () => {
    const g = globalThis as any;
    expect(g.simdnn).toBeUndefined();
    const src = await bundleUrl();
    await loadScript(src);
    expect(typeof g.simdnn?.ready).toBe('function');
    expect(g.simdnn.ready).not.toBe(nn.ready); // the script's own copy, not the ESM module
    const viaScript = await trainTiny(g.simdnn);
    expect(viaScript.losses[5]).toBeLessThan(viaScript.losses[0]);
    expect(g.simdnn.backendInfo().simd).toBe(true);
    expect(viaScript).toEqual(await trainTiny(nn)); // same bundle source, same bits
    // Nothing was fetched for it: no .wasm, nothing from build/ but the ESM bundle test/setup.ts imports
    // (through build/internal/simdnn.mjs, its one-line re-export).
    const requested = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
    expect(requested.some((p) => p.endsWith('/build/simdnn.mjs'))).toBe(true); // the list is real
    const fromSetup = ['/build/simdnn.mjs', '/build/internal/simdnn.mjs'];
    expect(requested.filter((p) => /\.wasm\b/.test(p) || (p.includes('/build/') && !fromSetup.some((f) => p.endsWith(f))))).toEqual([]);
  });
});
