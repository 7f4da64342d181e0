// Allocations the wasm memory cannot hold fail with a clear error, before anything is written.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

describe('memory limits', () => {
  it('a tensor over 1 GiB is refused with its shape, even where the byte count wraps past 2^32', () => {
    for (const shape of [[16385, 16384], [65536, 16384], [100000, 100000]]) {
      expect(() => nn.zeros(shape), JSON.stringify(shape))
        .toThrow(new RegExp(`a tensor of shape \\[${shape.join(',')}\\] \\(.* GiB\\): one buffer holds at most 1 GiB`));
    }
    expect(nn.memory().numTensors).toBe(0);
    expect(Array.from(nn.ones([2]).dataSync())).toEqual([1, 1]);
  });

  it("an abort inside the module carries AssemblyScript's message and source position", () => {
    expect(() => nn.internals.kernels().alloc(2 ** 31)).toThrow(/simdnn: wasm abort: Allocation too large \(~lib\/rt\/tlsf\.ts:\d+:\d+\)/);
  });
});
