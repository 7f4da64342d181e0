// The three bundles each load as the whole library: CommonJS through require, the IIFE in a bare
// context with no fetch/require/process, the ESM build through the package's own name. No side
// file is read: the wasm is inlined, and the inlined bytes are the ones just built.
import { describe, it, expect, beforeAll } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type TS from 'typescript';
import { nn, ready } from '../setup';

beforeAll(ready);

const buildFile = (name: string) => fileURLToPath(new URL(`../../build/${name}`, import.meta.url));
const bundles = ['simdnn.mjs', 'simdnn.cjs', 'simdnn.js'];
const require = createRequire(import.meta.url);
// loaded by the runtime itself: through vitest's transform the 9 MB compiler takes seconds to load
const ts: typeof TS = require('typescript');

// XOR-ish data for 5 epochs: enough to see the loss move, small enough to be instant.
const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const Y = [[0], [1], [1], [0]];

/**
 * Trains a tiny seeded model with the given library object and returns plain numbers. Kept as
 * source text so that the IIFE test can run the very same code inside its own bare context.
 */
const TRAIN_TINY = `async (lib, X, Y) => {
  await lib.ready();
  lib.setSeed(7);
  const m = lib.sequential({ layers: [
    lib.layers.dense({ units: 4, activation: 'tanh', inputShape: [2] }),
    lib.layers.dense({ units: 1 }),
  ] });
  m.compile({ optimizer: lib.optimizers.adam({ learningRate: 0.05 }), loss: 'meanSquaredError' });
  const h = await m.fit(X, Y, { epochs: 5, batchSize: 2, shuffle: false, verbose: 0 });
  const p = m.predict(X);
  const prediction = Array.from(p.dataSync());
  p.dispose();
  m.dispose();
  return JSON.stringify({ losses: h.history.loss, prediction });
}`;
type Trainer = (lib: unknown, x: number[][], y: number[][]) => Promise<string>;
const trainTiny = async (lib: unknown) => JSON.parse(await (vm.runInThisContext(TRAIN_TINY) as Trainer)(lib, X, Y));

