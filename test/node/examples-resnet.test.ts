// examples/resnet.mjs runs from its file (a child process of this runtime), seeded and short, and is
// held to the accuracy it prints. (Its own file: examples.test.ts counts it as tested from here.)
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const g = globalThis as any;
const file = fileURLToPath(new URL('../../examples/resnet.mjs', import.meta.url));

describe('examples', () => {
  it('resnet.mjs: the small ResNet reaches ≥ 90% on the 2,000 held-out real MNIST digits in 2 epochs', () => {
    const args = ['--seed', '42', '--epochs', '2'];
    const cmd = typeof g.Deno !== 'undefined' ? [g.process.execPath, 'run', '-A', file, ...args] : [g.process.execPath, file, ...args];
    const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8' });
    expect(r.status, `resnet.mjs exited ${r.status}:\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^MNIST digits: 8000 for training, 2000 held out for testing$/m);
    expect(r.stdout).toMatch(/^add_\d+ \(Add\)\s+\[null,7,7,32\]\s+0$/m); // the summary shows the residual merges
    expect(r.stdout.match(/^Epoch \d+\/2 - /gm)).toHaveLength(2);
    const m = r.stdout.match(/^Test accuracy on (\d+) held-out digits: (\S+)%/m);
    expect(m, r.stdout).not.toBeNull();
    expect(Number(m![1])).toBe(2000);
    expect(Number(m![2])).toBeGreaterThanOrEqual(90);
  }, 600_000);
});
