// examples/bidirectional.mjs, seeded: only the bidirectional GRU names the next token.
import { describe, it, expect } from 'vitest';
import { runExample, row } from './run-example';

describe('examples/bidirectional.mjs', () => {
  it('the bidirectional GRU names the next token (≥ 99%); left to right stays below 50%', () => {
    const out = runExample('bidirectional.mjs', ['--seed', '1', '--epochs', '30']);
    expect(row(out, 'bidirectional')[1]).toBeGreaterThanOrEqual(99);
    expect(row(out, 'left-to-right')[1]).toBeLessThan(50);
  });
});
