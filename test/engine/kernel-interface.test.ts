// The typed kernel interface (src/kernels.generated.ts, written from the wasm builds by
// assembly/interface.mjs): the constants the TypeScript side passes to kernels are the module's,
// and the types catch a misspelled kernel or a wrong argument count (checked by tsc on this file).
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';
import * as generated from '../../src/kernels.generated';

beforeAll(ready);

describe('kernel interface', () => {
  it('every constant the wasm exports is generated with its value, and nothing else is', () => {
    const exports = nn.internals.kernels() as unknown as Record<string, unknown>;
    const globals = Object.entries(exports).filter(([, v]) => v instanceof WebAssembly.Global) as Array<[string, WebAssembly.Global]>;
    expect(globals.length).toBeGreaterThan(40);
    expect(Object.fromEntries(Object.entries(generated))).toEqual(Object.fromEntries(globals.map(([n, g]) => [n, g.value])));
  });

  it('every function the wasm exports is typed with its parameter count', () => {
    const K = nn.internals.kernels();
    // Spot checks of the types against the module (the generator compares all of them at build time).
    expect(K.gemm_f32.length).toBe(10);
    expect(K.gemm_f32_strided.length).toBe(15);
    expect(K.gemm_f32_packed.length).toBe(13);
    // @ts-expect-error: gemm_f32 takes 10 arguments
    const tooFew = () => K.gemm_f32(0, 0, 0, 1, 1, 1, 0, 0, 0);
    // @ts-expect-error: no kernel has this name
    const misspelled = () => K.gemm_f32_strdied;
    expect([typeof tooFew, typeof misspelled]).toEqual(['function', 'function']);
  });
});
