// examples/sequence.mjs, seeded: every recurrent model forecasts the noisy series far better than
// repeating the last value.
import { describe, it, expect } from 'vitest';
import { runExample, row } from './run-example';

describe('examples/sequence.mjs', () => {
  it('GRU, LSTM, simple and Jordan RNNs all beat the last-value baseline 5-fold', () => {
    const out = runExample('sequence.mjs', ['--seed', '1', '--epochs', '20']);
    const baseline = row(out, 'last value')[1];
    for (const name of ['GRU', 'LSTM', 'simple RNN', 'Jordan RNN']) expect(row(out, name)[1]).toBeLessThan(baseline / 5);
  });
});
