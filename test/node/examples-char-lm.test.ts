// examples/char-lm.mjs, seeded and short: perplexity falls every epoch, and it samples text.
import { describe, it, expect } from 'vitest';
import { runExample } from './run-example';

describe('examples/char-lm.mjs', () => {
  it('perplexity falls every epoch and below 8 (of 52 characters); samples at two temperatures', () => {
    const out = runExample('char-lm.mjs', ['--seed', '1', '--epochs', '3']);
    const ppl = [...out.matchAll(/^epoch (\d+) perplexity (\S+)$/gm)].map((m) => Number(m[2]));
    expect(ppl).toHaveLength(3);
    for (let i = 1; i < ppl.length; i++) expect(ppl[i]).toBeLessThan(ppl[i - 1]);
    expect(ppl[2]).toBeLessThan(8);
    for (const t of ['0.5', '1']) expect(out).toMatch(new RegExp(`--- sample at temperature ${t} ---\\nAnd God said, [\\s\\S]{150,}`));
  });
});
