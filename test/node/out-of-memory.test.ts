// Filling the 4 GiB wasm memory: the next allocation fails with a clear error, and after disposing,
// the library works again. (Node and Deno only: a browser tab may not be given 4 GiB.)
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

describe('out of wasm memory', () => {
  it('says so, names the tensor, and leaves the heap usable', () => {
    const held: nn.Tensor[] = [];
    let error: Error | undefined;
    try {
      for (let i = 0; i < 8; i++) held.push(nn.zeros([16000, 16000]));   // 0.95 GiB each
    } catch (e) {
      error = e as Error;
    }
    expect(held.length).toBeGreaterThanOrEqual(2);
    expect(held.length).toBeLessThan(5);
    expect(error?.message).toMatch(/out of wasm memory allocating a tensor of shape \[16000,16000\] .* of at most 4 GiB/);
    for (const t of held) t.dispose();
    const again = nn.fill([16000, 16000], 2);
    expect(Array.from(nn.slice(again, [15999, 15990], [1, 10]).dataSync())).toEqual(new Array(10).fill(2));
    again.dispose();
  });
}, 60_000);
