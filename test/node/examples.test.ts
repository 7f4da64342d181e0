// Every example runs from its own file (a child process of this same runtime, seeded, with few
// epochs where that keeps it short) and is held to the figure it prints.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const g = globalThis as any;
const isDeno = typeof g.Deno !== 'undefined';
const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Runs examples/<name> with the given arguments; returns its stdout, failing on a non-zero exit. */
function runExample(name: string, args: string[] = []): string {
  const file = examplesDir + name;
  const cmd = isDeno ? [g.process.execPath, 'run', '-A', file, ...args] : [g.process.execPath, file, ...args];
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
  expect(r.status, `${name} exited ${r.status}:\n${r.stderr}`).toBe(0);
  return r.stdout;
}

function figure(stdout: string, re: RegExp): RegExpMatchArray {
  const m = stdout.match(re);
  expect(m, `no ${re} in:\n${stdout}`).not.toBeNull();
  return m!;
}

const tested = new Set<string>();
function example(name: string, title: string, check: () => void): void {
  tested.add(name);
  it(`${name}: ${title}`, check);
}

describe('examples', () => {
  example('xor.mjs', 'the MLP learns XOR (loss < 0.01, every prediction on the right side of 0.5)', () => {
    const out = runExample('xor.mjs', ['--seed', '1']);
    expect(Number(figure(out, /^final loss (\S+)$/m)[1])).toBeLessThan(0.01);
    const predictions = figure(out, /^predictions (.+)$/m)[1].split(' ').map(Number);
    expect(predictions.map((p) => (p > 0.5 ? 1 : 0))).toEqual([0, 1, 1, 0]);
  });

  example('perceptron.mjs', 'the sign-output perceptron separates ≥ 198 of 200 points', () => {
    const out = runExample('perceptron.mjs', ['--seed', '7']);
    const [, right, n] = figure(out, /^perceptron: (\d+)\/(\d+) points/m);
    expect(Number(n)).toBe(200);
    expect(Number(right)).toBeGreaterThanOrEqual(198);
  });

  example('mnist.mjs', 'the MLP reaches ≥ 96% on the 2,000 held-out real MNIST digits in 6 epochs', () => {
    const out = runExample('mnist.mjs', ['--seed', '42', '--epochs', '6']);
    expect(out).toMatch(/^MNIST digits: 8000 for training, 2000 held out for testing$/m);
    expect(figure(out, /^Epoch (\d+)\/6 - /gm)).toHaveLength(6); // one line per epoch on a pipe
    const [, n, pct] = figure(out, /^Test accuracy on (\d+) held-out digits: (\S+)%/m);
    expect(Number(n)).toBe(2000);
    expect(Number(pct)).toBeGreaterThanOrEqual(96);
  });

  // examples with a test file of their own (test/node/examples-<topic>.test.ts): those it runs by name
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const f of readdirSync(here).filter((name) => /^examples-.+\.test\.ts$/.test(name))) {
    for (const m of readFileSync(here + f, 'utf8').matchAll(/['/]([\w-]+\.mjs)'/g)) tested.add(m[1]);
  }

  it('every example in examples/ has a test here (modules that export something are helpers)', () => {
    const scripts = readdirSync(examplesDir).filter((f) => f.endsWith('.mjs') && !/^export /m.test(readFileSync(examplesDir + f, 'utf8')));
    expect(scripts.filter((f) => !tested.has(f))).toEqual([]);
  });
});