describe('bundles', () => {
  it('every bundle and the .d.ts exist, and package.json points at them', () => {
    for (const f of [...bundles, 'simdnn.d.ts', 'simdnn.d.mts']) expect(existsSync(buildFile(f)), f).toBe(true);
    // the .d.mts (found by TypeScript for a path import of simdnn.mjs) declares the same API
    expect(readFileSync(buildFile('simdnn.d.mts'), 'utf8')).toBe(readFileSync(buildFile('simdnn.d.ts'), 'utf8'));
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'));
    expect(pkg.exports['.']).toMatchObject({
      types: './build/simdnn.d.ts', import: './build/simdnn.mjs', require: './build/simdnn.cjs',
    });
    expect(pkg.browser).toBe('./build/simdnn.js');
    for (const f of [...bundles, 'simdnn.d.ts', 'simdnn.d.mts']) expect(pkg.files, f).toContain(`build/${f}`);
  });

  it('inline the freshly built wasm (both variants) and fetch no side file', () => {
    const b64 = (f: string) => readFileSync(buildFile(f)).toString('base64');
    const wasm = [b64('simdnn.wasm'), b64('simdnn-relaxed.wasm')];
    for (const f of bundles) {
      const src = readFileSync(buildFile(f), 'utf8');
      // The exact bytes of the current build/*.wasm appear as string literals: a stale bundle fails here.
      for (const w of wasm) expect(src.includes(`"${w}"`), `${f} inlines the current wasm`).toBe(true);
      expect(src, f).not.toMatch(/\.wasm\b/); // no file name to load the module from
      expect(src, f).not.toMatch(/instantiateStreaming|compileStreaming/);
      expect(src, f).not.toMatch(/import\.meta\.url|__dirname|document\.currentScript/);
      // fetch only serves loadLayersModel('http…'): never a literal URL baked into the bundle
      expect(src, f).not.toMatch(/fetch\(\s*(['"`]|new URL\(\s*['"`])/);
      expect(src, f).not.toMatch(/new URL\(\s*['"`][^'"`]*\.wasm/);
      // no dependencies: no static import or require; the one dynamic import loads node:fs for file:// saving
      expect(src, f).not.toMatch(/^\s*import[\s{*'"]|^\s*export [^;]* from\s|\brequire\(/m);
      expect(src.match(/\bimport\(/g), f).toHaveLength(1);
    }
  });

  it('the CommonJS build runs in a bare context with only module and exports', async () => {
    const ctx = vm.createContext({ atob, performance, setTimeout, module: { exports: {} } });
    vm.runInContext('exports = module.exports;', ctx);
    vm.runInContext(readFileSync(buildFile('simdnn.cjs'), 'utf8'), ctx, { filename: 'simdnn.cjs' });
    const lib = vm.runInContext('module.exports', ctx);
    const r = JSON.parse(await (vm.runInContext(TRAIN_TINY, ctx) as Trainer)(lib, X, Y));
    expect(r).toEqual(await trainTiny(nn));
  });

  it('the CommonJS build works through require()', async () => {
    const cjs = require(buildFile('simdnn.cjs'));
    expect(typeof cjs.ready).toBe('function');
    expect(cjs.ready).not.toBe(nn.ready); // its own module instance, not the ESM one
    const r = await trainTiny(cjs);
    expect(r.losses).toHaveLength(5);
    expect(r.losses[4]).toBeLessThan(r.losses[0]);
    expect(r.prediction.every(Number.isFinite)).toBe(true);
    // and it computes the same bits as the ESM build
    expect(await trainTiny(nn)).toEqual(r);
  });

  it('the IIFE build defines globalThis.simdnn in a bare context and trains there', async () => {
    // Only the timers/clock/base64 a library needs: no fetch, require, process, module or import.
    const ctx = vm.createContext({ atob, performance, setTimeout });
    expect(vm.runInContext('[typeof fetch, typeof require, typeof process, typeof module]', ctx)).toEqual(
      ['undefined', 'undefined', 'undefined', 'undefined']);
    vm.runInContext(readFileSync(buildFile('simdnn.js'), 'utf8'), ctx, { filename: 'simdnn.js' });
    expect(vm.runInContext('typeof simdnn.ready + typeof globalThis.simdnn.sequential', ctx)).toBe('functionfunction');
    // The training runs inside the context, on its own realm's arrays; only plain numbers come out.
    const run = vm.runInContext(TRAIN_TINY, ctx) as Trainer;
    const r = JSON.parse(await run(vm.runInContext('simdnn', ctx), X, Y));
    expect(r).toEqual(await trainTiny(nn));
    expect(vm.runInContext('simdnn.backendInfo().simd', ctx)).toBe(true);
    expect(Object.keys(ctx).sort()).toEqual(['atob', 'performance', 'setTimeout', 'simdnn']); // the one global it adds
  });

  it("the package's own name resolves to the ESM build for import and to the CJS build for require", async () => {
    expect(require.resolve('simdnn')).toBe(buildFile('simdnn.cjs'));
    expect(require('simdnn')).toBe(require(buildFile('simdnn.cjs')));
    const esm = await import('simdnn');
    expect(esm.ready).toBe(nn.ready); // the very module test/setup.ts loaded from build/simdnn.mjs
    expect(esm.Tensor).toBe(nn.Tensor);
  });

  it('the .d.ts declares the public API', () => {
    const dts = readFileSync(buildFile('simdnn.d.ts'), 'utf8');
    expect(dts).toMatch(/declare function sequential\(/);
    expect(dts).toMatch(/declare class Tensor\b/);
    expect(dts).toMatch(/declare function loadLayersModel\(/);
    expect(dts).toMatch(/declare function ready\(/);
    const exported = [...dts.matchAll(/export \{([^}]*)\}/g)].flatMap((m) => m[1].split(',').map((s) => s.trim().split(/\s+as\s+/).pop()));
    for (const name of ['sequential', 'model', 'Tensor', 'tensor', 'loadLayersModel', 'ready', 'backendInfo', 'layers', 'optimizers', 'setSeed']) {
      expect(exported, name).toContain(name);
    }
    expect(dts).not.toMatch(/from ['"]\.\.?\//); // self-contained: no import of a file that is not shipped
  });

  it("a user's TypeScript type-checks against the .d.ts reached through the package's exports", () => {
    const user = `
      import * as nn from 'simdnn';
      await nn.ready({ relaxedSimd: true });
      const info: { simd: boolean; relaxedSimd: boolean; threads: number; memoryBytes: number } = nn.backendInfo();
      const m: nn.Sequential = nn.sequential({ layers: [
        nn.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }),
        nn.layers.dropout({ rate: 0.2 }),
        nn.layers.dense({ units: 2, activation: 'softmax' }),
      ] });
      m.compile({ optimizer: nn.optimizers.adam({ learningRate: 1e-3 }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const h: nn.History = await m.fit(nn.zeros([4, 3]), nn.zeros([4, 2]), { epochs: 1, batchSize: 2, verbose: 0 });
      const y: nn.Tensor = m.predict(nn.tensor([[1, 2, 3]]));
      const back: Promise<nn.Model> = nn.loadLayersModel('file:///tmp/x');
      export { info, h, y, back };
    `;
    // one program for both files (loading the compiler's libraries is the slow part)
    const errors = typeErrors({ user, wrong: `import * as nn from 'simdnn'; export const n: number = nn.tensor([1]);` });
    expect(errors.user).toEqual([]);
    expect(errors.elsewhere).toEqual([]);
    expect(errors.wrong.join('\n')).toMatch(/Type 'Tensor' is not assignable to type 'number'/); // the checker really looks
  });

  it('the published .d.ts hides the @internal members (pointers, execute, arenas, kernel access)', () => {
    const internal = {
      ptr: `import * as nn from 'simdnn'; export const p = nn.tensor([1]).ptr;`,
      empty: `import * as nn from 'simdnn'; export const t = nn.Tensor.empty([2]);`,
      kernels: `import * as nn from 'simdnn'; export const k = nn.internals;`,
      execute: `import * as nn from 'simdnn'; export const y = nn.sequential().execute([], false);`,
      arena: `import * as nn from 'simdnn'; export const a = nn.sequential().arena;`,
      compiled: `import * as nn from 'simdnn'; export const c = nn.sequential().compiled;`,
      applyGradients: `import * as nn from 'simdnn'; nn.optimizers.sgd().applyGradients(0, 0, 1, []);`,
    };
    const errors = typeErrors(internal);
    expect(errors.elsewhere).toEqual([]); // nothing public refers to a stripped declaration
    for (const [name, msgs] of Object.entries(errors).filter(([k]) => k !== 'elsewhere')) {
      expect(msgs.join('\n'), name).toMatch(/does not exist on type|has no exported member/);
    }
    // and the tests' declarations (build/internal, not shipped) still have them
    const full = readFileSync(buildFile('internal/simdnn.d.mts'), 'utf8');
    for (const member of ['get ptr()', 'execute(xs', 'applyGradients(', 'declare const internals']) expect(full, member).toContain(member);
  });
});

/**
 * Type errors per in-memory module, each placed in the package root and resolved as a Node ESM user
 * would, with only the ES library and @types/node (no DOM); `elsewhere` holds the rest.
 */
function typeErrors(sources: Record<string, string>): Record<string, string[]> {
  const fileOf = (name: string) => fileURLToPath(new URL(`../../${name}-check.ts`, import.meta.url));
  const files = new Map(Object.entries(sources).map(([name, src]) => [fileOf(name), src]));
  const options: TS.CompilerOptions = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext, lib: ['lib.es2022.d.ts'], types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (files.has(name) ? ts.createSourceFile(name, files.get(name)!, lang) : read(name, lang, ...rest));
  const exists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || exists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const messages = (inFile: (f: string | undefined) => boolean) => diagnostics.filter((d) => inFile(d.file?.fileName))
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  const out: Record<string, string[]> = { elsewhere: messages((f) => !f || !files.has(f)) }; // e.g. in simdnn.d.ts itself
  for (const name of Object.keys(sources)) out[name] = messages((f) => f === fileOf(name));
  return out;
}
