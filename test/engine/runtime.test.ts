import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

// test/run.mjs sets SIMDNN_EXPECT_RUNTIME so that a runner that silently fell back to Node fails here.
const g = globalThis as any;
const runtime = typeof g.Deno !== 'undefined' ? 'deno' : typeof g.window !== 'undefined' ? 'browser' : 'node';

describe('runtime', () => {
  it('runs where the runner says it runs', () => {
    const expected = g.process?.env?.SIMDNN_EXPECT_RUNTIME;
    if (expected) expect(runtime).toBe(expected);
    expect(['node', 'deno', 'browser']).toContain(runtime);
  });

  it('reports the backend', () => {
    const info = nn.backendInfo();
    expect(info.simd).toBe(true);
    expect(info.memoryBytes).toBeGreaterThan(0);
  });
});
