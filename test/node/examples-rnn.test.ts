// The recurrent examples, each run from its own file with a fixed seed and held to what it prints.
// (In test/node/: they spawn a process, which a browser cannot.)
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const g = globalThis as any;
const isDeno = typeof g.Deno !== 'undefined';
const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

function run(name: string, args: string[]): string {
  const file = examplesDir + name;
  const cmd = isDeno ? [g.process.execPath, 'run', '-A', file, ...args] : [g.process.execPath, file, ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  expect(r.status, `${name} exited ${r.status}:\n${r.stderr}`).toBe(0);
  return r.stdout;
}

const row = (out: string, name: string) => {
  const m = out.match(new RegExp(`^${name}\\s+(.+)$`, 'm'));
  expect(m, `no row '${name}' in:\n${out}`).not.toBeNull();
  return m![1].trim().split(/\s+/).map((v) => Number(v.replace('%', '')));
};

describe('recurrent examples', () => {
  it('bidirectional.mjs: only the bidirectional GRU names the next token (100% vs < 50% left to right)', () => {
    const out = run('bidirectional.mjs', ['--seed', '1', '--epochs', '30']);
    expect(row(out, 'bidirectional')[1]).toBeGreaterThanOrEqual(99);
    expect(row(out, 'left-to-right')[1]).toBeLessThan(50);
  });

  it('sequence.mjs: GRU, LSTM, simple and Jordan RNNs all forecast the noisy series far better than repeating the last value', () => {
    const out = run('sequence.mjs', ['--seed', '1', '--epochs', '20']);
    const baseline = row(out, 'last value')[1];
    for (const name of ['GRU', 'LSTM', 'simple RNN', 'Jordan RNN']) expect(row(out, name)[1]).toBeLessThan(baseline / 5);
  });

  it('char-lm.mjs: perplexity falls every epoch and below 8 of 52 characters; samples at two temperatures', () => {
    const out = run('char-lm.mjs', ['--seed', '1', '--epochs', '3']);
    const ppl = [...out.matchAll(/^epoch (\d+) perplexity (\S+)$/gm)].map((m) => Number(m[2]));
    expect(ppl).toHaveLength(3);
    for (let i = 1; i < ppl.length; i++) expect(ppl[i]).toBeLessThan(ppl[i - 1]);
    expect(ppl[2]).toBeLessThan(8);
    for (const t of ['0.5', '1']) expect(out).toMatch(new RegExp(`--- sample at temperature ${t} ---\\nAnd God said, [\\s\\S]{150,}`));
  });
});
