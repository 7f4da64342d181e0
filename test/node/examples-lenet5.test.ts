// examples/lenet5.mjs, run as a script with a fixed seed, holds its figure: LeNet-5 trained on the
// 8,000 MNIST digits of the `mnist` package (freshly distorted every epoch) reaches ≥ 98.5% on the
// 2,000 held-out digits.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LENET5_EPOCHS } from '../../examples/lenet5-model.mjs';

const g = globalThis as any;
const file = fileURLToPath(new URL('../../examples/lenet5.mjs', import.meta.url));

describe('examples/lenet5.mjs', () => {
  it(`reaches ≥ 98.5% on the 2,000 held-out digits in ${LENET5_EPOCHS} seeded epochs`, () => {
    const args = [file, '--seed', '42', '--epochs', String(LENET5_EPOCHS)];
    const cmd = typeof g.Deno !== 'undefined' ? ['run', '-A', ...args] : args;
    const r = spawnSync(g.process.execPath, cmd, { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^MNIST digits: 8000 for training, 2000 held out for testing$/m);
    expect(r.stdout.match(new RegExp(`^Epoch \\d+/${LENET5_EPOCHS} - `, 'gm'))).toHaveLength(LENET5_EPOCHS);
    const m = r.stdout.match(/^Test accuracy on (\d+) held-out digits: (\S+)%/m);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBe(2000);
    expect(Number(m![2])).toBeGreaterThanOrEqual(98.5);
  }, 900_000);
});
